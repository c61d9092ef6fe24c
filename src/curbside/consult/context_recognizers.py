"""Recognizers for identifiers written the way people type them: any case, after a lead-in, spelled out.

:mod:`curbside.consult.recognizers` matches identifiers by their shape, mostly capitalised. What
people write in a consult is often lower case ("my name is jane"), shouted ("MY NAME IS JOHN
SMITH"), spelled to dodge filters ("john dot smith at gmail dot com") or known only from the words
before it ("my daughter Emily", "123 45 6789 is my social"). This module adds:

- :func:`truecase` — a copy of the text, same length, in which shouted words are title-cased and
  the words after a name, place or facility lead-in are capitalised, so spaCy's NER and the shape
  recognizers see them as they would see a carefully typed message (offsets stay valid);
- :class:`LeadInNameRecognizer` — a given name (US Census first-name list of the ``names``
  package) after a lead-in that introduces a person, any case, with the surname after it (NAME);
- :class:`SignOffNameRecognizer` — a name signing the message at its end ("… - autumn") (NAME);
- :class:`SocialHandleRecognizer` — ``@handle`` not part of an e-mail, ``u/handle``, ``name#1234``,
  a handle after an account's label ("my username is kp_77") (HANDLE);
- :class:`SpelledEmailRecognizer` — e-mail addresses with "at"/"dot" written out (EMAIL);
- :class:`SpelledPhoneRecognizer` — a phone number in digit words ("four oh six, five five five …") (PHONE);
- :class:`SsnRecognizer` — the SSN shape with dashes, spaces or dots anywhere (ID);
- :class:`HolidayRecognizer` — public holidays (names from the ``holidays`` package, with an
  optional "Eve"/"Day"/year) unless a medical head noun follows ("Christmas disease") (DATE);
- :class:`FacilityRecognizer` — hospital and clinic names: words before a facility noun that are
  not descriptions ("the eye clinic") (FACILITY);
- :class:`FacilityFirstRecognizer` — a facility named after its noun, in many languages ("Hospital Carlos
  Van Buren", "Ospedale Niguarda", "Bệnh viện Đa khoa …") (FACILITY);
- :class:`HealthSystemRecognizer` — "… Health", "… Healthcare", "… Medicine" after a name or an acronym (FACILITY);
- :class:`WorkplaceRecognizer` — the capitalised name after "I work at" (FACILITY);
- :class:`PlaceAfterAtRecognizer` — a two-word proper name after "at"/"via" (FACILITY);
- :class:`ProperAfterAtRecognizer` — capitalised words or an acronym after a lower-case "at" (FACILITY);
- :class:`StoreNumberRecognizer` — a shop by its name and number ("Fairway Drugs #5127") (FACILITY);
- :class:`TownZipRecognizer` — a ZIP code after a town's name (ADDRESS);
- :class:`InitialSurnameRecognizer`, :class:`HeaderNameRecognizer` — "P. Okafor"; "From: Ada Obi" (NAME);
- :class:`KinNameRecognizer` — a name in brackets beside a relation: "my mum (Ada)", "Ada (my wife)" (NAME);
- :class:`NonLatinRecognizer` — identifiers in Chinese or Russian by the words that mark them ("…医院",
  "…区…路12号", "我叫…", "ул. …, д. 5", "Меня зовут …", "3 мая") (FACILITY, ADDRESS, NAME, LOCATION, DATE);
- :class:`LeadInDateRecognizer` — day/month dates ("3/4") after a word that dates an event (DATE);
- :class:`LowercaseStreetRecognizer` — street addresses in lower case ("12 main street") (ADDRESS);
- :class:`LeadInPlaceRecognizer` — a place after "I live in", "we moved to", "we are from", or a
  word rare in English after "in", "from", "near" (LOCATION);
- :class:`TownRecognizer` — a town before its US state, Canadian province or Australian territory
  ("Lyme, CT") (LOCATION).
"""

from __future__ import annotations

import itertools
import re
from functools import cache
from typing import Any

from curbside.consult.lexicons import COUNTED, is_medical_word, is_plain_word, lexicons
from curbside.consult.medical_terms import in_medicine_context
from curbside.consult.name_words import RARE, census_name, fold, place_names, unknown_word
from curbside.consult.name_words import english_frequency as _english
from curbside.consult.name_words import is_medicine as _is_medicine
from curbside.consult.people import (
    census_first_names,
    common_words,
    first_names,
    stop_words,
    surnames,
    world_first_names,
)
from curbside.consult.recognizers import RegexRecognizer, alternation

# --- word lists -------------------------------------------------------------------------------




# --- truecasing -------------------------------------------------------------------------------

#: Words that introduce a person, a place or a facility: the next words are capitalised in the
#: truecased copy (spaCy then judges them as it judges any capitalised word).
_PERSON = (r"my\s+name\s+is|my\s+name's|name's|names|i\s+am|i'm|im|this\s+is|it's|it\s+is|call\s+me|called|named|"
           r"signed,?|regards,?|thanks,?|sincerely,?|patient:?|name:|"
           r"(?:my|our|his|her)\s+(?:son|daughter|wife|husband|mother|mom|mum|father|dad|brother|sister|"
           r"partner|baby|child|kid|boy|girl|grandson|granddaughter|grandmother|grandma|grandfather|grandpa|"
           r"aunt|uncle|friend|boyfriend|girlfriend|fianc[ée]e?|niece|nephew|cousin|neighbou?r|stepson|"
           r"stepdaughter|twin|toddler|infant|teen|teenager|roommate|housemate|flatmate|coworker|co-worker|"
           r"colleague|boss|classmate|teammate|bestie|buddy|hubby|bf|gf|stepmom|stepdad|stepmother|stepfather|"
           r"godson|goddaughter|(?:son|daughter|mother|father|brother|sister)-in-law|twins|kids|children|sons|daughters|"
           r"parents|nan|nana|nanna|gran|granny|grandad|granddad|gramps|nonna|nonno|mam|mammy|carer|trainer|coach|"
           r"tutor|landlord|landlady|flatmate|mate|pal)|baby|me\s+and")
_PLACE = r"live\s+in|living\s+in|lives\s+in|moved\s+to|move\s+to|from|near|here\s+in|based\s+in|born\s+in|in"
#: Lead-ins after which any word but a stop word or medical word is a place's name; after the others
#: (a person's, "in", "from", "near") an English word is capitalised only when it is a census given name
#: ("i'm breastfeeding", "in children", "pain from sitting" are no names).
_STRONG_PLACE = (r"live[sd]?\s+in|living\s+in|moved\s+to|move\s+to|relocated\s+to|based\s+in|here\s+in|born\s+in|"
                 r"grew\s+up\s+in|(?:i|we)\s*(?:'m|'re|\s+am|\s+are)\s+from|come\s+from")
_LEAD_IN = re.compile(rf"(?i)\b(?:(?P<strong>{_STRONG_PLACE})|{_PERSON}|{_PLACE})[\s,:]+")
#: Words that begin place names ("South Kearny", "Port Ellen", "Lake Placid"): capitalised with the name.
_PLACE_PREFIXES = frozenset({"north", "south", "east", "west", "new", "port", "lake", "mount", "fort", "saint",
                             "st", "upper", "lower", "great", "little", "old"})
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_ACRONYM_OK = re.compile(r"^(?:[A-Z]{2,5}\d*)$")


def _wordlike(word: str) -> bool:
    """A word in capitals that reads as a word or a name, not an acronym: a vowel and four letters or
    more, or a census name ("JOHN", "AMY")."""
    w = word.lower().strip("'’-")
    return bool(re.search(r"[aeiouy]", w)) and (len(w) >= 4 or w in first_names() or w in surnames())


def truecase(text: str) -> str:
    """``text`` with shouted words title-cased and the 1–3 words after a lead-in capitalised (same length)."""
    chars = list(text)
    letters = [c for c in text if c.isalpha()]
    shouting = bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.6
    tokens = list(_TOKEN.finditer(text))
    for i, m in enumerate(tokens):
        word = m.group(0)
        if len(word) < 2 or not word.isupper():
            continue
        if (m.start() > 0 and text[m.start() - 1].isdigit()) or (m.end() < len(text) and text[m.end()].isdigit()):
            continue  # part of a code ("HG2 7QT", "K1A"), not a shouted word
        if word in regions()[0] and re.match(r"\s+\d{4,5}\b", text[m.end():]):
            continue  # a state before its ZIP code ("LINDSBORG KS 67456"), not a shouted word
        neighbours = [t.group(0) for t in tokens[max(0, i - 1):i + 2] if t is not m]
        # a run of shouted words ("my name is JOHN SMITH"), not of acronyms ("NSCLC, PD-L1", "CT KUB")
        in_run = _wordlike(word) and any(len(n) >= 2 and n.isupper() and _wordlike(n) for n in neighbours)
        known = word.lower() in first_names() or word.lower() in surnames()
        if shouting or in_run or (known and not _ACRONYM_OK.match(word)):
            chars[m.start() + 1:m.end()] = word[1:].lower()
    for lead in _LEAD_IN.finditer(text):
        pos = lead.end()
        strong = lead.group("strong") is not None
        previous = ""
        for taken, m in enumerate(_TOKEN.finditer(text, pos)):
            if m.start() != pos or taken == 3:
                break
            word = m.group(0)
            lower = word.lower()
            shouted = word.isupper() and not _ACRONYM_OK.match(word)  # "near BRIANPORT", not "in ICU"
            if lower in common_words() or is_medical_word(word) or not (word.islower() or shouted):
                break
            town = fold(lower) in place_names() and _english()[lower] < RARE  # "from pietermaritzburg"
            town = town or (taken > 0 and previous in _PLACE_PREFIXES and fold(f"{previous} {lower}") in place_names())
            if not strong and lower in _english() and lower not in first_names() and lower not in _PLACE_PREFIXES \
                    and not town:
                break
            previous = lower
            if lead.group(0).strip().lower() == "in" and not shouted:
                break  # "in utero", "in vitro": after a bare "in" only a shouted word is a name's
            if _is_medicine(lower):
                break
            chars[m.start()] = word[0].upper()
            if shouted:
                chars[m.start() + 1:m.end()] = lower[1:]
            gap = re.match(r"[ \t]+|\s*[A-Za-z]\.\s+", text[m.end():])
            pos = m.end() + (gap.end() if gap else 0)
    return "".join(chars)


#: Relations named before a person's name without "my": "daughter Crystal", "NOK Ada Obi".
_KIN = (r"daughter|son|wife|husband|partner|mother|father|mum|mom|dad|brother|sister|niece|nephew|grandson|"
        r"granddaughter|grandmother|grandfather|boyfriend|girlfriend|fianc[ée]e?|carer|caregiver|cousin|aunt|uncle|"
        r"NOK|next\s+of\s+kin|roommate|boss|manager|case\s+worker|caseworker|social\s+worker|"
        # people of one's work and travel: "supervisor Travis", "travel companion Chidinma"
        r"supervisor|coworker|co-worker|colleague|companion|housemate|flatmate|neighbou?r|friend|baby\s+(?:boy|girl)")
#: Lead-ins by which people introduce themselves (not a relative: "my son …" needs a census name).
_SELF = re.compile(r"(?i)\b(?:my\s+name\s+is|my\s+name's|name's|names|i\s+am|i'm|im|call\s+me|signed,?|"
                   r"regards,?|thanks,?|sincerely,?|patient:?|name:|(?:registered|full|legal|first|real)\s+name(?:\s+is)?:?|"
                   r"it'?s|its|this\s+is|(?:hi|hey|hello|hiya)(?:\s+there)?,?)[\s,:]+$")


def _name_like(word: str) -> bool:
    """A lower-case word that can be part of a name: a census name, a place prefix or no English word."""
    w = re.sub(r"['’]s$", "", word.lower().rstrip("."))  # "st.", "gene's"
    return (w in first_names() or w in surnames() or w in _PLACE_PREFIXES or unknown_word(w)) \
        and w.rstrip(".") not in _DESCRIPTORS and not is_medical_word(w)


# --- recognizers ------------------------------------------------------------------------------


class LeadInNameRecognizer(RegexRecognizer):
    """A given name (any case) after a lead-in introducing a person, with the surname after it."""

    # Above spaCy's 0.85: Presidio keeps one of two equal findings, and spaCy's would be judged as a guess.
    ENTITY, SCORE = "PERSON", 0.9

    def __init__(self) -> None:
        word = r"[^\W\d_][^\W\d_'’-]+(?:['’-][^\W\d_]+)*"
        pattern = re.compile(rf"(?i)\b(?:{_PERSON})[\s,:]+(?P<id>{word}(?:\s+[A-Za-z]\.)?(?:\s+{word})?)")
        after = re.compile(rf"(?i)(?<![\w@.])(?P<id>{word}(?:\s+[A-Za-z]\.)?(?:\s+{word})?)\s*(?:\(patient\)|here\b|aqu[ií]\b|is\s+my\s+name)")
        # "its kaylynn again", "hey doc its Tyrese again", "hi there, bongani from …", "registered name Ada Obi"
        again = re.compile(rf"(?i)\b(?:it'?s|its|this\s+is)\s+(?P<id>{word})(?=\s+(?:again|here)\b)")
        greeting = re.compile(rf"(?i)\b(?:hi|hey|hello|hiya)(?:\s+there)?,?\s+(?P<id>{word})(?=\s+(?:here|from)\b)")
        registered = re.compile(rf"(?i)\b(?:registered|full|legal|real)\s+name(?:\s+is)?:?\s+(?P<id>{word}(?:\s+{word}){{0,2}})")
        cap = r"[^\W\d_a-z][^\W\d_A-Z'’-]+(?:['’-][^\W\d_]+)*"
        # a relation without "my" before a capitalised name: "(daughter Crystal)", "Partner Ben", "NOK Ada Obi (son)"
        self._kin = re.compile(rf"(?<![\w-])(?i:{_KIN})[\s,:]+(?P<id>{cap}(?:\s+{cap}){{0,2}})")
        # in lower case, a census given name that is no English word: "wife gwendolyn at bedside"
        self._kin_lower = re.compile(rf"(?<![\w-])(?:{_KIN})\s+(?P<id>[a-z][a-z'’-]+)(?![\w'’-])")
        # a person spoken to: "hey May, …", "Thanks Hope!", "Dear Grace,"
        self._vocative = re.compile(rf"(?<![\w-])(?i:hey|hi|hiya|hello|dear|thanks|thank\s+you|bye|morning)\s+"
                                    rf"(?P<id>{cap})(?=\s*[,!]|\s*$)")
        # introductions in other languages: "je m'appelle …", "me llamo …", "ich heiße …", "mi chiamo …"
        self._foreign = re.compile(rf"(?i:\b(?:je\s+m['’]appelle|me\s+llamo|mi\s+nombre\s+es|ich\s+hei(?:ß|ss)e|"
                                   rf"mi\s+chiamo|meu\s+nome\s+é|mijn\s+naam\s+is|jina\s+langu\s+ni|"
                                   rf"ako\s+si))\s+(?P<id>{cap}(?:\s+{cap}){{0,2}})")
        super().__init__([pattern, after, again, greeting, registered, self._kin, self._kin_lower, self._vocative,
                          self._foreign])

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
        from presidio_analyzer import RecognizerResult

        out: list[Any] = []
        for pattern in self.patterns:
            pos = 0
            # lead-ins may overlap ("it's my roommate Declan"): search again just after each one
            while (match := pattern.search(text, pos)) is not None:
                pos = match.start() + 1
                start, end = self._span(match)
                if end > start and not any(r.start == start and r.end == end for r in out):
                    out.append(RecognizerResult(self.ENTITY, start, end, self.SCORE,
                                                recognition_metadata={"recognizer_name": self.label,
                                                                      "recognizer_identifier": self.id}))
        return out

    def _span(self, match: re.Match[str]) -> tuple[int, int]:
        """The given name and, when it looks like one, the surname (and a middle initial) after it.

        The given name is one of the census lists; after a self-introduction ("name's …", "i am …",
        "… is my name", "… (patient)") it may also be any word that is no English word, medical
        term or medicine ("ruairi", "aoife": the census lists are American). A surname is one of the
        census lists, a capitalised word, the word after a middle initial or a word that is no
        English word ("corduff")."""
        words = list(re.finditer(r"[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*\.?", match.group("id")))
        if not words:
            return 0, 0
        first = words[0].group(0)
        lead = match.group(0)[:match.start("id") - match.start()]
        # the name first ("… is my name", "… (patient)") or a self-introduction before it
        introduced = match.start("id") == match.start() or bool(_SELF.search(lead))
        # A capitalised given name that is also a word ("my friend Hope", "Rose here", "MY HUSBAND BILL")
        # or a capitalised word that is no English word ("my uncle Søren"): the context marks a person.
        capitalised = first[:1].isupper() and not first[1:2].isupper() and len(first) > 1
        relation = bool(re.match(r"(?i)(?:my|our|his|her|baby|me\s+and)\s", lead))  # "a worm called Trichinella" is none
        spoken_to = match.re is self._vocative
        introduced = introduced or match.re is self._foreign
        named = (first.lower() in census_first_names() or unknown_word(first) or _english()[first.lower()] < RARE
                 or first.lower() in world_first_names())
        titles = {t.rstrip(".").lower() for t in lexicons().titles}
        marked = capitalised and (relation or introduced) and named and first.lower() not in stop_words()
        # spoken to, a given name of the lists that is also a word ("hey May,"), not a title or "All"
        marked = marked or (capitalised and spoken_to and named and first.lower() not in titles | _CLOSINGS
                            and (first.lower() in census_first_names() or first.lower() not in stop_words()))
        # right after a relation a capitalised word names the person, a word or not ("my wife Blessing",
        # "daughter Crystal"), unless it is a month or a day, a title or a word that closes a message
        kin = match.re is self._kin or (relation and capitalised)
        if kin and capitalised and first.lower() not in stop_words() and first.lower() not in _CALENDAR \
                and first.lower() not in _CLOSINGS and first.lower() not in titles \
                and not re.match(r"\s*\d", match.string[match.start("id") + len(first):]) \
                and (named or _english()[first.lower()] < RARE * 10):  # "my son Type 1 …", "MY DAD LIVES IN"
            marked = True
        elif match.re is self._kin:
            return 0, 0
        if first.lower() in _CLOSINGS and not spoken_to:
            return 0, 0  # "real name lol, …"
        if match.re is self._kin_lower:
            given = first.lower()
            if given not in census_first_names() or _english()[given] >= RARE or given in common_words() \
                    or is_medical_word(given) or _is_any_medicine(given) or given in _CALENDAR:
                return 0, 0
            return match.start("id"), match.start("id") + len(first)
        if is_medical_word(first) or _is_medicine(first.lower()) or not (
                first.lower() in first_names() or (introduced and unknown_word(first)) or marked
                or ((relation or introduced) and first.lower() in world_first_names())):
            return 0, 0
        base = match.start("id")
        end = base + words[0].end()
        after_initial = False
        for w in words[1:]:
            token = w.group(0).rstrip(".")
            plain = token.lower() in common_words() or is_medical_word(token)
            # a lower-case surname must be rare as an English word ("my friend Hope said …")
            if len(token) == 1 or (not plain and (token[:1].isupper() or after_initial or census_name(token))):
                end = base + w.end()
                after_initial = len(token) == 1
            else:
                break
        following = re.sub(r"^['’]s\b", "", match.string[end:end + 40])
        after = re.findall(r"[A-Za-z]+", following)[:1]
        if after and (after[0].lower() in lexicons().head_nouns or is_medical_word(after[0])):
            return 0, 0  # "it's Charles Bonnet syndrome": a condition's name
        return base, end


#: Words that end a message and are no signature ("Thanks", "Help", "lol").
_CLOSINGS = frozenset({"thanks", "thank", "thx", "ty", "tia", "cheers", "regards", "help", "please", "pls", "plz",
                       "lol", "lmao", "ugh", "xoxo", "xx", "x", "bye", "ok", "okay", "anyone", "anybody", "doctor",
                       "doc", "urgent", "asap", "idk", "hmm", "sorry", "amen", "god", "bless", "best", "love"})
#: Credentials after a signature ("S. Kapoor, MD").
_CREDENTIALS = r"MD|M\.D\.|DO|RN|NP|PA-C|PA|PhD|DDS|DMD|PharmD|MBBS|FRCP|LPN|CNA"
_SIGN_WORD = r"[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*\.?"
#: A signature: one to three words alone at the end of a message, after a dash or a sentence's end (a
#: message before it: a display name alone, "Niming", signs nothing).
_SIGN_OFF = re.compile(rf"(?<=\S)(?:(?P<dash>\s[-–—~]{{1,2}}\s*)|(?:[.!?)]\s+|\s*\n\s*))"
                       rf"(?P<id>{_SIGN_WORD}(?:\s+(?:and|&)\s+{_SIGN_WORD})?(?:\s+{_SIGN_WORD}){{0,2}}(?:,\s*(?:{_CREDENTIALS}))?)"
                       r"(?:,\s*[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)?"  # "- Rosalind, Tucson": a place after
                       r"(?:,?\s*@[\w.]+)?[\s.!'’\"”]*$")  # "- Harper, @harper.x": a handle; a closing quote


class SignOffNameRecognizer(RegexRecognizer):
    """A name signing a message: one to three words at its very end, after a dash ("… - summer") or
    alone after the last sentence ("… is it angina? gary", "… help. Yusuf"). After a dash a given name
    of the census lists counts even when it is a word ("summer", "Faith"); alone, the first word must be
    a given name that is no common word or a word that is no English word; a title may come first
    ("- Coach Reyes"), an initial ("p. okonkwo"), a credential after (", MD")."""

    ENTITY, SCORE = "PERSON", 0.9  # above spaCy's 0.85 (see LeadInNameRecognizer)

    def __init__(self) -> None:
        super().__init__([_SIGN_OFF])

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
        offset = max(0, len(text) - 120)
        tail, pos = text[offset:], 0
        # the last sentence may be a closing word before the name (". help. Tariq"): try each start
        while (match := _SIGN_OFF.search(tail, pos)) is not None:
            found = self._signature(match, offset)
            if found:
                return found
            pos = match.start() + 1
        return []

    def _signature(self, match: re.Match[str], offset: int) -> list[Any]:
        from presidio_analyzer import RecognizerResult

        words = list(re.finditer(_SIGN_WORD, match.group("id")))
        titles = {t.rstrip(".").lower() for t in lexicons().titles}
        first = 0
        if len(words) > 1 and words[0].group(0).rstrip(".").lower() in titles:
            first = 1  # "- Coach Reyes": the title stays
        head = words[first].group(0).rstrip(".")
        w = head.lower()
        initial = len(w) == 1 and len(words) > first + 1  # "p. okonkwo"
        if w in _CLOSINGS or is_medical_word(w) or _is_medicine(w) or (len(w) < 2 and not initial):
            return []
        if match.group("dash"):
            ok = initial or w in census_first_names() or census_name(w) or (head[:1].isupper() and unknown_word(w)) \
                or (head[:1].isupper() and w in world_first_names())
        else:
            # alone after the last sentence: a given name of any country's lists, capitalised ("… in Tracy. River")
            ok = w in first_names() or unknown_word(w) or (head[:1].isupper() and w in world_first_names()
                                                           and len(words) == first + 1)
        if not ok:
            return []
        end = words[first].end()
        for k, extra in enumerate(words[first + 1:], first + 1):
            token = extra.group(0).rstrip(".")
            if token.lower() == "and" and k + 1 < len(words) and words[k + 1].group(0)[:1].isupper() \
                    and words[k + 1].group(0).rstrip(".").lower() not in common_words() \
                    and not is_medical_word(words[k + 1].group(0).rstrip(".")):
                continue  # "- Rachel and Ezra Blum": two who sign
            if token.lower() in common_words() or is_medical_word(token) or token.lower() in _CLOSINGS:
                break
            end = extra.end()
        credential = re.search(rf",\s*(?:{_CREDENTIALS})$", match.group("id"))
        if credential and len(words) == first + len(list(re.finditer(_SIGN_WORD, match.group("id")[:credential.start()]))):
            end = credential.end()
        start = offset + match.start("id") + words[first].start()
        return [RecognizerResult(self.ENTITY, start, offset + match.start("id") + end, self.SCORE,
                                 recognition_metadata={"recognizer_name": self.label, "recognizer_identifier": self.id})]


#: Words that name an account on a site or an app: the next word is a handle ("my username is kp_77").
_HANDLE_LABEL = (r"user\s*name|handle|login|log-in|user\s*id|screen\s*name|gamertag|snapchat|snap|instagram|insta|"
                 r"ig|tiktok|twitter|discord|reddit|telegram|kik|twitch|youtube|threads|bluesky|mastodon|whatsapp|"
                 # messaging and payment apps, and a system's user ("opened by user jdoe7", "venmo @…", "kakao id …")
                 r"wechat|weixin|kakao(?:\s*talk)?|line\s+id|viber|signal|skype|venmo|cash\s*app|cashapp|paypal|zelle|"
                 r"facebook|fb|linkedin|pinterest|strava|user")


class SocialHandleRecognizer(RegexRecognizer):
    """Social handles: "@handle" not part of an e-mail, Reddit's "u/handle", Discord's "name#1234", and
    a handle-shaped word (digits, "_" or "." inside, or no English word) after a site or an account's
    label ("my username is kp_77", "snapchat: bekka_b99"), a word joined by underscores anywhere ("night_owl_rn"), a
    cashtag ("$KeishaPaysBack") (HANDLE)."""

    ENTITY, SCORE = "SOCIAL_HANDLE", 0.85
    PATTERNS = (r"(?<![\w@.+-])(?P<id>@[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,28}[A-Za-z0-9_])?)(?![\w@])",
                r"(?<![\w/])(?P<id>u/[A-Za-z0-9_-]{3,20})\b",
                r"(?<![\w#@])(?P<id>[A-Za-z0-9_.]{2,32}#\d{4})\b",
                rf"(?i)\b(?:my\s+|on\s+)?(?:{_HANDLE_LABEL})(?:\s+(?:name|account|handle|id))?\s*(?:is|:|=|-|as)?\s+"
                r"(?P<id>(?-i:[A-Za-z0-9_][A-Za-z0-9_.]{1,28}[A-Za-z0-9_]))(?![\w@/:]|\.\w)",
                # the handle before the site: "jaydenom_ on snap", "kez.endo on insta"
                rf"(?<![\w@.])(?P<id>[A-Za-z0-9_][A-Za-z0-9_.]{{0,28}}[A-Za-z0-9_])\s+(?i:on|@)\s+(?i:{_HANDLE_LABEL})(?![\w-])",
                # a word joined by underscores, with no label: prose and medicine write none ("night_owl_rn")
                r"(?<![\w@./$-])(?P<id>[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+_?)(?![\w@]|\.\w)",
                # a payment app's cashtag ("$KeishaPaysBack"): a dollar sign before letters, never an amount
                r"(?<![\w$])(?P<id>\$[A-Za-z][A-Za-z0-9_]{2,19})(?![\w])")

    def accept(self, text: str, match: re.Match[str]) -> bool:
        token = match.group("id")
        if token.startswith(("@", "u/", "$")) or "#" in token:
            return True
        camel = re.fullmatch(r"[A-Z]?[a-z]+(?:[A-Z][a-z]+)+", token) is not None  # "EndoWarriorKez"
        return bool(re.search(r"[\d_.]", token)) or (unknown_word(token) and not token[:1].isupper()) or camel


_DOT = r"(?:\s*\.\s*|\s*[\[(]\s*dot\s*[\])]\s*|\s+dot\s+)"
_LOCAL_DOT = r"(?:\.|\s*[\[(]\s*dot\s*[\])]\s*|\s+dot\s+)"
_AT = r"(?:\s*@\s*|\s*[\[(]\s*at\s*[\])]\s*|\s+at\s+)"
_TLD = r"(?:com|org|net|edu|gov|mil|io|co|us|uk|ca|au|de|fr|info|biz|me|ie|nz|in|tw)"


class SpelledEmailRecognizer(RegexRecognizer):
    ENTITY, SCORE = "EMAIL_ADDRESS", 0.85
    # In the local part a dot is written without spaces: "disease. jane.roe@…" is a sentence before an address.
    PATTERNS = (rf"(?i)\b[a-z0-9][a-z0-9_+-]*(?:{_LOCAL_DOT}[a-z0-9_+-]+){{0,3}}{_AT}[a-z0-9-]+(?:{_DOT}[a-z0-9-]+){{0,2}}{_DOT}{_TLD}\b",
                # "[at]" in brackets is an address whatever its top-level domain ("… [at] example.dk")
                rf"(?i)\b[a-z0-9][a-z0-9_+-]*(?:{_LOCAL_DOT}[a-z0-9_+-]+){{0,3}}\s*[\[(]\s*at\s*[\])]\s*[a-z0-9-]+"
                rf"(?:{_DOT}[a-z0-9-]+){{0,2}}{_DOT}[a-z]{{2,6}}\b")

    def accept(self, text: str, match: re.Match[str]) -> bool:
        plain = re.match(r"(?i)([\w.+-]+)\s+at\s+(\S+)", match.group(0))
        if plain and (plain.group(2).lower().startswith("www.") or is_medical_word(plain.group(1))
                      or _english()[plain.group(1).lower()] >= RARE):
            return False  # "disease at www.example.com": a word and a web site, not an address
        # "at" and "dot" as plain words need the domain shape at the end ("… at gmail dot com").
        return bool(re.search(rf"(?i){_DOT}{_TLD}$", match.group(0))) or bool(re.search(r"[\[(]\s*at\s*[\])]", match.group(0)))


_DIGIT_WORD = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|double\s+(?:oh|zero|one|two|three|four|five|six|seven|eight|nine))"


class SpelledPhoneRecognizer(RegexRecognizer):
    """A phone number read out in words, as a voicemail transcript or a dictated message gives it: seven
    digit words or more in a row, in groups ("four oh six, five five five, oh one two six") (PHONE)."""

    ENTITY, SCORE = "PHONE_NUMBER", 0.8
    PATTERNS = (rf"(?i)\b{_DIGIT_WORD}(?:[\s,.-]+{_DIGIT_WORD}){{6,}}\b",)

    def accept(self, text: str, match: re.Match[str]) -> bool:
        words = re.findall(r"[a-z]+", match.group(0).lower())
        return len(words) >= 7  # "double five" is two digits in two words


class SsnRecognizer(RegexRecognizer):
    ENTITY, SCORE = "US_SSN", 0.85
    PATTERNS = (r"(?<![\w/.-])(?P<id>(?!000|666|9\d\d)\d{3}([- .])(?!00)\d{2}\2(?!0000)\d{4})(?![\w/-]|\.\d)",
                r"(?i)\b(?:ssn|ss\s?#|social(?:\s+security)?(?:\s+(?:number|no\.?|#))?)(?:\s+(?:is|was))?\s*[:#=]?\s*"
                r"(?P<id>\d{3}[- .]?\d{2}[- .]?\d{4})\b",
                r"(?i)\b(?P<id>\d{3}[- .]?\d{2}[- .]?\d{4})\s+(?:is\s+my\s+)?(?:\(?\s*)?(?:ssn|social)\b")


@cache
def holiday_names() -> tuple[str, ...]:
    """Holiday and observance names of English-speaking countries (``holidays`` package, every category
    a country has: public, unofficial — "Valentine's Day", "Halloween", "Mother's Day" —, optional,
    half-day …), with the short forms people say ("Christmas" for "Christmas Day", "Easter" for
    "Easter Monday"), "St." for "Saint", and the other names of ``data/deid.toml`` ("Fourth of July")."""
    import holidays

    found: set[str] = set(lexicons().holiday_aliases)
    for country in ("US", "GB", "CA", "AU", "NZ", "IE"):
        categories = holidays.country_holidays(country).supported_categories
        for year in (2023, 2024):
            for value in holidays.country_holidays(country, years=year, categories=categories).values():
                found.update(part.strip() for part in value.split(";"))
    return _holiday_forms(found)


def _more_holidays() -> set[str]:
    """Other countries' holidays in English, whole names only ("Diwali", "Heritage Day", "King's Day"), none
    that is an English word alone or a medical word."""
    import holidays

    found: set[str] = set()
    for country in _MORE_HOLIDAY_COUNTRIES:
        try:
            calendar = holidays.country_holidays(country)
            categories = calendar.supported_categories
        except (NotImplementedError, KeyError, AttributeError):  # pragma: no cover - depends on the package
            continue
        # the country's own language ("Koningsdag") and English ("King's Day")
        languages = {getattr(calendar, "default_language", None)} | ({"en_US"} & set(getattr(calendar, "supported_languages", ())))
        for year, language in ((y, lang) for y in (2023, 2024) for lang in languages):
            for value in holidays.country_holidays(country, years=year, categories=categories,
                                                   language=language).values():
                for part in value.split(";"):
                    part = re.sub(r"\s*\(.*?\)", "", part).strip()
                    if part and (" " in part or (_english()[part.lower()] < RARE and not is_medical_word(part))):
                        found.add(part)
    return found


def _holiday_forms(found: set[str]) -> tuple[str, ...]:
    """The names and their short forms, longest first."""
    found |= {re.sub(r"^Saint\b", abbreviation, name) for name in found for abbreviation in ("St.", "St")}
    out: set[str] = set(_more_holidays())
    for name in found:
        name = re.sub(r"\s*\(.*?\)", "", name).strip()
        if not name or "Bank Holiday" in name or "after" in name:
            continue
        out.add(name)
        short = re.sub(r"\s+(?:Day|Monday)$", "", name)
        if short != name and (" " in short or short.lower() not in common_words() | _GENERIC_HOLIDAY_WORDS):
            out.add(short)
        # a name's first word that is no English word and no name ("Juneteenth National Independence Day")
        first = name.split()[0]
        if " " in name and first.isalpha() and len(first) >= 5 and unknown_word(first.lower()) \
                and first.lower() not in _GENERIC_HOLIDAY_WORDS and not is_medical_word(first):
            out.add(first)
    # a feast named for what it marks ("Assumption Day", "Epiphany": "the Feast of the Epiphany")
    out |= {f"{feast} of the {re.sub(r' Day$', '', name)}" for name in list(out) for feast in ("Feast", "feast")
            if name.endswith(" Day") and name.count(" ") == 1 and not name.startswith(("St", "Saint"))}
    return tuple(sorted(out, key=len, reverse=True))


#: Countries whose holidays people in the Commonwealth and Europe name too (India, South Africa, Singapore,
#: Malaysia, Nigeria, Kenya, the Netherlands, Germany, France, Spain, Mexico, the Philippines, Korea, Brazil,
#: Pakistan, the Emirates, Indonesia, Israel).
_MORE_HOLIDAY_COUNTRIES = ("IN", "ZA", "SG", "MY", "NG", "KE", "NL", "DE", "FR", "ES", "MX", "PH", "KR", "BR", "PK", "AE",
                           "ID", "IL")
#: One-word stems of holiday names that are ordinary words or names of places ("Labor", "Memorial",
#: "Canada"): kept only in the full name ("Labor Day").
_GENERIC_HOLIDAY_WORDS = frozenset({"labor", "labour", "memorial", "independence", "veterans", "canada", "australia",
                                    "columbus", "good", "spring", "june", "august", "october", "anzac", "waitangi",
                                    "boxing", "matariki", "coronation"})


class HolidayRecognizer(RegexRecognizer):
    ENTITY, SCORE = "DATE_TIME", 0.8

    def __init__(self) -> None:
        names = alternation(list(holiday_names()))
        # the words that date a day by the holiday go with it: "the week after Easter", "two days before
        # Hanukkah", "until after Easter" (not a bare "around", "since" or "the night before")
        pattern = re.compile(rf"(?i)\b(?:(?:last|next|this|(?:the\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|"
                             rf"sunday|day|week|weekend)\s+(?:before|after))\s+|(?:\d{{1,2}}|an?|one|two|three|four|five|"
                             rf"six|seven|eight|nine|ten|a\s+few|a\s+couple\s+of)\s+(?:days?|nights?|weeks?)\s+(?:before|after)\s+|"
                             rf"(?:un)?til+\s+(?:before|after)\s+)?"
                             rf"(?:the\s+)?(?:{names})(?:'s)?(?:\s+(?:Eve|Day|Sunday|Monday|weekend|morning|night))?"
                             rf"(?:,?\s+(?:of\s+)?(?:19|20)\d{{2}})?\b")
        super().__init__([pattern])

    def accept(self, text: str, match: re.Match[str]) -> bool:
        after = re.findall(r"[A-Za-z]+", text[match.end():match.end() + 30])
        if after and after[0].lower() in lexicons().head_nouns | {"factor", "tree", "disease"}:
            return False
        # "my mother's day was long": a lower-case name after a possessive is not the holiday
        return not (match.group(0).islower()
                    and re.search(r"(?i)\b(?:my|your|his|her|our|their)\s+$", text[:match.start()]))


#: A word of a facility's or a place's name: a full stop only ends a short abbreviation ("St.", "Mt."),
#: so a name never runs across the end of a sentence ("… Legionnaires' disease. Brookhaven Infirmary").
_NAME_WORD = r"(?:[^\W\d_][^\W\d_]{0,2}\.|[^\W\d_](?:[^\W\d_]|['’-])*|&)"
_FACILITY_NOUN = (r"(?:(?:general\s+|memorial\s+|community\s+|university\s+|regional\s+|children'?s\s+|"
                  r"teaching\s+|district\s+|county\s+)*hospital|medical\s+cent(?:er|re)|health\s+cent(?:er|re)|"
                  r"regional\s+medical\s+cent(?:er|re)|clinic|infirmary|hospice|nursing\s+home|health\s+system|"
                  r"surgery\s+cent(?:er|re)|rehabilitation\s+cent(?:er|re)|urgent\s+care|"
                  # places of care, pharmacies, practices and schools
                  r"(?:infusion|dialysis|imaging|surgical|cancer|wellness|treatment|birth|recovery)\s+cent(?:er|re)|"
                  r"care\s+home|nursing\s+facility|assisted\s+living|retirement\s+(?:home|village)|kidney\s+care|"
                  r"(?:family\s+)?pharmacy|apothecary|dental(?:\s+(?:group|care|associates|practice|clinic|office))?|"
                  r"(?:medical|health)\s+(?:practice|group|associates|partners|partnership)|associates|"
                  r"behaviou?ral\s+health|orthopa?edics|urology|dermatology|cardiology|oncology|pediatrics|"
                  r"paediatrics|gastroenterology|neurology|rheumatology|ophthalmology|physical\s+therapy|"
                  r"physiotherapy|chiropractic|day\s?care|nursery|preschool|kindergarten|"
                  r"(?:high|middle|elementary|primary|secondary|grammar|junior\s+high)\s+school|academy|"
                  r"university|college|parish|church)")
#: Nouns that name a place of care only after a name ("… Heart Centre", "… Cancer Institute"); in medical
#: text an institution after "the" ("the National Human Genome Research Institute") is no identifier.
_NEW_FACILITY_NOUN = (r"(?:"
                  # a place's name and the kind of place: "… Heart Centre", "… Cancer Institute", "… Lung Lab",
                  # specialties, GP surgeries and practices, schools, care homes and hotels
                  r"(?:[a-z]+\s+)?cent(?:er|re)|institute|lab(?:oratory|oratories|s)?|endoscopy|genetics(?:\s+program(?:me)?)?|"
                  r"physio|endocrinology|nephrology|pulmonology|gyn(?:a)?ecology|obstetrics|psychiatry|radiology|audiology|"
                  r"optometry|podiatry|sports\s+medicine|clinical\s+research|skilled\s+nursing|health\s+campus|"
                  r"infusion\s+suite|montessori|early\s+learning|conservatory|supermarket|"
                  # other places a person is found at: "… Healthcare", "… Diagnostics", a care home's "Manor", a
                  # school, a convent, a club
                  r"healthcare|health\s+care|diagnostics|medical\s+city|community\s+care|home\s+care|"
                  r"(?-i:Manor|Convent|Rectory|Presbytery|Monastery|Mosque|Synagogue|Temple|Gurdwara|Elementary|School|Chapel|Cathedral|"
                  r"(?:Rehabilitation\s+(?:&|and)\s+)?Nursing|"
                  r"Club|(?:R|A)?FC(?![\w&-])))")
_OLD_FACILITY_NOUN = _FACILITY_NOUN
_FACILITY_NOUN = rf"(?:{_OLD_FACILITY_NOUN}|{_NEW_FACILITY_NOUN})"
_KIND_OF_PLACE_ALONE = re.compile(rf"(?:the\s+)?{_FACILITY_NOUN}s?", re.IGNORECASE)


def kind_of_place_alone(span: str) -> bool:
    """``span`` is only a kind of place ("Institute", "the clinic", "Nursing"): it names none."""
    return _KIND_OF_PLACE_ALONE.fullmatch(span.strip()) is not None


#: Kinds of place that name one only after a name that is proper (a given name, surname, town or a word rare
#: in English): "Pinehurst Memorial", "Alder Senior Living", "Kelso Hand Unit", "Dunmore Fertility".
_KIND_AFTER_NAME = (r"memorial|senior\s+living|home\s+health|rehab|"
                    r"(?-i:Group|Unit|Primary|Medical|Fertility|Uniklinik|Infirmary)")
#: Kinds of place that are also everyday words ("home", "court", "health"): a facility's name only after
#: "at", "to", "from", "is", a comma or a colon, and not after "the" ("at Golden Lotus Home", "Care plan
#: review, Rosewood Court", "my clinic is Lakeshore Community Health").
_WEAK_FACILITY_NOUN = (r"(?:(?:women'?s|men'?s|community|gender|sexual|family)\s+health|health|home|house|court|hall|"
                       r"lodge|inn(?:\s+&\s+suites)?|hotel|motel|high|grammar|regional|campus|gym|studio|"
                       # a place of care by its kind after its name: "… Memorial", "… Senior Living", "… Home Health"
                       rf"{_KIND_AFTER_NAME}|(?-i:Surgery|Practice))")
#: Every kind of place a facility's name can end with (pattern text, for other modules' patterns): the strong kinds
#: ("hospital", "clinic") and those that are also everyday words ("home", "health").
KIND_OF_PLACE = rf"(?:{_FACILITY_NOUN}|{_WEAK_FACILITY_NOUN})"
#: Words that describe a facility rather than name it ("the local eye clinic").
_DESCRIPTORS = frozenset({"local", "nearest", "nearby", "main", "big", "small", "large", "new", "old", "private",
                          "public", "state", "eye", "dental", "animal", "veterinary", "vet", "psychiatric", "mental",
                          "walk-in", "walk", "urgent", "emergency", "cancer", "heart", "specialist", "sleep",
                          "fertility", "allergy", "free", "same", "other", "another", "different", "women's",
                          "children's", "kids", "pediatric", "general", "teaching", "university", "community",
                          "regional", "county", "district", "city", "rural", "military", "va", "er", "family",
                          "weight", "diabetes", "travel", "student", "outpatient", "inpatient", "day", "skin",
                          # what names an institution's field, not a place ("National Cancer Institute", "Rare
                          # Diseases Information Center")
                          "national", "federal", "international", "american", "british", "european", "world", "global",
                          "information", "rare", "research", "resource", "resources", "education", "support", "genetic",
                          "diseases", "disorders", "medicine", "medical", "health", "clinical", "science", "sciences"})


class FacilityRecognizer(RegexRecognizer):
    ENTITY, SCORE = "FACILITY", 0.8

    def __init__(self) -> None:
        super().__init__([
            re.compile(rf"(?i)\b(?P<id>(?:st\.?\s+|saint\s+)?(?:{_NAME_WORD}\s+){{1,4}}{_FACILITY_NOUN}\b"
                       rf"(?-i:\s+of\s+(?:the\s+)?[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)?)"),  # "Eye Associates of Tulsa"
            re.compile(rf"(?i:\b(?:at|to|from|is|via|with)\s+|[,:(]\s*)(?P<id>(?:{_NAME_WORD}\s+){{1,3}}(?i:{_WEAK_FACILITY_NOUN})"
                       rf"(?:['’]s)?)(?![\w'’-])"),
            # A capitalised place before "General" ("Dover General", "Albany Medical").
            re.compile(r"\b(?P<id>(?:[A-Z][a-z]+(?:-[A-Z][a-z]+)?\s+){1,2}(?:General|Regional))\b"
                       r"(?!\s+(?:practitioner|anaesthesia|anesthesia|surgery|[a-z]+\s+block))"),
            # A club or a school by its abbreviation after two capitalised words: "… Harriers AC", "… East HS"
            # (not "AC joint", "Left AC")
            re.compile(r"\b(?P<id>(?:[A-Z][a-z]+(?:-[A-Z][a-z]+)?\s+){2,3}(?:AC|HS))(?![\w&-])(?!\s+[a-z])"),
            # A children's or women's hospital by its short name: "Boston Children's", "Parkhurst Women's".
            re.compile(r"\b(?P<id>(?:[A-Z][a-z]+\s+){1,2}(?:Children|Women)[’']s)(?!\w)"),
            # A saint's hospital's emergency room, a shop or a firm: "St. Agnes ER", "Crumb & Co."
            re.compile(r"\b(?P<id>(?:St\.?|Saint)\s+[A-Z][a-z]+(?:['’]s)?\s+(?:ER|A&E|ED))\b"),
            re.compile(r"\b(?P<id>(?:[A-Z][a-z]+\s+){1,2}&\s+Co\.?)(?!\w)"),
        ])
        chains = alternation(list(lexicons().facility_chains))
        # after a lead-in, or first in a sentence ("Kaiser says …"); a chain of two words in any case ("planned parenthood")
        several = alternation([c for c in lexicons().facility_chains if " " in c or "-" in c])  # a hyphenated name too
        self.chains = re.compile(rf"(?:(?i:\b(?:at|from|to|the|my|nearest|local|of|with|via):?\s+)|^|(?<=[.!?:;|]\s)|(?<=\n))"
                                 rf"(?P<id>(?:{chains}|(?i:{several}))(?:\s+(?:[A-Z][a-z]+)){{0,2}})\b")

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
        from presidio_analyzer import RecognizerResult

        results = []
        for m in self.chains.finditer(text):
            # a chain with a branch's place after it ("Kaiser Oakland"), not a following sentence's word
            tokens = m.group("id").split()
            chain_words = len(next(c for c in sorted(lexicons().facility_chains, key=len, reverse=True)
                                   if m.group("id").lower().startswith(c.lower())).split())
            keep = chain_words
            for w in tokens[chain_words:]:
                if w.lower() in common_words() or is_medical_word(w) or (w.lower() in _english() and \
                        _english()[w.lower()] >= RARE * 10):
                    break
                keep += 1
            end = m.start("id") + len(" ".join(tokens[:keep]))
            results.append(RecognizerResult(self.ENTITY, m.start("id"), end, self.SCORE,
                                            recognition_metadata={"recognizer_name": self.label,
                                                                  "recognizer_identifier": self.id}))
        for r in super().analyze(text, entities, nlp_artifacts):
            span = text[r.start:r.end]
            after = re.match(r"\s+([A-Za-z]+)", text[r.end:])
            if span.endswith(("Children's", "Children’s", "Women's", "Women’s")) and after and (
                    _is_medicine(after.group(1).lower()) or after.group(1).lower() in ("health", "hospital", "clinic")):
                continue  # "Boston Children's Tylenol"? a medicine's name
            words = list(re.finditer(r"[^\W\d_][\w'’.-]*|&", span))
            # Drop leading stop words and descriptions; a name must be left before the facility noun.
            core = re.sub(r"\s+of\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?$", "", span)
            noun = re.search(rf"(?i)(?:{_FACILITY_NOUN}|{_WEAK_FACILITY_NOUN}(?:['’]s)?)$|General$|Regional$|"
                             r"(?:Children|Women)[’']s$|\b(?:ER|A&E|ED)$|&\s+Co\.?$", core)
            head_end = noun.start() if noun else len(span)
            kept = [w for w in words if w.start() < head_end]
            generic = noun is not None and not re.search(rf"(?i)(?:{_OLD_FACILITY_NOUN})$|General$|Regional$|"
                                                         r"(?:Children|Women)[’']s$|\b(?:ER|A&E|ED)$|&\s+Co\.?$", core)
            while kept and (kept[0].group(0).lower() in common_words() - {"st", "st."}
                            - ({"first", "second", "third"} if kept[0].group(0).istitle() and len(kept) > 1
                               and kept[1].group(0)[:1].isupper() else set())
                            or kept[0].group(0).lower().rstrip(".") in _DESCRIPTORS
                            or is_medical_word(kept[0].group(0))):
                kept.pop(0)
            if not kept or all(w.group(0).lower() in _DESCRIPTORS or is_medical_word(w.group(0)) for w in kept):
                continue
            if generic and span[kept[0].start():].islower() and not re.search(r"(?i)\w+['’]?s\s+health$", span):
                continue  # "genotyping laboratory", "overall health": lower-case words, no name
            lower = span[kept[0].start():].islower()
            if not lower:
                # a name is capitalised: the capitalised words right before the noun ("she works at
                # Hollyfield Care Home", not "works at Hollyfield")
                run = len(kept)
                while run > 0:
                    token = kept[run - 1].group(0)
                    joins = token in ("of", "de", "la", "&") or (token == "the" and run > 1 and kept[run - 2].group(0) == "of") \
                        or (token == "and" and run > 1 and kept[run - 2].group(0)[:1].isupper()
                            and _proper(kept[run - 2].group(0))) \
                        or (token == "Our" and run < len(kept) and kept[run].group(0) == "Lady")
                    ordinal = token in ("First", "Second", "Third") and run < len(kept)  # "First Methodist Church"
                    if not joins and not ordinal and (not token[:1].isupper()
                                                      or token.lower() in common_words() - {"st", "st."}):
                        break
                    run -= 1
                capitalised = kept[run:]
                while capitalised and capitalised[0].group(0).lower() in ("of", "de", "la", "the", "&"):
                    capitalised.pop(0)
                if capitalised and core == span and all(
                        w.group(0).lower().rstrip(".") in _DESCRIPTORS or is_medical_word(w.group(0))
                        or _is_medicine(w.group(0).lower()) or w.group(0) == "&" for w in capitalised):
                    continue  # "THE WARFARIN CLINIC": a kind of clinic, not its name
                # none: a lower-case name after a capitalised word ("Admitted to ashland memorial hospital")
                lower = not capitalised
                kept = capitalised or kept
            if lower:
                # in lower case the name is the words after the last stop word ("they sent me to
                # joshuahaven university hospital"), each a census name, a place prefix or no English word
                last = max((i for i, w in enumerate(kept) if w.group(0).lower() in common_words()), default=-1)
                kept = kept[last + 1:]
                if not kept or not all(_name_like(w.group(0)) for w in kept):
                    continue
            if re.search(rf"(?:{_KIND_AFTER_NAME})$", core) and (not _proper(first := kept[0].group(0)) or (
                    re.search(r"(?i)\bthe\s+$", text[:r.start + kept[0].start()])
                    and _english()[first.lower()] >= RARE)):
                continue  # "the Burns Unit", "Internal Medical": a kind of unit, not a place's name
            if generic and re.search(r"\b(?i:the)\s+(?:[A-Z][\w'’-]*\s+){0,3}$", text[max(0, r.start + kept[0].start() - 40):
                                                                                   r.start + kept[0].start()]) \
                    and not any(_proper(w.group(0)) for w in kept):
                continue  # "the National Human Genome Research Institute": an institution, not a patient's place
            r.start += kept[0].start()
            results.append(r)
        return results


def _proper(word: str) -> bool:
    """A capitalised word that names, not describes: a given name, surname or town, or a word rare in English
    ("Levine", "Dumfries"), not a descriptor or medical word ("National", "Cancer")."""
    w = re.sub(r"['’]s$", "", word).lower()
    if not word[:1].isupper() or w in _DESCRIPTORS or w in common_words() or is_medical_word(w):
        return False
    return w in surnames() or w in world_first_names() or fold(w) in place_names() or _english()[w] < RARE


#: Words for a hospital or clinic in the languages patients write in, before the name ("Hospital Auxilio
#: Mutuo", "Ospedale Niguarda", "Hôpital Bichat", "Ysbyty Gwynedd", "Bệnh viện Từ Dũ", "Szpital Miejski").
_FACILITY_FIRST = (r"hospital|hôpital|hopital|ospedale|clínica|clinica|klinik|klinikum|universitätsklinikum|"
                   r"universitätsspital|kantonsspital|spital|krankenhaus|szpital|ysbyty|ospital|sanatorio|"
                   r"policl[ií]nic[oa]|consultorio|centro\s+de\s+salud|centro\s+m[eé]dico|centre\s+hospitalier|"
                   r"hospitais|hospitales|ziekenhuis|sjukhus|sykehus|bệnh\s+viện|benh\s+vien|phòng\s+khám|"
                   r"phong\s+kham|rumah\s+sakit|teaching\s+hospital|children['’]s\s+hospital\s+of|"
                   r"university\s+hospital\s+of|school\s+of\s+(?:medicine|nursing)")
#: Joining words inside such a name ("Hospital de la Santa Creu", "Ospital ng Maynila", "Szpital im. Jonschera").
_FACILITY_JOIN = r"(?:de|del|della|di|da|do|dos|das|la|le|los|las|des|du|ng|im\.|am|an\s+der|y|e|of|the|l['’]|đa\s+khoa|da\s+khoa)"


class FacilityFirstRecognizer(RegexRecognizer):
    """A facility named after its noun, as many languages name hospitals ("Hospital Carlos Van Buren",
    "Clínica Las Américas", "l'hôpital Robert-Debré", "Children's Hospital of Fudan University") (FACILITY).
    After the English "Hospital" the words must name (:func:`_proper`, or no English word): "Hospital Anxiety
    and Depression Scale" is a questionnaire."""

    ENTITY, SCORE = "FACILITY", 0.8

    def __init__(self) -> None:
        name = r"[^\W\d_a-z][^\W_]*(?:['’-][^\W\d_]+)*\.?"
        super().__init__([re.compile(
            rf"(?<![\w-])(?P<id>(?:[Ll]['’])?(?i:{_FACILITY_FIRST})(?:\s+(?:(?i:{_FACILITY_JOIN})\s+)?{name}){{1,5}})")])

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
        from presidio_analyzer import RecognizerResult

        out = []
        for m in self.patterns[0].finditer(text):
            noun = re.match(rf"(?:[Ll]['’])?(?i:{_FACILITY_FIRST})", m.group("id"))
            assert noun is not None
            rest = list(re.finditer(r"\S+", m.group("id")[noun.end():]))
            english = noun.group(0).lower() in ("hospital", "teaching hospital", "klinik")
            words: list[re.Match[str]] = []
            for w in rest:
                token = w.group(0).rstrip(".,")
                if words and words[-1].group(0).endswith(".") and not re.fullmatch(r"(?:[A-Z]|im|St|Sta|Sto)\.",
                                                                                   words[-1].group(0)):
                    break  # a sentence ended ("… Robert-Debré. Elle prend …")
                if re.fullmatch(_FACILITY_JOIN, token, re.I) or re.fullmatch(r"[IVX]{1,4}", token):
                    words.append(w)
                    continue
                if is_medical_word(token) or _is_medicine(token.lower()) or token.lower() in _CALENDAR or (
                        english and not (_proper(token) or unknown_word(token) or token.isupper())):
                    break
                words.append(w)
            while words and re.fullmatch(_FACILITY_JOIN, words[-1].group(0), re.I):
                words.pop()
            if not any(not re.fullmatch(_FACILITY_JOIN, w.group(0), re.I) for w in words):
                continue
            if _before_condition(text, m.start("id") + noun.end() + words[-1].end()):
                continue  # "Hospital Anxiety … Scale", "Hospital X syndrome"
            end = m.start("id") + noun.end() + words[-1].end()
            if text[end - 1] == "." and not re.fullmatch(r"(?:[A-Z]|im)\.", words[-1].group(0)):
                end -= 1
            out.append(RecognizerResult(self.ENTITY, m.start("id"), end, self.SCORE,
                                        recognition_metadata={"recognizer_name": self.label,
                                                              "recognizer_identifier": self.id}))
        return out


#: A health system written as one word of two capitalised parts, a branch's name after it: "BayCare St. Brigid",
#: "NorthCare Riverton General".
_CAMEL_SYSTEM = re.compile(r"(?<![\w-])(?P<id>[A-Z][a-z]+(?:Health|Care)(?:\s+(?:(?:St\.?|Saint)\s+)?[A-Z][a-z]+){0,3})\b(?!\s+\d)")
_HEALTH_SYSTEM = re.compile(r"\b(?P<id>(?P<name>(?:[A-Z][\w'’-]*\s+){1,2})(?:Health(?:care)?|Medicine)\b(?P<more>\s+[A-Z][a-z]+)?)")


def _naming(word: str) -> bool:
    """A capitalised word that is a surname, a given name or a town, or no English word ("Penn", "Bozeman")."""
    w = re.sub(r"['’]s$", "", word).lower()
    return _proper(word) and not word.isupper() and _english()[w] < RARE and (w in surnames() or w in world_first_names()
                                                        or fold(w) in place_names() or unknown_word(w))


class HealthSystemRecognizer(RegexRecognizer):
    """A health system or practice named "… Health", "… Healthcare" or "… Medicine" after a proper name or an
    acronym ("Tarrant Health", "UCX Health", "Okafor Family Medicine", "Bozeman Health Deaconess"), not after a
    field ("Mental Health", "Internal Medicine", "Sports Medicine") (FACILITY)."""

    ENTITY, SCORE = "FACILITY", 0.8
    PATTERNS = ()

    def __init__(self) -> None:
        super().__init__([_HEALTH_SYSTEM])

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
        from presidio_analyzer import RecognizerResult

        out = []
        for m in _CAMEL_SYSTEM.finditer(text):
            words = m.group("id").split()
            keep = 1
            for w in words[1:]:
                if w.lower() in common_words() or is_medical_word(w) or _is_any_medicine(w.lower()) or w.lower() in _CALENDAR:
                    break
                keep += 1
            out.append(RecognizerResult(self.ENTITY, m.start("id"), m.start("id") + len(" ".join(words[:keep])), self.SCORE,
                                        recognition_metadata={"recognizer_name": self.label,
                                                              "recognizer_identifier": self.id}))
        for m in _HEALTH_SYSTEM.finditer(text):
            words = m.group("name").split()
            # the name is the words right before the noun ("Dear Penn Medicine": "Penn"), "Family" among them
            start = len(words)
            while start > 0 and (_naming(words[start - 1]) or (words[start - 1] == "Family" and start > 1)):
                start -= 1
            if start < len(words) and words[start] == "Family":
                start += 1
            if start == len(words) and re.fullmatch(r"[A-Z]{2,4}", words[-1]) and not is_medical_word(words[-1]) \
                    and not m.group("more"):
                start = len(words) - 1  # "DHR Health"; not "NHS Health Check"
            if start == len(words):
                continue
            offset = m.start("id") + len(" ".join(m.group("name").split()[:start])) + (1 if start else 0)
            end = m.end("id")
            more = m.group("more")
            if more and not (_naming(more.strip()) and more.strip().lower() not in common_words()):
                end = m.start("more")
            out.append(RecognizerResult(self.ENTITY, offset, end, self.SCORE,
                                        recognition_metadata={"recognizer_name": self.label,
                                                              "recognizer_identifier": self.id}))
        return out


_AT_PLACE = re.compile(r"(?i:\b(?:at|via))\s+(?:the\s+)?(?P<id>[A-Z][\w'’-]+\s+[A-Z][\w'’-]+)(?![\w'’-]|\s+[A-Z][a-z])")


class PlaceAfterAtRecognizer(RegexRecognizer):
    """Two capitalised words after "at" or "via" that are a place's proper name ("at Riverside Methodist",
    "via Kenmore Eastside"): none a common, medical or calendar word, a medicine or a given name first (a
    person's), one of them a town's, a surname or no English word (FACILITY)."""

    ENTITY, SCORE = "FACILITY", 0.75
    PATTERNS = ()

    def __init__(self) -> None:
        super().__init__([_AT_PLACE])

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
        from presidio_analyzer import RecognizerResult

        out = []
        for m in _AT_PLACE.finditer(text):
            words = [re.sub(r"['’]s$", "", w) for w in m.group("id").split()]
            if any(w.lower() in common_words() or is_medical_word(w) or _is_any_medicine(w) or w.lower() in _CALENDAR
                   or w.lower() in _DESCRIPTORS or (w.isupper() and len(w) > 1) for w in words):
                continue
            if words[0].lower() in world_first_names() or _before_condition(text, m.end("id")):
                continue  # "at Lisa Moore's": a person; "at Graves Disease": a condition
            if not any(_naming(w) for w in words):
                continue
            out.append(RecognizerResult(self.ENTITY, m.start("id"), m.end("id"), self.SCORE,
                                        recognition_metadata={"recognizer_name": self.label,
                                                              "recognizer_identifier": self.id}))
        return out


#: A proper name after a lower-case "at" (shouted text never matches): "seen at Kestrel Bay", "a nurse at
#: Ridley", "a second opinion at UCSX". Capitalised words or one acronym, up to five, "of" and "&" joining; a
#: capitalised "The" before them is the name's ("at The Harwell Clinic").
_AT_PROPER = re.compile(r"(?<![\w-])at\s+(?:(?P<the>[Tt]he)\s+)?(?P<id>[A-Z][\w'’&.-]*(?:\s+(?:of\s+|&\s+)?[A-Z][\w'’&-]*){0,4})")
#: Units and places of a hospital, written as acronyms after "at": a kind of place, no name.
_CARE_UNITS = frozenset({"er", "ed", "or", "icu", "nicu", "picu", "ccu", "hdu", "gp", "pt", "ot", "ae", "uk", "us",
                         "usa", "ob", "ent", "mri", "ct", "pet", "am", "pm", "noon", "pcp", "cvs"})


class ProperAfterAtRecognizer(RegexRecognizer):
    """The proper name of a place after "at" with no facility noun ("hip repaired at Kestrel Bay", "a nurse at
    Ridley", "fainted at Coreline Climbing", "a second opinion at UCSX") (FACILITY): the capitalised words
    after a lower-case "at", cut at the first that is a medical, calendar or title word or a medicine; one word
    alone must be no common English word nor a given name (a person's house), and not before a condition's
    noun ("at Lyme disease")."""

    ENTITY, SCORE = "FACILITY", 0.7
    PATTERNS = ()

    def __init__(self) -> None:
        super().__init__([_AT_PROPER])

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
        from presidio_analyzer import RecognizerResult

        titles = {t.rstrip(".").lower() for t in lexicons().titles}
        out = []
        for m in _AT_PROPER.finditer(text):
            words: list[re.Match[str]] = []
            for w in re.finditer(r"\S+", m.group("id")):
                token = re.sub(r"['’]s$", "", w.group(0).rstrip(".,;:!?"))
                low = token.lower()
                if not token or is_medical_word(token) or _is_any_medicine(low) or low in _CALENDAR \
                        or low in titles or low in _CARE_UNITS or any(ch.isdigit() for ch in token) or re.fullmatch(r"[IVX]{1,4}", token) \
                        or low in lexicons().ambiguous_eponyms or low in ("i", "and", "but", "so", "my", "the"):
                    break
                words.append(w)
            while words and words[-1].group(0).lower() in ("of", "&"):
                words.pop()
            if not words:
                continue
            tokens = [re.sub(r"['’]s$", "", w.group(0).rstrip(".,;:!?")) for w in words]
            if all(t.lower() in common_words() or t.lower() in _DESCRIPTORS for t in tokens):
                continue
            if len(tokens) == 1:
                t = tokens[0]
                if t.isupper() and not 2 <= len(t) <= 5:
                    continue
                if not t.isupper() and (_english()[t.lower()] >= RARE or t.lower() in first_names()):
                    continue  # "at Lunch", "at Lisa's": an English word, a person's
            end = m.start("id") + words[-1].start() + len(words[-1].group(0).rstrip(".,;:!?"))
            if text[end - 2:end] in ("'s", "’s"):
                end -= 2
            if _before_condition(text, end, loose=False):
                continue
            start = m.start("the") if m.group("the") == "The" else m.start("id")
            out.append(RecognizerResult(self.ENTITY, start, end, self.SCORE,
                                        recognition_metadata={"recognizer_name": self.label,
                                                              "recognizer_identifier": self.id}))
        return out


#: A shop by its name and number: "Fairway Drugs #5127", "KESTREL DRUGS #04417".
_STORE = re.compile(r"(?<![\w#-])(?P<id>(?:[A-Z][\w&'’.-]*\s+){0,2}[A-Z][\w&'’.-]*\s*#\s?\d{3,6})(?![\w-])")
#: What a number after "#" counts that is no shop: a room, a bed, a record.
_NUMBERED = frozenset({"room", "rm", "bed", "ward", "bay", "apt", "apartment", "unit", "suite", "ste", "box", "order",
                       "no", "number", "lot", "batch", "ticket", "case", "item", "table", "floor", "gate", "page",
                       "step", "week", "day", "cycle", "dose", "visit", "id", "patient", "pt", "rx", "ref"})


class StoreNumberRecognizer(RegexRecognizer):
    """A shop or a branch by its name and its number ("Fairway Drugs #5127", "KESTREL DRUGS #04417") (FACILITY):
    capitalised words right before "#" and three to six digits, none a word for what such a number counts
    ("Room #305", "Bed #3") nor a record's label ("MRN #…")."""

    ENTITY, SCORE = "FACILITY", 0.75
    PATTERNS = ()

    def __init__(self) -> None:
        super().__init__([_STORE])

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
        from presidio_analyzer import RecognizerResult

        from curbside.consult.recognizers import LABEL

        out = []
        for m in _STORE.finditer(text):
            words = re.findall(r"[^\s#]+", m.group("id"))[:-1]
            while words and (words[0].lower() in common_words() or words[0].lower().rstrip(".") in _NUMBERED):
                words.pop(0)
            if not words or any(w.lower().rstrip(".:") in _NUMBERED for w in words) or \
                    re.search(rf"(?i)\b(?:{LABEL})\s*$", " ".join(words)):
                continue
            start = m.start("id") + m.group("id").index(words[0])
            out.append(RecognizerResult(self.ENTITY, start, m.end("id"), self.SCORE,
                                        recognition_metadata={"recognizer_name": self.label,
                                                              "recognizer_identifier": self.id}))
        return out


#: A ZIP code after a town of GeoNames without a state between: "Minneapolis 55454".
_TOWN_ZIP = re.compile(r"\b(?P<town>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?),?\s+(?P<id>\d{5}(?:-\d{4})?)(?![\w/-]|[.,]\d|\s*(?:mg|ml|units?|iu|steps|mcg)\b)")


class TownZipRecognizer(RegexRecognizer):
    """A five-digit postcode right after a town's name (GeoNames): "Minneapolis 55454" (ADDRESS)."""

    ENTITY, SCORE = "STREET_ADDRESS", 0.75
    PATTERNS = ()

    def __init__(self) -> None:
        super().__init__([_TOWN_ZIP])

    def accept(self, text: str, match: re.Match[str]) -> bool:
        town = match.group("town")
        return fold(town) in place_names() and not is_medical_word(town) and town.lower() not in common_words() \
            and not _is_any_medicine(town.split()[-1])


#: A workplace: "I work at Whole Foods", "he works nights at the Kroger", "i work the front desk at …".
_WORKPLACE = re.compile(r"(?i:\b(?:(?:work(?:s|ed|ing)?|employed|job|shift|volunteer(?:s|ed|ing)?)\b(?:\s+[a-z]+){0,4}?"
                        r"\s+(?:at|for)|(?:i|we|he|she|they)\s+(?:run|manage|own)s?|"
                        # an employer, an insurer, a gym or a vendor named after its label: "my employer Acme Rail",
                        # "our insurer is Pellham Mutual", "her gym (Vertex Studio)", "a ticket raised with Orbix"
                        r"(?:employer|insurer|insurance(?:\s+company)?|health\s+plan|gym|vendor)(?:\s+(?:is|was))?|"
                        r"ticket\s+(?:opened|raised|filed)\s+with)\s*\(?\s*(?:the\s+)?)(?P<id>[A-Z][\w&'’.-]*(?:\s+(?:&\s+)?[A-Z0-9][\w&'’-]*){0,3})")


class WorkplaceRecognizer(RegexRecognizer):
    """The capitalised name after "work(s) at", "employed at", "job at" (a shop, a firm, a warehouse):
    where a person can be found (FACILITY). Not a medicine, a medical word or a calendar word."""

    ENTITY, SCORE = "FACILITY", 0.75
    PATTERNS = ()

    def __init__(self) -> None:
        super().__init__([_WORKPLACE])

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
        from presidio_analyzer import RecognizerResult

        out = []
        for m in _WORKPLACE.finditer(text):
            words: list[re.Match[str]] = []
            for w in re.finditer(r"\S+", m.group("id")):
                token = w.group(0).rstrip(".,;:!?")
                # capitalised after "work at", a common word names too ("Whole Foods"); not a pronoun
                if token.lower() in ("i", "the", "and", "but", "so", "my") or is_medical_word(token) \
                        or _is_medicine(token.lower()) or token.lower() in _CALENDAR:
                    break
                words.append(w)
            if not words:
                continue
            end = m.start("id") + words[-1].start() + len(words[-1].group(0).rstrip(".,;:!?"))
            out.append(RecognizerResult(self.ENTITY, m.start("id"), end, self.SCORE,
                                        recognition_metadata={"recognizer_name": self.label,
                                                              "recognizer_identifier": self.id}))
        return out


_WEEKDAYS = (r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun")


#: The fractions doses come in ("1/2 tablet", "3/4 of a cup"): a day/month in this shape is no date in a sentence
#: about doses.
DOSE_FRACTION = re.compile(r"1/[234]|2/3|3/4")
_DOSE_WORDS = re.compile(r"(?i)\b(?:tablets?|tabs?|pills?|capsules?|caps?|doses?|mg|mcg|ml|teaspoons?|tsp|"
                         r"tablespoons?|cups?|puffs?|units?|drops?|sachets?)\b")


class LeadInDateRecognizer(RegexRecognizer):
    """Day/month without a year ("3/4") after a word that dates an event, or between two such dates, with a
    time of day or in brackets; a weekday with its time of day ("Sat 3:40 AM")."""

    ENTITY, SCORE = "DATE_TIME", 0.8
    PATTERNS = (
        r"(?i)\b(?:admitted|discharged|released|seen|visited|born|operated|started|stopped|began|tested|"
        r"scanned|diagnosed|vaccinated|delivered|scheduled|booked|due|dated|last|next|since|until|till|on|"
        r"from|through|thru|to|and|between|by|before|after|around|of)\s+(?:on\s+)?"
        r"(?P<id>(?:1[0-2]|0?[1-9])/(?:[12]\d|3[01]|0?[1-9])|(?:1[3-9]|2\d|3[01])/(?:1[0-2]|0?[1-9]))\b"
        r"(?!/|\s*(?:of|tablet|tab|cup|pill|dose|inch|"
        r"teaspoon|tsp|mg|ml|strength|cm|mm))",
        # a day/month with a time of day ("handover 3/9 21:30"), or in brackets when one side is past 12 ("(4/23)")
        r"(?<![\w/.])(?P<id>(?:[12]\d|3[01]|0?[1-9])/(?:[12]\d|3[01]|0?[1-9])\s+(?:at\s+|@\s*)?(?:[01]?\d|2[0-3]):[0-5]\d"
        r"(?:\s*[AaPp]\.?[Mm]\.?)?)(?!\w|:\d)",
        # a 24-hour time without a colon after "@" or "at": "came in 5/9 @ 0340"
        r"(?<![\w/.])(?P<id>(?:[12]\d|3[01]|0?[1-9])/(?:[12]\d|3[01]|0?[1-9])\s+(?:at|@)\s*(?:[01]\d|2[0-3])[0-5]\d)(?![\w/:]|\.\d)",
        # a quarter of a year: "Q3 2024", "in Q1 of 2023"
        r"\b(?P<id>Q[1-4]\s+(?:of\s+)?(?:19|20)\d{2})\b",
        r"\(\s*(?P<id>(?:1[0-2]|0?[1-9])/(?:1[3-9]|2\d|3[01])|(?:1[3-9]|2\d|3[01])/(?:1[0-2]|0?[1-9]))\s*\)",
        # a weekday with its time of day: "SAT 03:40 AM", "next Monday 9am", "Wed evening at 6:15"
        rf"(?i)\b(?P<id>(?:(?:next|last|this|on)\s+)?(?:{_WEEKDAYS})\.?,?\s+(?:(?:morning|afternoon|evening|night)\s+)?"
        r"(?:at\s+|@\s*|around\s+)?(?:(?:[01]?\d|2[0-3]):[0-5]\d(?:\s*[ap]\.?m\.?)?|(?:1[0-2]|0?[1-9])\s*[ap]\.?m\.?))(?!\w|:\d)",
    )

    def accept(self, text: str, match: re.Match[str]) -> bool:
        """Not a dose's fraction where the sentence is about doses ("1/2 tablet at night and 3/4 in the morning")."""
        if DOSE_FRACTION.fullmatch(match.group("id")) is None:
            return True
        return _DOSE_WORDS.search(text[max(0, match.start() - 60):match.end() + 40]) is None


class LowercaseStreetRecognizer(RegexRecognizer):
    """Street addresses in lower case. With a core suffix ("12 main street") the words before it need
    one word that is not a stop word; with another USPS suffix ("40 hannah forks") every word must be
    a given name or surname of the census lists, which Faker and real streets name streets after."""

    ENTITY, SCORE = "STREET_ADDRESS", 0.75
    PATTERNS = (r"(?i)\b\d{1,6}\s+(?P<words>(?:[a-z](?:[a-z'-]*|\.)\s+){1,3})(?:street|st|road|rd|avenue|ave|boulevard|"
                r"blvd|lane|ln|drive|dr|court|ct|way|place|pl|terrace|highway|hwy|parkway|pkwy|circle|"
                r"crescent|close)\b\.?(?:\s+(?:ne|nw|se|sw)\b)?",)

    def __init__(self) -> None:
        from curbside.consult.recognizers import street_types

        more = re.compile(rf"(?i)\b\d{{1,6}}\s+(?P<names>(?:[a-z][a-z'-]*\s+){{1,2}})(?:{alternation(street_types())})\b\.?")
        super().__init__([*(re.compile(p) for p in self.PATTERNS), more])

    def accept(self, text: str, match: re.Match[str]) -> bool:
        if "names" in match.re.groupindex:
            names = match.group("names").lower().split()
            return all((w in first_names() or w in surnames()) and not is_plain_word(w) for w in names)
        words = match.group("words").split()
        if any(w.lower() in ("and", "or", "but", "then", "to", "for", "with", "in", "at") for w in words):
            return False  # "potassium 52 and the gp dr …": a clause, not a street's name
        return not any(w.lower() in COUNTED or is_medical_word(w) for w in words) and \
            not all(w.lower() in common_words() for w in words)


class LeadInPlaceRecognizer(RegexRecognizer):
    """A capitalised place name (after truecasing) right after "I live in", "we moved to", "we are from" …"""

    ENTITY, SCORE = "LOCATION", 0.9  # above spaCy's 0.85 (see LeadInNameRecognizer)
    PATTERNS = (r"(?i:\b(?:live[sd]?\s+in|living\s+in|moved\s+to|move\s+to|relocated\s+to|based\s+in|here\s+in|"
                r"(?:i|we)\s*(?:'m|'re|\s+am|\s+are)\s+from|(?:i|we)\s+come\s+from|born\s+in|grew\s+up\s+in|"
                r"live\s+near|living\s+near|near))\s+(?P<id>(?:[A-Z][a-z]{0,2}\.|[A-Z][a-z'-]+(?:-[A-Z][a-z']+)*)(?:\s+[A-Z][a-z'-]+){0,2})",
                # "we're in Stavanger": a capitalised word that is rare as an English word ("I'm in Pain" is none)
                r"(?i:\b(?:(?:i|we)\s*(?:'m|’m|'re|’re|\s+am|\s+are)\s+)?(?:in|from|near))\s+(?P<rare>(?P<id>[A-Z][a-z'-]+(?:-[A-Z][a-z']+)*(?:\s+[A-Z][a-z'-]+){0,2}))",
                # "flew him to Billings": after "to", a town's name rare in English
                r"(?i:\bto)\s+(?P<rare>(?P<to>(?P<id>[A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+){0,2})))(?!['’]s)",
                # "at Raigmore", "at Specsavers": after "at", one capitalised word that is no English word at all
                r"(?i:\bat)\s+(?P<unknown>(?P<id>[A-Z][a-z'’-]{3,}))(?![\w'’-]|\s+[A-Z])")

    def accept(self, text: str, match: re.Match[str]) -> bool:
        words = match.group("id").split()
        named = words[1] if len(words) > 1 and words[0].lower() in _PLACE_PREFIXES else words[0]  # "Old Lyme"
        if "rare" in match.re.groupindex and _english()[named.lower()] >= RARE and not _capitalised_town(match):
            return False
        if "to" in match.re.groupindex and (_is_any_medicine(named) or fold(match.group("id")) not in place_names()
                                            or in_medicine_context(text, match.start("id"), match.end("id"))
                                            or re.search(r"(?i)\bswitch\w*\b", text[max(0, match.start() - 60):match.start()])):
            return False  # "switched me from Camila to Errin": medicines
        if "unknown" in match.re.groupindex and (not unknown_word(named) or _is_any_medicine(named)
                                                 or named.lower() in world_first_names()
                                                 or named.lower() in lexicons().unambiguous_eponyms
                                                 or named.lower() in {f.lower() for f in lexicons().facility_chains}):
            return False
        following = re.match(r"(?:['’]s)?\s+([A-Za-z]+)", text[match.end():])
        if following and following.group(1).lower() in lexicons().head_nouns | {"disease", "syndrome"}:
            return False  # "in Wilson disease": a condition's name
        if len(words) > 1 and words[0].lower() in _PLACE_PREFIXES:
            # "near Old Lyme", "in East Haddam": a place prefix makes the next word a town's name, an
            # eponym included
            return not (words[1].lower() in common_words() or _is_medicine(words[1].lower())
                        or (is_medical_word(words[1]) and words[1].lower() not in lexicons().unambiguous_eponyms))
        return not any(w.lower() in common_words() or is_medical_word(w) or _is_medicine(w.lower())
                       for w in words[:1])


def _capitalised_town(match: re.Match[str]) -> bool:
    """A capitalised English word after "in", "from", "near" that is a town's name (GeoNames' towns: "greetings
    from Bath", "moved from Reading"): written so mid-sentence it names the town, unless it is a stop, calendar or
    medical word or a medicine ("in Colon" is none). Not after "to" ("went to Church")."""
    if "to" in match.re.groupindex:
        return False
    words = match.group("id").split()
    name = " ".join(words)
    return (fold(name) in place_names() or fold(words[0]) in place_names()) and not any(
        w.lower() in stop_words() or w.lower() in _CALENDAR or is_medical_word(w) or _is_any_medicine(w)
        for w in words[:1])


@cache
def regions() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The states, provinces and territories of the US, Canada and Australia, as the ``holidays``
    package lists them for their holidays: (codes, names) — "CT", "NSW"; "Idaho", "Nova Scotia"."""
    import holidays

    codes: set[str] = set()
    names: set[str] = set()
    for country in ("US", "CA", "AU"):
        calendar = holidays.country_holidays(country)
        codes |= {c for c in calendar.subdivisions if re.fullmatch(r"[A-Z]{2,3}", c)}
        names |= {n for n in getattr(calendar, "subdivisions_aliases", {}) if re.fullmatch(r"[A-Z][A-Za-z .'-]+", n)}
    return tuple(sorted(codes)), tuple(sorted(names, key=len, reverse=True))


#: Region codes that are also English words or common abbreviations ("OK", "IN", "ME", "PA"): a town
#: only before them after a comma, at the end of a sentence ("Lyme, ME."), not "Is Yoga OK?".
#: Region codes that are also English words ("OK", "IN", "ME"): a region only where nothing else reads.
WORD_CODES = frozenset({"OK", "IN", "OR", "ME", "HI", "DE", "LA", "MA", "PA", "AS", "ID", "MD", "NT", "SA", "WA", "CO"})


class TownRecognizer(RegexRecognizer):
    """A town before its state, province or territory ("Lyme, CT", "Round Rock TX", "Salmon, Idaho",
    "Olds, AB") (LOCATION): the capitalised words right before the region, none a medical word,
    medicine, stop word or title."""

    ENTITY, SCORE = "LOCATION", 0.85

    def __init__(self) -> None:
        codes, names = regions()
        word = r"[A-Z][a-z'’-]+"
        pattern = re.compile(rf"\b(?P<id>{word}(?:\s+{word}){{0,2}})(?P<comma>,)?\s+(?P<region>{alternation(list(codes))}|"
                             rf"{alternation(list(names))})(?P<after>\b[.,;!?)]?)")
        super().__init__([pattern])

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
        from presidio_analyzer import RecognizerResult

        out = []
        titles = {t.rstrip(".").lower() for t in lexicons().titles}
        for match in self.patterns[0].finditer(text):
            region = match.group("region")
            if region in WORD_CODES and not (match.group("comma") and re.match(r"\s*(?:[.,;!?)]|$|\d)",
                                                                                   text[match.end("region"):])):
                continue
            words = list(re.finditer(r"\S+", match.group("id")))
            while words and (words[0].group(0).lower() in common_words() or words[0].group(0).lower() in titles):
                words.pop(0)
            # an eponym before a region is the town it is named after ("Lyme, CT"), not the disease
            if not words or any((is_medical_word(w.group(0)) and w.group(0).lower() not in lexicons().unambiguous_eponyms)
                                or _is_medicine(w.group(0).lower())
                                or w.group(0).lower() in common_words() or re.fullmatch(
                                    r"(?i)(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|"
                                    r"february|march|april|may|june|july|august|september|october|november|"
                                    r"december)", w.group(0)) for w in words):
                continue
            start = match.start("id") + words[0].start()
            # the region goes with the town at a clause's end ("in Round Rock TX.", "Salmon, Idaho, where"), not an
            # acronym a word follows ("Plan CT abdomen": a scan) nor before a postcode ("Ottawa, ON K1A 0B1")
            end = match.end("region") if region.isupper() and re.match(r"\s*(?:[.,;:!?)]|$)", text[match.end("region"):]) \
                else match.end("id")
            out.append(RecognizerResult(self.ENTITY, start, end, self.SCORE,
                                        recognition_metadata={"recognizer_name": self.label,
                                                              "recognizer_identifier": self.id}))
        return out


#: Months and weekdays: capitalised, but no one's name here ("May", "June", "Friday").
_CALENDAR = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                       "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})
_NAME_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
#: Particles inside a name ("Pieter van der Merwe", "Ciarán Mac Giolla Phádraig", "Siti binti Rahman").
NAME_PARTICLES = frozenset({"van", "von", "der", "den", "de", "du", "da", "dos", "das", "di", "del", "della", "la", "le",
                            "mac", "mc", "ó", "ní", "nic", "ua", "bin", "binti", "bint", "ibn", "al", "el", "ap", "ter",
                            "te", "y"})


def _surname_like(word: str) -> bool:
    """A capitalised word that can end a name: no common, medical or calendar word, medicine or title; a
    census surname, a word that is no English word or one rare in English."""
    w = re.sub(r"['’]s$", "", word).lower()
    if not word[:1].isupper() or (word.isupper() and len(word) > 1) or w in common_words() or is_medical_word(w) or _is_medicine(w) or w in _CALENDAR:
        return False
    if w in {t.rstrip(".").lower() for t in lexicons().titles}:
        return False
    return w in surnames() or unknown_word(w) or _english()[w] < RARE or not w.isascii()


def name_word(word: str) -> bool:
    """A capitalised word that can be part of a name (:func:`_surname_like`), its possessive dropped."""
    return _surname_like(word)


@cache
def _medical_dictionary() -> frozenset[str]:
    """hunspell-en-med's terms, lower case (empty when the dictionary is not installed)."""
    from curbside.kb.spelling import medical_words

    return medical_words() or frozenset()


class InitialSurnameRecognizer(RegexRecognizer):
    """An initial or two and a surname ("P. Okafor", "J.R. Hollis", "Reg Dr A. Tiwari"): a census surname or a
    word that is no English word, not a species of the medical dictionary ("H. pylori", "S. Aureus") (NAME)."""

    ENTITY, SCORE = "PERSON", 0.9  # above spaCy's 0.85 (see LeadInNameRecognizer)
    PATTERNS = (r"(?<![\w.&/])(?P<id>[A-Z]\.\s?(?:[A-Z]\.\s?)?[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?)(?![\w'’-])",)

    def accept(self, text: str, match: re.Match[str]) -> bool:
        surname = match.group("id").rsplit(".", 1)[-1].strip()
        parts = [p.lower() for p in surname.split("-")]
        # "hepatitis B. He was …": a sentence's end and a pronoun, not an initial and a surname
        return all((p in surnames() or unknown_word(p)) and p not in common_words() and len(p) > 2
                   and p not in _medical_dictionary() and not is_medical_word(p)
                   and not _is_any_medicine(p) and p not in lexicons().unambiguous_eponyms for p in parts)


#: Labels of a message's header or a note's fields before a person's name: "From: Ada Obi", "Re: Ana Ruiz,".
_HEADER_NAME = re.compile(r"(?:^|(?<=[\s(]))(?:From|To|Cc|CC|Attn|Re|RE|Contact|Caller|Reported\s+by|Seen\s+by|Signed|"
                          r"Guardian|Parent|Emergency\s+contact)\s*:\s*"
                          r"(?P<id>[A-Z][^\W\d_]+(?:['’-][^\W\d_]+)*(?:\s+[A-Z][^\W\d_]+(?:['’-][^\W\d_]+)*){1,3})")


class HeaderNameRecognizer(RegexRecognizer):
    """A person's name, two to four capitalised words, after a header's or a form's label ("From: …",
    "Re: …", "Emergency contact: …"); none a common, medical or calendar word, medicine or title (NAME)."""

    ENTITY, SCORE = "PERSON", 0.9  # above spaCy's 0.85 (see LeadInNameRecognizer)
    PATTERNS = ()

    def __init__(self) -> None:
        super().__init__([_HEADER_NAME])

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
        from presidio_analyzer import RecognizerResult

        out = []
        for m in _HEADER_NAME.finditer(text):
            words = list(re.finditer(r"\S+", m.group("id")))
            keep = []
            for w in words:
                if not _surname_like(w.group(0)) and w.group(0).lower() not in world_first_names():
                    break
                keep.append(w)
            if len(keep) < 2:
                continue
            out.append(RecognizerResult(self.ENTITY, m.start("id"), m.start("id") + keep[-1].end(), self.SCORE,
                                        recognition_metadata={"recognizer_name": self.label,
                                                              "recognizer_identifier": self.id}))
        return out


class GivenNameRecognizer(RegexRecognizer):
    """A capitalised given name of many countries (census lists and ``faker``'s, :func:`world_first_names`)
    that is rare as an English word, alone ("Eli has a fever") or with surnames after it ("Edna Gallagher",
    "Pieter van der Merwe", 'Marguerite "Maggie" Doucette'); a common given name counts with a surname
    after it. Not a medical word, a medicine or an eponym, nor before a condition's noun ("Hunter
    syndrome", "Charles Bonnet syndrome", "Tommy John surgery") (NAME)."""

    ENTITY, SCORE = "PERSON", 0.9  # above spaCy's 0.85: its own checks, not spaCy's, judge it

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
        from presidio_analyzer import RecognizerResult

        lex = lexicons()
        out = []
        tokens = list(_NAME_TOKEN.finditer(text))
        i = 0
        while i < len(tokens):
            m = tokens[i]
            word = re.sub(r"['’]s$", "", m.group(0))
            w = word.lower()
            i += 1
            given = w in world_first_names() or ("-" in w and all(p in world_first_names() for p in w.split("-")))
            if (not word[:1].isupper() or word.isupper() or not given or is_medical_word(w)
                    or w in {t.rstrip(".").lower() for t in lex.titles}
                    or _is_medicine(w) or w in lex.ambiguous_eponyms or w in _CALENDAR
                    or (m.start() > 0 and text[m.start() - 1] in "-‐/@.#_")):
                continue
            end, j = m.end(), i
            surname = False
            while j < len(tokens) and not m.group(0).endswith(("'s", "’s")):
                gap = text[end:tokens[j].start()]
                token = tokens[j].group(0)
                if re.fullmatch(r"\s+[\"“('‘]", gap) and re.match(r"[\"”)'’]\s+", text[tokens[j].end():]) \
                        and token[:1].isupper() and token.lower() in world_first_names():
                    end, j = tokens[j].end() + 1, j + 1  # a nickname in quotes or brackets
                    continue
                if not re.fullmatch(r" ", gap):
                    break
                if token.lower() in NAME_PARTICLES and j + 1 < len(tokens) and tokens[j + 1].group(0)[:1].isupper() \
                        and re.fullmatch(r" ", text[tokens[j].end():tokens[j + 1].start()]):
                    j += 1  # "van der Merwe": the particle goes with the word after it
                    continue
                if not _surname_like(token):
                    break
                end, j, surname = tokens[j].end(), j + 1, True
                if token.endswith(("'s", "’s")):
                    break
            while end > m.end() and text[end - 1] in "\"”)":
                end -= 1
            rare = _english()[w] < RARE and w not in census_first_names() - first_names()
            if not (rare or (surname and (_english()[w] < RARE * 3 or w in census_first_names()))):
                continue  # "General Disorders": an English word first
            if _before_condition(text, end if not m.group(0).endswith(("'s", "’s")) else end - 2, loose=False):
                continue  # "Hunter syndrome", "Tommy John surgery", "Duchenne muscular dystrophy"
            after = re.findall(r"[A-Za-z]+", text[end:end + 40])[:1]
            if re.match(r"\s+(?:and\s+Company|Inc\b|LLC\b|Ltd\b|Corp|Pharma|Laborator)", text[end:]) or any(
                    text[m.start():m.start() + len(chain)].lower() == chain.lower() for chain in lex.facility_chains):
                continue  # "Eli Lilly and Company": a firm; "Kaiser Fremont": a health system's branch
            span = text[m.start():end]
            if len(span.split()) == 1 and (w in lex.unambiguous_eponyms or len(w) < 3 or _is_any_medicine(w)
                                           or (w not in census_first_names() and w in _english())
                                           or _between_proper_words(text, m)
                                           or in_medicine_context(text, m.start(), end)
                                           or _before_strength(text, end) or (
                    after and after[0].islower() and unknown_word(after[0]) and not _is_medicine(after[0])
                    and after[0].endswith(("us", "is", "ae", "um", "ii", "ans", "ens", "i", "a", "ax")))):
                continue  # "Candida albicans": a genus before its species; "Allegra", "Vi": a medicine's name
            out.append(RecognizerResult(self.ENTITY, m.start(), end, self.SCORE,
                                        recognition_metadata={"recognizer_name": self.label,
                                                              "recognizer_identifier": self.id}))
            i = max(i, j)
        return out


def _before_strength(text: str, end: int) -> bool:
    """Whether a number or a Roman numeral follows ``end`` ("Dolo 650", "Bethesda III"): a medicine's strength
    or a grade, not a person or a town (a town's postcode comes after a comma-separated address; a phone
    number has more groups: "Lena 307-555-0164")."""
    return re.match(r"\s+(?:\d{1,4}(?:[.,]\d+)?(?![\d/-])|[IVX]{1,4}\b)", text[end:]) is not None


def _between_proper_words(text: str, token: re.Match[str]) -> bool:
    """Whether a capitalised word stands right after or before another in one name ("St. John's Wort",
    "Somerset Pharmaceuticals", "Lilly USA"): part of a longer proper name, not a town on its own."""
    window = text[max(0, token.start() - 30):token.start()]
    before = re.search(r"(?:^|\s)([^\W\d_][\w'’.-]*)\s$", window)
    if before:
        previous = text[:token.start() - len(window) + before.start(1)].rstrip()
        if not previous or previous[-1] in ".!?:;\n(":
            before = None  # a capitalised first word of a sentence ("Wife Lena")
    after = re.match(r"\s([^\W\d_][\w'’.-]*)", text[token.end():])
    return bool((before and before.group(1)[:1].isupper() and not before.group(1).endswith("."))
                or (after and after.group(1)[:1].isupper() and (after.group(1)[1:2].islower() or len(after.group(1)) > 1)))


def _is_any_medicine(word: str) -> bool:
    """A medicine's name, census names included ("Allegra", "Yasmin")."""
    from curbside.kb.drugs import all_names

    return word.lower() in all_names()


def _before_condition(text: str, end: int, loose: bool = True) -> bool:
    """Whether a condition's noun comes right after ``end`` ("Colorado tick fever", "Bombay blood group",
    "Lyme disease"), possibly after one lower-case word or a possessive."""
    lex = lexicons()
    possessive = bool(re.match(r"['’]s\b", text[end:end + 2])) and not loose
    following = re.sub(r"^['’]s\b", "", text[end:end + 40])
    if not re.match(r"\s+[A-Za-z]", following):
        return False
    after = re.findall(r"[A-Za-z]+", following)[:2]

    def condition(word: str) -> bool:
        return word.lower() in lex.head_nouns or is_medical_word(word) or word.lower() in {"fever", "virus", "group",
                                                                                           "type", "types"}
    # a capitalised word, an adjective ("Duchenne muscular dystrophy") or, loosely, any lower-case word that is
    # no stop word ("Colorado tick fever") may stand between
    adjective = bool(after) and after[0].lower().endswith(("ic", "al", "ar", "ous", "ive", "ed"))
    qualifier = bool(after) and (after[0][:1].isupper() or adjective or (
        loose and after[0].islower() and after[0].lower() not in common_words()))
    if possessive and not (condition(after[0]) and after[0].lower() in lex.head_nouns | {"fever", "virus"}):
        return False  # "Matteo's spinal muscular atrophy": the person's condition; "Parkinson's disease" is kept
    return bool(after) and (condition(after[0]) or (len(after) > 1 and qualifier and condition(after[1])))


class PlaceNameRecognizer(RegexRecognizer):
    """A town's name (:func:`~curbside.consult.name_words.place_names`, GeoNames' towns of 1,000 people or
    more) written capitalised: one word rare in English ("Kettering", "Stornoway", "Ōtaki") or two or three
    words ("Swan Hill", "Big Timber"), none a common, medical or calendar word, medicine or eponym, and not
    before a condition's noun ("Colorado tick fever") (LOCATION)."""

    ENTITY, SCORE = "LOCATION", 0.86  # above spaCy's 0.85 (see GivenNameRecognizer), below a person's context

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
        from presidio_analyzer import RecognizerResult

        lex = lexicons()
        places = place_names()
        tokens = list(_NAME_TOKEN.finditer(text))
        out, i = [], 0
        while i < len(tokens):
            found = 0
            for n in (3, 2, 1):
                run = tokens[i:i + n]
                if len(run) < n or any(not t.group(0)[:1].isupper() or (t.group(0).isupper() and len(t.group(0)) > 1)
                                       for t in run):
                    continue
                if any(text[a.end():b.start()] != " " for a, b in itertools.pairwise(run)):
                    continue
                name = re.sub(r"['’][^\W\d_]{1,4}$", "", text[run[0].start():run[-1].end()])  # "İzmir'den", "Bray's"
                words = [fold(w) for w in name.split()]
                if fold(name) not in places or any(w in common_words() or is_medical_word(w) or _is_medicine(w)
                                                   or w in _CALENDAR for w in words):
                    continue
                if n == 1 and (_english()[words[0]] >= 100 or words[0] in lex.unambiguous_eponyms
                               or re.match(r"\s+[a-z]+(?:us|is|ae|um|ii|i|a|ans|ens|ax)\b", text[run[0].end():]) is not None
                               or not run[0].group(0)[1:].islower() or _between_proper_words(text, run[0])
                               or words[0] in lex.ambiguous_eponyms or len(words[0]) < 4):
                    continue
                if (run[0].start() > 0 and text[run[0].start() - 1] in "-‐/@.#_") or _before_condition(text, run[-1].end()):
                    continue
                if n == 1 and (_is_any_medicine(words[0]) or in_medicine_context(text, run[0].start(), run[0].end())
                               or (_before_strength(text, run[-1].end())
                                                               and not text[:run[0].start()].rstrip().endswith(","))):
                    continue
                found = n
                out.append(RecognizerResult(self.ENTITY, run[0].start(), run[0].start() + len(name), self.SCORE,
                                            recognition_metadata={"recognizer_name": self.label,
                                                                  "recognizer_identifier": self.id}))
                break
            i += max(found, 1)
        return out


#: (combining accents go with their letters: "Ọ̀kọ̀nkwọ́")
_BRACKET_NAME = r"[^\W\d_](?:[^\W\d_'’-]|[\u0300-\u036f])*(?:\s+[^\W\d_]\.?)?(?:\s+[^\W\d_](?:[^\W\d_'’-]|[\u0300-\u036f])*){0,2}"
_KIN_WORDS = rf"(?:{_KIN}|mummy|mommy|mama|papa|daddy|nan|nana|gran|granny|grandma|grandpa|grandad|little\s+one|baby|kid|child)"


class KinNameRecognizer(RegexRecognizer):
    """A name set beside a relation in brackets (NAME): "my mum (Ada)", "my dad ted (edward j. cole)" (the
    given name before the brackets too, when a census given name), "Ada (my wife)"."""

    ENTITY, SCORE = "PERSON", 0.95
    PATTERNS = (rf"(?i)\b(?:(?:my|our|his|her|their)\s+)?{_KIN_WORDS}\s+(?:(?P<pre>[a-z]+)\s+)?\(\s*(?P<id>{_BRACKET_NAME})\s*\)",
                rf"(?P<id>(?-i:[A-Z][^\W\d_'’-]+))\s*\(\s*(?i:(?:my|his|her|their|our|the)\s+{_KIN_WORDS})\s*\)")

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
        from presidio_analyzer import RecognizerResult

        out = []
        for pattern in self.patterns:
            for match in pattern.finditer(text):
                words = _NAME_TOKEN.findall(match.group("id"))
                if not words or any(is_medical_word(w) or _is_any_medicine(w) or w.lower() in stop_words()
                                    for w in words if len(w) > 1):
                    continue
                if not (words[0][:1].isupper() or census_name(words[0]) or words[0].lower() in world_first_names()):
                    continue
                spans = [match.span("id")]
                pre = match.groupdict().get("pre")
                if pre and pre.lower() in census_first_names() and not is_medical_word(pre):
                    spans.append(match.span("pre"))
                out += [RecognizerResult(self.ENTITY, s, e, self.SCORE, recognition_metadata={
                    "recognizer_name": self.label, "recognizer_identifier": self.id}) for s, e in spans]
        return out


_HAN = r"(?:(?![在是的我你他她了和到去从住叫有要说给为])[\u4e00-\u9fff])"
_CYR_WORD = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
_CYR_MONTHS = r"января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"


_NON_LATIN_KINDS = {"facility": "FACILITY", "address": "STREET_ADDRESS", "name": "PERSON", "place": "LOCATION",
                    "date": "DATE_TIME"}


class NonLatinRecognizer(RegexRecognizer):
    """Identifiers written in Chinese or Russian, by the words that mark them: a place of care by its noun
    ("…医院", "ГКБ №3", "больница …"), a street address by its district and road ("…区…路12号", "ул. …, д. 5"),
    a name after "我叫"/"Меня зовут", a place after "住在"/"живу в", a day of a month ("3 мая")."""

    ENTITY, SCORE = "LOCATION", 0.8
    PATTERNS = (
        rf"(?P<facility>{_HAN}{{2,10}}?(?:医院|醫院|诊所|診所|卫生院|病院|医疗中心|醫療中心))",
        rf"(?P<address>{_HAN}{{1,4}}[区區县縣]{_HAN}{{1,10}}?(?:路|街|道|巷|弄)\d*[号號弄]?(?:\d+[号號室])?)",
        rf"(?:我叫|我是|名叫|叫做|姓名[:：]?)(?P<name>{_HAN}{{2,3}}?)(?=[，,。.；;、\s]|今年|$)",
        rf"(?:孙子|孙女|儿子|女儿|妈妈|母亲|爸爸|父亲|丈夫|妻子|老公|老婆|奶奶|爷爷)\s?(?P<name>{_HAN}{{2,3}}?)(?=在|是|，|,|。|\s)",
        rf"(?:住在|住|来自|生活在)(?P<place>{_HAN}{{2,3}}?)(?={_HAN}{{1,4}}[区區县縣市]|[，,。])",
        rf"(?P<place>{_HAN}{{2,3}}[市省])",
        rf"(?i:меня\s+зовут|я\s+[-—]?\s*)(?P<name>{_CYR_WORD}(?:\s+{_CYR_WORD}){{0,2}})",
        rf"(?i:живу\s+в|живём\s+в|живем\s+в|из\s+города|г\.)\s*(?P<place>{_CYR_WORD}(?:[\s-]+{_CYR_WORD})?)",
        r"(?P<address>(?:ул\.|улица|пр\.|проспект|пер\.|переулок|ш\.|шоссе)\s+[^,.;]{2,40}?(?:,\s*(?:д\.|дом|кв\.|корп\.|стр\.)\s*\d+[а-я]?){1,3})",
        r"(?P<facility>\b[А-ЯЁ]{2,6}\s*№\s*\d+)",
        rf"(?P<date>\b(?:[12]\d|3[01]|0?[1-9])\s+(?:{_CYR_MONTHS})(?:\s+\d{{4}}(?:\s*г\.?)?)?)",
    )

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
        from presidio_analyzer import RecognizerResult

        out = []
        for pattern in self.patterns:
            for match in pattern.finditer(text):
                kind = next(k for k in _NON_LATIN_KINDS if k in pattern.groupindex)
                start, end = match.span(kind)
                if end > start:
                    out.append(RecognizerResult(_NON_LATIN_KINDS[kind], start, end, self.SCORE, recognition_metadata={
                        "recognizer_name": self.label, "recognizer_identifier": self.id}))
        return out


def context_recognizers() -> list[Any]:
    """Every recognizer of this module, ready to add to a Presidio registry."""
    return [LeadInNameRecognizer(), SignOffNameRecognizer(), SocialHandleRecognizer(), SpelledEmailRecognizer(), SpelledPhoneRecognizer(), SsnRecognizer(),
            HolidayRecognizer(), FacilityRecognizer(), FacilityFirstRecognizer(), WorkplaceRecognizer(),
            HealthSystemRecognizer(), PlaceAfterAtRecognizer(), ProperAfterAtRecognizer(), StoreNumberRecognizer(), TownZipRecognizer(), LeadInDateRecognizer(), LowercaseStreetRecognizer(),
            LeadInPlaceRecognizer(), TownRecognizer(), GivenNameRecognizer(), PlaceNameRecognizer(),
            InitialSurnameRecognizer(), HeaderNameRecognizer(), KinNameRecognizer(), NonLatinRecognizer()]
