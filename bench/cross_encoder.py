"""A cross-encoder on the packaged MiniLM as the question–statement relevance judge: does it generalize?

    python bench/cross_encoder.py --data ../shared/data [--hold healthsearch,mqp_drugs] [--epochs 3]

Issue 22 asks for a learned relevance score trained on human-labelled pairs. This bench trains one and
scores it on label sets it never saw, beside the same run's cosine and the shipped answer model
(``answer/select/answers_model.py``): the question and the statement go through the packaged
``all-MiniLM-L6-v2`` together (``[CLS] question [SEP] statement [SEP]``); its lower layers stay as
packaged, the top :data:`TUNED_LAYERS` layers and a linear head on ``[CLS]`` are fine-tuned (the lower
layers' token vectors are computed once). Run by hand, never by pytest.

Training pairs (question, statement, whether it answers what is asked):

- the project's blind on-topic labels (``bench/data/ontopic_labels*.jsonl``): statements curbside
  quoted, judged by labellers who saw only the question and the statement; the sets named by
  ``--hold`` are kept out and scored, those named by ``--never`` (fresh sets still to be read) are
  never read;
- MEDIQA 2019 Task 3's graded answers to consumer questions (the first two sentences of each answer;
  a reference score of 3 or 4 answers): training only, never knowledge-base text;
- MedQuAD's question–answer pairs (CC BY 4.0) with hard negatives, as for the answer model
  (``scripts/train_models.py answer_pairs``).

The hand labels weigh ``--hand-weight`` against one for the rest. Reported per held set: AUC of the
cross-encoder, the cosine and the answer model; the precision of the statements each keeps at a
probability floor; and, per question, whether the statement the cross-encoder ranks first is on topic
against the bottom line curbside chose. The fourteenth session's run is in docs/benchmarks.md ("A
cross-encoder as the relevance judge"): it did not generalize well enough to ship.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from lxml import etree
from sklearn.metrics import roc_auc_score

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from train_models import answer_pairs

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "bench" / "data"
Pair = tuple[str, str, int, str]  # question, statement, answers (1/0), group


#: Transformer layers at the top of the six that are fine-tuned; the ones below stay as packaged.
TUNED_LAYERS = 2
#: Tokens of one question–statement pair (the longer text is cut first).
MAX_TOKENS = 160


def _torch() -> Any:
    import torch

    return torch


class PairReader:
    """The packaged model's tokenizer and lower layers, and a copy of its top layers to tune or load."""

    def __init__(self, tuned_layers: int = TUNED_LAYERS) -> None:
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        from curbside.retrieval.minilm import model_dir, offline

        offline()
        hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
        torch = _torch()
        directory = str(model_dir())
        self.tokenizer = AutoTokenizer.from_pretrained(directory)
        self.base = AutoModel.from_pretrained(directory)
        self.base.eval()
        layers = self.base.encoder.layer
        self.frozen = len(layers) - tuned_layers
        self.dim = int(self.base.config.hidden_size)
        self.top = torch.nn.ModuleList([copy.deepcopy(layer) for layer in layers[self.frozen:]])
        self.head = torch.nn.Linear(self.dim, 1)

    def mask(self, attention: Any, hidden: Any) -> Any:
        """The attention mask in the form the layers take."""
        made = self.base._create_attention_masks(attention_mask=attention, encoder_attention_mask=None,
                                                 embedding_output=hidden, encoder_hidden_states=None,
                                                 cache=None, position_ids=None)
        return made[0] if isinstance(made, tuple) else made

    def lower(self, pairs: Sequence[tuple[str, str]], batch_size: int = 32) -> list[Any]:
        """Each pair's token vectors after the packaged (frozen) layers, trimmed to its length."""
        torch = _torch()
        out: list[Any] = []
        with torch.no_grad():
            for start in range(0, len(pairs), batch_size):
                batch = pairs[start:start + batch_size]
                enc = self.tokenizer([q for q, _ in batch], [s for _, s in batch], truncation="longest_first",
                                     max_length=MAX_TOKENS, padding=True, return_tensors="pt")
                hidden = self.base.embeddings(input_ids=enc["input_ids"], token_type_ids=enc["token_type_ids"])
                mask = self.mask(enc["attention_mask"], hidden)
                for layer in self.base.encoder.layer[:self.frozen]:
                    result = layer(hidden, attention_mask=mask)
                    hidden = result[0] if isinstance(result, tuple) else result
                lengths = enc["attention_mask"].sum(dim=1).tolist()
                out.extend(hidden[i, :n].clone() for i, n in enumerate(lengths))
        return out

    def logits(self, states: Sequence[Any]) -> Any:
        """The head's logit for each pair, from its lower-layer token vectors."""
        torch = _torch()
        width = max(int(s.shape[0]) for s in states)
        hidden = torch.zeros(len(states), width, self.dim)
        attention = torch.zeros(len(states), width, dtype=torch.long)
        for i, s in enumerate(states):
            hidden[i, : s.shape[0]] = s.float()
            attention[i, : s.shape[0]] = 1
        mask = self.mask(attention, hidden)
        for layer in self.top:
            result = layer(hidden, attention_mask=mask)
            hidden = result[0] if isinstance(result, tuple) else result
        return self.head(hidden[:, 0]).squeeze(-1)


def label_group(path: Path) -> str:
    return path.stem.removeprefix("ontopic_labels").removeprefix("_") or "kqa"


def hand_labels(skip: set[str]) -> list[Pair]:
    """Every hand label but those of the sets in ``skip``, in file order."""
    out: list[Pair] = []
    for path in sorted(LABELS.glob("ontopic_labels*.jsonl")):
        group = label_group(path)
        if group in skip:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row.get("on_topic") is None:
                continue
            question = re.sub(r"^\d+,", "", str(row["question"])).strip()  # "12,Question" ids of some sets
            out.append((question, str(row["statement"]), int(bool(row["on_topic"])), group))
    return out


def graded_answers(data: Path) -> list[Pair]:
    out: list[Pair] = []
    for name in ("MEDIQA2019-Task3-QA-TrainingSet2-Alexa.xml", "MEDIQA2019-Task3-QA-ValidationSet.xml",
                 "MEDIQA2019-Task3-QA-TestSet-wLabels.xml"):
        for question in etree.parse(str(data / "mediqa2019" / name)).getroot().iter("Question"):
            asked = " ".join((question.findtext("QuestionText") or "").split())
            for answer in question.iter("Answer"):
                score = int(answer.get("ReferenceScore") or 0)
                text = " ".join((answer.findtext("AnswerText") or "").split())
                start = " ".join(re.split(r"(?<=[.!?])\s+", text)[:2])[:400]
                if asked and start and score:
                    out.append((asked, start, int(score >= 3), "mediqa_task3"))
    return out


def medquad_pairs(data: Path, questions: int, seed: int) -> list[Pair]:
    train, _test = answer_pairs(data / "medquad", questions, seed)
    return [(q, s, y, "medquad") for q, s, y in train]


def train(reader: PairReader, states: list, labels: list[int], weights: list[float], epochs: int,
          rate: float, seed: int, batch: int = 32) -> None:
    import torch

    torch.manual_seed(seed)
    params = [*reader.top.parameters(), *reader.head.parameters()]
    optimiser = torch.optim.AdamW(params, lr=rate, weight_decay=0.01)
    steps = epochs * ((len(states) + batch - 1) // batch)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=rate, total_steps=steps, pct_start=0.1)
    y = torch.tensor(labels, dtype=torch.float32)
    w = torch.tensor(weights, dtype=torch.float32)
    order = list(range(len(states)))
    rng = random.Random(seed)
    for epoch in range(epochs):
        reader.top.train()
        reader.head.train()
        rng.shuffle(order)
        started, total = time.time(), 0.0
        for start in range(0, len(order), batch):
            rows = order[start:start + batch]
            logits = reader.logits([states[i] for i in rows])
            loss = (torch.nn.functional.binary_cross_entropy_with_logits(logits, y[rows], reduction="none") * w[rows]).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += float(loss.detach()) * len(rows)
        print(f"epoch {epoch + 1}/{epochs}: loss {total / len(order):.4f} ({time.time() - started:.0f} s)", flush=True)
    reader.top.eval()
    reader.head.eval()


def predict(reader: PairReader, states: list, batch: int = 64) -> np.ndarray:
    import torch

    out = []
    with torch.no_grad():
        for start in range(0, len(states), batch):
            out.append(torch.sigmoid(reader.logits(states[start:start + batch])).numpy())
    return np.concatenate(out) if out else np.zeros(0)


def baseline_scores(pairs: list[Pair]) -> tuple[np.ndarray, np.ndarray]:
    """The same run's cosine of the packaged embeddings and the shipped answer model's probability."""
    from curbside.answer.select.answers_model import answer_model
    from curbside.retrieval.embedder import get_embedder
    from curbside.settings import Settings

    embedder = get_embedder(Settings().embedding)
    model = answer_model()
    cosine, answers = [], []
    for question, statement, _y, _g in pairs:
        vectors = embedder.embed([question, statement])
        cosine.append(float(vectors[1] @ vectors[0]))
        answers.append(float(model.scores(vectors[0], vectors[1:])[0]) if model is not None else float("nan"))
    return np.array(cosine), np.array(answers)


def bottom_lines(group: str) -> list[bool]:
    """Per labelled statement of a held set, whether it was the answer's bottom line (no section)."""
    path = LABELS / f"ontopic_labels_{group}.jsonl"
    return [json.loads(line).get("section") is None for line in path.read_text(encoding="utf-8").splitlines()
            if json.loads(line).get("on_topic") is not None]


def held_scores(pairs: list[Pair], tuned: np.ndarray) -> dict[str, dict[str, Any]]:
    """Per held set: AUCs, precision kept at each floor, and the first-ranked statement per question."""
    cosine, answers = baseline_scores(pairs)
    out: dict[str, dict[str, Any]] = {}
    y = np.array([p[2] for p in pairs])
    for group in sorted({p[3] for p in pairs}):
        rows = [i for i, p in enumerate(pairs) if p[3] == group]
        ys = y[rows]
        row: dict[str, Any] = {"pairs": len(rows), "on_topic": round(float(ys.mean()), 3)}
        if 0 < ys.mean() < 1:
            for name, scores in (("cross_encoder", tuned), ("cosine", cosine), ("answer_model", answers)):
                row[f"auc_{name}"] = round(float(roc_auc_score(ys, scores[rows])), 3)
        questions = sorted({pairs[i][0] for i in rows})
        for floor in (0.3, 0.5, 0.7):
            kept = [i for i in rows if tuned[i] >= floor]
            row[f"floor_{floor}"] = {"kept": len(kept), "precision": round(float(y[kept].mean()), 3) if kept else None,
                                     "questions_left": len({pairs[i][0] for i in kept}), "questions": len(questions)}
        bottoms = bottom_lines(group)
        first_tuned = first_bottom = 0
        for question in questions:
            mine = [i for i in rows if pairs[i][0] == question]
            first_tuned += int(y[max(mine, key=lambda i: tuned[i])])
            chosen = [i for k, i in enumerate(mine) if bottoms[rows.index(i)]] or mine
            first_bottom += int(y[chosen[0]])
        row["first_on_topic"] = {"cross_encoder": first_tuned, "bottom_line": first_bottom, "questions": len(questions)}
        out[group] = row
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="../shared/data (mediqa2019, medquad)")
    parser.add_argument("--hold", default="healthsearch,mqp_drugs", help="label sets kept out and scored")
    parser.add_argument("--never", default="mqp_general", help="label sets never read (fresh sets)")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--rate", type=float, default=3e-5)
    parser.add_argument("--hand-weight", type=float, default=3.0)
    parser.add_argument("--questions", type=int, default=2400, help="MedQuAD questions for the pairs")
    parser.add_argument("--seed", type=int, default=24)
    parser.add_argument("--tuned-layers", type=int, default=TUNED_LAYERS, help="top layers fine-tuned (6: all)")
    args = parser.parse_args()
    started = time.time()
    held = set(filter(None, args.hold.split(",")))
    hand = hand_labels(set(filter(None, args.never.split(","))))
    train_pairs = [p for p in hand if p[3] not in held] + graded_answers(args.data) + medquad_pairs(
        args.data, args.questions, args.seed)
    test_pairs = [p for p in hand if p[3] in held]
    print(f"{len(train_pairs)} training pairs, {len(test_pairs)} held", flush=True)
    reader = PairReader(args.tuned_layers)
    states = reader.lower([(q, s) for q, s, _, _ in train_pairs + test_pairs])
    lowered = time.time() - started
    n = len(train_pairs)
    train(reader, states[:n], [p[2] for p in train_pairs],
          [args.hand_weight if p[3] not in ("medquad", "mediqa_task3") else 1.0 for p in train_pairs],
          args.epochs, args.rate, args.seed)
    result = {"tuned_layers": args.tuned_layers, "epochs": args.epochs, "train_pairs": n, "lower_layers_seconds": round(lowered),
              "training_seconds": round(time.time() - started - lowered),
              "held": held_scores(test_pairs, predict(reader, states[n:]))}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
