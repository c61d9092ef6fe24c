"""Consult board figures: de-identification on the planted set, Similar Q&A on the paraphrase set.

Run by hand (never by pytest): ``python bench/consult.py [deid|similar|moreinfo|all]``. Writes
``bench/results/consult_<part>.json`` and the "Consult board" section of docs/benchmarks.md.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import RESULTS, ROOT, command, limit_threads, machine, write_result

PLANTED = ROOT / "tests" / "fixtures" / "consult" / "deid_planted.txt"
HELDOUT = ROOT / "tests" / "fixtures" / "consult" / "deid_heldout.txt"
PARAPHRASES = ROOT / "tests" / "fixtures" / "consult" / "paraphrases.jsonl"
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- consult:begin -->", "<!-- consult:end -->"


def bench_deid() -> dict[str, Any]:
    from curbside.consult.deid import Deidentifier
    from curbside.eval.deid import evaluate, load_planted, masks_in

    deid = Deidentifier()
    started = time.perf_counter()
    deid.find("warm-up")
    load_s = time.perf_counter() - started
    out: dict[str, Any] = {"load_s": round(load_s, 2)}
    for name, path in (("planted", PLANTED), ("heldout", HELDOUT)):
        started = time.perf_counter()
        report = evaluate(deid, load_planted(path))
        seconds = time.perf_counter() - started
        out[name] = {"messages": report.messages, "identifier_recall": report.identifier_recall,
                     "term_retention": report.term_retention, "terms": report.terms, "kept": report.kept,
                     "per_kind": {k: {"planted": n, "masked": m, "share": s} for k, (n, m, s) in report.per_kind().items()},
                     "missed": report.missed, "lost_terms": report.lost_terms,
                     "ms_per_message": round(seconds * 1000 / max(report.messages, 1), 1)}
    records = [json.loads(line) for line in PARAPHRASES.read_text().splitlines() if line.strip()]
    words, found = masks_in(deid, [t for r in records for t in (r["question"], r["replies"][0]["text"])])
    out["real_text"] = {"texts": 2 * len(records), "words": words, "masks": found}
    return out


def bench_similar() -> dict[str, Any]:
    from curbside.eval.similar import evaluate_paraphrases

    return evaluate_paraphrases(PARAPHRASES)


def bench_more_info() -> dict[str, Any]:
    """Import the paraphrase set's 60 consults with More Info on the starter knowledge base."""
    import tempfile

    from curbside.answer.service import AnswerService
    from curbside.consult.service import ConsultService
    from curbside.kb.packs import ensure_starter_pack
    from curbside.kb.service import KnowledgeBase
    from curbside.settings import Settings

    with tempfile.TemporaryDirectory(prefix="curbside-consult-") as tmp:
        settings = Settings(data_dir=Path(tmp) / "data", starter_pack=True)
        kb = KnowledgeBase(settings)
        ensure_starter_pack(kb)
        service = ConsultService(settings, AnswerService(settings, kb=kb), kb=kb)
        started = time.perf_counter()
        ids = service.import_lines(PARAPHRASES.read_text().splitlines())
        seconds = time.perf_counter() - started
        held, abstained = [], 0
        for consult_id in ids:
            consult = service.store.get(consult_id)
            answer = service.store.more_info(consult_id)
            abstained += bool(answer and answer.abstained)
            if consult.more_info_state.value == "held":
                held.append(f"{consult.title} — {consult.more_info_note}")
    return {"consults": len(ids), "held": held, "abstained": abstained, "import_s": round(seconds, 1)}


def _load(name: str) -> dict[str, Any] | None:
    path = RESULTS / f"consult_{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def render() -> str:
    lines = [BEGIN, "## Consult board", ""]
    deid = _load("deid")
    if deid:
        m = deid["machine"]
        lines += [
            "### De-identification", "",
            f"Command: `{deid['command']}` · {m['nproc']} cores, {m['ram_gb']} GB, {m['cpu']} · {deid['finished_at']}. "
            f"spaCy + Presidio load {deid['load_s']} s.", "",
            "Two synthetic sets of consult messages written for this purpose (every name, number and address "
            "invented). An identifier counts as masked when every letter and digit of it is inside a mask; a medical "
            "term as kept when no mask touches it.", "",
            "- `tests/fixtures/consult/deid_planted.txt` — written by the same engineer as the recognizers; the rules "
            "were corrected after a first run on it (97.8 % identifiers, 93.8 % medical terms; misses were hyphenated "
            "eponyms, French street names, 'accession no.', 'Plaza', 'Street West', '11/30' after 'appointment is'). "
            "Not a blind set.",
            "- `tests/fixtures/consult/deid_heldout.txt` — written after that, run once: 77.8 % as written, 88.9 % (48/54) "
            "once six spans that wrongly held a title or label ('Dr.', 'MRN#') were corrected in the file; 100 % of "
            "medical terms kept. Its misses (a Medicare number, 'Via Roma 15', a Singapore block address and postcode, "
            "a 'GT-2023-…' report number, 'Old Lyme') then got rules, so the figure below is no longer blind.",
            "- The consult page screenshot later showed spaCy masking MedQuAD titles ('Kidney Stones' as a name, "
            "'Hemochromatosis' as a place); the medical-word rule added for it is tested in tests/consult/test_deid.py.",
            "- Importing the 60 MedQuAD-based consults of the paraphrase set showed more over-masking of medical "
            "text (Refsum disease, Hypertonia, Alkhurma and Lujo hemorrhagic fever, P.A.D., vagina, jejunum, "
            "'stages.Signs' as a URL); rules for a name or place right before a condition noun, medical endings, "
            "anatomy words, dotted abbreviations and run-together sentences were added, tested in test_deid.py. "
            "What is still masked on that text is listed below.",
            "",
        ]
        real = deid.get("real_text")
        if real:
            lines += [f"**Real medical text** (over-masking): the {real['texts']} MedQuAD questions and answer "
                      f"excerpts of the paraphrase set ({real['words']} words, no personal identifiers in them) got "
                      f"{len(real['masks'])} masks: {'; '.join(real['masks']) or 'none'}. Place names are masked on "
                      "purpose (Safe Harbor allows states; curbside masks every place spaCy finds).", ""]
        for name in ("planted", "heldout"):
            d = deid[name]
            lines += [f"**{name}** ({d['messages']} messages, {d['ms_per_message']} ms per message)", "",
                      "| kind | planted | masked | share |", "| --- | ---: | ---: | ---: |"]
            for kind, row in d["per_kind"].items():
                lines.append(f"| {kind} | {row['planted']} | {row['masked']} | {row['share']:.1%} |")
            total = sum(r["planted"] for r in d["per_kind"].values())
            masked = sum(r["masked"] for r in d["per_kind"].values())
            lines += [f"| **all identifiers** (target ≥ 95 %) | {total} | {masked} | **{d['identifier_recall']:.1%}** |",
                      f"| **medical terms / eponyms kept** (target ≥ 95 %) | {d['terms']} | {d['kept']} | "
                      f"**{d['term_retention']:.1%}** |", "",
                      f"Missed: {', '.join(d['missed']) or 'none'}. Lost terms: {', '.join(d['lost_terms']) or 'none'}.", ""]
    similar = _load("similar")
    if similar:
        m = similar["machine"]
        lines += [
            "### Similar Q&A (paraphrase set)", "",
            f"Command: `{similar['command']}` · {m['nproc']} cores, {m['ram_gb']} GB · {similar['finished_at']}", "",
            f"{similar['description']}", "",
            "| retrieval | top-1 | top-3 (target ≥ 90 %) |", "| --- | ---: | ---: |",
        ]
        for mode, row in similar["modes"].items():
            lines.append(f"| {mode} | {row['top1']:.1%} | {row['top3']:.1%} |")
        lines += ["", f"Misses (hybrid): {', '.join(similar['misses']) or 'none'}", ""]
    more = _load("more_info")
    if more:
        lines += ["### More Info on imported consults", "",
                  f"Command: `{more['command']}` · {more['finished_at']}. The {more['consults']} consults of the "
                  "paraphrase set imported on the starter knowledge base (`curbside consult import`: de-identify, "
                  f"publish to the knowledge base, compose More Info, check contradictions) in {more['import_s']} s. "
                  f"Abstained: {more['abstained']}. Held for an editor (contradiction): {len(more['held'])}"
                  + (": " + "; ".join(more["held"]) if more["held"] else "") + ". An earlier run held one (a reply "
                  "describing 'abnormal benign growths' read as reassurance); 'benign' now counts only when said of "
                  "the finding.", ""]
    lines.append(END)
    return "\n".join(lines)


def write_doc() -> None:
    text = DOC.read_text()
    block = render()
    if BEGIN in text:
        head, rest = text.split(BEGIN, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    DOC.write_text(text)
    print(f"updated {DOC.relative_to(ROOT)}")


def main() -> None:
    limit_threads(1)
    part = sys.argv[1] if len(sys.argv) > 1 else "all"
    info = machine()
    if part in ("deid", "all"):
        write_result("consult_deid", bench_deid(), info)
    if part in ("similar", "all"):
        write_result("consult_similar", bench_similar(), info)
    if part in ("moreinfo", "all"):
        write_result("consult_more_info", bench_more_info(), info)
    write_doc()
    print(command())


if __name__ == "__main__":
    main()
