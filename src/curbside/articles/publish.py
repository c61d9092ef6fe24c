"""Approved articles as knowledge-base sources, citable by later answers.

Each audience's approved version is one source of kind ``board_reviewed`` (publisher: the Medical
Advisory Board, evidence level expert), its Markdown sections the passages. Publishing is
idempotent: :func:`sync_article` makes the knowledge base hold exactly the article's approved
versions, so it can be run again after any failure.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from curbside.articles.models import ArticleVersion
from curbside.articles.render import kb_sections
from curbside.domain import Audience, EvidenceLevel, Identifiers, Source, SourceDocument, SourceKind
from curbside.kb.service import KnowledgeBase
from curbside.settings import Settings

COLLECTION = "articles"


def board_source_id(slug: str, audience: Audience) -> str:
    return f"board:{slug}:{audience.value}"


def board_document(
    settings: Settings, slug: str, question: str, version: ArticleVersion, reviewers: list[str]
) -> SourceDocument:
    """The knowledge-base document of an approved version."""
    answer = version.answer
    approved = version.approved_at or version.updated_at or datetime.now(UTC)
    source = Source(
        id=board_source_id(slug, version.audience),
        kind=SourceKind.BOARD_REVIEWED,
        title=answer.title or question,
        publisher=settings.articles.publisher,
        year=approved.year,
        url=settings.articles.article_url.format(slug=slug),
        attribution=("Reviewed by " + "; ".join(reviewers)) if reviewers else "",
        audience=version.audience,
        evidence_level=EvidenceLevel.EXPERT,
        identifiers=Identifiers(other={"article": slug, "version": str(version.number)}),
        topics=[question],
        collection=COLLECTION,
    )
    return SourceDocument(
        source=source, sections=kb_sections(answer), origin=f"article {slug} v{version.number}"
    )


def sync_article(
    kb: KnowledgeBase,
    settings: Settings,
    slug: str,
    question: str,
    approved: Mapping[Audience, tuple[ArticleVersion, list[str]]],
) -> None:
    """Make the knowledge base hold exactly ``approved`` (audience → version, reviewers)."""
    documents = [
        board_document(settings, slug, question, version, reviewers)
        for version, reviewers in approved.values()
    ]
    for audience in Audience:
        if (
            audience not in approved
            and kb.store.source(board_source_id(slug, audience)) is not None
        ):
            kb.store.delete_source(board_source_id(slug, audience))
    if documents:
        kb.add_documents(documents)  # unchanged documents are skipped by content hash
    kb.refresh()  # cheap when nothing is pending; finishes an interrupted earlier sync too
