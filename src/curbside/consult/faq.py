"""Related FAQ: topics with a specialty label ("Lipoma (Plastic Surgery)").

A consult's topics are the focus terms of the knowledge-base sources that match its question
(MedQuAD focus, MeSH topics; the title when a source has none). Related FAQ lists the consult's
own topics and those of its similar consults; each is labelled with the specialty that replied
most often to published consults on that topic (else this consult's replying specialty) and links
to the consults and the articles on it.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import quote

from curbside.consult.models import Consult, FaqTopic
from curbside.consult.more_info import EVIDENCE_KINDS
from curbside.consult.store import ConsultStore
from curbside.domain import SearchFilters
from curbside.kb.service import KnowledgeBase

_TOPICS_PER_CONSULT = 3


def topics_for(kb: KnowledgeBase, question: str, *, min_similarity: float = 0.35) -> list[str]:
    """The focus terms of the sources nearest a question (at most three), from passages whose
    cosine similarity to the question reaches ``min_similarity`` (the answer pipeline's bar)."""
    if kb.is_empty():
        return []
    topics: list[str] = []
    for hit in kb.search(question, k=8, filters=SearchFilters(kinds=EVIDENCE_KINDS)):
        if hit.dense is None or hit.dense.score < min_similarity:
            continue
        topic = (hit.source.topics[0] if hit.source.topics else hit.source.title).strip()
        if topic and topic.lower() not in {t.lower() for t in topics}:
            topics.append(topic)
        if len(topics) == _TOPICS_PER_CONSULT:
            break
    return topics


def specialty_by_topic(store: ConsultStore, topics: list[str]) -> dict[str, str]:
    """topic (lower case) → the specialty that replied most to published consults on it, for
    ``topics`` only (one query over the consults that name them)."""
    wanted = {t.lower() for t in topics}
    counts: dict[str, Counter[str]] = {}
    for consult_topics, specialty in store.topic_specialties(sorted(wanted)):
        for topic in consult_topics:
            if topic.lower() in wanted:
                counts.setdefault(topic.lower(), Counter())[specialty] += 1
    return {topic: c.most_common(1)[0][0] for topic, c in counts.items()}


def related_faq(store: ConsultStore, consult: Consult, similar: list[Consult], *, limit: int) -> list[FaqTopic]:
    labels = specialty_by_topic(store, [t for source in [consult, *similar] for t in source.topics])
    fallback = consult.replies[0].specialty if consult.replies else ""
    out: list[FaqTopic] = []
    seen: set[str] = set()
    for source in [consult, *similar]:
        for topic in source.topics:
            key = topic.lower()
            if key in seen:
                continue
            seen.add(key)
            specialty = labels.get(key) or (source.replies[0].specialty if source.replies else fallback)
            out.append(FaqTopic(topic=topic, specialty=specialty, consults_url=f"/consults?topic={quote(topic)}",
                                articles_url=f"/search?q={quote(topic)}"))
            if len(out) == limit:
                return out
    return out
