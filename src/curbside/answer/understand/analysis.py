"""Question analysis: intent, entities, topic, title and retrieval query.

What a question asks (its intent: which plan answers it) is read by the packaged question-type
classifier (``kb/infotypes.py``: MiniLM vector and word n-grams, trained on public labelled questions),
one taxonomy mapped onto the plans by :data:`INTENT_OF`. Three plans keep their patterns, read first: a
comparison (said by its syntax, "X or Y", "better than", and rare in the labelled questions), and two the
taxonomy has no type for: what a finding or a result means, and a clinician's first steps. Entities and the topic
are read by rules and lexicons that are data (``plans/analysis.toml``), except the few word lists for
titles and finding names kept below (title casing, kept capitals, finding modifiers). A
follow-up in a thread ("what about in children?") that names no subject of its own is resolved
against the previous turn: it inherits the topic (and, when it asks nothing new, the intent), and
its retrieval query is the previous subject asked the follow-up's way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from curbside.answer.base import Entities, QuestionAnalysis
from curbside.answer.understand.plans import compile_all, load_data, plan_for, question_template
from curbside.answer.understand.terms import QUESTION_WORDS, STOPWORDS, stem
from curbside.domain import Audience, InfoType, Intent
from curbside.kb.infotypes import TypeScores, classify, type_model
from curbside.retrieval.embedder import Embedder, get_embedder
from curbside.settings import EmbeddingSettings
from curbside.text import english_parser, normalize_space, split_sentences, without_placeholders, words

_SMALL_WORD_TEXT = "a an the and or nor but of in on at to for with by from as vs via per into"
_SMALL_WORDS = frozenset(_SMALL_WORD_TEXT.split())
_KEEP_CASE = {"x-ray": "X-ray", "x-rays": "X-rays", "ct": "CT", "mri": "MRI", "psa": "PSA", "ecg": "ECG",
              "ekg": "EKG", "pet": "PET", "hiv": "HIV", "copd": "COPD", "adhd": "ADHD", "a1c": "A1C",
              "dvt": "DVT", "uti": "UTI", "ibs": "IBS", "covid-19": "COVID-19"}
#: Words describing a finding that evidence rarely repeats ("non-specific calcification").
_FINDING_MODIFIER_TEXT = """non-specific nonspecific benign small tiny dense punctate scattered multiple
coarse incidental soft hard painless painful palpable subcutaneous soft-tissue tissue calcified"""
_FINDING_MODIFIERS = frozenset(_FINDING_MODIFIER_TEXT.split())


#: The plan that answers each question type (a type not listed is answered by the general plan).
INTENT_OF: dict[InfoType, Intent] = {
    InfoType.SYMPTOMS: Intent.SYMPTOMS, InfoType.CAUSES: Intent.CAUSES, InfoType.SUSCEPTIBILITY: Intent.CAUSES,
    InfoType.DIAGNOSIS: Intent.DIAGNOSIS, InfoType.TREATMENT: Intent.MANAGEMENT, InfoType.PREVENTION: Intent.PREVENTION,
    InfoType.OUTLOOK: Intent.PROGNOSIS, InfoType.COMPLICATIONS: Intent.PROGNOSIS, InfoType.COMPARISON: Intent.COMPARISON,
    **{t: Intent.MEDICATION for t in (InfoType.USAGE, InfoType.DOSAGE, InfoType.SIDE_EFFECTS,
                                      InfoType.CONTRAINDICATIONS, InfoType.WARNINGS, InfoType.INTERACTIONS,
                                      InfoType.PREGNANCY, InfoType.OVERDOSE, InfoType.STORAGE, InfoType.MECHANISM,
                                      InfoType.EFFECTIVENESS, InfoType.BRAND_NAMES)},
}
#: The plans read by their patterns, before the classifier (the taxonomy has no type for them).
_PATTERN_INTENTS = (Intent.COMPARISON, Intent.INITIAL_MANAGEMENT, Intent.MEANING)


@dataclass(frozen=True)
class PriorTurn:
    """What a thread remembers of the previous question."""

    question: str
    intent: Intent
    topic: str
    entities: Entities


@dataclass(frozen=True)
class FocusTerms:
    """Stems the evidence must be about: the head subject, the body region, and weighted terms."""

    head: frozenset[str]
    region: tuple[str, ...]  # words and phrases naming the body region ("calf", "lower leg")
    weights: dict[str, float]
    population: frozenset[str]

    def mentions_region(self, text: str) -> bool:
        """Whether ``text`` names the body region (always True when the question names none)."""
        if not self.region:
            return True
        low = text.lower()
        return any(re.search(rf"\b{re.escape(phrase)}\b", low) for phrase in self.region)


@dataclass(frozen=True)
class _Rules:
    intents: tuple[tuple[Intent, tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]], ...]
    followup: tuple[re.Pattern[str], ...]
    pronouns: frozenset[str]
    strip_leading: tuple[re.Pattern[str], ...]
    strip_trailing: tuple[re.Pattern[str], ...]
    populations: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]
    finding: tuple[re.Pattern[str], ...]
    anatomy: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]
    laterality: tuple[re.Pattern[str], ...]
    position: tuple[re.Pattern[str], ...]
    tissue: tuple[re.Pattern[str], ...]
    test: tuple[re.Pattern[str], ...]
    drug: tuple[re.Pattern[str], ...]
    expansion: dict[str, str]


@cache
def rules() -> _Rules:
    data: dict[str, Any] = load_data("analysis")
    w = "analysis.toml"
    intents = tuple(
        (Intent(r["name"]), compile_all(r.get("patterns", []), f"{w}:{r['name']}"),
         compile_all(r.get("topic", []), f"{w}:{r['name']}.topic"))
        for r in data["intent"]
    )
    mods = data.get("anatomy_modifiers", {})
    return _Rules(
        intents=intents,
        followup=compile_all(data["followup"]["patterns"], f"{w}:followup"),
        pronouns=frozenset(data["followup"]["pronouns"]),
        strip_leading=compile_all(["^" + p for p in data["topic"]["strip_leading"]], f"{w}:topic"),
        strip_trailing=compile_all(data["topic"]["strip_trailing"], f"{w}:topic"),
        populations=tuple((p["name"], compile_all(p["patterns"], f"{w}:population")) for p in data["population"]),
        finding=compile_all([rf"\b(?:{p})\b" for p in data["finding"]["patterns"]], f"{w}:finding"),
        anatomy=tuple((a["name"], tuple(a["words"]), tuple(a["region"])) for a in data["anatomy"]),
        laterality=compile_all(mods.get("laterality", []), f"{w}:anatomy_modifiers"),
        position=compile_all(mods.get("position", []), f"{w}:anatomy_modifiers"),
        tissue=compile_all(mods.get("tissue", []), f"{w}:anatomy_modifiers"),
        test=compile_all(data["test"]["patterns"], f"{w}:test"),
        drug=compile_all(data["drug"]["patterns"], f"{w}:drug"),
        expansion={k: str(v) for k, v in data.get("expansion", {}).items()},
    )


# --- small helpers ----------------------------------------------------------------------------


def title_case(text: str) -> str:
    """Title case for headings: small words stay lower, acronyms and mixed case are kept."""
    out = []
    for i, token in enumerate(text.split()):
        lead = re.match(r"^[(\"']*", token)
        prefix = lead.group(0) if lead else ""
        core = token[len(prefix):]
        bare = core.rstrip(",.;:)\"'")
        tail = core[len(bare):]
        low = bare.lower()
        if low in _KEEP_CASE:
            word = _KEEP_CASE[low]
        elif any(ch.isupper() for ch in bare[1:]) or (bare.isupper() and len(bare) > 1):
            word = bare
        elif i > 0 and low in _SMALL_WORDS:
            word = low
        else:
            word = "-".join(part[:1].upper() + part[1:] for part in bare.split("-"))
        out.append(prefix + word + tail)
    return " ".join(out)


def _first(patterns: tuple[re.Pattern[str], ...], text: str) -> str:
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            return normalize_space(match.group(0))
    return ""


def _has_word(text: str, phrase: str) -> bool:
    return re.search(rf"\b{re.escape(phrase)}\b", text, re.IGNORECASE) is not None


def _question_embedder(embedder: Embedder | None) -> Embedder:
    """The embedder the type classifier reads: the given one when it was trained on it, else the packaged model."""
    if embedder is not None and classify(embedder, []) is not None:
        return embedder
    return get_embedder(EmbeddingSettings())


def intents_of(texts: list[str], embedder: Embedder | None = None) -> list[Intent]:
    """The plan each text asks for: a pattern plan (a comparison, what a result means, first steps), else the plan of the
    type the classifier reads (:data:`INTENT_OF`), else the general one."""
    return [intent for intent, _asked in _readings(texts, embedder)]


def _readings(texts: list[str], embedder: Embedder | None) -> list[tuple[Intent, tuple[InfoType, ...]]]:
    """Each text's plan (:func:`intents_of`) and the types it asks for as the classifier reads them (none for a
    pattern plan, or when the classifier is unsure)."""
    table = {i: p for i, p, _t in rules().intents}
    out: list[Intent | None] = [next((i for i in _PATTERN_INTENTS if any(p.search(text) for p in table.get(i, ()))),
                                     None) for text in texts]
    todo = [text for text, intent in zip(texts, out, strict=True) if intent is None]
    scores: list[TypeScores] = (classify(_question_embedder(embedder), todo) or []) if todo else []
    read = iter(scores)
    readings: list[tuple[Intent, tuple[InfoType, ...]]] = []
    for intent in out:
        if intent is not None:
            readings.append((intent, ()))
            continue
        found = next(read, None)
        readings.append((_intent_for(found), found.asked(type_model().floor) if found is not None else ()))
    return readings


def plan_of(kind: InfoType, probability: float = 1.0, floor: float = 0.0) -> Intent:
    """The plan of a type read with ``probability``: its own (:data:`INTENT_OF`) from ``floor`` on, else the general one."""
    return INTENT_OF.get(kind, Intent.GENERAL) if probability >= floor else Intent.GENERAL


def _intent_for(scores: TypeScores | None) -> Intent:
    """The plan of the type read, when the model is sure enough of it (:attr:`~curbside.kb.infotypes.TypeModel.floor`)."""
    return Intent.GENERAL if scores is None else plan_of(scores.best, scores.confidence, type_model().floor)


def detect_intent(text: str, embedder: Embedder | None = None) -> Intent:
    """The plan one question asks for (see :func:`intents_of`)."""
    return intents_of([text], embedder)[0]


def _clean_topic(topic: str) -> str:
    r = rules()
    topic = normalize_space(topic).strip(" ?.!,;:")
    # "(X-ray)" right after "X-ray": a repeated gloss.
    topic = re.sub(r"\s*\(([^)]*)\)\s*$",
                   lambda m: "" if m.group(1).lower() in topic[: m.start()].lower() else m.group(0), topic)
    changed = True
    while changed:
        changed = False
        for pattern in r.strip_leading:
            new = pattern.sub("", topic, count=1)
            if new != topic and new.strip():
                topic, changed = new, True
    return topic.strip(" ?.!,;:")


#: A plan's last-resort topic pattern: the whole question.
_ANY_TOPIC = "^(?P<topic>.+)$"


def _topic_from(text: str, intent: Intent, *, general: bool = False) -> str:
    """The subject captured by the intent's topic patterns, else by another plan's (the classifier and the
    wording may disagree on the plan: "How is gout treated?" says its topic as treatment questions do), or
    by the general ones."""
    table = {i: t for i, _p, t in rules().intents}
    others = tuple(i for i in table if i not in (intent, Intent.GENERAL))
    for candidate in ((Intent.GENERAL,) if general else (intent, *others)):
        for pattern in table.get(candidate, ()):
            if candidate not in (intent, Intent.GENERAL) and pattern.pattern == _ANY_TOPIC:  # another plan's catch-all
                continue
            match = pattern.search(text)
            if match and match.groupdict().get("topic"):
                topic = _clean_topic(match.group("topic"))
                if topic:
                    return topic
    return ""


def strip_population(topic: str) -> str:
    for pattern in rules().strip_trailing:
        topic = pattern.sub("", topic)
    return topic.strip()


def _is_contentless(topic: str, population: str) -> bool:
    """True when a topic names nothing of its own ("it", "what about in children")."""
    r = rules()
    pop_words = {w for name, patterns in r.populations for p in patterns for w in words(_first((p,), topic))}
    extra = {"about", "what", "how", "and", "also", "case", "cases", "then", "instead", "too"}
    left = [w for w in words(topic)
            if w not in STOPWORDS and w not in r.pronouns and w not in QUESTION_WORDS and w not in pop_words
            and w not in extra]
    return not left


# --- entities ---------------------------------------------------------------------------------


def extract_entities(text: str, intent: Intent, topic: str) -> Entities:
    r = rules()
    low = text.lower()
    finding = _first(r.finding, text)
    anatomy_name = ""
    for name, names, _region in r.anatomy:
        for phrase in names:
            if _has_word(low, phrase):
                anatomy_name = name
                break
        if anatomy_name:
            break
    anatomy = ""
    laterality = ""
    if anatomy_name:
        position = _first(r.position, low)
        tissue = _first(r.tissue, low)
        anatomy = f"{position} {anatomy_name}".strip()
        if tissue and tissue.replace("-", " ") not in anatomy:
            anatomy = f"{tissue.replace('-', ' ')} of the {anatomy}"
        laterality = _first(r.laterality, low)
    population = ""
    for name, patterns in r.populations:
        if any(p.search(low) for p in patterns):
            population = name
            break
    test = _first(r.test, text)
    drug = _first(r.drug, text)
    condition = ""
    if not finding and topic and not (drug and intent == Intent.MEDICATION):
        condition = strip_population(topic)
    compared: list[str] = []
    if intent == Intent.COMPARISON and topic:
        parts = re.split(r"\s+(?:vs\.?|versus|and|or|compared (?:to|with)|(?:better|worse|safer|"
                         r"more effective|less effective) than)\s+", topic, flags=re.IGNORECASE)
        compared = [p.strip(" ,?") for p in parts if p.strip(" ,?")][:3]
    return Entities(finding=finding, anatomy=anatomy, laterality=laterality, condition=condition,
                    test=test, population=population, drug=drug, compared=compared)


def subject_of(entities: Entities, topic: str) -> str:
    """The question's subject in a few words: the finding, condition, drug or test."""
    if entities.finding:
        core = [w for w in entities.finding.split() if w.lower() not in _FINDING_MODIFIERS]
        return " ".join(core) or entities.finding
    if entities.compared:
        return " ".join(entities.compared)
    return entities.condition or entities.drug or entities.test or topic


def focus_terms(analysis: QuestionAnalysis) -> FocusTerms:
    """What evidence must be about (head stems, region stems) and the weighted question terms."""
    e = analysis.entities
    subject = subject_of(e, analysis.topic)
    head = {stem(w) for w in words(subject) if w not in STOPWORDS and w not in QUESTION_WORDS}
    region: tuple[str, ...] = ()
    if e.finding and e.anatomy:
        for name, _names, region_words in rules().anatomy:
            if name in e.anatomy:
                region = tuple(region_words)
    weights: dict[str, float] = {}
    for text, weight in ((analysis.retrieval_query or analysis.question, 1.0), (analysis.topic, 1.5),
                         (subject, 2.5)):
        for w in words(text):
            if w in STOPWORDS or w in QUESTION_WORDS or len(w) < 2:
                continue
            s = stem(w)
            weights[s] = max(weights.get(s, 0.0), weight)
    population = frozenset(stem(w) for w in words(e.population))
    return FocusTerms(frozenset(head), region, weights, population)


# --- the analysis -----------------------------------------------------------------------------


_ASKING_CLAUSE = re.compile(r"[,;:—–-]\s+((?:what|how|why|when|which|who|is|are|can|could|should|does|do|will)\b.*)$",
                           re.IGNORECASE)


def _plain(sentence: str) -> str:
    """The sentence without the adverbs that colour how it asks ("what exactly is sciatica", "how is gout
    usually treated"), so that the topic patterns find its subject: the -ly adverbs spaCy's tagger reads
    as such, except one that "how" modifies ("how quickly", which asks; not "how exactly") and "only",
    which changes what is asked.
    Parsed only when a word ends in -ly."""
    if not any(w.endswith("ly") for w in words(sentence)):
        return sentence
    doc = english_parser()(sentence)
    drop = {t.i for t in doc if t.pos_ == "ADV" and t.lower_.endswith("ly") and t.lower_ != "only"
            and not (t.i > 0 and doc[t.i - 1].lower_ == "how" and doc[t.i - 1].head.i == t.i)}
    if not drop:
        return sentence
    return normalize_space("".join(t.text_with_ws for t in doc if t.i not in drop)).replace(" ,", ",")


def _candidates(question: str) -> list[str]:
    """The question sentences, each cut to its asking clause ("I have X, what should I do?")."""
    sentences = split_sentences(question) or [question]
    asked = [s for s in sentences if s.rstrip().endswith("?")]
    out = []
    for sentence in asked or sentences:
        clause = _ASKING_CLAUSE.search(sentence)
        out.append((clause.group(1) if clause else sentence).rstrip(" ?.!"))
    return out


#: A general question whose topic starts with one of these asks how to do it: "How do I check my blood
#: sugar?" is titled "How to Check Blood Sugar", not "Check Blood Sugar: The Basics".
_HOW_TO = frozenset({"measure", "check", "take", "use", "treat", "prevent", "stop", "quit", "lose", "lower",
                     "raise", "reduce", "manage", "clean", "apply", "avoid", "relieve", "increase", "improve",
                     "inject", "store", "wean", "tell", "know"})


def title_for(intent: Intent, audience: Audience, topic: str) -> str:
    """The plan's title for a topic ("Treating Gout", "Sciatica: The Basics", "How to Measure Blood Pressure")."""
    verb, _, rest = topic.partition(" ")
    if verb.lower() in _HOW_TO:  # "relieve and pain": the object follows (whatever the plan: checking is a test)
        return f"How to {title_case(verb + ' ' + rest.removeprefix('and '))}"
    template = plan_for(intent, audience).title
    lead = [w for w in words(template.split("{topic}")[0]) if w not in STOPWORDS]
    # "Preventing Brain Loss …", "best exercises for osteoporosis prevention": not prevented twice
    if lead and stem(lead[-1]) in {stem(w) for w in words(topic)}:
        return title_case(topic)
    return template.format(topic=title_case(topic)) if topic else template.format(topic="Your Question")


def _query(question_text: str, intent: Intent, extra: list[str]) -> str:
    expansion = rules().expansion.get(intent.value, "")
    have = {stem(w) for w in words(question_text)}
    extra_words = [w for phrase in extra for w in words(phrase) if w not in STOPWORDS]
    add = [w for w in (expansion.split() + extra_words) if stem(w.lower()) not in have]
    seen: set[str] = set()
    unique = [w for w in add if not (w.lower() in seen or seen.add(w.lower()))]  # type: ignore[func-returns-value]
    return normalize_space(" ".join([question_text, *unique]))


def analyze(question: str, audience: Audience = Audience.CLINICIAN, *,
            previous: PriorTurn | None = None, embedder: Embedder | None = None) -> QuestionAnalysis:
    """Intent, entities, topic, title and retrieval query of a question (resolved in its thread)."""
    text = normalize_space(question)
    asked = without_placeholders(text)  # a published consult's "[NAME]", "[PHONE]" are not what it asks
    candidates = _candidates(asked) or [asked]
    readings = _readings(candidates, embedder)
    intents = [intent for intent, _asked in readings]
    chosen = next((i for i, it in enumerate(intents) if it != Intent.GENERAL), 0)
    intent = intents[chosen]
    order = [chosen] + [i for i in range(len(candidates)) if i != chosen and intents[i] != Intent.GENERAL] \
        + [i for i in range(len(candidates)) if i != chosen and intents[i] == Intent.GENERAL]
    topic = ""
    for general in (False, True):
        for i in order:
            own = intent if i == chosen else intents[i]
            found = _topic_from(_plain(candidates[i]), own, general=general)
            if found and not _is_contentless(found, ""):
                topic = found
                break
        if topic:
            break
    entities = extract_entities(asked, intent, topic)
    if not topic:
        topic = subject_of(entities, "")
    if intent == Intent.COMPARISON and len(entities.compared) >= 2 and " than " in topic.lower():
        topic = " vs ".join(entities.compared)

    focal = " ".join(c + "?" for c in candidates) if len(candidates) > 1 else asked
    kinds = readings[chosen][1]
    resolved = False
    if previous is not None:
        followup_form = any(p.search(text) for p in rules().followup)
        if not topic or _is_contentless(topic, entities.population):
            base = strip_population(previous.topic) if entities.population else previous.topic
            topic = f"{base} in {entities.population}" if entities.population else base
            if intent == Intent.GENERAL:  # it asks what its thread asked (read again from its query by the typed question)
                intent, kinds = previous.intent, ()
            merged = previous.entities.model_copy()
            for name in ("finding", "anatomy", "laterality", "condition", "test", "drug"):
                if getattr(entities, name):
                    setattr(merged, name, getattr(entities, name))
            merged.population = entities.population or previous.entities.population
            entities = merged
            resolved = True
        elif followup_form and intent == Intent.GENERAL:
            intent, kinds = previous.intent, ()
            entities = extract_entities(asked, intent, topic)
            resolved = True
    if (entities.anatomy and topic and not resolved
            and not any(_has_word(topic, w) for n, names, _r in rules().anatomy for w in names)):
        topic = f"{topic} in the {entities.anatomy}"
    if resolved:
        retrieval = _query(question_template(intent).format(topic=topic), intent, [])
    else:
        extra = [w for w in (entities.finding, entities.anatomy, entities.test)
                 if w and w.lower() not in focal.lower()]
        retrieval = _query(focal, intent, extra)
    return QuestionAnalysis(question=text, intent=intent, audience=audience, entities=entities,
                            topic=topic, title=title_for(intent, audience, topic), retrieval_query=retrieval,
                            in_thread=previous is not None, asked=kinds)
