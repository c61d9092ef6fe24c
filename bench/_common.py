"""Shared helpers of the benchmark scripts: machine description, timing, results on disk.

The scripts are run by hand (never by pytest). Each writes ``bench/results/<name>.json``;
``bench/report.py`` turns those files into the Retrieval section of docs/benchmarks.md.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import re
import resource
import shlex
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SHARED = ROOT.parent / "shared" / "data"
DEFAULT_WORK = Path(os.environ.get("CURBSIDE_BENCH_WORK", "/tmp/curbside-bench"))


def machine() -> dict[str, Any]:
    """nproc, RAM, CPU model, load and the versions that matter for the figures."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    versions: dict[str, str] = {"python": platform.python_version()}
    for module in ("torch", "openvino", "tantivy", "usearch", "numpy", "sentence_transformers", "curbside"):
        try:
            mod = __import__(module)
            versions[module] = str(getattr(mod, "__version__", "?"))
        except ImportError:
            versions[module] = "missing"
    return {"nproc": os.cpu_count(), "ram_gb": round(mem_kb / 1024 / 1024, 1), "cpu": cpu,
            "load_avg_at_start": [round(x, 2) for x in os.getloadavg()],
            "platform": platform.platform(), "versions": versions}


def command() -> str:
    """The command line that produced a result (relative script path)."""
    script = Path(sys.argv[0])
    with contextlib.suppress(ValueError):
        script = script.resolve().relative_to(ROOT)
    return " ".join(["python", shlex.quote(str(script)), *map(shlex.quote, sys.argv[1:])])


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (ru_maxrss is KiB on Linux)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), linear interpolation between closest ranks."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def summary_ms(samples: list[float]) -> dict[str, float]:
    return {"p50_ms": round(percentile(samples, 50), 2), "p95_ms": round(percentile(samples, 95), 2),
            "mean_ms": round(statistics.fmean(samples), 2) if samples else float("nan"),
            "n": len(samples)}


class Timer:
    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.start


def write_result(name: str, data: dict[str, Any], machine_info: dict[str, Any] | None = None) -> Path:
    """Save one benchmark's result, stamped with the machine, command and time."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = {"benchmark": name, "command": command(), "machine": machine_info or machine(),
               "finished_at": time.strftime("%Y-%m-%d %H:%M:%S %Z"), **data}
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"wrote {path.relative_to(ROOT)}")
    return path


def limit_threads(threads: int = 1) -> None:
    """Keep numeric libraries to ``threads`` threads (the machine is shared)."""
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
        os.environ.setdefault(var, str(threads))
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def rewrite_section(doc: Path, heading: str, section: str, *, marker: str = "") -> None:
    """Put ``section`` in place of the ``heading`` section of ``doc`` (up to the next ``## ``), or
    append it. With ``marker`` (a line ending the generated part) only the text up to the marker is
    replaced: hand-written subsections after it stay."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n"
    block = section.rstrip() + "\n\n" + (marker + "\n" if marker else "")
    head = re.escape(heading)
    if marker and marker in text:
        text = re.sub(rf"^{head}\n.*?{re.escape(marker)}\n", lambda _: block, text, count=1, flags=re.S | re.M)
    else:
        pattern = re.compile(rf"^{head}\n.*?(?=^## (?!#)|\Z)", re.S | re.M)
        spaced = block if block.endswith("\n\n") else block + "\n"  # a blank line before the next section
        text = pattern.sub(lambda _: spaced, text, count=1) if pattern.search(text) else text.rstrip() + "\n\n" + block
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(text.rstrip() + "\n", encoding="utf-8")
    print(f"rewrote {heading!r} in {doc.name}")


def labelled_medicine_filter() -> Callable[..., bool]:
    """A test of a text: whether the first medicine it names (or, failing that, any it names) has a drug
    label of its own — not only a combination's — in the installed knowledge base (issue 23's measure is
    on questions naming those medicines). Reads the knowledge base once."""
    from curbside.kb.drugs import medicines_in
    from curbside.kb.service import KnowledgeBase
    from curbside.settings import Settings

    labelled = KnowledgeBase(Settings()).focus_index().labelled

    def names_one(*texts: str) -> bool:
        """The first of ``texts`` that names a medicine decides."""
        for text in texts:
            named = medicines_in(text)
            if named:
                return any(generic in labelled for _name, generic in named)
        return False

    return names_one
