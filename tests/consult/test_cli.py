"""`curbside consult import|export|list|show` through Typer's CliRunner (real database and KB).

Replies are quoted from the MedQuAD fixture pages (NIH, CC BY 4.0).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from curbside.cli.main import app
from curbside.settings import Settings

runner = CliRunner()
ARCHIVE = [
    {"question": "Hello Dr. Ke, my mouth is dry all night and I take several medicines. What causes dry mouth?",
     "age_band": "40-49", "sex": "female", "asked_on": "2022-03-24", "display_name": "Niming",
     "replies": [{"doctor": "Ke Fangxu", "credentials": "MD", "specialty": "Surgery", "replied_on": "2022-03-24",
                  "text": "People get dry mouth when the glands in the mouth that make saliva are not working properly. Ask Dr. Chen Wei-Ting."}]},
    {"question": "Why is my mouth so dry when I wake up? I breathe through my mouth at night.",
     "age_band": "30-39", "sex": "male", "asked_on": "2022-04-02",
     "replies": [{"doctor": "Li Yongheng", "specialty": "Family Medicine", "replied_on": "2022-04-03",
                  "text": "Saliva does more than keep your mouth wet."}]},
]


@pytest.fixture
def archive(tmp_path: Path, consult_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CURBSIDE_DATA_DIR", str(consult_settings.data_dir))
    path = tmp_path / "archive.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in ARCHIVE))
    return path


def test_import_list_show_export(archive: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["consult", "import", str(archive), "--json"])
    assert result.exit_code == 0, result.output
    ids = json.loads(result.stdout)["imported"]
    assert len(ids) == 2

    listed = runner.invoke(app, ["consult", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    assert {c["id"] for c in json.loads(listed.stdout)} == set(ids)
    plain = runner.invoke(app, ["consult", "list"])
    assert "Dr. Ke Fangxu, MD (Surgery)" in plain.stdout  # "Dr." only with a physician's credentials
    assert "— Li Yongheng (Family Medicine)" in plain.stdout and "Dr. Li" not in plain.stdout

    shown = runner.invoke(app, ["consult", "show", str(ids[0]), "--json"])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)
    consult = data["consult"]
    assert {"question", "age_band", "sex", "asked_on", "replies"} <= set(consult)
    assert consult["display_name"] == "Niming" and consult["asked_on"] == "2022-03-24"
    assert "Chen" not in consult["replies"][0]["text"] and "[NAME]" in consult["replies"][0]["text"]
    assert {"bottom_line", "sections", "references", "abstained"} <= set(data["more_info"])
    assert [s["id"] for s in data["similar"]] == [ids[1]]
    assert data["similar"][0]["doctor"] == "Li Yongheng" and data["similar"][0]["url"] == f"/consults/{ids[1]}"
    assert data["related_faq"] and data["related_faq"][0]["specialty"] in ("Surgery", "Family Medicine")

    text = runner.invoke(app, ["consult", "show", str(ids[0])])
    assert "Dr. Ke Fangxu, MD reply · Surgery" in text.stdout and "Niming, 40-49 year old female" in text.stdout

    out = tmp_path / "export.jsonl"
    exported = runner.invoke(app, ["consult", "export", str(out)])
    assert exported.exit_code == 0, exported.output
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["asked_on"] for line in lines] == ["2022-03-24", "2022-04-02"]
    assert lines[0]["replies"][0]["doctor"] == "Ke Fangxu"


def test_show_unknown_consult_is_a_clear_error(archive: Path) -> None:
    result = runner.invoke(app, ["consult", "show", "999", "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"]["code"] == "not_found"
