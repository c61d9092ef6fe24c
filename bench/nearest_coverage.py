"""Must-have coverage beside the same run's top-1 passage, for each ``answer.nearest`` mode (issue 22).

    python bench/nearest_coverage.py --medlfqa DIR [--modes off,on_subject,any]

``DIR`` holds MedLFQA's ``live_qa_test_MedLFQA.jsonl`` and ``medication_qa_test_MedLFQA.jsonl`` (dmis-lab/OLAPH,
``MedLFQA/``: TREC 2017 LiveQA medical test questions and MedicationQA consumer questions, each with "Must_have"
statements; no licence file, so nothing of them is committed). The K-QA dev set (``../shared/data/kqa-dev``, MIT) is
asked too. The sets:

- **K-QA dev** (60): tuned on for years; where the nearest statements' thresholds were chosen.
- **LiveQA** (100, every question of the file): its questions were read once before (eleventh session, on-topic
  labels), its must-have statements first here; the thresholds were chosen on it too.
- **MedicationQA A** (150 drawn with seed 7): its base-mode figures were read once, before the nearest statements
  existed; the thresholds were *not* chosen on it, but a first version of them was looked at on it.
- **MedicationQA B** (150 drawn with seed 8 from the rest): read first with the code before this change (its first
  read, in docs/benchmarks.md), then once with each mode; never tuned on.
- **MedicationQA C** (every other question of the file, drawn after A and B): read first in the twenty-eighth session
  with the code of c4ee3dc, before any change for it; never tuned on.

For each mode a subprocess (this tree, ``CURBSIDE_ANSWER__NEAREST`` set) answers every question from the starter
pack, audience patient; ``curbside.eval.answers`` scores coverage at cosine 0.6 over all questions (an abstention
covers nothing), the top-1 retrieved passage shown as is, and the answered questions against the top passages cut
to each answer's length. Writes bench/results/nearest_coverage.json and the "### Nearest statements" section of
docs/benchmarks.md. Run by hand, never by pytest.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEFAULT_WORK, ROOT, SHARED, limit_threads, machine, rewrite_section, write_result
from kqa_answers import read_answers, run_revision, score

limit_threads(2)

from curbside.eval.answers import QAItem, load_qa  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "### Nearest statements: coverage beside the top-1 passage, by mode (issue 22)"
MARKER = "<!-- end of bench/nearest_coverage.py figures -->"
SAMPLE = 150
KEYS = (("answered share", "answered_share"), ("coverage, all questions", "coverage"),
        ("top-1 passage as is, all questions", "top1_coverage"), ("coverage, answered", "coverage_answered"),
        ("top passages cut to the answer's length, answered", "baseline_coverage_answered"),
        ("coverage ÷ that baseline", "coverage_ratio"), ("words per answer", "mean_words"),
        ("dangling lead-ins", "dangling_leadins"), ("empty bottom lines", "empty_bottom_lines"),
        ("latency p50 ms", "latency_p50_ms"), ("latency p95 ms", "latency_p95_ms"))


def _items(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"question": r["Question"].strip(), "must_have": r["Must_have"]} for r in rows]


def question_sets(medlfqa: Path, work: Path, names: set[str] | None = None) -> dict[str, Path]:
    """The question files (QA format of curbside.eval.answers), written to ``work``; all sets or those ``names``."""
    live = [json.loads(line) for line in (medlfqa / "live_qa_test_MedLFQA.jsonl").read_text().splitlines() if line]
    meds = [json.loads(line) for line in (medlfqa / "medication_qa_test_MedLFQA.jsonl").read_text().splitlines() if line]
    first = meds[:]
    random.Random(7).shuffle(first)
    seen = {r["Question"].strip() for r in first[:SAMPLE]}
    rest = [r for r in meds if r["Question"].strip() not in seen]
    random.Random(8).shuffle(rest)
    sets = {"kqa-dev": None, "liveqa": _items(live), "medicationqa-a": _items(first[:SAMPLE]),
            "medicationqa-b": _items(rest[:SAMPLE]), "medicationqa-c": _items(rest[SAMPLE:])}
    out: dict[str, Path] = {}
    for name, items in sets.items():
        if names is not None and name not in names:
            continue
        if items is None:
            out[name] = SHARED / "kqa-dev" / "kqa_dev.jsonl"
            continue
        path = work / f"{name}.jsonl"
        path.write_text("".join(json.dumps(item) + "\n" for item in items))
        out[name] = path
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--medlfqa", type=Path, required=True, help="Folder with MedLFQA's LiveQA and MedicationQA files.")
    parser.add_argument("--modes", default="off,on_subject,any")
    parser.add_argument("--sets", default="", help="Comma-separated set names (default: every set).")
    parser.add_argument("--label", default="", help="A run's own section of docs/benchmarks.md (with --sets: a first "
                        "read kept beside the table of every set).")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK / "nearest")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    info = machine()
    files = question_sets(args.medlfqa, args.work, set(args.sets.split(",")) if args.sets else None)
    items: dict[str, list[QAItem]] = {name: load_qa(path) for name, path in files.items()}
    result: dict[str, Any] = {"sets": {name: len(v) for name, v in items.items()}, "modes": {}}
    for mode in args.modes.split(","):
        os.environ["CURBSIDE_ANSWER__NEAREST"] = mode
        print(f"mode {mode}", flush=True)
        outs = run_revision(ROOT / "src", args.work / "data", {f"{mode}-{n}": p for n, p in files.items()}, "patient",
                            args.work)
        result["modes"][mode] = {name: score(items[name], read_answers(outs[f"{mode}-{name}"]), 0.6)["overall"]
                                 for name in files}
    os.environ.pop("CURBSIDE_ANSWER__NEAREST", None)
    heading = f"{SECTION}: {args.label}" if args.label else SECTION
    marker = f"<!-- end of bench/nearest_coverage.py figures: {args.label} -->" if args.label else MARKER
    write_result("nearest_coverage" + (f"_{re.sub(r'[^A-Za-z0-9]+', '-', args.label)}" if args.label else ""), result, info)
    rewrite_section(DOC, heading, render(result, info, heading, args.sets), marker=marker)


def _f(value: Any) -> str:
    if value is None:
        return "–"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def render(result: dict[str, Any], info: dict[str, Any], heading: str = SECTION, sets: str = "") -> str:
    modes = list(result["modes"])
    only = f" --sets {sets}" if sets else ""
    lines = [heading, "", f"Command: `python bench/nearest_coverage.py --medlfqa DIR --modes {','.join(modes)}{only}`; audience "
             f"patient, starter pack. Machine: {info['nproc']} CPUs ({info['cpu']}), {info['ram_gb']} GB RAM. Every mode "
             "in the same run; coverage at cosine 0.6 (all-MiniLM-L6-v2) of the must-have statements.", ""]
    for name, count in result["sets"].items():
        lines += [f"**{name}** ({count} questions)", "", "| measure | " + " | ".join(modes) + " |",
                  "| --- |" + " ---: |" * len(modes)]
        for label, key in KEYS:
            lines.append(f"| {label} | " + " | ".join(_f(result["modes"][m][name].get(key)) for m in modes) + " |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
