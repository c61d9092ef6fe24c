"""What a question asks for, and what a heading gives: a learned classifier over one taxonomy.

The taxonomy is :class:`curbside.domain.InfoType`. The classifier is a multinomial logistic
regression on the packaged MiniLM sentence vectors (``retrieval/embedder.py``) and on the text's word
n-grams (TF-IDF: a sentence vector says mostly what a question is about, its asking words say what it
asks — "how long", "can I take", "side effects"), trained by
``scripts/train_models.py`` on public labelled questions — MedQuAD's 47k typed questions (CC BY
4.0) and hand-labelled real consumer questions (K-QA, MIT) — with a held-back test split; its
weights ship in ``kb/models/qtype.npz`` (2.2 MB: the n-gram vocabulary and weights in float16), so nothing is
downloaded at run time. Headings, sections and statements are read by the vector head alone (:attr:`TypeModel.plain`).

:data:`ANSWERED_BY` says which section types answer which question type: a question is answered
from passages whose focus is its focus and whose section type answers its type.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from curbside.domain import InfoType, SourceDocument
from curbside.ngrams import NgramFeatures
from curbside.retrieval.embedder import Embedder

#: How much of a section's text is read with its heading to type it.
SECTION_CHARS = 300
#: A heading read alone types its section when the classifier is this sure of it …
HEADING_ALONE = 0.6
#: … else the heading with the start of its text does, at this; and a heading is typed when the classifier is at least this sure of it.
HEADING_CONFIDENCE = 0.5
MODEL_FILE = Path(__file__).resolve().parent / "models" / "qtype.npz"

#: Section types that answer each question type, best first (a type answers itself).
ANSWERED_BY: dict[InfoType, tuple[InfoType, ...]] = {
    InfoType.INFORMATION: (InfoType.INFORMATION,),
    InfoType.USAGE: (InfoType.USAGE, InfoType.INFORMATION),
    InfoType.SIDE_EFFECTS: (InfoType.SIDE_EFFECTS,),
    InfoType.CONTRAINDICATIONS: (InfoType.CONTRAINDICATIONS, InfoType.WARNINGS),
    InfoType.WARNINGS: (InfoType.WARNINGS, InfoType.CONTRAINDICATIONS),
    InfoType.PREGNANCY: (InfoType.PREGNANCY,),
    InfoType.POPULATIONS: (InfoType.POPULATIONS,),
    InfoType.SUSCEPTIBILITY: (InfoType.SUSCEPTIBILITY, InfoType.CAUSES),
    InfoType.INHERITANCE: (InfoType.INHERITANCE,),
    InfoType.OUTLOOK: (InfoType.OUTLOOK,),
    InfoType.COMPARISON: (),
    InfoType.OTHER: (),
}


#: What is asked of a medicine: answered from its drug label (or a page about the medicine).
MEDICINE_TYPES = frozenset({InfoType.USAGE, InfoType.DOSAGE, InfoType.SIDE_EFFECTS, InfoType.CONTRAINDICATIONS,
                            InfoType.WARNINGS, InfoType.INTERACTIONS, InfoType.PREGNANCY, InfoType.OVERDOSE,
                            InfoType.STORAGE, InfoType.BRAND_NAMES, InfoType.MECHANISM})


def answered_by(asked: InfoType) -> tuple[InfoType, ...]:
    """The section types whose passages answer a question of type ``asked``."""
    return ANSWERED_BY.get(asked, (asked,))


def section_text(heading: str, text: str, chars: int = SECTION_CHARS) -> str:
    """What a section is typed by: its heading and the start of its text."""
    start = " ".join(text.split())[:chars]
    return f"{heading}: {start}" if heading else start


#: A second type is asked only when it is nearly as likely as the first: at least this share of the first's probability.
SECOND_RATIO = 0.6
#: The floor of a type model trained before floors were chosen with the model (:attr:`TypeModel.floor`).
DEFAULT_FLOOR = 0.3


@dataclass(frozen=True)
class TypeScores:
    """The classifier's reading of one text: every type with its probability, most likely first."""

    ranked: tuple[tuple[InfoType, float], ...]

    @property
    def best(self) -> InfoType:
        return self.ranked[0][0]

    @property
    def confidence(self) -> float:
        return self.ranked[0][1]

    def probability(self, kind: InfoType) -> float:
        return next((p for t, p in self.ranked if t == kind), 0.0)

    def asked(self, floor: float) -> tuple[InfoType, ...]:
        """The types a question read so asks for, most likely first: the best one when it clears ``floor``, and
        the runner-up when it is nearly as likely (:data:`SECOND_RATIO` of the first's probability)."""
        if self.confidence < floor:
            return ()
        (first, p1), *rest = self.ranked
        if rest and rest[0][1] >= max(floor, SECOND_RATIO * p1):
            return (first, rest[0][0])
        return (first,)


@dataclass(frozen=True)
class TypeModel:
    """Weights of the logistic regression: ``softmax(x @ weights.T + scale · t @ ngram_weights.T + bias)``
    over ``classes``, where ``x`` is a text's sentence vector and ``t`` its n-gram TF-IDF (when the model
    has n-gram weights)."""

    classes: tuple[InfoType, ...]
    weights: npt.NDArray[np.float32]
    bias: npt.NDArray[np.float32]
    card: dict[str, object]
    ngrams: NgramFeatures | None = None
    ngram_weights: npt.NDArray[np.float32] | None = field(default=None, repr=False)
    ngram_scale: float = 1.0
    #: The head on sentence vectors alone (trained on the same data), for texts read without their words.
    plain: TypeModel | None = field(default=None, repr=False)

    @property
    def floor(self) -> float:
        """The least probability at which a question's best type decides what it asks (its plan, the sections
        that answer it): the floor chosen with this model on consumer questions read out of fold (``intent_floor``
        of its card, ``scripts/train_models.py --choose-floor``), else :data:`DEFAULT_FLOOR`."""
        floor = self.card.get("intent_floor")
        return float(floor) if isinstance(floor, int | float) else DEFAULT_FLOOR

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> TypeModel:
        with np.load(path, allow_pickle=False) as data:
            classes = tuple(InfoType(c) for c in json.loads(str(data["classes"])))
            card = json.loads(str(data["card"]))
            ngrams = ngram_weights = plain = None
            if "ngram_vocabulary" in data.files:
                vocabulary = {g: i for i, g in enumerate(json.loads(str(data["ngram_vocabulary"])))}
                ngrams = NgramFeatures(vocabulary, data["ngram_idf"].astype(np.float32))
                ngram_weights = data["ngram_weights"].astype(np.float32)
                plain = cls(classes, data["plain_weights"].astype(np.float32), data["plain_bias"].astype(np.float32),
                            card)
            return cls(classes, data["weights"].astype(np.float32), data["bias"].astype(np.float32), card,
                       ngrams, ngram_weights, float(card.get("ngram_scale", 1.0)), plain)  # type: ignore[arg-type]

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        extra: dict[str, object] = {}
        card = dict(self.card)
        if self.ngrams is not None and self.ngram_weights is not None and self.plain is not None:
            order = sorted(self.ngrams.vocabulary, key=self.ngrams.vocabulary.__getitem__)
            extra = {"ngram_vocabulary": json.dumps(order), "ngram_idf": self.ngrams.idf.astype(np.float16),
                     "ngram_weights": self.ngram_weights.astype(np.float16),
                     "plain_weights": self.plain.weights.astype(np.float32), "plain_bias": self.plain.bias}
            card["ngram_scale"] = self.ngram_scale
        np.savez_compressed(path, classes=json.dumps([c.value for c in self.classes]),
                            weights=self.weights.astype(np.float32), bias=self.bias.astype(np.float32),
                            card=json.dumps(card, sort_keys=True), **extra)  # type: ignore[arg-type]

    def probabilities(self, vectors: npt.NDArray[np.float32],
                      texts: Sequence[str] | None = None) -> npt.NDArray[np.float32]:
        """Each row's type probabilities; with ``texts`` (the texts the vectors embed) the n-gram part reads
        their words too, without them the head on vectors alone (:attr:`plain`) reads the vectors."""
        if texts is None and self.plain is not None:
            return self.plain.probabilities(vectors)
        logits = vectors @ self.weights.T + self.bias
        if self.ngrams is not None and self.ngram_weights is not None:
            if texts is None or len(texts) != len(vectors):
                raise ValueError("this type model reads the texts with their vectors")
            logits += self.ngram_scale * self.ngrams.dot(texts, self.ngram_weights.T)
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        out: npt.NDArray[np.float32] = (exp / exp.sum(axis=1, keepdims=True)).astype(np.float32)
        return out

    def read(self, vectors: npt.NDArray[np.float32], texts: Sequence[str] | None = None) -> list[TypeScores]:
        out = []
        for row in self.probabilities(vectors, texts):
            order = np.argsort(-row)
            out.append(TypeScores(tuple((self.classes[i], float(row[i])) for i in order)))
        return out


#: A statement gives an asked type when the classifier's reading of it gives that type at least this probability
#: (or reads it first as an asked type, or as what the subject is).
GIVES_FLOOR = 0.2


def gives(reading: TypeScores | None, asked: Sequence[InfoType]) -> bool:
    """Whether a statement whose type reading is ``reading`` gives what a question of types ``asked`` asks for:
    its first reading is an asked type or what the subject is, or the first asked type is a likely reading of it
    (:data:`GIVES_FLOOR`) — not another section's matter. True without a reading or an asked type."""
    if reading is None or not asked:
        return True
    return reading.best in (*asked, InfoType.INFORMATION) or reading.probability(asked[0]) >= GIVES_FLOOR


@cache
def type_model() -> TypeModel:
    """The packaged classifier, loaded once per process."""
    return TypeModel.load()


def usable_with(embedder: Embedder) -> bool:
    """True when the packaged classifier reads this embedder's vectors (it was trained on MiniLM's;
    the hash embedder of logic tests gives no reading)."""
    model = type_model()
    return embedder.name == model.card.get("embedding_model") and embedder.dim == model.weights.shape[1]


def classify(embedder: Embedder, texts: Sequence[str], *, words: bool = True) -> list[TypeScores] | None:
    """What each text asks for (a question: read by its vector and its words) or gives (a heading or
    section: ``words=False``, its vector alone), by the packaged classifier; None when the embedder is
    not the one it was trained on."""
    if not usable_with(embedder):
        return None
    if not texts:
        return []
    vectors = embedder.embed(list(texts), batch_size=32)
    return type_model().read(vectors, list(texts) if words else None)


#: Kinds of source whose sections are typed by the model when the source does not say (an abstract's
#: Background/Methods/Results are not sections of a subject).
#: Kinds of source whose untyped headed sections the classifier types. Not drug labels: a label types
#: its sections itself (LOINC code, openFDA field, patient question), and a part it leaves untyped
#: (inactive ingredients, dosage forms, the manufacturer's address) answers no question.
TYPED_KINDS = frozenset({"patient_education", "guideline", "board_reviewed"})


def type_sections(documents: Sequence[SourceDocument], embedder: Embedder) -> list[SourceDocument]:
    """Documents whose untyped, headed sections are typed by the packaged classifier: by the heading
    alone when the classifier is sure of it ("Clinical features"), else by the heading with the start
    of the text ("Emergency management" followed by what to give), at :data:`HEADING_CONFIDENCE`.
    Ingest and the pack build both use it."""
    todo = [(d, i) for d, doc in enumerate(documents) if doc.source.kind.value in TYPED_KINDS
            for i, s in enumerate(doc.sections) if s.kind is None and s.headings]
    if not todo:
        return list(documents)
    headings = [documents[d].sections[i].headings[-1] for d, i in todo]
    read = classify(embedder, headings + [section_text(h, documents[d].sections[i].text)
                                          for h, (d, i) in zip(headings, todo, strict=True)], words=False)
    if not read:
        return list(documents)
    kinds: dict[tuple[int, int], InfoType] = {}
    for key, alone, with_text in zip(todo, read[: len(todo)], read[len(todo):], strict=True):
        if alone.confidence >= HEADING_ALONE:
            kinds[key] = alone.best
        elif with_text.confidence >= HEADING_CONFIDENCE:
            kinds[key] = with_text.best
    out = []
    for d, document in enumerate(documents):
        if not any((d, i) in kinds for i in range(len(document.sections))):
            out.append(document)
            continue
        sections = [s.model_copy(update={"kind": kinds[(d, i)]}) if (d, i) in kinds else s
                    for i, s in enumerate(document.sections)]
        out.append(document.model_copy(update={"sections": sections}))
    return out
