"""web/app.py is the app factory only: the services are composed in web/composition.py and the
security headers are middleware in web/middleware.py (one place per idea)."""

from __future__ import annotations

import ast
from pathlib import Path

import curbside.web

WEB = Path(curbside.web.__file__).parent


def _defined(module: str) -> set[str]:
    tree = ast.parse((WEB / f"{module}.py").read_text(encoding="utf-8"))
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)}


def test_the_app_module_builds_the_app_and_nothing_else() -> None:
    assert _defined("app") == {"create_app", "mark_worker_gone"}
    assert {"build_services", "services_for"} <= _defined("composition")
    assert "SecurityHeaders" in _defined("middleware")


def test_the_composition_root_knows_no_web_framework() -> None:
    source = (WEB / "composition.py").read_text(encoding="utf-8")
    assert "fastapi" not in source and "starlette" not in source
