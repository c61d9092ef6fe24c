"""Where the pages of an article live: every link, redirect and API ``url`` is built here."""

from __future__ import annotations

from urllib.parse import quote

from curbside.articles.models import ArticleView
from curbside.domain import Audience


def article_path(slug: str, audience: Audience | str | None = None, *, printable: bool = False) -> str:
    """``/a/{slug}`` (``/print`` for paper), with ``?audience=`` when an audience is given."""
    path = f"/a/{quote(slug)}" + ("/print" if printable else "")
    return path if audience is None else f"{path}?audience={Audience(audience).value}"


def variant_path(slug: str) -> str:
    """Where a signed-in user asks for an audience's variant of an article (POST)."""
    return f"/a/{quote(slug)}/variant"


def view_path(view: ArticleView) -> str:
    """The page of the audience ``view`` shows; the clinician version (the default) needs no query."""
    return article_path(view.slug, None if view.audience == Audience.CLINICIAN else view.audience)
