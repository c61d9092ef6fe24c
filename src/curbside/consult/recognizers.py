"""curbside's own Presidio recognizers, for what Presidio's defaults and spaCy miss.

Each recognizer is a small class around regular expressions (a named group ``id`` marks the part
to mask when a context word comes first):

- :class:`TitledNameRecognizer` — the capitalised words after "Dr.", "Mr.", "Nurse" … (any Latin
  script), or a census surname after a lower-case honorific ("dr wu"); an honorific is masked with the
  name (NAME);
- :class:`RomanizedNameRecognizer` — Chinese/Taiwanese names in Pinyin or Wade-Giles, surname from
  ``data/deid.toml`` plus a given name whose letters split into one or two romanised syllables
  ("Chen Wei-Ting", "Ke Fangxu", "Mei-Ling Lin") (NAME);
- :class:`InternationalPhoneRecognizer` — "+886 2 2345 6789", "0912-345-678", "(02) 2345-6789" (PHONE);
- :class:`RecordNumberRecognizer` — record, chart, account, licence, device, prescription and lot
  numbers after their label, with a code before them and digit groups after ("MRN 00123456",
  "Rx # RX 6620193", "MCD 55 3310 7781"), Taiwanese national IDs (ID);
- :class:`StreetAddressRecognizer` — street addresses in US/UK, European and Taiwanese English forms,
  units and lots, rural routes, intersections, ZIP, UK, Canadian, Australian, European and Indian
  postcodes, districts and villages (ADDRESS);
- :class:`PersonalDateRecognizer` — calendar dates with a day or a month ("March 3", "3 March
  2021", "the 3rd of May", "Fri, 12 Apr 2024", "Sat 6/1", "2022/03/24", "on 3/24"); a year alone
  is not matched (DATE);
- :class:`OldAgeRecognizer` — ages over 89, which Safe Harbor groups, in digits or words, in an
  age's context (AGE).

Presidio's own e-mail and URL recognizers validate domains with ``tldextract``, whose default
downloads the public suffix list; :class:`OfflineEmailRecognizer` and :class:`OfflineUrlRecognizer`
use the snapshot that ships inside ``tldextract`` instead (nothing is downloaded at run time).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import tldextract
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.predefined_recognizers import EmailRecognizer, UrlRecognizer

from curbside.consult.lexicons import is_plain_word, lexicons
from curbside.consult.name_words import census_name


class RegexRecognizer(EntityRecognizer):  # type: ignore[misc]
    """Regular expressions for one entity; the group ``id`` (when present) is the span masked."""

    ENTITY = ""
    SCORE = 0.8
    #: The regular expressions, tried in order (a leading ``(?i)`` ignores case); a recognizer whose
    #: expressions are built at run time passes them compiled instead.
    PATTERNS: tuple[str, ...] = ()

    def __init__(self, patterns: list[re.Pattern[str]] | None = None, name: str | None = None) -> None:
        self.patterns = patterns if patterns is not None else [re.compile(p) for p in self.PATTERNS]
        self.label: str = name or type(self).__name__
        super().__init__(supported_entities=[self.ENTITY], name=self.label, supported_language="en")

    def load(self) -> None:
        """Nothing to load: the patterns are compiled in the constructor."""

    def accept(self, text: str, match: re.Match[str]) -> bool:
        """Whether a match is an identifier (subclasses check more)."""
        return True

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        out: list[RecognizerResult] = []
        for pattern in self.patterns:
            for match in pattern.finditer(text):
                if not self.accept(text, match):
                    continue
                group = "id" if "id" in pattern.groupindex and match.group("id") else 0
                start, end = match.span(group)
                if end > start:
                    out.append(RecognizerResult(self.ENTITY, start, end, self.SCORE,
                                                recognition_metadata={"recognizer_name": self.label,
                                                                      "recognizer_identifier": self.id}))
        return out


def _english_word_only(words: list[str]) -> bool:
    """One English word that is no given name or surname ("Relapse", "Practitioner")."""
    from curbside.consult.name_words import english_frequency
    from curbside.consult.people import census_first_names, surnames, world_first_names

    first = words[0].rstrip(".").lower() if words else ""
    return (len(words) == 1 and first.isalpha() and first in english_frequency() and first not in census_first_names()
            and first not in surnames() and first not in world_first_names())


def alternation(words: tuple[str, ...] | list[str]) -> str:
    """The words as one regular-expression alternation, each escaped, longest first."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# --- names ------------------------------------------------------------------------------------

_CAP = r"[A-Z][a-zA-Z'’]*(?:-[A-Za-z][a-zA-Z'’]*)*"
#: A capitalised word of a name in any Latin script ("Sørensen", "Ní Bhriain", "O'Neill", "Eklund-Moss").
_UCAP = r"(?:[^\W\d_a-z](?:\.|[^\W\d_]*(?:['’-][^\W\d_]+)*))"
#: Honorifics written as abbreviations ("Dr.", "Mrs", "Fr."): part of the name as written, so masked with
#: it ("[NAME] said …"); word titles ("Nurse", "Sister", "Uncle") say who the person is and are kept.
_HONORIFICS = ("Dr", "Mr", "Mrs", "Ms", "Mx", "Miss", "Prof", "Fr", "Rev")
#: Particles inside a name after a title ("Nurse Pieter van der Merwe").
_PARTICLES = frozenset({"van", "von", "der", "den", "de", "du", "da", "dos", "di", "del", "della", "la", "le", "bin",
                        "binti", "bint", "ibn", "al", "el", "y"})


#: Roles and forms of address typed in lower case before a name: "coach reyes", "np ostrowski", "doña Ofelia".
_LOWER_ROLES = (r"coach|nurse|np|doc|sister|aunty|auntie|uncle|do[ñn]a|se[ñn]ora|sra|shri|smt|aling|tita|tito|"
                r"lola|lolo|kuya|bhai|didi|appachan|ammachi|gogo|mkhulu|oma|opa|abuela|abuelo|tía|tío")


_KIN_ROLE = re.compile(r"sister|aunty|auntie|uncle|aling|tita|tito|lola|lolo|kuya|bhai|didi|appachan|ammachi|gogo|"
                       r"mkhulu|oma|opa|abuela|abuelo|tía|tío")


class TitledNameRecognizer(RegexRecognizer):
    """The words after a title: capitalised ("Dr. Ingrid Sørensen", "Mr. R. T. Haddad"), or after an
    honorific typed in lower case a surname or given name of the census lists or a word that is no
    English word ("dr zhao", "dr. amundsen"). An honorific is masked with the name."""

    ENTITY, SCORE = "PERSON", 0.9

    def __init__(self) -> None:
        titles = alternation([t.rstrip(".") for t in lexicons().titles])
        honorifics = alternation(list(_HONORIFICS))
        particles = r"(?:(?:van|von|der|den|de|du|da|dos|di|del|della|la|le|bin|binti|bint|ibn|al|el|y)\s+)*"
        pattern = re.compile(rf"\b(?:(?P<honorific>{honorifics})|{titles})\.?\s+(?P<id>{_UCAP}(?:\s+{particles}{_UCAP}){{0,3}})")
        # and after a role or form of address typed in lower case ("coach reyes", "np haldane", "doña Ofelia")
        lower = re.compile(rf"(?<![\w.])(?i:(?P<honorific>{honorifics}|{_LOWER_ROLES}))\.?\s+(?P<id>[a-z][a-z'’-]+)\b")
        # a doctor known by an initial alone, at the end of a sentence: "f/u w/ dr k", "saw Dr. M."
        initial = re.compile(r"(?<![\w.])(?i:(?P<honorific>dr|doc))\.?\s+(?P<id>[A-Za-z])\.?(?=\s*(?:[,;!?)]|\.?\s*$|\.\s+[A-Z]))")
        role = re.compile(rf"(?<![\w.])(?P<honorific>(?i:{_LOWER_ROLES}))\.?\s+(?P<id>{_UCAP}(?:\s+{particles}{_UCAP}){{0,3}})")
        # initials after a patient's label ("Pt J.R.T."); a surname in capitals, a comma and the given name or
        # an initial after a label ("Pt: HAYASHI, Emiko", "Ordering: OKAFOR-BELL, T")
        # (any shape after the word "initials": "initials JKM", "initials M-AO", "initials: S.L.V.")
        initials = re.compile(r"\b(?:(?i:pt|patient|client|resident)\.?:?\s+(?P<id>(?:[A-Z]\.){2,4})|"
                              r"(?i:initials)\s*(?:(?i:are|were|is))?\s*:?\s+(?P<shape>(?:[A-Z]\.?){2,4}|[A-Z]+-[A-Z]+)(?![\w-]))")
        listed = re.compile(r"\b(?i:pt|patient|name|ordering|referring|attending|provider|physician|client|resident|"
                            r"requested\s+by|ordered\s+by)\s*:\s*(?P<id>[A-Z][A-Za-z'’-]+,\s*[A-Z](?:[a-z]+|\.|\b))")
        super().__init__([pattern, lower, initial, role, initials, listed])

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        out = []
        for pattern in self.patterns:
            pos = 0
            # titles may follow each other ("School Nurse Mrs. Okoro"): search again after a title refused
            while (match := pattern.search(text, pos)) is not None:
                pos = match.end()
                if "honorific" not in pattern.groupindex:
                    start, end = match.span("shape" if match.groupdict().get("shape") else "id")
                elif not self.accept(text, match):
                    pos = match.start() + 1
                    continue
                else:
                    from curbside.consult.people import common_words

                    words = match.group("id").split()
                    # shouted text: "MY GRANDAD IS NINETY-SIX" has no name after the title
                    cut = next((i for i, w in enumerate(words) if w.lower() in common_words()
                                and w.lower() not in _PARTICLES and (w[:1].isupper() or i == 0)), len(words))
                    words = words[:cut]
                    if not words or (match.group("id")[:1].isupper() and _english_word_only(words)):
                        pos = match.start() + 1
                        continue
                    while words and words[-1].endswith(".") and len(words[-1]) > 2:
                        words.pop()  # "Dr. Ke." at the end of a sentence: the full stop is no initial
                    end = match.start("id") + len(" ".join(words)) if words else match.end("id")
                    # the title is masked with the name: "Nurse Obi", "Sister Nomvula Dube", "Dr. Ke"; a relation
                    # typed in lower case is not ("my uncle [NAME]", "my lola [NAME]")
                    start = match.start()
                    if (match.group("honorific") or "").islower() and _KIN_ROLE.fullmatch(match.group("honorific")):
                        start = match.start("id")
                out.append(RecognizerResult(self.ENTITY, start, end, self.SCORE,
                                            recognition_metadata={"recognizer_name": self.label,
                                                                  "recognizer_identifier": self.id}))
        return out

    def accept(self, text: str, match: re.Match[str]) -> bool:
        from curbside.consult.name_words import unknown_word

        words = match.group("id").split()
        titles = {t.rstrip(".").lower() for t in lexicons().titles}
        if words[0].rstrip(".").lower() in titles:
            return False  # "Nurse Mrs. Okoro": the name follows the second title
        if len(words[0].rstrip(".")) == 1:
            return True  # an initial after "dr" (the pattern asks for the end of a sentence)
        if words[0].islower():
            from curbside.consult.name_words import english_frequency

            # "dr. o'connell-brandt": a part of a hyphenated or O' name will do; after a title any rare word
            # is a name too ("ms delacroix"), but not after a role that is also a word ("coach", "nurse")
            parts = [p for p in re.split(r"['’-]", words[0]) if len(p) > 1]
            honorific = match.group("honorific") or ""
            rare = honorific.lower().rstrip(".") in {h.lower() for h in _HONORIFICS} | {"np", "doc"}
            return any(census_name(p) or (rare and (unknown_word(p) or (len(p) >= 4 and english_frequency()[p] < 500)))
                       for p in parts) if parts else False
        if _english_word_only(words):
            return False  # "MS RELAPSE", "Nurse Practitioner": an English word after a title, not a name
        # "Dr. Google" and "Dr. Parkinson's disease" are not people.
        following = text[match.end():match.end() + 30].split()
        heads = lexicons().head_nouns
        return not (following and following[0].lower().strip(".,;:") in heads
                    and all(w.lower().rstrip("'’s") in lexicons().unambiguous_eponyms | lexicons().ambiguous_eponyms
                            for w in words))


_INITIAL = r"(?:zh|ch|sh|hs|ts|tz|sz|[bpmfdtnlgkhjqxrzcsyw])?"
_FINAL = (r"(?:iang|iong|uang|ueng|iung|ang|eng|ing|ong|ung|iao|ian|ien|ieh|uai|uan|uei|ueh|ai|ei|ao|ou|an|en|in|"
          r"un|ia|ie|iu|ua|uo|ui|ue|ih|eh|er|u|a|o|e|i|ü|v)")
_SYLLABLES = re.compile(rf"(?:{_INITIAL}'?{_FINAL}){{1,2}}", re.IGNORECASE)


def is_romanized_given_name(word: str) -> bool:
    """Whether a word splits into one or two romanised Chinese syllables ("Wei-Ting", "Fangxu")."""
    letters = word.replace("-", "").replace("‐", "")
    return bool(letters) and _SYLLABLES.fullmatch(letters) is not None


class RomanizedNameRecognizer(RegexRecognizer):
    ENTITY, SCORE = "PERSON", 0.75

    def __init__(self) -> None:
        surnames = alternation(lexicons().surnames)
        given = r"[A-Z][a-zü]+(?:[-‐][A-Za-zü][a-zü]*)?"
        self._given = re.compile(given)
        super().__init__([
            # Surname first: "Chen Wei-Ting", "Ke Fangxu", "Lin Mei Ling".
            re.compile(rf"\b(?P<id>(?:{surnames})\s+{given}(?:\s+[A-Z][a-z]+)?)\b"),
            # Given name first, joined or hyphenated: "Wei-Ting Chen", "Xiaoming Wang".
            re.compile(rf"\b(?P<id>{given}\s+(?:{surnames}))\b"),
        ])

    def accept(self, text: str, match: re.Match[str]) -> bool:
        words = match.group("id").split()
        surnames = set(lexicons().surnames)
        if words[0] in surnames:
            given = words[1:]
            # A third capitalised word must itself be a syllable ("Lin Mei Ling"), else drop it.
            if len(given) == 2 and not is_romanized_given_name(given[1]):
                given = given[:1]
            if not all(is_romanized_given_name(g) for g in given):
                return False
            # Two separate one-syllable words after a surname ("Li Han") need no more proof; a
            # single one-syllable word could be English ("Lin Said"), so it must be a syllable.
            return given[0].lower() not in lexicons().head_nouns
        first = words[0]
        # Given-first order only for unmistakable given names (hyphenated or two syllables).
        return is_romanized_given_name(first) and ("-" in first or len(first) >= 6)


# --- phones, numbers, addresses, dates, ages ----------------------------------------------------

_EXT = r"(?:\s*(?:ext\.?|extension|x|#)\s*\d{1,5})?"


class InternationalPhoneRecognizer(RegexRecognizer):
    ENTITY, SCORE = "PHONE_NUMBER", 0.7
    PATTERNS = (
        rf"(?<![\w/])(?:\+|00)\d{{1,3}}[\s.-]?(?:\(0?\d{{1,4}}\)|\d{{1,4}})(?:[\s.-]?\d{{2,4}}){{1,4}}{_EXT}(?![\w/])",
        rf"(?<![\w/])\(0?\d{{1,4}}\)\s?\d{{3,4}}[\s.-]?\d{{3,4}}{_EXT}(?![\w/])",
        rf"(?<![\w/.])0\d{{1,3}}[\s-]\d{{3,4}}[\s-]\d{{3,4}}{_EXT}(?![\w/])",
        rf"(?<![\w/.])09\d{{8}}{_EXT}(?![\w/])",
        rf"(?<![\w/.])\d{{3}}[\s.-]\d{{3}}[\s.-]\d{{4}}{_EXT}(?![\w/])",
        # a local number without its area code after a phone's word: "office number is 555-0148"
        rf"(?i)\b(?:phone|tel|telephone|cell|mobile|office|number|call|text|fax|ext)\b[^.\d]{{0,20}}?"
        rf"(?<![\w/.-])(?P<local>\d{{3}}-\d{{4}}){_EXT}(?![\w/-])",
        # an extension alone ("bleep him on ext. 4471"); a local number closing the message ("… lol?? 555-0162")
        r"(?i)\b(?:ext|extn|extension)\.?\s*#?\s*\d{2,5}\b",
        r"(?<![\w/.-])(?P<local>\d{3}-\d{4})\s*[.!]?\s*$",
    )

    def accept(self, text: str, match: re.Match[str]) -> bool:
        return ("local" in match.re.groupindex or match.group(0)[:1].isalpha()
                or sum(ch.isdigit() for ch in match.group(0)) >= 8)

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        out = super().analyze(text, entities, nlp_artifacts)
        for pattern in self.patterns:  # the local number alone, not the word before it
            if "local" in pattern.groupindex:
                spans = {(m.start(), m.end()): m.span("local") for m in pattern.finditer(text)}
                for r in out:
                    if (r.start, r.end) in spans:
                        r.start = spans[(r.start, r.end)][0]
        return out


#: The labels a medical record number follows ("MRN", "chart no.", "patient ID"): pattern text.
LABEL = (
    r"MRNs?|MR\s?#|medical\s+record(?:\s+(?:number|no\.?|#))?|chart(?:\s+(?:number|no\.?|#))?|"
    r"records?\s+(?:number|no\.?|#)|patient\s+(?:ID|number|no\.?|#)|hospital\s+(?:number|no\.?|ID|#)|"
    r"case\s+(?:number|no\.?|#)|(?:national\s+)?ID(?:\s+(?:card\s+)?(?:number|no\.?|#))?|"
    r"account(?:\s+(?:number|no\.?|#))?|acct\.?(?:\s+(?:number|no\.?|#))?|policy(?:\s+(?:number|no\.?|#))?|"
    r"member\s+(?:ID|number|no\.?|#)|insurance\s+(?:ID|number|no\.?|card(?:\s+number)?|#)|"
    r"(?:driver'?s\s+)?licen[cs]e(?:\s+(?:plate|number|no\.?|#))?|plate(?:\s+number)?|"
    r"serial(?:\s+(?:number|no\.?|#))?|device\s+(?:ID|serial|number|no\.?)|"
    r"NHI(?:\s+(?:card|number|no\.?))*|passport(?:\s+(?:number|no\.?))?|SSN|"
    r"social\s+security(?:\s+number)?|beneficiary\s+(?:number|no\.?|ID)|certificate\s+(?:number|no\.?)|"
    r"registration\s+(?:number|no\.?)|admission\s+(?:number|no\.?)|visit\s+(?:number|no\.?)|"
    r"claim(?:\s+(?:number|no\.?|ID|#|file))?|employee\s+(?:ID|number|no\.?)|student\s+(?:ID|number|no\.?)|"
    # other countries' and payers' numbers: "Aadhaar", "PPS", "IC", "HKID", "OHIP", "RAMQ", "medical aid no.",
    # "Hosp No", "IP No.", "S/N", "group"
    r"aadhaa?r(?:\s+(?:number|no\.?))?|PPSN?(?:\s+(?:number|no\.?))?|NRIC|IC(?:\s+(?:number|no\.?))?|HKID|OHIP|RAMQ|"
    r"medical\s+aid(?:\s+(?:number|no\.?))?|hosp(?:ital)?\.?\s+(?:no\.?|number|#)|IP\s+(?:no\.?|number)|UHID|"
    r"SN|S/N|group(?:\s+(?:number|no\.?|#|ID))?|NI\s+number|national\s+insurance(?:\s+number)?|"
    r"Medicare(?:\s+(?:number|no\.?|ID|card))?|Medicaid(?:\s+(?:number|no\.?|ID|card))?|"
    r"(?:test\s+|lab\s+|pathology\s+)?report\s*(?:number|no\.?|ID|#)?|"
    r"Rx(?:\s+(?:number|no\.?|#))?|prescription\s+(?:number|no\.?|#)|lot(?:\s+(?:number|no\.?|#))?|"
    r"(?:beneficiary\s+)?identifier|"
    # references and other countries' numbers: "Ref", "RUT", "DNI", "codice fiscale", "PhilHealth", "cédula", "car reg"
    r"ref(?:erence)?(?:\s+(?:number|no\.?|#))?|RUT|DNI|NIE|CURP|CPF|codice\s+fiscale|PhilHealth|c[ée]dula(?:\s+prof\.?)?|"
    r"(?:car\s+)?reg(?:istration)?(?:\.?\s+(?:no\.?|number|#))?|insurance|transmitter|receiver|"
    # any acronym before "number" in a language: "ABHA number", "CPR nummer", "NHIS No.", "BSN nr."; a health card
    r"(?-i:[A-Z]{2,6})\s+(?:number|no\.?|nummer|num[ée]ro|nr\.?|n[º°]\.?)|(?:health|care)\s+card|"
    r"serials|CDL|(?:health|care)\s+(?:card\s+)?(?:number|no\.?|#)|(?:VA\s+)?file|"
    r"pacemaker\s+serial|accession(?:\s+(?:number|no\.?|#))?|specimen\s+(?:number|no\.?|ID)|file\s+(?:number|no\.?)|implant\s+(?:ID|serial)|VIN|vehicle\s+(?:ID|number)"
)


class RecordNumberRecognizer(RegexRecognizer):
    ENTITY, SCORE = "RECORD_NUMBER", 0.85
    PATTERNS = (
        # after a label; a short code before the number belongs to it ("Rx # RX 6620193", "serial SN 7H2K-99310-QX"),
        # and so do groups of digits after it ("MCD 77 4410 9921")
        rf"(?i)\b(?:{LABEL})(?![a-z])(?:\s+(?:is|was))?\s*[:#=]?\s*(?P<id>(?-i:(?:[A-Z]{{2,4}}|i[A-Z]{{3,}})\s+(?=\d)|[A-Z]{{2,4}}#)?"
        rf"(?:[A-Z0-9][A-Z0-9./-]{{2,}}[A-Z0-9]|\d{{2,}}(?=\s\d))(?:\s\d[\dA-Z-]*\d(?!\s*(?:mg|ml|mcg|units?)\b))*)\b",
        # a code and dashed groups of digits: "iPLEDGE 5520-913-447", "PHX 12-3344-09"
        r"\b(?P<id>(?:[A-Z]{2,4}|i[A-Z]{3,})\s+\d{3,5}(?:-\d{3,}){1,3})\b",
        r"\b(?P<id>[A-Z][12]\d{8})\b",  # Taiwanese national ID
        r"(?<![\w/])#(?P<id>\d{5,})\b",
        r"\b(?P<id>[A-Z]{1,4}-?\d{6,})\b",
        r"\b(?P<id>[A-Z]{1,4}(?:-\d{2,}){2,})\b",  # "GT-2023-114455"
        # "IP/24/00917", a hospital's, ward's and year's codes before the number ("GHX/ENT/2023/00417")
        r"\b(?P<id>[A-Z]{1,5}(?:/[A-Z]{1,5})*/(?:\d{2,4}/)?\d{3,})\b",
        r"\b(?P<id>[A-Z]{2,4}\.\d{5,})\b",  # "KLM.4418203"
        r"\b(?P<id>\d{7,}[A-Z]{1,2})\b",  # "7730412WA" (an Irish PPS number)
        r"\b(?P<id>[A-Z]{1,2}\d{6}\s?\([\dA]\))",  # "K482917(3)" (a Hong Kong identity card)
        r"(?<![\w/-])(?P<id>\d{6}-\d{2}-\d{4})(?![\w/-])",  # "850217-14-5526" (a Malaysian identity card)
        r"(?<![\w/-])(?P<id>\d{3,5}(?:-\d{2,5}){1,3}-[A-Z]{1,3})\b",  # "5584-229-117-KT" (a health card)
        r"(?<![\w/.+-])(?P<id>\d{8,})(?![\w/])",
        # codes by their shape alone: letters and dashes before digits ("QX-REF-55190"), capitals and four digits or
        # more mixed ("KRSMNL80A01H501U", "TX4471-99Z"), digit groups of nine digits or more ("21-334455667-8"),
        # a Chilean RUT ("12.345.678-5")
        r"\b(?P<id>[A-Z]{2,4}(?:-[A-Z]{2,4})*-\d{5,})\b",
        r"\b(?!\d{1,2}-[A-Z]{3}-\d{2,4}\b)(?P<id>(?=[A-Z0-9-]{8,}\b)(?=(?:[A-Z-]*\d){4})(?=(?:[0-9-]*[A-Z]){2})[A-Z0-9]+(?:-[A-Z0-9]+)*)\b",
        r"(?<![\w/.-])(?P<id>\d{1,3}-\d{6,}-\d{1,2})(?![\w/-])",
        r"(?<![\w/.-])(?P<id>\d{1,2}\.\d{3}\.\d{3}-[\dkK])(?![\w/-])",
    )

    def accept(self, text: str, match: re.Match[str]) -> bool:
        token = str(match.group("id"))
        # A year after a label ("report 2023") is not a record number; a plate ("plate is KDX4R") may
        # have one digit.
        digits = sum(ch.isdigit() for ch in token)
        plate = re.search(r"(?i)(?:plate|licen[cs]e|reg|transmitter|receiver|serial)\W*(?:number\W*)?(?:is\W*|was\W*)?$",
                          text[:match.start("id")])
        enough = digits >= 3 or (plate is not None and digits >= 1 and len(token) >= 5 and token.isupper())
        # after an acronym of no known label ("ABHA number"), a number of some length or with separators, not a
        # count ("HIV number 1500")
        acronym = re.search(r"\b[A-Z]{2,6}\s+(?i:number|no\.?|nummer|num[ée]ro|nr\.?|n[º°]\.?)\W*$", text[:match.start("id")])
        if acronym and digits < 6 and not re.search(r"[-/.\s]", token):
            return False
        # nor is a value ("ID 12.5") or a fraction
        return enough and re.fullmatch(r"(?:19|20)\d{2}|\d+\.\d{1,2}|\d+/\d+", token) is None


_STREET = (r"Street|St|Road|Rd|Avenue|Ave|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Alley|"
           r"Aly|Highway|Hwy|Parkway|Pkwy|Circle|Cir|Square|Sq|Crescent|Close|Gardens|Plaza|Row|Walk")
_UNIT = r"(?:,?\s*(?:Apartment|Apt|Suite|Ste|Unit|Floor|Fl|Room|Rm|Lot|#)\.?\s*[\w-]+)?"
_WORDS = r"(?:[A-Z][a-zA-Z'.-]*\s+){1,4}"
_TW_PART = (r"(?:(?:Ln|Lane|Aly|Alley|Sec|Section)\.?\s*\d+|\d+F|\d+(?:st|nd|rd|th)?\s+Fl(?:oor)?\.?|"
            rf"(?:[A-Z][a-zA-Z]*\.?\s+){{1,3}}(?:{_STREET})\.?|[A-Z][a-z]+\s+(?:Dist|District)\.?)")


#: A unit written before the house number ("Unit 4 12 Kerr Street", "Flat 2, 9 Mill Lane"), with a named
#: building after it ("Flat 12B, Marlowe House, 44 Canal Street"); the number itself may carry a unit after a
#: slash ("4/12 Kerr Street", "Unit 7/22 Kerr Street", Australian style).
_UNIT_FIRST = (r"(?:(?:Apartment|Apt|Flat|Unit|Suite|Ste|Room|Rm|Lot)\.?\s*(?:\d+[A-Za-z]?,?\s+"
               r"(?:(?:[A-Z][a-z]+\s+){1,2}(?:House|Court|Mansions|Building|Tower|Lodge|Apartments|Flats),?\s+)?|(?=\d+/\d+)))?")
#: A capitalised word in any Latin script ("Érables", "Saint-Martin").
_UPPER_WORD = r"(?:[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’-]*\b)"
_NUMBER = r"\d{1,6}[A-Za-z]?(?:[-/]\d+)?"


@cache
def street_types() -> tuple[str, ...]:
    """Every street suffix of USPS Publication 28, Appendix C1 (primary names, common and standard
    abbreviations: "Point", "Forks", "Stravenue", "Xing"), as the ``pyap2`` address parser ships them
    (MIT), less the core suffixes of ``_STREET`` and abbreviations that are English words ("Is")."""
    from pyap.source_US.data import street_type_list

    core = set(_STREET.split("|"))
    out = set()
    # and the British and Commonwealth ones pyap2 lists for Great Britain ("Parade", "Estate", "Causeway")
    from pyap.source_GB.data import street_type as gb_street_type

    out |= {w for w in re.findall(r"#\s*([A-Z][a-z]+)\s*$", gb_street_type, re.M) if w not in core}
    for entry in street_type_list:
        entry = re.sub(r"\(\?[!=].*?\)", "", entry).replace("\\ ", " ")
        if re.fullmatch(r"[A-Z][a-z]+(?: [A-Z][a-z]+)?", entry) and entry not in core and entry.lower() not in _NOT_SUFFIXES:
            out.add(entry)
    return tuple(sorted(out, key=len, reverse=True))


#: Things counted in thousands, capitalised at times: not a town after a postcode.
_NOT_TOWNS = frozenset({"units", "iu", "steps", "calories", "kcal", "people", "dollars", "euros", "cells", "copies"})
#: USPS abbreviations that are English words far more often than street names.
_NOT_SUFFIXES = frozenset({"is", "un", "via"})


class StreetAddressRecognizer(RegexRecognizer):
    """Street addresses. The core suffixes (``_STREET``) need only capitalised words before them; the
    rest of USPS Publication 28's ("123 Cedar Point", "9 Mill Forks") also need those words to be
    no stop word, unit or medical word ("5 Miles In The Park" in shouted text is not an address)."""

    ENTITY, SCORE = "STREET_ADDRESS", 0.8
    PATTERNS = (
        rf"\b{_UNIT_FIRST}{_NUMBER},?\s+(?:[NSEW]\.?\s+)?{_WORDS}(?:{_STREET})\b\.?(?:\s+(?:[NSEW]\b\.?|North|South|East|West))?{_UNIT}",
        # Streets named before their number's words: "14 Rue de la Paix", "3 Via Roma", "402-1530 boul. Saint-Martin
        # Ouest" (a unit before the number), "1187 rue des Érables".
        rf"\b\d{{1,5}}(?:-\d{{1,5}})?,?\s+(?i:Rue|Via|Calle|Avenida|Chemin|Boulevard|boul\.?|bd\.?|av\.?|Strada|Rua|"
        rf"rang|allée|impasse|quai|cours)\s+(?:(?:des|del|dos|du|di|da|de|la|le)\s+|l['’]|{_UPPER_WORD}\s*){{1,5}}{_UNIT}",
        # Canadian postal codes (the letters Canada Post uses, as pyap2 lists them): "K1A 0B1".
        r"\b[ABCEGHJKLMNPRSTVXY]\d[ABCEGHJKLMNPRSTVWXYZ] ?\d[ABCEGHJKLMNPRSTVWXYZ]\d\b",
        # Australian state and postcode: "NSW 2150".
        r"\b(?:NSW|VIC|QLD|SA|WA|TAS|NT|ACT)\s+\d{4}\b",
        # A postcode before the town, after a comma (European order): ", 75019 Paris", ", 60325 Frankfurt".
        r",\s*(?P<id>\d{4,5}\s+(?P<town>[A-Z][a-zà-ÿ]{2,}))\b",
        # An Indian PIN code after the town: "Pune 411001", "Noida - 201301"; a sector: "Sector 21".
        r"\b[A-Z][a-z]{2,},?\s+(?:-\s+)?(?P<id>[1-9]\d{5})\b(?![\d-])",
        r"\bSector\s+\d{1,3}\b",
        # Rural routes: "Rural Route 7, Box 19", "RR 4, Site 2, Comp 9", "RR 2 BOX 118"; highway contract routes
        # with their box: "HC 64 Box 21".
        r"(?i)\b(?:Rural\s+Route|R\.?R\.?)\s*\d+(?:,?\s*(?:Box|Site|Comp|Compartment)\s*\d+)*\b",
        r"\b(?:HC|H\.C\.|Highway\s+Contract)\s*\d+,?\s*(?i:Box)\s*\d+\b",
        # Irish Eircodes: a routing key and four characters, a digit among them ("D02 X285", "A98 K2C4").
        r"\b(?:[AC-FHKNPRTV-Y]\d{2}|D6W)\s?(?=[0-9AC-FHKNPRTV-Y]{0,3}\d)[0-9AC-FHKNPRTV-Y]{4}\b",
        # A numbered avenue or street named by a letter: "415 Avenue H South", "12 Street B".
        r"\b\d{1,6}\s+(?:Avenue|Ave|Street|St|Road|Rd)\.?\s+[A-Z0-9]{1,2}\b(?:\s+(?:North|South|East|West|N|S|E|W|NE|NW|SE|SW)\b)?",
        # A numbered route after "on", "off", "along": "the diner on Route 9".
        r"\b(?:on|off|along)\s+(?P<id>(?:Route|Rte|Highway|Hwy|State\s+Route|County\s+Road)\s*\d{1,4}[A-Z]?)\b",
        # An intersection: "Elm St and 5th Ave", "King Street & Queen Street".
        rf"\b(?:[A-Z][a-z]+\s+|\d+(?:st|nd|rd|th)\s+){{1,2}}(?:{_STREET})\.?\s+(?:and|&)\s+(?:[A-Z][a-z]+\s+|\d+(?:st|nd|rd|th)\s+){{1,2}}(?:{_STREET})\b\.?",
        # A street without a number after "on" or "off": "the pharmacy on Grand Ave" ("Dr" is a title there).
        r"\b(?:on|off)\s+(?P<id>(?:[A-Z][a-z]+\s+){1,2}(?:Street|St|Road|Rd|Avenue|Ave|Boulevard|Blvd|Lane|Ln|Way|Terrace|Crescent|Close))\b\.?",
        # with a direction and an ordinal ("on E 14th St", "off W. 3rd Street"), or in lower case ("on broad st")
        r"\b(?i:on|off)\s+(?P<id>(?:[NSEW]\.?\s+)?\d{1,3}(?:st|nd|rd|th)\s+(?:Street|St|Avenue|Ave)\b\.?)",
        r"\b(?:on|off)\s+(?P<id>(?!(?:the|a|my|this|that|your|our|their|his|her)\s)[a-z]{3,}\s+(?:street|st|avenue|ave|road|rd)\b)(?!\s*\w*\s*(?:mg|ml))",
        rf"\b(?:No\.|Number)\s*\d+(?:-\d+)?(?:,?\s*{_TW_PART})+",
        rf"\b(?:(?:Ln|Lane|Aly|Alley|Sec|Section)\.?\s*\d+,?\s*){{1,3}}(?:[A-Z][a-zA-Z]*\.?\s+){{1,3}}(?:{_STREET})\b\.?",
        # Street name before the number: "Via Roma 15", "Hauptstraße 5".
        r"\b(?:Via|Viale|Piazza|Corso|Rue|Calle|Avenida|Rua|Strada)\s+(?:[A-Z][\w'-]*\s+){1,3}\d{1,4}[a-z]?\b",
        r"\b[A-Z][a-zäöüß]+(?:straße|strasse|weg|platz|gasse|allee|laan|straat|gatan|vej)\s+\d{1,4}[a-z]?\b",
        # Singapore HDB blocks and units: "Blk 123 Ang Mo Kio Ave 3, #05-67", "Singapore 560123".
        rf"\bBlk\.?\s*\d+[A-Z]?\s+(?:[A-Z][\w]*\s+){{1,4}}(?:{_STREET}|Cres)\b\.?(?:\s+\d+)?(?:,?\s*#\d{{1,3}}-\d{{1,4}})?",
        r"(?<![\w#])#\d{1,3}-\d{1,4}\b",
        r"\bSingapore\s+\(?\d{6}\)?",
        r"\b\d{5}-\d{4}\b",
        r"\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b",
        r"\b(?:[A-Z][a-z]+\s){1,2}(?:District|Dist\.|Township|Village|County|Borough|Ward|Neighbou?rhood)\b",
        r"(?i)\b(?:zip|postal|post|pin)\s*(?:code)?(?:\s+(?:is|was|=))?\s*:?\s*(?P<id>\d{3,6}(?:-\d{4})?)\b",
        r"(?i)\bP\.?\s?O\.?\s+Box\s+\d+\b",
    )

    def __init__(self) -> None:
        more = re.compile(rf"\b{_UNIT_FIRST}{_NUMBER},?\s+(?:[NSEW]\.?\s+)?(?P<words>{_WORDS})"
                          rf"(?P<more>{alternation(street_types())})\b\.?(?:\s+(?:[NSEW]\b\.?|North|South|East|West))?{_UNIT}")
        # a US state's code and a ZIP code ("TX 78664"), not a lab's acronym and value ("CK 23000")
        import holidays

        states = sorted(c for c in holidays.country_holidays("US").subdivisions if re.fullmatch(r"[A-Z]{2}", c))
        state_zip = re.compile(rf"\b(?:{'|'.join(states)})\s+\d{{5}}(?:-\d{{4}})?\b")
        super().__init__([*(re.compile(p) for p in self.PATTERNS), more, state_zip])

    def accept(self, text: str, match: re.Match[str]) -> bool:
        if "town" in match.re.groupindex:
            # ", 75019 Paris": a street with its number before it, and a town after, not "10000 Steps"
            town = match.group("town")
            street = re.search(r"[^\W\d_]{2,}\.?\s+\d{1,4}[a-z]?$|\b\d{1,4}[a-z]?,?\s+[^\W\d_]{2,}",
                               text[max(0, match.start() - 60):match.start()])
            return street is not None and not is_plain_word(town) and town.lower() not in _NOT_TOWNS
        if "more" not in match.re.groupindex:
            return True
        return not any(is_plain_word(w) for w in match.group("words").split())


_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?i:st|nd|rd|th)?"  # "Oct 2ND" in shouted text too


#: Weekdays: full names in any case, abbreviations capitalised ("sat" is also a verb).
_WEEKDAY = (r"(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
            r"(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.?")
_ORDINAL_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?i:st|nd|rd|th)"
#: Month names that are no English word, in any case ("may" and "march" are words: see their own pattern).
_MONTH_ANY = (r"jan(?:uary)?|feb(?:ruary)?|apr(?:il)?|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|"
              r"nov(?:ember)?|dec(?:ember)?")
#: What is counted after a number, making "jan 3 doses" no date.
_COUNTED_AFTER = r"times|doses?|tabs?|tablets?|pills?|mg|ml|days|weeks|months|hours|units|kg|lbs?"
#: Weekdays in any case, abbreviations included ("tues the 9th"): only before a date.
_WEEKDAY_ANY = (r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
                r"(?:mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)\.?")
#: Month names of the other languages patients write in (French, Spanish, Portuguese, German, Italian, Dutch).
_FOREIGN_MONTH = (r"janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|"
                  r"decembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|"
                  r"diciembre|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|dezembro|januar|februar|märz|"
                  r"juni|juli|oktober|dezember|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|"
                  r"januari|februari|maart|mei|augustus|ionawr|chwefror|ebrill|mehefin|gorffennaf|awst|medi|hydref|tachwedd|"
                  r"rhagfyr")
_FOREIGN_WEEKDAY = (r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|miércoles|miercoles|jueves|"
                    r"viernes|sábado|sabado|domingo|segunda-feira|terça-feira|quarta-feira|quinta-feira|sexta-feira|"
                    r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lunedì|martedì|mercoledì|giovedì|"
                    r"venerdì|sabato|dydd\s+(?:llun|mawrth|mercher|iau|gwener|sadwrn|sul)|"
                    r"maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag")
_FOREIGN_DAY = (r"le|el|la|o|dia|día|am|il|den|dydd\s+[a-z]+|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|"
                r"miércoles|miercoles|jueves|viernes|sábado|sabado|domingo|segunda|terça|quarta|quinta|sexta|montag|"
                r"dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|maandag|dinsdag|woensdag|donderdag|vrijdag|"
                r"zaterdag|zondag")
#: What may follow "the 2nd" when it is a date: the end of a clause or a word that is no noun it counts
#: ("the 2nd dose", "the 3rd floor" are no dates).
_AFTER_ORDINAL_DATE = re.compile(r"(?i)^(?:\s*(?:[.,;:!?()]|$)|\s+(?:and|at|in|or|but|so|when|then|i|we|he|she|they|"
                                 r"my|to|for|with|because|until|till|still|was|is|will|please|if|instead|again|"
                                 r"of\s+(?:last|next|this|"
                                 r"the|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))\b)")


class PersonalDateRecognizer(RegexRecognizer):
    ENTITY, SCORE = "DATE_TIME", 0.8

    def accept(self, text: str, match: re.Match[str]) -> bool:
        if "ordinal" in match.re.groupindex and match.group("ordinal"):
            return _AFTER_ORDINAL_DATE.match(text[match.end():]) is not None
        return True
    PATTERNS = (
        rf"(?:\b(?i:last|next|this)\s+)?\b{_MONTH}\s+{_DAY}\b(?:,?\s+\d{{4}})?",
        # a month in any case with its day: "OCT 2ND", "jan 30", "may 3-10" ("may" and "march" lower case only
        # before an ordinal or a range of days: "may 3 times" is no date)
        rf"(?i)\b(?:{_MONTH_ANY})\.?\s+{_DAY}\b(?:\s*-\s*{_DAY}\b)?(?:,?\s+\d{{4}})?(?!\s*(?:{_COUNTED_AFTER})\b)",
        rf"(?i)\b(?:may|march)\s+(?:{_ORDINAL_DAY}|{_DAY}\s*-\s*{_DAY})\b",
        # a day, a month's abbreviation and a year in a log: "14-MAR-2024", "03-Jan-24"
        rf"(?i)\b(?:[12]\d|3[01]|0?[1-9])-(?:{_MONTH_ANY}|may|mar)-(?:\d{{4}}|\d{{2}})\b",
        rf"\b(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?",  # "the 3rd of May"
        # a day, a month in any case and a year ("09 JUN 2025"); a month and a year cut short ("Jan '24")
        rf"(?i)\b(?:[12]\d|3[01]|0?[1-9])\s+(?:{_MONTH_ANY}|may|mar)\.?\s+(?:19|20)\d{{2}}\b",
        rf"\b{_MONTH}\s+['’]\d{{2}}\b",
        # A weekday with its date: "Tue, 9 Jan 2024", "Sat 6/1", "Mon 15th Apr", "last Tuesday the 14th".
        rf"(?:\b(?i:last|next|this|on)\s+)?\b(?i:{_WEEKDAY_ANY}),?\s+(?:the\s+)?"
        rf"(?:{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?|{_MONTH}\s+{_DAY}\b(?:,?\s+\d{{4}})?|"
        rf"(?:1[0-2]|0?[1-9])/(?:[12]\d|3[01]|0?[1-9])(?:/\d{{2,4}})?\b|{_ORDINAL_DAY}\b|"
        rf"(?:[12]\d|3[01]|0?[1-9])/(?:1[0-2]|0?[1-9])(?:/\d{{2,4}})?\b)",  # "Tue 23/4": day first
        # a weekday with its part of the day: "Sunday morning", "Tuesday night" (the hour after it is added by
        # deid's time rule)
        r"(?:\b(?i:last|next|this|on)\s+)?\b(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s+"
        r"(?i:morning|afternoon|evening|night|lunchtime|midday|noon)\b",
        # a foreign weekday and its day ("el lunes 19", "mardi 12"), a foreign month and its year ("junio de 2022")
        rf"(?i)\b(?:(?:el|le|o|la)\s+)?(?:{_FOREIGN_WEEKDAY})\s+\d{{1,2}}\b(?!\s*(?:mg|ml|%|h\b))",
        rf"(?i)\b(?:{_FOREIGN_MONTH})\s+(?:de\s+|del\s+)?(?:19|20)\d{{2}}\b",
        rf"\b(?:early\s+|mid-?|late\s+)?{_MONTH},?\s+\d{{4}}\b",
        r"\b\d{4}[/.-](?:1[0-2]|0?[1-9])[/.-](?:[12]\d|3[01]|0?[1-9])(?:\b|(?=T\d))",  # "2024-05-02T14:31:07Z" too
        r"\b(?:1[0-2]|0?[1-9]|[12]\d|3[01])[/.-](?:1[0-2]|0?[1-9]|[12]\d|3[01])[/.-](?:\d{4}|\d{2})\b",
        r"\b1[01]\d/(?:1[0-2]|0?[1-9])/(?:[12]\d|3[01]|0?[1-9])\b",  # Minguo (ROC) calendar
        # other languages: "le 4 mars", "jueves 18 de julio", "dia 3 de setembro", "am 3. Mai 2024"
        rf"(?i)\b(?:(?:{_FOREIGN_DAY}),?\s+)*\d{{1,2}}(?:er|º|°|\.)?\s+(?:de\s+)?(?:{_FOREIGN_MONTH})\b(?:,?\s+(?:de\s+)?\d{{4}})?",
        # "ngày 2 tháng 1" (Vietnamese), "4月22日" (Chinese, Japanese), "5월 14일" (Korean)
        r"(?i)\bngày\s+\d{1,2}\s+tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?\b",
        r"(?:\d{4}年)?\d{1,2}月\d{1,2}日",
        r"(?:\d{4}년\s*)?\d{1,2}월\s*\d{1,2}일",
        # a day and month after "today", "tomorrow", "yesterday": "yesterday 5/7", "tomorrow (23/06)"
        r"(?i)\b(?:today|tomorrow|tmrw|yesterday|tonight)\s*[,(]?\s*(?:[12]\d|3[01]|0?[1-9])/(?:[12]\d|3[01]|0?[1-9])\b\)?(?!/)",
        # a day over 12 before a month: "s/p appendicectomy 21/06" (no fraction or score reads so)
        r"(?<![\w/.:])(?:1[3-9]|2\d|3[01])/(?:0?[1-9]|1[0-2])(?![\w/]|\.\d|\s*(?:of|points?|pts?)\b)",
        # a day of this or another month: "on the 2nd", "(the 8th)", "the 12th of last month"
        rf"(?i)\b(?P<ordinal>the\s+{_ORDINAL_DAY}(?:\s+of\s+(?:last|next|this)\s+month)?)\b",
        r"(?i)\b(?:on|since|from|until|till|by|before|after|dated|born|DOB:?|D\.O\.B\.:?|birthday:?|"
        # a date's label: "date of birth: 4/19", "birth date 4/19", "date of injury 2/14"
        r"(?:date(?:\s+of\s+[a-z]+)?|birth\s*date)\s*:?|appointment(?:\s+is)?|(?:visit|surgery|follow-up)\s+is)\s+"
        r"(?P<id>(?:1[0-2]|0?[1-9])/(?:[12]\d|3[01]|0?[1-9]))\b(?!/)",
    )


_UNITS = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_TEENS = r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
#: An age over 89 in digits (90–119) or in words ("ninety-one", "ninety eight", "a hundred and two").
_OLD = (rf"(?:(?<![\w.,/-])(?:9\d|1[01]\d)(?![\w%/]|[.,]\d)|\bninety(?:[\s-]+{_UNITS})?\b|"
        rf"\b(?:one|a)[\s-]+hundred(?:[\s-]+(?:and[\s-]+)?(?:{_TEENS}|{_UNITS}))?\b)")
#: What a number is when it is no age: a unit or a measure after it ("is 95 mg/dL", "I am 92 kg").
_NOT_AGE_AFTER = re.compile(r"(?i)^\s*(?:%|percent|mg|mcg|g\b|kg|lbs?|pounds|mm|cm|ml|units?|bpm|beats|degrees|"
                            r"°|over\b|mmhg|minutes|mins?|hours|days|weeks|months|points|times|pills|tablets|"
                            r"fasting|after|before|on\s+the)")
#: The subject of "… is 93": a person ("my mother … is 93", "who is 90"), not a measurement ("my sugar is 95").
_PERSON_SUBJECT = re.compile(r"(?i)\b(?:mother|mom|mum|father|dad|grand\w*|granny|nana|papa|husband|wife|"
                             r"aunt|uncle|patient|pt|client|resident|she|he|who|i|man|woman|lady|gentleman|"
                             r"neighbou?r|friend|parent|in-law|halmeoni|abuela|abuelo|oma|opa|nan|nanna|gran|gramps|gran(?:d)?dad|"
                             r"grandmama|grandpapa|lola|lolo|nonna|nonno|bubbe|zayde|yiayia|papou|aunty|auntie|"
                             r"great-\w+|relative|resident|sister|brother|son|daughter)\b[^.;!?]*$")
_MEASURE = re.compile(r"(?i)\b(?:sugar|glucose|bp|pressure|rate|pulse|weight|level|score|temp\w*|oxygen|o2|"
                      r"sats?|saturation|a1c|count|number|reading|heart|ldl|hdl|cholesterol|iq|ef|fev1|"
                      r"hemoglobin|creatinine|sodium|potassium|tsh|psa|inr|platelets|dose|bill|room|bed|"
                      r"ward|floor|percent|battery|minutes|vision)\b[^.;!?]*$")


class OldAgeRecognizer(RegexRecognizer):
    """Ages over 89, which Safe Harbor groups, in digits or words, in an age's context only: with
    "years old", "y/o", "-year-old" after it, "aged", "age", "turned", "I'm" before it, or after "is"
    when a person ("my mother … is 93", "who is 90"), not a measurement ("my sugar is 95"), is the
    subject (AGE)."""

    ENTITY, SCORE = "AGE", 0.8

    def __init__(self) -> None:
        super().__init__([
            re.compile(rf"(?i)(?:\ban?\s+)?(?P<id>{_OLD}(?:\s*|-)(?:years?|yrs?|y/o|yo|y\.o\.|jahre|jahren|j\.|años|anos|ans|"
                       rf"anni|jaar|lat)(?:[\s-]old)?)(?!\w)"),
            # in Chinese, Japanese and Korean: "92岁", "95歳", "91세"
            re.compile(r"(?<!\d)(?P<id>(?:9\d|1[01]\d)\s*(?:岁|歲|歳|세|살))"),
            re.compile(r"(?i)\b(?P<id>noventa(?:\s+y\s+(?:un|uno|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve))?)"
                       r"(?=\s+(?:años|anos)\b)"),
            # an age in words in brackets or between commas after a name: "Edna (ninety-three)", "Dafydd, ninety-two,"
            re.compile(rf"(?i)(?:\(\s*|,\s*)(?P<id>\bninety(?:[\s-]+{_UNITS})?\b|\b(?:one|a)[\s-]+hundred"
                       rf"(?:[\s-]+(?:and[\s-]+)?(?:{_TEENS}|{_UNITS}))?\b)\s*[),:;]"),
            # a number in brackets after a name: "Mr. Ito (97 today)", "Oma Jansen (93)"
            re.compile(rf"(?<=[A-Za-z])\s*\(\s*(?P<named>)(?P<id>{_OLD})(?=\s*(?:\)|,|;|today|now|this|next|last|in\b))"),
            re.compile(rf"(?i)\b(?P<id>aged?:?\s+{_OLD})"),  # the label with it, as before
            # age and sex in a note's shorthand: "91M", "94 F,"
            re.compile(r"(?<![\w.,/#-])(?P<id>(?:9\d|1[01]\d))\s?(?-i:M|F)(?![\w/-])"),
            re.compile(rf"(?i)\b(?:turned|turns|turning|i'm|im|i\s+am|reached|reaches)\s+(?:just\s+|now\s+)?(?P<id>{_OLD})"),
            re.compile(rf"(?i)\b(?P<subject>is|was|will\s+be|be)\s+(?:now\s+|almost\s+|nearly\s+|over\s+)?(?P<id>{_OLD})"),
            # "she's ninety.", "He's 93 and", a patient's label: "Pt ninety-six, delirium"
            re.compile(rf"(?i)\b(?:she|he)['’]?s\s+(?:now\s+|almost\s+|nearly\s+|over\s+|just\s+)?(?P<id>{_OLD})"),
            re.compile(rf"(?i)\b(?:pt|patient|resident)\.?:?\s+(?P<id>{_OLD})(?=\s*[,;(]|\s+(?:y|yo|m|f|male|female|man|woman)\b)"),
        ])

    def accept(self, text: str, match: re.Match[str]) -> bool:
        if _NOT_AGE_AFTER.match(text[match.end():]):
            return False
        if "named" in match.re.groupindex:
            return _after_name(text[:match.start()])
        if "subject" in match.re.groupindex:
            clause = text[max(0, match.start() - 60):match.start()]
            if _MEASURE.search(clause) is not None:
                return False
            return _PERSON_SUBJECT.search(clause) is not None or _after_name(clause)
        return True


def _after_name(before: str) -> bool:
    """Whether ``before`` ends with a capitalised given name or surname ("Nell Ashby) is", "Mr. Ito (")."""
    from curbside.consult.name_words import english_frequency, unknown_word
    from curbside.consult.people import surnames, world_first_names

    m = re.search(r"([A-Z][a-z'’-]+)\)?\s*$", before)
    if m is None or is_plain_word(m.group(1).lower()):
        return False
    word = m.group(1).lower()
    return (word in world_first_names() or (word in surnames() and english_frequency()[word] < 3000)
            or unknown_word(word))


class NationalIdRecognizer(RegexRecognizer):
    """National identity numbers by a shape no other number has: Brazil's CPF ("123.456.789-09"), France's
    social-security number (sex digit, year, month, département, commune, order, key: "2 85 11 75 012 345 67"),
    and a vehicle's plate after its label ("plate AB12 CDE", "reg: 7XYZ123") (ID)."""

    ENTITY, SCORE = "RECORD_NUMBER", 0.8
    PATTERNS = (
        r"(?<![\d.])(?P<id>\d{3}\.\d{3}\.\d{3}-\d{2})(?![\d-])",
        r"(?<!\d)(?<!\d\s)(?P<id>[12]\s?\d{2}\s?(?:0[1-9]|1[0-2])\s?(?:\d{2}|2[AB])\s?\d{3}\s?\d{3}(?:\s?\d{2})?)(?![\d])",
        r"(?i:\b(?:licen[cs]e\s+plate|number\s+plate|plates?|reg(?:istration)?|rego|tag)\b(?:\s+(?:no\.?|number|#))?"
        r"(?:\s+of\s+(?:[\w'’]+\s+){0,5}?[\w'’]+)?\s*(?:is|:|-|=)?\s+)"
        r"(?P<id>(?=[A-Z0-9 -]*\d)(?=[A-Z0-9 -]*[A-Z])[A-Z0-9]{1,4}[\s-]?[A-Z0-9]{2,7})(?![\w-])",
    )


# --- Presidio's e-mail and URL recognizers without downloads ------------------------------------

@cache
def _offline_extract() -> tldextract.TLDExtract:
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)


def _has_domain(text: str) -> bool:
    return bool(_offline_extract()(text).fqdn)


#: The last label of a host name that is a top-level domain by its shape: letters only. The public suffix
#: list names the delegated ones; reserved (RFC 2606: ".example", ".test"), private (".lan", ".corp") and
#: newly delegated ones are addresses too.
_TLD_SHAPE = re.compile(r"\.[a-z]{2,24}$", re.IGNORECASE)


class OfflineEmailRecognizer(EmailRecognizer):  # type: ignore[misc]
    """Presidio's e-mail pattern; the domain is accepted when the public suffix list knows it or its last label
    has a top-level domain's shape (someone's address at a reserved or private domain is still theirs)."""

    def validate_result(self, pattern_text: str) -> bool:
        return _has_domain(pattern_text) or bool(_TLD_SHAPE.search(pattern_text.rpartition("@")[2]))


class OfflineUrlRecognizer(UrlRecognizer):  # type: ignore[misc]
    def validate_result(self, pattern_text: str) -> bool:
        return _has_domain(pattern_text)


class AnyHostUrlRecognizer(RegexRecognizer):
    """A web address whatever its top-level domain, when its shape says it is one: a scheme ("https://…"),
    "www." or a host name followed by a path ("clinic.example/portal/7"). Presidio's URL patterns list the
    delegated domains only (URL)."""

    ENTITY, SCORE = "URL", 0.6
    PATTERNS = (
        r"(?i)(?<![\w@.])(?P<id>(?:https?|ftp)://[^\s<>\"'()\[\]]+?)(?=[.,;:!?]?(?:[\s<>\"'()\[\]]|$))",
        r"(?i)(?<![\w@./])(?P<id>www\d{0,3}\.[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,24}(?:/[^\s<>\"'()\[\]]*?)?)"
        r"(?=[.,;:!?]?(?:[\s<>\"'()\[\]]|$))",
        r"(?i)(?<![\w@./])(?P<id>[a-z][a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,24}/[\w~%#?=&+-][^\s<>\"'()\[\]]*?)"
        r"(?=[.,;:!?]?(?:[\s<>\"'()\[\]]|$))",
    )


_UNIT_WORDS = r"one|two|three|four|five|six|seven|eight|nine"
_ORDINAL_UNITS = r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth"
#: A day's ordinal in words: "first" … "thirty-first".
_ORDINAL_WORD = (rf"(?:(?:twenty|thirty)[\s-]+(?:{_ORDINAL_UNITS})|{_ORDINAL_UNITS}|tenth|eleventh|twelfth|thirteenth|"
                 r"fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)")
#: A year in words: "nineteen forty-eight", "nineteen oh five", "two thousand and three", "twenty twenty-one".
_YEAR_WORDS = (rf"(?:(?:nineteen|twenty)[\s-]+(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]+(?:{_UNIT_WORDS}))?|"
               rf"ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|hundred|oh[\s-]+(?:{_UNIT_WORDS}))|"
               rf"two\s+thousand(?:\s+and)?(?:\s+(?:{_UNIT_WORDS}|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
               r"seventeen|eighteen|nineteen|twenty(?:[\s-]+(?:one|two|three|four|five))?))?)")
_MONTH_NAME = r"january|february|march|april|may|june|july|august|september|october|november|december"


class SpelledDateRecognizer(RegexRecognizer):
    """A date in words, as dictated: "the twenty-second of June nineteen forty-eight", "march first nineteen
    ninety-one", "the third of May" (DATE). A month in lower case ("may", "march" are verbs) counts only with a
    year in words after it."""

    ENTITY, SCORE = "DATE_TIME", 0.85
    PATTERNS = (
        rf"(?i)\b(?P<id>(?:the\s+)?{_ORDINAL_WORD}\s+of\s+(?P<month>{_MONTH_NAME})(?:,?\s+(?P<year>{_YEAR_WORDS}))?)\b",
        rf"(?i)\b(?P<id>(?P<month>{_MONTH_NAME})\s+(?:the\s+)?{_ORDINAL_WORD}(?:,?\s+(?P<year>{_YEAR_WORDS}))?)\b",
    )

    def accept(self, text: str, match: re.Match[str]) -> bool:
        return bool(match.group("year")) or (match.group("month")[:1].isupper() and match.group("month") != "May") \
            or match.group("id").lower().startswith("the ")


class ExtensionRecognizer(RegexRecognizer):
    """An internal extension or pager number: "x5512", "x3-6120", "ext. 3302", "bleep 6021" after a word for
    reaching someone, a pager's or a phone's (PHONE)."""

    ENTITY, SCORE = "PHONE_NUMBER", 0.8
    PATTERNS = (
        r"(?i)\b(?:pager|page|bleep|beep|ext\.?|extension|contact|call|reach|phone|tel|on)\b[^.;\n\d]{0,30}?"
        r"(?<![\w-])(?P<id>x\s?(?:\d{4,5}|\d{1,2}-\d{3,4}))(?![\w/-]|\.\d)",
        r"(?i)\b(?:ext\.?|extension|pager|bleep)\s*(?:no\.?|number|#)?\s*:?\s*(?P<id>\d{3,5})(?![\w/-]|\.\d)",
    )


def custom_recognizers() -> list[EntityRecognizer]:
    """Every recognizer of this module, ready to add to a Presidio registry."""
    return [TitledNameRecognizer(), RomanizedNameRecognizer(), InternationalPhoneRecognizer(),
            RecordNumberRecognizer(), StreetAddressRecognizer(), PersonalDateRecognizer(), OldAgeRecognizer(),
            OfflineEmailRecognizer(), OfflineUrlRecognizer(), AnyHostUrlRecognizer(), NationalIdRecognizer(), ExtensionRecognizer(),
            SpelledDateRecognizer()]
