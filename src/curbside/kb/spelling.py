"""Misspelled medicine and condition names in a question, read as the knowledge base spells them.

Patients write "Allopurinal", "benedryl" and "mycofenolate"; the sources write "allopurinol",
"Benadryl" and "mycophenolate", and neither the lexical index nor the question's concepts match a
misspelling. A word is corrected only when nothing knows it — not the knowledge base, not an
English dictionary (pyspellchecker's, which holds many medical words) — and exactly one word the
knowledge base uses more than once is that close to it, beginning with the same letter: one edit
for words of up to ten letters, two for longer ones. A look-alike medicine must never be guessed:
"miconazole" is two edits from "econazole", so it stays as written (too short for two edits, and
another first letter), and two candidates at the same distance are left alone. The rule prefers
not answering to answering about another medicine. Every correction is shown to the reader
(answer/service.py).

British spellings are read as the knowledge base spells them when it prints the American form far more often
(twenty times: a research abstract may write "oedema", the patient pages "edema"; "haemophilia" → "hemophilia"): the American form from breame's dictionary of
British and American spellings (Apache-2.0), else the word with its "ae"/"oe" written "e" (medical words that
dictionary lacks, "oedema", "ischaemia", "dyspnoea", when the medical vocabulary knows that form).

A term the medical vocabulary knows is never corrected, even when the knowledge base does not use
it and an English word is one edit away ("otitis externa" is not "otitis external"). That vocabulary
is a medical spelling dictionary, hunspell-en-med (Debian's package of OpenMedSpel and
MTH-Med-Spel-Chek, about 90,000 terms: drug, condition, anatomy and procedure names), read from
where Debian installs it; and the knowledge base's own names for its subjects (titles, synonyms:
``kb/synonyms.FocusIndex``): a word that makes a known name with its neighbours is left alone.
Without the medical dictionary (a laptop without Debian's package) only the knowledge base's names
guard medical terms, and a warning says which package to install.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

from breame.spelling import get_american_spelling
from rapidfuzz import distance, process

from curbside.ingest.text_repair import english_words
from curbside.kb.synonyms import FocusIndex

log = logging.getLogger(__name__)

#: Where hunspell-en-med puts its word list (Debian and Ubuntu; the myspell path on older ones).
MEDICAL_DICTIONARIES = (Path("/usr/share/hunspell/en_med_glut.dic"), Path("/usr/share/myspell/dicts/en_med_glut.dic"))

_WORD = re.compile(r"(?<![\w'’])[A-Za-z]{5,}(?![\w'’])")  # not part of "wouldn't"
_MIN_COUNT = 2  # a word the knowledge base uses once may be its own typo
_DIGRAPH = re.compile(r"(?<=[a-z])[ao]e(?=[a-z])|^[ao]e(?=[a-z])")  # "haem", "oedema": the British "ae"/"oe"
_LONG = 11  # letters from which two edits are allowed
_TYPO_RATIO = 20  # how much more often the sources print a spelling than a word they print once, for that to be a typo


class Spelling:
    """The knowledge base's vocabulary (words of five letters or more, with their counts)."""

    def __init__(self, counts: Counter[str] | None = None, *, texts: Callable[[], Iterable[str]] | None = None,
                 names: Callable[[], FocusIndex] | None = None,
                 medical: Callable[[], frozenset[str] | None] | None = None) -> None:
        self._counts = counts
        self._texts = texts  # read on first need when no counts are given
        self._choices: list[str] | None = None
        self._names = names  # the knowledge base's names for its subjects, read when a word would change
        self._medical = medical or medical_words

    @classmethod
    def reading(cls, texts: Callable[[], Iterable[str]], names: Callable[[], FocusIndex] | None = None) -> Spelling:
        """A vocabulary counted from ``texts()`` the first time a word needs it."""
        return cls(texts=texts, names=names)

    def _vocabulary(self) -> tuple[Counter[str], list[str]]:
        if self._counts is None:
            self._counts = _count(self._texts() if self._texts is not None else ())
        if self._choices is None:
            self._choices = [w for w, n in self._counts.items() if n >= _MIN_COUNT]
        return self._counts, self._choices

    def __len__(self) -> int:
        return len(self._vocabulary()[1])

    def correction(self, word: str) -> str | None:
        """The knowledge base's spelling of ``word`` (lower case), or None."""
        low = word.lower()
        if len(low) < 5:
            return None
        american = self._american(low)
        if american is not None:
            return american
        if _in_dictionary(low):
            return None
        medical = self._medical()
        if medical is not None and _known(low, medical):  # a medical term: left as written
            return None
        counts, choices = self._vocabulary()
        seen = counts.get(low, 0)
        if seen >= _MIN_COUNT or (seen and any(counts.get(form, 0) >= _MIN_COUNT for form in _singulars(low))):
            return None
        edits = 2 if len(low) >= _LONG else 1
        near = process.extract(low, choices, scorer=distance.Levenshtein.distance, score_cutoff=edits, limit=3)
        # typos keep the first letter; a word the sources print once is their own typo only beside the
        # name of a subject they print far more often ("allopurinal" once, "allopurinol" hundreds of times)
        found = [(w, d) for w, d, _i in near if w[0] == low[0] and (not seen or (
            counts[w] >= _TYPO_RATIO * seen and self._names is not None and self._names().word_frequency(w) > 0))]
        if not found:
            return None
        best = min(d for _w, d in found)
        nearest = [w for w, d in found if d == best]
        return nearest[0] if len(nearest) == 1 else None

    def _american(self, low: str) -> str | None:
        """The American spelling of a British word, when the knowledge base prints it far more often (the
        :data:`_TYPO_RATIO`) than the British one."""
        forms = [f for f in (get_american_spelling(low),) if f != low]
        folded = _DIGRAPH.sub("e", low)
        if folded != low and folded not in forms and self._medical_word(folded):  # not "canoes" → "canes"
            forms.append(folded)
        if not forms:
            return None
        counts = self._vocabulary()[0]
        seen = counts.get(low, 0)  # a research abstract may write it the British way
        return next((f for f in forms if counts.get(f, 0) >= max(_MIN_COUNT, _TYPO_RATIO * seen)), None)

    def _medical_word(self, low: str) -> bool:
        """A word of the medical vocabulary, or without it of a name the knowledge base gives a subject."""
        medical = self._medical()
        if medical is not None:
            return _known(low, medical)
        return self._names is not None and self._names().word_frequency(low) > 0

    def correct(self, text: str) -> tuple[str, list[tuple[str, str]]]:
        """``text`` with its misspelled words replaced, and each (as written, as corrected)."""
        fixes: list[tuple[str, str]] = []
        named: set[str] | None = None  # the words of the subject names ``text`` holds, read on first need

        def fix(match: re.Match[str]) -> str:
            nonlocal named
            word = match.group(0)
            right = self.correction(word)
            if right is None:
                return word
            if named is None:
                named = _words_of_names(self._names(), text) if self._names is not None else set()
            if word.lower() in named:  # part of a name the knowledge base gives a subject
                return word
            if word[:1].isupper():
                right = right[:1].upper() + right[1:]
            fixes.append((word, right))
            return right

        return _WORD.sub(fix, text), fixes


def _known(low: str, medical: frozenset[str]) -> bool:
    """A medical term, also in its plural or adverb form (the word list has no affix rules):
    "dysrhythmias", "postprandially"."""
    return low in medical or any(low.endswith(end) and low[:-len(end)] in medical for end in ("s", "es", "ly")) or (
        low.endswith("ies") and low[:-3] + "y" in medical)


def _singulars(low: str) -> list[str]:
    """The singular a plural may have ("nephropathies" → "nephropathy")."""
    forms = []
    if low.endswith("ies"):
        forms.append(low[:-3] + "y")
    if low.endswith("es"):
        forms.append(low[:-2])
    if low.endswith("s"):
        forms.append(low[:-1])
    return forms


def _words_of_names(names: FocusIndex, text: str) -> set[str]:
    """The words of every subject name ``text`` holds as whole words ("otitis externa")."""
    return {w for focus in names.find(text) for w in focus.name.split()}


@cache
def _medical_dictionary_as_written() -> frozenset[str] | None:
    """hunspell-en-med's terms as the dictionary writes them, read once; None when it is not installed."""
    for path in MEDICAL_DICTIONARIES:
        if path.is_file():
            return read_hunspell_words(path, keep_case=True)
    return None


@cache
def medical_words() -> frozenset[str] | None:
    """The medical dictionary's terms in lower case (hunspell-en-med), or None when it is not
    installed."""
    written = _medical_dictionary_as_written()
    if written is None:
        log.warning("No medical dictionary (%s): medical terms are guarded only by the knowledge base's own "
                    "names. Install Debian's hunspell-en-med package.", MEDICAL_DICTIONARIES[0])
        return None
    return frozenset(w.lower() for w in written)


@cache
def medical_common_nouns() -> frozenset[str]:
    """The medical dictionary's terms that it writes in lower case ("emphysema", not "Seoul" or "CVS"); empty when
    it is not installed."""
    return frozenset(w for w in _medical_dictionary_as_written() or () if w.islower())


def read_hunspell_words(path: Path, *, keep_case: bool = False) -> frozenset[str]:
    """The words of a hunspell ``.dic`` file, lower case, without their affix flags ("Aarskog/M");
    the count on its first line and the indented comment lines are skipped."""
    words: set[str] = set()
    with path.open(encoding="utf-8", errors="replace") as fh:
        next(fh, None)
        for line in fh:
            if not line.strip() or line[:1].isspace():
                continue
            word = line.split("/", 1)[0].strip()
            words.add(word if keep_case else word.lower())
    return frozenset(words)


def _count(texts: Iterable[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(w.lower() for w in _WORD.findall(text))
    return counts


def _in_dictionary(low: str) -> bool:
    """A word the English dictionary knows, also as a contraction or possessive written without
    its apostrophe ("doesnt", "youre", "anxietys")."""
    english = english_words()
    return any(form in english for form in (low, f"{low[:-1]}'{low[-1]}", f"{low[:-2]}'{low[-2:]}", f"{low[:-1]}'s"))
