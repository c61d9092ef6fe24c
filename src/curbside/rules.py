"""One loader for the rule data kept as TOML in the package.

Every rule file (``answer/understand/plans/*.toml``, ``consult/data/*.toml``) is read by
:func:`load_rules`: parsed as TOML and checked against a pydantic model of its shape. The models
derive from :class:`RuleModel`, which refuses keys it does not declare, so a misspelled key is an
error naming the file and the key (``ask[3].titel``) instead of a rule silently left unread. A
missing file, broken TOML, a missing key or a value of the wrong type is a :class:`ConfigError`
naming the file too.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from curbside.errors import ConfigError

_ROOT = Path(__file__).resolve().parent.parent  # where the package ``curbside`` lies

M = TypeVar("M", bound=BaseModel)


class RuleModel(BaseModel):
    """The shape of a rule file or of one of its tables: a key it does not declare is refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def rule_file(package: str, *parts: str) -> Traversable:
    """A file packaged with ``package``, e.g. ``rule_file("curbside.consult", "data", "deid.toml")``."""
    return resources.files(package).joinpath(*parts)


def load_rules(model: type[M], file: Traversable | Path) -> M:
    """The rule file ``file`` read and checked against ``model``.

    Raises :class:`ConfigError` naming the file when it is missing or not TOML, and naming the
    file and the key when a key is unknown, missing or of the wrong type.
    """
    name = _name(file)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"Rule file {name} is missing; reinstall curbside.", details={"file": name}) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Rule file {name} is not valid TOML: {exc}", details={"file": name}) from exc
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [_problem(error["type"], error["loc"], error["msg"]) for error in exc.errors()]
        keys = [_key(error["loc"]) for error in exc.errors()]
        raise ConfigError(f"Rule file {name}: {'; '.join(problems)}.",
                          details={"file": name, "keys": keys}) from exc


def _name(file: Traversable | Path) -> str:
    """The file as a path from the package (``curbside/consult/data/deid.toml``) or as given."""
    try:
        return Path(str(file)).resolve().relative_to(_ROOT).as_posix()
    except (ValueError, OSError):
        return str(file)


def _key(loc: tuple[int | str, ...]) -> str:
    """A key's place in the file: ``ask[3].title`` (tables by name, arrays by index from 0)."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _problem(kind: str, loc: tuple[int | str, ...], message: Any) -> str:
    key = _key(loc)
    if kind == "extra_forbidden":
        return f"unknown key '{key}' (a misspelling, or a rule nothing reads)"
    if kind == "missing":
        return f"missing key '{key}'"
    return f"key '{key}': {message}"
