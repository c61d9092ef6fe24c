"""De-identification on a generated planted set: HIPAA Safe Harbor identifiers in many phrasings.

``python bench/deid.py [generate|overmask|score-PART] [BASELINE.json]``, PART one of :data:`PARTS` (dev, heldout,
heldout2 … heldout23, train1 … train11; run by hand, never by pytest). ``overmask`` counts the masks put on ordinary
medical text (held-out starter-pack passages, no personal data in them).

The set is generated, seeded, in the planted format of :mod:`curbside.eval.deid` (``{KIND:text}``
an identifier, ``[[text]]`` a medical term that must survive), in two parts that share nothing:

- **dev** (seed 24): the templates, lead-ins and medical terms of ``DEV`` below, names drawn from
  the US Census lists shipped by the ``names`` package. Tuned on.
- **held-out** (seed 2424): other templates and lead-ins (``HELDOUT``), other medical terms, names,
  streets, cities, e-mails and numbers from ``Faker`` in five English locales. Scored once at
  the end, never tuned on. Spent since: its misses showed the classes fixed afterwards.
- **held-out 2** (``bench/data/deid_heldout2.txt``): written by hand by another helper, in the same
  planted format, committed before any scoring; read once, after the fixes for the first held-out
  set's classes were committed (``score-heldout2``). Spent since: its misses' classes were fixed.
- **held-out 3** (``bench/data/deid_heldout3.txt``): hand-written by a third helper that read no
  filter code, committed before any scoring; read once (``score-heldout3``). Spent since: its misses'
  classes were fixed (tests in ``tests/consult/test_deid_classes4.py``, invented examples).
- **held-out 4** (``bench/data/deid_heldout4.txt``): hand-written by a fourth helper that read no
  filter code, committed before any scoring while set 3's classes were being fixed; read once
  (``score-heldout4``). Spent since: its misses' classes were fixed (``tests/consult/test_deid_classes5.py``).
- **held-out 5** (``bench/data/deid_heldout5.txt``): hand-written by a fifth helper that read no filter
  code, committed before any scoring while set 4's classes were being fixed; read once
  (``score-heldout5``, against a same-run baseline of the code before those fixes). Spent since: its
  misses' classes were fixed (``tests/consult/test_deid_classes6.py``).
- **held-out 6** (``bench/data/deid_heldout6.txt``): hand-written by a sixth helper that read no filter
  code, committed before any scoring while set 5's classes were being fixed; read once
  (``score-heldout6``, against a same-run baseline of the code before those fixes). Spent since: its
  misses' classes were fixed (``tests/consult/test_deid_classes7.py``).
- **held-out 7** (``bench/data/deid_heldout7.txt``): hand-written by a seventh helper that read no filter
  code, committed before any scoring while set 6's classes were being fixed; read once
  (``score-heldout7``, against a same-run baseline of the code before those fixes). Spent since: its
  misses' classes were fixed (``tests/consult/test_deid_classes8.py``).
- **held-out 8** (``bench/data/deid_heldout8.txt``): hand-written by an eighth helper that read no filter
  code, committed before any scoring while set 7's classes were being fixed; read once
  (``score-heldout8``, against a same-run baseline of the code before those fixes). Spent since: its
  misses' classes were fixed (``tests/consult/test_deid_classes9.py``).
- **held-out 9** (``bench/data/deid_heldout9.txt``): hand-written by a ninth helper that read no filter
  code, committed before any scoring while set 8's classes were being fixed; read once
  (``score-heldout9``, against a same-run baseline of the code before those fixes). Its misses were listed in
  docs/benchmarks.md, so it no longer counts as blind.
- **held-out 10** (``bench/data/deid_heldout10.txt``): hand-written by a tenth helper that read no filter
  code, committed before any scoring (seventeenth session). Its misses are counted, never listed or read.
- **held-out 11** (``bench/data/deid_heldout11.txt``): hand-written by an eleventh helper that read no filter
  code, committed before any scoring (eighteenth session). Its misses are counted, never listed or read.
- **held-out 12** (``bench/data/deid_heldout12.txt``): hand-written by a twelfth helper that read no filter
  code, committed before any scoring (nineteenth session). Its misses are counted, never listed or read.
- **held-out 13** (``bench/data/deid_heldout13.txt``): hand-written by a thirteenth helper that read no filter
  code, committed before any scoring (twentieth session). Its misses are counted, never listed or read.
- **held-out 14** (``bench/data/deid_heldout14.txt``): hand-written by two helpers of the twenty-first session (one
  half each, other genres) that read no filter code, committed before any scoring. Its misses are counted, never
  listed or read.
- **held-out 15** (``bench/data/deid_heldout15.txt``): the same, by two helpers of the twenty-second session (daycare,
  crowdfunding, accident claims, device exports, genetic tests, dialysis suppliers, transport, cruises, farms and
  mines; Canada, Ireland, Nigeria, Morocco, Israel, the Nordic and Baltic countries, Central Europe, Central America,
  Malaysia, Iran …). Blind.
- **held-out 16** (``bench/data/deid_heldout16.txt``): the same, by two helpers of the twenty-third session
  (pilgrims and returning travellers, refugee and asylum clinics, tattoo complications, donor families, disaster
  relief, billing disputes, construction sites, festivals, airlines, e-sports; South Asia, the Pacific, East and West
  Africa, the Caucasus, Central Asia, Mongolia, Iceland, Greenland, the Balkans, rural US and its territories,
  Canada's north, the Andes …). Blind.
- **held-out 17** (``bench/data/deid_heldout17.txt``): the same, by two helpers of the twenty-fourth session, in
  ordinary genres on purpose (primary care, children, pregnancy, chronic illness, refills, insurance, elderly
  parents; the US and Canada, the UK, Ireland, Australia and New Zealand; India, Pakistan, the Philippines, Nigeria,
  Kenya, South Africa, Singapore, Malaysia, the Caribbean and emigrants writing home). Read blind twice (its first
  read and after the twenty-fourth session's change, counts only), then trained on from the twenty-fifth session.
- **held-out 18** (``bench/data/deid_heldout18.txt``): the same, by two helpers of the twenty-fifth session (telehealth
  follow-ups, workers' compensation, travel medicine, students, veterans, pharmacy chats, fertility clinics, hospice,
  dialysis, drug tests; voice-dictated messages with numbers spelled out, work e-mail signatures; all US regions with
  Alaska, Hawaii and Puerto Rico, Quebec, the UK, Ireland, Australia, New Zealand, South Asia, East and West Africa,
  the Philippines, Singapore, Hong Kong, the UAE, the Caribbean). Blind, but read three times in its session (first
  read, after the retraining, after spans grew), counts only.
- **held-out 19** (``bench/data/deid_heldout19.txt``): the same, by two helpers of the twenty-fifth session, written
  after that session's changes and read once, as its check (emergency visits, new diagnoses, medication costs, home
  health, school nurses, dementia care, therapy; thread exports, chatbot transcripts, filled-in forms, mixed languages;
  the US and Canada, the UK, Ireland, Australia and New Zealand, South Asia, East, West and Southern Africa, South-East
  Asia, the Gulf, the Caribbean, Guyana). Blind.
- **held-out 20** (``bench/data/deid_heldout20.txt``): written by a helper of the twenty-sixth session that read
  no filter code, committed before any scoring. Blind.
- **held-out 21** (``bench/data/deid_heldout21.txt``): written by a helper of the twenty-seventh session that read
  only the first 45 lines of set 20 and no filter code (voice-to-text without punctuation, e-mail signatures and
  forwarded chains, family histories, school and work notes, insurance appeals, travel clinics, translated
  messages, slang, split identifiers), committed before any scoring. Blind; read once for the twenty-ninth
  session's retraining, trained on since the thirtieth.
- **held-out 22** (``bench/data/deid_heldout22.txt``): hand-written by a helper of the thirtieth session that read no
  filter code (149 messages, 1,530 identifiers, 610 medical terms), committed (da1383d) before any scoring. Blind.
- **held-out 23** (``bench/data/deid_heldout23.txt``): hand-written by a helper of the thirty-first session that read
  only the first 45 lines of set 22 and no filter code (159 messages, 1,269 identifiers, 558 medical terms; insurance
  appeals, school-nurse notes, hospice updates, forwarded threads, pasted spreadsheet rows, app-translated and
  voice-to-text messages, mixed languages), committed (6eac8b3) before any scoring; first read by the shipped tagger
  in the thirty-second session. Blind.
- **training sets 1-11** (``bench/data/deid_train1.txt`` … ``deid_train11.txt``): hand-written by eleven more helpers
  that read no filter code (eighteenth to twentieth sessions; 9 and 10 in the twenty-fifth, 11 in the twenty-sixth), each with an emphasis (facility names; dates and
  numbers; names and places; informal consumer posts; facilities and dates again; …), written to train the tagger
  on; scored as a check of the fit only.

Each message embeds identifiers of the Safe Harbor kinds that appear in text (names; addresses,
cities and ZIP codes; dates other than a year, holidays included; phone and fax numbers; e-mail;
SSN; record, health-plan, account, licence, vehicle and device numbers; URLs; IP addresses;
social handles; ages over 89; facility names), each written in lower case, upper case or as
generated, with or without a lead-in. ``generate`` writes ``bench/data/deid_{dev,heldout}.txt``
and the small test fixture ``tests/fixtures/consult/deid_generated_small.txt``; the score
commands write ``bench/results/deid_<part>.json`` and the "De-identification, generated set"
section of docs/benchmarks.md.
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, machine, write_result

DATA = ROOT / "bench" / "data"
SMALL = ROOT / "tests" / "fixtures" / "consult" / "deid_generated_small.txt"
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- deid-generated:begin -->", "<!-- deid-generated:end -->"
MESSAGES = 180  # per part; about 3 identifiers each


# --- identifier makers: each returns (kind, text) --------------------------------------------

@dataclass
class Pools:
    first: list[str]
    last: list[str]
    street: Callable[[random.Random], str]
    city: Callable[[random.Random], str]
    email: Callable[[random.Random, str, str], str]
    facility: Callable[[random.Random], str]


def _digits(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(n))


_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]


def _date(rng: random.Random, style: int) -> str:
    m, d, y = rng.randrange(1, 13), rng.randrange(1, 29), rng.randrange(1935, 2025)
    return [f"{m}/{d}/{y}", f"{m:02d}-{d:02d}-{y}", f"{_MONTHS[m - 1]} {d}, {y}", f"{d} {_MONTHS[m - 1]} {y}",
            f"{m}/{d}", f"{_MONTHS[m - 1][:3]} {d}", f"{y}-{m:02d}-{d:02d}", f"{d}th of {_MONTHS[m - 1]}"][style]


def _case(rng: random.Random, text: str) -> str:
    r = rng.random()
    return text.lower() if r < 0.25 else text.upper() if r < 0.4 else text


# --- the two parts ---------------------------------------------------------------------------

# Lead-ins per kind: "{}" is the identifier. "" means no lead-in (the bare identifier).
DEV_LEADS: dict[str, list[str]] = {
    "NAME": ["my name is {}", "I'm {}", "I am {}", "my daughter {}", "my husband {}", "this is {}",
             "{} here", "my son {} has", "signed, {}", "patient: {}", "my mom {}", "- {}"],
    "DATE": ["born {}", "DOB {}", "admitted {}", "discharged on {}", "seen on {}", "since {}", "surgery was {}",
             "started it {}", "my appointment is {}", "{}"],
    "HOLIDAY": ["on {}", "since {}", "over {}", "just before {}", "{}"],
    "PHONE": ["call me at {}", "my cell is {}", "phone {}", "text {}", "fax {}", "{}"],
    "EMAIL": ["email me at {}", "my email is {}", "{}"],
    "SSN": ["SSN {}", "my ssn is {}", "social security number {}", "SS# {}", "{} is my social", "{}"],
    "ID": ["MRN {}", "medical record number {}", "member ID {}", "account #{}", "policy number {}",
           "license no. {}", "plate {}", "pacemaker serial {}", "VIN {}"],
    "ADDRESS": ["I live at {}", "address: {}", "we moved to {}", "{}"],
    "ZIP": ["my zip is {}", "zip code {}", "postal code {}"],
    "LOCATION": ["I live in {}", "we are from {}", "I moved to {}"],
    "FACILITY": ["I was treated at {}", "admitted to {}", "seen at {}", "{} said"],
    "URL": ["see {}", "my blog {}", "{}"],
    "IP": ["my IP is {}", "from {}"],
    "HANDLE": ["find me on twitter {}", "my instagram is {}", "DM me {}", "{}"],
    "AGE": ["she is {}", "my grandfather, {},", "{}"],
}
DEV_TEMPLATES = [
    "Hello, {a}. I have had {t} for two years and my doctor wants to add {u}. Is that safe?",
    "{a}. My father was diagnosed with {t} and {b}. Should I be tested?",
    "Hi doctor, {a} and {b}. I take {t} every morning and my last {u}. What else can I do?",
    "Question about {t}: {a}. The nurse said {u} was borderline, {b}.",
    "{a}, {b}. After the diagnosis of {t} they started {u}. Is weight gain a side effect?",
    "Dear doctors, {a}. {b}. I read about {t} online and I am scared. Also {u}?",
]
DEV_TERMS = ["Parkinson's disease", "Christmas disease", "Hashimoto thyroiditis", "Graves disease", "Crohn's disease",
             "Addison disease", "Cushing syndrome", "Down syndrome", "Bell's palsy", "Lyme disease",
             "Alzheimer's disease", "Hodgkin lymphoma", "Guillain-Barre syndrome", "Tourette syndrome",
             "metformin 500 mg twice daily", "lisinopril 10 mg", "atorvastatin 40 mg", "levothyroxine 75 mcg",
             "amoxicillin", "ibuprofen 400 mg", "HbA1c of 7.2%", "TSH 6.1 mIU/L", "creatinine 1.3 mg/dL",
             "blood pressure 150/95", "half a tablet", "warfarin", "Epstein-Barr virus", "Kawasaki disease",
             "Wilson disease", "Raynaud phenomenon", "Achilles tendon", "Baker cyst", "Barrett esophagus",
             "Meniere disease", "Huntington disease", "Marfan syndrome", "prednisone 20 mg", "insulin glargine"]

HELDOUT_LEADS: dict[str, list[str]] = {
    "NAME": ["you can call me {}", "name's {}", "i am {} and", "my wife {} and I", "our boy {}",
             "my granddaughter {}", "from {}", "regards, {}", "{} (patient)", "my partner {} thinks",
             "hey it's {}", "{} is my name"],
    "DATE": ["date of birth: {}", "was released {}", "first symptoms {}", "my scan on {}", "back in {}",
             "the biopsy was done {}", "b. {}", "next visit {}", "{}"],
    "HOLIDAY": ["around {}", "right after {}", "the day after {}", "at {} dinner", "{}"],
    "PHONE": ["ring me on {}", "reach me: {}", "my number is {}", "mobile {}", "fax number {}", "{}"],
    "EMAIL": ["write to {}", "contact: {}", "e-mail {}", "{}"],
    "SSN": ["social security # {}", "ssn: {}", "SSN is {}", "my social is {}", "{} (social)", "{}"],
    "ID": ["chart number {}", "insurance card {}", "Medicare number {}", "patient ID {}", "claim no. {}",
           "driver's license {}", "device serial {}", "hospital no {}", "health plan ID {}"],
    "ADDRESS": ["my address is {}", "we're at {}", "home: {}", "{}"],
    "ZIP": ["zip {}", "ZIP is {}", "my postcode is {}"],
    "LOCATION": ["we live in {}", "near {}", "here in {}"],
    "FACILITY": ["the ER at {}", "they sent me to {}", "{} did a scan", "my surgeon at {}"],
    "URL": ["photos at {}", "link: {}", "{}"],
    "IP": ["IP address {}", "logged from {}"],
    "HANDLE": ["on insta {}", "tiktok: {}", "follow {}", "{}"],
    "AGE": ["my great-grandma is {}", "patient {}", "{}"],
}
HELDOUT_TEMPLATES = [
    "{a}. What does {t} mean for someone who also takes {u}? {b}.",
    "Long story short: {t}. {a}; {b}. Could {u} be the cause?",
    "I need advice. {a}. Doctors mentioned {t}, then {u}. {b}. Thank you!",
    "{a} - worried about {t}. {b}. Do I keep taking {u}?",
    "Quick one: is {t} contagious? {a}, {b}. They also checked {u}.",
]
HELDOUT_TERMS = ["Sjogren syndrome", "Paget disease of bone", "Hirschsprung disease", "Kaposi sarcoma",
                 "Ewing sarcoma", "Tay-Sachs disease", "Bell palsy", "Dupuytren contracture", "Osgood-Schlatter disease",
                 "Peyronie disease", "Turner syndrome", "Klinefelter syndrome", "Asperger syndrome",
                 "Christmas disease (hemophilia B)", "Legionnaires' disease", "Hashimoto's", "Parkinson's",
                 "sertraline 50 mg", "omeprazole 20 mg daily", "apixaban 5 mg", "losartan 50 mg",
                 "gabapentin 300 mg at night", "vitamin D 2000 IU", "LDL 162 mg/dL", "ferritin 12 ng/mL",
                 "eGFR 48", "INR 2.4", "potassium 5.6 mmol/L", "one and a half tablets", "Zyrtec",
                 "Tylenol 500 mg", "Lipitor", "Coumadin", "Addison's disease", "Cushing's", "Wilms tumor",
                 "Fanconi anemia", "Von Willebrand disease", "Stevens-Johnson syndrome", "Horner syndrome"]


def _census(kind: str) -> list[str]:
    import names  # the US Census 1990 lists, MIT

    base = Path(names.__file__).parent
    files = {"first": ("dist.female.first", "dist.male.first"), "last": ("dist.all.last",)}[kind]
    out = [line.split()[0].title() for f in files for line in (base / f).read_text().splitlines()[:1500] if line.strip()]
    return out


def dev_pools() -> Pools:
    streets = ["Oak", "Maple", "Cedar", "Elm", "Pine", "Washington", "Lake", "Hill", "Park", "Main", "Sunset"]
    kinds = ["Street", "Avenue", "Road", "Lane", "Drive", "Blvd", "Court", "Way"]
    cities = ["Springfield", "Riverside", "Fairview", "Georgetown", "Salem", "Madison", "Franklin", "Clinton",
              "Arlington", "Ashland", "Dover", "Milford", "Oxford", "Burlington", "Manchester"]
    facilities = ["{c} General Hospital", "{c} Medical Center", "St. {f}'s Hospital", "{c} Memorial Hospital",
                  "{c} Children's Hospital", "{ln} Clinic", "{c} Regional Medical Center", "{c} General"]
    first, last = _census("first"), _census("last")
    return Pools(
        first=first, last=last,
        street=lambda r: f"{r.randrange(1, 9999)} {r.choice(streets)} {r.choice(kinds)}",
        city=lambda r: r.choice(cities),
        email=lambda r, f, ln: r.choice([f"{f}.{ln}@gmail.com", f"{f[0]}{ln}{r.randrange(99)}@yahoo.com",
                                        f"{f} dot {ln} at gmail dot com", f"{f}{ln} at outlook dot com",
                                        f"{f}_{ln}@example.org", f"{f}[at]hotmail[dot]com"]).lower(),
        facility=lambda r: r.choice(facilities).format(c=r.choice(cities), f=r.choice(first), ln=r.choice(last)),
    )


def heldout_pools() -> Pools:
    from faker import Faker

    fake = Faker(["en_US", "en_GB", "en_IE", "en_CA", "en_AU"])
    fake.seed_instance(2424)
    first = [fake.first_name() for _ in range(400)]
    last = [fake.last_name() for _ in range(400)]
    streets = [fake.street_address() for _ in range(200)]
    cities = [fake.city() for _ in range(200)]
    suffixes = ["Hospital", "Medical Centre", "University Hospital", "Health Center", "Infirmary",
                "Community Hospital", "Clinic"]
    return Pools(
        first=first, last=last,
        street=lambda r: r.choice(streets), city=lambda r: r.choice(cities),
        email=lambda r, f, ln: r.choice([f"{f}{ln}@{fake.free_email_domain()}", f"{ln}.{f}{r.randrange(9)}@protonmail.com",
                                        f"{f}.{ln} at icloud dot com", f"{f}{r.randrange(99)} (at) gmail (dot) com",
                                        f"{ln}{f[0]} @ aol . com"]).lower(),
        facility=lambda r: f"{r.choice(cities)} {r.choice(suffixes)}",
    )


_HOLIDAYS = {"dev": ["Christmas 2023", "Thanksgiving", "New Year's Day", "Christmas Eve", "Easter 2022",
                     "the Fourth of July", "Halloween"],
             "heldout": ["Christmas Day 2021", "Thanksgiving 2020", "New Year's Eve", "Memorial Day",
                         "Labor Day weekend", "Valentine's Day", "Independence Day 2019"]}


def _identifier(kind: str, rng: random.Random, pools: Pools, part: str) -> tuple[str, str]:
    f, ln = rng.choice(pools.first), rng.choice(pools.last)
    if kind == "NAME":
        return "NAME", _case(rng, rng.choice([f, f"{f} {ln}", f"{f} {ln}", f"{f} {rng.choice(pools.first)[0]}. {ln}"]))
    if kind == "DATE":
        return "DATE", _date(rng, rng.randrange(8))
    if kind == "HOLIDAY":
        return "DATE", _case(rng, rng.choice(_HOLIDAYS[part]))
    if kind == "PHONE":
        a, b, c = rng.randrange(201, 989), _digits(rng, 3), _digits(rng, 4)
        return "PHONE", rng.choice([f"{a}-{b}-{c}", f"({a}) {b}-{c}", f"{a}.{b}.{c}", f"+1 {a} {b} {c}", f"{a} {b} {c}"])
    if kind == "EMAIL":
        return "EMAIL", pools.email(rng, f.lower(), ln.lower())
    if kind == "SSN":
        a, b, c = rng.randrange(101, 899), _digits(rng, 2), _digits(rng, 4)
        return "ID", rng.choice([f"{a}-{b}-{c}", f"{a} {b} {c}", f"{a}{b}{c}", f"{a}.{b}.{c}"])
    if kind == "ID":
        return "ID", rng.choice([_digits(rng, 8), f"{rng.choice('ABCDEFGHJK')}{_digits(rng, 7)}",
                                 f"{rng.choice(['XK', 'MRN', 'QH', 'ZT'])}-{_digits(rng, 6)}", _digits(rng, 10),
                                 f"{_digits(rng, 4)}-{_digits(rng, 4)}-{_digits(rng, 2)}"])
    if kind == "ADDRESS":
        return "ADDRESS", _case(rng, pools.street(rng))
    if kind == "ZIP":
        return "ADDRESS", _digits(rng, 5) if rng.random() < 0.8 else f"{_digits(rng, 5)}-{_digits(rng, 4)}"
    if kind == "LOCATION":
        return "LOCATION", _case(rng, pools.city(rng))
    if kind == "FACILITY":
        return "FACILITY", _case(rng, pools.facility(rng))
    if kind == "URL":
        return "URL", rng.choice([f"https://www.{ln.lower()}family.com/photos", f"{f.lower()}{ln.lower()}.blogspot.com",
                                  f"http://example.net/u/{f.lower()}{rng.randrange(999)}"])
    if kind == "IP":
        return "IP", ".".join(str(rng.randrange(1, 255)) for _ in range(4))
    if kind == "HANDLE":
        return "HANDLE", f"@{rng.choice([f.lower() + ln.lower(), f.lower() + '_' + str(rng.randrange(99)), ln.lower() + str(rng.randrange(1970, 2010))])}"
    if kind == "AGE":
        n = rng.randrange(90, 105)
        return "AGE", rng.choice([f"{n} years old", f"{n}-year-old", f"aged {n}", f"{n} yo"])
    raise ValueError(kind)


def _planted(kind: str, rng: random.Random, pools: Pools, leads: dict[str, list[str]], part: str) -> str:
    label, text = _identifier(kind, rng, pools, part)
    lead = rng.choice(leads[kind])
    body = lead.replace("{}", f"{{{label}:{text}}}")
    return body[0].upper() + body[1:] if body[0] != "{" else body


def generate(part: str, seed: int, messages: int = MESSAGES) -> str:
    rng = random.Random(seed)
    pools = dev_pools() if part == "dev" else heldout_pools()
    leads, templates, terms = ((DEV_LEADS, DEV_TEMPLATES, DEV_TERMS) if part == "dev"
                               else (HELDOUT_LEADS, HELDOUT_TEMPLATES, HELDOUT_TERMS))
    kinds = list(leads)
    out = [f"# Generated by bench/deid.py ({part}, seed {seed}); synthetic: every identifier is invented.", ""]
    for i in range(messages):
        a, b = (_planted(kinds[(i * 2 + j) % len(kinds)] if j == 0 else rng.choice(kinds), rng, pools, leads, part)
                for j in range(2))
        t, u = rng.sample(terms, 2)
        text = rng.choice(templates).format(a=a, b=b, t=f"[[{t}]]", u=f"[[{u}]]")
        out += [text, ""]
    return "\n".join(out)


#: The parts ``score-PART`` reads (``bench/data/deid_PART.txt``), in the order the table lists them.
PARTS = ("dev", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6", "heldout7", "heldout8",
         "heldout9", "heldout10", "heldout11", "heldout12", "heldout13", "heldout14", "heldout15", "heldout16",
         "heldout17", "heldout18", "heldout19", "heldout20", "heldout21", "heldout22", "heldout23", "train1", "train2", "train3",
         "train4", "train5", "train6", "train7", "train8", "train9", "train10", "train11")
#: Parts whose misses are counted, never listed: a set read once stays usable as a blind measure only while
#: nobody has read what it catches and misses (sets 10-16 chose the tagger's thresholds for each kind by their
#: counts in the twenty-fourth session: a validation set since; set 17 was read blind twice, then trained on; the
#: misses of sets 18-21 were never listed, though the tagger trains on them since they were read; set 22 is the
#: thirtieth session's test set, set 23 the thirty-second's).
BLIND = ("heldout10", "heldout11", "heldout12", "heldout13", "heldout14", "heldout15", "heldout16",
         "heldout18", "heldout19", "heldout20", "heldout21", "heldout22", "heldout23")


def write_sets() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / "deid_dev.txt").write_text(generate("dev", 24), encoding="utf-8")
    (DATA / "deid_heldout.txt").write_text(generate("heldout", 2424), encoding="utf-8")
    SMALL.write_text(generate("dev", 7, messages=24), encoding="utf-8")


def score(part: str) -> dict[str, Any]:
    from curbside.consult.deid import Deidentifier
    from curbside.eval.deid import evaluate, load_planted

    deid = Deidentifier()
    deid.find("warm-up")
    items = load_planted(DATA / f"deid_{part}.txt")
    started = time.perf_counter()
    report = evaluate(deid, items)
    seconds = time.perf_counter() - started
    planted = sum(report.identifiers.values())
    result = {"part": part, "messages": report.messages, "identifiers": planted,
              "identifier_recall": round(report.identifier_recall, 4), "terms": report.terms,
              "term_retention": round(report.term_retention, 4),
              "per_kind": {k: {"planted": n, "masked": m} for k, (n, m, _s) in report.per_kind().items()},
              "missed": report.missed, "lost_terms": report.lost_terms,
              "ms_per_message": round(seconds * 1000 / max(report.messages, 1), 1)}
    return result


#: ``overmask``: how many held-out starter-pack passages of each source kind are read (their first three sentences).
OVERMASK_PASSAGES = 700


def overmask(seed: int = 7) -> dict[str, Any]:
    """Masks the shipped de-identifier puts on ordinary medical text with no personal data: the first three sentences
    of passages of the starter pack's held sources (:func:`curbside.eval.deid.pack_texts`, which the tagger's
    ``--negatives`` never draws), less the sentences with a place, date or institution in them
    (:func:`curbside.eval.deid.without_identifiers`), by source kind. Every mask there is a false one."""
    from curbside.consult.deid import Deidentifier
    from curbside.eval.deid import masks_in, pack_texts, without_identifiers

    deid = Deidentifier()
    rng = random.Random(seed)
    out: dict[str, Any] = {"seed": seed}
    for kind, pool in sorted(pack_texts(5, held=True).items()):
        drawn = rng.sample(pool, min(OVERMASK_PASSAGES, len(pool)))
        plain = set(without_identifiers([s for sentences in drawn for s in sentences[:3]]))
        texts = [t for t in (" ".join(s for s in sentences[:3] if s in plain) for sentences in drawn) if t]
        each = [masks_in(deid, [t]) for t in texts]  # one reading per passage: its words and its masks
        words, found = sum(w for w, _ in each), [m for _, masks in each for m in masks]
        out[kind] = {"passages": len(texts), "words": words, "masks": len(found),
                     "per_1000_words": round(1000 * len(found) / max(words, 1), 3),
                     "texts_with_a_mask": sum(1 for _, masks in each if masks), "found": found}
    return out


def _write_doc(results: dict[str, dict[str, Any]]) -> None:
    m = machine()
    where = f"{m['nproc']} cores, {m['ram_gb']} GB, {m['cpu']} · {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    lines = [BEGIN, "## De-identification, generated set (issue 24)", "",
             f"Command: `python bench/deid.py generate`, then `score-PART` for each part below · {where}.",
             "Sets: `bench/data/deid_dev.txt` (generated, seed 24, tuned on); `deid_heldout.txt` (generated, seed 2424, "
             "other templates, lead-ins and terms; Faker names and places in five English locales); `deid_heldout2.txt` "
             "… `deid_heldout9.txt` (each hand-written by a helper that read no filter code, committed before any "
             "scoring, read once; their misses' classes were then fixed or listed: no longer blind); "
             f"{', '.join(f'`deid_{b}.txt`' for b in BLIND)} (the same, but blind: their misses are counted, never "
             "listed, never trained on; sets 10-16 chose the tagger's thresholds for each kind by their counts, "
             "`scripts/choose_deid_thresholds.py`, and set 17, read blind twice, was then trained on, so only sets 18 to 21 were never tuned on); `deid_train1.txt` … (hand-written by helpers that read no filter code, each "
             "with an emphasis, to train the tagger on: a check of the fit, not a measure). Generator: "
             "`bench/deid.py`.", "",
             "| part | messages | identifiers | masked | medical terms | kept |", "| --- | --- | --- | --- | --- | --- |"]
    for part, r in results.items():
        lines.append(f"| {part} | {r['messages']} | {r['identifiers']} | {r['identifier_recall']:.1%} | {r['terms']} | "
                     f"{r['term_retention']:.1%} |")
    for part, r in results.items():
        kinds = ", ".join(f"{k} {v['masked']}/{v['planted']}" for k, v in r["per_kind"].items())
        lines += ["", f"{part} per kind: {kinds}."]
        if r.get("baseline"):
            b = r["baseline"]
            lines.append(f"Same-run baseline (main's de-identifier, before this work) on {part}: "
                         f"{b['identifier_recall']:.1%} identifiers masked, {b['term_retention']:.1%} terms kept.")
        if r["missed"] and (part in BLIND or isinstance(r["missed"], int)):  # counted when it was read blind
            lines.append(f"Missed: {_count(r['missed'])} (not listed: the set stays blind for later work).")
        elif r["missed"]:
            lines.append(f"Missed ({len(r['missed'])}): " + "; ".join(r["missed"][:40]))
        if r["lost_terms"] and (part in BLIND or isinstance(r["lost_terms"], int)):
            lines.append(f"Medical terms masked: {_count(r['lost_terms'])} (not listed).")
        elif r["lost_terms"]:
            lines.append(f"Medical terms masked ({len(r['lost_terms'])}): " + "; ".join(r["lost_terms"][:40]))
    lines.append(END)
    text = DOC.read_text(encoding="utf-8")
    block = "\n".join(lines)
    if BEGIN in text:
        text = re.sub(re.escape(BEGIN) + r".*?" + re.escape(END), lambda _m: block, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    DOC.write_text(text, encoding="utf-8")


def _count(items: list[str] | int) -> int:
    """How many misses a result holds: a list (a set that is not blind) or its length (a blind one)."""
    return items if isinstance(items, int) else len(items)


def _counts_only(result: dict[str, Any]) -> None:
    """Replace the lists of missed identifiers and masked terms (here and in a baseline) by their lengths."""
    for r in (result, result.get("baseline") or {}):
        for key in ("missed", "lost_terms"):
            if isinstance(r.get(key), list):
                r[key] = len(r[key])


def main(argv: list[str]) -> None:
    what = argv[0] if argv else "generate"
    if what == "generate":
        write_sets()
        return
    if what == "overmask":  # printed and saved; the hand-written readings in docs/benchmarks.md quote it
        result = overmask()
        write_result("deid_overmask", result)
        print(json.dumps({k: {f: v[f] for f in ("passages", "words", "masks", "texts_with_a_mask")}
                          for k, v in result.items() if isinstance(v, dict)}))
        return
    part = what.removeprefix("score-")
    if what == part or part not in PARTS:
        raise SystemExit(f"unknown command {what!r}: generate, overmask or score-{{{','.join(PARTS)}}}")
    result = score(part)
    if len(argv) > 1:  # a baseline result file from the same run (main's code)
        result["baseline"] = json.loads(Path(argv[1]).read_text())
    if part in BLIND:  # a blind set's misses are counted, never written down
        _counts_only(result)
    write_result(f"deid_{part}", result)
    results = {}
    for name in PARTS:
        path = ROOT / "bench" / "results" / f"deid_{name}.json"
        if path.exists():
            results[name] = json.loads(path.read_text())
    _write_doc(results)
    print(json.dumps({k: result[k] for k in ("identifiers", "identifier_recall", "terms", "term_retention")}))


if __name__ == "__main__":
    main(sys.argv[1:])
