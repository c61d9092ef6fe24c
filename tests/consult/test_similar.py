"""Similar Q&A on the paraphrase set: real knowledge base, real packaged model, real hybrid search."""

from __future__ import annotations

from pathlib import Path

import pytest

from curbside.eval.similar import evaluate_paraphrases
from curbside.retrieval.embedder import Embedder

PARAPHRASES = Path(__file__).parent.parent / "fixtures" / "consult" / "paraphrases.jsonl"


@pytest.mark.slow
def test_paraphrases_find_their_original_in_the_top_3(embedder: Embedder, tmp_path: Path) -> None:
    report = evaluate_paraphrases(PARAPHRASES, embedder=embedder, modes=("hybrid",), data_dir=tmp_path / "data")
    assert report["items"] >= 50
    assert report["modes"]["hybrid"]["top3"] >= 0.9, report["misses"]
