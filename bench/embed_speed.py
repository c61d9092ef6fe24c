"""Embedding throughput of the packaged MiniLM model alone (the ingest bottleneck), by runtime.

    python bench/embed_speed.py [--passages 512] [--repeats 3]

Embeds the first --passages NFCorpus passages (as the knowledge base stores them: title heading
plus up to 160 words) with both cores, each case --repeats times (the median is reported):

- PyTorch (sentence-transformers) in float32 at batch 64 (the first default) and batch 8, and
  with int8 dynamic quantisation of the linear layers (torch.ao.quantization.quantize_dynamic);
- OpenVINO (the default runtime: the converted model in the cache) in float32 and bfloat16, at
  batch 1, 4, 8 and 32.

Reported: passages/s, and the minimum and mean cosine of each case's vectors to PyTorch float32's.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import SHARED, machine, write_result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passages", type=int, default=512)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--nfcorpus", type=Path, default=SHARED / "nfcorpus")
    args = parser.parse_args()
    info = machine()
    import numpy as np
    import torch

    from curbside.domain import SourceDocument
    from curbside.ingest.beir import BEIRAdapter
    from curbside.ingest.chunking import Chunker
    from curbside.retrieval.minilm import PackagedMiniLM

    chunker = Chunker()
    docs = (d for d in BEIRAdapter().read(args.nfcorpus / "corpus.jsonl") if isinstance(d, SourceDocument))
    texts = list(itertools.islice((p.context_text for d in docs for p in chunker.chunk(d)), args.passages))
    reference_model = PackagedMiniLM(runtime="torch")
    st = reference_model._backend.model  # type: ignore[attr-defined]
    tokens = st.preprocess(texts)["attention_mask"].sum(dim=1).float().mean().item()
    results: dict[str, Any] = {"passages": len(texts), "mean_tokens": round(tokens, 1),
                               "repeats": args.repeats, "cases": []}
    reference = reference_model.embed(texts, batch_size=64)

    def run(runtime: str, precision: str, batch: int, embed: Callable[[Sequence[str], int], Any]) -> None:
        embed(texts[:16], batch)
        rates, vectors = [], None
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            vectors = embed(texts, batch)
            rates.append(len(texts) / (time.perf_counter() - t0))
        cosine = np.sum(np.asarray(vectors) * reference, axis=1)
        case = {"runtime": runtime, "precision": precision, "batch": batch,
                "passages_per_s": round(statistics.median(rates), 1), "runs": [round(r, 1) for r in rates],
                "min_cosine": round(float(np.min(cosine)), 6), "mean_cosine": round(float(np.mean(cosine)), 6)}
        results["cases"].append(case)
        print(case, flush=True)

    for batch in (64, 8):
        run("torch", "float32", batch, lambda t, b: reference_model.embed(t, batch_size=b))
    for precision in ("f32", "bf16"):
        model = PackagedMiniLM(runtime="openvino", precision=precision)  # type: ignore[arg-type]
        assert model.runtime == "openvino"
        for batch in (1, 4, 8, 32):
            run("openvino", {"f32": "float32", "bf16": "bfloat16"}[precision], batch,
                lambda t, b, m=model: m.embed(t, batch_size=b))
    quantised = torch.ao.quantization.quantize_dynamic(st, {torch.nn.Linear}, dtype=torch.qint8)
    run("torch", "int8 dynamic", 8, lambda t, b: np.asarray(quantised.encode(
        list(t), batch_size=b, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)))
    write_result("embed_speed", results, info)


if __name__ == "__main__":
    main()
