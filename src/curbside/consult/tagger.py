"""A learned token tagger for the identifiers the rules of :mod:`curbside.consult.deid` miss.

Given names that are English words ("my aunt Patience", "Will said"), lower-case or brand-like facilities
("cvs on route 9", "Granger Family Dentistry"), foreign-format addresses, dates without a lead-in ("the booster
was 10/16"): each token of a message (spaCy's tokens of the truecased copy, with their character offsets) is
scored O, NAME, FACILITY, LOCATION, ADDRESS or DATE (the kinds its weights file lists)
by a multinomial logistic regression over hashed features (zlib.crc32 into 2**18 slots, so no vocabulary
file): the word lower-cased, its shape, prefix and suffix, its case, the name lexicons (census and world
given names, surnames, common words, English word frequency, unknown words), the medical lexicons (medicine
names, medical words, eponyms), place names, spaCy's entity label and part of speech, the three words before
and after, and what the rules already found on and around it (the tagger learns where they fail); and, when
its weights file holds ``dense`` weights, the word's contextual vector from the packaged MiniLM
(:mod:`curbside.consult.token_vectors`: what the whole message says around it).

The weights (float16) and the threshold ship in ``data/deid_tagger.npz``; ``scripts/train_deid_tagger.py``
trains them (scikit-learn) from the planted sets of ``bench/data`` and chooses the threshold by leaving one
set out. Runtime needs numpy (and, for the contextual weights, the packaged MiniLM run by PyTorch). Tokens
whose probability of being an identifier is at least the threshold are joined into spans;
:class:`~curbside.consult.deid.Deidentifier` merges them with its own findings.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from curbside.consult.findings import Finding
from curbside.consult.token_vectors import DIM as VECTOR_DIM
from curbside.errors import ConfigError

#: The classes a model is trained for, in the order of the weights' columns ("O" first); the shipped file records
#: its own (``labels``), which the runtime reads.
LABELS: tuple[str, ...] = ("O", "NAME", "FACILITY", "LOCATION", "ADDRESS", "DATE", "ID")
#: Hashed feature slots.
DIM = 1 << 18
WEIGHTS = Path(__file__).parent / "data" / "deid_tagger.npz"
RECOGNIZER = "DeidTagger"
#: The share of the planted medical terms a threshold may cost (``scripts/train_deid_tagger.py`` chooses the one
#: threshold within it, ``scripts/choose_deid_thresholds.py`` each kind's): 0.5 points at first, but the threshold
#: it chose (0.8: +1.10 points of recall, -0.39 points of terms) masked ordinary capitalised words in
#: tests/consult/test_deid_classes*.py ("Our Eircode is", "take it at Bedtime", "my TIA Workup") that the planted
#: sets do not measure; 0.25 points chooses 0.9.
MAX_TERM_DROP = 0.0025
#: What may stand between two tokens of one span: spaces, or a hyphen, dot, apostrophe or ampersand.
_JOIN = re.compile(r"[ \t]*[-.'’&]?[ \t]*")


@dataclass(frozen=True)
class Model:
    weights: np.ndarray[Any, np.dtype[np.float32]]  # (DIM, len(labels))
    bias: np.ndarray[Any, np.dtype[np.float32]]  # (len(labels),)
    threshold: float
    labels: tuple[str, ...] = LABELS
    #: (384, len(labels)): weights of each word's contextual vector (:mod:`curbside.consult.token_vectors`);
    #: None for a model of hashed features alone
    dense: np.ndarray[Any, np.dtype[np.float32]] | None = None
    #: a threshold of its own on the probability of each kind listed: a token passes when its probability of an
    #: identifier reaches :attr:`threshold` or its probability of one of these kinds reaches that kind's
    per_kind: tuple[tuple[str, float], ...] = ()
    #: a lower threshold at which a span grows over the tokens beside it (None: no growth): a facility or a street
    #: of several words whose last word the tagger is less sure of ("Clearwater" + "Psychology")
    extend: float | None = None


@cache
def model() -> Model:
    """The shipped weights (read once); a clear error if the file is missing."""
    if not WEIGHTS.is_file():
        raise ConfigError(f"The de-identification tagger's weights are missing ({WEIGHTS}); reinstall curbside or "
                          "run scripts/train_deid_tagger.py.")
    with np.load(WEIGHTS) as data:
        weights = data["weights"].astype(np.float32)
        bias = data["bias"].astype(np.float32)
        threshold = float(data["threshold"])
        labels = tuple(str(label) for label in data["labels"])
        dense = data["dense"].astype(np.float32) if "dense" in data.files else None
        trained_with = str(data["encoder"]) if "encoder" in data.files else "packaged"
        per_kind = tuple((str(k), float(t)) for k, t in zip(data["per_kind_labels"], data["per_kind"], strict=True)
                         ) if "per_kind" in data.files else ()
        extend = float(data["extend"]) if "extend" in data.files else None
    if dense is not None and trained_with != (reads := _vectors_fingerprint()):
        raise ConfigError(f"{WEIGHTS} was trained on contextual vectors read with {trained_with[:12]}, but the tagger "
                          f"reads them with {reads[:12]} (consult/data/deid_encoder.npz): retrain both with "
                          "scripts/train_deid_tagger.py --vectors --tune-layers N")
    if labels[:1] != ("O",) or weights.shape != (DIM, len(labels)) or bias.shape != (len(labels),) or (
            dense is not None and dense.shape != (VECTOR_DIM, len(labels))):
        raise ConfigError(f"{WEIGHTS} holds weights of shape {weights.shape} (contextual: "
                          f"{None if dense is None else dense.shape}) for the labels {labels}, not ({DIM}, "
                          f"{len(labels)}) (and ({VECTOR_DIM}, {len(labels)})) with \"O\" first.")
    if not {k for k, _ in per_kind} <= set(labels[1:]):
        raise ConfigError(f"{WEIGHTS} holds thresholds for kinds it has no weights for: {per_kind}")
    if extend is not None and not 0.0 < extend < 1.0:
        raise ConfigError(f"{WEIGHTS} holds a growth threshold of {extend}, not a probability between 0 and 1")
    return Model(weights, bias, threshold, labels, dense, per_kind, extend)


@cache
def _vectors_fingerprint() -> str:
    from curbside.consult.token_vectors import fingerprint

    return fingerprint()


@cache
def _nlp() -> Any:
    import spacy

    from curbside.text import SPACY_MODEL

    return spacy.load(SPACY_MODEL)


def _shape(word: str) -> str:
    out: list[str] = []
    for ch in word:
        c = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        if len(out) < 2 or not (out[-1] == c and out[-2] == c):
            out.append(c)
    return "".join(out)


def _bucket(count: int) -> str:
    for limit, name in ((1, "0"), (100, "1e2"), (1000, "1e3"), (3000, "rare"), (30000, "3e4"), (300000, "3e5")):
        if count < limit:
            return name
    return "top"


@cache
def _title_words() -> frozenset[str]:
    from curbside.consult.lexicons import lexicons

    return frozenset(t.rstrip(".").lower() for t in lexicons().titles)


@lru_cache(maxsize=1 << 16)  # bounded: the words of every message a server reads pass through it
def _word_features(word: str) -> tuple[str, ...]:
    """What the lexicons say of one word (cased as written)."""
    from curbside.consult.lexicons import is_medical_word, lexicons
    from curbside.consult.medical_terms import drug_names
    from curbside.consult.name_words import english_frequency, fold, place_names, unknown_word
    from curbside.consult.people import census_first_names, common_words, surnames, world_first_names

    low = word.lower()
    lex = lexicons()
    out = [f"w={low}", f"sh={_shape(word)}", f"p3={low[:3]}", f"s3={low[-3:]}", f"len={min(len(word), 12)}"]
    if word.istitle():
        out.append("title")
    if word.isupper():
        out.append("upper")
    if word.islower():
        out.append("lower")
    if any(c.isdigit() for c in word):
        out.append("digit")
    if not any(c.isalnum() for c in word):
        out.append("punct")
    if word.isalpha():
        out.append(f"freq={_bucket(int(english_frequency()[low]))}")
        for name, test in (("census_first", low in census_first_names()), ("world_first", low in world_first_names()),
                           ("surname", low in surnames()), ("common", low in common_words()),
                           ("unknown", unknown_word(low)), ("drug", low in drug_names()),
                           ("medical", is_medical_word(low)), ("head_noun", low in lex.head_nouns),
                           ("eponym", low in lex.unambiguous_eponyms or low in lex.ambiguous_eponyms),
                           ("place", fold(low) in place_names()),
                           ("title_word", low in _title_words())):
            if test:
                out.append(name)
    return tuple(out)


def _slot(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) % DIM


def token_features(text: str, analysis: str, found: Sequence[Finding], doc: Any) -> tuple[list[tuple[int, int]],
                                                                                          list[list[str]]]:
    """The tokens of ``analysis`` (spaCy's ``doc`` of it; offsets are ``text``'s) and each one's features."""
    tokens = [t for t in doc if not t.is_space]
    spans = [(t.idx, t.idx + len(t.text)) for t in tokens]
    kinds = []
    for start, end in spans:
        hit = next((f for f in found if f.start < end and start < f.end), None)
        kinds.append(("none", "none") if hit is None else (hit.kind, hit.recognizer))
    words = [text[s:e] for s, e in spans]
    lower = [w.lower() for w in words]
    out = []
    n = len(tokens)
    for i, tok in enumerate(tokens):
        feats = ["bias", *_word_features(words[i]), f"a_sh={_shape(tok.text)}", f"pos={tok.pos_}", f"tag={tok.tag_}",
                 f"ent={tok.ent_iob_}{tok.ent_type_}", f"found={kinds[i][0]}", f"rec={kinds[i][1]}"]
        if tok.is_sent_start:
            feats.append("sent_start")
        if words[i] != tok.text:
            feats.append("truecased")
        for d in (-3, -2, -1, 1, 2, 3):
            j = i + d
            w = lower[j] if 0 <= j < n else ("<s>" if j < 0 else "</s>")
            feats.append(f"w[{d}]={w}")
            if abs(d) == 1:
                sh = _shape(words[j]) if 0 <= j < n else w
                feats += [f"sh[{d}]={sh}", f"found[{d}]={kinds[j][0] if 0 <= j < n else w}",
                          f"ent[{d}]={tokens[j].ent_type_ if 0 <= j < n else w}",
                          f"w[{d}]|sh={w}|{_shape(words[i])}"]
        feats.append(f"w[-2:]={'|'.join(lower[max(0, i - 2):i])}")
        out.append(feats)
    return spans, out


def hashed(features: Iterable[Sequence[str]]) -> list[np.ndarray[Any, np.dtype[np.int64]]]:
    """Each token's features as slots of the weight table (duplicates kept: a count)."""
    return [np.fromiter((_slot(f) for f in feats), dtype=np.int64) for feats in features]


def probabilities(slots: Sequence[np.ndarray[Any, np.dtype[np.int64]]], m: Model,
                  vectors: np.ndarray[Any, np.dtype[np.float32]] | None = None) -> np.ndarray[Any, np.dtype[np.float32]]:
    """Per token, the probability of each label (columns of ``m.labels``); ``vectors`` are the tokens'
    contextual vectors, which a model with ``dense`` weights needs."""
    if not slots:
        return np.zeros((0, len(m.labels)), dtype=np.float32)
    scores = np.stack([m.weights[s].sum(axis=0) for s in slots]) + m.bias
    if m.dense is not None:
        if vectors is None:
            raise ValueError("this tagger reads contextual vectors: pass the tokens' vectors")
        scores = scores + vectors @ m.dense
    scores -= scores.max(axis=1, keepdims=True)
    exp = np.exp(scores)
    return np.asarray(exp / exp.sum(axis=1, keepdims=True), dtype=np.float32)


def spans_from(text: str, tokens: Sequence[tuple[int, int]], probs: np.ndarray[Any, np.dtype[np.float32]],
               threshold: float, labels: Sequence[str] = LABELS,
               per_kind: Mapping[str, float] | None = None, extend: float | None = None) -> list[Finding]:
    """Tokens with a letter or digit whose probability of an identifier is at least ``threshold``, or whose
    probability of one kind is at least that kind's threshold in ``per_kind`` (a street the tagger is fairly sure of
    costs fewer medical terms than a name it is as sure of; a token torn between kinds gains nothing from them),
    neighbours joined; with ``extend``, a span then grows over the tokens beside it whose probability of an
    identifier is at least ``extend`` (hysteresis: a name's less certain word joins the certain ones, but starts no
    span); each span takes the kind most probable over its tokens."""
    out: list[Finding] = []
    passes = 1.0 - probs[:, 0] >= threshold
    for kind, value in (per_kind or {}).items():
        passes |= probs[:, labels.index(kind)] >= value
    if extend is not None:  # a span grows over its neighbours at a lower threshold ("Clearwater" + "Psychology")
        near = 1.0 - probs[:, 0] >= extend
        joined = [_JOIN.fullmatch(text[tokens[i][1]:tokens[i + 1][0]]) is not None for i in range(len(tokens) - 1)]
        # one sweep to the right, one to the left: a token joins only a neighbour that passes, so nothing is left
        for i in range(1, len(tokens)):
            passes[i] |= near[i] and joined[i - 1] and passes[i - 1]
        for i in range(len(tokens) - 2, -1, -1):
            passes[i] |= near[i] and joined[i] and passes[i + 1]
    group: list[int] = []

    def close() -> None:
        if group:
            total = probs[group, 1:].sum(axis=0)
            score = float(1.0 - probs[group, 0].min())
            start, end = tokens[group[0]][0], tokens[group[-1]][1]
            while not text[start].isalnum():
                start += 1  # "-winnie": the dash is no part of the name
            while not text[end - 1].isalnum():
                end -= 1
            out.append(Finding(labels[1 + int(total.argmax())], start, end, score, RECOGNIZER))
            group.clear()

    for i, (start, end) in enumerate(tokens):
        if not passes[i] or not any(c.isalnum() for c in text[start:end]):
            continue
        if group and not _JOIN.fullmatch(text[tokens[group[-1]][1]:start]):
            close()
        group.append(i)
    close()
    return out


#: A span of English words each counted this often or more (pyspellchecker's list: "love", "park", "faith",
#: "internal medical", "prise de sang") is masked only when the tagger is at least :data:`SURE` of it.
FREQUENT = 10000
SURE = 0.999


def frequent_word(word: str) -> bool:
    """An English word counted :data:`FREQUENT` times or more."""
    from curbside.consult.name_words import english_frequency

    return int(english_frequency()[word]) >= FREQUENT


def spans(text: str, analysis: str, found: Sequence[Finding], doc: Any = None,
          threshold: float | None = None) -> list[Finding]:
    """The identifiers the tagger finds in ``text`` (``analysis`` is its truecased copy, ``found`` what the
    rules found, which its features read), scored by their probability, before the de-identifier's medical guard
    and before what the rules found is taken out (``deid.with_tagged`` does both);
    ``doc`` is spaCy's parse of ``analysis`` with entities (the de-identifier's own; parsed here when None)."""
    m = model()
    doc = doc if doc is not None else _nlp()(analysis)
    tokens, features = token_features(text, analysis, found, doc)
    vectors = None
    if m.dense is not None:
        from curbside.consult.token_vectors import word_vectors

        vectors = word_vectors(text, tokens)
    probs = probabilities(hashed(features), m, vectors)
    return spans_from(text, tokens, probs, m.threshold if threshold is None else threshold, m.labels,
                      dict(m.per_kind), m.extend)


def uncovered(text: str, extra: Sequence[Finding], found: Sequence[Finding]) -> list[Finding]:
    """The parts of ``extra`` outside every finding of ``found`` that hold a letter or digit: what the rules
    found keeps its kind and its bounds; the tagger adds only what they missed."""
    out = []
    for s in extra:
        pieces = [(s.start, s.end)]
        for f in found:
            pieces = [p for a, b in pieces for p in ((a, min(b, f.start)), (max(a, f.end), b)) if p[0] < p[1]]
        for a, b in pieces:
            while a < b and not text[a].isalnum():
                a += 1
            while b > a and not text[b - 1].isalnum():
                b -= 1
            if a < b:
                out.append(Finding(s.kind, a, b, s.score, s.recognizer))
    return out
