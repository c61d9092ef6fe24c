"""Similar Q&A evaluation: does a paraphrased question find its original consult in the top 3?

The set (``tests/fixtures/consult/paraphrases.jsonl``) holds consult-like records (a MedQuAD
question and the start of its answer as the reply) each with a patient-style ``paraphrase``. The
originals are imported into a fresh knowledge base as published consults; each paraphrase is
then run through :func:`curbside.consult.similar.similar_ids` as a new question would be.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from curbside.answer.service import AnswerService
from curbside.consult.service import ConsultService
from curbside.consult.similar import similar_ids
from curbside.db import dispose_engines
from curbside.kb.service import KnowledgeBase
from curbside.retrieval.embedder import Embedder
from curbside.settings import Settings

#: "hybrid" is what the consult page runs (with the answer pipeline's similarity floor,
#: ``settings.answer.min_relevance``); the others, without the floor, are for comparison.
MODES = ("hybrid", "hybrid-no-floor", "bm25", "dense")


def evaluate_paraphrases(path: Path, *, embedder: Embedder | None = None, modes: tuple[str, ...] = MODES,
                         data_dir: Path | None = None) -> dict[str, Any]:
    """Top-1 and top-3 hit rates per retrieval mode, and the hybrid misses."""
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory(prefix="curbside-similar-") as tmp:
        settings = Settings(data_dir=data_dir or Path(tmp) / "data", starter_pack=False)
        kb = KnowledgeBase(settings, embedder=embedder)
        service = ConsultService(settings, AnswerService(settings, kb=kb), kb=kb)
        ids = service.import_lines((json.dumps(r) for r in records), more_info=False)
        results: dict[str, Any] = {}
        misses: list[str] = []
        for mode in modes:
            top1 = top3 = 0
            for record, consult_id in zip(records, ids, strict=True):
                floor = settings.answer.min_relevance if mode == "hybrid" else 0.0
                found = [cid for cid, _ in similar_ids(kb, record["paraphrase"], limit=3,
                                                       mode=mode.removesuffix("-no-floor"), min_similarity=floor)]
                top1 += bool(found[:1] == [consult_id])
                top3 += consult_id in found
                if mode == "hybrid" and consult_id not in found:
                    misses.append(record["id"])
            results[mode] = {"top1": top1 / len(records), "top3": top3 / len(records)}
        dispose_engines()
    return {"items": len(records), "modes": results, "misses": misses,
            "description": f"Set: `tests/fixtures/consult/paraphrases.jsonl`, {len(records)} consult-like records "
                           "(MedQuAD question + the start of its answer as the reply, CC BY 4.0) imported as published "
                           "consults; each query is a patient-style paraphrase written for the set (not tuned against "
                           "these results; most name the condition, often in lay words). A hit: the original among the first 3 Similar Q&A."}
