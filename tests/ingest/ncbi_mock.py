"""A stand-in for NCBI E-utilities: httpx.MockTransport serving the recorded fixture responses."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs

import httpx
from lxml import etree

FIXTURES = Path(__file__).parent.parent / "fixtures" / "pubmed"


def efetch_subset(pmids: list[str], source: Path = FIXTURES / "efetch_pubmedqa.xml") -> bytes:
    """The recorded efetch XML reduced to ``pmids`` (in the order asked), as EFetch answers."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    tree = etree.parse(str(source), parser)
    root = tree.getroot()
    by_pmid = {a.findtext("MedlineCitation/PMID"): a for a in root.findall("PubmedArticle")}
    for article in list(root):
        root.remove(article)
    for pmid in pmids:
        if pmid in by_pmid:
            root.append(by_pmid[pmid])
    data: bytes = etree.tostring(tree, xml_declaration=True, encoding="UTF-8",
                                 doctype=tree.docinfo.doctype)
    return data


@dataclass
class FakeNCBI:
    """Records every request; ``failures`` are answered first, then the recorded responses."""

    failures: list[httpx.Response | Exception] = field(default_factory=list)
    esearch: Path = FIXTURES / "esearch.json"
    requests: list[httpx.Request] = field(default_factory=list)

    def params(self, request: httpx.Request) -> dict[str, str]:
        raw = request.content.decode() if request.method == "POST" else request.url.query.decode()
        return {k: v[0] for k, v in parse_qs(raw).items()}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.failures:
            failure = self.failures.pop(0)
            if isinstance(failure, Exception):
                raise failure
            return failure
        params = self.params(request)
        if request.url.path.endswith("/esearch.fcgi"):
            return httpx.Response(200, content=self.esearch.read_bytes(),
                                  headers={"Content-Type": "application/json; charset=UTF-8"})
        if request.url.path.endswith("/efetch.fcgi"):
            return httpx.Response(200, content=efetch_subset(params["id"].split(",")),
                                  headers={"Content-Type": "text/xml; charset=UTF-8"})
        return httpx.Response(404, text="unknown endpoint")

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self))


@dataclass
class FakeClock:
    """A clock whose sleep only advances time (and records the sleeps)."""

    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def advance(self, seconds: float) -> None:
        self.now += seconds
