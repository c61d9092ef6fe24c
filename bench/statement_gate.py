"""Can a small learned model, reading the statement's *source passage*, gate off-topic statements?

What it measures. Every row of ``bench/data/ontopic_labels*.jsonl`` (21 files, one question set
each) is a statement kept in an answer with a blind hand label: is it on topic for the question?
Earlier gates read only the question and the statement (MiniLM cosine, the packaged answer model
``kb/models/answers.npz``, a fine-tuned cross-encoder) and did not generalise to new question sets.
This bench finds, for each statement, the knowledge-base passage that contains it verbatim, and
gives a logistic regression and a gradient-boosted tree features of that passage and its source:

* cosine(question, statement), cosine(question, passage [stored vector of heading path + text]),
  cosine(question, source title), cosine(question, section heading);
* the question-type classifier's probability that the passage's section type answers the question's
  type (``kb/infotypes.py``: ``classify`` + ``answered_by``; untyped sections are read by the vector
  head from heading + start of text);
* the packaged answer model's score;
* content-word overlap of the question with the statement / the title / the passage, whether the
  question's focus (its longest spaCy noun chunk, stop words removed) is in the source title,
  statement length, source kind (drug label or not);
* within-answer relative features (the row's cosine-to-title and answer score minus the best among
  the statements kept for the same question), which a gate inside one answer can also read.

Evaluation is leave-one-FILE-out: train on the 20 other files, score the held file. It reports the
AUC of each model against same-run baselines (cosine q-statement alone, answer-model score alone),
and, at thresholds chosen on the training files to keep 70 % / 50 % / 30 % of statements, the
on-topic precision of the kept statements, the share actually kept and the share of the held
file's questions left with at least one statement (also for the policy "HGB+best": the threshold,
but each answer always keeps its top-scored statement). Training rows whose question also occurs
in the held file are dropped (44 questions recur across files). It also reports LR coefficients and the
permutation importance (AUC drop, pooled over held files) of each feature.

Run: ``PYTHONPATH=src python bench/statement_gate.py --kb /path/to/data_dir`` (the data directory
of a knowledge base with the starter pack installed; it is opened read-only). Writes nothing unless
``--out FILE`` is given (a Markdown table dump).
"""

from __future__ import annotations

import argparse
import glob
import json
import re
import sqlite3
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
KEEP = (0.7, 0.5, 0.3)
FOCUS_FILES = ("ontopic_labels_healthsearch_3.jsonl", "ontopic_labels_mqp_general_3.jsonl")
_TOK = re.compile(r"[a-z0-9]+")
_EXTRA_STOP = {"what", "whats", "does", "do", "is", "are", "can", "could", "should", "would", "will", "how",
               "why", "when", "which", "who", "whom", "take", "taking", "get", "use", "used", "cause", "causes",
               "caused", "symptom", "symptoms", "treatment", "treatments", "treat", "side", "effects", "effect",
               "common", "best", "long", "mean", "means", "know", "need", "help", "people", "person", "like",
               "possible", "way", "ways", "type", "types", "risk", "risks", "sign", "signs", "2", "3"}


def norm_words(text: str) -> list[str]:
    return _TOK.findall(text.lower())


def load_rows() -> list[dict]:
    rows = []
    for path in sorted(glob.glob(str(DATA / "ontopic_labels*.jsonl"))):
        name = Path(path).name
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            r = json.loads(line)
            rows.append({"file": name, "question": re.sub(r"^\d*,", "", r["question"]).strip(),
                         "statement": r["statement"], "y": int(bool(r["on_topic"]))})
    return rows


# --- finding the source passage ------------------------------------------------------------------------


def load_kb(kb_dir: Path) -> tuple[list[dict], sqlite3.Connection]:
    db = sqlite3.connect(f"file:{kb_dir / 'curbside.db'}?mode=ro", uri=True)
    out = []
    query = ("select p.pk, p.headings, p.text, p.section_type, s.title, s.kind "
             "from kb_passages p join kb_sources s on s.id = p.source_id order by p.pk")
    for pk, headings, text, stype, title, kind in db.execute(query):
        out.append({"pk": pk, "headings": json.loads(headings or "[]"), "text": text, "section_type": stype,
                    "title": title, "kind": kind})
    return out, db


def match_passages(rows: list[dict], passages: list[dict]) -> list[int | None]:
    """Index (into ``passages``) of the passage holding each statement verbatim (word-normalised); when
    several do, the one whose title shares most words with the question. None when none does."""
    fts = sqlite3.connect(":memory:")
    fts.execute("create virtual table t using fts5(body, tokenize='unicode61')")
    normed = [" ".join(norm_words(p["text"])) for p in passages]
    fts.executemany("insert into t(rowid, body) values (?, ?)", ((i, n) for i, n in enumerate(normed)))
    cache: dict[tuple[str, str], int | None] = {}
    out: list[int | None] = []
    for r in rows:
        key = (r["question"], r["statement"])
        if key not in cache:
            words = norm_words(r["statement"])
            target = " ".join(words)
            found: list[int] = []
            for lo in (0, max(0, len(words) // 2 - 4)):
                span = words[lo : lo + 10]
                if not span:
                    continue
                phrase = '"' + " ".join(span) + '"'
                cands = [i for (i,) in fts.execute("select rowid from t where t match ? limit 200", (phrase,))]
                found = [i for i in cands if target in normed[i]]
                if found:
                    break
            if not found:
                cache[key] = None
            else:
                q = set(norm_words(r["question"])) - _EXTRA_STOP
                cache[key] = max(found, key=lambda i: (len(q & set(norm_words(passages[i]["title"]))), -i))
        out.append(cache[key])
    return out


# --- features ---------------------------------------------------------------------------------------------


def build_features(rows: list[dict], passages: list[dict], match: list[int | None],
                   db: sqlite3.Connection) -> tuple[np.ndarray, list[str]]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from curbside.answer.select.answers_model import usable_with as answers_usable
    from curbside.domain import InfoType
    from curbside.kb.infotypes import answered_by, classify, section_text
    from curbside.retrieval.embedder import get_embedder
    from curbside.settings import EmbeddingSettings
    from curbside.text import english_parser

    stop = set(ENGLISH_STOP_WORDS) | _EXTRA_STOP
    emb = get_embedder(EmbeddingSettings())
    answers = answers_usable(emb)
    if answers is None:
        sys.exit("the packaged answer model does not read this embedder's vectors")

    def embed(texts: list[str]) -> dict[str, np.ndarray]:
        uniq = sorted(set(texts))
        vecs = emb.embed(uniq, batch_size=32) if uniq else np.zeros((0, emb.dim), np.float32)
        vecs = vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9)
        return dict(zip(uniq, vecs, strict=True))

    used = sorted({m for m in match if m is not None})
    t0 = time.time()
    qv = embed([r["question"] for r in rows])
    sv = embed([r["statement"] for r in rows])
    tv = embed([passages[i]["title"] for i in used])
    hv = embed([passages[i]["headings"][-1] for i in used if passages[i]["headings"]])
    # stored passage vectors (heading path + text, as the KB embedded them)
    pv: dict[int, np.ndarray] = {}
    pk_of = {passages[i]["pk"]: i for i in used}
    for start in range(0, len(used), 500):
        pks = [passages[i]["pk"] for i in used[start : start + 500]]
        q = f"select passage_pk, vector from kb_embeddings where model = ? and passage_pk in ({','.join('?' * len(pks))})"
        for pk, blob in db.execute(q, (emb.name, *pks)):
            v = np.frombuffer(blob, dtype="<f2").astype(np.float32)
            pv[pk_of[pk]] = v / max(float(np.linalg.norm(v)), 1e-9)
    print(f"embedded in {time.time() - t0:.0f}s", file=sys.stderr)

    # question types (vector + words) and section types (stored, else read from heading + text start)
    questions = sorted({r["question"] for r in rows})
    qtypes = dict(zip(questions, classify(emb, questions), strict=True))
    untyped = [i for i in used if not passages[i]["section_type"]]
    sec_read = classify(emb, [section_text(passages[i]["headings"][-1] if passages[i]["headings"] else "",
                                           passages[i]["text"]) for i in untyped], words=False) if untyped else []
    sec_dist: dict[int, dict[InfoType, float]] = {i: dict(s.ranked) for i, s in zip(untyped, sec_read, strict=True)}
    for i in used:
        if passages[i]["section_type"]:
            sec_dist[i] = {InfoType(passages[i]["section_type"]): 1.0}

    def type_fit(question: str, i: int) -> float:
        fit = 0.0
        for qt, p in qtypes[question].ranked:
            ok = answered_by(qt)
            fit += p * sum(ps for st, ps in sec_dist[i].items() if st in ok or st == qt)
        return fit

    # question focus: longest noun chunk, stop words removed
    nlp = english_parser()
    focus: dict[str, set[str]] = {}
    for q, doc in zip(questions, nlp.pipe(questions, batch_size=64), strict=True):
        chunks = sorted((c.text for c in doc.noun_chunks), key=lambda c: -len(set(norm_words(c)) - stop))
        words = set(norm_words(chunks[0])) - stop if chunks else set()
        focus[q] = words or (set(norm_words(q)) - stop)

    names = ["cos_qs", "cos_qp", "cos_qt", "cos_qh", "type_fit", "qtype_conf", "section_typed", "answer_score",
             "ovl_stmt", "ovl_title", "ovl_passage", "focus_in_title", "focus_in_stmt", "stmt_words",
             "drug_label", "rel_cos_qt", "rel_answer", "rel_cos_qs"]
    X = np.full((len(rows), len(names)), np.nan, dtype=np.float64)
    ascore_cache: dict[tuple[str, str], float] = {}
    for n, (r, i) in enumerate(zip(rows, match, strict=True)):
        q, s = r["question"], r["statement"]
        key = (q, s)
        if key not in ascore_cache:
            ascore_cache[key] = float(answers.scores(qv[q], sv[s][None, :])[0])
        qw = set(norm_words(q)) - stop
        sw = set(norm_words(s))
        X[n, 0] = float(qv[q] @ sv[s])
        X[n, 7] = ascore_cache[key]
        X[n, 8] = len(qw & sw) / max(len(qw), 1)
        X[n, 12] = len(focus[q] & sw) / max(len(focus[q]), 1)
        X[n, 13] = len(norm_words(s))
        if i is None:
            continue
        p = passages[i]
        tw, pw = set(norm_words(p["title"])), set(norm_words(p["text"])) | set(norm_words(" ".join(p["headings"])))
        X[n, 1] = float(qv[q] @ pv[i]) if i in pv else np.nan
        X[n, 2] = float(qv[q] @ tv[p["title"]])
        X[n, 3] = float(qv[q] @ hv[p["headings"][-1]]) if p["headings"] else np.nan
        X[n, 4] = type_fit(q, i)
        X[n, 5] = qtypes[q].confidence
        X[n, 6] = float(bool(p["section_type"]))
        X[n, 9] = len(qw & tw) / max(len(qw), 1)
        X[n, 10] = len(qw & pw) / max(len(qw), 1)
        X[n, 11] = len(focus[q] & tw) / max(len(focus[q]), 1)
        X[n, 14] = float(p["kind"] == "drug_label")
    # within-answer relative features: this statement against the best for the same question (same file)
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for n, r in enumerate(rows):
        groups[(r["file"], r["question"])].append(n)
    for idx in groups.values():
        for col, src in ((15, 2), (16, 7), (17, 0)):
            vals = X[idx, src]
            if np.all(np.isnan(vals)):
                continue
            X[idx, col] = vals - np.nanmax(vals)
    return X, names


# --- evaluation -------------------------------------------------------------------------------------------


def auc(y: np.ndarray, s: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    s = np.nan_to_num(s, nan=np.nanmin(s) if np.isfinite(np.nanmin(s)) else 0.0)
    return float(roc_auc_score(y, s)) if 0 < y.sum() < len(y) else float("nan")


def make_models() -> dict[str, object]:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return {
        "LR": make_pipeline(SimpleImputer(strategy="median", add_indicator=False), StandardScaler(),
                            LogisticRegression(C=0.3, max_iter=2000)),
        "HGB": HistGradientBoostingClassifier(max_iter=150, learning_rate=0.05, max_leaf_nodes=15,
                                              min_samples_leaf=40, l2_regularization=1.0, random_state=0),
    }


def train_mask(rows: list[dict], files: np.ndarray, held: str) -> np.ndarray:
    """The other files' rows, less any whose question is also in the held file (44 questions recur)."""
    held_q = {r["question"] for r in rows if r["file"] == held}
    return (files != held) & np.array([r["question"] not in held_q for r in rows])


def best_in_answer(rows: list[dict], s: np.ndarray) -> np.ndarray:
    """True for the top-scored statement of each question (per file)."""
    out = np.zeros(len(s), bool)
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for n, r in enumerate(rows):
        groups[(r["file"], r["question"])].append(n)
    for idx in groups.values():
        out[idx[int(np.argmax(np.nan_to_num(s[idx], nan=-1e9)))]] = True
    return out


def gate_stats(y: np.ndarray, s: np.ndarray, thr: float, qkeys: list[str]) -> tuple[float, float, float]:
    kept = s >= thr
    prec = float(y[kept].mean()) if kept.any() else float("nan")
    answered = {q for q, k in zip(qkeys, kept, strict=True) if k}
    return prec, float(kept.mean()), len(answered) / len(set(qkeys))


def evaluate(rows: list[dict], X: np.ndarray, names: list[str], cols: list[int]) -> dict:
    y = np.array([r["y"] for r in rows])
    files = np.array([r["file"] for r in rows])
    qkeys = [r["file"] + "|" + r["question"] for r in rows]
    scores = {"cos_qs": X[:, 0].copy(), "answer_score": X[:, 7].copy(), "cos_qp": X[:, 1].copy(), "LR": np.zeros(len(y)), "HGB": np.zeros(len(y))}
    thresholds: dict[str, dict[str, dict[float, float]]] = defaultdict(dict)
    for held in sorted(set(files)):
        test, train = files == held, train_mask(rows, files, held)
        for name, model in make_models().items():
            model.fit(X[train][:, cols], y[train])
            scores[name][test] = model.predict_proba(X[test][:, cols])[:, 1]
            tr = model.predict_proba(X[train][:, cols])[:, 1]
            thresholds[name][held] = {k: float(np.quantile(tr, 1 - k)) for k in KEEP}
        for name, col in (("cos_qs", 0), ("answer_score", 7), ("cos_qp", 1)):
            tr = X[train, col]
            thresholds[name][held] = {k: float(np.nanquantile(tr, 1 - k)) for k in KEEP}
    # policy: HGB threshold, but always keep each answer's best statement (no question left empty)
    best = best_in_answer(rows, scores["HGB"])
    scores["HGB+best"] = np.where(best, np.inf, scores["HGB"])
    thresholds["HGB+best"] = thresholds["HGB"]
    per_file = {}
    for held in sorted(set(files)):
        m = files == held
        qk = [q for q, t in zip(qkeys, m, strict=True) if t]
        per_file[held] = {"n": int(m.sum()), "pos": float(y[m].mean()), "questions": len(set(qk)),
                          "auc": {k: auc(y[m], np.nan_to_num(v[m], posinf=2.0)) for k, v in scores.items()},
                          "gate": {k: {keep: gate_stats(y[m], np.nan_to_num(v[m], nan=-1e9), thresholds[k][held][keep], qk)
                                       for keep in KEEP} for k, v in scores.items()}}
    pooled_gate = {}
    for k, v in scores.items():
        pooled_gate[k] = {}
        for keep in KEEP:
            kept = np.zeros(len(y), bool)
            for held in set(files):
                mm = files == held
                kept[mm] = np.nan_to_num(v[mm], nan=-1e9) >= thresholds[k][held][keep]
            answered = {q for q, kk in zip(qkeys, kept, strict=True) if kk}
            pooled_gate[k][keep] = (float(y[kept].mean()), float(kept.mean()), len(answered) / len(set(qkeys)))
    # mean of per-file AUCs and pooled AUC (pooling scores from different held-out models)
    pooled_auc = {k: auc(y, np.nan_to_num(v, posinf=2.0)) for k, v in scores.items()}
    mean_auc = {k: float(np.nanmean([per_file[f]["auc"][k] for f in per_file])) for k in scores}
    return {"per_file": per_file, "pooled_auc": pooled_auc, "mean_auc": mean_auc, "pooled_gate": pooled_gate,
            "scores": scores, "y": y, "files": files}


def importance(rows: list[dict], X: np.ndarray, names: list[str], cols: list[int], base: dict) -> dict:
    """LR coefficients (standardised, fit on all rows) and leave-one-file-out permutation importance:
    mean drop in held-file AUC when one feature is shuffled within the held file (LR and HGB)."""
    y = base["y"]
    files = base["files"]
    rng = np.random.default_rng(0)
    models = make_models()
    lr = models["LR"].fit(X[:, cols], y)
    coefs = dict(zip([names[c] for c in cols], lr[-1].coef_[0].tolist(), strict=True))
    drops: dict[str, dict[str, list[float]]] = {"LR": defaultdict(list), "HGB": defaultdict(list)}
    for held in sorted(set(files)):
        test, train = files == held, train_mask(rows, files, held)
        if y[test].sum() in (0, test.sum()):
            continue
        for mname, model in make_models().items():
            model.fit(X[train][:, cols], y[train])
            Xt = X[test][:, cols]
            ref = auc(y[test], model.predict_proba(Xt)[:, 1])
            for j, c in enumerate(cols):
                Xp = Xt.copy()
                Xp[:, j] = rng.permutation(Xp[:, j])
                drops[mname][names[c]].append(ref - auc(y[test], model.predict_proba(Xp)[:, 1]))
    perm = {m: {k: float(np.mean(v)) for k, v in d.items()} for m, d in drops.items()}
    return {"coef": coefs, "perm": perm}


def fmt_gate(g: tuple[float, float, float]) -> str:
    return f"{g[0]:.2f} / {g[1]:.2f} / {g[2]:.2f}"


def report(res: dict, imp: dict | None, ablations: dict[str, dict], misses: int, n: int, match_by_file: dict,
           elapsed: float) -> str:
    lines = []
    lines.append(f"Rows: {n}; statements matched to a KB passage verbatim: {n - misses} ({(n - misses) / n:.1%}); "
                 f"misses keep NaN passage features (imputed / handled natively).\n")
    lines.append("## AUC, leave-one-file-out\n")
    lines.append("| held file | n | on-topic | matched | cos q-s | answers.npz | cos q-passage (alone) | LR | HGB |")
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for f, d in res["per_file"].items():
        mark = " **" if f in FOCUS_FILES else ""
        a = d["auc"]
        lines.append(f"| {f.replace('ontopic_labels', '').strip('_').replace('.jsonl', '') or '(base)'}{mark} | {d['n']} | "
                     f"{d['pos']:.2f} | {match_by_file[f]:.2f} | {a['cos_qs']:.3f} | {a['answer_score']:.3f} | {a['cos_qp']:.3f} | "
                     f"{a['LR']:.3f} | {a['HGB']:.3f} |")
    a, m = res["pooled_auc"], res["mean_auc"]
    lines.append(f"| **pooled** | {n} | {res['y'].mean():.2f} | | {a['cos_qs']:.3f} | {a['answer_score']:.3f} | {a['cos_qp']:.3f} | "
                 f"{a['LR']:.3f} | {a['HGB']:.3f} |")
    lines.append(f"| **mean of files** | | | | {m['cos_qs']:.3f} | {m['answer_score']:.3f} | {m['cos_qp']:.3f} | {m['LR']:.3f} | {m['HGB']:.3f} |")
    lines.append("\n(** = the most recent question sets.)\n")
    lines.append("## Gate at thresholds set on the training files (keep 70 % / 50 % / 30 %)\n")
    lines.append("Cell: precision of kept (share on topic) / share of statements kept / share of questions left "
                 "with >= 1 statement. Keeping everything: precision = on-topic rate, 1.00 / 1.00.\n")
    lines.append("| scope | scorer | keep 70 % | keep 50 % | keep 30 % |")
    lines.append("|---|---|---|---|---|")
    for k, g in res["pooled_gate"].items():
        lines.append(f"| pooled (all held files) | {k} | " + " | ".join(fmt_gate(g[kk]) for kk in KEEP) + " |")
    for f in FOCUS_FILES:
        d = res["per_file"][f]
        for k, g in d["gate"].items():
            lines.append(f"| {f.replace('ontopic_labels_', '').replace('.jsonl', '')} (on-topic {d['pos']:.2f}) | {k} | "
                         + " | ".join(fmt_gate(g[kk]) for kk in KEEP) + " |")
    if ablations:
        lines.append("\n## Feature-set ablations (AUC: pooled / mean of files / healthsearch_3 / mqp_general_3)\n")
        lines.append("| features | LR | HGB |")
        lines.append("|---|---|---|")
        for label, r in ablations.items():
            cells = []
            for mname in ("LR", "HGB"):
                cells.append(f"{r['pooled_auc'][mname]:.3f} / {r['mean_auc'][mname]:.3f} / "
                             f"{r['per_file'][FOCUS_FILES[0]]['auc'][mname]:.3f} / {r['per_file'][FOCUS_FILES[1]]['auc'][mname]:.3f}")
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    if imp:
        lines.append("\n## Which features matter\n")
        lines.append("| feature | LR coef (standardised, all rows) | perm. AUC drop LR | perm. AUC drop HGB |")
        lines.append("|---|---:|---:|---:|")
        for k in sorted(imp["coef"], key=lambda k: -imp["perm"]["HGB"].get(k, 0)):
            lines.append(f"| {k} | {imp['coef'][k]:+.3f} | {imp['perm']['LR'].get(k, 0):+.4f} | {imp['perm']['HGB'].get(k, 0):+.4f} |")
    lines.append(f"\nElapsed {elapsed:.0f} s.")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kb", type=Path, required=True, help="data directory of the knowledge base (curbside.db)")
    ap.add_argument("--out", type=Path, help="write the Markdown tables here")
    ap.add_argument("--no-importance", action="store_true")
    args = ap.parse_args()
    t0 = time.time()
    rows = load_rows()
    passages, db = load_kb(args.kb)
    print(f"{len(rows)} rows, {len(passages)} passages", file=sys.stderr)
    match = match_passages(rows, passages)
    misses = sum(m is None for m in match)
    by_file: dict[str, list[int]] = defaultdict(list)
    for r, m in zip(rows, match, strict=True):
        by_file[r["file"]].append(m is not None)
    match_by_file = {f: float(np.mean(v)) for f, v in by_file.items()}
    print(f"matched {len(rows) - misses}/{len(rows)} in {time.time() - t0:.0f}s", file=sys.stderr)
    X, names = build_features(rows, passages, match, db)
    idx = {n: i for i, n in enumerate(names)}
    full = list(range(len(names)))
    res = evaluate(rows, X, names, full)
    sets = {
        "question-statement only (cos_qs, answer_score, ovl_stmt, focus_in_stmt, stmt_words)":
            [idx[n] for n in ("cos_qs", "answer_score", "ovl_stmt", "focus_in_stmt", "stmt_words")],
        "+ source passage/title/heading/type, no within-answer relative features":
            [i for i in full if not names[i].startswith("rel_")],
        "all features (as in the tables above)": full,
        "title only (cos_qt, ovl_title, focus_in_title, rel_cos_qt)":
            [idx[n] for n in ("cos_qt", "ovl_title", "focus_in_title", "rel_cos_qt")],
    }
    ablations = {k: (res if v == full else evaluate(rows, X, names, v)) for k, v in sets.items()}
    imp = None if args.no_importance else importance(rows, X, names, full, res)
    text = report(res, imp, ablations, misses, len(rows), match_by_file, time.time() - t0)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
