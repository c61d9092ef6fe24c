"""Run every retrieval benchmark, then rewrite the Retrieval section of docs/benchmarks.md.

    python bench/run_all.py [--skip-latency] [--sizes 100000 1000000]

The 1M-passage latency build takes tens of minutes on two cores (the indexes are cached under the
work directory, so a second run only measures).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(script: str, *args: str) -> None:
    print(f"== {script} {' '.join(args)}", flush=True)
    subprocess.run([sys.executable, str(HERE / script), *args], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-latency", action="store_true")
    parser.add_argument("--sizes", nargs="+", default=["100000", "1000000"])
    args = parser.parse_args()
    run("quality.py", "--scifact")
    run("tune_retrieval.py")
    run("ingest.py")
    run("embed_speed.py")
    if not args.skip_latency:
        run("latency.py", "--sizes", *args.sizes)
        for size in args.sizes:
            run("hnsw_sweep.py", "--size", size)
    run("fresh_install.py")
    run("report.py")


if __name__ == "__main__":
    main()
