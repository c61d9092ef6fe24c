"""MedlinePlus June 2024: the pack build's pickle conversion (on pickles made here) and the JSONL adapter."""

from __future__ import annotations

import importlib.util
import os
import pickle
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from curbside.domain import SourceDocument, SourceKind
from curbside.ingest.base import IngestProblem
from curbside.ingest.medlineplus_jsonl import MedlinePlusJSONLAdapter
from curbside.ingest.registry import adapter_for, read_paths

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_starter_pack.py"


def _script() -> Any:
    spec = importlib.util.spec_from_file_location("build_starter_pack", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Document:
    """A stand-in with the module and name of LangChain's Document, pickled as pydantic v1 pickles it."""

    def __init__(self, page_content: str, metadata: dict[str, str]) -> None:
        self.page_content, self.metadata = page_content, metadata

    def __getstate__(self) -> dict[str, Any]:
        return {"__dict__": {"id": None, "metadata": self.metadata, "page_content": self.page_content,
                             "type": "Document"},
                "__fields_set__": {"page_content", "metadata"}, "__private_attribute_values__": {}}


@pytest.fixture
def langchain_stub() -> Iterator[None]:
    names = ["langchain_core", "langchain_core.documents", "langchain_core.documents.base"]
    saved = {n: sys.modules.get(n) for n in names}
    base = types.ModuleType("langchain_core.documents.base")
    base.Document = Document  # type: ignore[attr-defined]
    Document.__module__ = "langchain_core.documents.base"
    for name in names[:2]:
        sys.modules[name] = types.ModuleType(name)
    sys.modules[names[2]] = base
    yield
    for name, module in saved.items():
        if module is None:
            sys.modules.pop(name, None)
        else:
            sys.modules[name] = module
    Document.__module__ = __name__


def _meta(topic_id: str, title: str, page: str) -> dict[str, str]:
    return {"ID": topic_id, "Title": title, "Language": "English", "URL": f"https://medlineplus.gov/{page}.html",
            "Meta Description": f"About {title}."}


def test_pickle_converted_to_jsonl_and_read_as_topics(langchain_stub: None, tmp_path: Path) -> None:
    docs = [
        Document("What is acute flaccid myelitis (AFM)?\nAFM is a rare neurologic disease. It affects the spinal cord.\n"
                 "What are the symptoms of AFM?\nSymptoms may include:\n\tArm or leg weakness\nDrooping eyelids",
                 _meta("7113", "Acute Flaccid Myelitis", "acuteflaccidmyelitis")),
        Document("Trouble swallowing\nWhat are the treatments for AFM?\nThere is no specific treatment for AFM.\n\n"
                 "Centers for Disease Control and Prevention", _meta("7113", "Acute Flaccid Myelitis", "acuteflaccidmyelitis")),
        Document("A1C is a blood test for type 2 diabetes and prediabetes.\n\nNIH: National Institute of Diabetes and "
                 "Digestive and Kidney Diseases", _meta("6308", "A1C", "a1c")),
    ]
    script = _script()
    records = script.read_document_pickle(pickle.dumps(docs, protocol=4))
    assert [(r["id"], r["chunk"]) for r in records] == [("7113", 0), ("7113", 1), ("6308", 0)]
    assert records[2]["url"] == "https://medlineplus.gov/a1c.html" and records[2]["meta_description"] == "About A1C."
    path = script.write_jsonl(records, tmp_path / "medlineplus_topics.jsonl")
    assert isinstance(adapter_for(path), MedlinePlusJSONLAdapter)
    items = [i for i in read_paths([path]) if isinstance(i, SourceDocument)]
    afm, a1c = items
    assert afm.source.id == "medlineplus:7113" and afm.source.kind is SourceKind.PATIENT_EDUCATION
    assert afm.source.publisher.startswith("MedlinePlus") and "Public domain" in afm.source.license
    assert afm.source.url == "https://medlineplus.gov/acuteflaccidmyelitis.html"
    assert [s.headings for s in afm.sections] == [
        ["Acute Flaccid Myelitis", "What is acute flaccid myelitis (AFM)?"],
        ["Acute Flaccid Myelitis", "What are the symptoms of AFM?"],
        ["Acute Flaccid Myelitis", "What are the treatments for AFM?"]]
    assert afm.sections[1].text == "Symptoms may include:\n- Arm or leg weakness\n- Drooping eyelids\n- Trouble swallowing"
    assert afm.sections[2].text == "There is no specific treatment for AFM."  # the credit line is not text
    assert afm.source.identifiers.other["primary_institute"] == "Centers for Disease Control and Prevention"
    assert a1c.sections[0].headings == ["A1C"] and a1c.sections[0].text.startswith("A1C is a blood test")
    assert a1c.source.identifiers.other["primary_institute"].startswith("National Institute of Diabetes")


class _Evil:
    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (os.system, ("echo pwned > /dev/null",))


def test_a_pickle_naming_any_other_global_is_refused(langchain_stub: None) -> None:
    script = _script()
    with pytest.raises(pickle.UnpicklingError, match=r"refused: the pickle names (posix|nt|os)\.system"):
        script.read_document_pickle(pickle.dumps([_Evil()]))
    with pytest.raises(pickle.UnpicklingError, match=r"refused: the pickle names builtins\.eval"):
        script.read_document_pickle(pickle.dumps([eval]))
    with pytest.raises(pickle.UnpicklingError, match="expected a list of Documents"):
        script.read_document_pickle(pickle.dumps({"not": "a list"}))


def test_medquad_medlineplus_pages_replaced_by_the_newer_text() -> None:
    script = _script()

    class Src:
        def __init__(self, id: str, url: str, title: str) -> None:
            self.id, self.url, self.title = id, url, title

    pages, titles = {"acuteflaccidmyelitis"}, {"a1c"}
    assert script.replaced_by_medlineplus(
        Src("medquad:MPlusHealthTopics:0001", "https://www.nlm.nih.gov/medlineplus/acuteflaccidmyelitis.html", "AFM"),
        pages, titles)
    assert script.replaced_by_medlineplus(Src("medquad:MPlusHealthTopics:0002", "", "A1C"), pages, titles)
    assert not script.replaced_by_medlineplus(Src("medquad:GARD:0003", "https://x/a1c.html", "A1C"), pages, titles)


def test_a_bad_line_is_reported_and_the_rest_read(tmp_path: Path) -> None:
    path = tmp_path / "topics.jsonl"
    good = '{"id": "1", "title": "Acne", "url": "https://medlineplus.gov/acne.html", "chunk": 0, "text": "Acne is common."}'
    path.write_text(good + "\n{not json\n" + '{"title": "x"}\n')
    items = list(read_paths([path]))
    assert [i.source.id for i in items if isinstance(i, SourceDocument)] == ["medlineplus:1"]
    assert len([i for i in items if isinstance(i, IngestProblem)]) == 2
