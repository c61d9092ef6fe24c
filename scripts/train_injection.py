"""Train the injection classifier's head (``ingest/models/injection.npz``) from public labels.

Training data, all public:
- deepset/prompt-injections' train split (Apache-2.0; 546 texts, every language; its test split is never read
  here), from the parquet files in ``--deepset DIR`` (also in the MIT-licensed GitHub repository
  sinanw/llm-security-prompt-injection, ``data/raw/``);
- negatives: MedQuAD answer sentences (CC BY 4.0) whose SHA-256 is 0 mod 10 (a tenth; the other nine tenths are
  never trained on and measure false flags in ``bench/injection.py``).

Vectors are the packaged MiniLM's (384-d, L2-normalised) of the canonical text (``injection.canonical``); the head
is scikit-learn's logistic regression. The threshold is chosen on the training data only, from 5-fold
cross-validated scores: the lowest one that flags at most ``--max-false`` of the MedQuAD training sentences.

    pip install '.[train]' pyarrow && python scripts/train_injection.py --deepset /tmp/pi
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from injection_false_flags import medquad_sentences  # noqa: E402

from curbside.ingest.injection import MODEL_FILE, canonical  # noqa: E402
from curbside.retrieval.embedder import get_embedder  # noqa: E402
from curbside.settings import EmbeddingSettings  # noqa: E402


def trained_on(sentence: str) -> bool:
    """The MedQuAD sentences the head is trained on: a tenth, fixed by a hash of the text."""
    return int(hashlib.sha256(sentence.encode()).hexdigest(), 16) % 10 == 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--deepset", required=True, help="directory holding deepset/prompt-injections' parquet files")
    ap.add_argument("--c", type=float, default=4.0, help="inverse regularisation strength")
    ap.add_argument("--max-false", type=float, default=0.0003, help="largest share of MedQuAD training sentences flagged")
    ap.add_argument("--out", type=Path, default=MODEL_FILE)
    args = ap.parse_args()
    t0 = time.time()
    (train_file,) = glob.glob(f"{args.deepset}/train-*.parquet")
    rows = pq.read_table(train_file).to_pylist()
    texts = [canonical(r["text"]) for r in rows]
    labels = [int(r["label"]) for r in rows]
    medquad = sorted({canonical(s) for s in medquad_sentences() if trained_on(s)})
    embedder = get_embedder(EmbeddingSettings())
    x = embedder.embed(texts + medquad, batch_size=64)
    y = np.array(labels + [0] * len(medquad))
    is_medquad = np.array([False] * len(texts) + [True] * len(medquad))
    t_embed = time.time() - t0
    head = LogisticRegression(C=args.c, class_weight="balanced", max_iter=2000)
    cv = cross_val_predict(head, x, y, cv=StratifiedKFold(5, shuffle=True, random_state=24), method="predict_proba")[:, 1]
    neg = np.sort(cv[is_medquad])[::-1]
    allowed = int(args.max_false * len(neg))
    threshold = float(max(0.5, neg[allowed] + 1e-6))
    pos = cv[y == 1]
    ben = cv[(y == 0) & ~is_medquad]
    print(f"deepset train: {sum(labels)} injections, {len(labels) - sum(labels)} benign; MedQuAD negatives {len(medquad)}")
    print(f"threshold {threshold:.4f} (cross-validated on the training data): injections caught "
          f"{(pos >= threshold).mean():.3f}, deepset benign flagged {(ben >= threshold).mean():.3f}, "
          f"MedQuAD flagged {(neg >= threshold).mean():.5f}")
    head.fit(x, y)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, coef=head.coef_[0].astype(np.float32), intercept=np.float32(head.intercept_[0]),
                        threshold=np.float32(threshold), embedder=np.array(embedder.name),
                        trained_on=np.array(f"deepset/prompt-injections train ({len(labels)}), "
                                            f"MedQuAD answer sentences ({len(medquad)})"))
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes); embedding {t_embed:.0f} s, "
          f"total {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
