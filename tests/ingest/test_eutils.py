"""E-utilities client: rate limiting, retries, batching, on recorded ESearch/EFetch responses."""

from __future__ import annotations

import httpx
import pytest

from curbside.domain import SourceDocument
from curbside.errors import ConfigError, InputError, UpstreamError
from curbside.ingest.base import IngestProblem
from curbside.ingest.eutils import EUtilsClient, NcbiSpacedLimiter, _retry_after
from curbside.progress import Recording
from curbside.settings import PubMedSettings
from tests.ingest.ncbi_mock import FIXTURES, FakeClock, FakeNCBI

PMIDS = ["21645374", "16418930", "10808977", "14612308", "18847643"]


def _client(ncbi: FakeNCBI, clock: FakeClock, **settings: object) -> EUtilsClient:
    options = {"email": "curbside-tests@example.org", **settings}
    return EUtilsClient(PubMedSettings.model_validate(options), http=ncbi.client(),
                        clock=clock, sleep=clock.sleep, batch_size=2)


def test_rate_limiter_spaces_requests() -> None:
    clock = FakeClock()
    limiter = NcbiSpacedLimiter(1 / 3, clock=clock, sleep=clock.sleep)
    for _ in range(4):
        limiter.wait()
    assert clock.sleeps == pytest.approx([1 / 3, 1 / 3, 1 / 3])
    clock.advance(5.0)  # an idle spell: the next request goes at once
    assert limiter.wait() == 0.0
    clock.advance(0.1)
    assert limiter.wait() == pytest.approx(1 / 3 - 0.1)


def test_rate_depends_on_the_api_key() -> None:
    assert NcbiSpacedLimiter.for_settings(PubMedSettings()).interval == pytest.approx(1 / 3)
    assert NcbiSpacedLimiter.for_settings(PubMedSettings(api_key="k")).interval == pytest.approx(0.1)


def test_search_then_fetch_in_batches_with_polite_parameters() -> None:
    ncbi, clock = FakeNCBI(), FakeClock()
    client = _client(ncbi, clock, api_key="placeholder-key")
    found = client.search("lace plant", 5)
    assert found.count == 5 and found.pmids == PMIDS
    progress = Recording()
    items = list(client.fetch_documents(found.pmids, progress=progress))
    assert [i.source.id for i in items if isinstance(i, SourceDocument)] == [f"pmid:{p}" for p in PMIDS]
    assert progress.totals["fetch"] == 5 and progress.done["fetch"] == 5

    esearch, *efetches = ncbi.requests
    assert esearch.method == "GET" and esearch.url.path == "/entrez/eutils/esearch.fcgi"
    assert ncbi.params(esearch).items() >= {"db": "pubmed", "term": "lace plant", "retmax": "5",
                                            "retmode": "json", "tool": "curbside",
                                            "email": "curbside-tests@example.org",
                                            "api_key": "placeholder-key"}.items()
    assert len(efetches) == 3  # 5 PMIDs in batches of 2
    assert all(r.method == "POST" for r in efetches)
    assert [ncbi.params(r)["id"] for r in efetches] == ["21645374,16418930", "10808977,14612308",
                                                        "18847643"]
    assert all(ncbi.params(r)["tool"] == "curbside" for r in efetches)
    # With an API key: 10 requests a second, so 0.1 s between the four back-to-back requests.
    assert clock.sleeps == pytest.approx([0.1, 0.1, 0.1])


def test_retry_on_429_honours_retry_after_then_succeeds() -> None:
    ncbi, clock = FakeNCBI(failures=[httpx.Response(429, headers={"Retry-After": "2"},
                                                    json={"error": "API rate limit exceeded"})]), FakeClock()
    found = _client(ncbi, clock).search("lace plant", 5)
    assert found.pmids == PMIDS
    assert len(ncbi.requests) == 2
    assert clock.sleeps == [2.0]  # Retry-After; the rate limiter's interval had passed by then


def test_retries_network_errors_and_5xx_with_backoff() -> None:
    failures: list[httpx.Response | Exception] = [httpx.ConnectError("refused"),
                                                  httpx.Response(503, text="busy")]
    ncbi, clock = FakeNCBI(failures=failures), FakeClock()
    assert _client(ncbi, clock).search("lace plant", 5).count == 5
    assert clock.sleeps == [1.0, 2.0]  # exponential backoff: 1 s, then 2 s


def test_permanent_500_raises_upstream_error() -> None:
    ncbi = FakeNCBI(failures=[httpx.Response(500, text="Internal error")] * 10)
    clock = FakeClock()
    with pytest.raises(UpstreamError) as info:
        _client(ncbi, clock, retries=2, api_key="secret-key-value").search("lace plant", 5)
    assert len(ncbi.requests) == 3  # one try + two retries
    assert "failed after 3 attempt(s)" in info.value.message and "HTTP 500" in info.value.message
    assert "secret-key-value" not in info.value.message
    assert info.value.retryable


def test_client_error_is_not_retried() -> None:
    ncbi = FakeNCBI(failures=[httpx.Response(400, json={"error": "API key invalid"})])
    with pytest.raises(UpstreamError, match="API key invalid") as info:
        _client(ncbi, FakeClock()).search("lace plant", 5)
    assert len(ncbi.requests) == 1 and not info.value.retryable


def test_missing_pmids_and_error_bodies() -> None:
    ncbi, clock = FakeNCBI(), FakeClock()
    client = _client(ncbi, clock)
    items = list(client.fetch_documents(["21645374", "90000099"]))
    assert isinstance(items[0], SourceDocument)
    assert items[1] == IngestProblem("pmid:90000099", "not returned by EFetch (withdrawn or unknown PMID)")

    bad = FakeNCBI(failures=[httpx.Response(200, text="<eFetchResult><ERROR>Empty id list</ERROR>"
                                                      "</eFetchResult>")])
    with pytest.raises(UpstreamError, match="no PubmedArticleSet"):
        list(_client(bad, clock).fetch_documents(["21645374"]))

    error = FakeNCBI(failures=[httpx.Response(200, json={"esearchresult": {"ERROR": "Backend failed"}})])
    with pytest.raises(UpstreamError, match="Backend failed"):
        _client(error, clock).search("x", 5)


def test_no_results_and_bad_input() -> None:
    ncbi, clock = FakeNCBI(esearch=FIXTURES / "esearch_empty.json"), FakeClock()
    client = _client(ncbi, clock)
    found = client.search("zzqxplaceholder", 20)
    assert found.count == 0 and found.pmids == []
    assert found.warnings == ["outputmessages: No items found."]
    with pytest.raises(InputError):
        client.search("  ", 5)
    with pytest.raises(InputError):
        client.search("x", 10_001)
    with pytest.raises(InputError):
        client.search("x", 5, sort="random")
    with pytest.raises(ConfigError):
        EUtilsClient(PubMedSettings(), http=ncbi.client(), batch_size=201)


def test_retry_after_forms() -> None:
    assert _retry_after("3") == 3.0
    assert _retry_after(None) is None and _retry_after("soon") is None
    assert _retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # a date in the past
    assert _retry_after("100000") == 300.0  # capped
