"""The packaged model on both runtimes: OpenVINO (default) against PyTorch (the reference).

Real parts only: the packaged weights, a real conversion into a temporary cache, real inference.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from curbside.retrieval import minilm
from curbside.retrieval.minilm import MIN_PROBE_COSINE, PackagedMiniLM
from tests.retrieval.corpus import by_focus, passages

LONG = " ".join(["Anemia is a condition in which the blood has fewer red blood cells than normal."] * 60)


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="module")
def openvino_model(cache_dir: Path) -> PackagedMiniLM:
    return PackagedMiniLM(runtime="openvino", cache_dir=cache_dir)


@pytest.fixture(scope="module")
def torch_model() -> PackagedMiniLM:
    return PackagedMiniLM(runtime="torch")


def _texts() -> list[str]:
    return [p.text for p in passages()] + ["Which signs point to anemia?", "a", LONG]


def test_openvino_is_the_default_and_converts_into_the_cache(openvino_model: PackagedMiniLM, cache_dir: Path) -> None:
    assert openvino_model.runtime == "openvino"
    names = sorted(p.name for p in cache_dir.iterdir())
    assert any(n.endswith(".xml") for n in names) and any(n.endswith(".bin") for n in names)
    assert any(n.endswith(".probes.json") for n in names)
    assert not any(".tmp" in n for n in names), names


def test_both_runtimes_give_the_same_vectors(openvino_model: PackagedMiniLM, torch_model: PackagedMiniLM) -> None:
    texts = _texts()
    ov = openvino_model.embed(texts)
    pt = torch_model.embed(texts)
    assert ov.shape == pt.shape == (len(texts), 384)
    assert ov.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(ov, axis=1), 1.0, atol=1e-5)
    assert float(np.min(np.sum(ov * pt, axis=1))) >= MIN_PROBE_COSINE


def test_batching_and_order_do_not_change_vectors(openvino_model: PackagedMiniLM) -> None:
    texts = _texts()
    openvino_model.forget()  # each one computed afresh, not read from memory
    one_by_one = np.vstack([openvino_model.embed([t]) for t in texts])
    openvino_model.forget()
    batched = openvino_model.embed(texts, batch_size=5)
    openvino_model.forget()
    reversed_ = openvino_model.embed(texts[::-1], batch_size=3)[::-1]
    assert float(np.min(np.sum(one_by_one * batched, axis=1))) >= MIN_PROBE_COSINE
    assert float(np.min(np.sum(reversed_ * batched, axis=1))) >= MIN_PROBE_COSINE
    assert openvino_model.embed([]).shape == (0, 384)


def test_texts_embedded_lately_are_read_from_memory_which_stays_bounded(
        openvino_model: PackagedMiniLM, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _texts()[:4]
    openvino_model.forget()
    first = openvino_model.embed(texts)
    computed: list[list[str]] = []
    backend = openvino_model._backend
    real = backend.embed

    def counted(batch: list[str], batch_size: int) -> np.ndarray:
        computed.append(list(batch))
        return real(batch, batch_size)

    monkeypatch.setattr(backend, "embed", counted)
    again = openvino_model.embed([*texts, "Which signs point to anemia?", texts[0]])
    assert computed == [["Which signs point to anemia?"]]  # only the new text went through the model, once
    np.testing.assert_array_equal(again[:4], first)
    np.testing.assert_array_equal(again[5], first[0])
    again[0] *= 0  # the caller's copy: what is kept does not change
    np.testing.assert_array_equal(openvino_model.embed(texts[:1])[0], first[0])
    monkeypatch.setattr(minilm, "MEMO_SIZE", 3)
    openvino_model.embed(_texts()[4:9])
    assert len(openvino_model._memo) == 3
    openvino_model.forget()
    assert not openvino_model._memo


def test_vectors_carry_meaning(openvino_model: PackagedMiniLM) -> None:
    corpus = passages()
    vectors = openvino_model.embed([p.text for p in corpus])
    for p in corpus[:5]:
        query = openvino_model.embed([f"What is {p.focus}?"])[0]
        best = corpus[int(np.argmax(vectors @ query))]
        assert best.focus == p.focus, (p.focus, best.focus)
    assert by_focus(corpus[0].focus).text == corpus[0].text


def test_second_load_reuses_the_cache(cache_dir: Path, openvino_model: PackagedMiniLM,
                                      caplog: pytest.LogCaptureFixture) -> None:
    xml = next(cache_dir.glob("*.xml"))
    before = xml.stat().st_mtime_ns
    with caplog.at_level(logging.INFO, logger="curbside.retrieval.minilm"):
        again = PackagedMiniLM(runtime="openvino", cache_dir=cache_dir)
    assert again.runtime == "openvino"
    assert xml.stat().st_mtime_ns == before
    assert not [r for r in caplog.records if "Converting" in r.getMessage()]


@pytest.mark.parametrize("damage", ["truncated weights", "changed weights", "garbled probes"])
def test_a_damaged_cache_is_noticed_and_rebuilt(tmp_path: Path, torch_model: PackagedMiniLM, damage: str,
                                                caplog: pytest.LogCaptureFixture) -> None:
    PackagedMiniLM(runtime="openvino", cache_dir=tmp_path)
    weights = next(tmp_path.glob("*.bin"))
    data = weights.read_bytes()
    if damage == "truncated weights":  # an interrupted copy
        weights.write_bytes(data[: len(data) // 2])
    elif damage == "changed weights":  # same size, every float32 of the last layers halved in place
        usable = len(data) - len(data) % 4
        arr = np.frombuffer(data[:usable], dtype=np.float32).copy()
        with np.errstate(invalid="ignore"):
            arr[-len(arr) // 4:] *= 0.5
        weights.write_bytes(arr.tobytes() + data[usable:])
    else:
        next(tmp_path.glob("*.probes.json")).write_text("{not json", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="curbside.retrieval.minilm"):
        repaired = PackagedMiniLM(runtime="openvino", cache_dir=tmp_path)
    assert repaired.runtime == "openvino"
    assert any("unusable" in r.getMessage() for r in caplog.records)
    texts = [p.text for p in passages()[:4]]
    got = repaired.embed(texts)
    assert float(np.min(np.sum(got * torch_model.embed(texts), axis=1))) >= MIN_PROBE_COSINE


def test_without_openvino_it_falls_back_to_pytorch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ImportError("No module named 'openvino'")

    monkeypatch.setattr(minilm, "load_openvino", broken)
    with caplog.at_level(logging.WARNING, logger="curbside.retrieval.minilm"):
        model = PackagedMiniLM(runtime="openvino", cache_dir=tmp_path)
    assert model.runtime == "torch"
    assert any("using PyTorch" in r.getMessage() for r in caplog.records)
    assert model.embed(["anemia"]).shape == (1, 384)


def test_float32_precision_matches_pytorch_closely(cache_dir: Path, torch_model: PackagedMiniLM) -> None:
    model = PackagedMiniLM(runtime="openvino", cache_dir=cache_dir, precision="f32")
    texts = _texts()
    cosine = np.sum(model.embed(texts) * torch_model.embed(texts), axis=1)
    assert float(np.min(cosine)) >= 0.99999


def test_openvino_loads_after_usearch_in_a_fresh_process(openvino_model: PackagedMiniLM, cache_dir: Path) -> None:
    """usearch's statically linked C++ runtime, loaded first, used to break OpenVINO (cxx_runtime.py)."""
    code = ("import sys\nfrom curbside.retrieval.usearch_index import UsearchIndex\nUsearchIndex(None, 384)\n"
            "from pathlib import Path\n"
            "from curbside.retrieval.minilm import PackagedMiniLM\n"
            "m = PackagedMiniLM(runtime='openvino', cache_dir=Path(sys.argv[1]))\n"
            "assert m.runtime == 'openvino', m.runtime\n"
            "print(m.embed(['anemia']).shape)\n")
    proc = subprocess.run([sys.executable, "-c", code, str(cache_dir)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "(1, 384)" in proc.stdout
