"""Train the injection classifier's head (``ingest/models/injection.npz``) from public labels and written sentences.

What the head reads of a sentence (``injection.feature_rows``): the packaged MiniLM's vector (384-d, L2-normalised)
of the canonical text (``injection.canonical``) and the lexicon features (``injection.FEATURES``: addresses a
machine role, second person, starts with an imperative, talks about instructions or about "your answer", chat
template, jailbreak words, another language …) and, with ``--ngrams N``, the TF-IDF of its word 1..N-grams. The
head is scikit-learn's logistic regression.

Training data:
- positives
  - deepset/prompt-injections' train split (Apache-2.0; 546 texts, every language; its test split is never read
    here), from the parquet files in ``--deepset DIR`` (also in the MIT-licensed GitHub repository
    sinanw/llm-security-prompt-injection, ``data/raw/``); its benign texts are negatives;
  - BIPIA's text attacks, training half (microsoft/BIPIA, MIT; ``benchmark/text_attack_train.json``, 75 attack
    instructions in 15 categories) in ``--bipia DIR``: the ones that address the model's own output ("… in your
    response", 50); the plain questions and tasks ("What is the capital of Brazil?") are left out, they are not
    instructions when read in a document. Its test half (``text_attack_test.json``) is scored, never trained on;
  - sentences composed by ``scripts/injection_data.py`` (written for this project): indirect injections in many
    framings (addressed to a model, an assistant, a summariser, a crawler, an answer engine …; hidden in brackets and
    comments; addressed inside a medical sentence; chat messages and tool calls as JSON; chat templates; jailbreak
    personas; false authority; twelve languages).
- negatives
  - MedQuAD answer sentences (CC BY 4.0) whose SHA-256 is 0 mod 10 (a tenth; the other nine tenths are never
    trained on and measure false flags in ``bench/injection.py``);
  - MEDIQA 2019 Task 3 answer sentences (NLM research data, no licence stated: training only, never shipped; the
    training and validation sets, ``--mediqa DIR``): consumer health pages that address the reader;
  - the hard negatives of ``scripts/injection_data.py``: medical sentences with an injection's words, and (third
    pass) override words in orders to patients, nurses and caregivers, device and IT help, service boilerplate,
    "system"/"assistant"/"prompt"/"instructions" in their medical senses, clinical-note labels, source notes and
    sentences about model output (each group held out whole in cross-validation); (fifth pass) reports about models
    and chatbots in research and services, other-language sentences that name an assistant without giving it
    orders, and device settings; (sixth pass) text about prompts, system prompts, injections and jailbreaks in research,
    policy on AI tools, work set for a reader (a survey, an essay, a course), and citation and link boilerplate;
    (seventh pass) research and security text that describes attacks, a stoma's or a drain's output, feedback surveys,
    transcripts of a clinic's chatbot and more policy.

What the shipped head was trained on (nineteenth session, the defaults below plus ``--ngrams 2 --max-hard-false
0.04 --training-sets 4``): deepset 203 injections and 343 benign texts, BIPIA 48, composed 3,872, written hard
negatives 191 + 197 + 41 + 32 + 56 + 64, the hand-written held-out sets 1–8 (spent: each was read once, then tuned
on) and the hand-written training sets 1–4 (weight 3, each set one cross-validation group), MedQuAD 13,936, MEDIQA
15,597. Sets 9–12 are test sets, never trained on. It reads the 384-d vector, the 19 lexicon features and the
TF-IDF of the word 1- and 2-grams (seen in ≥ 3 training texts; ``kb.infotypes.NgramFeatures`` computes them at run
time). Threshold 0.762: the lowest that flags at most 0.07 % of the MedQuAD and MEDIQA training sentences and at
most 4 % of the written hard negatives, both cross-validated. 371 kB; 214 s (185 s of it embedding, the vector cache
filled), 1.6 GB peak RSS. Since the twenty-eighth session sets 9–14 may be trained on too (``--written 14``; a head
trained so, threshold 0.694, was not shipped: docs/benchmarks.md); set 15 (``BLIND_SET``) is the test set.

Cross-validation holds out whole groups (a composed sentence's frame; every other text is its own group), so
the cross-validated catch rate is that of frames the model did not see. The threshold is chosen on the training
data only, from those cross-validated scores: the lowest one that flags at most ``--max-false`` of the MedQuAD and
MEDIQA training sentences.

    pip install '.[train]' pyarrow && python scripts/train_injection.py --deepset /tmp/pi --bipia DIR --ngrams 2 \
        --max-hard-false 0.04 --training-sets 4
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
from lxml import etree
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "scripts"))

from injection_data import (  # noqa: E402
    hard_negatives,
    hard_negatives_3,
    hard_negatives_4,
    hard_negatives_5,
    hard_negatives_6,
    hard_negatives_7,
    synthetic_injections,
)
from injection_false_flags import medquad_sentences  # noqa: E402

from curbside.ingest.injection import FEATURES, MODEL_FILE, classifier_text, lexicon_features  # noqa: E402
from curbside.ngrams import NGRAM_TOKEN  # noqa: E402
from curbside.retrieval.embedder import get_embedder  # noqa: E402
from curbside.settings import EmbeddingSettings  # noqa: E402
from curbside.text import split_sentences  # noqa: E402

MEDIQA = "/work/shared/data/mediqa2019"
WRITTEN = ROOT / "bench" / "data"
#: The first hand-written set never trained on (``bench/injection.py`` never prints its misses). Sets 9-14 were
#: test sets until the twenty-eighth session, each read blind once; since then they are trained on, and set 15
#: (read blind once in the twenty-seventh session) is the test set.
BLIND_SET = 15


def written_lines(path: Path) -> list[str]:
    """One item per line; '#' lines are comments."""
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def trained_on(sentence: str) -> bool:
    """The MedQuAD sentences the head is trained on: a tenth, fixed by a hash of the text."""
    return int(hashlib.sha256(sentence.encode()).hexdigest(), 16) % 10 == 0


def bipia(directory: str, split: str) -> list[str]:
    """BIPIA text attacks that address the model's output ("… your answer/response/reply")."""
    data = json.loads(Path(directory, f"text_attack_{split}.json").read_text(encoding="utf-8"))
    return [t for items in data.values() for t in items
            if any(w in t.lower() for w in ("your answer", "your response", "your reply", "your message"))]


def mediqa_sentences(directory: str, files: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for name in files:
        tree = etree.parse(str(Path(directory, name)), etree.XMLParser(resolve_entities=False, no_network=True))
        for a in tree.iter("AnswerText"):
            out.extend(split_sentences(a.text or ""))
    return out


MEDIQA_TRAIN = ("MEDIQA2019-Task3-QA-TrainingSet2-Alexa.xml", "MEDIQA2019-Task3-QA-ValidationSet.xml")


class CachedEmbedder:
    """The packaged MiniLM with an on-disk cache of vectors by text (``--cache``: faster reruns)."""

    def __init__(self, path: Path | None) -> None:
        self.inner = get_embedder(EmbeddingSettings())
        self.name = self.inner.name
        self.path = path
        self.vectors: dict[str, np.ndarray] = {}
        if path and path.exists():
            with np.load(path, allow_pickle=False) as data:
                self.vectors = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.sha1(text.encode()).hexdigest()

    def embed(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        todo = sorted({t for t in texts if self._key(t) not in self.vectors})
        if todo:
            for t, v in zip(todo, self.inner.embed(todo, batch_size=batch_size), strict=True):
                self.vectors[self._key(t)] = v
            if self.path:
                keys = list(self.vectors)
                np.savez(self.path, keys=np.array(keys), vectors=np.stack([self.vectors[k] for k in keys]))
        return np.stack([self.vectors[self._key(t)] for t in texts]).astype(np.float32)


class TrainingData:
    """The labelled texts the injection models learn from, with a cross-validation group, a kind and a weight."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.labels: list[int] = []
        self.groups: list[str] = []
        self.kinds: list[str] = []
        self.weights: list[float] = []

    def add(self, items: list[tuple[str, str]], label: int, kind: str, weight: float = 1.0) -> None:
        for text, group in items:
            self.texts.append(text)
            self.labels.append(label)
            self.groups.append(group)
            self.kinds.append(kind)
            self.weights.append(weight)


def training_data(args: argparse.Namespace) -> TrainingData:
    """Every training text, read from the sources the arguments name (see the module's docstring)."""
    (train_file,) = glob.glob(f"{args.deepset}/train-*.parquet")
    rows = pq.read_table(train_file).to_pylist()
    data = TrainingData()
    add = data.add
    add([(r["text"], f"deepset-{i}") for i, r in enumerate(rows) if r["label"]], 1, "deepset", args.deepset_weight)
    add([(r["text"], f"deepset-{i}") for i, r in enumerate(rows) if not r["label"]], 0, "deepset-benign",
        args.deepset_benign_weight)
    if args.bipia:
        add([(t, f"bipia-{i}") for i, t in enumerate(bipia(args.bipia, "train"))], 1, "bipia", args.deepset_weight)
    add(synthetic_injections(args.synthetic), 1, "composed")
    add(hard_negatives(), 0, "hard-negative", args.hard_weight)
    add(hard_negatives_3(), 0, "hard-negative-3", args.hard_weight)
    add(hard_negatives_4(), 0, "hard-negative-4", args.hard_weight)
    add(hard_negatives_5(), 0, "hard-negative-5", args.hard_weight)
    add(hard_negatives_6(), 0, "hard-negative-6", args.hard_weight)
    add(hard_negatives_7(), 0, "hard-negative-7", args.hard_weight)
    for n in range(1, args.written + 1):
        suffix = "" if n == 1 else str(n)
        for stem, label in (("injection_heldout", 1), ("injection_benign", 0)):
            path = WRITTEN / f"{stem}{suffix}.txt"
            if path.exists():
                add([(t, f"written-{n}") for t in written_lines(path)], label, "written-inj" if label else "written-benign",
                    args.written_weight)
    for n in range(1, args.training_sets + 1):
        for stem, label in (("injection_train", 1), ("injection_trainbenign", 0)):
            path = WRITTEN / f"{stem}{n}.txt"
            add([(t, f"training-{n}") for t in written_lines(path)], label,
                "written-inj" if label else "written-benign", args.written_weight)
    medquad = sorted({s for s in medquad_sentences() if trained_on(s)})
    add([(s, f"mq-{i}") for i, s in enumerate(medquad)], 0, "medquad")
    mediqa = sorted(set(mediqa_sentences(args.mediqa, MEDIQA_TRAIN))) if args.mediqa else []
    add([(s, f"mediqa-{i}") for i, s in enumerate(mediqa)], 0, "mediqa")
    return data


def data_arguments(ap: argparse.ArgumentParser) -> None:
    """The arguments that say which training data :func:`training_data` reads and how each kind weighs."""
    ap.add_argument("--deepset", required=True, help="directory holding deepset/prompt-injections' parquet files")
    ap.add_argument("--bipia", help="directory holding BIPIA's text_attack_train.json and text_attack_test.json")
    ap.add_argument("--mediqa", default=MEDIQA, help="MEDIQA 2019 directory (Task 3 answers as negatives)")
    ap.add_argument("--synthetic", type=int, default=3800, help="composed injections (scripts/injection_data.py)")
    ap.add_argument("--deepset-weight", type=float, default=3.0,
                    help="weight of a deepset or BIPIA text beside a composed one (they are fewer and varied)")
    ap.add_argument("--deepset-benign-weight", type=float, default=2.0,
                    help="weight of a deepset benign text (questions and tasks put to a chatbot)")
    ap.add_argument("--hard-weight", type=float, default=8.0, help="weight of a written hard negative")
    ap.add_argument("--written", type=int, default=8,
                    help="train on the hand-written held-out sets 1..N (bench/data/injection_heldout*.txt and "
                         f"injection_benign*.txt; 0: none). Only sets already read, never set {BLIND_SET} or later "
                         "(the test sets)")
    ap.add_argument("--training-sets", type=int, default=0,
                    help="also train on the hand-written training sets 1..N (bench/data/injection_trainN.txt and "
                         "injection_trainbenignN.txt, written for training; eighteenth session)")
    ap.add_argument("--written-weight", type=float, default=3.0, help="weight of a hand-written set's line")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    data_arguments(ap)
    ap.add_argument("--c", type=float, default=4.0, help="inverse regularisation strength")
    ap.add_argument("--max-false", type=float, default=0.0007,
                    help="largest share of MedQuAD and MEDIQA training sentences flagged")
    ap.add_argument("--max-hard-false", type=float,
                    help="largest share of the written hard negatives flagged (cross-validated; default: not used)")
    ap.add_argument("--ngrams", type=int, default=0,
                    help="also read word 1..N-grams (TF-IDF over the training texts; 0: the vector and lexicon only)")
    ap.add_argument("--ngram-min-df", type=int, default=3, help="n-grams kept: in at least this many texts")
    ap.add_argument("--cache", type=Path, help="an .npz file caching sentence vectors between runs")
    ap.add_argument("--out", type=Path, default=MODEL_FILE)
    args = ap.parse_args()
    if args.written >= BLIND_SET:
        ap.error(f"sets {BLIND_SET} and later are test sets (bench/injection.py): --written must be below {BLIND_SET}")
    t0 = time.time()
    data = training_data(args)
    texts, labels, groups, kinds, weights = data.texts, data.labels, data.groups, data.kinds, data.weights
    embedder = CachedEmbedder(args.cache)
    vectors = embedder.embed([classifier_text(t) for t in texts])
    x = np.hstack([vectors, lexicon_features(texts)])
    ngrams = None
    if args.ngrams:
        from scipy import sparse
        from sklearn.feature_extraction.text import TfidfVectorizer

        ngrams = TfidfVectorizer(ngram_range=(1, args.ngrams), min_df=args.ngram_min_df, sublinear_tf=True,
                                 token_pattern=NGRAM_TOKEN.pattern, lowercase=True, dtype=np.float32)
        x = sparse.hstack([sparse.csr_matrix(x), ngrams.fit_transform([classifier_text(t) for t in texts])]).tocsr()
    y = np.array(labels)
    kind = np.array(kinds)
    t_embed = time.time() - t0
    head = LogisticRegression(C=args.c, class_weight="balanced", max_iter=3000)
    cv = np.zeros(len(y))
    folds = StratifiedGroupKFold(5, shuffle=True, random_state=24)
    fit_weights = np.array(weights)
    for train, test in folds.split(x, y, groups):
        head.fit(x[train], y[train], sample_weight=fit_weights[train])
        cv[test] = head.predict_proba(x[test])[:, 1]
    neg = np.sort(cv[np.isin(kind, ["medquad", "mediqa"])])[::-1]
    allowed = int(args.max_false * len(neg))
    threshold = float(max(0.5, neg[allowed] + 1e-6))
    hard = np.sort(cv[(y == 0) & ~np.isin(kind, ["medquad", "mediqa", "deepset-benign"])])[::-1]
    if args.max_hard_false is not None:  # written hard negatives: sentences with an injection's words, not orders
        threshold = max(threshold, float(hard[int(args.max_hard_false * len(hard))] + 1e-6))
    counts = {k: (int((kind == k).sum())) for k in dict.fromkeys(kinds)}
    print("training data:", ", ".join(f"{k} {n}" for k, n in counts.items()))
    print(f"threshold {threshold:.4f} (cross-validated on the training data, whole frames held out):")
    for k in counts:
        share = (cv[kind == k] >= threshold).mean()
        print(f"  {k}: {'caught' if y[kind == k][0] else 'flagged'} {100 * share:.2f} %")
    head.fit(x, y, sample_weight=fit_weights)
    if args.bipia:
        held = bipia(args.bipia, "test")
        xt = np.hstack([embedder.embed([classifier_text(t) for t in held]), lexicon_features(held)])
        if ngrams is not None:
            from scipy import sparse

            xt = sparse.hstack([sparse.csr_matrix(xt), ngrams.transform([classifier_text(t) for t in held])]).tocsr()
        p = head.predict_proba(xt)[:, 1]
        print(f"BIPIA text attacks, test half (never trained on): caught {(p >= threshold).sum()}/{len(held)}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    dense = vectors.shape[1] + len(FEATURES)
    extra: dict[str, np.ndarray] = {}
    if ngrams is not None:
        order = sorted(ngrams.vocabulary_, key=ngrams.vocabulary_.__getitem__)
        extra = {"ngram_vocabulary": np.array(json.dumps(order)), "ngram_n": np.int32(args.ngrams),
                 "ngram_idf": ngrams.idf_.astype(np.float16), "ngram_coef": head.coef_[0, dense:].astype(np.float16)}
    np.savez_compressed(args.out, coef=head.coef_[0, :dense].astype(np.float32),
                        intercept=np.float32(head.intercept_[0]), **extra,
                        threshold=np.float32(threshold), embedder=np.array(embedder.name),  # type: ignore[arg-type]
                        features=np.array([name for name, _ in FEATURES]),
                        trained_on=np.array("; ".join(f"{k} ({n})" for k, n in counts.items())))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes); embedding {t_embed:.0f} s, "
          f"total {time.time() - t0:.0f} s, peak RSS {peak:.2f} GB")


if __name__ == "__main__":
    main()
