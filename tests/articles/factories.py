"""Placeholder versions for workflow tests that need no evidence (neutral text, no medical claims)."""

from __future__ import annotations

from curbside.articles.models import VersionProvenance
from curbside.articles.store import Actor, ArticleRow, ArticleStore, NewVersion
from curbside.domain import Answer, AnswerItem, AnswerSection, Audience, CitedText, Intent, Provenance

SYSTEM = Actor(None, "test")


def placeholder(topic: str = "topic A", audience: Audience = Audience.CLINICIAN, text: str = "") -> NewVersion:
    answer = Answer(
        question=f"What about {topic}?", title=f"About {topic}", audience=audience, intent=Intent.GENERAL,
        bottom_line=CitedText(text=text or f"Passage about {topic}."),
        sections=[AnswerSection(heading="Overview", items=[AnswerItem(text=text or f"Item about {topic}.")])],
        disclaimer="Placeholder.",
        provenance=Provenance(composer="placeholder", composer_version="1", settings_hash="", retrieval_query=topic),
    )
    return NewVersion(audience=audience, answer=answer, evidence=[], provenance=VersionProvenance(reason="ask"))


def make_article(store: ArticleStore, topic: str = "topic A") -> ArticleRow:
    row, created = store.create_article(question=f"What about {topic}?", slug_base=f"What about {topic}?",
                                        thread_id=None, first=placeholder(topic), actor=SYSTEM, vector=None,
                                        embedding_model="")
    assert created
    return row
