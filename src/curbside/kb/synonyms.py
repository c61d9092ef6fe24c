"""Topic synonyms from the knowledge base: a patient's word → the health topic it names.

Built from the sources of the synonym-bearing collections (MedlinePlus health topics: title,
"also called" names, see-references and MeSH descriptors; drug labels: brand, generic and substance
names; all kept in ``Source.topics``). Question
analysis calls :meth:`TopicSynonyms.find_in` on a question to learn which topics it names and
their other names (e.g. "SEID" → "Myalgic Encephalomyelitis/Chronic Fatigue Syndrome" and
"Chronic fatigue syndrome"), and :meth:`TopicSynonyms.lookup` for one phrase.
"""

from __future__ import annotations

import gzip
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from curbside.domain import Source
from curbside.ingest.text_repair import english_words
from curbside.kb.drugs import dictionary
from curbside.kb.store import KnowledgeStore

#: Drug labels (openFDA, DailyMed) give brand, generic and substance names: "Lipitor" → atorvastatin.
SYNONYM_COLLECTIONS = ("medlineplus", "openfda", "dailymed")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_NON_ALNUM = re.compile(r"[^A-Za-z0-9]+")


#: A possessive "'s" (with an escaping backslash as some files write it): "Addison's disease" is "Addison disease".
_POSSESSIVE = re.compile(r"(?<=[a-z])\\?['’]s\b")


def key_of(phrase: str) -> str:
    """A name as names are compared: lower case, words of letters and digits, single spaces, no possessive
    "'s"."""
    return " ".join(_NON_WORD.sub(" ", _POSSESSIVE.sub("", phrase.lower())).split())


@dataclass(frozen=True)
class TopicNames:
    """One topic: its title, every name it goes by, and the source it came from."""

    title: str
    names: tuple[str, ...]
    source_id: str


class TopicSynonyms:
    """Name → topic lookups over a fixed set of topics."""

    def __init__(self, topics: Iterable[TopicNames]) -> None:
        self.topics = list(topics)
        self._by_name: dict[str, TopicNames] = {}
        for topic in self.topics:
            for name in (topic.title, *topic.names):
                key = key_of(name)
                if len(key) >= 3:
                    self._by_name.setdefault(key, topic)
        self._longest_first = sorted(self._by_name, key=len, reverse=True)

    @classmethod
    def from_sources(cls, sources: Iterable[Source], collections: Iterable[str] = SYNONYM_COLLECTIONS) -> TopicSynonyms:
        wanted = set(collections)
        return cls(TopicNames(s.title, tuple(t for t in s.topics if t != s.title), s.id)
                   for s in sources if s.collection in wanted)

    @classmethod
    def from_store(cls, store: KnowledgeStore) -> TopicSynonyms:
        """The topics of every synonym-bearing source in the knowledge base."""
        return cls.from_sources(store.iter_sources())

    def __len__(self) -> int:
        return len(self.topics)

    def lookup(self, phrase: str) -> TopicNames | None:
        """The topic one phrase names ("long covid", "SEID"), if any."""
        return self._by_name.get(key_of(phrase))

    def find_in(self, text: str) -> list[TopicNames]:
        """Topics whose names occur in ``text`` as whole words, longest name first, each once."""
        haystack = f" {key_of(text)} "
        found: list[TopicNames] = []
        for name in self._longest_first:
            if f" {name} " in haystack:
                topic = self._by_name[name]
                if topic not in found:
                    found.append(topic)
                haystack = haystack.replace(f" {name} ", " | ")
        return found

    def expansions(self, text: str) -> list[str]:
        """Every other name of the topics ``text`` names (for query expansion)."""
        key = key_of(text)
        out: list[str] = []
        for topic in self.find_in(text):
            for name in (topic.title, *topic.names):
                if key_of(name) not in key and name not in out:
                    out.append(name)
        return out


#: Kinds whose titles and topics name what a source is about (an abstract's title is a finding, not a focus).
FOCUS_KINDS = frozenset({"patient_education", "drug_label", "guideline", "board_reviewed", "systematic_review"})


def _salts(sources: Iterable[Source]) -> frozenset[str]:
    """Words that end the names of several labels' medicines (the salt or form: "sulfate", "sodium",
    "hydrochloride"), learned from the labels' own names."""
    last = Counter(key_of(n).split()[-1] for s in sources if s.kind.value == "drug_label"
                   for n in s.topics if len(key_of(n).split()) > 1)
    return frozenset(w for w, c in last.items() if c >= _SALT_COUNT)


def _without_salt(name: str, salts: frozenset[str]) -> str:
    """``name`` less the salt or form words that end it ("hydroxychloroquine sulfate" → hydroxychloroquine);
    empty when nothing is cut, or when only such words would be left ("sodium nitrite" is not *sodium*)."""
    words = key_of(name).split()
    while len(words) > 1 and words[-1] in salts:
        words = words[:-1]
    if len(words) == len(key_of(name).split()) or all(w in salts for w in words):
        return ""
    return " ".join(words)


_PARENTHESES = re.compile(r"\(([^()]+)\)\s*$")


def _other_drug_names(source: Source, salts: frozenset[str]) -> tuple[set[str], str]:
    """The other names (brands, other spellings) the medicine dictionary gives the one medicine a
    label is about, and its canonical name (empty when there is not one): the medicine its names
    (the generic name in parentheses after a brand, the title, its substance names; with or without
    the salt) all name — "Bupropion Hydrochloride" → "wellbutrin", "zyban" …. A label whose names
    name several medicines names none of theirs ("Trezix (acetaminophen, caffeine, …)" is not
    Tylenol), and an English word ("estrogen", "quinine") is kept only as the dictionary's brand name."""
    found = _PARENTHESES.search(source.title)
    drugs = dictionary()
    medicines = set()
    for name in (found.group(1) if found else source.title, *source.topics):
        for form in (key_of(name), _without_salt(name, salts)):
            if form and (medicine := drugs.canonical(form)) is not None:
                medicines.add(medicine)
                break
    if len(medicines) != 1:
        return set(), ""
    medicine = medicines.pop()
    words = english_words()
    return {n for n in drugs.other_names(medicine) if n not in words or drugs.is_brand(n)}, medicine


def _number_toggled(name: str) -> str:
    """A name of several words with its last word in the other number ("Cold Sores" is also "Cold
    Sore", "Kidney Stone" also "Kidney Stones"), as questions write it; empty for one word, a word
    that is not a plain plural or singular ("…ss", "…us", "…is") or a name that is not lower-case words."""
    head, _, last = name.rpartition(" ")
    if not head or not last.isalpha() or len(last) < 3 or last.lower().endswith(("ss", "us", "is")):
        return ""
    if len(last) == 3 and last.lower().endswith("s"):  # "Blood Gas" has no singular
        return ""
    if last.endswith("s"):
        return f"{head} {last[:-1]}"
    return f"{head} {last}s" if last.islower() or (last[:1].isupper() and last[1:].islower()) else ""


#: A one-word synonym of this many sources is checked against their titles (FocusIndex).
_AMBIGUOUS = 3
#: A word that ends this many medicine names of labels is a salt or form.
_SALT_COUNT = 2
_PAREN = re.compile(r"\s*\(([^()]*)\)\s*")


def name_variants(name: str) -> list[str]:
    """A name as titles write it and the shorter names inside it: "Hematuria (Blood in the Urine)"
    is also "Hematuria" and "Blood in the Urine"; "Parasites - Taeniasis" is also "Taeniasis"; "Zika Virus" is also
    "Zika"; "(P.A.D.)" is also "PAD"."""
    out = [name]
    inside = _PAREN.findall(name)
    bare = _PAREN.sub(" ", name).strip()
    if inside:
        out += [bare, *inside, *(d.replace(".", "") for d in inside if _DOTTED.fullmatch(d.strip()))]
    if " - " in bare:
        out.append(bare.rsplit(" - ", 1)[1])
    germ = _INFECTIONS.fullmatch(bare)  # "Chlamydia Infections" is chlamydia ("Viral Infections" stays whole)
    if germ and not germ.group(1).lower().endswith(_ADJECTIVE_ENDINGS):
        out.append(germ.group(1))
    return [n.strip() for n in out if n.strip()]


def conjoined(title: str) -> list[str]:
    """The two names a consumer topic's title joins with "and" around one shared first word or more: "Cleft Lip
    and Palate" → "Cleft Lip", "Cleft Palate"; "Hand Injuries and Disorders" → "Hand Injuries", "Hand Disorders".
    Not for a second part of more than one word ("Head and Neck Cancer", "Animal Diseases and Your Health") nor for
    the names of rare diseases, which join the features of one syndrome ("… with ptosis and parkinsonism")."""
    if title.count(" and ") != 1 or any(c in title for c in ",:()"):
        return []
    first, second = (part.split() for part in title.split(" and "))
    if len(first) < 2 or len(second) != 1:
        return []
    return [" ".join(first), " ".join([*first[:-1], *second])]


#: An acronym written with full stops ("P.A.D."), read as written without them.
_DOTTED = re.compile(r"(?:[A-Z]\.){2,}")
#: A page named for the infections one germ causes, or for the virus ("Zika Virus", "Zika virus infection"), and the
#: endings of words that describe rather than name.
_INFECTIONS = re.compile(r"([A-Za-z]+) (?:Virus(?: Infections?)?|Infections?)", re.IGNORECASE)
_ADJECTIVE_ENDINGS = ("al", "ic", "ous", "ed", "ary")


@dataclass(frozen=True)
class Focus:
    """What a question is about, as the knowledge base names it: the name found in the question,
    every other name of the same topic, and the sources about it."""

    name: str
    names: tuple[str, ...]
    source_ids: tuple[str, ...]


def _acronym_like(name: str) -> bool:
    """One word in capitals, or with capitals inside it ("ARM", "ChILD", "cblC"): written so, it names; in
    lower case it may be a plain word."""
    word = name.strip()
    return " " not in word and any(c.isalpha() for c in word) and (
        word.isupper() or any(c.isupper() for c in word[1:]))


#: A page's description that opens with its title and another name in brackets: MedlinePlus's "Pink Eye
#: (conjunctivitis) is inflammation of …", "High Blood Pressure (hypertension) …".
_DESCRIBED_AS = re.compile(r"^\s*(?P<title>[^()]{2,80}?)\s*\((?P<names>[^()]{3,60})\)")
#: One-word names from a description are kept from this length on.
_LONG_WORD = 8
_ALSO = re.compile(r"^(?:also called|also known as|or)\s+", re.IGNORECASE)


def described_names(source: Source) -> list[str]:
    """The other names a source's own description gives its title, in brackets after it ("Pink Eye
    (conjunctivitis) is …" → conjunctivitis; "AF or AFib" → both), less those written as acronyms ("AML",
    "ALL": read in lower case they may be plain words) and one-word names shorter than :data:`_LONG_WORD`
    letters ("period" for menstruation, "piles", "mono": everyday words)."""
    description = str(source.identifiers.other.get("meta_description", ""))
    found = _DESCRIBED_AS.match(description)
    if found is None or key_of(found.group("title")) != key_of(source.title):
        return []
    names = [_ALSO.sub("", part).strip(" ,.;") for part in re.split(r",|\s+or\s+", found.group("names"))]
    return [n for n in names if not _acronym_like(n) and (" " in key_of(n) or len(key_of(n)) >= _LONG_WORD)]


#: The other names MedQuAD's annotators give its pages' subjects (``scripts/build_medquad_synonyms.py``; CC BY 4.0).
ANNOTATED_NAMES = Path(__file__).resolve().parent / "data" / "medquad_synonyms.tsv.gz"


@cache
def _annotated() -> dict[str, tuple[str, ...]]:
    """A subject's name (:func:`key_of`) → its other names as MedQuAD annotates them."""
    if not ANNOTATED_NAMES.exists():
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for line in gzip.decompress(ANNOTATED_NAMES.read_bytes()).decode("utf-8").splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        focus, names = line.split("\t", 1)
        out[key_of(focus)] = tuple(n for n in names.split(" | ") if n)
    return out


def annotated_names(names: Iterable[str]) -> list[str]:
    """The other names MedQuAD's annotators give a subject called any of ``names`` ("Hypothyroidism" →
    "Underactive thyroid", "Myxedema"), in reading order where they are written as an index's inverted entries
    ("Cancer - thyroid", "Aneurysm, abdominal aortic" → "thyroid cancer", "abdominal aortic aneurysm"), less those a
    question could mean something else by, as for :func:`described_names`: one-word names shorter than
    :data:`_LONG_WORD` letters ("piles", "burp")."""
    table = _annotated()
    found = dict.fromkeys(_uninverted(other) for name in names for other in table.get(key_of(name), ()))
    # an entry inverted twice ("Infection - fungal - feet") is not read back into a name
    return [n for n in found if " - " not in n and (" " in key_of(n) or len(key_of(n)) >= _LONG_WORD)]


_INVERTED = re.compile(r"^(?P<head>[^,()-]+?)(?: - |, )(?P<modifier>[^,()-]+)$")


def _uninverted(name: str) -> str:
    """An index entry "Head - modifier" or "Head, modifier" as it is read: "modifier head"."""
    found = _INVERTED.match(name.strip())
    return f"{found.group('modifier')} {found.group('head')}" if found else name


#: A word before a name that makes it name something else ("non-Hodgkin", "non-celiac").
_NEGATING = (" non ",)


class FocusIndex:
    """Every name the knowledge base gives its subjects (titles, synonyms, brand and generic drug
    names, MedQuAD foci) → the sources about it. The one subject model questions are read with."""

    def __init__(self, sources: Iterable[Source]) -> None:
        by_name: dict[str, set[str]] = {}
        names_of: dict[str, set[str]] = {}  # source id → its names
        self.kinds: dict[str, str] = {}  # source id → its kind
        #: canonical name of a medicine (``kb.drugs``) → the labels about it alone (not a combination's)
        self.labelled: dict[str, set[str]] = {}
        kept = [s for s in sources if s.kind.value in FOCUS_KINDS]
        titles = {s.id: s.title for s in kept}
        numbered: set[str] = set()  # names only in the other number: not counted as names of their words
        salts = _salts(kept)
        for source in kept:
            self.kinds[source.id] = source.kind.value
            given = (source.title, *source.topics, *described_names(source),
                     *(conjoined(source.title) if curated(source.id) else ()))
            names = {v for n in (*given, *annotated_names(given)) for v in name_variants(n) if len(key_of(v)) >= 3}
            if source.kind.value == "drug_label":  # "hydroxychloroquine sulfate" is hydroxychloroquine
                names |= {b for n in names if (b := _without_salt(n, salts))}
                other, medicine = _other_drug_names(source, salts)  # "Wellbutrin" names a bupropion label
                names |= other
                if medicine:
                    self.labelled.setdefault(medicine, set()).add(source.id)
            other_number = {n for name in names if (n := _number_toggled(name))}
            numbered.update(key_of(n) for n in other_number - names)
            names |= other_number
            names_of[source.id] = names
            for name in names:
                by_name.setdefault(key_of(name), set()).add(source.id)
        for key, ids in list(by_name.items()):
            # one word that several sources give as a synonym without their titles holding it ("type",
            # "formerly") names none of them; a word their titles hold ("gangliosidosis") names those
            if " " in key or len(ids) < _AMBIGUOUS:
                continue
            holding = {sid for sid in ids if f" {key} " in f" {key_of(titles[sid])} "}
            for sid in ids - holding:
                names_of[sid].discard(next(n for n in names_of[sid] if key_of(n) == key))
            if holding:
                by_name[key] = holding
            else:
                del by_name[key]
        self._by_name = by_name
        self._names_of = names_of
        # names only ever written in capitals — all of them, or some inside the word — that other names use as a
        # plain word ("ARM" and "Arm Injuries", "PET" and "Pet Health", "ChILD" and "Child Development"): in a
        # question they name only when written as their sources write them
        written: dict[str, set[bool]] = {}
        self._writings: dict[str, set[str]] = {}
        plain: set[str] = set()
        for names in names_of.values():
            for name in names:
                caps = _acronym_like(name)
                written.setdefault(key_of(name), set()).add(caps)
                if caps:
                    self._writings.setdefault(key_of(name), set()).add(name.strip())
                plain.update(w.lower() for w in _NON_ALNUM.split(name) if w and not _acronym_like(w))
        # an acronym a title writes with full stops that is also an English word ("P.A.D.", "pad") names only so too
        dotted = {key_of(d.replace(".", "")) for source in kept for d in _PAREN.findall(source.title)
                  if _DOTTED.fullmatch(d.strip())} & english_words()
        self._acronyms = frozenset(k for k, kinds in written.items() if kinds == {True} and (k in plain or k in dotted))
        self._word_df: dict[str, int] = {}
        for key in by_name.keys() - numbered:
            for word in set(key.split()):
                self._word_df[word] = self._word_df.get(word, 0) + 1
        self._longest_first = sorted(by_name, key=lambda k: (-len(k.split()), -len(k)))

    def __len__(self) -> int:
        return len(self._by_name)

    def find(self, text: str) -> list[Focus]:
        """The subjects ``text`` names as whole words, longest name first; a name inside a longer
        one found is not found again ("type 2 diabetes" hides "diabetes")."""
        haystack = f" {key_of(text)} "
        capitals = f" {' '.join(_NON_ALNUM.split(text))} " if any(c.isupper() for c in text) else ""
        found: list[Focus] = []
        for key in self._longest_first:
            at = haystack.find(f" {key} ")
            while at >= 0 and haystack[: at + 1].endswith(_NEGATING):  # "non-Hodgkin lymphoma" is not Hodgkin's
                at = haystack.find(f" {key} ", at + 1)
            if at < 0:
                continue
            if key in self._acronyms and not self._as_written(key, text, capitals):
                continue  # "arm" in a sentence is an arm, "ARM" a name
            ids = tuple(sorted(self._by_name[key]))
            names = sorted({n for sid in ids for n in self._names_of.get(sid, ())}, key=len)
            found.append(Focus(key, tuple(names), ids))
            haystack = haystack.replace(f" {key} ", " | ")
        return found

    def _as_written(self, key: str, text: str, capitals: str) -> bool:
        """Whether ``text`` writes the acronym ``key`` as its sources do. A writer who never capitalises may mean
        an all-capitals one ("arm" for ARM); a name with capitals inside it ("ChILD") is never written in lower
        case by chance, so lower case is the plain word."""
        writings = self._writings[key]
        if not capitals:
            if all(w.isupper() for w in writings):
                return True
            capitals = f" {' '.join(_NON_ALNUM.split(text))} "
        return any(f" {w} " in capitals for w in writings)

    def covers_medicine(self, name: str, canonical: str) -> bool:
        """Whether a source of the knowledge base names the medicine ``canonical`` (``kb.drugs``)
        as ``name`` calls it: a label about it alone, or any source one of the two names finds — a
        combination's label holds it, and the dictionary may give one medicine two canonical names
        ("levothyroxine", and "thyroxine" for "levothyroxine sodium")."""
        return canonical in self.labelled or any(
            focus.source_ids for n in {key_of(name), key_of(canonical)} for focus in self.find(n))

    def word_frequency(self, word: str) -> int:
        """In how many names ``word`` occurs (a word many names share says little of a subject)."""
        return self._word_df.get(key_of(word), 0)

    @staticmethod
    def names_in(names: Iterable[str], text: str) -> bool:
        """True when one of ``names`` occurs in ``text`` as whole words (a title naming the focus)."""
        haystack = f" {key_of(text)} "
        return any(f" {key} " in haystack for n in names if len(key := key_of(n)) >= 3)


#: Source ids of the curated consumer health topics (MedlinePlus, in MedQuAD or ingested directly):
#: where an acronym names several topics, theirs is the one a patient means ("MS" → Multiple Sclerosis).
_CURATED = re.compile(r"^(?:medlineplus:|medquad:MPlusHealthTopics:)")


def curated(source_id: str) -> bool:
    """Whether a source is a curated consumer health topic (MedlinePlus)."""
    return bool(_CURATED.match(source_id))


_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]{1,5}$")
_ACRONYM_IN_TEXT = re.compile(r"\b([A-Z][A-Z0-9]{1,5})s?\b")
_DEFINED = re.compile(r"([A-Za-z][A-Za-z' -]{2,80}?)\s+\(([A-Z][A-Z0-9]{1,5})s?\)")


def own_acronyms(title: str, text: str) -> list[str]:
    """Acronyms ``text`` defines for ``title`` itself: "Sexually transmitted diseases (STDs)" on the
    page "Sexually Transmitted Diseases"; not one it defines for something else ("… caused by the
    human papillomavirus (HPV)" on "Genital Warts")."""
    want = key_of(title)
    out = []
    for match in _DEFINED.finditer(text):
        said = key_of(match.group(1))
        if any(said.endswith(form) for form in {want, want.removesuffix("s")} if form):
            out.append(match.group(2))
    return out


class Acronyms:
    """Acronyms the knowledge base's topics are also called ("PID" → Pelvic Inflammatory Disease),
    to spell them out in a retrieval query: the packaged embedding model does not know most of them."""

    def __init__(self, sources: Iterable[Source], openings: Mapping[str, str] | None = None) -> None:
        """``sources`` with their "also called" names; ``openings`` (source id → first passage) of the
        curated pages, where a page may spell out its own acronym ("Sexually transmitted diseases
        (STDs) are …") that its names leave out — else "STD" would name only a rare disease that
        lists it ("Spondylothoracic dysostosis")."""
        titles: dict[str, dict[str, tuple[bool, str]]] = {}
        openings = openings or {}
        for source in sources:
            is_curated = curated(source.id)
            names = [n for n in source.topics if _ACRONYM.match(n)]
            if is_curated and source.id in openings:
                names += own_acronyms(source.title, openings[source.id])
            for name in names:
                if key_of(name) != key_of(source.title):
                    options = titles.setdefault(name, {})
                    key = key_of(source.title)
                    if key not in options or is_curated:
                        options[key] = (is_curated, source.title)
        self._title: dict[str, str] = {}
        for name, options in titles.items():
            chosen = [title for flag, title in options.values() if flag]
            if len(chosen) == 1:
                self._title[name] = chosen[0]
            elif len(options) == 1:
                self._title[name] = next(iter(options.values()))[1]

    def __len__(self) -> int:
        return len(self._title)

    def spelled_out(self, text: str) -> list[str]:
        """Titles of the topics ``text`` names by an acronym written in capitals ("How is COPD treated?",
        "UTIs"), unless it spells them out already; an acronym that names several topics, none of
        them curated, is left alone."""
        have = key_of(text)
        out: list[str] = []
        for match in _ACRONYM_IN_TEXT.finditer(text):
            title = self._title.get(match.group(1))
            if title and key_of(title) not in have and title not in out:
                out.append(title)
        return out


_DRUG_NAMES = Path(__file__).resolve().parent / "data" / "drug_names.txt"


class DrugNames:
    """Names of medicines and supplements (``data/drug_names.txt``, from MedQuAD's drug pages), each
    also by its first word when the rest only says the form ("Dexamethasone Oral"): the words that
    end many names are forms, learned from the list itself."""

    def __init__(self, names: Iterable[str]) -> None:
        listed = [n for n in names if n.strip()]
        last = Counter(key_of(n).split()[-1] for n in listed if len(key_of(n).split()) > 1)
        forms = {w for w, c in last.items() if c >= _FORM_COUNT}
        keys: set[str] = set()
        for name in listed:
            key = key_of(name)
            keys.add(key)
            first, *rest = key.split()
            if rest and all(w in forms for w in rest):
                keys.add(first)
        self._longest_first = sorted(keys, key=lambda k: (-len(k.split()), -len(k)))

    @classmethod
    @cache
    def packaged(cls) -> DrugNames:
        """The packaged list, read once per process."""
        lines = _DRUG_NAMES.read_text(encoding="utf-8").splitlines() if _DRUG_NAMES.exists() else []
        return cls(line for line in lines if not line.startswith("#"))

    def find(self, text: str) -> list[str]:
        """The medicine names ``text`` says, longest first, each once."""
        haystack = f" {key_of(text)} "
        found = []
        for key in self._longest_first:
            if f" {key} " in haystack:
                found.append(key)
                haystack = haystack.replace(f" {key} ", " | ")
        return found


#: A word that ends this many listed names is a form ("oral", "injection", "topical"), not a name.
_FORM_COUNT = 8
