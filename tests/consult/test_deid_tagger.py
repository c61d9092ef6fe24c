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
    first = tagger.spans(text, text, [], doc=nlp(text))
    assert first == tagger.spans(text, text, [], doc=nlp(text)) == tagger.spans(text, text, [])
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


def test_each_kind_may_have_its_own_threshold() -> None:
    text = "Ada lives at Elm"
    tokens = [(0, 3), (4, 9), (10, 12), (13, 16)]
    o, name, address = 0, tagger.LABELS.index("NAME"), tagger.LABELS.index("ADDRESS")
    probs = np.full((4, len(tagger.LABELS)), 0.0, dtype=np.float32)
    probs[:, o] = 1.0
    probs[0, [o, name]] = (0.15, 0.85)  # "Ada": a name at 0.85
    probs[3, [o, address]] = (0.15, 0.85)  # "Elm": a street at 0.85
    one = tagger.spans_from(text, tokens, probs, 0.9)
    assert one == []  # one threshold for all: neither is sure enough
    each = tagger.spans_from(text, tokens, probs, 0.9, per_kind={"ADDRESS": 0.8})
    assert [(f.kind, text[f.start:f.end]) for f in each] == [("ADDRESS", "Elm")]
    probs[3, [o, address, tagger.LABELS.index("NAME")]] = (0.15, 0.45, 0.4)  # torn between two kinds
    assert tagger.spans_from(text, tokens, probs, 0.9, per_kind={"ADDRESS": 0.8}) == []


def test_the_weights_file_may_set_a_threshold_for_each_kind(monkeypatch: pytest.MonkeyPatch,
                                                             tmp_path: Path) -> None:
    with np.load(tagger.WEIGHTS) as data:
        weights = dict(data)
    kinds = [str(k) for k in weights["labels"][1:3]]
    weights["per_kind_labels"], weights["per_kind"] = np.array(kinds), np.array([0.5, 0.6], dtype=np.float32)
    good = tmp_path / "deid_tagger.npz"
    np.savez(good, **weights)
    monkeypatch.setattr(tagger, "WEIGHTS", good)
    tagger.model.cache_clear()
    try:
        m = tagger.model()
        assert dict(m.per_kind) == pytest.approx({kinds[0]: 0.5, kinds[1]: 0.6})
    finally:
        tagger.model.cache_clear()
    weights["per_kind_labels"] = np.array(["NAME", "SHOE_SIZE"])
    np.savez(good, **weights)
    assert_tagger_refuses(monkeypatch, good, "thresholds for kinds")


@pytest.mark.parametrize(("text", "span"), [
    ("my a1c came back 7.2 last week", "7.2"),
    ("bp was 128/84 at the pharmacy", "128/84"),
    ("diagnosed back in 2019 with asthma", "2019"),
    ("they upped me to 500 mg twice a day", "500 mg"),
    ("she takes 1/2 tablet at night", "1/2"),
])
def test_a_number_read_as_an_id_is_no_reading_dose_or_year(text: str, span: str) -> None:
    from curbside.consult.findings import Finding

    start = text.index(span)
    assert not keep_tagged(text, Finding("ID", start, start + len(span), 0.99, tagger.RECOGNIZER))


def test_a_number_read_as_an_id_is_kept_masked() -> None:
    from curbside.consult.findings import Finding

    text = "the plan number on my card is QTR 5521-0093-4"
    start = text.index("QTR")
    assert keep_tagged(text, Finding("ID", start, len(text), 0.99, tagger.RECOGNIZER))


@pytest.mark.parametrize(("text", "span", "kind", "score", "kept"), [
    ("a grant from the National Eye Institute paid for it", "Institute", "FACILITY", 0.99, False),
    ("referred to the Halvorsen Institute", "Halvorsen Institute", "FACILITY", 0.99, True),
    ("I try for 8000 Steps daily", "Steps", "ADDRESS", 0.9, False),
    ("I try for 8000 Steps daily", "Steps", "ADDRESS", 0.9995, True),
    ("we moved to 14 Larchmont", "Larchmont", "ADDRESS", 0.9, True),
    ("thuốc kháng sinh hai lần", "sinh", "LOCATION", 0.96, False),
    ("we just moved to springfield last year", "springfield", "LOCATION", 0.96, True),
    # a facility named for its specialty after a name of its own is one; a condition named for a place is not
    ("referred to Brindlewood Allergy & Asthma for patch tests", "Brindlewood Allergy & Asthma", "FACILITY", 0.9, True),
    ("she goes to Quarrytown Lung every month", "Quarrytown Lung", "FACILITY", 0.9, True),
    ("tested for Lyme disease after the hike", "Lyme disease", "FACILITY", 0.9, False),
    ("the severe asthma clinic called", "severe asthma", "FACILITY", 0.9, False),
])
def test_what_a_tagged_span_must_be(text: str, span: str, kind: str, score: float, kept: bool) -> None:
    """A kind of place alone names no facility, one common word alone is no street unless the tagger is sure, a
    lower-case place is one a gazetteer knows."""
    from curbside.consult.findings import Finding

    start = text.index(span)
    assert keep_tagged(text, Finding(kind, start, start + len(span), score, tagger.RECOGNIZER)) is kept


def test_a_medicine_listed_after_another_with_its_strength_stands_where_a_medicine_does() -> None:
    from curbside.consult.medical_terms import in_medicine_context

    text = "been on Velmora 20 and Quistal 250 since spring"
    start = text.index("Quistal")
    assert in_medicine_context(text, start, start + len("Quistal"))
    text = "my cousins Harlan 20 and Quistal 250 came"  # no word before the first that gives a medicine
    start = text.index("Quistal")
    assert not in_medicine_context(text, start, start + len("Quistal"))


@pytest.mark.parametrize(("text", "facility"), [
    ("we were at dr ostrander's office on monday for the rash", "dr ostrander's office"),
    ("Dr. Wimberley's sleep clinic sent the results", "Dr. Wimberley's sleep clinic"),
])
def test_a_doctors_place_of_work_by_their_name_is_a_facility(deid: Deidentifier, text: str, facility: str) -> None:
    """"dr X's office": the name and the place are masked as one facility, not the name alone."""
    start = text.index(facility)
    assert any(f.kind == "FACILITY" and f.start <= start and start + len(facility) <= f.end for f in deid.find(text))


def test_a_relatives_office_is_no_facility(deid: Deidentifier) -> None:
    assert deid.find("my sister's office is too cold for her asthma") == []


def test_a_span_grows_over_its_less_certain_neighbours_but_starts_none() -> None:
    """Hysteresis: a token below the threshold joins a span beside it when its probability of an identifier
    reaches ``extend``; alone, it starts no span."""
    text = "saw Brackenfold Psychology today, Psychology later"
    tokens = [(0, 3), (4, 15), (16, 26), (27, 32), (32, 33), (34, 44), (45, 50)]
    assert tagger.LABELS[:3] == ("O", "NAME", "FACILITY")
    rows = [[0.99, 0.01], [0.02, 0.0], [0.4, 0.0], [0.9, 0.1], [1.0, 0.0], [0.4, 0.0], [0.99, 0.01]]
    probs = np.zeros((len(tokens), len(tagger.LABELS)), dtype=np.float32)
    for i, (o, name) in enumerate(rows):
        probs[i, 0], probs[i, 1], probs[i, 2] = o, name, 1.0 - o - name
    plain = tagger.spans_from(text, tokens, probs, 0.95)
    assert [(s.kind, text[s.start:s.end]) for s in plain] == [("FACILITY", "Brackenfold")]
    grown = tagger.spans_from(text, tokens, probs, 0.95, extend=0.5)
    assert [(s.kind, text[s.start:s.end]) for s in grown] == [("FACILITY", "Brackenfold Psychology")]
    shipped = tagger.model()
    assert shipped.extend is None or 0.0 < shipped.extend < 1.0
