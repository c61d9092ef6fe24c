"""The one loader of rule files (``curbside/rules.py``): every packaged TOML rule file loads through
it, and a key its model does not declare is refused with an error naming the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

import curbside
from curbside.answer import safety
from curbside.answer.select import ontopic, segments, units
from curbside.answer.understand import analysis, plan_files
from curbside.answer.understand.plans import load_data, plan_for, question_template
from curbside.consult import stance
from curbside.consult.lexicons import DeidFile, lexicons
from curbside.domain import Audience, Intent
from curbside.errors import ConfigError
from curbside.rules import load_rules, rule_file

PACKAGE = Path(curbside.__file__).parent
PLANS = PACKAGE / "answer" / "understand" / "plans"
CONSULT_DATA = PACKAGE / "consult" / "data"


def _model(path: Path) -> type[BaseModel]:
    """The model each packaged rule file is read with, by its place in the package."""
    if path.parent == PLANS:
        return plan_files.model_for(path.stem)
    return {CONSULT_DATA / "deid.toml": DeidFile, CONSULT_DATA / "stance.toml": stance.StanceFile}[path]


def test_every_packaged_rule_file_loads_cleanly() -> None:
    files = sorted(PACKAGE.rglob("*.toml"))
    assert {f.parent for f in files} == {PLANS, CONSULT_DATA}  # a rule file elsewhere needs its model here
    assert len(files) >= 17
    for path in files:
        load_rules(_model(path), path)


def test_every_packaged_rule_file_loads_through_its_reader() -> None:
    for path in sorted(PLANS.glob("*.toml")):
        assert load_data(path.stem)
    for intent in Intent:
        assert question_template(intent)
        for audience in (Audience.PATIENT, Audience.CLINICIAN):
            assert plan_for(intent, audience).sections
    assert analysis.rules().intents and segments.rules().max_words and units.lexicon().openers
    assert ontopic._rules().asks and safety.red_flags()
    assert lexicons().surnames
    assert stance.treatment_stances("Avoid ibuprofen.")


def _edit(path: Path, old: str, new: str, tmp_path: Path) -> Path:
    text = path.read_text(encoding="utf-8")
    assert old in text
    out = tmp_path / path.name
    out.write_text(text.replace(old, new, 1), encoding="utf-8")
    return out


# (file, text to find, replaced by, the unknown key as the error names it)
UNKNOWN_KEYS = [
    (PLANS / "analysis.toml", "[ask.dosage]\n", '[ask.dosage]\ntitel = "Misspelled"\n', "ask.dosage.titel"),
    (PLANS / "sections.toml", "[overview]\n", "[overview]\ncuess = []\n", "overview.cuess"),
    (PLANS / "causes.toml", "[patient]\n", "[patient]\nbottom_lines = []\n", "patient.bottom_lines"),
    (PLANS / "causes.toml", "sections = [", 'sections = [{ use = "overview", max_item = 3 }, ',
     "clinician.sections[0].max_item"),
    (PLANS / "composer.toml", "[glue]\n", "[glue]\nstarter = []\n", "glue.starter"),
    (PLANS / "safety.toml", "[medication]\n", "[medication]\nclinician = 'x'\n", "medication.clinician"),
    (CONSULT_DATA / "deid.toml", "[names]\n", "[names]\nsurname = []\n", "names.surname"),
    (CONSULT_DATA / "stance.toml", "[treatment]\n", "[treatment]\nagainst = []\n", "treatment.against"),
]


@pytest.mark.parametrize(("path", "old", "new", "key"), UNKNOWN_KEYS, ids=[k for *_, k in UNKNOWN_KEYS])
def test_an_unknown_key_is_refused_naming_the_file_and_the_key(path: Path, old: str, new: str, key: str,
                                                               tmp_path: Path) -> None:
    bad = _edit(path, old, new, tmp_path)
    with pytest.raises(ConfigError) as caught:
        load_rules(_model(path), bad)
    error = caught.value
    assert f"unknown key '{key}'" in error.message and str(bad) in error.message
    assert error.details == {"file": str(bad), "keys": [key]}
    assert error.to_dict()["error"]["code"] == "config_error"


def test_an_ask_for_a_type_the_taxonomy_lacks_is_refused(tmp_path: Path) -> None:
    bad = _edit(PLANS / "analysis.toml", "[ask.dosage]\n", "[ask.dosge]\n", tmp_path)
    with pytest.raises(ConfigError, match=r"ask\.dosge") as caught:
        load_rules(_model(PLANS / "analysis.toml"), bad)
    assert str(bad) in caught.value.message and "'dosage'" in caught.value.message  # the types it may name


def test_a_top_level_unknown_key_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "stance.toml"
    bad.write_text('urgents = ["x"]\n' + (CONSULT_DATA / "stance.toml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown key 'urgents'"):
        load_rules(stance.StanceFile, bad)


def test_a_missing_key_and_a_wrong_type_name_the_key(tmp_path: Path) -> None:
    bad = _edit(PLANS / "composer.toml", "max_condition_words", "max_conditions", tmp_path)
    with pytest.raises(ConfigError) as caught:
        load_rules(plan_files.ComposerFile, bad)
    assert "missing key 'algorithm.max_condition_words'" in caught.value.message
    assert "unknown key 'algorithm.max_conditions'" in caught.value.message
    wrong = tmp_path / "deid.toml"
    wrong.write_text("[eponyms]\nunambiguous = 'Addison'\nambiguous = []\nhead_nouns = []\n"
                     "[medical]\nwords = []\nsuffixes = []\n[names]\ntitles = []\nsurnames = [1]\n"
                     "[holidays]\naliases = []\n[facilities]\nchains = []\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_rules(DeidFile, wrong)
    assert caught.value.details["keys"] == ["eponyms.unambiguous", "names.surnames[0]"]


def test_a_missing_or_broken_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"curbside/consult/data/nowhere\.toml is missing"):
        load_rules(DeidFile, rule_file("curbside.consult", "data", "nowhere.toml"))
    broken = tmp_path / "deid.toml"
    broken.write_text("[names\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"deid\.toml is not valid TOML"):
        load_rules(DeidFile, broken)
