"""Train the question-type classifier (``kb/models/qtype.npz``) from public labels.

Training data, all public:
- MedQuAD's typed questions (CC BY 4.0, ``../shared/data/medquad``: 47k questions, 37 qtypes mapped
  onto ``domain.InfoType`` by ``ingest/medquad.QTYPES``; deduplicated, at most ``--per-type`` per type);
- real consumer questions labelled by hand (``bench/data/qtype_kqa.jsonl``: K-QA, MIT), whose
  held-back quarter (chosen by a hash of the question, never tuned on) is the consumer test split;
- common section headings of clinical documents labelled by hand (``bench/data/heading_labels.jsonl``);
- the start of MedQuAD's answers and of the headed subsections inside them, typed by their question's
  type, and section names of drug labels, so sections and headings are read too;
- with ``--medicationqa``: real consumer medication questions with NLM's type annotations (MedicationQA,
  MedInfo 2019, abachaa/Medication_QA_MedInfo2019; its held-back quarter, by the same hash, is a second
  consumer test split) — a set whose answers were already read once (bench/medication_qa.py), so
  training on its types measures nothing there any more but the held-back quarter;
- with ``--openfda``: the question headings of the Medication Guides and patient information of the
  openFDA labels ("Who should not take X?"), typed by the label's own section structure;
- with ``--consumer-more``: 1,906 more real consumer questions typed by hand (``bench/data/qtype_consumer.jsonl``:
  the questions of first-read sets already spent — HealthSearchQA and Curai HealthTap samples 1-5, MEDIQA 2019
  Task 3 and RQE consumer questions — labelled once by helpers that read no code); its held-back quarter is a
  test split whether or not the rest is trained on;
- with ``--consumer-written`` (beside ``--consumer-more``): 420 more (``bench/data/qtype_consumer2.jsonl``, thirtieth
  session): HealthSearchQA and HealthTap samples 6 and 120 everyday-health questions written by a helper;
- with ``--liveqa``: the TREC 2017 LiveQA medical test questions' NLM types, a test split only.

With ``--choose-floor`` the floor at which a question's best type decides its plan and the sections asked
(:attr:`curbside.kb.infotypes.TypeModel.floor`) is chosen with the model: the consumer training questions are read
out of fold (four folds, each by a head trained on every other row) and the floor of :data:`FLOOR_GRID` that gives
most of them the plan of their labelled type is written in the card (``intent_floor``), with the curve and the
plan accuracy of each consumer test split at that floor, at 0.3, and for the replaced model.

Features are the packaged MiniLM's vectors and the text's word 1–3-gram TF-IDF (``--ngram-scale``, 0 for
vectors alone); the head is scikit-learn's multinomial logistic regression.

    pip install '.[train]' && python scripts/train_models.py [--data ../shared/data]
    # the shipped type model (thirtieth session, docs/benchmarks.md): --medicationqa MedInfo2019-QA-Medications.xlsx
    # --openfda DIR --liveqa TEST.xml --consumer-more --choose-floor; tried, not shipped: the same --consumer-written
    python scripts/train_models.py --model answers   # the question–statement answer model
    python scripts/train_models.py --model subject   # which named thing a message asks about
    python scripts/train_models.py --model sentences # a statement type model (tried, not shipped; the installed pack)
    python scripts/train_models.py --model narration # which sentences of an abstract narrate its study (PubMedQA)

The subject model reads the MEDIQA 2019 RQE pairs (``../shared/data/mediqa2019``, training and
measuring only) and the subjects the installed knowledge base names (the starter pack in the default
data directory: run ``curbside kb stats`` once first).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
from lxml import etree
from sklearn.linear_model import LogisticRegression

from curbside.domain import InfoType
from curbside.ingest.medquad import QTYPES, clean_question
from curbside.ingest.medquad_text import answer_text
from curbside.kb.infotypes import DEFAULT_FLOOR, MODEL_FILE, TypeModel, section_text
from curbside.ngrams import NgramFeatures
from curbside.retrieval.embedder import get_embedder
from curbside.settings import Settings
from curbside.text import is_heading_line, split_sentences

ROOT = Path(__file__).resolve().parent.parent
CONSUMER = ROOT / "bench" / "data" / "qtype_kqa.jsonl"
#: More real consumer questions typed by hand (the questions of spent first-read sets: HealthSearchQA samples 1-5,
#: HealthTap samples 1-5, MEDIQA 2019 Task 3 and RQE consumer questions; labelled once by helpers that read no code,
#: twenty-ninth session); their held-back quarter (the same hash) is a second consumer test split.
CONSUMER_MORE = ROOT / "bench" / "data" / "qtype_consumer.jsonl"
#: And 420 more (thirtieth session, ``source`` in each row): the 300 questions of HealthSearchQA and HealthTap samples
#: 6 (spent), and 120 everyday-health questions (nutrients, foods, sleep, exercise …) written and typed by a helper
#: that read no code; trained on with ``--consumer-written``, their held-back quarter a test split only then.
CONSUMER_WRITTEN = ROOT / "bench" / "data" / "qtype_consumer2.jsonl"
#: Section headings of clinical documents (guidelines, labels, patient pages) labelled by hand.
HEADINGS = ROOT / "bench" / "data" / "heading_labels.jsonl"
#: How much one hand-labelled consumer question counts against one templated MedQuAD question.
CONSUMER_WEIGHT = 8.0
HEADING_WEIGHT = 12.0
#: MedicationQA's questions and the labels' patient-section questions: medicine questions only, so they count
#: less than the hand-labelled consumer questions of every kind (at 8 they pulled condition questions toward
#: the medicine types: a question after the oral option for a skin infestation read as dosage).
MEDICINE_WEIGHT = 3.0


def held_back(question: str) -> bool:
    """The consumer test split: a quarter of the labelled questions, fixed by a hash of their text."""
    return int(hashlib.sha256(question.encode()).hexdigest(), 16) % 4 == 0


def _medquad_trees(root: Path, pattern: str = "*/*.xml") -> Iterator[etree._ElementTree]:
    """MedQuAD's pages, parsed (a file that is not XML is passed over)."""
    for path in sorted(root.glob(pattern)):
        try:
            yield etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError:
            continue


def medquad_answers(root: Path, per_type: int, seed: int) -> tuple[list[tuple[str, InfoType]], list[tuple[str, InfoType]]]:
    """(train, test): the start of MedQuAD's answers typed by their question's type — how a section
    with a heading the model has not seen is typed by what it says; test is a 5 % sample."""
    seen: dict[str, InfoType] = {}
    for tree in _medquad_trees(root):
        for pair in tree.iter():
            if not isinstance(pair.tag, str) or pair.tag.lower() not in ("qapair", "pair"):
                continue
            question = next((c for c in pair if isinstance(c.tag, str) and c.tag.lower() == "question"), None)
            answer = next((c for c in pair if isinstance(c.tag, str) and c.tag.lower() == "answer"), None)
            if question is None or answer is None:
                continue
            kind = QTYPES.get((question.get("qtype") or "").strip().lower())
            text = " ".join("".join(answer.itertext()).split())
            asked = " ".join("".join(question.itertext()).split())
            text = text.removeprefix(asked).strip()  # GARD answers repeat their question
            if kind is not None and len(text) > 40:
                seen.setdefault(section_text("", text), kind)
    return _split(seen, per_type, seed)


def medquad_subsections(root: Path, per_type: int, seed: int) -> list[tuple[str, InfoType]]:
    """Headed subsections inside MedQuAD's answers ("Medications", "Diagnostic Tests"), each with the
    start of its text, typed by the answer's question type: how the headings of a site's own
    documents read. A heading found under more than one type ("Key Points") is left out."""
    found: list[tuple[str, str, InfoType]] = []
    types_of: dict[str, set[InfoType]] = {}
    for tree in _medquad_trees(root, "[1-9]_*/*.xml"):
        for pair in tree.iter("QAPair"):
            question, answer = pair.find("Question"), pair.find("Answer")
            kind = QTYPES.get((question.get("qtype") or "").strip().lower()) if question is not None else None
            if kind is None or answer is None:
                continue
            lines = answer_text("".join(answer.itertext())).split("\n")
            for i, line in enumerate(lines[:-1]):
                if is_heading_line(line) and len(line.split()) <= 8 and not is_heading_line(lines[i + 1]):
                    heading = line.strip().rstrip(":")
                    types_of.setdefault(heading.lower(), set()).add(kind)
                    found.append((heading, " ".join(lines[i + 1 : i + 4]), kind))
    rng = random.Random(seed)
    rng.shuffle(found)
    out: list[tuple[str, InfoType]] = []
    count: dict[InfoType, int] = {}
    for heading, text, kind in found:
        if len(types_of[heading.lower()]) == 1 and count.get(kind, 0) < per_type:
            count[kind] = count.get(kind, 0) + 1
            out.append((section_text(heading, text), kind))
    return out


def _split(seen: dict[str, InfoType], per_type: int, seed: int) -> tuple[list[tuple[str, InfoType]], list[tuple[str, InfoType]]]:
    rng = random.Random(seed)
    items = sorted(seen.items())
    rng.shuffle(items)
    test = items[: len(items) // 20]
    by_type: dict[InfoType, list[tuple[str, InfoType]]] = {}
    for text, kind in items[len(items) // 20:]:
        by_type.setdefault(kind, []).append((text, kind))
    train = [pair for pairs in by_type.values() for pair in pairs[:per_type]]
    return train, test


def medquad_questions(root: Path, per_type: int, seed: int) -> tuple[list[tuple[str, InfoType]], list[tuple[str, InfoType]]]:
    """(train, test): distinct MedQuAD questions with their mapped type; test is a 5 % sample."""
    seen: dict[str, InfoType] = {}
    for tree in _medquad_trees(root):
        for el in tree.iter():
            if not isinstance(el.tag, str) or el.tag.lower() != "question":
                continue
            kind = QTYPES.get((el.get("qtype") or "").strip().lower())
            text = clean_question(" ".join("".join(el.itertext()).split()))
            if kind is not None and text:
                seen.setdefault(text, kind)
    return _split(seen, per_type, seed)


def heading_examples() -> list[tuple[str, InfoType]]:
    """Section names as sources print them: MedQuAD's qtype names and drug-label section names."""
    label = {
        "Indications and usage": InfoType.USAGE, "Dosage and administration": InfoType.DOSAGE,
        "Dosage forms and strengths": InfoType.DOSAGE, "Contraindications": InfoType.CONTRAINDICATIONS,
        "Boxed warning": InfoType.WARNINGS, "Warnings and precautions": InfoType.WARNINGS,
        "Warnings": InfoType.WARNINGS, "Precautions": InfoType.WARNINGS,
        "Adverse reactions": InfoType.SIDE_EFFECTS, "Drug interactions": InfoType.INTERACTIONS,
        "Use in specific populations": InfoType.POPULATIONS, "Pregnancy": InfoType.PREGNANCY,
        "Lactation": InfoType.PREGNANCY, "Nursing mothers": InfoType.PREGNANCY,
        "Pediatric use": InfoType.POPULATIONS, "Geriatric use": InfoType.POPULATIONS,
        "Overdosage": InfoType.OVERDOSE, "How supplied/storage and handling": InfoType.STORAGE,
        "Storage and handling": InfoType.STORAGE, "Mechanism of action": InfoType.MECHANISM,
        "Description": InfoType.INFORMATION, "Clinical studies": InfoType.EFFECTIVENESS,
    }
    named = [(name[:1].upper() + name[1:], kind) for name, kind in QTYPES.items()]
    hand = [(row["heading"], InfoType(row["type"])) for row in map(json.loads, HEADINGS.read_text().splitlines())]
    return [*label.items(), *named, *hand]


def consumer_labels(path: Path) -> tuple[list[tuple[str, InfoType]], list[tuple[str, InfoType]]]:
    train: list[tuple[str, InfoType]] = []
    test: list[tuple[str, InfoType]] = []
    if not path.exists():
        return train, test
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        pair = (row["question"], InfoType(row["type"]))
        (test if held_back(row["question"]) else train).append(pair)
    return train, test


#: LiveQA messages kept per type for training (as MedQuAD's questions are capped per type).
LIVEQA_PER_TYPE = 40
#: LiveQA 2017 medical question types (the training sets' annotations) on ``domain.InfoType``; types
#: that name no section (organization, resources, association, diagnose_me, ingredient) are left out.
LIVEQA_TYPES = {
    "information": InfoType.INFORMATION, "treatment": InfoType.TREATMENT, "cause": InfoType.CAUSES,
    "diagnosis": InfoType.DIAGNOSIS, "prognosis": InfoType.OUTLOOK, "symptom": InfoType.SYMPTOMS,
    "susceptibility": InfoType.SUSCEPTIBILITY, "inheritance": InfoType.INHERITANCE,
    "genetic changes": InfoType.INHERITANCE, "complication": InfoType.COMPLICATIONS,
    "prevention": InfoType.PREVENTION, "indication": InfoType.USAGE, "usage": InfoType.USAGE,
    "contraindication": InfoType.CONTRAINDICATIONS, "side effects": InfoType.SIDE_EFFECTS,
    "dosage": InfoType.DOSAGE, "tapering": InfoType.DOSAGE, "interaction": InfoType.INTERACTIONS,
    "storage and disposal": InfoType.STORAGE,
}


#: TREC 2017 LiveQA test questions' NLM types (upper case, one per question) on ``domain.InfoType``.
#: (the others are the training sets' names in capitals)
LIVEQA_TEST_TYPES = {"SIDE_EFFECT": "side effects", "STORAGE_DISPOSAL": "storage and disposal"}


def _liveqa_text(subject: str, message: str) -> str:
    """What the classifier reads of a LiveQA message: its asking sentences, as at run time."""
    from curbside.answer.understand.subject import asking_sentences

    return asking_sentences(" ".join((f"{subject}. {message}" if subject else message).split()))[:1000]


def liveqa_test_labels(path: Path | None) -> list[tuple[str, InfoType]]:
    """The LiveQA 2017 medical *test* questions with their one NLM type, read as the classifier reads a message
    (:func:`_liveqa_text`): a test split only — :func:`liveqa_labels` keeps them out of training."""
    if path is None:
        return []
    out: list[tuple[str, InfoType]] = []
    for question in etree.parse(str(path)).getroot().iter("NLM-QUESTION"):
        kinds = {(t.text or "").strip() for t in question.iter("TYPE")}
        if len(kinds) != 1:
            continue
        name = kinds.pop()
        kind = LIVEQA_TYPES.get(LIVEQA_TEST_TYPES.get(name, name.lower()))
        original = question.find("Original-Question")
        if kind is None or original is None:
            continue
        out.append((_liveqa_text((original.findtext("SUBJECT") or "").strip(),
                                 (original.findtext("MESSAGE") or "").strip()), kind))
    return out


def liveqa_labels(paths: list[Path], fresh: list[set[str]]) -> tuple[list[tuple[str, InfoType]], list[tuple[str, InfoType]]]:
    """(train, test) real consumer messages with the one question type NLM annotated on them (TREC 2017
    LiveQA medical training sets); what the classifier reads of a message is its asking sentences, as at
    run time. The test split is a quarter chosen by a hash of the text, never tuned on; messages among
    ``fresh`` (the LiveQA test questions, some of which the training sets repeat) are left out."""
    train: list[tuple[str, InfoType]] = []
    test: list[tuple[str, InfoType]] = []
    for path in paths:
        for question in etree.parse(str(path)).getroot().iter("NLM-QUESTION"):
            kinds = {(t.text or "").strip().lower() for t in question.iter("TYPE")}
            if len(kinds) != 1 or (kind := LIVEQA_TYPES.get(kinds.pop())) is None:
                continue
            subject, message = (question.findtext("SUBJECT") or "").strip(), (question.findtext("MESSAGE") or "").strip()
            if _among(f"{subject} {message}", fresh):
                continue
            text = _liveqa_text(subject, message)
            (test if held_back(text) else train).append((text, kind))
    return _capped(train, LIVEQA_PER_TYPE), test


#: MedicationQA's question types on ``domain.InfoType``; types that name no section of a label or page
#: (appearance, ingredient, time, pronunciation, availability …) are left out.
MEDICATIONQA_TYPES = {
    "information": InfoType.INFORMATION, "dose": InfoType.DOSAGE, "usage": InfoType.DOSAGE,
    "side effects": InfoType.SIDE_EFFECTS, "indication": InfoType.USAGE, "interaction": InfoType.INTERACTIONS,
    "action": InfoType.MECHANISM, "stopping/tapering": InfoType.DOSAGE, "storage and disposal": InfoType.STORAGE,
    "comparison": InfoType.COMPARISON, "contraindication": InfoType.CONTRAINDICATIONS, "overdose": InfoType.OVERDOSE,
    "usage/duration": InfoType.DOSAGE, "brand names": InfoType.BRAND_NAMES, "forget a dose": InfoType.DOSAGE,
    "action/effectiveness": InfoType.EFFECTIVENESS,
}
#: Label question headings kept per type (the same few questions recur in every Medication Guide).
LABEL_QUESTIONS_PER_TYPE = 40


def medicationqa_labels(path: Path | None) -> tuple[list[tuple[str, InfoType]], list[tuple[str, InfoType]]]:
    """(train, test) MedicationQA questions with NLM's one type for each; the test split is the
    quarter chosen by a hash of the question, never trained on."""
    train: list[tuple[str, InfoType]] = []
    test: list[tuple[str, InfoType]] = []
    if path is None:
        return train, test
    import openpyxl

    sheet = openpyxl.load_workbook(path, read_only=True).active
    assert sheet is not None
    seen: set[str] = set()
    for row in list(sheet.iter_rows(values_only=True))[1:]:
        question = " ".join(str(row[0] or "").split())
        kind = MEDICATIONQA_TYPES.get(" ".join(str(row[2] or "").lower().split()))
        if not question or kind is None or question in seen:
            continue
        seen.add(question)
        (test if held_back(question) else train).append((question, kind))
    return train, test


def label_questions(folder: Path | None) -> list[tuple[str, InfoType]]:
    """The typed question headings of the labels' patient-facing sections (openFDA JSON files)."""
    if folder is None:
        return []
    from curbside.ingest.openfda import label_sections

    found: dict[str, InfoType] = {}
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for label in data.get("results") or [data]:
            for section in label_sections(label):
                if len(section.headings) == 2 and section.kind is not None and section.headings[1].endswith("?"):
                    found.setdefault(section.headings[1], section.kind)
    rng = random.Random(7)
    pairs = sorted(found.items())
    rng.shuffle(pairs)
    return _capped(pairs, LABEL_QUESTIONS_PER_TYPE)


def _capped(pairs: list[tuple[str, InfoType]], per_type: int) -> list[tuple[str, InfoType]]:
    """At most ``per_type`` examples of each type (the first ones, in file order): half of LiveQA's messages
    ask about treatment, and so many would teach the classifier that a consumer message asks that."""
    seen: Counter[InfoType] = Counter()
    out = []
    for text, kind in pairs:
        seen[kind] += 1
        if seen[kind] <= per_type:
            out.append((text, kind))
    return out


def answer_pairs(root: Path, questions: int, seed: int) -> tuple[list[tuple[str, str, int]], list[tuple[str, str, int]]]:
    """(train, test) question–sentence pairs from MedQuAD's answered pages, split by page: per question,
    two sentences of its own answer (1), two of another answer on its page and one of a same-type
    answer on another page (0)."""
    pages: list[list[tuple[str, InfoType, list[str]]]] = []
    for tree in _medquad_trees(root, "[1-9]_*/*.xml"):
        page = []
        for pair in tree.iter("QAPair"):
            question, answer = pair.find("Question"), pair.find("Answer")
            kind = QTYPES.get((question.get("qtype") or "").strip().lower()) if question is not None else None
            if kind is None or answer is None:
                continue
            asked = " ".join("".join(question.itertext()).split())
            text = " ".join("".join(answer.itertext()).split()).removeprefix(asked).strip()
            sentences = [x for x in split_sentences(text) if 6 <= len(x.split()) <= 60]
            if sentences:
                page.append((clean_question(asked), kind, sentences))
        if len({k for _, k, _ in page}) >= 2:
            pages.append(page)
    rng = random.Random(seed)
    rng.shuffle(pages)
    by_type: dict[InfoType, list[list[str]]] = {}
    for page in pages:
        for _, kind, sentences in page:
            by_type.setdefault(kind, []).append(sentences)
    train: list[tuple[str, str, int]] = []
    test: list[tuple[str, str, int]] = []
    for n, page in enumerate(pages):
        out = test if n % 10 == 0 else train
        for question, kind, sentences in page:
            if len(train) + len(test) >= questions * 5:
                return train, test
            others = [x for q, k, ss in page if k != kind for x in ss]
            if not others:
                continue
            for sentence in rng.sample(sentences, min(2, len(sentences))):
                out.append((question, sentence, 1))
            for sentence in rng.sample(others, min(2, len(others))):
                out.append((question, sentence, 0))
            elsewhere = rng.choice(by_type[kind])
            if elsewhere is not sentences:
                out.append((question, rng.choice(elsewhere), 0))
    return train, test


def train_answers(args: argparse.Namespace) -> None:
    """The question–statement answer model (``answer/select/answers_model.py``)."""
    from sklearn.metrics import roc_auc_score

    from curbside.answer.select.answers_model import MODEL_FILE as ANSWERS_FILE
    from curbside.answer.select.answers_model import AnswerModel, features

    started = time.time()
    train, test = answer_pairs(args.data / "medquad", args.questions, args.seed)
    embedder = get_embedder(Settings().embedding)
    texts = sorted({t for q, s, _ in train + test for t in (q, s)})
    print(f"embedding {len(texts)} texts for {len(train)} training and {len(test)} test pairs", flush=True)
    vectors = dict(zip(texts, embedder.embed(texts, batch_size=64), strict=True))
    embedded_s = time.time() - started

    def matrix(pairs: list[tuple[str, str, int]]) -> tuple[np.ndarray, np.ndarray]:
        x = np.vstack([features(vectors[q], vectors[s][None, :]) for q, s, _ in pairs])
        return x, np.array([y for _, _, y in pairs])

    x, y = matrix(train)
    fitted = LogisticRegression(C=args.c, max_iter=3000).fit(x, y)
    trained_s = time.time() - started - embedded_s
    model = AnswerModel(fitted.coef_[0].astype(np.float32), float(fitted.intercept_[0]), {})
    tx, ty = matrix(test)
    learned = (1.0 / (1.0 + np.exp(-(tx @ model.weights + model.bias))))
    cosine = tx[:, -1]
    card: dict[str, object] = {
        "embedding_model": embedder.name, "train_pairs": len(train), "test_pairs": len(test),
        "test_auc": round(float(roc_auc_score(ty, learned)), 4),
        "baseline_cosine_test_auc": round(float(roc_auc_score(ty, cosine)), 4),
        "embedding_seconds": round(embedded_s, 1), "training_seconds": round(trained_s, 1), "c": args.c,
        "seed": args.seed, "sources": "MedQuAD answered question-answer pairs (CC BY 4.0), split by page",
    }
    AnswerModel(model.weights, model.bias, card).save(ANSWERS_FILE)
    print(json.dumps(card, indent=2))
    print(f"wrote {ANSWERS_FILE} ({ANSWERS_FILE.stat().st_size / 1024:.0f} kB)")


#: Sentences of each section type in the statement type model's data (the rarest types have fewer).
SENTENCES_PER_TYPE = 2500
#: Vocabulary of its word 1–2-gram TF-IDF (the most frequent; bounds the model's size), and that block's weight beside
#: the sentence vector (held-back accuracy 0.666 at 0.5, 0.680 at 1, 0.681 at 2: thirty-fourth session).
SENTENCE_NGRAMS = 30000
SENTENCE_NGRAM_SCALE = 1.0


def typed_sentences(settings: Settings, per_type: int, seed: int) -> list[tuple[str, str, InfoType]]:
    """(source id, sentence, section type) for sentences of 6 to 60 words of the installed knowledge base's typed
    passages — MedQuAD answers typed by their question's qtype, drug-label sections by their LOINC code or openFDA
    field — at most ``per_type`` of each type, drawn with ``seed``."""
    from curbside.db import get_engine
    from curbside.kb.store import KnowledgeStore

    store = KnowledgeStore(get_engine(settings.resolved_database_url))
    rows: list[tuple[str, str, InfoType]] = []
    last, step = 0, 5000
    top = store.max_passage_pk()
    while last < top:
        found = store.passages_by_pk(list(range(last + 1, last + step + 1)))
        last += step
        for passage, _source in found.values():
            if passage.section_type is None:
                continue
            for sentence in split_sentences(" ".join(passage.text.split())):
                if 6 <= len(sentence.split()) <= 60:
                    rows.append((passage.source_id, sentence, passage.section_type))
    random.Random(seed).shuffle(rows)
    counts: Counter[InfoType] = Counter()
    kept = []
    for row in rows:
        if counts[row[2]] < per_type:
            counts[row[2]] += 1
            kept.append(row)
    return kept


def _source_held_back(source_id: str) -> bool:
    """The statement type model's test split: a quarter of the sources, fixed by a hash of their id."""
    return int(hashlib.sha256(source_id.encode()).hexdigest(), 16) % 4 == 0


def train_sentences(args: argparse.Namespace) -> None:
    """A statement type model: what section type a sentence gives, read by its vector and its word 1–2-grams; trained
    on the installed knowledge base's typed sentences, tested on held-back sources and on the on-topic hand labels.
    Tried in the thirty-fourth session and not shipped (written to ``build/stype.npz``): it reads a sentence's section
    better than the question model's vector head but says less about whether the sentence answers a question."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import roc_auc_score

    from curbside.kb.infotypes import classify, type_model

    started = time.time()
    settings = Settings()
    rows = typed_sentences(settings, args.per_type, args.seed)
    test = np.array([_source_held_back(source) for source, _, _ in rows])
    texts = [text for _, text, _ in rows]
    classes = tuple(sorted({kind for _, _, kind in rows}, key=lambda k: list(InfoType).index(k)))
    y = np.array([classes.index(kind) for _, _, kind in rows])
    embedder = get_embedder(settings.embedding)
    print(f"embedding {len(rows)} sentences ({int(test.sum())} of held-back sources) with {embedder.name}", flush=True)
    x = embedder.embed(texts, batch_size=64)
    embedded_s = time.time() - started
    train_texts = [t for t, held in zip(texts, test, strict=True) if not held]
    tfidf = TfidfVectorizer(ngram_range=(1, 2), min_df=3, max_features=SENTENCE_NGRAMS, sublinear_tf=True,
                            token_pattern=r"(?u)\b\w+\b")
    grams = tfidf.fit_transform(train_texts)
    scale = args.ngram_scale
    fitted = LogisticRegression(C=args.c, max_iter=3000).fit(hstack([csr_matrix(x[~test]), grams * scale]).tocsr(),
                                                             y[~test])
    plain_fit = LogisticRegression(C=args.c, max_iter=3000).fit(x[~test], y[~test])
    trained_s = time.time() - started - embedded_s
    dim = x.shape[1]
    plain = TypeModel(classes, plain_fit.coef_.astype(np.float32), plain_fit.intercept_.astype(np.float32), {})
    model = TypeModel(classes, fitted.coef_[:, :dim].astype(np.float32), fitted.intercept_.astype(np.float32), {},
                      NgramFeatures({g: int(i) for g, i in tfidf.vocabulary_.items()}, tfidf.idf_.astype(np.float32)),
                      fitted.coef_[:, dim:].astype(np.float32), scale, plain)
    held = [t for t, h in zip(texts, test, strict=True) if h]
    truth = y[test]

    def accuracy(reads: list[InfoType]) -> float:
        return round(float(np.mean([classes.index(r) == t if r in classes else False
                                    for r, t in zip(reads, truth, strict=True)])), 4)

    card: dict[str, object] = {
        "embedding_model": embedder.name, "classes": [c.value for c in classes], "sentences": len(rows),
        "test_sentences": len(held), "per_type": args.per_type, "seed": args.seed, "c": args.c, "ngram_scale": scale,
        "ngrams": len(tfidf.vocabulary_),
        "test_accuracy": accuracy([s.best for s in model.read(x[test], held)]),
        "test_accuracy_vectors_alone": accuracy([s.best for s in plain.read(x[test])]),
        "baseline_question_model_vector_head": accuracy([s.best for s in type_model().read(x[test])]),
        "embedding_seconds": round(embedded_s, 1), "training_seconds": round(trained_s, 1),
        "sources": "the starter pack's typed passages: MedQuAD answers by qtype (CC BY 4.0), DailyMed/openFDA label "
                   "sections (public domain); test split: a quarter of the sources by a hash of their id",
    }
    # does its reading of a statement say better than the shipped head's whether it answers a question? The
    # hand labels of shown statements (bench/data/ontopic_labels*.jsonl): AUC of p(asked type) and of the typed
    # composer's bottom-line score (cosine + p(asked)) / 2 with each reading
    labels = [json.loads(line) for path in sorted((ROOT / "bench" / "data").glob("ontopic_labels*.jsonl"))
              for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    labels = [r for r in labels if isinstance(r.get("on_topic"), bool) and r.get("statement")]
    questions = sorted({re.sub(r"^\d+,", "", r["question"]) for r in labels})
    statements = sorted({r["statement"] for r in labels})
    qv = dict(zip(questions, embedder.embed(questions, batch_size=64), strict=True))
    sv = embedder.embed(statements, batch_size=64)
    asked = {q: (scores.asked(type_model().floor) or (InfoType.INFORMATION,))[0]
             for q, scores in zip(questions, classify(embedder, questions) or [], strict=True)}
    readings = {name: dict(zip(statements, reads, strict=True)) for name, reads in
                (("shipped", type_model().read(sv)), ("sentences", model.read(sv, statements)))}
    index = {s: i for i, s in enumerate(statements)}
    truth = np.array([r["on_topic"] for r in labels])
    cos = np.array([float(qv[re.sub(r"^\d+,", "", r["question"])] @ sv[index[r["statement"]]]) for r in labels])
    for name, read in readings.items():
        p = np.array([read[r["statement"]].probability(asked[re.sub(r"^\d+,", "", r["question"])]) for r in labels])
        card[f"on_topic_auc_p_asked_{name}"] = round(float(roc_auc_score(truth, p)), 4)
        card[f"on_topic_auc_bottom_score_{name}"] = round(float(roc_auc_score(truth, (cos + p) / 2)), 4)
    card["on_topic_labels"] = len(labels)
    final = TypeModel(classes, model.weights, model.bias, card, model.ngrams, model.ngram_weights, scale, plain)
    out = args.out if args.out != MODEL_FILE else ROOT / "build" / "stype.npz"
    final.save(out)
    print(json.dumps(card, indent=2))
    print(f"wrote {out} ({out.stat().st_size / 1024:.0f} kB; not shipped: see docs/benchmarks.md)")


def _message(text: str) -> str:
    """A consumer message as a reader would type it: MeQSum's "SUBJECT: … MESSAGE: …" labels dropped."""
    text = re.sub(r"^\s*SUBJECT:\s*", "", text)
    text = re.sub(r"\s*MESSAGE:\s*", ". ", text, count=1)
    return " ".join(text.split())


def _first_words(text: str) -> set[str]:
    return set(re.sub(r"[^a-z0-9 ]", " ", text.lower()).split()[:30])


def _liveqa_messages(path: Path | None) -> list[set[str]]:
    """The first words of the LiveQA 2017 test questions (kept out of training: a fresh question set)."""
    if path is None:
        return []
    root = etree.parse(str(path)).getroot()
    return [_first_words(f"{q.findtext('.//SUBJECT') or ''} {q.findtext('.//MESSAGE') or ''}")
            for q in root.iter("NLM-QUESTION")]


def _among(text: str, firsts: list[set[str]]) -> bool:
    """``text`` is one of those messages (≥ 80 % of its first 30 words shared)."""
    words = _first_words(text)
    return bool(words) and any(len(words & other) >= 0.8 * len(words) for other in firsts)


def subject_examples(data: Path, meqsum: Path | None = None, liveqa: Path | None = None,
                     liveqa_train: tuple[Path, ...] = ()) -> list[tuple[str, str, list[bool], list[object]]]:
    """(split, message, is-subject per candidate, candidates) from pairs of a long consumer message and a
    short question that keeps what it asks: MEDIQA 2019's entailed RQE pairs (training set → "train",
    validation and test → "held") and, when given, MeQSum's 1,000 messages with their summaries (CC BY
    4.0; a fifth, chosen by a hash of the message, → "held") and the LiveQA 2017 training messages with
    NLM's focus annotations (split the same way). Every message that names a subject the knowledge base
    has pages for counts: those the short question keeps are what it asks about, the others are not (a
    message none of whose named things is kept has no subject the knowledge base knows)."""
    from curbside.answer.understand.question import subjects_named
    from curbside.kb.service import KnowledgeBase

    index = KnowledgeBase(Settings()).focus_index()
    pairs: list[tuple[str, str, str]] = []
    fresh = _liveqa_messages(liveqa)
    files = {"train": "MEDIQA2019-Task2-RQE-TrainingSet-AMIA2016.xml",
             "held": "MEDIQA2019-Task2-RQE-ValidationSet-AMIA2016.xml"}
    for split, name in [*files.items(), ("held", "MEDIQA2019-Task2-RQE-TestSet-wLabels.xml")]:
        for pair in etree.parse(str(data / "mediqa2019" / name)).getroot().iter("pair"):
            if pair.get("value") == "true":
                pairs.append((split, pair.findtext("chq") or "", pair.findtext("faq") or ""))
    for path in liveqa_train:  # NLM's focus annotation names what the message asks about
        for question in etree.parse(str(path)).getroot().iter("NLM-QUESTION"):
            subject, body = (question.findtext("SUBJECT") or "").strip(), (question.findtext("MESSAGE") or "").strip()
            message = " ".join((f"{subject}. {body}" if subject else body).split())
            if _among(message, fresh):
                continue
            focus = "; ".join(sorted({(f.text or "").strip() for f in question.iter("FOCUS")}))
            held = int(hashlib.sha256(message.encode()).hexdigest(), 16) % 5 == 0
            pairs.append(("held" if held else "train", message, focus))
    if meqsum is not None:
        import openpyxl

        sheet = openpyxl.load_workbook(meqsum, read_only=True).active
        assert sheet is not None
        for row in list(sheet.iter_rows(values_only=True))[1:]:
            message, summary = _message(str(row[1] or "")), str(row[2] or "")
            if message and summary and not _among(message, fresh):
                held = int(hashlib.sha256(message.encode()).hexdigest(), 16) % 5 == 0
                pairs.append(("held" if held else "train", message, summary))
    out: list[tuple[str, str, list[bool], list[object]]] = []
    for split, chq, faq in pairs:
        message, short = " ".join(chq.split()), " ".join(faq.split())
        if not message or message == short:
            continue
        found = subjects_named(message, index)
        kept = {sid for focus in subjects_named(short, index) for sid in focus.source_ids}
        positive = [bool(set(focus.source_ids) & kept) for focus in found]
        if found:
            out.append((split, message, positive, list(found)))
    return out


def train_subject(args: argparse.Namespace) -> None:
    """Which of the subjects a message names it asks about (``answer/understand/subject.py``)."""
    from sklearn.model_selection import GroupKFold

    from curbside.answer.understand.subject import FEATURES, SUBJECT_FLOOR, SubjectModel, features
    from curbside.answer.understand.subject import MODEL_FILE as SUBJECT_FILE
    from curbside.kb.service import KnowledgeBase

    started = time.time()
    examples = subject_examples(args.data, args.meqsum, args.liveqa, tuple(args.liveqa_train))
    index = KnowledgeBase(Settings()).focus_index()
    embedder = get_embedder(Settings().embedding)
    rows = [features(message, found, index, embedder) for _, message, _, found in examples]  # type: ignore[arg-type]
    gold = [np.array(positive, dtype=float) for _, _, positive, _ in examples]
    train = [i for i, e in enumerate(examples) if e[0] == "train"]
    held = [i for i, e in enumerate(examples) if e[0] == "held"]

    def fit(idx: list[int]) -> LogisticRegression:
        return LogisticRegression(C=args.c, max_iter=2000).fit(np.vstack([rows[i] for i in idx]),
                                                               np.concatenate([gold[i] for i in idx]))

    def top1(idx: list[int], model: LogisticRegression | None) -> float:
        """Share of messages whose first-ranked candidate is a subject (None: the longest-first order)."""
        right = 0.0
        for i in idx:
            best = int(np.argmax(model.decision_function(rows[i]))) if model is not None else 0
            right += gold[i][best]
        return right / max(len(idx), 1)

    def rankable(idx: list[int]) -> list[int]:
        """Messages naming two or more subjects, some but not all of them kept."""
        return [i for i in idx if len(gold[i]) >= 2 and 0 < gold[i].sum() < len(gold[i])]

    folds = list(GroupKFold(5).split(train, groups=train))
    cv = [top1(rankable([train[j] for j in b]), fit([train[j] for j in a])) for a, b in folds]
    cv_base = [top1(rankable([train[j] for j in b]), None) for _, b in folds]
    fitted = fit(train)
    # the floor: a message whose best candidate is more likely not its subject (p < SUBJECT_FLOOR) has none
    best = [(float(fitted.predict_proba(rows[i])[:, 1].max()), gold[i][int(np.argmax(fitted.decision_function(rows[i])))])
            for i in held]
    kept = [right for p, right in best if p >= SUBJECT_FLOOR]
    dropped = [right for p, right in best if p < SUBJECT_FLOOR]
    card: dict[str, object] = {
        "embedding_model": embedder.name, "features": list(FEATURES), "c": args.c,
        "train_messages": len(train), "held_out_messages": len(held),
        "rankable_train_messages": len(rankable(train)), "rankable_held_out_messages": len(rankable(held)),
        "cv_top1": round(float(np.mean(cv)), 3), "cv_top1_longest_first": round(float(np.mean(cv_base)), 3),
        "held_out_top1": round(top1(rankable(held), fitted), 3),
        "held_out_top1_longest_first": round(top1(rankable(held), None), 3),
        "subject_floor": SUBJECT_FLOOR,
        "held_out_first_candidate_is_subject": round(float(np.mean([r for _, r in best])), 3),
        "held_out_kept_share": round(len(kept) / max(len(best), 1), 3),
        "held_out_kept_is_subject": round(float(np.mean(kept)), 3) if kept else None,
        "held_out_dropped_was_subject": round(float(np.mean(dropped)), 3) if dropped else None,
        "seconds": round(time.time() - started, 1),
        "sources": "MEDIQA 2019 RQE entailed pairs (training set fitted and cross-validated; validation and test "
                   "sets held out)" + (", MeQSum messages and summaries (CC BY 4.0; a fifth held out)" if args.meqsum
                                       else "")
                   + ("; LiveQA 2017 training messages with NLM's focus annotations (a fifth held out)"
                      if args.liveqa_train else "") + "; subjects named by the starter pack",
    }
    SubjectModel(fitted.coef_[0].astype(np.float32), float(fitted.intercept_[0]), card).save(SUBJECT_FILE)
    print(json.dumps(card, indent=2))
    print(f"wrote {SUBJECT_FILE} ({SUBJECT_FILE.stat().st_size} bytes)")


def accuracy(model: TypeModel, vectors: np.ndarray, pairs: list[tuple[str, InfoType]], top: int = 1) -> float:
    if not pairs:
        return float("nan")
    hits = 0
    for scores, (_, want) in zip(model.read(vectors, [t for t, _ in pairs]), pairs, strict=True):
        hits += want in [t for t, _ in scores.ranked[:top]]
    return hits / len(pairs)


#: The n-gram block's weight beside the sentence vector, chosen by 4-fold cross-validation on the consumer
#: training questions (K-QA, LiveQA, MedicationQA; never their test quarters): vectors alone 0.618 top-1,
#: n-grams at 0.5 0.648, at 1 0.642.
NGRAM_SCALE = 0.5


def fit_types(x: np.ndarray, texts: list[str], y: np.ndarray, weights: np.ndarray, classes: tuple[InfoType, ...],
              c: float, scale: float) -> TypeModel:
    """The logistic regression on ``[vector, scale · TF-IDF of word 1–3-grams]`` (vectors alone at scale 0)."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfVectorizer

    if not scale:
        fitted = LogisticRegression(C=c, max_iter=3000).fit(x, y, sample_weight=weights)
        return TypeModel(classes, fitted.coef_.astype(np.float32), fitted.intercept_.astype(np.float32), {})
    tfidf = TfidfVectorizer(ngram_range=(1, 3), min_df=3, sublinear_tf=True, token_pattern=r"(?u)\b\w+\b")
    grams = tfidf.fit_transform(texts)
    fitted = LogisticRegression(C=c, max_iter=3000).fit(hstack([csr_matrix(x), grams * scale]).tocsr(), y,
                                                        sample_weight=weights)
    dim = x.shape[1]
    vocabulary = {g: int(i) for g, i in tfidf.vocabulary_.items()}
    return TypeModel(classes, fitted.coef_[:, :dim].astype(np.float32), fitted.intercept_.astype(np.float32), {},
                     NgramFeatures(vocabulary, tfidf.idf_.astype(np.float32)),
                     fitted.coef_[:, dim:].astype(np.float32), scale)


#: Folds of the consumer training questions, each read by a head trained without it, to choose the plan floor.
FLOOR_FOLDS = 4
#: The floors tried: the least probability at which a question's type decides its plan.
FLOOR_GRID = tuple(round(0.2 + 0.05 * i, 2) for i in range(13))


def _fold(text: str) -> int:
    """A consumer question's fold for the floor's cross-validation (another hash than :func:`held_back`'s)."""
    return int(hashlib.sha256(f"floor:{text}".encode()).hexdigest(), 16) % FLOOR_FOLDS


def plan_accuracy(read: list[tuple[InfoType, tuple[InfoType, float]]], floor: float) -> float:
    """The share of questions given the plan their labelled type asks for when the classifier's reading
    ``(best, p)`` decides the plan at ``p >= floor`` (and the general plan answers below it)."""
    from curbside.answer.understand.analysis import plan_of

    if not read:
        return float("nan")
    return sum(plan_of(gold) == plan_of(best, p, floor) for gold, (best, p) in read) / len(read)


def plans(model: TypeModel, vectors: np.ndarray, pairs: list[tuple[str, InfoType]], floor: float) -> float:
    """:func:`plan_accuracy` of ``model``'s readings of a labelled split."""
    read = [(want, (scores.best, scores.confidence))
            for scores, (_, want) in zip(model.read(vectors, [t for t, _ in pairs]), pairs, strict=True)]
    return round(plan_accuracy(read, floor), 4)


def choose_floor(x: np.ndarray, texts: list[str], y: np.ndarray, weights: np.ndarray, classes: tuple[InfoType, ...],
                 consumer: list[int], c: float, scale: float) -> tuple[float, dict[str, float]]:
    """The plan floor (:attr:`curbside.kb.infotypes.TypeModel.floor`) that gives the most consumer
    training questions (rows ``consumer``) the plan of their labelled type, each read out of fold by a head
    trained on every other row; ties go to the lower floor. Returns it with the curve over :data:`FLOOR_GRID`."""
    read: list[tuple[InfoType, tuple[InfoType, float]]] = []
    for fold in range(FLOOR_FOLDS):
        held = [i for i in consumer if _fold(texts[i]) == fold]
        keep = np.ones(len(texts), bool)
        keep[held] = False
        head = fit_types(x[keep], [t for t, k in zip(texts, keep, strict=True) if k], y[keep], weights[keep], classes,
                         c, scale)
        for i, scores in zip(held, head.read(x[held], [texts[i] for i in held]), strict=True):
            read.append((classes[int(y[i])], (scores.best, scores.confidence)))
        print(f"floor fold {fold + 1}/{FLOOR_FOLDS}: {len(held)} questions read", flush=True)
    curve = {f"{f:.2f}": round(plan_accuracy(read, f), 4) for f in FLOOR_GRID}
    best = max(FLOOR_GRID, key=lambda f: (curve[f"{f:.2f}"], -f))
    return best, curve


#: PubMedQA section labels (words of them) of an abstract's study narration: what was aimed at and done …
NARRATION_LABELS = ("OBJECTIVE", "PURPOSE", "AIM", "METHOD", "DESIGN", "SETTING", "PATIENTS", "PARTICIPANTS", "SUBJECTS",
                    "MATERIAL", "INTERVENTION", "MEASURE", "SAMPLE", "POPULATION", "PROCEDURE", "HYPOTHES", "GOAL")
#: … and of its evidence: what is known, found and concluded. A label with words of both ("METHODS AND RESULTS",
#: "BACKGROUND AND AIMS") or of neither is left out.
EVIDENCE_LABELS = ("BACKGROUND", "INTRODUCTION", "CONTEXT", "RESULT", "FINDING", "CONCLUSION", "DISCUSSION")


def narration_sentences(path: Path, keys: Iterable[str]) -> list[tuple[str, int]]:
    """(sentence, 1 when it narrates the study) of the PubMedQA abstracts ``keys`` of ``ori_pqal.json``; the long
    answer (the abstract's conclusion) is evidence."""
    data = json.loads(path.read_text(encoding="utf-8"))
    out: list[tuple[str, int]] = []
    for key in keys:
        record = data[key]
        for context, label in zip(record["CONTEXTS"], record["LABELS"], strict=True):
            narrates = any(w in label.upper() for w in NARRATION_LABELS)
            evidence = any(w in label.upper() for w in EVIDENCE_LABELS)
            if narrates != evidence:
                out += [(s, int(narrates)) for s in split_sentences(context)]
        out += [(s, 0) for s in split_sentences(record.get("LONG_ANSWER", ""))]
    return out


def train_narration(args: argparse.Namespace) -> None:
    """The study-narration model (``answer/select/narration.py``): trained on PubMedQA's 500 abstracts outside its
    official test split, measured on those 500 (never seen), beside the word patterns it replaced when given."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import precision_recall_fscore_support
    from sklearn.model_selection import cross_val_predict

    from curbside.answer.select.narration import MODEL_FILE as NARRATION_FILE
    from curbside.answer.select.narration import NarrationModel, marked
    from curbside.answer.understand.plans import load_data

    folder = args.data / "pubmedqa"
    test_keys = set(json.loads((folder / "test_ground_truth.json").read_text(encoding="utf-8")))
    every = list(json.loads((folder / "ori_pqal.json").read_text(encoding="utf-8")))
    train = narration_sentences(folder / "ori_pqal.json", [k for k in every if k not in test_keys])
    test = narration_sentences(folder / "ori_pqal.json", [k for k in every if k in test_keys])
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2, max_features=NARRATION_NGRAMS,
                                 token_pattern=r"(?u)\b\w+\b")
    x = vectorizer.fit_transform([marked(t) for t, _ in train])
    y = np.array([label for _, label in train])
    head = LogisticRegression(C=args.c, max_iter=3000)
    # the threshold: the best F1 of the training abstracts read out of fold
    out_of_fold = cross_val_predict(head, x, y, cv=5, method="predict_proba")[:, 1]
    grid = np.arange(0.3, 0.81, 0.05)
    f1s = [precision_recall_fscore_support(y, out_of_fold >= t, average="binary")[2] for t in grid]
    threshold = round(float(grid[int(np.argmax(f1s))]), 2)
    head.fit(x, y)
    vocabulary = {g: int(i) for g, i in vectorizer.vocabulary_.items()}
    ngrams = NgramFeatures(vocabulary, vectorizer.idf_.astype(np.float32), 2)
    model = NarrationModel(ngrams, head.coef_[0].astype(np.float32), float(head.intercept_[0]), {})
    truth = [label for _, label in test]
    p, r, f, _ = precision_recall_fscore_support(truth, model.probabilities([t for t, _ in test]) >= threshold,
                                                 average="binary")
    card: dict[str, object] = {
        "data": "PubMedQA PQA-L (MIT): section-labelled contexts and long answers, official test abstracts held out",
        "train_sentences": len(train), "test_sentences": len(test), "narration_share_train": round(float(y.mean()), 3),
        "threshold": threshold, "test_precision": round(float(p), 3), "test_recall": round(float(r), 3),
        "test_f1": round(float(f), 3), "c": args.c, "ngrams": len(vocabulary)}
    patterns = load_data("composer").get("sentences", {}).get("narration")
    if patterns:  # the word patterns it replaces, on the same sentences
        pattern = re.compile("|".join(f"(?:{q})" for q in patterns), re.IGNORECASE)
        p, r, f, _ = precision_recall_fscore_support(truth, [bool(pattern.search(t.lower())) for t, _ in test],
                                                     average="binary")
        card["patterns_test"] = {"precision": round(float(p), 3), "recall": round(float(r), 3), "f1": round(float(f), 3)}
    medquad = [s for t, _ in medquad_answers(args.data / "medquad", 200, args.seed)[1] for s in split_sentences(t)]
    if medquad:  # how often it would flag patient-education text, were it read there (it is not)
        card["medquad_flagged_share"] = round(float(np.mean(model.narrates(medquad))), 4)
    final = NarrationModel(ngrams, model.weights, model.bias, card)
    final.save(NARRATION_FILE if args.out == MODEL_FILE else args.out)
    print(json.dumps(card, indent=2))


#: Vocabulary of the narration model's word 1–2-gram TF-IDF (the most frequent).
NARRATION_NGRAMS = 20000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--per-type", type=int, default=600)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--c", type=float, default=4.0, help="inverse regularisation strength")
    parser.add_argument("--ngram-scale", type=float, default=NGRAM_SCALE,
                        help="weight of the n-gram TF-IDF block beside the sentence vector (0: vectors alone)")
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    parser.add_argument("--model", choices=["types", "answers", "subject", "sentences", "narration"], default="types")
    parser.add_argument("--questions", type=int, default=2400, help="questions for the answers model")
    parser.add_argument("--liveqa-train", type=Path, nargs="*", default=[], help="TREC-2017-LiveQA-Medical-Train-"
                        "{1,2}.xml (abachaa/LiveQA_MedicalTask_TREC2017, in its git history) for the type model")
    parser.add_argument("--meqsum", type=Path, help="MeQSum_ACL2019_BenAbacha_Demner-Fushman.xlsx (abachaa/MeQSum, CC BY "
                        "4.0) for the subject model")
    parser.add_argument("--medicationqa", type=Path, help="MedInfo2019-QA-Medications.xlsx (abachaa/Medication_QA_MedInfo2019)")
    parser.add_argument("--openfda", type=Path, help="a folder of openFDA label JSON files (PharmGKB/fda-labels-monitored)")
    parser.add_argument("--liveqa", type=Path, help="TREC-2017-LiveQA-Medical-Test-Questions-w-summaries.xml, whose "
                        "questions are kept out of the subject model's training (a fresh set)")
    parser.add_argument("--consumer-more-weight", type=float, default=CONSUMER_WEIGHT,
                        help="weight of each of those questions against one templated MedQuAD question")
    parser.add_argument("--consumer-more", action="store_true", help=f"train on {CONSUMER_MORE.name} too (its "
                        "held-back quarter is a test split either way it is given)")
    parser.add_argument("--consumer-written", action="store_true", help=f"with --consumer-more: {CONSUMER_WRITTEN.name} "
                        "too")
    parser.add_argument("--choose-floor", action="store_true", help="choose the plan floor by cross-validation on "
                        "the consumer training questions (four more fits) and record it in the model")
    args = parser.parse_args()
    if args.model == "answers":
        train_answers(args)
        return
    if args.model == "subject":
        train_subject(args)
        return
    if args.model == "narration":
        train_narration(args)
        return
    if args.model == "sentences":
        if args.per_type == parser.get_default("per_type"):
            args.per_type = SENTENCES_PER_TYPE
        if args.ngram_scale == parser.get_default("ngram_scale"):
            args.ngram_scale = SENTENCE_NGRAM_SCALE
        train_sentences(args)
        return
    started = time.time()
    mq_train, mq_test = medquad_questions(args.data / "medquad", args.per_type, args.seed)
    ans_train, ans_test = medquad_answers(args.data / "medquad", args.per_type // 2, args.seed)
    subsections = medquad_subsections(args.data / "medquad", args.per_type // 2, args.seed)
    cq_train, cq_test = consumer_labels(CONSUMER)
    more_train, more_test = consumer_labels(CONSUMER_MORE)
    if args.consumer_written:
        written_train, written_test = consumer_labels(CONSUMER_WRITTEN)
        more_train, more_test = more_train + written_train, more_test + written_test
    more_train = more_train if args.consumer_more else []
    lt_test = liveqa_test_labels(args.liveqa)
    lq_train, lq_test = liveqa_labels(args.liveqa_train, _liveqa_messages(args.liveqa))
    headings = heading_examples()
    mqa_train, mqa_test = medicationqa_labels(args.medicationqa)
    label_qs = label_questions(args.openfda)
    # each part: its examples, the weight of one, and whether they are real consumer questions
    parts = [(mq_train, 1.0, False), (cq_train, CONSUMER_WEIGHT, True), (headings, HEADING_WEIGHT, False),
             (ans_train, 1.0, False), (subsections, 1.0, False), (lq_train, CONSUMER_WEIGHT, True),
             (mqa_train, MEDICINE_WEIGHT, True), (label_qs, MEDICINE_WEIGHT, False),
             (more_train, args.consumer_more_weight, True)]
    train = [pair for part, _, _ in parts for pair in part]
    weights = np.array([weight for part, weight, _ in parts for _ in part])
    consumer_rows = [i for i, real in enumerate(real for part, _, real in parts for _ in part) if real]
    embedder = get_embedder(Settings().embedding)
    print(f"embedding {len(train)} training and {len(mq_test) + len(cq_test) + len(ans_test)} test texts with "
          f"{embedder.name}", flush=True)
    x = embedder.embed([t for t, _ in train], batch_size=64)
    classes = sorted({k for _, k in train}, key=lambda k: list(InfoType).index(k))
    y = np.array([classes.index(k) for _, k in train])
    embedded_s = time.time() - started
    model = fit_types(x, [t for t, _ in train], y, weights, tuple(classes), args.c, args.ngram_scale)
    trained_s = time.time() - started
    floor, floor_curve = (choose_floor(x, [t for t, _ in train], y, weights, tuple(classes), consumer_rows, args.c,
                                       args.ngram_scale) if args.choose_floor else (None, {}))
    # the same-run comparison: the same data read by the sentence vectors alone
    plain = fit_types(x, [t for t, _ in train], y, weights, tuple(classes), args.c, 0.0)
    # the same-run baseline: the same head trained on MedQuAD's templated questions alone
    only = slice(0, len(mq_train))
    base_classes = sorted(set(y[only].tolist()))
    base_fit = LogisticRegression(C=args.c, max_iter=2000).fit(x[only], y[only])
    baseline = TypeModel(tuple(classes[i] for i in base_classes), base_fit.coef_.astype(np.float32),
                         base_fit.intercept_.astype(np.float32), {})
    def embed_split(pairs: list[tuple[str, InfoType]]) -> np.ndarray:
        texts = [text for text, _ in pairs]
        return embedder.embed(texts, batch_size=64) if texts else np.zeros((0, embedder.dim), np.float32)

    mq_x = embedder.embed([t for t, _ in mq_test], batch_size=64)
    cq_x = embed_split(cq_test)
    ans_x = embedder.embed([t for t, _ in ans_test], batch_size=64)
    lq_x = embed_split(lq_test)
    mqa_x = embed_split(mqa_test)
    more_x = embed_split(more_test)
    lt_x = embed_split(lt_test)
    # the same-run "before": the packaged model this run replaces, on the same consumer test splits
    before = TypeModel.load(args.out) if args.out.exists() else None
    card: dict[str, object] = {
        "embedding_model": embedder.name, "dim": embedder.dim, "classes": len(classes),
        "train": {"medquad": len(mq_train), "consumer": len(cq_train), "headings": len(headings),
                  "medquad_answers": len(ans_train), "medquad_subsections": len(subsections), "liveqa": len(lq_train),
                  "medicationqa": len(mqa_train), "label_questions": len(label_qs), "consumer_more": len(more_train)},
        "test": {"medquad": len(mq_test), "consumer": len(cq_test), "medquad_answers": len(ans_test),
                 "liveqa": len(lq_test), "medicationqa": len(mqa_test), "consumer_more": len(more_test),
                 "liveqa_test": len(lt_test)},
        "accuracy": {
            "medquad_top1": round(accuracy(model, mq_x, mq_test), 4),
            "medquad_answers_top1": round(accuracy(plain, ans_x, ans_test), 4),  # sections are read by vector
            "consumer_top1": round(accuracy(model, cq_x, cq_test), 4),
            "consumer_top2": round(accuracy(model, cq_x, cq_test, top=2), 4),
            "baseline_medquad_only_consumer_top1": round(accuracy(baseline, cq_x, cq_test), 4),
            "baseline_medquad_only_medquad_top1": round(accuracy(baseline, mq_x, mq_test), 4),
            "liveqa_top1": round(accuracy(model, lq_x, lq_test), 4) if lq_test else None,
            "vectors_only_consumer_top1": round(accuracy(plain, cq_x, cq_test), 4),
            "vectors_only_liveqa_top1": round(accuracy(plain, lq_x, lq_test), 4) if lq_test else None,
            "vectors_only_medicationqa_top1": round(accuracy(plain, mqa_x, mqa_test), 4) if mqa_test else None,
            "before_consumer_top1": round(accuracy(before, cq_x, cq_test), 4) if before else None,
            "before_liveqa_top1": round(accuracy(before, lq_x, lq_test), 4) if before and lq_test else None,
            "medicationqa_top1": round(accuracy(model, mqa_x, mqa_test), 4) if mqa_test else None,
            "before_medicationqa_top1": (round(accuracy(before, mqa_x, mqa_test), 4)
                                         if before and mqa_test else None),
            "before_medquad_top1": round(accuracy(before, mq_x, mq_test), 4) if before else None,
            "consumer_more_top1": round(accuracy(model, more_x, more_test), 4) if more_test else None,
            "consumer_more_top2": round(accuracy(model, more_x, more_test, top=2), 4) if more_test else None,
            "before_consumer_more_top1": round(accuracy(before, more_x, more_test), 4) if before and more_test else None,
            "liveqa_test_top1": round(accuracy(model, lt_x, lt_test), 4) if lt_test else None,
            "before_liveqa_test_top1": round(accuracy(before, lt_x, lt_test), 4) if before and lt_test else None,
        },
        "intent_floor": floor, "intent_floor_curve": floor_curve,
        # the share of each consumer test split given the plan of its labelled type (new model at its floor and at
        # the old fixed floor; the replaced model at the fixed floor)
        "plan_accuracy": {name: {"at_floor": plans(model, vx, pairs, floor or DEFAULT_FLOOR),
                                 "at_0.3": plans(model, vx, pairs, DEFAULT_FLOOR),
                                 "before_at_0.3": plans(before, vx, pairs, DEFAULT_FLOOR) if before else None}
                          for name, vx, pairs in (("consumer", cq_x, cq_test), ("consumer_more", more_x, more_test),
                                                  ("medicationqa", mqa_x, mqa_test), ("liveqa_test", lt_x, lt_test))
                          if pairs},
        "consumer_types": dict(Counter(k.value for _, k in cq_train + cq_test + more_train + more_test)),
        "ngram_scale": args.ngram_scale, "ngrams": len(model.ngrams.vocabulary) if model.ngrams else 0,
        "embedding_seconds": round(embedded_s, 1), "training_seconds": round(trained_s - embedded_s, 1), "c": args.c, "per_type": args.per_type, "seed": args.seed,
        "sources": "MedQuAD typed questions (CC BY 4.0); K-QA consumer questions labelled by hand (MIT)"
                   + ("; TREC 2017 LiveQA medical training questions with NLM's type annotations" if lq_train else "")
                   + ("; MedicationQA consumer medication questions with NLM's types" if mqa_train else "")
                   + ("; openFDA label patient-section questions (public domain)" if label_qs else "")
                   + ("; consumer questions of spent first-read sets typed by hand (HealthSearchQA, Curai HealthTap, "
                      "MEDIQA 2019)" if more_train else ""),
    }
    final = TypeModel(model.classes, model.weights, model.bias, card, model.ngrams, model.ngram_weights,
                      model.ngram_scale, plain)
    final.save(args.out)
    print(json.dumps(card, indent=2))
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} kB)")


if __name__ == "__main__":
    main()
