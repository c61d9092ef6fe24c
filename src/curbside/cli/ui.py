"""Terminal helpers for the CLI: rich progress bars and the one error shape, printed."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import TYPE_CHECKING, Any, NoReturn, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from typer.core import TyperCommand

from curbside.errors import CurbsideError
from curbside.settings import Settings, load_settings

if TYPE_CHECKING:
    from curbside.kb.service import IngestReport

console = Console(stderr=True)
out = Console(highlight=False, soft_wrap=True)

P = ParamSpec("P")
R = TypeVar("R")


class RichProgress:
    """A :class:`curbside.progress.Progress` drawn as rich progress bars on stderr."""

    def __init__(self, bar: Progress) -> None:
        self._bar = bar
        self._tasks: dict[str, TaskID] = {}

    def start(self, task: str, total: int | None) -> None:
        if task in self._tasks:
            self._bar.reset(self._tasks[task], total=total)
        else:
            self._tasks[task] = self._bar.add_task(task, total=total)

    def advance(self, task: str, units: int = 1) -> None:
        if task not in self._tasks:
            self.start(task, None)
        self._bar.advance(self._tasks[task], units)

    def note(self, message: str) -> None:
        self._bar.console.print(f"[yellow]•[/] {message}", markup=True, highlight=False)


@contextmanager
def progress_bars() -> Iterator[RichProgress]:
    bar = Progress(TextColumn("[bold]{task.description:<14}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), TimeRemainingColumn(), console=console, transient=False,
                   disable=not console.is_terminal and not _force_progress())
    with bar:
        yield RichProgress(bar)


def _force_progress() -> bool:
    import os

    return os.environ.get("CURBSIDE_PROGRESS", "") == "1"


def report_error(exc: CurbsideError, *, as_json: bool) -> NoReturn:
    """Print a CurbsideError as one clear line (or JSON with --json) and exit non-zero."""
    if as_json:
        print(json.dumps(exc.to_dict(), indent=2), file=sys.stdout)
    else:
        console.print(f"[bold red]error[/] ({exc.code}): {exc.message}", highlight=False,
                      soft_wrap=True)  # one line, however long
    raise typer.Exit(code=2 if exc.status < 500 else 1) from exc


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Print a CurbsideError as one clear line (or JSON with --json) and exit non-zero."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except CurbsideError as exc:
            report_error(exc, as_json=bool(kwargs.get("as_json")))

    return wrapper


class ErrorShapeCommand(TyperCommand):
    """A command whose option parsers may raise a CurbsideError (a value outside an enum): it is
    printed in the one error shape like any other bad input, not as a usage error. The command's
    ``--json`` must be eager (``is_eager=True``) so that it is read before the value that failed."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except CurbsideError as exc:
            report_error(exc, as_json=bool(ctx.params.get("as_json")))


def settings_from_context() -> Settings:
    return load_settings()


def print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def print_ingest_report(report: IngestReport) -> None:
    """What an ingest did, and the first 20 files or records it skipped."""
    out.print(f"read {report.documents_seen} documents: {report.documents_written} new or changed "
              f"({report.passages_written} passages), {report.documents_unchanged} unchanged")
    if report.flagged:
        out.print(f"flagged {len(report.flagged)} sentences that read as instructions to an AI or "
                  "the reader (kept as data, never quoted or given to an LLM):")
        for flagged in report.flagged[:20]:
            out.print(f"  - {flagged.passage_id} [{flagged.rule}]: {flagged.sentence[:160]}",
                      markup=False)
        if len(report.flagged) > 20:
            out.print(f"  … and {len(report.flagged) - 20} more (use --json for all)")
    if report.problems:
        out.print(f"skipped {len(report.problems)}:")
        for problem in report.problems[:20]:
            out.print(f"  - {problem.origin}: {problem.message}", markup=False)
        if len(report.problems) > 20:
            out.print(f"  … and {len(report.problems) - 20} more (use --json for all)")


class _StderrNotices(logging.Handler):
    """Writes to whatever sys.stderr is at the time (test runners swap it per invocation)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
        except Exception:  # logging must never break a command
            self.handleError(record)


_notices = _StderrNotices()
_notices.setFormatter(logging.Formatter("curbside: %(message)s"))


def show_notices() -> None:
    """Print curbside's log notices on stderr: the embedding model's one-time conversion or its
    fallback to PyTorch, an LLM fallback, the starter pack's first install."""
    logger = logging.getLogger("curbside")
    if _notices not in logger.handlers:
        logger.addHandler(_notices)
    logger.setLevel(logging.INFO)
