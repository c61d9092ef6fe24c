"""Contextual word vectors from the packaged MiniLM for the de-identification tagger (consult/token_vectors.py)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from curbside.consult import tagger
from curbside.consult.token_vectors import DIM, SCALE, WINDOW, word_vectors
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
