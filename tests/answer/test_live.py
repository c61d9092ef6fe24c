"""Live PubMed evidence (answer/live.py) on recorded-format E-utilities responses, through the real
HTTP code path (EUtilsClient on an httpx MockTransport): a calf soft-tissue calcification question."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest
from tests.ingest.ncbi_mock import FIXTURES, FakeClock, efetch_subset

from curbside.answer import live
from curbside.answer.service import AnswerService
from curbside.answer.understand.analysis import analyze
from curbside.domain import Audience
from curbside.events import AnswerReady, Stage
from curbside.ingest.eutils import EUtilsClient
from curbside.ingest.registry import read_paths
from curbside.kb.service import KnowledgeBase
from curbside.retrieval.embedder import Embedder
from curbside.settings import PubMedSettings, Settings

CALF = "What is the management of soft tissue calcification in the calf?"
ESEARCH = FIXTURES / "esearch_live_calcification.json"
EFETCH = FIXTURES / "efetch_live_calcification.xml"
LIVE_PMIDS = ["23359100", "26606599", "23506394"]


class RecordedNCBI:
    """ESearch and EFetch answered with the recorded live-search fixtures; every request kept."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.failures: list[httpx.Response] = []

    def params(self, request: httpx.Request) -> dict[str, str]:
        raw = request.content.decode() if request.method == "POST" else request.url.query.decode()
        return {k: v[0] for k, v in parse_qs(raw).items()}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.failures:
            return self.failures.pop(0)
        if request.url.path.endswith("/esearch.fcgi"):
            return httpx.Response(200, content=ESEARCH.read_bytes(), headers={"Content-Type": "application/json"})
        if request.url.path.endswith("/efetch.fcgi"):
            ids = self.params(request)["id"].split(",")
            return httpx.Response(200, content=efetch_subset(ids, EFETCH), headers={"Content-Type": "text/xml"})
        return httpx.Response(404)

    def terms(self) -> list[str]:
        return [self.params(r)["term"] for r in self.requests if r.url.path.endswith("/esearch.fcgi")]


@pytest.fixture
def ncbi(monkeypatch: pytest.MonkeyPatch) -> Iterator[RecordedNCBI]:
    fake = RecordedNCBI()
    clock = FakeClock()

    def factory(settings: PubMedSettings, timeout_s: float) -> EUtilsClient:
        http = httpx.Client(transport=httpx.MockTransport(fake), timeout=timeout_s)
        return EUtilsClient(settings, http=http, clock=clock, sleep=clock.sleep)

    monkeypatch.setattr(live, "client_factory", factory)
    yield fake


def _service(tmp_path: Path, fixtures_dir: Path, embedder: Embedder, *, on: bool = True) -> AnswerService:
    settings = Settings(data_dir=tmp_path / "data", starter_pack=False,
                        pubmed=PubMedSettings(live=on, email="curbside-tests@example.org"))
    kb = KnowledgeBase(settings, embedder=embedder)
    kb.ingest(read_paths([fixtures_dir / "medquad"]))  # a library that does not cover the question
    return AnswerService(settings, kb)


def test_queries_from_subject_region_and_filters_strongest_and_recent_first() -> None:
    analysis = analyze(CALF, Audience.CLINICIAN)
    queries = live.build_queries(analysis, years=10, today=datetime(2026, 12, 2, tzinfo=UTC))
    assert queries[0] == ("((soft tissue calcification)) AND (calf) AND " + live.EVIDENCE_FILTER
                          + ' AND ("2017"[dp] : "3000"[dp]) AND hasabstract')
    assert queries[1] == '((soft tissue calcification)) AND (calf) AND ("2017"[dp] : "3000"[dp]) AND hasabstract'
    assert queries[-1] == "((soft tissue calcification)) AND hasabstract"  # the region dropped last
    assert len(queries) == 5


def test_calf_question_searches_pubmed_ingests_with_provenance_and_says_so(
        ncbi: RecordedNCBI, tmp_path: Path, fixtures_dir: Path, embedder: Embedder) -> None:
    service = _service(tmp_path, fixtures_dir, embedder)
    events = list(service.ask_stream(CALF, audience="clinician"))
    assert Stage("searching_pubmed") in events
    assert isinstance(events[-1], AnswerReady)
    answer = events[-1].answer
    terms = ncbi.terms()
    assert terms[0].startswith("((soft tissue calcification)) AND (calf) AND (guideline[pt]")
    assert ncbi.params(ncbi.requests[-1])["id"] == ",".join(LIVE_PMIDS)  # EFetch of the top abstracts
    source = service.kb.store.source("pmid:23359100")
    assert source is not None and source.collection == "pubmed-live"
    assert source.identifiers.other["live_query"] == terms[0]
    assert source.identifiers.other["retrieved_live"].startswith(str(datetime.now(UTC).year))
    extra = answer.provenance.extra
    assert extra["live_pubmed_query"] == terms[0] and extra["live_pubmed_pmids"] == ",".join(LIVE_PMIDS)
    if answer.abstained:
        assert "Also searched PubMed live on" in answer.abstain_reason and "calf" in answer.abstain_reason
    else:
        notice = next(n for n in answer.notices if n.kind == "live_evidence")
        assert notice.text.startswith("Evidence retrieved live from PubMed on ")
        cited = {p.id.split("#")[0] for ref in answer.references for p in ref.passages}
        assert cited & {f"pmid:{p}" for p in LIVE_PMIDS}


def test_answer_cites_live_evidence_with_a_notice(ncbi: RecordedNCBI, tmp_path: Path, fixtures_dir: Path,
                                                  embedder: Embedder) -> None:
    service = _service(tmp_path, fixtures_dir, embedder)
    answer = service.ask("Does etoricoxib prevent heterotopic ossification after total hip arthroplasty?",
                         audience="clinician")
    assert not answer.abstained, answer.abstain_reason
    notice = next(n for n in answer.notices if n.kind == "live_evidence")
    assert "Evidence retrieved live from PubMed on" in notice.text and "search:" in notice.text
    assert any(ref.title.startswith("Is etoricoxib effective") for ref in answer.references)


def test_upstream_failure_falls_back_to_abstention_naming_the_search(
        ncbi: RecordedNCBI, tmp_path: Path, fixtures_dir: Path, embedder: Embedder) -> None:
    ncbi.failures.extend([httpx.Response(503, text="busy")] * 2)
    answer = _service(tmp_path, fixtures_dir, embedder).ask(CALF, audience="clinician")
    assert answer.abstained
    assert "Also searched PubMed live on" in answer.abstain_reason
    assert "(soft tissue calcification)) AND (calf)" in answer.abstain_reason
    assert "the search failed" in answer.abstain_reason
    assert "live_pubmed_error" in answer.provenance.extra


def test_time_budget_is_kept(ncbi: RecordedNCBI, tmp_path: Path, fixtures_dir: Path, embedder: Embedder) -> None:
    service = _service(tmp_path, fixtures_dir, embedder)
    ticks = iter([0.0, 100.0, 100.0, 100.0])  # the deadline has passed before the first search
    result = live.search_and_ingest(service.settings, service.kb, analyze(CALF, Audience.CLINICIAN),
                                    clock=lambda: next(ticks))
    assert result.error == "the 20 s time budget ran out" and not result.pmids and not ncbi.requests


def test_off_by_default_no_request(ncbi: RecordedNCBI, tmp_path: Path, fixtures_dir: Path, embedder: Embedder) -> None:
    assert Settings().pubmed.live is False
    answer = _service(tmp_path, fixtures_dir, embedder, on=False).ask(CALF, audience="clinician")
    assert not ncbi.requests and "live_pubmed_query" not in answer.provenance.extra
