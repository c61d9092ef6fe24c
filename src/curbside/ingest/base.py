"""The ingest adapter protocol: one adapter per source format.

An adapter says whether it can read a path and yields :class:`SourceDocument` records from it.
A file it cannot read raises :class:`curbside.errors.SourceFormatError` (the pipeline reports it
and goes on with the rest); a bad record inside an otherwise good file is yielded as an
:class:`IngestProblem` so that the file's other records still load.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from curbside.domain import SourceDocument


@dataclass(frozen=True)
class IngestProblem:
    """A file or record that was skipped, and why."""

    origin: str
    message: str


class Adapter(Protocol):
    name: str

    def can_read(self, path: Path) -> bool:
        """True when ``path`` looks like this adapter's format (by name and a peek at its start)."""
        ...

    def read(self, path: Path) -> Iterator[SourceDocument | IngestProblem]:
        """Yield the documents in ``path``; raise SourceFormatError if the file is unreadable."""
        ...


def file_head(path: Path, suffixes: Collection[str], size: int) -> bytes:
    """The first ``size`` bytes of ``path`` when its suffix (in lower case) is one of ``suffixes``;
    empty when it is not, or when the file cannot be read: what ``can_read`` peeks at."""
    if path.suffix.lower() not in suffixes:
        return b""
    try:
        with path.open("rb") as fh:
            return fh.read(size)
    except OSError:
        return b""
