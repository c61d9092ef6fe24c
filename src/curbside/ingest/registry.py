"""Which adapter reads which file, and reading whole paths (files and directories)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from curbside.domain import SourceDocument
from curbside.errors import SourceFormatError
from curbside.ingest.base import Adapter, IngestProblem
from curbside.ingest.beir import BEIRAdapter
from curbside.ingest.dailymed import DailyMedAdapter
from curbside.ingest.documents import DocumentsAdapter
from curbside.ingest.medlineplus import MedlinePlusAdapter
from curbside.ingest.medlineplus_jsonl import MedlinePlusJSONLAdapter
from curbside.ingest.medquad import MedQuADAdapter
from curbside.ingest.openfda import OpenFDALabelAdapter
from curbside.ingest.pmc import PMCAdapter
from curbside.ingest.pubmed import PubMedAdapter
from curbside.ingest.pubmedqa import PubMedQAAdapter

#: Tried in order; the first whose ``can_read`` says yes reads the file.
ADAPTERS: list[Adapter] = [MedQuADAdapter(), PubMedQAAdapter(), BEIRAdapter(), OpenFDALabelAdapter()]
ADAPTERS += [PubMedAdapter(), PMCAdapter(), DailyMedAdapter(), MedlinePlusAdapter(), MedlinePlusJSONLAdapter()]
ADAPTERS += [DocumentsAdapter()]

_SKIP_NAMES = {"license", "license.txt", "readme.txt", "source.md", "readme.md"}


def adapter_for(path: Path) -> Adapter | None:
    for adapter in ADAPTERS:
        if adapter.can_read(path):
            return adapter
    return None


def list_files(paths: Iterable[Path]) -> list[Path]:
    """Files under ``paths`` in a stable order (hidden files and licence/readme files left out)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)))
        else:
            files.append(path)
    return [f for f in files if f.name.lower() not in _SKIP_NAMES]


def read_paths(paths: Iterable[Path], *,
               max_expanded_bytes: int | None = None) -> Iterator[SourceDocument | IngestProblem]:
    """Documents from every readable file; unreadable or unknown files become problems.

    ``max_expanded_bytes`` caps what one zip may expand to (``dailymed.max_expanded_mb``)."""
    for file in list_files(paths):
        if not file.exists():
            yield IngestProblem(str(file), "no such file")
            continue
        adapter = adapter_for(file)
        if isinstance(adapter, DailyMedAdapter) and max_expanded_bytes is not None:
            adapter = DailyMedAdapter(max_expanded_bytes=max_expanded_bytes)
        if adapter is None:
            yield IngestProblem(str(file), "no adapter reads this kind of file")
            continue
        try:
            yield from adapter.read(file)
        except SourceFormatError as exc:
            yield IngestProblem(str(file), exc.message)
        except (OSError, UnicodeDecodeError, ValueError, RecursionError, MemoryError) as exc:
            yield IngestProblem(str(file), f"{adapter.name} could not read it: {exc!r}")
