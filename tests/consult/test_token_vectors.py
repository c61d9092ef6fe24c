"""Contextual word vectors from the packaged MiniLM for the de-identification tagger (consult/token_vectors.py)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from curbside.consult import tagger
from curbside.consult.token_vectors import (
    DIM,
    SCALE,
    WINDOW,
    fingerprint,
    load_encoder,
    tuned_weights,
    word_vectors,
)
from curbside.errors import ConfigError
from tests.consult.conftest import assert_tagger_refuses


def _words(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"\S+", text)]


def test_each_word_gets_a_vector_of_its_context() -> None:
    text = "we took grandma to little acorns nursery on elm street"
    vectors = word_vectors(text, _words(text))
    assert vectors.shape == (len(_words(text)), DIM) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), SCALE, rtol=1e-4)
    # the same word in another sentence reads differently: the vectors are contextual
    other = "little by little the rash faded"
    assert not np.allclose(vectors[3], word_vectors(other, _words(other))[0], atol=1e-3)
    assert np.array_equal(vectors, word_vectors(text, _words(text)))  # deterministic


def test_a_span_no_word_piece_covers_is_zero_and_long_messages_are_read_in_windows() -> None:
    text = "fever   cough"
    vectors = word_vectors(text, [(0, 5), (5, 8), (8, 13)])
    assert vectors[0].any() and not vectors[1].any() and vectors[2].any()
    long = " ".join(["my", "neighbour", "drove", "me", "to", "the", "clinic"] * (WINDOW // 3))
    spans = _words(long)
    rows = word_vectors(long, spans)
    assert len(spans) > WINDOW and np.count_nonzero(np.linalg.norm(rows, axis=1)) == len(spans)
    assert word_vectors("", []).shape == (0, DIM)


def test_a_tagger_with_contextual_weights_needs_the_vectors_and_their_shape(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    m = tagger.Model(np.zeros((tagger.DIM, 2), np.float32), np.zeros(2, np.float32), 0.9, ("O", "NAME"),
                     np.zeros((tagger.VECTOR_DIM, 2), np.float32))
    slots = [np.array([1, 2], dtype=np.int64)]
    with pytest.raises(ValueError, match="contextual vectors"):
        tagger.probabilities(slots, m)
    assert tagger.probabilities(slots, m, np.ones((1, tagger.VECTOR_DIM), np.float32)).shape == (1, 2)
    bad = tmp_path / "deid_tagger.npz"
    np.savez(bad, weights=m.weights, bias=m.bias, threshold=np.float32(0.9), labels=np.array(m.labels),
             dense=np.zeros((10, 2), np.float32))
    assert_tagger_refuses(monkeypatch, bad, "contextual")


def test_fine_tuned_top_layers_replace_the_packaged_ones_and_a_wrong_file_is_refused(tmp_path: Path) -> None:
    _, model = load_encoder(None)
    weights = tuned_weights(model, ["encoder.layer.5."])
    assert weights and all(k.startswith("encoder.layer.5.") and v.dtype == np.float16 for k, v in weights.items())
    halved = {k: (v.astype(np.float32) * 0.5).astype(np.float16) for k, v in weights.items()}
    tuned = tmp_path / "tuned.npz"
    np.savez(tuned, **halved)  # type: ignore[arg-type]
    text = "we took grandma to little acorns nursery"
    packaged, read = word_vectors(text, _words(text), None), word_vectors(text, _words(text), tuned)
    assert read.shape == packaged.shape and not np.allclose(packaged, read, atol=1e-3)
    assert np.allclose(np.linalg.norm(read, axis=1), SCALE, rtol=1e-4)
    # the packaged copy is untouched by loading another file
    assert np.array_equal(packaged, word_vectors(text, _words(text), None))

    bad = tmp_path / "bad.npz"
    np.savez(bad, **{"encoder.layer.9.output.dense.weight": np.zeros((384, 1536), np.float16)})
    with pytest.raises(ConfigError, match="has no weight"):
        load_encoder(bad)
    key = next(iter(weights))
    np.savez(bad, **{key: np.zeros((3, 3), np.float16)})
    with pytest.raises(ConfigError, match="shape"):
        load_encoder(bad)
    bad.write_bytes(b"not an npz file")
    with pytest.raises(ConfigError, match="not a fine-tuned encoder"):
        load_encoder(bad)


def test_a_tagger_reads_only_the_vectors_it_was_trained_with(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The weights record what read the vectors they were trained on (the packaged layers, or a tuned file's
    SHA-256); a tagger and vectors of different trainings are refused, not silently mixed."""
    assert fingerprint(None) == fingerprint(tmp_path / "absent.npz") == "packaged"
    tuned = tmp_path / "tuned.npz"
    _, model = load_encoder(None)
    np.savez(tuned, **tuned_weights(model, ["encoder.layer.5."]))  # type: ignore[arg-type]
    assert len(fingerprint(tuned)) == 64 and fingerprint(tuned) != "packaged"
    tagger.model.cache_clear()
    m = tagger.model()  # the shipped weights match what the runtime reads
    assert m.dense is not None
    other = tmp_path / "deid_tagger.npz"
    np.savez(other, weights=m.weights, bias=m.bias, threshold=np.float32(m.threshold), labels=np.array(m.labels),
             dense=m.dense, encoder=np.array(fingerprint(tuned)))
    assert_tagger_refuses(monkeypatch, other, "trained on contextual vectors")
    # the runtime reading tuned layers refuses weights trained on the packaged ones
    monkeypatch.setattr(tagger, "_vectors_fingerprint", lambda: fingerprint(tuned))
    np.savez(other, weights=m.weights, bias=m.bias, threshold=np.float32(m.threshold), labels=np.array(m.labels),
             dense=m.dense, encoder=np.array("packaged"))
    assert_tagger_refuses(monkeypatch, other, "trained on contextual vectors")
