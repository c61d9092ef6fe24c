"""50 concurrent readers of one article on `curbside serve --workers 2` over PostgreSQL, from a fresh
database, driven by ApacheBench (a load generator outside Python), with `ask` at a sustainable rate.

    python bench/load_ab.py [--workers 2] [--requests 2000] [--concurrency 50] [--ask-every 6]
                            [--pack DIR]

1. A new PostgreSQL database (``curbside_bench_ab``, dropped first when it exists) on the server of
   ``CURBSIDE_TEST_POSTGRES_URL`` and an empty data directory; ``curbside serve --workers N`` is
   started on them with the starter pack on (``--pack``: a pack directory, else the bundled one),
   so the first start (migrations, pack install, index build, under the start-up lock) is part of
   the run and timed until /readyz answers 200.
2. One article ("What are gallstones?") is asked and approved through the API.
3. Baseline: the page alone, ``ab -n 200 -c 1``.
4. Readers: ``ab -n 2000 -c 50`` on the page.
5. Readers and asks: the same while a client asks a new question (MedQuAD question headings of the
   starter pack) every ``--ask-every`` seconds, within the default per-client limit.

Needs ApacheBench (Debian: ``apt-get install apache2-utils``). Results: bench/results/load_ab.json
and the "Readers from a fresh database (ApacheBench)" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import ROOT, command, machine, percentile, rewrite_section, write_result
from load import PG_ADMIN, QUESTION, questions

DATABASE = "curbside_bench_ab"
HEADING = "## Readers from a fresh database (ApacheBench)"
MARKER = "<!-- end of bench/load_ab.py figures -->"


def fresh_database(name: str) -> str:
    """Drop ``name`` if it exists and create it empty; its SQLAlchemy URL."""
    import psycopg

    admin = PG_ADMIN.replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def drop_database(name: str) -> None:
    import psycopg

    admin = PG_ADMIN.replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def approved_article(base: str, url: str) -> tuple[str, float]:
    """Ask the bench question, approve its article; its URL and how long the ask took (s)."""
    import httpx

    from curbside.accounts.models import Role
    from curbside.accounts.users import UserService
    from curbside.settings import Settings

    password = secrets.token_urlsafe(18)
    UserService(Settings(database_url=url, starter_pack=False)).add(
        "bench-reviewer", password, role=Role.REVIEWER, display_name="Bench Reviewer")
    with httpx.Client(base_url=base, timeout=300) as client:
        started = time.perf_counter()
        asked = client.post("/api/v1/ask", json={"question": QUESTION})
        ask_s = time.perf_counter() - started
        if asked.status_code != 200:
            raise SystemExit(f"asking the bench question failed: {asked.status_code} {asked.text}")
        article = asked.json()
        login = client.post("/api/v1/login", json={"username": "bench-reviewer", "password": password})
        login.raise_for_status()
        client.headers["X-CSRF-Token"] = login.json()["csrf_token"]
        lock = article["latest"]["lock_version"]
        for action in ("start_review", "approve"):
            moved = client.post(f"/api/v1/articles/{article['slug']}/versions/{article['latest']['id']}/transitions",
                                json={"action": action, "lock_version": lock})
            moved.raise_for_status()
            lock = moved.json()["lock_version"]
    return str(article["url"]), ask_s


def ab(url: str, requests: int, concurrency: int, work: Path, name: str) -> dict[str, Any]:
    """Run ApacheBench; its percentiles (ms), requests/s and errors."""
    table = work / f"{name}.csv"
    cmd = ["ab", "-q", "-n", str(requests), "-c", str(concurrency), "-e", str(table), url]
    load = [round(x, 2) for x in os.getloadavg()]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=900)
    out = done.stdout
    if done.returncode != 0:
        raise SystemExit(f"ab failed ({done.returncode}): {done.stderr[-2000:]}")

    def number(label: str) -> float:
        found = re.search(rf"^{re.escape(label)}:\s+([\d.]+)", out, re.MULTILINE)
        return float(found.group(1)) if found else 0.0

    served = {int(float(p)): float(ms) for p, ms in
              (line.split(",") for line in table.read_text().splitlines()[1:])}
    return {"command": f"ab -n {requests} -c {concurrency} {url.split('/', 3)[0]}//…/{url.split('/', 3)[3]}",
            "load_avg_before": load,
            "requests": int(number("Complete requests")), "failed": int(number("Failed requests")),
            "non_2xx": int(number("Non-2xx responses")), "rps": number("Requests per second"),
            "p50_ms": served[50], "p95_ms": served[95], "p99_ms": served[99], "max_ms": served[100],
            "mean_ms": number("Time per request")}


class Asker(threading.Thread):
    """Asks a new question every ``every`` seconds until stopped; latency and status of each."""

    def __init__(self, base: str, asked: list[str], every: float) -> None:
        super().__init__(daemon=True)
        self.base, self.asked, self.every = base, asked, every
        self.results: list[tuple[int, float]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        import httpx

        with httpx.Client(base_url=self.base, timeout=300) as client:
            for question in self.asked:
                if self.stop.is_set():
                    return
                started = time.perf_counter()
                try:
                    status = client.post("/api/v1/ask", json={"question": question}).status_code
                except httpx.HTTPError:
                    status = 0
                elapsed = time.perf_counter() - started
                self.results.append((status, elapsed * 1000))
                if self.stop.wait(max(0.0, self.every - elapsed)):
                    return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--ask-every", type=float, default=6.0, help="seconds between two asks during the load")
    parser.add_argument("--pack", type=Path, default=None, help="a knowledge pack directory (default: the bundled starter pack)")
    parser.add_argument("--keep", action="store_true", help="keep the database and data directory")
    args = parser.parse_args()
    if shutil.which("ab") is None:
        raise SystemExit("ApacheBench is missing: apt-get install apache2-utils")
    info = machine()
    from tests.web.workers import serving

    from curbside.kb.packs import read_manifest, starter_pack_dir

    pack = args.pack or starter_pack_dir()
    manifest = read_manifest(pack)
    work = Path(tempfile.mkdtemp(prefix="curbside-bench-ab-"))
    data = work / "data"
    url = fresh_database(DATABASE)
    env = {"CURBSIDE_STARTER_PACK": "true"}
    if args.pack:
        env["CURBSIDE_STARTER_PACK_PATH"] = str(args.pack)
    results: dict[str, Any] = {"workers": args.workers, "database": f"fresh PostgreSQL database {DATABASE}",
                               "pack": {"name": manifest["name"], "version": manifest["version"],
                                        "passages": manifest["passages"], "path": str(pack.relative_to(ROOT))
                                        if pack.is_relative_to(ROOT) else str(pack)}}
    started = time.perf_counter()
    try:
        with serving(data, url, workers=args.workers, timeout_s=1800, **env) as base:
            results["first_start_s"] = round(time.perf_counter() - started, 1)
            print("ready after", results["first_start_s"], "s", flush=True)
            article, ask_s = approved_article(base, url)
            results["article"] = article
            results["first_ask_s"] = round(ask_s, 2)
            page = base + article
            results["baseline"] = ab(page, 200, 1, work, "baseline")
            print("baseline", results["baseline"], flush=True)
            results["readers"] = ab(page, args.requests, args.concurrency, work, "readers")
            print("readers", results["readers"], flush=True)
            asker = Asker(base, questions(200), args.ask_every)
            asker.start()
            results["load"] = ab(page, args.requests, args.concurrency, work, "load")
            asker.stop.set()
            asker.join(timeout=300)
            print("load", results["load"], flush=True)
            times = [ms for status, ms in asker.results if status == 200]
            results["asks_during_load"] = {
                "every_s": args.ask_every, "asked": len(asker.results),
                "status": {str(s): sum(1 for x, _ in asker.results if x == s) for s in sorted({x for x, _ in asker.results})},
                "p50_ms": round(percentile(times, 50), 1) if times else None,
                "max_ms": round(max(times), 1) if times else None}
            print("asks", results["asks_during_load"], flush=True)
            results["load_avg_after"] = [round(x, 2) for x in os.getloadavg()]
    finally:
        if not args.keep:
            drop_database(DATABASE)
            shutil.rmtree(work, ignore_errors=True)
    write_result("load_ab", results, info)
    write_section(results, info)


def write_section(results: dict[str, Any], info: dict[str, Any]) -> None:
    base, readers, load, asks = results["baseline"], results["readers"], results["load"], results["asks_during_load"]

    def met(run: dict[str, Any]) -> str:
        ok = run["p95_ms"] <= 100 and run["p99_ms"] <= 250 and run["failed"] == 0 and run["non_2xx"] == 0
        return "met" if ok else "not met"

    def row(label: str, run: dict[str, Any]) -> str:
        return (f"| {label} (`{run['command']}`) | {run['requests']} | {run['rps']:.0f} | {run['p50_ms']:.0f} "
                f"| {run['p95_ms']:.0f} | {run['p99_ms']:.0f} | {run['max_ms']:.0f} | {run['failed']} "
                f"| {run['non_2xx']} | {run['load_avg_before'][0]} |")

    pack = results["pack"]
    lines = [
        HEADING, "",
        f"`{command()}` (bench/load_ab.py), {time.strftime('%Y-%m-%d')}: `curbside serve --workers "
        f"{results['workers']}` on a {results['database']} created by the benchmark, the "
        f"`{pack['name']}` pack {pack['version']} ({pack['passages']:,} passages, `{pack['path']}`) installed "
        f"by the first start ({results['first_start_s']} s until /readyz answered 200; the first ask, "
        f"model warm-up included, {results['first_ask_s']} s). Machine: {info['nproc']} cores "
        f"({info['cpu']}), {info['ram_gb']} GB, shared with other work (the load average, 1 min, "
        f"before each run is in the table; {results['load_avg_after'][0]} after the last).", "",
        "| run | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | failed | non-2xx | load avg |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        row("one request alone", base), row("50 readers", readers), row("50 readers, asks meanwhile", load),
        "",
        f"During the last run one client asked a new question every {asks['every_s']:.0f} s: {asks['asked']} "
        f"asks, statuses {asks['status']}, p50 {asks['p50_ms']} ms, slowest {asks['max_ms']} ms. "
        f"Goal (p95 ≤ 100 ms, p99 ≤ 250 ms, no errors): readers alone {met(readers)}, with asks {met(load)}.",
    ]
    rewrite_section(ROOT / "docs" / "benchmarks.md", HEADING, "\n".join(lines), marker=MARKER)


if __name__ == "__main__":
    main()
