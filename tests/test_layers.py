"""The layers of docs/architecture.md, enforced: a module imports only from its own layer and the
layers below it; the service layers never import FastAPI, Starlette or Typer; the foundations
import nothing of the services.

Imports are read from the source (every import statement, also inside functions); imports under
``if TYPE_CHECKING:`` are for annotations only and do not count. ``tables.py`` gathers every
``tables`` module for the Alembic chain, which is its job: it may import those and nothing else
above the foundations.
"""

from __future__ import annotations

import ast
from pathlib import Path

import curbside

PACKAGE = Path(curbside.__file__).parent

#: Layer of each top-level module or package of curbside, lowest first (docs/architecture.md).
LAYERS: dict[str, int] = {
    **dict.fromkeys(("settings", "errors", "domain", "text", "times", "events", "progress", "db", "tables",
                     "migrations", "rules", "metrics", "logs", "ratelimit", "workflow", "ngrams", "__init__"), 0),  # foundations
    "accounts": 1,  # users, passwords, sessions: below everything that names a user
    "ingest": 2, "retrieval": 2,  # sources in; the two index protocols and their backends
    "kb": 3,  # the knowledge base
    "answer": 4,
    "articles": 5, "consult": 5,  # the consult board publishes through the article machinery and back
    **dict.fromkeys(("web", "cli", "eval", "reference_docs"), 6),  # edges
}
SERVICES = ("accounts", "ingest", "retrieval", "kb", "answer", "articles", "consult")
FRAMEWORKS = ("fastapi", "starlette", "typer", "uvicorn")


def _top(module: str) -> str:
    return module.split(".")[1] if module.startswith("curbside.") else ""


def _imports(path: Path) -> list[str]:
    """Absolute module names ``path`` imports, outside ``if TYPE_CHECKING:`` blocks."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            typing_only.update(id(child) for stmt in node.body for child in ast.walk(stmt))
    found: list[str] = []
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [f"{node.module}.{alias.name}" for alias in node.names]  # a name or a module
    return found


def _modules() -> list[tuple[str, Path]]:
    return [(path.relative_to(PACKAGE).parts[0].removesuffix(".py"), path) for path in sorted(PACKAGE.rglob("*.py"))]


def test_every_part_of_the_package_has_a_layer() -> None:
    assert sorted({top for top, _ in _modules()} - set(LAYERS)) == []


def test_a_module_imports_only_from_its_layer_and_below() -> None:
    upward: list[str] = []
    for top, path in _modules():
        for module in _imports(path):
            target = _top(module)
            if not target or target not in LAYERS or LAYERS[target] <= LAYERS[top]:
                continue
            if top == "tables" and module.rsplit(".", 1)[-1] in ("tables", "jobs"):  # articles/jobs.py: the job tables
                continue  # the Alembic metadata gathers every table module
            upward.append(f"{path.relative_to(PACKAGE)} imports {module}")
    assert upward == []


def test_accounts_sit_below_articles_consult_and_the_edges() -> None:
    """Articles, the consult board and the edges name users; accounts import only the foundations."""
    assert LAYERS["accounts"] < min(LAYERS[name] for name in ("articles", "consult", "web", "cli"))
    accounts = [path for top, path in _modules() if top == "accounts"]
    assert len(accounts) >= 6  # models, tables, users, passwords, hashing, sessions
    found = [f"{path.relative_to(PACKAGE)} imports {module}" for path in accounts for module in _imports(path)
             if _top(module) not in ("", "accounts") and LAYERS.get(_top(module), 0) > 0]
    assert found == []


def test_the_services_never_import_the_web_or_cli_frameworks() -> None:
    found = [f"{path.relative_to(PACKAGE)} imports {module}" for top, path in _modules() if top in SERVICES
             for module in _imports(path) if module.split(".")[0] in FRAMEWORKS]
    assert found == []


def test_the_check_sees_imports_inside_functions_and_skips_annotations(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from curbside.web import app\n"
                      "def f():\n    from curbside.articles import service\n    import fastapi\n", encoding="utf-8")
    assert sorted(_imports(source)) == ["curbside.articles.service", "fastapi", "typing.TYPE_CHECKING"]
