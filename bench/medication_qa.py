"""Consumers' medication questions with trusted reference answers (MedicationQA, MedInfo 2019): this
tree against an earlier commit, in one run (issue 23's measure; a fresh question set for issue 22).

    python bench/medication_qa.py --xlsx MedInfo2019-QA-Medications.xlsx [--before e37694a|none] [--limit N] [--tag -later]

The set: abachaa/Medication_QA_MedInfo2019 (fetched; the repository has a citation but no licence
file, so nothing of it is committed: its questions, answers and URLs are read from ``--xlsx``):
674 real consumer questions about medicines sent to the U.S. National Library of Medicine, each with
a reference answer written from MedlinePlus, DailyMed and other trusted pages. Questions annotated
``not_drug_question`` and rows without an answer are left out; each distinct question is asked once.

Both revisions answer with the starter pack already installed in the default data directory (the
same pack for both; ``CURBSIDE_DATA_DIR`` to use another), each in its own interpreter with its own
``src`` on the path. Scored here by the same code for both:

- answered share, and the share of answers that cite a drug label;
- token F1 of each answer's text against the reference answer, beside the same run's top retrieved
  passages cut to the answer's length (the length-matched baseline) — answered questions only;
- over **all** questions (an abstention scores 0): token F1 and embedding coverage of the
  reference's sentences (cosine ≥ 0.6, ``curbside.eval.answers``) against the same run's top-1
  retrieved passage shown as is.

Writes bench/results/medication_qa.json (every answer's statements, for the on-topic labels in
bench/data/) and the "## Medication questions (MedicationQA)" section of docs/benchmarks.md. Run
by hand, never by pytest.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEFAULT_WORK, ROOT, labelled_medicine_filter, limit_threads, machine, rewrite_section, write_result
from kqa_answers import _ASKER, read_answers

limit_threads(2)

from curbside.domain import Answer  # noqa: E402
from curbside.eval.answers import QAItem, answer_statements, cut_to_words, evaluate_answers, token_f1  # noqa: E402
from curbside.retrieval.embedder import get_embedder  # noqa: E402
from curbside.settings import Settings  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Medication questions (MedicationQA)"
MARKER = "<!-- end of bench/medication_qa.py figures -->"


def read_set(path: Path) -> list[dict[str, str]]:
    """The distinct drug questions of the workbook with their reference answer, focus and type."""
    import openpyxl

    sheet = openpyxl.load_workbook(path, read_only=True).active
    assert sheet is not None
    seen: set[str] = set()
    out = []
    for row in list(sheet.iter_rows(values_only=True))[1:]:
        question, focus, qtype, answer = (" ".join(str(v or "").split()) for v in row[:4])
        if not question or not answer or qtype == "not_drug_question" or question in seen:
            continue
        seen.add(question)
        out.append({"question": question, "answer": answer, "focus": focus, "type": qtype})
    return out


def labelled_medicine(items: list[dict[str, str]]) -> set[str]:
    """The questions whose medicine (the set's own focus annotation, else a medicine the question names)
    has a drug label of its own in the installed knowledge base (``_common.labelled_medicine_filter``)."""
    names_one = labelled_medicine_filter()
    return {item["question"] for item in items if names_one(item["focus"], item["question"])}


def _text(answer: Answer) -> str:
    return " ".join(text for text, _ in answer_statements(answer))


def score(items: list[dict[str, str]], rows: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The figures of one revision's answers (see the module's docstring)."""
    answers = {q: Answer.model_validate(row["answer"]) for q, row in rows.items()}
    answered = [i for i in items if not answers[i["question"]].abstained]
    labelled = [i for i in answered if any(r.type == "Drug label" for r in answers[i["question"]].references)]
    f1 = [token_f1(i["answer"], _text(answers[i["question"]])) for i in answered]
    base = [token_f1(i["answer"], cut_to_words(rows[i["question"]]["retrieved"],
                                               len(_text(answers[i["question"]]).split()))) for i in answered]
    top1 = [token_f1(i["answer"], (rows[i["question"]]["retrieved"] or [""])[0]) for i in items]
    qa = [QAItem(question=i["question"], answer=i["answer"]) for i in items]
    report = evaluate_answers(qa, lambda item: answers[item.question], lambda item: rows[item.question]["retrieved"],
                              get_embedder(Settings().embedding), threshold=0.6).overall()
    kinds: dict[str, int] = {}
    for i in items:
        a = answers[i["question"]]
        kind = a.abstain_kind.value if a.abstained else "answered"
        kinds[kind] = kinds.get(kind, 0) + 1
    latencies = sorted(rows[i["question"]]["latency_ms"] for i in items)
    n = len(items)
    return {
        "questions": n, "answered": len(answered), "answered_share": len(answered) / n,
        "citing_a_label": len(labelled), "label_share_of_answered": len(labelled) / max(len(answered), 1),
        "token_f1_answered": sum(f1) / max(len(f1), 1), "baseline_token_f1_answered": sum(base) / max(len(base), 1),
        "token_f1_all": sum(f1) / n, "top1_token_f1_all": sum(top1) / n,
        "coverage_all": report["coverage"], "top1_coverage_all": report["top1_coverage"],
        "coverage_answered": report["coverage_answered"],
        "baseline_coverage_answered": report["baseline_coverage_answered"],
        "outcomes": kinds, "latency_p50_ms": latencies[n // 2],
        "latency_p95_ms": latencies[min(n - 1, round(0.95 * (n - 1)))],
    }


def digest(items: list[dict[str, str]], rows: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Every answered question's title, composer, reference types and statements (for labelling)."""
    out = []
    for item in items:
        answer = Answer.model_validate(rows[item["question"]]["answer"])
        if answer.abstained:
            continue
        out.append({"question": item["question"], "title": answer.title, "composer": answer.provenance.composer,
                    "sources": [r.type for r in answer.references], "statements": [
                        {"section": None, "text": answer.bottom_line.text},
                        *({"section": s.heading, "text": i.text, "items": [c.text for c in i.children]}
                          for s in answer.sections for i in s.items)]})
    return out


def ask_all(src: Path, items: list[dict[str, str]], work: Path, name: str) -> dict[str, dict[str, Any]]:
    questions = work / "questions.jsonl"
    questions.write_text("".join(json.dumps({"question": i["question"]}) + "\n" for i in items))
    asker = work / "asker.py"
    asker.write_text(_ASKER)
    out = work / f"{name}.jsonl"
    print(f"  {name}: answering {len(items)} questions …", flush=True)
    subprocess.run([sys.executable, str(asker), str(questions), "patient", str(out)],
                   env={**os.environ, "PYTHONPATH": str(src)}, check=True)
    return read_answers(out)


def _f(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _table(revs: dict[str, Any], names: list[str], rows: list[tuple[str, str | None]], key: str) -> list[str]:
    lines = ["| figure | " + " | ".join(f"{n} ({revs[n]['revision']})" for n in names) + " |",
             "| --- | " + " | ".join("---:" for _ in names) + " |"]
    for label, field in rows:
        if field is None:
            cells = [f"{revs[n][key]['latency_p50_ms']:.0f} / {revs[n][key]['latency_p95_ms']:.0f}" for n in names]
        else:
            cells = [_f(revs[n][key][field]) for n in names]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines


def render(result: dict[str, Any], info: dict[str, Any]) -> str:
    revs = result["revisions"]
    names = list(revs)
    rows = [("questions", "questions"), ("answered", "answered"), ("answered share", "answered_share"),
            ("answers citing a drug label", "citing_a_label"), ("… share of answered", "label_share_of_answered"),
            ("token F1, answered (answer vs reference)", "token_f1_answered"),
            ("token F1, answered: top passages cut to the answer's length", "baseline_token_f1_answered"),
            ("token F1 over all questions (abstention = 0)", "token_f1_all"),
            ("token F1 over all: top-1 retrieved passage", "top1_token_f1_all"),
            ("coverage over all (cosine ≥ 0.6)", "coverage_all"), ("coverage over all: top-1 passage", "top1_coverage_all"),
            ("coverage, answered", "coverage_answered"), ("coverage, answered: top passages cut", "baseline_coverage_answered"),
            ("ask p50 / p95 ms", None)]
    lines = [SECTION, "",
             f"Command: `{result['command']}`, {result['finished_at']}. Machine: {info['nproc']} CPUs ({info['cpu']}), "
             f"{info['ram_gb']} GB RAM, load average {info['load_avg_at_start'][0]} at start. "
             + ("Both revisions answer in the same run from the same installed starter pack (patient audience); every "
                "answer is scored here by the same code. The set (abachaa/Medication_QA_MedInfo2019, MedInfo 2019; no "
                "licence file: read from the fetched workbook, nothing of it committed) was never read before this run."
                if "before" in revs else
                "This tree alone, from the installed starter pack (patient audience), scored by the same code as the "
                "first read above: a later run on a set already read, not a fresh figure."), "",
             *_table(revs, names, rows, "figures")]
    if all("labelled_figures" in revs[n] for n in names):
        lines += ["", f"Questions naming a medicine the pack has a drug label for "
                      f"({revs[names[-1]]['labelled_figures']['questions']} of them; issue 23's measure):", "",
                  *_table(revs, names, rows, "labelled_figures")]
    lines += ["", "Outcomes: " + "; ".join(f"{n}: {revs[n]['figures']['outcomes']}" for n in names) + "."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--xlsx", type=Path, required=True, help="MedInfo2019-QA-Medications.xlsx (fetched)")
    parser.add_argument("--before", default="e37694a", help="earlier commit for the same-run baseline ('none': skip)")
    parser.add_argument("--tag", default="", help="suffix of the results file and section (a later, not fresh, run)")
    parser.add_argument("--limit", type=int, default=0, help="ask only the first N questions (0: all)")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK / "medication_qa")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    info = machine()
    items = read_set(args.xlsx)[: args.limit or None]
    labelled = labelled_medicine(items)
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()
    result: dict[str, Any] = {"command": "python bench/medication_qa.py --xlsx MedInfo2019-QA-Medications.xlsx "
                                         f"--before {args.before}" + (f" --tag={args.tag}" if args.tag else ""),
                              "revisions": {}}
    with tempfile.TemporaryDirectory(prefix="curbside-before-") as tmp:
        before_tree = Path(tmp) / "tree"
        trees = [("now", ROOT / "src", head)]
        if args.before != "none":
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(before_tree), args.before],
                           check=True, capture_output=True)
            trees.insert(0, ("before", before_tree / "src", args.before))
        try:
            for name, src, rev in trees:
                rows = ask_all(src, items, args.work, name)
                result["revisions"][name] = {"revision": rev, "figures": score(items, rows),
                                             "answers": digest(items, rows)}
                subset = [i for i in items if i["question"] in labelled]
                result["revisions"][name]["labelled_figures"] = score(subset, rows)
                print(name, json.dumps(result["revisions"][name]["figures"]), flush=True)
        finally:
            if args.before != "none":
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(before_tree)],
                               check=False, capture_output=True)
    path = write_result(f"medication_qa{args.tag}", result, info)
    result = json.loads(path.read_text())
    heading = f"{SECTION[3:]} {args.tag.strip('-')}".strip()
    rewrite_section(DOC, f"## {heading}" if args.tag else SECTION, render(result, info).replace(SECTION, f"## {heading}", 1),
                    marker=MARKER.replace("figures", f"figures{args.tag}"))


if __name__ == "__main__":
    main()
