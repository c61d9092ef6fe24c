"""Fresh install to first search: an empty data directory to the first hit from the starter pack.

    python bench/fresh_install.py [--runs 1] [--query "..."]

A new Python process is started on an empty data directory; it installs the bundled starter pack
(curbside.kb.packs.ensure_starter_pack: checksums, SQL store, precomputed vectors, both indexes),
loads the embedding model and runs KnowledgeBase.search. The model cache is empty too, so the
one-time conversion of the packaged model for OpenVINO (a subprocess, checked against PyTorch) is
included. The wall time covers everything from process start (interpreter start-up and imports
included) to the first result. A second process on the same, now installed, data directory and
model cache is the baseline (start-up + model load + search).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine, write_result

CHILD = """
import json, resource, time
t0 = time.perf_counter()
from curbside.kb.packs import ensure_starter_pack, read_manifest, starter_pack_dir
from curbside.kb.service import KnowledgeBase
from curbside.settings import load_settings
t1 = time.perf_counter()
kb = KnowledgeBase(load_settings())
installed = ensure_starter_pack(kb)
t2 = time.perf_counter()
hits = kb.search(QUERY)
t3 = time.perf_counter()
manifest = read_manifest(starter_pack_dir())
print(json.dumps({"imports_s": t1 - t0, "install_s": t2 - t1, "first_search_s": t3 - t2,
                  "installed": installed, "hits": len(hits),
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "top": hits[0].source.title if hits else None,
                  "pack": {"version": manifest["version"], "sources": manifest["sources"],
                           "passages": manifest["passages"]}}))
"""


def run_once(data_dir: Path, query: str) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CURBSIDE_")}
    env.update({"CURBSIDE_DATA_DIR": str(data_dir), "CURBSIDE_STARTER_PACK": "true",
                "CURBSIDE_EMBEDDING__CACHE_DIR": str(data_dir.parent / "models")})
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", CHILD.replace("QUERY", repr(query))], env=env,
                          check=True, stdout=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    data: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    data = {k: round(v, 2) if isinstance(v, float) else v for k, v in data.items()}
    data["wall_s"] = round(wall, 2)
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1, help="Fresh installs to time.")
    parser.add_argument("--query", default="What treatments lower high blood pressure?")
    args = parser.parse_args()
    from curbside.kb.packs import starter_pack_dir

    if not (starter_pack_dir() / "manifest.json").exists():
        sys.exit(f"no starter pack at {starter_pack_dir()}: build it with scripts/build_starter_pack.py")
    info = machine()
    fresh = []
    warm = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="curbside-fresh-") as tmp:
            data_dir = Path(tmp) / "data"
            fresh.append(run_once(data_dir, args.query))
            print("fresh", json.dumps(fresh[-1]), flush=True)
            warm.append(run_once(data_dir, args.query))
            print("installed", json.dumps(warm[-1]), flush=True)
    write_result("fresh_install", {"query": args.query, "fresh": fresh, "already_installed": warm}, info)


if __name__ == "__main__":
    main()
