"""Knowledge packs: written with vectors, installed without re-embedding, idempotent, verified."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from curbside.domain import Passage, Section, Source, SourceDocument, SourceKind
from curbside.errors import ConfigError
from curbside.ingest.chunking import Chunker
from curbside.kb.packs import install_pack, iter_pack, read_manifest, starter_pack_dir, write_pack
from curbside.kb.service import KnowledgeBase
from curbside.retrieval.embedder import Embedder
from curbside.settings import Settings


class CountingEmbedder:
    """Wraps the real model and counts how many texts it was asked to embed."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.embedded = 0

    def embed(self, texts: list[str], *, batch_size: int = 64) -> np.ndarray:  # type: ignore[type-arg]
        self.embedded += len(texts)
        return self.inner.embed(texts, batch_size=batch_size)


def _items() -> list[tuple[SourceDocument, list[Passage]]]:
    chunker = Chunker()
    topics = ["red blood cells and iron", "airway inflammation and wheezing", "tendon calcium deposits"]
    out = []
    for i, topic in enumerate(topics):
        doc = SourceDocument(source=Source(id=f"pack:{i}", kind=SourceKind.PATIENT_EDUCATION, title=f"Placeholder page on {topic}",
                                           collection="mini"),
                             sections=[Section(headings=["Overview"], text=f"This placeholder page is about {topic}.")])
        out.append((doc, chunker.chunk(doc)))
    return out


@pytest.fixture
def mini_pack(tmp_path: Path, embedder: Embedder) -> Path:
    items = _items()
    vectors = embedder.embed([p.context_text for _, ps in items for p in ps])
    write_pack(tmp_path / "pack", "mini", "1", items, vectors, chunker=Chunker().version,
               embedding_model=embedder.name, licenses={"LICENSE.txt": "test licence"}, description="test")
    return tmp_path / "pack"


def test_pack_round_trip_and_manifest(mini_pack: Path) -> None:
    manifest = read_manifest(mini_pack)
    assert manifest["sources"] == 3 and manifest["passages"] == 3
    assert set(manifest["sha256"]) == {"documents.jsonl.gz", "vectors.f16.npy"}
    loaded = list(iter_pack(mini_pack))
    assert [d.source.id for d, _ in loaded] == ["pack:0", "pack:1", "pack:2"]
    assert (mini_pack / "LICENSES" / "LICENSE.txt").read_text() == "test licence"


def test_install_uses_shipped_vectors_and_is_idempotent(mini_pack: Path, settings: Settings, embedder: Embedder) -> None:
    counting = CountingEmbedder(embedder)
    kb = KnowledgeBase(settings, embedder=counting)
    assert install_pack(kb, mini_pack) == 3
    assert counting.embedded == 0, "passages with shipped vectors must not be embedded again"
    hits = kb.search("wheezing airways", k=1)
    assert hits[0].source.id == "pack:1"
    assert install_pack(kb, mini_pack) == 0
    assert kb.stats()["passages"] == 3


def test_damaged_pack_is_refused_with_a_clear_error(mini_pack: Path, settings: Settings, embedder: Embedder) -> None:
    with (mini_pack / "vectors.f16.npy").open("r+b") as fh:
        fh.seek(-4, 2)
        fh.write(b"\x00\x01\x02\x03")
    with pytest.raises(ConfigError, match="damaged"):
        install_pack(KnowledgeBase(settings, embedder=embedder), mini_pack)


def test_not_a_pack(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not a knowledge pack"):
        read_manifest(tmp_path)


def test_bundled_starter_pack_is_consistent() -> None:
    pack = starter_pack_dir()
    if not (pack / "manifest.json").exists():
        pytest.fail("the starter pack is missing from the package: run scripts/build_starter_pack.py")
    manifest = json.loads((pack / "manifest.json").read_text())
    assert manifest["collections"].keys() == {"medquad", "pubmedqa", "medlineplus", "openfda"}
    assert {"MedQuAD-LICENSE.txt", "PubMedQA-LICENSE.txt", "ATTRIBUTION.md"} <= set(manifest["licenses"])
    vectors = np.load(pack / "vectors.f16.npy", mmap_mode="r")
    assert vectors.shape == (manifest["passages"], manifest["dim"])
