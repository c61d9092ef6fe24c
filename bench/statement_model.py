"""Train and measure the statement model (``answer/select/statement_model.py``) on curbside's own hand labels.

    python bench/statement_model.py build [--work DIR]   # features of every labelled statement an answer showed
    python bench/statement_model.py train [--work DIR] [--save]   # cross-validated AUC, floor, bottom-line margin;
                                                                  # --save writes the model
    python bench/statement_model.py bottom [--work DIR]   # the bottom lines the model would choose, by margin

The labels are the on-topic labels of ``bench/data/ontopic_labels_*.jsonl``: statements that curbside's answers
(``bench/results/*_answers*.json``, which say where each statement stood) showed to the questions of public
consumer-question sets, each labelled once by a reader who saw only the question and the statement. K-QA's are
left out (its questions are the ones the word rules were tuned on). The statement's features are read afresh with
the installed pipeline: the question as it understands it now, the statement where the answer showed it.

Measured by set: the model trained without a set scores that set's statements (leave one set out), beside the
cosine alone and the score the bottom line is chosen by; the newest sets (``--held``) are also read by a model
trained on all the others. Run by hand, never by pytest.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEFAULT_WORK, RESULTS, ROOT, limit_threads, machine, write_result

LABELS = ROOT / "bench" / "data"
#: Label files read (K-QA's are the tuned-on questions; heading labels are another task).
SKIP = {"ontopic_labels_kqa", "ontopic_labels_kqa_dev"}
NEAREST = {"More From the Sources Found", "Closest Passages Retrieved"}
CLOSEST = {"What the Sources Say", "Closest Evidence"}
CLINICIAN_SETS = {"rqe-clinician"}


def _set_of(path: Path) -> str:
    return path.name.split("_answers")[0]


def _labels(which: str) -> dict[tuple[str, str], bool]:
    name = {"nfcorpus": "nfcorpus", "drugs": "medquad_drugs"}.get(which, which.replace("-", "_"))
    path = LABELS / f"ontopic_labels_{name}.jsonl"
    if not path.exists() or path.stem in SKIP:
        return {}
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {(r["question"], r["statement"]): bool(r["on_topic"]) for r in rows}


def _place(heading: str | None) -> str:
    if heading is None:
        return "bottom"
    return "nearest" if heading in NEAREST else "closest" if heading in CLOSEST else "section"


#: The sets whose first reads measure the model: never trained on (``train`` reads them as its test).
FRESH = ("healthsearch-13", "mqp-general-13")


def rows(only: tuple[str, ...] = (), skip: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Every labelled statement of every stored answer run (``only`` those sets, none of ``skip``), once per
    (set, question, statement, place)."""
    out: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for path in sorted(RESULTS.glob("*_answers*.json")):
        which = _set_of(path)
        if (only and which not in only) or which in skip:
            continue
        labels = _labels(which)
        if not labels:
            continue
        for entry in json.loads(path.read_text(encoding="utf-8")).get("answers", []):
            for statement in entry["statements"]:
                key = (entry["question"], statement["text"])
                if key not in labels:
                    continue
                place = _place(statement["section"])
                out.setdefault((which, *key, place), {
                    "set": which, "question": entry["question"], "text": statement["text"],
                    "items": list(statement.get("items") or []), "heading": statement["section"], "place": place,
                    "on_topic": labels[key]})
    return list(out.values())


def _key(row: dict[str, Any]) -> str:
    return "\x1f".join([row["set"], row["question"], row["text"], row["place"]])


def build(work: Path, fresh: bool = False) -> None:
    """The features of the training statements, or (``fresh``) of the first reads of :data:`FRESH`."""
    limit_threads(2)
    os.environ.setdefault("CURBSIDE_DATA_DIR", str(work / "data"))
    from tqdm import tqdm

    from curbside.answer.compose.typed import headings_for
    from curbside.answer.select.statement_model import Shown, features
    from curbside.answer.service import AnswerService
    from curbside.answer.understand.analysis import analyze
    from curbside.domain import Audience
    from curbside.kb.packs import ensure_starter_pack
    from curbside.settings import Settings

    service = AnswerService(Settings())
    ensure_starter_pack(service.kb)
    embedder = service._statement_embedder()
    assert embedder is not None
    labelled = rows(only=FRESH) if fresh else rows(skip=FRESH)
    by_question: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in labelled:
        by_question.setdefault((row["set"], row["question"]), []).append(row)
    feats, ys, sets, qids, keys = [], [], [], [], []
    for n, ((which, question), group) in enumerate(tqdm(by_question.items(), desc="questions")):
        audience = Audience.CLINICIAN if which in CLINICIAN_SETS else Audience.PATIENT
        types = {v: k for k, v in headings_for(audience).items()}
        text, who, name = service._inputs(question, audience, None)
        analysis = analyze(service._spelled(text, []), who, embedder=service.kb.embedder)
        understood = service.understand(analysis)
        understood, _routed = service._route(understood, service._retrieve(analysis), name)
        shown = [Shown(r["text"], tuple(r["items"]), r["place"], types.get(r["heading"] or "")) for r in group]
        vectors = embedder.embed([understood.text, *(s.whole for s in shown)], batch_size=32)
        feats.append(features(understood, vectors, shown, embedder))
        ys += [r["on_topic"] for r in group]
        sets += [which] * len(group)
        qids += [n] * len(group)
        keys += [_key(r) for r in group]
    work.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(work / ("fresh_features.npz" if fresh else "statement_features.npz"), x=np.vstack(feats), y=np.array(ys), sets=np.array(sets),
                        qids=np.array(qids), keys=np.array(keys))
    print(f"{len(ys)} statements of {len(by_question)} questions, {sum(ys)} on topic; sets: "
          + ", ".join(sorted(set(sets))))


def _auc(y: np.ndarray, s: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, s)) if 0 < y.sum() < len(y) else float("nan")


def _fit(x: np.ndarray, y: np.ndarray, c: float) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=3000).fit(x, y)


def train(work: Path, held: list[str], save: bool, c: float = 1.0, target: float = 0.15) -> dict[str, Any]:
    """Leave-one-set-out AUCs; the floor: the highest probability below which the statements the model removes,
    read out of fold, are on topic at most ``target`` of the time (what is removed is mostly off topic)."""
    from curbside.answer.select.statement_model import FEATURES

    data = np.load(work / "statement_features.npz")
    x, y, sets = data["x"], data["y"].astype(int), data["sets"]
    cos = x[:, FEATURES.index("cosine")]
    bottom_score = (cos + x[:, FEATURES.index("gives_asked")]) / 2
    out_of_fold = np.zeros(len(y))
    report: dict[str, Any] = {"statements": len(y), "on_topic": int(y.sum()), "by_set": {}}
    for which in sorted(set(sets)):
        test = sets == which
        model = _fit(x[~test], y[~test], c)
        out_of_fold[test] = model.predict_proba(x[test])[:, 1]
    for which in sorted(set(sets)):
        test = sets == which
        report["by_set"][which] = {"n": int(test.sum()), "model": _auc(y[test], out_of_fold[test]),
                                   "cosine": _auc(y[test], cos[test]), "bottom_score": _auc(y[test], bottom_score[test])}
    report["all"] = {"model": _auc(y, out_of_fold), "cosine": _auc(y, cos), "bottom_score": _auc(y, bottom_score),
                     "answers": _auc(y, x[:, FEATURES.index("answers")])}
    newest = np.isin(sets, held)
    if newest.any():
        model = _fit(x[~newest], y[~newest], c)
        p = model.predict_proba(x[newest])[:, 1]
        report["held"] = {"sets": held, "n": int(newest.sum()), "model": _auc(y[newest], p),
                          "cosine": _auc(y[newest], cos[newest]), "bottom_score": _auc(y[newest], bottom_score[newest])}
    # the floor, on the out-of-fold readings of the statements a gate may remove (not the bottom line)
    removable = x[:, FEATURES.index("bottom")] == 0
    floor = 0.0
    for candidate in np.arange(0.05, 0.6, 0.01):
        cut = removable & (out_of_fold < candidate)
        if cut.sum() >= 20 and y[cut].mean() <= target:
            floor = float(candidate)
    cut = removable & (out_of_fold < floor)
    kept = ~cut
    report["floor"] = {"floor": round(floor, 2), "target_on_topic_removed": target, "removed": int(cut.sum()),
                       "removed_on_topic": int(y[cut].sum()), "precision_before": float(y.mean()),
                       "precision_after": float(y[kept].mean()), "on_topic_kept": int(y[kept].sum())}
    if newest.any():
        held_cut = cut & newest
        report["floor"]["held"] = {"removed": int(held_cut.sum()), "removed_on_topic": int(y[held_cut].sum()),
                                   "precision_before": float(y[newest].mean()),
                                   "precision_after": float(y[newest & kept].mean())}
    fresh_file = work / "fresh_features.npz"
    if fresh_file.exists():  # the first reads of sets never trained on: what a gate at the floor would have removed
        fresh = np.load(fresh_file)
        fx, fy, fsets = fresh["x"], fresh["y"].astype(int), fresh["sets"]
        p = _fit(x, y, c).predict_proba(fx)[:, 1]
        fcut = (fx[:, FEATURES.index("bottom")] == 0) & (p < floor)
        report["fresh"] = {}
        for which in sorted(set(fsets)):
            here = fsets == which
            report["fresh"][which] = {
                "n": int(here.sum()), "on_topic": int(fy[here].sum()), "model": _auc(fy[here], p[here]),
                "cosine": _auc(fy[here], fx[here, FEATURES.index("cosine")]),
                "removed": int((fcut & here).sum()), "removed_on_topic": int(fy[fcut & here].sum()),
                "precision_before": float(fy[here].mean()), "precision_after": float(fy[here & ~fcut].mean())}
    report["bottom_line"] = bottom_choices(work, c)
    print(json.dumps(report, indent=2))
    write_result("statement_model", report, machine())
    if save:
        from curbside.answer.select.statement_model import MODEL_FILE, StatementModel
        from curbside.retrieval.minilm import MODEL_NAME

        model = _fit(x, y, c)
        card = {"embedding_model": MODEL_NAME, "features": [*FEATURES, "q*s", "|q-s|"], "floor": round(floor, 2),
                "bottom_margin": report["bottom_line"]["margin"],
                "trained_on": sorted(set(sets.tolist())), "statements": len(y), "on_topic": int(y.sum()),
                "auc_leave_one_set_out": round(report["all"]["model"], 3),
                "auc_cosine": round(report["all"]["cosine"], 3), "C": c,
                "data": "curbside's hand labels (bench/data/ontopic_labels_*.jsonl), K-QA's left out"}
        StatementModel(model.coef_[0].astype(np.float32), float(model.intercept_[0]), card).save(MODEL_FILE)
        print(f"saved {MODEL_FILE}")
    return report


def _answers_read(keys: np.ndarray, only: tuple[str, ...] = (),
                  skip: tuple[str, ...] = ()) -> list[tuple[int, list[int]]]:
    """Each stored answer whose bottom line and at least one other statement that could stand alone (no items,
    no lead-in) are labelled: (the bottom line's row, the other statements' rows)."""
    index = {str(k): i for i, k in enumerate(keys)}
    out = []
    for path in sorted(RESULTS.glob("*_answers*.json")):
        which = _set_of(path)
        if (only and which not in only) or which in skip:
            continue
        for entry in json.loads(path.read_text(encoding="utf-8")).get("answers", []):
            bottom, others = None, []
            for statement in entry["statements"]:
                row = {"set": which, "question": entry["question"], "text": statement["text"],
                       "place": _place(statement["section"])}
                at = index.get(_key(row))
                if at is None:
                    continue
                if row["place"] == "bottom":
                    bottom = at
                elif not statement.get("items") and not statement["text"].rstrip().endswith(":"):
                    others.append(at)
            if bottom is not None and others:
                out.append((bottom, others))
    return out


def _choices(answers: list[tuple[int, list[int]]], y: np.ndarray, p: np.ndarray,
             margins: tuple[float, ...]) -> dict[str, Any]:
    """How often the bottom line is on topic as the composer chose it and when the statement the model reads
    best as a bottom line replaces it, if it reads better by more than each margin."""
    report: dict[str, Any] = {"answers": len(answers), "composer_on_topic": int(sum(y[b] for b, _ in answers)),
                              "any_on_topic": int(sum(bool(y[b] or any(y[o] for o in others))
                                                      for b, others in answers))}
    for margin in margins:
        on, swaps, better, worse = 0, 0, 0, 0
        for b, others in answers:
            best = max(others, key=lambda o: p[o])
            chosen = best if p[best] - p[b] > margin else b
            on += int(y[chosen])
            if chosen != b:
                swaps += 1
                better += int(y[chosen] and not y[b])
                worse += int(y[b] and not y[chosen])
        report[f"margin {margin:.2f}"] = {"on_topic": on, "swaps": swaps, "better": better, "worse": worse}
    return report


MARGINS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3)
#: A replacement must gain this many on-topic bottom lines for each on-topic one it loses: a reader trusts an answer
#: less for a good bottom line lost than they gain from a bad one replaced.
GAINED_PER_LOST = 5


def bottom_choices(work: Path, c: float = 1.0) -> dict[str, Any]:
    """Would the statement model choose better bottom lines? Out of fold (each set read by a model trained without
    it), every labelled statement is read as if it were the bottom line; the same for the first reads of
    :data:`FRESH` by a model trained on all the others. The margin is the one that makes the most bottom lines on
    topic out of fold (the larger of equals) among those whose replacements gain :data:`GAINED_PER_LOST` on-topic
    bottom lines for each they lose."""
    from curbside.answer.select.statement_model import as_bottom

    data = np.load(work / "statement_features.npz")
    x, y, sets, keys = data["x"], data["y"].astype(int), data["sets"], data["keys"]
    xb = as_bottom(x)
    p = np.zeros(len(y))
    for which in sorted(set(sets)):
        test = sets == which
        p[test] = _fit(x[~test], y[~test], c).predict_proba(xb[test])[:, 1]
    report: dict[str, Any] = {"out_of_fold": _choices(_answers_read(keys, skip=FRESH), y, p, MARGINS)}
    read = {m: report["out_of_fold"][f"margin {m:.2f}"] for m in MARGINS}
    safe = [m for m in MARGINS if read[m]["better"] >= GAINED_PER_LOST * read[m]["worse"]] or [max(MARGINS)]
    report["margin"] = max(safe, key=lambda m: (read[m]["on_topic"], m))
    fresh_file = work / "fresh_features.npz"
    if fresh_file.exists():
        fresh = np.load(fresh_file)
        fy = fresh["y"].astype(int)
        fp = _fit(x, y, c).predict_proba(as_bottom(fresh["x"]))[:, 1]
        report["fresh"] = _choices(_answers_read(fresh["keys"], only=FRESH), fy, fp, MARGINS)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("step", choices=["build", "build-fresh", "train", "bottom"])
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK / "statements")
    parser.add_argument("--held", default="healthsearch-9,mqp-general-9")
    parser.add_argument("--save", action="store_true")
    parser.add_argument("--c", type=float, default=1.0)
    parser.add_argument("--target", type=float, default=0.15)
    args = parser.parse_args()
    if args.step in ("build", "build-fresh"):
        build(args.work, fresh=args.step == "build-fresh")
    elif args.step == "bottom":
        print(json.dumps(bottom_choices(args.work, args.c), indent=2))
    else:
        train(args.work, [s for s in re.split(r"[,\s]+", args.held) if s], args.save, args.c, args.target)


if __name__ == "__main__":
    main()
