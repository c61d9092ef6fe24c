"""Load on `curbside serve --workers N` over PostgreSQL, driven by locust from a second process.

    python bench/load.py [--workers 2] [--readers 50] [--askers 20] [--seconds 30]

Loopback only, bounded in users and time. The knowledge base is the bundled starter pack
(33,927 passages) in a PostgreSQL database of its own (``curbside_bench_load`` on the shared
server, kept between runs; the embedded indexes under --work). One article ("What are
gallstones?") is asked and approved, then:

1. ``readers``: --readers users GET its page in a closed loop (no think time);
2. ``thinking readers``: the same users with 1–2 s between pages;
3. ``revalidation``: the same users sending the page's ETag (304s);
4. ``askers, default limit``: --askers users asking new questions (MedQuAD question headings of
   the starter pack, so each is a new article) at the default 20 questions/min per client —
   every locust user shares the loopback address, so most get 429 with Retry-After;
5. ``askers, queue only``: the same with the per-client limit lifted (10000/min): the
   generation queue (jobs.max_running, jobs.max_queued) is the only bound.

Results: bench/results/load.json (p50/p95/p99, requests/s, failures, 5xx, 429s, worker memory),
then bench/report_scale.py writes them into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import gzip
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import RESULTS, ROOT, machine, write_result

PG_ADMIN = os.environ.get("CURBSIDE_TEST_POSTGRES_URL",
                          "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
QUESTION = "What are gallstones?"
REVIEWER = ("bench-reviewer", "bench reviewer password")


def ensure_database(name: str) -> str:
    import psycopg

    admin = PG_ADMIN.replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def reset_state(url: str) -> None:
    """Articles, jobs and counters of earlier runs go; the knowledge base stays."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        for table in ("generation_job_events", "generation_jobs", "rate_limits",
                      "article_review_events", "article_versions", "articles"):
            conn.execute(text(f"DELETE FROM {table}"))
    engine.dispose()


def questions(limit: int = 400) -> list[str]:
    """Question headings of the starter pack's MedQuAD pages (each a different article)."""
    pack = ROOT / "src" / "curbside" / "packs" / "starter" / "documents.jsonl.gz"
    found: list[str] = []
    with gzip.open(pack, "rt", encoding="utf-8") as fh:
        for line in fh:
            for passage in json.loads(line)["passages"]:
                for heading in passage.get("headings", []):
                    if heading.endswith("?") and heading not in found and heading != QUESTION:
                        found.append(heading)
            if len(found) >= limit:
                return found
    return found


def worker_rss_mb(data_dir: Path) -> list[float]:
    """Resident memory of every process serving this data directory."""
    out = []
    marker = f"CURBSIDE_DATA_DIR={data_dir}".encode()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if marker not in (proc / "environ").read_bytes().split(b"\0"):
                continue
            status = (proc / "status").read_text()
        except OSError:
            continue
        rss = next((int(x.split()[1]) for x in status.splitlines() if x.startswith("VmRSS:")), 0)
        out.append(round(rss / 1024, 1))
    return sorted(out)


def locust(base: str, users: list[str], count: int, seconds: int, prefix: Path,
           env: dict[str, str]) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
           "--headless", "-u", str(count), "-r", str(count), "-t", f"{seconds}s", "--host", base,
           "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "10",
           *users]
    started = time.time()
    subprocess.run(cmd, env={**os.environ, **env}, check=False, capture_output=True, text=True,
                   timeout=seconds + 120)
    rows = list(csv.DictReader(Path(f"{prefix}_stats.csv").read_text(encoding="utf-8").splitlines()))
    failures = list(csv.DictReader(Path(f"{prefix}_failures.csv").read_text(encoding="utf-8").splitlines()))
    stats: dict[str, Any] = {}
    for row in rows:
        if row["Name"] == "Aggregated":
            continue
        stats[f"{row['Type']} {row['Name']}"] = {
            "requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
            "p50_ms": float(row["50%"] or 0), "p95_ms": float(row["95%"] or 0),
            "p99_ms": float(row["99%"] or 0), "rps": round(float(row["Requests/s"]), 1)}
    server_errors = sum(int(f["Occurrences"]) for f in failures
                        if any(f" {code}" in f["Error"] or f"status {code}" in f["Error"]
                               for code in range(500, 600)))
    return {"users": count, "seconds": seconds, "wall_s": round(time.time() - started, 1),
            "stats": stats, "failures": [{k: f[k] for k in ("Name", "Error", "Occurrences")}
                                         for f in failures],
            "server_errors_5xx": server_errors}


def prepare_article(base: str, url: str) -> str:
    import httpx

    from curbside.accounts.models import Role
    from curbside.accounts.users import UserService
    from curbside.errors import CurbsideError
    from curbside.settings import Settings

    users = UserService(Settings(database_url=url, starter_pack=False))
    with contextlib.suppress(CurbsideError):  # kept from an earlier run
        users.add(REVIEWER[0], REVIEWER[1], role=Role.REVIEWER, display_name="Bench Reviewer")
    with httpx.Client(base_url=base, timeout=120) as client:
        asked = client.post("/api/v1/ask", json={"question": QUESTION})
        if asked.status_code != 200:
            raise SystemExit(f"asking the bench question failed: {asked.status_code} {asked.text}")
        article = asked.json()
        login = client.post("/api/v1/login", json={"username": REVIEWER[0], "password": REVIEWER[1]})
        client.headers["X-CSRF-Token"] = login.json()["csrf_token"]
        lock = article["latest"]["lock_version"]
        for action in ("start_review", "approve"):
            moved = client.post(f"/api/v1/articles/{article['slug']}/versions/"
                                f"{article['latest']['id']}/transitions",
                                json={"action": action, "lock_version": lock})
            moved.raise_for_status()
            lock = moved.json()["lock_version"]
    return str(article["url"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--askers", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--work", type=Path, default=Path("/tmp/curbside-bench-load"))
    parser.add_argument("--only", nargs="*", default=None,
                        help="Run only these scenarios (e.g. readers) and merge them into the "
                             "existing bench/results/load.json.")
    args = parser.parse_args()
    info = machine()
    from tests.web.workers import serving

    from curbside.kb.packs import ensure_starter_pack
    from curbside.kb.service import KnowledgeBase
    from curbside.settings import Settings

    url = ensure_database("curbside_bench_load")
    data = args.work / "data"
    started = time.perf_counter()
    kb = KnowledgeBase(Settings(data_dir=data, database_url=url, starter_pack=True))
    ensure_starter_pack(kb)
    kb.refresh()
    install_s = round(time.perf_counter() - started, 1)
    passages = kb.store.max_passage_pk()
    del kb
    reset_state(url)
    qfile = args.work / "questions.txt"
    qfile.write_text("\n".join(questions()) + "\n", encoding="utf-8")
    csv_dir = args.work / "csv"
    csv_dir.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"workers": args.workers, "passages": passages,
                               "starter_pack_install_s": install_s, "scenarios": {}}
    previous = RESULTS / "load.json"
    if args.only and previous.exists():
        kept = json.loads(previous.read_text(encoding="utf-8"))
        results["scenarios"] = {k: v for k, v in kept["scenarios"].items() if k not in args.only}
        results["earlier_run"] = {"command": kept["command"], "finished_at": kept["finished_at"],
                                  "machine": kept["machine"]}
    limits = {"default": "20", "lifted": "10000"}
    for limit_name, per_minute in limits.items():
        env = {"CURBSIDE_STARTER_PACK": "true", "CURBSIDE_WEB__ASK_RATE_PER_MINUTE": per_minute}
        with serving(data, url, workers=args.workers, **env) as base:
            article = results.get("article") or prepare_article(base, url)
            results["article"] = article
            results["worker_rss_mb_idle"] = worker_rss_mb(data)
            locust_env = {"CURBSIDE_BENCH_ARTICLE": article, "CURBSIDE_BENCH_QUESTIONS": str(qfile)}
            plan = [("readers", ["Reader"], args.readers),
                    ("thinking readers", ["ThinkingReader"], args.readers),
                    ("revalidation", ["Revalidator"], args.readers),
                    ("askers, default limit", ["Asker"], args.askers)] \
                if limit_name == "default" else [("askers, queue only", ["Asker"], args.askers)]
            plan = [p for p in plan if args.only is None or p[0] in args.only]
            if not plan:
                continue
            for name, users, count in plan:
                load = os.getloadavg()
                outcome = locust(base, users, count, args.seconds * (2 if "queue" in name else 1),
                                 csv_dir / name.replace(" ", "_").replace(",", ""), locust_env)
                outcome["load_avg_before"] = [round(x, 2) for x in load]
                outcome["ran_at"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
                outcome["worker_rss_mb_after"] = worker_rss_mb(data)
                results["scenarios"][name] = outcome
                print(name, json.dumps({k: {m: v[m] for m in ("requests", "failures", "p50_ms", "p95_ms", "rps")}
                                        for k, v in outcome["stats"].items()}), flush=True)
    write_result("load", results, info)


if __name__ == "__main__":
    main()
