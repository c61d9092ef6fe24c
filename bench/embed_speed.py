"""Embedding throughput of the packaged MiniLM model alone (the ingest bottleneck).

    python bench/embed_speed.py [--passages 512]

Embeds the first --passages NFCorpus passages (as the knowledge base stores them: title heading
plus up to 160 words) with 1 and 2 torch threads, in float32 and with bfloat16 autocast, and
with int8 dynamic quantisation of the linear layers (torch.ao.quantization.quantize_dynamic), and
reports passages/s, plus the mean cosine of each variant's vectors to the float32 ones.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import SHARED, machine, write_result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passages", type=int, default=512)
    parser.add_argument("--nfcorpus", type=Path, default=SHARED / "nfcorpus")
    args = parser.parse_args()
    info = machine()
    import numpy as np
    import torch

    from curbside.domain import SourceDocument
    from curbside.ingest.beir import BEIRAdapter
    from curbside.ingest.chunking import Chunker
    from curbside.retrieval.embedder import PackagedMiniLM

    chunker = Chunker()
    docs = (d for d in BEIRAdapter().read(args.nfcorpus / "corpus.jsonl") if isinstance(d, SourceDocument))
    texts = [p.context_text for d in docs for p in chunker.chunk(d)]
    texts = list(itertools.islice(texts, args.passages))
    model = PackagedMiniLM()
    tokens = model._model.preprocess(texts)["attention_mask"].sum(dim=1).float().mean().item()
    results: dict[str, Any] = {"passages": len(texts), "mean_tokens": round(tokens, 1), "cases": []}
    reference = None
    for threads in (1, 2):
        for dtype in ("float32", "bfloat16"):
            torch.set_num_threads(threads)
            model.embed(texts[:64])
            t0 = time.perf_counter()
            if dtype == "bfloat16":
                with torch.autocast("cpu", dtype=torch.bfloat16):
                    vectors = model.embed(texts, batch_size=64)
            else:
                vectors = model.embed(texts, batch_size=64)
            seconds = time.perf_counter() - t0
            if dtype == "float32" and reference is None:
                reference = vectors
            cosine = float(np.mean(np.sum(vectors * reference, axis=1))) if reference is not None else 1.0
            case = {"threads": threads, "dtype": dtype, "passages_per_s": round(len(texts) / seconds, 1),
                    "mean_cosine_to_float32": round(cosine, 5)}
            results["cases"].append(case)
            print(case, flush=True)
    float_module = model._model
    model._model = torch.ao.quantization.quantize_dynamic(float_module, {torch.nn.Linear}, dtype=torch.qint8)
    for threads in (1, 2):
        torch.set_num_threads(threads)
        model.embed(texts[:64])
        t0 = time.perf_counter()
        vectors = model.embed(texts, batch_size=64)
        seconds = time.perf_counter() - t0
        cosine = float(np.mean(np.sum(vectors * reference, axis=1)))
        case = {"threads": threads, "dtype": "int8 dynamic", "passages_per_s": round(len(texts) / seconds, 1),
                "mean_cosine_to_float32": round(cosine, 5)}
        results["cases"].append(case)
        print(case, flush=True)
    write_result("embed_speed", results, info)


if __name__ == "__main__":
    main()
