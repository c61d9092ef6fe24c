"""On-topic precision and section fit of answer statements, from hand labels.

    python bench/ontopic_precision.py sample [--n 20]   # print the statements to label (from kqa_answers.json)
    python bench/ontopic_precision.py score             # precision over bench/data/ontopic_labels.jsonl

The sample is every answered K-QA dev question plus ``--n`` answered questions drawn (seed 7) from
the 1,001 without answers, as answered by `bench/kqa_answers.py` ("now" revision). Each statement
(bottom line and top-level section items) is labelled by hand in bench/data/ontopic_labels.jsonl:
``on_topic`` — it is about the question's subject *and* what the question asks; ``section_fits``
— its section heading fits what it says (null for the bottom line). Scoring matches labels to the
current results by (question, statement) and reports how many statements are labelled. Run by
hand, never by pytest.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT

RESULTS = ROOT / "bench" / "results" / "kqa_answers.json"
LABELS = ROOT / "bench" / "data" / "ontopic_labels.jsonl"


def sample(n: int) -> list[dict[str, Any]]:
    now = json.loads(RESULTS.read_text())["revisions"]["now"]
    dev = [a for a in now["dev_answers"] if not a["abstained"]]
    rest = [a for a in now.get("unanswered_answers", []) if not a["abstained"]]
    random.Random(7).shuffle(rest)
    out = []
    for which, answers in (("dev", dev), ("1,001", rest[:n])):
        for answer in answers:
            out.append({"question": answer["question"], "statement": answer["statements"][0], "section": None,
                        "set": which})
            for heading, items in answer["sections"]:
                out.extend({"question": answer["question"], "statement": text, "section": heading, "set": which}
                           for text in items)
    return out


def score(n: int) -> None:
    labels = {(row["question"], row["statement"]): row for row in map(json.loads, LABELS.read_text().splitlines())}
    items = sample(n)
    got = []
    for item in items:
        label = labels.get((item["question"], item["statement"]))
        if label is not None:
            # a section-fit label holds only for the section it was read under
            same = label.get("section") == item["section"]
            got.append({**label, "section_fits": label.get("section_fits") if same else None, "set": item["set"]})
    print(f"| statements in the sample | {len(items)} (from {len({i['question'] for i in items})} answers) |")
    print(f"| labelled | {len(got)} |")
    for which in ("dev", "1,001"):
        rows = [g for g in got if g["set"] == which]
        bottoms = [g for g in rows if g.get("section") is None]
        on = sum(1 for g in rows if g["on_topic"])
        print(f"| on topic, {which} answers | {on} of {len(rows)} = {on / max(1, len(rows)):.1%} "
              f"(bottom lines {sum(1 for g in bottoms if g['on_topic'])} of {len(bottoms)}) |")
    # round 1 labels tuned the cosine floors; rounds 2-4 each tuned the next rules; round 5 was
    # labelled after the last change and tuned nothing (docs/benchmarks.md)
    rounds = sorted({g.get("round", 1) for g in got})
    for name, rows in (("all labels", got), *((f"round {r} labels", [g for g in got if g.get("round", 1) == r])
                                              for r in rounds)):
        on = sum(1 for g in rows if g["on_topic"])
        fits = [g for g in rows if g.get("section_fits") is not None]
        ok = sum(1 for g in fits if g["section_fits"])
        print(f"| on topic, {name} | {on} of {len(rows)} = {on / max(1, len(rows)):.1%} |")
        print(f"| section fits what the item says, {name} | {ok} of {len(fits)} = {ok / max(1, len(fits)):.1%} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=["sample", "score"])
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--unlabelled", action="store_true", help="sample: only statements not labelled yet")
    args = parser.parse_args()
    if args.what == "sample":
        labelled = {(row["question"], row["statement"]) for row in map(json.loads, LABELS.read_text().splitlines())}
        for item in sample(args.n):
            if not args.unlabelled or (item["question"], item["statement"]) not in labelled:
                print(json.dumps({k: v for k, v in item.items() if k != "set"}, ensure_ascii=False))
    else:
        score(args.n)


if __name__ == "__main__":
    main()
