"""The composer registry: a name → factory table.

A factory takes the settings and returns a :class:`curbside.answer.base.Composer`. Factories
import their module lazily, so a composer whose module or dependencies are missing fails only when
chosen (and the answer service then falls back to the extractive composer, saying so in the
provenance). To add a composer, add one line to ``COMPOSERS``.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from curbside.answer.base import Composer
from curbside.answer.fallback import extractive_composer
from curbside.errors import InputError
from curbside.retrieval.embedder import Embedder
from curbside.settings import Settings

#: A factory gets the settings and the embedder that scores statements against the question
#: (None: no semantic scoring, e.g. with the test-only hash embedder).
ComposerFactory = Callable[[Settings, "Embedder | None"], Composer]


def _llm(settings: Settings, embedder: Embedder | None) -> Composer:
    from curbside.answer.compose.llm.composer import LLMComposer

    composer: Composer = LLMComposer(settings, fallback=extractive_composer(settings, embedder))
    return composer


COMPOSERS: dict[str, ComposerFactory] = {
    "extractive": extractive_composer,
    "llm": _llm,
}

DEFAULT = "extractive"


class ComposerName(StrEnum):
    """The registered composers by name (``curbside ask --composer``); kept equal to COMPOSERS."""

    EXTRACTIVE = "extractive"
    LLM = "llm"


def make_composer(name: str, settings: Settings, embedder: Embedder | None = None) -> Composer:
    """Build the named composer (InputError for an unknown name; other errors propagate)."""
    factory = COMPOSERS.get(name)
    if factory is None:
        raise InputError(f"Unknown composer {name!r}; use one of: {', '.join(sorted(COMPOSERS))}.")
    return factory(settings, embedder)
