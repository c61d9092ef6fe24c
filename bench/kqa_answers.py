"""Answers on real patient questions (K-QA dev): this tree against an earlier commit, in one run.

    python bench/kqa_answers.py [--before a169137] [--unanswered 1001] [--audience patient]

For each revision (the earlier commit, checked out into a temporary git worktree, and this tree)
a subprocess installs that revision's own starter pack into its own data directory and answers:

- the 60 K-QA dev questions (``../shared/data/kqa-dev/kqa_dev.jsonl``, must-have statements), scored
  here with ``curbside.eval.answers`` (coverage at cosine 0.6 and 0.7, strict token coverage,
  ROUGE-L, citation support) beside the length-matched baseline: the top retrieved passages cut to
  each answer's length, from the same run;
- the 1,001 K-QA questions without answers: answered share, abstention reasons, red flags.

Writes bench/results/kqa_answers.json (with every answer's title, bottom line and items, for the
hand reading and the on-topic labels in bench/data/) and rewrites the "## Answers on patient
questions" section of docs/benchmarks.md. Run by hand, never by pytest.
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

from _common import DEFAULT_WORK, ROOT, SHARED, limit_threads, machine, rewrite_section, write_result

limit_threads(2)

from curbside.domain import Answer  # noqa: E402
from curbside.eval.answers import QAItem, answer_statements, evaluate_answers, load_qa  # noqa: E402
from curbside.retrieval.embedder import get_embedder  # noqa: E402
from curbside.settings import Settings  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"
KQA = SHARED / "kqa-dev"
SECTION = "## Answers on patient questions"

#: Run inside each revision's interpreter: answers every question, one JSON line each.
_ASKER = r'''
import json, sys, time
try:  # the module's path before and after answer/ was split by stage
    from curbside.answer.understand.analysis import analyze
except ImportError:
    from curbside.answer.analysis import analyze
from curbside.answer.service import AnswerService
from curbside.kb.packs import ensure_starter_pack
from curbside.settings import Settings
questions, audience, out = sys.argv[1], sys.argv[2], sys.argv[3]
service = AnswerService(Settings())
ensure_starter_pack(service.kb)
with open(questions) as src, open(out, "w") as dst:
    for line in src:
        q = json.loads(line)["question"]
        start = time.perf_counter()
        answer = service.ask(q, audience=audience)
        ms = (time.perf_counter() - start) * 1000
        if hasattr(service, "retrieve"):
            hits = service.retrieve(q, audience=audience)
        else:
            hits = service._retrieve(analyze(q, service._inputs(q, audience, None)[1]))
        dst.write(json.dumps({"question": q, "latency_ms": ms, "answer": answer.model_dump(mode="json"),
                              "retrieved": [h.passage.text for h in hits]}) + "\n")
'''


def run_revision(src: Path, data_dir: Path, files: dict[str, Path], audience: str, work: Path) -> dict[str, Path]:
    """Answer each question file with the code in ``src`` (its own pack, its own data dir)."""
    env = {**os.environ, "PYTHONPATH": str(src), "CURBSIDE_DATA_DIR": str(data_dir)}
    asker = work / "asker.py"
    asker.write_text(_ASKER)
    outs = {}
    for name, path in files.items():
        out = work / f"{data_dir.name}-{name}.jsonl"
        print(f"  {data_dir.name}: answering {name} …", flush=True)
        subprocess.run([sys.executable, str(asker), str(path), audience, str(out)], env=env, check=True)
        outs[name] = out
    return outs


def read_answers(path: Path) -> dict[str, dict[str, Any]]:
    # one answer per "\n"-ended line: str.splitlines would also split at a U+2028 or U+0085 inside an answer's text
    return {row["question"]: row for row in map(json.loads, filter(None, path.read_text().split("\n")))}


def score(items: list[QAItem], rows: dict[str, dict[str, Any]], threshold: float) -> dict[str, Any]:
    embedder = get_embedder(Settings().embedding)
    report = evaluate_answers(items, lambda item: Answer.model_validate(rows[item.question]["answer"]),
                              lambda item: rows[item.question]["retrieved"], embedder, threshold=threshold)
    overall = report.overall()
    latencies = sorted(row["latency_ms"] for row in rows.values())
    overall["latency_p50_ms"] = latencies[len(latencies) // 2]
    overall["latency_p95_ms"] = latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))]
    return {"overall": overall, "questions": report.to_dict()["questions"]}


def abstentions(rows: dict[str, dict[str, Any]]) -> dict[str, Any]:
    kinds: dict[str, int] = {}
    answered = red = 0
    for row in rows.values():
        answer = Answer.model_validate(row["answer"])
        red += any(n.urgent for n in answer.notices)
        if answer.abstained:
            kind = answer.abstain_kind.value or _kind_from_reason(answer.abstain_reason)
            kinds[kind] = kinds.get(kind, 0) + 1
        else:
            answered += 1
    return {"questions": len(rows), "answered": answered, "abstentions": kinds, "red_flags": red}


def _kind_from_reason(reason: str) -> str:
    """An earlier revision's abstention, categorised from its message (it had no kind field)."""
    if "similarity of" in reason or "found nothing" in reason:
        return "not_covered"
    if "no passage is about" in reason or "none of them is about" in reason:
        return "off_topic"
    return "no_answer"


def answers_digest(rows: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for question, row in rows.items():
        answer = Answer.model_validate(row["answer"])
        out.append({"question": question, "abstained": answer.abstained, "title": answer.title,
                    "statements": [text for text, _ in answer_statements(answer)],
                    "sections": [[s.heading, [i.text for i in s.items]] for s in answer.sections],
                    "references": [f"{r.type}: {r.title}" for r in answer.references],
                    "reason": answer.abstain_reason})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", default="a169137", help="Earlier commit to compare with (default: the "
                        "last commit before the answer-precision work).")
    parser.add_argument("--audience", default="patient")
    parser.add_argument("--unanswered", type=int, default=1001, help="How many of the 1,001 to ask (0: none).")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK / "kqa")
    parser.add_argument("--rescore", action="store_true", help="Score the answers the last run saved in --work "
                        "again (after a change to the scoring only), without asking anything.")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    info = machine()
    dev = KQA / "kqa_dev.jsonl"
    files = {"dev": dev}
    if args.unanswered:
        subset = args.work / "unanswered.jsonl"
        lines = (KQA / "kqa_questions_unanswered.jsonl").read_text().splitlines()[: args.unanswered]
        subset.write_text("\n".join(lines) + "\n")
        files["unanswered"] = subset
    items = load_qa(dev)
    result: dict[str, Any] = {"before": args.before, "audience": args.audience, "revisions": {}}
    with tempfile.TemporaryDirectory(prefix="curbside-before-") as tmp:
        before_tree = Path(tmp) / "tree"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(before_tree), args.before],
                       check=True, capture_output=True)
        try:
            trees = {"before": before_tree / "src", "now": ROOT / "src"}
            for name, src in trees.items():
                print(f"revision {name} ({src})", flush=True)
                if args.rescore:
                    outs = {f: args.work / f"data-{name}-{f}.jsonl" for f in files}
                else:
                    outs = run_revision(src, args.work / f"data-{name}", files, args.audience, args.work)
                dev_rows = read_answers(outs["dev"])
                entry: dict[str, Any] = {"dev": {f"t{t}": score(items, dev_rows, t)["overall"] for t in (0.6, 0.7)},
                                         "dev_answers": answers_digest(dev_rows)}
                if "unanswered" in outs:
                    un_rows = read_answers(outs["unanswered"])
                    entry["unanswered"] = abstentions(un_rows)
                    entry["unanswered_answers"] = answers_digest(un_rows)
                result["revisions"][name] = entry
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(before_tree)],
                           check=False, capture_output=True)
    write_result("kqa_answers", result, info)
    rewrite_section(DOC, SECTION, render(result, info), marker="<!-- end of generated K-QA figures -->")


def _f(value: Any, digits: int = 3) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def render(result: dict[str, Any], info: dict[str, Any]) -> str:
    revs = result["revisions"]
    lines = [SECTION, "",
             f"Command: `python bench/kqa_answers.py --before {result['before']}`; audience {result['audience']}. "
             f"Machine: {info['nproc']} CPUs ({info['cpu']}), {info['ram_gb']} GB RAM, load average "
             f"{info['load_avg_at_start'][0]} at start. Both revisions answer in the same run, each from its own "
             "starter pack; every answer is scored here by the same code.", "",
             "### K-QA dev (60 real patient questions, physician must-have statements)", "",
             "Coverage: share of must-have statements matched by an answer statement at cosine ≥ t "
             "(all-MiniLM-L6-v2); token coverage: share with ≥ 60 % of their content stems in the answer. "
             "Baseline (same run, same retrieval): the top retrieved passages cut to each answer's length.", "",
             "| measure | before (" + result["before"] + ") | now |", "| --- | --- | --- |"]
    rows = [("answered share", "answered_share"), ("coverage, all questions (t=0.6)", "coverage"),
            ("top-1 retrieved passage as is, all questions (t=0.6)", "top1_coverage"),
            ("coverage, answered (t=0.6)", "coverage_answered"),
            ("baseline coverage, answered (t=0.6)", "baseline_coverage_answered"),
            ("coverage ÷ baseline (t=0.6)", "coverage_ratio"),
            ("token coverage, answered", "token_coverage_answered"),
            ("baseline token coverage, answered", "baseline_token_coverage_answered"),
            ("ROUGE-L, answered", "rouge_l_answered"), ("baseline ROUGE-L, answered", "baseline_rouge_l_answered"),
            ("citation support (verifier)", "citation_support_rate"), ("references per answer", "mean_references"),
            ("words per answer", "mean_words"), ("empty bottom lines", "empty_bottom_lines"),
            ("dangling lead-ins", "dangling_leadins"), ("latency p50 ms", "latency_p50_ms"),
            ("latency p95 ms", "latency_p95_ms")]
    for label, key in rows:
        lines.append(f"| {label} | {_f(revs['before']['dev']['t0.6'].get(key))} | {_f(revs['now']['dev']['t0.6'].get(key))} |")
    for label, key in (("coverage, all questions (t=0.7)", "coverage"), ("coverage, answered (t=0.7)", "coverage_answered"),
                       ("baseline coverage, answered (t=0.7)", "baseline_coverage_answered"),
                       ("coverage ÷ baseline (t=0.7)", "coverage_ratio")):
        lines.append(f"| {label} | {_f(revs['before']['dev']['t0.7'].get(key))} | {_f(revs['now']['dev']['t0.7'].get(key))} |")
    lines.append("")
    if "unanswered" in revs["now"]:
        lines += ["### The 1,001 K-QA questions without answers: what happens to them", "",
                  "| | before | now |", "| --- | --- | --- |"]
        b, n = revs["before"]["unanswered"], revs["now"]["unanswered"]
        lines.append(f"| answered | {b['answered']} of {b['questions']} | {n['answered']} of {n['questions']} |")
        for kind in sorted(set(b["abstentions"]) | set(n["abstentions"])):
            lines.append(f"| abstained: {kind.replace('_', ' ')} | {b['abstentions'].get(kind, 0)} | "
                         f"{n['abstentions'].get(kind, 0)} |")
        lines.append(f"| red-flag notice shown | {b['red_flags']} | {n['red_flags']} |")
        lines += ["", "Abstention kinds: *not covered* — nothing in the knowledge base is close to the question; "
                  "*off topic* — passages were found but none names what the question is about; *no answer* — "
                  "on-topic passages, but no statement answers what was asked (a dose, a duration, a treatment …). "
                  "The earlier revision had no kind field; its abstentions are categorised from their messages.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
