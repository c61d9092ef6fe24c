"""Sentences the knowledge base repeats across many sources: said of every subject, so of none.

A drug label's "Because clinical trials are conducted under widely varying conditions, adverse
reaction rates … cannot be directly compared …" (with an article more or less: a sentence is known
by its first words), a Medication Guide's "Call your doctor for medical
advice about side effects", a cancer summary's paragraph on clinical trials: each is printed in
dozens of sources. Which sentences those are is read off the knowledge base itself (a sentence, its
letters only, in at least :data:`MIN_SOURCES` distinct sources), not listed by hand, so a site's own
documents are read the same way. An answer quotes them only when nothing specific to its subject
says what was asked (``answer/compose/typed.py``): "This condition is inherited in an autosomal
recessive pattern …" is the whole answer on how a rare condition is inherited.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: A sentence printed in at least this many sources says nothing of any one of them.
MIN_SOURCES = 10
#: A sentence printed in this share of all sources is a database's furniture ("The first number of the
#: fraction is how many people had the symptom …"): never an answer, even when nothing else is quoted.
EVERYWHERE_SHARE = 0.1
#: Shorter sentences ("Tell your doctor.") are too short to be anyone's boilerplate paragraph.
MIN_CHARS = 40
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")
_NOT_LETTERS = re.compile(r"[^a-z]+")


#: Sources print the same sentence with an article more or less, and a medicine's name near its end.
_ARTICLES = frozenset({"a", "an", "the"})
#: A sentence is known by its first words …
KEY_WORDS = 12


def sentence_key(sentence: str) -> str:
    """A sentence by its first :data:`KEY_WORDS` words of letters (case, digits, punctuation, spacing
    and articles aside)."""
    return " ".join([w for w in _NOT_LETTERS.sub(" ", sentence.lower()).split() if w not in _ARTICLES][:KEY_WORDS])


class Boilerplate:
    """The sentences a knowledge base prints in many of its sources."""

    def __init__(self, keys: Iterable[str], everywhere: Iterable[str] = ()) -> None:
        self._keys = frozenset(keys)
        self._everywhere = frozenset(everywhere)

    @classmethod
    def reading(cls, texts: Iterable[tuple[str, str]], min_sources: int = MIN_SOURCES) -> Boilerplate:
        """Read (source id, passage text) pairs and keep the sentences at least ``min_sources``
        distinct sources print."""
        seen: dict[str, str | set[str]] = {}  # key → its one source, or the set once a second prints it
        sources: set[str] = set()
        for source_id, text in texts:
            sources.add(source_id)
            for sentence in _SENTENCE_END.split(text):
                if len(sentence) < MIN_CHARS:
                    continue
                key = sentence_key(sentence)
                held = seen.get(key)
                if held is None:
                    seen[key] = source_id
                elif isinstance(held, str):
                    if held != source_id:
                        seen[key] = {held, source_id}
                else:
                    held.add(source_id)
        counts = {k: len(v) for k, v in seen.items() if isinstance(v, set) and len(v) >= min_sources}
        return cls(counts, (k for k, n in counts.items() if n >= EVERYWHERE_SHARE * len(sources)))

    @property
    def everywhere(self) -> frozenset[str]:
        """The sentences printed in :data:`EVERYWHERE_SHARE` of all sources, each by :func:`sentence_key`."""
        return self._everywhere

    def printed_everywhere(self, sentence: str) -> bool:
        """Whether ``sentence`` is one of :attr:`everywhere`."""
        return len(sentence) >= MIN_CHARS and sentence_key(sentence) in self._everywhere

    @property
    def keys(self) -> frozenset[str]:
        """The repeated sentences, each by :func:`sentence_key`."""
        return self._keys

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, sentence: object) -> bool:
        return isinstance(sentence, str) and len(sentence) >= MIN_CHARS and sentence_key(sentence) in self._keys


#: A knowledge base that repeats nothing (logic tests, a composer called without one).
NO_BOILERPLATE = Boilerplate(())
