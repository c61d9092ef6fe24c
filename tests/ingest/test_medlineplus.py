"""MedlinePlus health topics XML (real topics in the file's format) and the synonym lookup over the KB."""

from __future__ import annotations

from pathlib import Path

from curbside.domain import Audience, SourceDocument, SourceKind
from curbside.ingest.medlineplus import MedlinePlusAdapter
from curbside.ingest.registry import adapter_for, read_paths
from curbside.kb.service import KnowledgeBase
from curbside.kb.synonyms import TopicSynonyms
from curbside.retrieval.embedder import Embedder
from curbside.settings import Settings


def _docs(fixtures_dir: Path) -> list[SourceDocument]:
    path = fixtures_dir / "medlineplus" / "mplus_topics_excerpt.xml"
    assert isinstance(adapter_for(path), MedlinePlusAdapter)
    items = list(MedlinePlusAdapter().read(path))
    assert all(isinstance(i, SourceDocument) for i in items)
    return [i for i in items if isinstance(i, SourceDocument)]


def test_topics_become_patient_education_sources_with_sections(fixtures_dir: Path) -> None:
    cfs, covid = _docs(fixtures_dir)
    src = cfs.source
    assert src.id == "medlineplus:89" and src.kind is SourceKind.PATIENT_EDUCATION
    assert src.audience is Audience.PATIENT and src.collection == "medlineplus" and src.language == "en"
    assert src.url == "https://medlineplus.gov/myalgicencephalomyelitischronicfatiguesyndrome.html"
    assert "public domain" in src.license.lower()
    assert src.topics[:3] == ["Myalgic Encephalomyelitis/Chronic Fatigue Syndrome", "CFS", "Chronic fatigue syndrome"]
    assert "SEID" in src.topics and "Fatigue Syndrome, Chronic" in src.topics
    assert src.identifiers.other["groups"] == "Bones, Joints and Muscles; Infections"
    assert src.identifiers.other["related_topics"] == "Fatigue"
    assert [s.headings for s in cfs.sections] == [
        ["Myalgic Encephalomyelitis/Chronic Fatigue Syndrome", "What is myalgic encephalomyelitis/chronic fatigue syndrome (ME/CFS)?"],
        ["Myalgic Encephalomyelitis/Chronic Fatigue Syndrome", "What causes myalgic encephalomyelitis/chronic fatigue syndrome (ME/CFS)?"]]
    first = covid.sections[0].text.split("\n")
    assert first[0].startswith("COVID-19 (coronavirus disease 2019) is an illness caused by a virus.")
    assert first[1:4] == ["- Have symptoms that linger for weeks, months, or even years",
                          "- Seem to recover from COVID-19 but then see their symptoms return",
                          "- Develop new symptoms or new health conditions within a few months of having COVID-19"]


def test_synonym_lookup_from_sources(fixtures_dir: Path) -> None:
    synonyms = TopicSynonyms.from_sources(d.source for d in _docs(fixtures_dir))
    assert len(synonyms) == 2
    topic = synonyms.lookup("seid")
    assert topic is not None and topic.title == "Myalgic Encephalomyelitis/Chronic Fatigue Syndrome"
    found = synonyms.find_in("Is long-haul COVID the same as chronic fatigue syndrome?")
    assert [t.source_id for t in found] == ["medlineplus:89", "medlineplus:7807"]
    assert "Long COVID" in synonyms.expansions("what helps long haul covid")
    assert synonyms.lookup("fatigue") is None  # a word of a name is not the name


def test_synonyms_from_a_real_knowledge_base(fixtures_dir: Path, settings: Settings, hash_embedder: Embedder) -> None:
    kb = KnowledgeBase(settings, embedder=hash_embedder)
    report = kb.ingest(read_paths([fixtures_dir / "medlineplus", fixtures_dir / "medquad" / "3_GHR_QA"]))
    assert report.documents_written == 3
    synonyms = TopicSynonyms.from_store(kb.store)
    assert len(synonyms) == 2  # only the MedlinePlus topics carry synonyms
    hit = synonyms.lookup("ME/CFS")
    assert hit is not None and hit.source_id == "medlineplus:89"
