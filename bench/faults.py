"""Faults under load on `curbside serve --workers 2` (loopback only, bounded):

    python bench/faults.py [--work /tmp/curbside-bench-faults]

1. **PostgreSQL restarted** under 20 closed-loop readers: a private PostgreSQL (initdb into
   --work, port 55432, run as the ``postgres`` user — the shared server is never touched) is
   restarted (``pg_ctl restart -m fast``) 10 s into a 40 s run; locust's per-second history
   shows the errors while it is down and none once it is back (pool pre-ping reconnects).
2. **The LLM endpoint down, slow or returning garbage** (composer = llm; a fake endpoint on
   loopback): three new questions each; every one must be answered by the extractive fallback
   within llm.timeout_s (5 s here) plus the extractive time, never a 5xx.
3. **kill -9 of one worker** 10 s into a 30 s run of 20 closed-loop readers: the other worker
   keeps serving (uvicorn starts a new one); failures are the requests in flight on the killed one.

The queue's side of a killed worker (its job taken again) is a test:
tests/web/test_workers.py::test_a_killed_workers_job_is_finished_by_the_other.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import ROOT, machine, write_result

PORT = 55432


def as_postgres(*cmd: str) -> None:
    subprocess.run(["su", "postgres", "-c", " ".join(cmd)], check=True, capture_output=True,
                   timeout=120)


def private_postgres(work: Path) -> str:
    pgdata = work / "pgdata"
    if pgdata.exists():
        shutil.rmtree(pgdata)
    work.mkdir(parents=True, exist_ok=True)
    shutil.chown(work, "postgres")
    as_postgres("initdb", "-D", str(pgdata), "-A", "trust", "-U", "postgres")
    as_postgres("pg_ctl", "-D", str(pgdata), "-o", f"'-p {PORT} -k /tmp'", "-l",
                str(work / "pg.log"), "-w", "start")
    as_postgres("createdb", "-h", "127.0.0.1", "-p", str(PORT), "curbside")
    return f"postgresql+psycopg://postgres@127.0.0.1:{PORT}/curbside"


def restart_postgres(work: Path) -> float:
    started = time.perf_counter()
    as_postgres("pg_ctl", "-D", str(work / "pgdata"), "-o", f"'-p {PORT} -k /tmp'", "-l",
                str(work / "pg.log"), "-m", "fast", "-w", "restart")
    return round(time.perf_counter() - started, 2)


def stop_postgres(work: Path) -> None:
    as_postgres("pg_ctl", "-D", str(work / "pgdata"), "-m", "fast", "-w", "stop")


def locust_history(base: str, users: int, seconds: int, prefix: Path, article: str,
                   during: Any = None, at_s: float = 10.0) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
           "--headless", "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--host", base,
           "--csv", str(prefix), "--csv-full-history", "--only-summary", "--loglevel", "ERROR",
           "Reader"]
    process = subprocess.Popen(cmd, env={**os.environ, "CURBSIDE_BENCH_ARTICLE": article},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t0 = time.time()
    fault: dict[str, Any] = {}
    if during is not None:
        time.sleep(at_s)
        fault_at = time.time()
        fault["result"] = during()
        fault["at_s"] = round(fault_at - t0, 1)
    process.wait(timeout=seconds + 120)
    history = list(csv.DictReader(Path(f"{prefix}_stats_history.csv").read_text(encoding="utf-8").splitlines()))
    rows = [r for r in history if r["Name"] == "Aggregated"]
    series = []
    last = (0, 0)
    for row in rows:
        requests, failures = int(row["Total Request Count"]), int(row["Total Failure Count"])
        series.append({"t": int(row["Timestamp"]) - int(rows[0]["Timestamp"]),
                       "requests": requests - last[0], "failures": failures - last[1]})
        last = (requests, failures)
    failures = list(csv.DictReader(Path(f"{prefix}_failures.csv").read_text(encoding="utf-8").splitlines()))
    stats = next(r for r in csv.DictReader(Path(f"{prefix}_stats.csv").read_text(encoding="utf-8").splitlines())
                 if r["Name"] == "Aggregated")
    failed_seconds = [s["t"] for s in series if s["failures"]]
    return {"users": users, "seconds": seconds, "fault": fault,
            "requests": int(stats["Request Count"]), "failures": int(stats["Failure Count"]),
            "p50_ms": float(stats["50%"]), "p95_ms": float(stats["95%"]),
            "seconds_with_failures": failed_seconds,
            "failures_after_last_failed_second": 0,
            "last_second_with_failures": max(failed_seconds) if failed_seconds else None,
            "series_end": series[-1]["t"] if series else 0,
            "errors": [{k: f[k] for k in ("Error", "Occurrences")} for f in failures][:8]}


def serving_pids(data: Path) -> list[int]:
    marker = f"CURBSIDE_DATA_DIR={data}".encode()
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if marker in (proc / "environ").read_bytes().split(b"\0"):
                    pids.append(int(proc.name))
            except OSError:
                continue
    return sorted(pids)


def worker_pids(data: Path) -> list[int]:
    """The uvicorn worker processes (multiprocessing children running the app), not the
    supervisor nor multiprocessing's resource tracker."""
    out = []
    for pid in serving_pids(data):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if "spawn_main" in cmdline and "resource_tracker" not in cmdline:
            out.append(pid)
    return out


def ask_all(base: str, qs: list[str]) -> list[dict[str, Any]]:
    import httpx

    out = []
    for question in qs:
        started = time.perf_counter()
        response = httpx.post(base + "/api/v1/ask", json={"question": question}, timeout=120)
        seconds = round(time.perf_counter() - started, 2)
        body = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
        provenance = (body.get("version") or {}).get("answer", {}).get("provenance", {})
        out.append({"question": question, "status": response.status_code, "seconds": seconds,
                    "composer": provenance.get("composer"),
                    "fallback_reason": (provenance.get("fallback_reason") or "")[:160]})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, default=Path("/tmp/curbside-bench-faults"))
    args = parser.parse_args()
    info = machine()
    from tests.web.fake_llm import fake_llm
    from tests.web.workers import free_port, serving

    from curbside.ingest.registry import read_paths
    from curbside.kb.service import KnowledgeBase
    from curbside.settings import Settings

    work = args.work
    url = private_postgres(work)
    results: dict[str, Any] = {"postgres": f"private, port {PORT}"}
    try:
        data = work / "data"
        kb = KnowledgeBase(Settings(data_dir=data, database_url=url, starter_pack=False))
        kb.ingest(read_paths([ROOT / "tests" / "fixtures" / "web" / "medquad"]))
        del kb
        csv_dir = work / "csv"
        csv_dir.mkdir(exist_ok=True)
        with serving(data, url, workers=2) as base:
            import httpx

            article = httpx.post(base + "/api/v1/ask", json={"question": "What are gallstones?"},
                                 timeout=120).json()["url"]
            results["postgres_restart"] = locust_history(
                base, 20, 40, csv_dir / "pg", article, lambda: restart_postgres(work))
            ready = httpx.get(base + "/readyz", timeout=10)
            results["postgres_restart"]["readyz_after"] = ready.status_code

            def kill_one() -> dict[str, Any]:
                before = worker_pids(data)
                victim = before[-1]
                os.kill(victim, signal.SIGKILL)
                return {"killed": victim, "workers_before": len(before)}

            results["kill_worker"] = locust_history(base, 20, 30, csv_dir / "kill", article,
                                                    kill_one)
            time.sleep(3)
            results["kill_worker"]["workers_after"] = len(worker_pids(data))
            results["kill_worker"]["readyz_after"] = httpx.get(base + "/readyz", timeout=10).status_code

        llm_questions = {"down": ["What causes gallstones?", "How is hemochromatosis treated?",
                                  "Which symptoms do kidney stones cause?"],
                         "slow": ["How are gallstones diagnosed?", "What causes hemochromatosis?",
                                  "What treatments help kidney stones?"],
                         "garbage": ["How are gallstones treated?",
                                     "What are the symptoms of hemochromatosis?",
                                     "Why do kidney stones form?"]}
        results["llm"] = {}
        for mode, qs in llm_questions.items():
            env = {"CURBSIDE_ANSWER__COMPOSER": "llm", "CURBSIDE_LLM__MODEL": "fake",
                   "CURBSIDE_LLM__TIMEOUT_S": "5"}
            if mode == "down":
                env["CURBSIDE_LLM__BASE_URL"] = f"http://127.0.0.1:{free_port()}/v1"
                with serving(data, url, workers=2, **env) as base:
                    results["llm"][mode] = ask_all(base, qs)
                continue
            with fake_llm("garbage", delay_s=30.0 if mode == "slow" else 0.0) as llm:
                env["CURBSIDE_LLM__BASE_URL"] = llm
                with serving(data, url, workers=2, **env) as base:
                    results["llm"][mode] = ask_all(base, qs)
    finally:
        stop_postgres(work)
    write_result("faults", results, info)
    print({k: v for k, v in results.items() if k != "llm"})
    for mode, rows in results["llm"].items():
        print(mode, [(r["status"], r["seconds"], r["composer"]) for r in rows])


if __name__ == "__main__":
    main()
