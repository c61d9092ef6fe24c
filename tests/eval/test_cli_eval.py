"""``curbside eval retrieval`` end to end: a real NFCorpus excerpt, the real embedder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from curbside.cli.main import app
from curbside.retrieval.embedder import Embedder

runner = CliRunner()


@pytest.fixture
def mini(fixtures_dir: Path) -> Path:
    return fixtures_dir / "beir" / "nfcorpus-mini"


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["eval", "retrieval", *args])
    return result.exit_code, result.stdout


def test_json_report_scores_three_modes(mini: Path, tmp_path: Path, embedder: Embedder) -> None:
    data_dir = tmp_path / "eval-kb"
    code, stdout = _run("--beir", str(mini), "--json", "--data-dir", str(data_dir))
    assert code == 0, stdout
    report = json.loads(stdout)
    assert report["dataset"] == "nfcorpus-mini" and report["split"] == "test"
    assert report["queries"] == 5  # PLAIN-3 is judged in another split only
    assert report["k"] == 10
    assert report["corpus"]["documents"] == 30 and report["corpus"]["passages"] >= 30
    assert report["corpus"]["skipped_records"] == 0
    assert report["settings"]["embedder"] == embedder.name
    assert set(report["modes"]) == {"bm25", "dense", "hybrid"}
    for scores in report["modes"].values():
        assert set(scores) >= {"ndcg@10", "recall@10", "recall@100", "queries_with_hit",
                               "ms_per_query"}
        for name in ("ndcg@10", "recall@10", "recall@100"):
            assert 0.0 <= scores[name] <= 1.0
    # With 30 documents, the dense ranking (and so the fused one) holds every relevant document.
    assert report["modes"]["dense"]["recall@100"] == pytest.approx(1.0)
    hybrid = report["modes"]["hybrid"]
    assert hybrid["recall@100"] == pytest.approx(1.0)
    assert hybrid["queries_with_hit"] >= 3
    assert hybrid["ndcg@10"] > 0.3
    # The collection has its own knowledge base; the user's data dir is untouched.
    assert (data_dir / "curbside.db").exists()
    assert not (tmp_path / "data" / "curbside.db").exists()


def test_table_output_and_options(mini: Path, tmp_path: Path, embedder: Embedder) -> None:
    data_dir = tmp_path / "eval-kb"
    code, stdout = _run("--beir", str(mini), "--limit-queries", "2", "--k", "5", "--mode", "bm25",
                        "--data-dir", str(data_dir))
    assert code == 0, stdout
    assert "nDCG@5" in stdout and "Recall@100" in stdout and "bm25" in stdout
    assert "hybrid" not in stdout
    code, stdout = _run("--beir", str(mini), "--limit-queries", "2", "--json", "--mode", "dense",
                        "--data-dir", str(data_dir))
    report = json.loads(stdout)
    assert report["queries"] == 2 and list(report["modes"]) == ["dense"]
    assert report["corpus"]["documents"] == 30  # the second run reused the ingested corpus


def test_errors_name_the_fix(mini: Path, tmp_path: Path) -> None:
    code, stdout = _run("--beir", str(mini), "--split", "dev", "--json",
                        "--data-dir", str(tmp_path / "kb"))
    assert code == 2
    assert json.loads(stdout)["error"]["message"].endswith("splits here: test.")
    code, stdout = _run("--beir", str(mini / "qrels"), "--json", "--data-dir", str(tmp_path / "kb"))
    assert code == 2
    assert "corpus.jsonl" in json.loads(stdout)["error"]["message"]
    code, stdout = _run("--beir", str(mini), "--json", "--mode", "sparse",
                        "--data-dir", str(tmp_path / "kb"))
    assert code == 2
    assert "Unknown mode 'sparse'" in json.loads(stdout)["error"]["message"]
    assert not (tmp_path / "kb" / "curbside.db").exists()  # refused before ingesting anything


def test_default_data_dir_is_under_the_users_data_dir(mini: Path, tmp_path: Path,
                                                      embedder: Embedder) -> None:
    code, stdout = _run("--beir", str(mini), "--json", "--limit-queries", "1", "--mode", "bm25")
    assert code == 0, stdout
    # conftest points CURBSIDE_DATA_DIR at tmp_path/data.
    assert (tmp_path / "data" / "eval" / "beir-nfcorpus-mini" / "curbside.db").exists()
    assert not (tmp_path / "data" / "curbside.db").exists()
