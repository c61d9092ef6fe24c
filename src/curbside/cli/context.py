"""What the commands open: the knowledge base of the current settings."""

from __future__ import annotations

from curbside.cli.ui import progress_bars
from curbside.kb.health import require_healthy
from curbside.kb.packs import ensure_starter_pack
from curbside.kb.service import KnowledgeBase
from curbside.settings import load_settings


def open_kb(*, install_starter: bool = True, check_indexes: bool = False) -> KnowledgeBase:
    """The knowledge base of the current settings, with the starter pack installed on first use.

    ``check_indexes``: stop (IndexUnavailableError naming ``curbside kb rebuild``) when the indexes
    disagree with the database, rather than search an index that lost its passages."""
    settings = load_settings()
    kb = KnowledgeBase(settings)
    if install_starter and settings.starter_pack:
        with progress_bars() as progress:
            ensure_starter_pack(kb, progress=progress)
    if check_indexes:
        require_healthy(kb)
    return kb
