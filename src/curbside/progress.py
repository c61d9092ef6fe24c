"""Progress reporting for long steps, decoupled from any terminal library.

Services take a :class:`Progress`; the CLI passes one drawn with rich, tests and the web app pass
:data:`SILENT` or their own.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def start(self, task: str, total: int | None) -> None:
        """Begin (or restart) a named step of ``total`` units (None if unknown)."""
        ...

    def advance(self, task: str, units: int = 1) -> None:
        """Record ``units`` more done for ``task``."""
        ...

    def note(self, message: str) -> None:
        """A line worth showing the user (a skipped file, a warning)."""
        ...


class _Silent:
    def start(self, task: str, total: int | None) -> None:
        return None

    def advance(self, task: str, units: int = 1) -> None:
        return None

    def note(self, message: str) -> None:
        return None


SILENT: Progress = _Silent()


class Recording:
    """Keeps everything reported (tests, the web app's progress stream)."""

    def __init__(self) -> None:
        self.totals: dict[str, int | None] = {}
        self.done: dict[str, int] = {}
        self.notes: list[str] = []

    def start(self, task: str, total: int | None) -> None:
        self.totals[task] = total
        self.done.setdefault(task, 0)

    def advance(self, task: str, units: int = 1) -> None:
        self.done[task] = self.done.get(task, 0) + units

    def note(self, message: str) -> None:
        self.notes.append(message)
