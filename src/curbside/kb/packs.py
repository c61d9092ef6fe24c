"""Knowledge packs: sources, passages and precomputed vectors, installed without re-embedding.

A pack is a directory:

- ``manifest.json``: name, version, chunker, embedding model and dimension, counts, licences and
  a SHA-256 of every data file;
- ``documents.jsonl.gz``: one line per source, ``{"source": {...}, "passages": [{id, position,
  headings, text}, ...]}``;
- ``vectors.f16.npy``: one float16 row per passage, in file order;
- ``LICENSES/``: the licence and attribution texts of every collection in it.

The bundled starter pack is built from MedQuAD (CC BY 4.0) and PubMedQA (MIT) by
``scripts/build_starter_pack.py``; installing it needs no network and no embedding.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from curbside.domain import Passage, Section, Source, SourceDocument
from curbside.errors import ConfigError
from curbside.kb.service import KnowledgeBase
from curbside.kb.store import IndexState
from curbside.progress import SILENT, Progress

PACK_FORMAT = 1


def starter_pack_dir() -> Path:
    """The starter pack bundled inside the package."""
    return Path(__file__).resolve().parent.parent / "packs" / "starter"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(pack: Path) -> dict[str, Any]:
    manifest = pack / "manifest.json"
    if not manifest.exists():
        raise ConfigError(f"{pack} is not a knowledge pack (no manifest.json). Rebuild it with scripts/build_starter_pack.py.")
    data: dict[str, Any] = json.loads(manifest.read_text())
    if data.get("format") != PACK_FORMAT:
        raise ConfigError(f"{pack}: pack format {data.get('format')} is not supported (expected {PACK_FORMAT}).")
    return data


def iter_pack(pack: Path) -> Iterator[tuple[SourceDocument, list[Passage]]]:
    with gzip.open(pack / "documents.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            source = Source.model_validate(record["source"])
            passages = [Passage(source_id=source.id, **p) for p in record["passages"]]
            sections = [Section(headings=p.headings, text=p.text, kind=p.section_type) for p in passages]
            yield SourceDocument(source=source, sections=sections, origin=f"pack:{pack.name}"), passages


def install_pack(kb: KnowledgeBase, pack: Path, *, progress: Progress = SILENT, verify: bool = True) -> int:
    """Load a pack into ``kb``; resumable and idempotent. Returns passages newly stored."""
    manifest = read_manifest(pack)
    marker = f"pack:{manifest['name']}"
    state = kb.store.index_state(marker)
    if state.built_with.get("version") == manifest["version"]:
        kb.refresh(progress=progress)  # finish an index sync a crash may have cut short
        return 0
    if verify:
        for name, digest in manifest["sha256"].items():
            if _sha256(pack / name) != digest:
                raise ConfigError(f"{pack / name} is damaged (checksum mismatch); reinstall curbside or rebuild the pack.")
    vectors = np.load(pack / "vectors.f16.npy", mmap_mode="r")
    use_vectors = manifest["embedding_model"] == kb.embedder.name and vectors.shape[1] == kb.embedder.dim
    progress.start("install pack", int(manifest["passages"]))
    added = 0
    row = 0
    batch: list[tuple[SourceDocument, list[Passage]]] = []
    batch_rows: list[int] = []

    def flush() -> None:
        nonlocal added
        added += kb.add_prechunked(batch, manifest["chunker"])
        if use_vectors:
            ids = [p.id for _, ps in batch for p in ps]
            found = kb.store.passages_by_id(ids)
            pks = [found[i][0] for i in ids]
            kb.store.write_embeddings(kb.embedder.name, pks, np.asarray(vectors[batch_rows], dtype=np.float32))
        progress.advance("install pack", len(batch_rows))
        batch.clear()
        batch_rows.clear()

    for document, passages in iter_pack(pack):
        batch.append((document, passages))
        batch_rows.extend(range(row, row + len(passages)))
        row += len(passages)
        if len(batch_rows) >= 2000:
            flush()
    if batch:
        flush()
    kb.refresh(progress=progress)  # embeds anything the pack had no vectors for, then indexes
    kb.store.save_index_state(IndexState(marker, 0, 0, {"version": manifest["version"], "name": manifest["name"]}))
    return added


def ensure_starter_pack(kb: KnowledgeBase, *, progress: Progress = SILENT) -> bool:
    """Install the starter pack (``starter_pack_path``, else the bundled one) if it is not installed
    yet; True when it did work."""
    pack = kb.settings.starter_pack_path or starter_pack_dir()
    if not (pack / "manifest.json").exists():
        return False
    manifest = read_manifest(pack)
    state = kb.store.index_state(f"pack:{manifest['name']}")
    if state.built_with.get("version") == manifest["version"]:
        return False
    install_pack(kb, pack, progress=progress)
    return True


def write_pack(out: Path, name: str, version: str, items: Iterable[tuple[SourceDocument, list[Passage]]],
               vectors: np.ndarray[Any, Any], *, chunker: str, embedding_model: str,
               licenses: dict[str, str], description: str,
               provenance: dict[str, Any] | None = None) -> dict[str, Any]:
    """Write a pack directory from chunked documents and their vectors (rows in passage order).
    ``provenance`` (what each collection was built from: repositories, commits) goes into the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    n_sources = n_passages = 0
    collections: dict[str, int] = {}
    with gzip.GzipFile(out / "documents.jsonl.gz", "wb", mtime=0) as raw:
        for document, passages in items:
            record = {"source": document.source.model_dump(mode="json", exclude_defaults=True),
                      "passages": [p.model_dump(mode="json", exclude={"source_id"}) for p in passages]}
            raw.write((json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8"))
            n_sources += 1
            n_passages += len(passages)
            collections[document.source.collection] = collections.get(document.source.collection, 0) + 1
    if vectors.shape[0] != n_passages:
        raise ConfigError(f"{vectors.shape[0]} vectors for {n_passages} passages")
    np.save(out / "vectors.f16.npy", np.asarray(vectors, dtype="<f2"))
    lic_dir = out / "LICENSES"
    lic_dir.mkdir(exist_ok=True)
    for filename, text in licenses.items():
        (lic_dir / filename).write_text(text, encoding="utf-8")
    manifest = {
        "format": PACK_FORMAT, "name": name, "version": version, "description": description,
        "chunker": chunker, "embedding_model": embedding_model, "dim": int(vectors.shape[1]),
        "sources": n_sources, "passages": n_passages, "collections": collections,
        "licenses": sorted(licenses), **({"provenance": provenance} if provenance else {}),
        "sha256": {f: _sha256(out / f) for f in ("documents.jsonl.gz", "vectors.f16.npy")},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest
