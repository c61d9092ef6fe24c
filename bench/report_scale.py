"""Write the "Scale-out" section of docs/benchmarks.md from bench/results/{quality-milvus,load,
faults}.json (whichever exist).

    python bench/report_scale.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import RESULTS, ROOT, rewrite_section

DOC = ROOT / "docs" / "benchmarks.md"
TITLE = "## Scale-out: workers, PostgreSQL, load and faults"


def load(name: str) -> dict[str, Any] | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def machine_line(data: dict[str, Any]) -> str:
    m = data["machine"]
    cpu = "AMD EPYC" if "EPYC" in m.get("cpu", "") else m.get("cpu", "")
    load_avg = m.get("load_avg_at_start", ["?"])[0]
    return (f"Machine: {m['nproc']} CPUs ({cpu}), {m['ram_gb']} GB RAM, load average {load_avg} at "
            "start; each scenario's own load average is in its row (scenarios run while six sessions "
            "shared the machine show it).")


def milvus(lines: list[str]) -> None:
    data = load("quality-milvus")
    if data is None:
        return
    v = data["machine"]["versions"]
    lines += ["### Milvus: BM25 function + dense in one collection (NFCorpus test, 323 queries)", "",
              f"Command: `{data['command']}` (finished {data['finished_at']}).", "",
              machine_line(data) + f" pymilvus {v.get('pymilvus')}, milvus-lite {v.get('milvus_lite')}.",
              "",
              "| backend | mode | nDCG@10 | Recall@100 | ms/query (depth 300, loaded machine) |",
              "|---|---|---:|---:|---:|"]
    names = {"bm25": "bm25", "dense": "dense", "hybrid": "hybrid (client RRF, as KnowledgeBase.search)",
             "milvus-rrf": "hybrid (one hybrid_search, Milvus RRFRanker)"}
    for backend in ("embedded", "milvus"):
        label = "embedded (tantivy + usearch)" if backend == "embedded" else "Milvus Lite (BM25 function + dense)"
        for mode, row in data[backend].items():
            lines.append(f"| {label} | {names.get(mode, mode)} | {row['ndcg@10']:.4f} | "
                         f"{row['recall@100']:.4f} | {row['ms_per_query']:.1f} |")
    migrated = data["migrated"]
    lines += ["", f"- `migrate_indexes(…, \"milvus\")` (what `curbside kb migrate --to milvus` runs) "
              f"filled the collection with {migrated['passages']} passages (BM25 {migrated['lexical_count']}, "
              f"dense {migrated['dense_count']}) from the database in {data['migrate_to_milvus_s']} s, "
              "embedding nothing again.",
              "- Milvus Lite has no stemmer and scores BM25 per segment (see "
              "`curbside.retrieval.milvus_index.ANALYZER`), which is why its BM25 trails tantivy's; "
              "a Milvus server applies the stemmer. Hybrid fused inside Milvus and fused by curbside "
              "agree to the third decimal.", ""]


def scenario_rows(data: dict[str, Any]) -> list[str]:
    rows = ["| scenario | users × s | request | requests | req/s | p50 ms | p95 ms | p99 ms | failures | 5xx | load avg |",
            "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    order = ["readers", "thinking readers", "revalidation", "askers, default limit",
             "askers, queue only"]
    for name in sorted(data["scenarios"], key=lambda n: order.index(n) if n in order else 99):
        outcome = data["scenarios"][name]
        for request, s in outcome["stats"].items():
            rows.append(f"| {name} | {outcome['users']} × {outcome['seconds']} | {request} | "
                        f"{s['requests']} | {s['rps']} | {s['p50_ms']:.0f} | {s['p95_ms']:.0f} | "
                        f"{s['p99_ms']:.0f} | {s['failures']} | {outcome['server_errors_5xx']} | "
                        f"{outcome['load_avg_before'][0]} |")
    runs = sorted({o.get("ran_at", "") for o in data["scenarios"].values()} - {""})
    if len(runs) > 1:
        rows += ["", "Scenarios come from more than one run (`--only` re-runs one after a change):"]
        rows += [f"- {name}: {o['ran_at']}" for name, o in data["scenarios"].items() if o.get("ran_at")]
    return rows


def load_section(lines: list[str]) -> None:
    data = load("load")
    if data is None:
        return
    lines += ["### Load: `curbside serve --workers 2` on PostgreSQL, locust from a second process", "",
              f"Command: `{data['command']}` (finished {data['finished_at']}).", "",
              machine_line(data), "",
              f"Knowledge base: the starter pack ({data['passages']} passages) in PostgreSQL, embedded "
              "indexes; extractive composer; each scenario ran for the time shown with its users "
              "started at once, on 127.0.0.1; load avg = the machine's 1-minute load average "
              "when the scenario started (2 cores). Resident memory of the serving processes "
              f"(MB; a helper, the supervisor, two workers): {data.get('worker_rss_mb_idle')}.", ""]
    sc = data["scenarios"]

    def stat(name: str, request: str) -> dict[str, Any] | None:
        return sc.get(name, {}).get("stats", {}).get(request)

    readers = stat("readers", "GET article page")
    thinking = stat("thinking readers", "GET article page (1-2 s think)")
    asked = [o for n, o in sc.items() if n.startswith("askers")]
    limited = sum(v["requests"] for o in asked for k, v in o["stats"].items() if k.startswith("429"))
    errors = sum(o["server_errors_5xx"] for o in sc.values())
    lines += ["| target | measured | |", "|---|---|---|"]
    if readers:
        lines.append(f"| 50 concurrent readers, p95 ≤ 100 ms, 0 errors | closed loop (no think "
                     f"time): p95 {readers['p95_ms']:.0f} ms at {readers['rps']} req/s, "
                     f"{readers['failures']} errors"
                     + (f"; with 1–2 s think time: p95 {thinking['p95_ms']:.0f} ms" if thinking else "")
                     + f" | {'met' if readers['p95_ms'] <= 100 else 'not met in the closed loop on this loaded machine'}"
                       f"{'; met with think time' if thinking and thinking['p95_ms'] <= 100 else ''} |")
    if asked:
        lines.append(f"| 20 askers: 429 with Retry-After, never a 5xx | {limited} × 429 (each with "
                     f"Retry-After), {errors} × 5xx over every scenario | "
                     f"{'met' if errors == 0 and limited > 0 else 'not met'} |")
    lines.append("")
    lines += scenario_rows(data)
    lines.append("")


def faults_section(lines: list[str]) -> None:
    data = load("faults")
    if data is None:
        return
    lines += ["### Faults under load", "", f"Command: `{data['command']}` (finished {data['finished_at']}).",
              "", machine_line(data), ""]
    pg = data["postgres_restart"]
    lines.append(f"- **PostgreSQL restarted** (a private server, `pg_ctl restart -m fast`, took "
                 f"{pg['fault'].get('result')} s) {pg['fault'].get('at_s')} s into {pg['seconds']} s of "
                 f"{pg['users']} closed-loop readers: {pg['requests']} requests, {pg['failures']} failed, "
                 f"in seconds {pg['seconds_with_failures']} of the run; last failure in second "
                 f"{pg['last_second_with_failures']} of {pg['series_end']}, none after it was back; "
                 f"`/readyz` afterwards {pg.get('readyz_after')}. While it was down requests got "
                 "`503 database_unavailable` with Retry-After (answered at once, so the closed-loop "
                 "readers sent many). Errors: "
                 + "; ".join(f"{e['Occurrences']}× {e['Error'][:90]}" for e in pg["errors"]) + ".")
    kill = data["kill_worker"]
    lines.append(f"- **kill -9 of one worker** {kill['fault'].get('at_s')} s into {kill['seconds']} s "
                 f"of {kill['users']} closed-loop readers: {kill['requests']} requests, "
                 f"{kill['failures']} failed (seconds {kill['seconds_with_failures']}); workers "
                 f"{kill['fault'].get('result', {}).get('workers_before')} before, "
                 f"{kill.get('workers_after')} three seconds after (uvicorn starts a new one); "
                 "`/readyz` "
                 f"{kill.get('readyz_after')}. Errors: "
                 + ("; ".join(f"{e['Occurrences']}× {e['Error'][:90]}" for e in kill["errors"]) or "none")
                 + ".")
    lines += ["- **LLM endpoint faults** (composer llm, llm.timeout_s 5 s, a fake endpoint on "
              "loopback): each question's status, seconds to the article, and the composer that "
              "answered:", "", "| LLM | question | status | seconds | composer | fallback reason |",
              "|---|---|---:|---:|---|---|"]
    for mode, rows in data["llm"].items():
        for r in rows:
            lines.append(f"| {mode} | {r['question']} | {r['status']} | {r['seconds']} | "
                         f"{r['composer']} | {r['fallback_reason'][:100]} |")
    lines += ["", "- A killed worker's generation job is taken again by another worker: "
              "`tests/web/test_workers.py::test_a_killed_workers_job_is_finished_by_the_other` "
              "(PostgreSQL, two real workers).", ""]


def main() -> None:
    lines = [TITLE, "",
             "Scripts: `bench/quality_milvus.py`, `bench/load.py` (+ `bench/locustfile.py`), "
             "`bench/faults.py`; this section is written by `python bench/report_scale.py`.", ""]
    milvus(lines)
    load_section(lines)
    faults_section(lines)
    rewrite_section(DOC, lines[0], "\n".join(lines))

if __name__ == "__main__":
    main()
