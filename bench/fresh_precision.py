"""On-topic precision on questions the rules were never tuned on: NFCorpus's question titles.

    python bench/fresh_precision.py answer   # answer them (patient audience, starter pack) → results
    python bench/fresh_precision.py score    # precision over bench/data/ontopic_labels_nfcorpus.jsonl

The K-QA labels (bench/ontopic_precision.py) score answers to the very questions the word rules
were tuned on. NutritionFacts.org video titles in BEIR NFCorpus (``../shared/data/nfcorpus/
queries.jsonl``; academic use, not redistributed — only the questions are read here) include 366
lay questions ending in "?" ("Is Coffee Bad For You?", "Which foods have the most potassium?"). Their
answers were labelled by hand once, as the rules stood before anything was changed for them (round
``nf1``): that is the fresh figure. Statements that later rule changes bring in are labelled in
later rounds (``nf2`` …), which are no longer fresh. Run by hand, never by pytest.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEFAULT_WORK, RESULTS, ROOT, SHARED, limit_threads, machine, write_result

LABELS = ROOT / "bench" / "data" / "ontopic_labels_nfcorpus.jsonl"
RESULT = RESULTS / "nfcorpus_answers.json"


def questions() -> list[str]:
    rows = (json.loads(line) for line in (SHARED / "nfcorpus" / "queries.jsonl").read_text().splitlines())
    return [row["text"] for row in rows if row["text"].strip().endswith("?")]


def answer(work: Path) -> None:
    limit_threads(2)
    os.environ.setdefault("CURBSIDE_DATA_DIR", str(work))
    from curbside.answer.service import AnswerService
    from curbside.kb.packs import ensure_starter_pack
    from curbside.settings import Settings

    service = AnswerService(Settings())
    ensure_starter_pack(service.kb)
    answers, kinds = [], {}
    for question in questions():
        reply = service.ask(question, audience="patient")
        kind = reply.abstain_kind.value if reply.abstained else "answered"
        kinds[kind] = kinds.get(kind, 0) + 1
        if not reply.abstained:
            answers.append({"question": question, "statements": [
                {"section": None, "text": reply.bottom_line.text},
                *({"section": s.heading, "text": i.text} for s in reply.sections for i in s.items)]})
    write_result("nfcorpus_answers", {"questions": len(questions()), "outcomes": kinds, "answers": answers}, machine())


def score() -> dict[str, Any]:
    labels = {(r["question"], r["statement"]): r for r in map(json.loads, LABELS.read_text().splitlines())}
    result = json.loads(RESULT.read_text())
    now: dict[str, list[int]] = {}
    unlabelled = []
    for entry in result["answers"]:
        for statement in entry["statements"]:
            label = labels.get((entry["question"], statement["text"]))
            if label is None:
                unlabelled.append((entry["question"], statement["text"]))
                continue
            tally = now.setdefault(str(label["round"]), [0, 0])
            tally[0] += bool(label["on_topic"])
            tally[1] += 1
    fresh = [r for r in labels.values() if r["round"] == "nf1"]
    out = {"questions": result["questions"], "outcomes": result["outcomes"], "answered": len(result["answers"]),
           "fresh_round_nf1": [sum(r["on_topic"] for r in fresh), len(fresh)],
           "this_run_by_round": now, "unlabelled": unlabelled}
    print(json.dumps(out, indent=2))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("step", choices=["answer", "score"])
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK / "fresh")
    args = parser.parse_args()
    if args.step == "answer":
        answer(args.work)
    score()


if __name__ == "__main__":
    main()
