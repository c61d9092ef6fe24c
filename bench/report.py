"""Rewrite the "## Retrieval" section of docs/benchmarks.md from bench/results/*.json.

    python bench/report.py

Only the Retrieval section is replaced (up to the next "## " heading); other sections are kept.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import RESULTS, ROOT, rewrite_section

DOC = ROOT / "docs" / "benchmarks.md"
HEADER = """# Benchmarks

Measured figures only: every number below comes from a script in `bench/`, run by hand on the
machine described with it. Sections are added by the component they measure.
"""

MODES = ("bm25", "dense", "hybrid")


def _load(name: str) -> dict[str, Any] | None:
    path = RESULTS / f"{name}.json"
    return dict(json.loads(path.read_text())) if path.exists() else None


def _machine(data: dict[str, Any]) -> str:
    m = data["machine"]
    v = m["versions"]
    return (f"{m['nproc']} CPUs ({m['cpu']}), {m['ram_gb']} GB RAM, load average "
            f"{m['load_avg_at_start'][0]} at start (the machine is shared); Python {v['python']}, "
            f"torch {v['torch']}, " + (f"openvino {v['openvino']}, " if "openvino" in v else "") +
            f"tantivy {v.get('tantivy', '?')}, usearch {v.get('usearch', '?')}, "
            f"numpy {v.get('numpy', '?')}")


def _run_line(data: dict[str, Any]) -> list[str]:
    return [f"Command: `{data['command']}` (finished {data['finished_at']}).", "",
            f"Machine: {_machine(data)}.", ""]


def quality(lines: list[str]) -> None:
    data = _load("quality")
    lines += ["### Quality on BEIR (test split)", ""]
    if data is None:
        lines += ["Not measured yet: `python bench/quality.py --scifact`.", ""]
        return
    lines += _run_line(data)
    lines += ["| collection | mode | nDCG@10 | Recall@10 | Recall@100 | ms/query | queries with a hit in the top 10 |",
              "|---|---|---:|---:|---:|---:|---:|"]
    for name, d in data["datasets"].items():
        for mode in MODES:
            s = d["modes"].get(mode)
            if s:
                lines.append(f"| {name} ({d['queries']} queries, {d['corpus']['documents']} docs, "
                             f"{d['corpus']['passages']} passages) | {mode} | {s['ndcg@10']:.4f} | "
                             f"{s['recall@10']:.4f} | {s['recall@100']:.4f} | {s['ms_per_query']:.1f} | "
                             f"{s['queries_with_hit']} |")
    lines.append("")
    for name, d in data["datasets"].items():
        paper = d.get("beir_paper_bm25")
        if paper:
            lines.append(f"- {name}: the BEIR paper's BM25 (Elasticsearch) reports nDCG@10 "
                         f"{paper['ndcg@10']:.3f} and Recall@100 {paper['recall@100']:.3f}; the bm25 "
                         f"row above is the baseline measured in the same run.")
    settings = next(iter(data["datasets"].values()))["settings"]
    r = settings["retrieval"]
    lines += [f"- Settings: chunker `{settings['chunker']}`, embedder `{settings['embedder']}`, "
              f"RRF k={r['rrf_k']}, weights bm25={r['lexical_weight']} dense={r['dense_weight']}; "
              f"each query fetches {next(iter(data['datasets'].values()))['depth']} passages "
              "(and as many candidates per retriever), and a document takes the rank of its best "
              "passage. Metrics as BEIR/pytrec_eval (`curbside.eval.metrics`). ms/query is the "
              "whole KnowledgeBase.search call at that depth (300 rows fetched from SQLite), not "
              "the latency of a normal top-10 search (see below).", ""]


def tuning(lines: list[str]) -> None:
    data = _load("tuning")
    if data is not None:
        lines += ["### What was tried (NFCorpus test)", ""]
        lines += _run_line(data)
        rows = data["fusion"]
        weights = sorted({r["bm25_weight"] for r in rows})
        for candidates in sorted({r["candidates"] for r in rows}):
            lines += [f"Hybrid nDCG@10 by RRF k (rows) and BM25 weight (columns; dense weight 1), "
                      f"{candidates} candidates per retriever:", "",
                      "| RRF k | " + " | ".join(f"bm25 ×{w}" for w in weights) + " |",
                      "|---:|" + "---:|" * len(weights)]
            for rrf_k in sorted({r["rrf_k"] for r in rows}):
                cells = [next(f"{r['ndcg@10']:.4f}" for r in rows if r["rrf_k"] == rrf_k
                              and r["bm25_weight"] == w and r["candidates"] == candidates)
                         for w in weights]
                lines.append(f"| {rrf_k} | " + " | ".join(cells) + " |")
            lines.append("")
        lines += ["BM25 analysis and field weighting (in-memory tantivy index over the same "
                  "passages; hybrid with RRF k=60, equal weights, 100 candidates):", "",
                  "| BM25 variant | bm25 nDCG@10 | bm25 Recall@100 | hybrid nDCG@10 | hybrid Recall@100 |",
                  "|---|---:|---:|---:|---:|"]
        for v in data["lexical"]:
            b, h = v["bm25"], v["hybrid_default_fusion"]
            lines.append(f"| {v['variant']} | {b['ndcg@10']:.4f} | {b['recall@100']:.4f} | "
                         f"{h['ndcg@10']:.4f} | {h['recall@100']:.4f} |")
        lines.append("")
        default = next((r for r in rows if r["rrf_k"] == 60 and r["bm25_weight"] == 1.0
                        and r["candidates"] == 100), None)
        best = max(rows, key=lambda r: r["ndcg@10"])
        if default:
            lines += [f"Outcome: the shipped fusion (RRF k=60, equal weights, 100 candidates) scores "
                      f"{default['ndcg@10']:.4f}; the best cell (RRF k={best['rrf_k']}, bm25 "
                      f"×{best['bm25_weight']}, {best['candidates']} candidates) scores "
                      f"{best['ndcg@10']:.4f}. Equal or slightly BM25-heavy weights with RRF k from "
                      "20 to 200 form a plateau; the differences are within what a handful of "
                      "queries changes, so RetrievalSettings keep their defaults. Stemming matters "
                      "(about +0.02 BM25 nDCG@10); stopwords and the title field's weight barely "
                      "do. Keeping the title out of the BM25 body helps BM25 alone a little but not "
                      "the hybrid, so the passage text (title heading included, as the dense model "
                      "sees it) stays as it is.", ""]
    variants = sorted(RESULTS.glob("quality-*.json"))
    if variants:
        lines += ["Variants run through bench/quality.py (NFCorpus nDCG@10):", "",
                  "| variant | bm25 | dense | hybrid | hybrid Recall@100 |", "|---|---:|---:|---:|---:|"]
        for path in variants:
            v = json.loads(path.read_text())
            modes = v["datasets"]["nfcorpus"]["modes"]
            cells = [f"{modes[m]['ndcg@10']:.4f}" if m in modes else "" for m in MODES]
            recall = f"{modes['hybrid']['recall@100']:.4f}" if "hybrid" in modes else ""
            lines.append(f"| {v.get('note') or path.stem} | {' | '.join(cells)} | {recall} |")
        lines.append("")
    check = _load("crosscheck_pytrec")
    if check is not None:
        lines += [f"Metric check: on the NFCorpus runs of every mode, `curbside.eval.metrics` and "
                  f"pytrec_eval {check['pytrec_eval']} (`bench/crosscheck_pytrec.py`) agree per query "
                  f"to {check['max_abs_diff']:.1e} (nDCG@10, Recall@10, Recall@100).", ""]


def latency(lines: list[str]) -> None:
    data = _load("latency")
    lines += ["### Query latency (warm, one query at a time)", ""]
    if data is None:
        lines += ["Not measured yet: `python bench/latency.py`.", ""]
        return
    lines += _run_line(data)
    lines += ["| passages | mode | p50 ms | p95 ms | mean ms |", "|---:|---|---:|---:|---:|"]
    for size, entry in data["sizes"].items():
        q = entry["query"]
        for mode in MODES:
            s = q[mode]
            lines.append(f"| {int(size):,} | {mode} | {s['p50_ms']} | {s['p95_ms']} | {s['mean_ms']} |")
        exact = q.get("exact_dense_baseline")
        if exact:
            lines.append(f"| {int(size):,} | exact dense scan (baseline, numpy) | {exact['p50_ms']} | "
                         f"{exact['p95_ms']} | {exact['mean_ms']} |")
    kb = data.get("knowledge_base", {}).get("query")
    if kb:
        for mode in MODES:
            s = kb[mode]
            lines.append(f"| {kb['passages']:,} | KnowledgeBase.search {mode} (with SQL fetch) | "
                         f"{s['p50_ms']} | {s['p95_ms']} | {s['mean_ms']} |")
    lines.append("")
    lines.append("Hybrid, by part (p50 / p95 ms):")
    lines.append("")
    for size, entry in data["sizes"].items():
        parts = entry["query"]["hybrid_parts"]
        text = ", ".join(f"{name} {p['p50_ms']} / {p['p95_ms']}" for name, p in parts.items())
        lines.append(f"- {int(size):,} passages: {text}.")
    lines.append("")
    for size, entry in data["sizes"].items():
        b, q = entry["build"], entry["query"]
        exact = q.get("exact_dense_baseline", {})
        lines.append(f"- {int(size):,}: built from {b['real_passages']:,} real passages "
                     f"(tantivy {b['tantivy_s']} s, usearch {b['usearch_s']} s with "
                     f"{b['build_threads']} thread; on disk tantivy {b['disk_mb']['tantivy']} MB, "
                     f"usearch {b['disk_mb']['usearch']} MB); query process peak RSS "
                     f"{q['peak_rss_mb']} MB, index load {q['load_s']} s; HNSW recall@10 against "
                     f"the exact scan {exact.get('hnsw_recall_at_k', '?')} over "
                     f"{exact.get('queries', '?')} queries.")
    if kb:
        b = data["knowledge_base"]["build"]
        lines.append(f"- KnowledgeBase at {kb['passages']:,} passages ({b['copies']} copies of "
                     f"NFCorpus): stored in {b['store_s']} s, vectors written in {b['vectors_s']} s, "
                     f"indexes synced in {b['index_s']} s; query process peak RSS "
                     f"{kb['peak_rss_mb']} MB.")
    lines += ["", "Queries: the 323 NFCorpus test queries, each mode run once to warm up and then "
              "once timed; candidates per retriever and k as in RetrievalSettings; query embedding "
              "with 1 torch thread. Scale data: NFCorpus passages replicated, each copy with ~5% "
              "of its words dropped and its real vector perturbed (cosine ≈ 0.96), re-normalised.",
              ""]


def ingest(lines: list[str]) -> None:
    data = _load("ingest")
    lines += ["### Ingest throughput (KnowledgeBase.ingest: store, embed, index)", ""]
    if data is None:
        lines += ["Not measured yet: `python bench/ingest.py`.", ""]
        return
    lines += _run_line(data)
    lines += [f"First {data['docs']} documents of each corpus, into an empty SQLite knowledge base.", "",
              "| corpus | embedder | runtime | passages (mean words) | passages/s (all stages) | "
              "embed stage passages/s | seconds by stage | threads | peak RSS MB |",
              "|---|---|---|---:|---:|---:|---|---:|---:|"]
    for case in data["cases"].values():
        stages = ", ".join(f"{k} {v}" for k, v in case["stage_seconds"].items())
        runtime = case.get("runtime", "-") if case["case"] != "hash" else "-"
        lines.append(f"| {case['corpus']} | {case['embedder']} | {runtime} | {case['passages']} "
                     f"({case['mean_words_per_passage']}) | {case['passages_per_s']} | "
                     f"{case['embed_passages_per_s']} | {stages} | {case.get('threads', '-')} | "
                     f"{case['peak_rss_mb']} |")
    lines += ["", "Baselines measured in the same run: the hash-embedder rows are the same pipeline "
              "without a neural model, the torch rows the same model on PyTorch (the runtime used "
              "before OpenVINO became the default; both give the same vectors, probe cosine "
              ">= 0.9999, checked each time the converted model loads). Embedding is nearly all of the time.", ""]


def fresh(lines: list[str]) -> None:
    data = _load("fresh_install")
    lines += ["### Fresh install to first search", ""]
    if data is None:
        lines += ["Not measured yet: `python bench/fresh_install.py` (needs the bundled starter pack).", ""]
        return
    lines += _run_line(data)
    lines += ["| data directory | wall s (process start → first hit) | imports s | pack install s | "
              "first search s | peak RSS MB |", "|---|---:|---:|---:|---:|---:|"]
    for label, runs in (("empty (fresh install)", data["fresh"]),
                        ("already installed (baseline)", data["already_installed"])):
        for r in runs:
            lines.append(f"| {label} | {r['wall_s']} | {r['imports_s']} | {r['install_s']} | "
                         f"{r['first_search_s']} | {round(r['peak_rss_mb'], 1)} |")
    pack = data["fresh"][0]["pack"]
    lines += ["", "On an empty directory the embedding model is loaded while the pack is installed "
              "(the dense index is named after it), so its load falls in the install column.",
              "", f"Starter pack {pack['version']}: {pack['sources']:,} sources, "
              f"{pack['passages']:,} passages. Query: \"{data['query']}\".", ""]


def _mark(ok: bool) -> str:
    return "met" if ok else "**not met**"


def summary(lines: list[str]) -> None:
    lines += ["### Against the targets", "", "| target | measured | |", "|---|---|---|"]
    q = _load("quality")
    if q:
        h = q["datasets"]["nfcorpus"]["modes"]["hybrid"]["ndcg@10"]
        b = q["datasets"]["nfcorpus"]["modes"]["bm25"]["ndcg@10"]
        lines.append(f"| NFCorpus hybrid nDCG@10 ≥ 0.34 (aim 0.36; BEIR paper BM25 0.325) | "
                     f"{h:.4f} (our BM25 {b:.4f}) | {_mark(h >= 0.34)} |")
    lat = _load("latency")
    if lat and "1000000" in lat["sizes"]:
        p95 = lat["sizes"]["1000000"]["query"]["hybrid"]["p95_ms"]
        lines.append(f"| hybrid p95 ≤ 20 ms at 1M passages (query embedding included) | {p95} ms | "
                     f"{_mark(p95 <= 20)} |")
    ing = _load("ingest")
    if ing:
        cases = ing["cases"].values()
        rates = ", ".join(f"{c['corpus']} {c['passages_per_s']}/s" for c in cases if c["case"] == "openvino")
        torch_rates = ", ".join(f"{c['corpus']} {c['passages_per_s']}/s" for c in cases if c["case"] == "torch")
        without = ", ".join(f"{c['corpus']} {c['passages_per_s']}/s" for c in cases if c["case"] == "hash")
        worst = min(c["passages_per_s"] for c in cases if c["case"] == "openvino")
        lines.append(f"| ingest ≥ 50 passages/s with embeddings | {rates} (PyTorch: {torch_rates}; "
                     f"without embeddings: {without}) | "
                     f"{_mark(worst >= 50)} |")
    fr = _load("fresh_install")
    if fr:
        wall = max(r["wall_s"] for r in fr["fresh"])
        lines.append(f"| fresh install to first search < 2 min | {wall} s | {_mark(wall < 120)} |")
    lines.append("")


def embed_speed(lines: list[str]) -> None:
    data = _load("embed_speed")
    if data is None:
        return
    lines += ["#### Embedding alone (the ingest bottleneck), by runtime", ""]
    lines += _run_line(data)
    lines += [f"{data['passages']} NFCorpus passages as stored (title heading + up to 160 words; "
              f"{data['mean_tokens']} word-pieces on average), both cores, median of "
              f"{data.get('repeats', 1)} runs. Cosines are to PyTorch float32 (batch 64), the baseline.", "",
              "| runtime | precision | batch | passages/s | runs | min cosine | mean cosine |",
              "|---|---|---:|---:|---|---:|---:|"]
    for c in data["cases"]:
        runs = ", ".join(str(r) for r in c["runs"])
        lines.append(f"| {c['runtime']} | {c['precision']} | {c['batch']} | {c['passages_per_s']} | {runs} | "
                     f"{c['min_cosine']} | {c['mean_cosine']} |")
    lines += ["", "OpenVINO bfloat16 at batch 8 is the default (`embedding.runtime`, `embedding.precision`, "
              "`embedding.batch_size`). Its vectors stay within cosine 0.9999 of PyTorch's (the "
              "converted model is checked against PyTorch on probe texts at every load), so the "
              "starter pack's precomputed vectors and any index built on PyTorch stay valid. int8 "
              "quantisation is faster than PyTorch float32 too, but moves the vectors too far to "
              "share an index with them. ONNX Runtime 1.31 (float32) was also tried while choosing; "
              "it ran between PyTorch and OpenVINO float32 and was not kept. Runs before this change did not "
              "record the OpenVINO version; it was 2026.4.1.", ""]


def hnsw(lines: list[str]) -> None:
    found = [json.loads(p.read_text()) for p in RESULTS.glob("hnsw_sweep_*.json")]
    found.sort(key=lambda d: (d["size"], d.get("noise", 0.3)))
    if not found:
        return
    lines += ["#### HNSW search breadth (usearch expansion_search) against an exact scan", ""]
    for data in found:
        lines.append(f"- `{data['command']}` (finished {data['finished_at']}; load average "
                     f"{data['machine']['load_avg_at_start'][0]} at start)")
    lines += ["", f"Machine: {_machine(found[0])}."]
    lines += ["", "| passages | copy noise (cosine to original) | expansion_search | dense search p50 / p95 ms | "
              "recall@10 (keys) | exact top-10 passages among the 100 candidates |",
              "|---:|---|---:|---|---:|---:|"]
    for data in found:
        noise = float(data.get("noise", 0.3))
        cosine = 1 / (1 + noise * noise) ** 0.5
        for r in data["sweep"]:
            lines.append(f"| {data['size']:,} | {noise} (≈{cosine:.2f}) | {r['expansion_search']} | "
                         f"{r['p50_ms']} / {r['p95_ms']} | {r['recall_at_10_keys']} | "
                         f"{r['passage_recall_in_100']} |")
    lines += ["", "The shipped index searches with expansion_search 96 (with 100 candidates usearch "
              "searches at least 100 wide, so 64 and 96 coincide). The replicated data is harder "
              "than a real corpus (each passage has up to 144 close copies, so the graph is made of "
              "tight clusters), but even with looser copies (noise 1.0) the 100 dense candidates "
              "at 1M hold only about 63% of the exact top-10 passages; expansion_search 400–800 "
              "raises that to 87–93% for 1–2 ms more per query. Worth checking on a real corpus of "
              "that size before raising it (UsearchIndex).", ""]

def memory(lines: list[str]) -> None:
    rows = []
    lat = _load("latency")
    if lat:
        for size, entry in lat["sizes"].items():
            rows.append((f"query process, {int(size):,} passages (both indexes loaded, model, 3 modes)",
                         entry["query"]["peak_rss_mb"]))
            rows.append((f"index build, {int(size):,} passages (bench build, single-threaded)",
                         entry["build"]["build_peak_rss_mb"]))
        kb = lat.get("knowledge_base", {})
        if kb:
            rows.append((f"KnowledgeBase.search process, {kb['query']['passages']:,} passages",
                         kb["query"]["peak_rss_mb"]))
            rows.append((f"KnowledgeBase build + index sync, {kb['build']['size']:,} passages",
                         kb["build"]["peak_rss_mb"]))
    ing = _load("ingest")
    if ing:
        for case in ing["cases"].values():
            rows.append((f"ingest of {case['passages']} {case['corpus']} passages ({case['embedder']})",
                         case["peak_rss_mb"]))
    fr = _load("fresh_install")
    if fr:
        rows.append(("fresh install of the starter pack + first search",
                     round(max(r["peak_rss_mb"] for r in fr["fresh"]), 1)))
    if not rows:
        return
    lines += ["### Peak memory (getrusage maxrss of the process)", "", "| process | peak RSS MB |",
              "|---|---:|"]
    lines += [f"| {label} | {value} |" for label, value in rows]
    lines += ["", "The 1M build's peak includes the bench's own arrays (the real vectors, the saved "
              "float16 copy being written and tantivy's 128 MB writer heap).", ""]


def render() -> str:
    lines = ["## Retrieval", "",
             "Reproduce with `python bench/run_all.py` (or each `bench/*.py` alone, then "
             "`python bench/report.py`). Results are kept in `bench/results/*.json`. The machine "
             "is shared with other work; each result records the load average when it started.",
             ""]
    summary(lines)
    quality(lines)
    tuning(lines)
    latency(lines)
    hnsw(lines)
    ingest(lines)
    embed_speed(lines)
    fresh(lines)
    memory(lines)
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    if not DOC.exists():
        DOC.parent.mkdir(parents=True, exist_ok=True)
        DOC.write_text(HEADER, encoding="utf-8")
    rewrite_section(DOC, "## Retrieval", render())
