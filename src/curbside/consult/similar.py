"""Similar Q&A: the published consults nearest a question, by the knowledge base's hybrid search.

Published consults are knowledge-base sources of kind ``consult`` (question and replies as
passages), so BM25 and the dense index both see them; passages are grouped by consult.
"""

from __future__ import annotations

from curbside.consult.models import Consult, ConsultState, SimilarConsult
from curbside.consult.store import ConsultStore
from curbside.domain import SearchFilters, SourceKind
from curbside.errors import NotFoundError
from curbside.kb.service import KnowledgeBase
from curbside.text import without_placeholders

SOURCE_PREFIX = "consult:"
_SNIPPET = 200
_QUERY_CHARS = 1200


def source_id(consult_id: int) -> str:
    return f"{SOURCE_PREFIX}{consult_id}"


def consult_id_of(source: str) -> int | None:
    if not source.startswith(SOURCE_PREFIX):
        return None
    try:
        return int(source[len(SOURCE_PREFIX):])
    except ValueError:
        return None


def snippet(text: str, limit: int = _SNIPPET) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "..."


def similar_ids(kb: KnowledgeBase, query: str, *, limit: int, exclude: int | None = None,
                mode: str = "hybrid", min_similarity: float = 0.0) -> list[tuple[int, float]]:
    """(consult id, best passage score) of the nearest consults, best first; with ``min_similarity``, only
    consults a passage of which reaches that cosine similarity to the query (a consult that shares only a
    word or two with it — an ankle X-ray for heartburn — is not similar)."""
    query = without_placeholders(query)  # "[NAME]", "[PHONE]": in every published consult, about none
    if not query.strip() or limit <= 0:
        return []
    hits = kb.search(query[:_QUERY_CHARS], k=max(limit * 6, 12), filters=SearchFilters(kinds=[SourceKind.CONSULT]),
                     mode=mode)
    best: dict[int, float] = {}
    for hit in hits:
        cid = consult_id_of(hit.source.id)
        if cid is None or cid == exclude or cid in best:
            continue
        if min_similarity and (hit.dense is None or hit.dense.score < min_similarity):
            continue
        best[cid] = hit.score
    return sorted(best.items(), key=lambda kv: -kv[1])[:limit]


def similar_consults(kb: KnowledgeBase, store: ConsultStore, consult: Consult, *, limit: int,
                     url_template: str, min_similarity: float = 0.0) -> list[SimilarConsult]:
    """Similar Q&A entries for a consult (its question and first reply as the query), each reaching
    ``min_similarity`` (:func:`similar_ids`)."""
    query = consult.question
    if consult.replies:
        query += "\n" + consult.replies[0].text
    out = []
    for cid, score in similar_ids(kb, query, limit=limit * 2, exclude=consult.id or None,
                                  min_similarity=min_similarity):
        try:
            other = store.get(cid)
        except NotFoundError:
            continue
        if other.state != ConsultState.PUBLISHED or not other.replies:
            continue
        reply = other.replies[0]
        out.append(SimilarConsult(id=other.id, title=other.title, question_snippet=snippet(other.question),
                                  doctor=reply.doctor, credentials=reply.credentials, specialty=reply.specialty, reply_snippet=snippet(reply.text),
                                  url=url_template.format(id=other.id), score=round(score, 4)))
        if len(out) == limit:
            break
    return out
