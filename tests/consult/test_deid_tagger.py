"""The learned de-identification tagger (consult/tagger.py): invented examples only, never the bench sets'."""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pytest

from curbside.consult import tagger
from curbside.consult.deid import Deidentifier, keep_tagged
from curbside.consult.token_vectors import word_vectors
from tests.consult.conftest import assert_tagger_refuses


def _covered(deid: Deidentifier, text: str, identifier: str) -> bool:
    start = text.index(identifier)
    spans = [(f.start, f.end) for f in deid.find(text)]
    return all(any(s <= i < e for s, e in spans) for i in range(start, start + len(identifier))
               if text[i].isalnum())


def _touched(deid: Deidentifier, text: str, term: str) -> bool:
    start = text.index(term)
    return any(f.start < start + len(term) and start < f.end for f in deid.find(text))


@pytest.mark.parametrize(("text", "identifier"), [
    ("Yesterday my brother Hunter fainted after his evening dose.", "Hunter"),
    ("We drove my aunt Patience to the walk-in clinic because her ankle swelled.", "Patience"),
    ("My neighbour Sunny drove me to Brightwater Family Dentistry on Tuesday.", "Brightwater Family Dentistry"),
])
def test_common_word_names_and_brand_like_facilities_masked(deid: Deidentifier, text: str, identifier: str) -> None:
    assert deid.tagger
    assert _covered(deid, text, identifier)


@pytest.mark.parametrize(("text", "term"), [
    ("She was diagnosed with Graves disease last spring and now takes methimazole.", "Graves disease"),
    ("After a tick bite he developed Lyme disease; doxycycline was started.", "Lyme disease"),
    ("I take metformin 500 mg twice a day and my A1c is 7.2.", "metformin 500 mg"),
    ("Our son has Crohn disease and gets infliximab infusions every eight weeks.", "infliximab"),
])
def test_eponyms_and_medicines_kept(deid: Deidentifier, text: str, term: str) -> None:
    assert not _touched(deid, text, term)


@pytest.mark.parametrize(("text", "identifier"), [
    ("the nurse at brookline family medicine told me to ice it", "brookline family medicine"),
    ("i pulled a muscle lifting boxes at the costco depot in mesa last week", "costco depot"),
])
def test_the_words_around_a_lower_case_facility_name_tell_its_kind(deid: Deidentifier, text: str,
                                                                     identifier: str) -> None:
    """The contextual vectors (consult/token_vectors.py) read the whole name; the hashed features alone masked only
    its first word."""
    assert tagger.model().dense is not None
    assert _covered(deid, text, identifier)


def test_weights_load_and_score_deterministically(deid: Deidentifier) -> None:
    m = tagger.model()
    assert m.labels == tagger.LABELS  # the shipped file says which kinds it was trained for
    assert m.weights.shape == (tagger.DIM, len(m.labels))
    assert 0.0 < m.threshold < 1.0
    assert tagger.WEIGHTS.stat().st_size < 3_000_000
    # the hash is zlib.crc32: stable across processes and Python versions
    assert tagger._slot("w=hello") == zlib.crc32(b"w=hello") % tagger.DIM
    text = "My neighbour Sunny drove me to Brightwater Family Dentistry on Tuesday."
    nlp = deid._nlp()
    first = tagger.spans(text, text, [], keep_tagged, doc=nlp(text))
    assert first == tagger.spans(text, text, [], keep_tagged, doc=nlp(text)) == tagger.spans(text, text, [], keep_tagged)
    tokens, features = tagger.token_features(text, text, [], nlp(text))
    vectors = word_vectors(text, tokens) if m.dense is not None else None
    probs = tagger.probabilities(tagger.hashed(features), m, vectors)
    assert probs.shape == (len(tokens), len(m.labels))
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    assert np.array_equal(probs, tagger.probabilities(tagger.hashed(features), m, vectors))


def test_weights_for_other_labels_are_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with np.load(tagger.WEIGHTS) as data:
        weights = dict(data)
    weights["labels"] = np.array(["NAME", "O"])  # "O" must come first
    bad = tmp_path / "deid_tagger.npz"
    np.savez(bad, **weights)
    assert_tagger_refuses(monkeypatch, bad, "labels")


def test_off_switch_and_missing_weights(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Deidentifier(tagger=False).tagger is False
    assert_tagger_refuses(monkeypatch, tagger.WEIGHTS.with_name("no_such_weights.npz"), "weights are missing")


@pytest.mark.parametrize(("text", "kept"), [
    ("the booster was 10/16 at the pharmacy", "the booster was [DATE] at the pharmacy"),
    ("i saw the surgeon on 3 april about my knee", "i saw the surgeon on [DATE] about my knee"),
])
def test_the_tagger_learns_dates_the_rules_miss(deid: Deidentifier, text: str, kept: str) -> None:
    assert Deidentifier(tagger=False).mask(text).text == text  # the rules alone leave them
    assert deid.mask(text).text == kept


@pytest.mark.parametrize("text", ["She rested on Monday and felt better.", "Take 1/2 tablet with food.",
                                  "the gp dr wants bloods", "is Internal Medical a specialty"])
def test_what_the_tagger_may_not_mask(deid: Deidentifier, text: str) -> None:
    """A weekday alone, a dose's fraction, a title alone and common words the tagger is unsure of stay."""
    assert deid.mask(text).text == text
