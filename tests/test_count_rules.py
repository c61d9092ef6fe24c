"""scripts/count_rules.py counts the answer package's regular expressions and listed words (issue 22)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("count_rules", ROOT / "scripts" / "count_rules.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_regexes_and_listed_words_are_counted(tmp_path: Path) -> None:
    answer = tmp_path / "curbside" / "answer"
    answer.mkdir(parents=True)
    (answer / "mod.py").write_text('import re\nA = re.compile(r"a+")\nB = re.compile("b")\n', encoding="utf-8")
    (answer / "rules.toml").write_text(
        'intent = "causes"\ntitle = "What Causes {topic}"\n'
        "patterns = ['\\\\b(caus|due to)', 'why (is|are)']\nwords = [\"fever\", \"sore throat\"]\n",
        encoding="utf-8")
    counts = _script().count(tmp_path)
    assert counts == {"python_re_compile": 2, "toml_regexes": 2, "regexes": 4, "listed_words": 3}
