"""Build the bundled starter knowledge pack (reproducible).

Only redistributable collections go in: MedQuAD's answered subsets (CC BY 4.0), the PubMedQA
expert-labelled abstracts (MIT), openFDA drug labels (public domain, CC0) and MedlinePlus health
topic summaries (public domain). NFCorpus and SciFact are benchmark-only (their licences).

    python scripts/build_starter_pack.py [--data ../shared/data] [--out src/curbside/packs/starter]
        [--openfda PATH] [--medlineplus PATH] [--limit N] [--dry-run]

``--openfda``: the PharmGKB/fda-labels-monitored snapshot — its bare git directory (the files are
read from the recorded commit with ``git show``) or a checked-out folder of its ``*.json`` labels.
``--medlineplus``: the ajklthr/medlineplus-qa snapshot — a bare git directory, a checkout, or the
``medline_plus_english_chunked.pkl`` file itself. That file is a Python pickle of LangChain
documents: it is never loaded as such. :func:`read_document_pickle` unpickles it with an unpickler
that knows one class (LangChain's ``Document``, mapped to a plain stub that only keeps its state)
and refuses every other global, so nothing in the file can run code; the documents are written to
JSON lines (``medlineplus_topics.jsonl`` in ``--work``) that curbside's MedlinePlus JSONL adapter
reads. Where a MedlinePlus topic is also in MedQuAD's 4_MPlus_Health_Topics_QA (same page name in
its URL, or same title), the newer MedlinePlus text is kept and the MedQuAD page left out.

``--limit N`` reads at most N files (labels) and N MedlinePlus topics; ``--dry-run`` reads, chunks
and counts (sources, passages per collection, an estimate of the pack's size) without embedding or
writing the pack.
"""

from __future__ import annotations

import argparse
import io
import json
import pickle
import re
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from curbside.domain import Passage, SourceDocument
from curbside.ingest.base import IngestProblem
from curbside.ingest.chunking import Chunker
from curbside.ingest.registry import read_paths
from curbside.settings import Settings

MEDQUAD_ANSWERED = ["1_CancerGov_QA", "2_GARD_QA", "3_GHR_QA", "4_MPlus_Health_Topics_QA", "5_NIDDK_QA",
                    "6_NINDS_QA", "7_SeniorHealth_QA", "8_NHLBI_QA_XML", "9_CDC_QA"]
VERSION = "2026.12.6"
OPENFDA_REPO, OPENFDA_COMMIT = "PharmGKB/fda-labels-monitored", "0eb56364e48a4846c2455635fc919bcbd01a6746"
MEDLINEPLUS_REPO, MEDLINEPLUS_COMMIT = "ajklthr/medlineplus-qa", "ef6564c8967287e23c8f67b3e9dd0afb84e7cbca"
MEDLINEPLUS_PICKLE = "data/medline_plus_english_chunked.pkl"
#: The one class the MedlinePlus pickle may name.
DOCUMENT_CLASS = ("langchain_core.documents.base", "Document")
#: Bytes a passage takes in the pack: its 384 float16 dimensions, plus ~compressed JSON measured on
#: the current pack (documents.jsonl.gz bytes / passages).
_VECTOR_BYTES = 384 * 2


# --- the MedlinePlus pickle, read without running anything in it --------------------------------

class PickledDocument:
    """Stands in for LangChain's ``Document``: keeps the state the pickle gives it, nothing else."""

    state: Any = None

    def __setstate__(self, state: Any) -> None:
        self.state = state


class DocumentUnpickler(pickle.Unpickler):
    """Resolves LangChain's ``Document`` to :class:`PickledDocument`; refuses every other global."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == DOCUMENT_CLASS:
            return PickledDocument
        raise pickle.UnpicklingError(f"refused: the pickle names {module}.{name}; only {'.'.join(DOCUMENT_CLASS)} is allowed")

    def persistent_load(self, pid: Any) -> Any:
        raise pickle.UnpicklingError("refused: persistent ids are not allowed")


def _fields(doc: PickledDocument) -> dict[str, Any]:
    state = doc.state
    if isinstance(state, tuple) and len(state) == 2 and isinstance(state[0], dict):  # (dict, slots)
        state = state[0]
    if isinstance(state, dict) and isinstance(state.get("__dict__"), dict):  # pydantic v1 (langchain_core)
        state = state["__dict__"]
    if not isinstance(state, dict):
        raise pickle.UnpicklingError(f"a Document's state is a {type(state).__name__}, not a dict")
    return state


def read_document_pickle(data: bytes) -> list[dict[str, Any]]:
    """The MedlinePlus chunks in a pickled list of LangChain documents, as JSON-ready records in
    file order (``chunk`` numbers each topic's chunks from 0)."""
    docs = DocumentUnpickler(io.BytesIO(data)).load()
    if not isinstance(docs, list) or not all(isinstance(d, PickledDocument) for d in docs):
        raise pickle.UnpicklingError("expected a list of Documents")
    records: list[dict[str, Any]] = []
    chunks: Counter[str] = Counter()
    for doc in docs:
        fields = _fields(doc)
        meta = fields.get("metadata") if isinstance(fields.get("metadata"), dict) else {}
        text = fields.get("page_content")
        if not isinstance(text, str):
            raise pickle.UnpicklingError("a Document without page_content text")
        meta = {str(k): v for k, v in meta.items() if isinstance(v, (str, int, float)) or v is None}
        url = str(meta.get("URL") or "")
        record = {"id": str(meta.get("ID") or ""), "title": str(meta.get("Title") or ""), "url": url,
                  "language": str(meta.get("Language") or ""), "chunk": chunks[url], "text": text,
                  "meta_description": str(meta.get("Meta Description") or "")}
        rest = {k: v for k, v in meta.items() if k not in ("ID", "Title", "URL", "Language", "Meta Description")}
        if rest:
            record["metadata"] = rest
        chunks[url] += 1
        records.append(record)
    return records


def write_jsonl(records: list[dict[str, Any]], out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
    return out


# --- snapshots: a bare git directory or a checkout ----------------------------------------------

def _is_git_dir(path: Path) -> bool:
    return path.is_dir() and (path / "HEAD").is_file() and (path / "objects").is_dir()


def _git(git_dir: Path, *args: str) -> bytes:
    return subprocess.run(["git", f"--git-dir={git_dir}", *args], check=True, capture_output=True).stdout


def snapshot_commit(path: Path) -> str:
    """The commit a snapshot (bare git dir or checkout) is at; "" when it is not a git repository."""
    git_dir = path if _is_git_dir(path) else path / ".git"
    if not git_dir.exists():
        return ""
    return _git(git_dir, "rev-parse", "HEAD").decode().strip()


def openfda_files(path: Path, work: Path, commit: str, limit: int | None) -> list[Path]:
    """The label JSON files of the snapshot, from ``commit`` of a bare git dir (copied into ``work``)
    or from a folder."""
    if not _is_git_dir(path):
        files = sorted(p for p in path.glob("*.json") if p.name != "timestamp.json")
        return files[:limit] if limit else files
    names = [n for n in _git(path, "ls-tree", "--name-only", commit).decode().split("\n")
             if n.endswith(".json") and n != "timestamp.json"]
    out = work / "openfda"
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for name in names[:limit] if limit else names:
        target = out / name
        target.write_bytes(_git(path, "show", f"{commit}:{name}"))
        files.append(target)
    return files


def medlineplus_pickle(path: Path, commit: str) -> bytes:
    if path.is_file():
        return path.read_bytes()
    if _is_git_dir(path):
        return _git(path, "show", f"{commit}:{MEDLINEPLUS_PICKLE}")
    return (path / MEDLINEPLUS_PICKLE).read_bytes()


# --- MedQuAD's MedlinePlus pages that the newer MedlinePlus file replaces -----------------------

_NON_WORD = re.compile(r"[^a-z0-9]+")


def _page_name(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1].removesuffix(".html").lower()


def _title_key(title: str) -> str:
    return " ".join(_NON_WORD.sub(" ", title.lower()).split())


def replaced_by_medlineplus(source: Any, pages: set[str], titles: set[str]) -> bool:
    """Whether a MedQuAD MedlinePlus Health Topics page is also in the newer MedlinePlus file."""
    if not source.id.startswith("medquad:MPlusHealthTopics:"):
        return False
    return (bool(source.url) and _page_name(source.url) in pages) or _title_key(source.title) in titles


# --- the build ------------------------------------------------------------------------------------

def _documents(paths: list[Path], limit: int | None) -> Iterator[SourceDocument | IngestProblem]:
    count = 0
    for item in read_paths(paths):
        yield item
        count += isinstance(item, SourceDocument)
        if limit and count >= limit:
            return


def reusable_vectors(pack: Path, model: str) -> dict[str, Any]:
    """The vectors of an earlier pack by the text they embed (its passages' context text), when that
    pack was embedded with the same model: a rebuild embeds only what is new or changed."""
    import numpy as np

    from curbside.kb.packs import iter_pack, read_manifest

    if not (pack / "manifest.json").exists() or read_manifest(pack)["embedding_model"] != model:
        return {}
    vectors = np.load(pack / "vectors.f16.npy")
    texts = [p.context_text for _, ps in iter_pack(pack) for p in ps]
    return dict(zip(texts, vectors, strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    root = Path(__file__).resolve().parent.parent
    parser.add_argument("--data", type=Path, default=root.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=root / "src" / "curbside" / "packs" / "starter")
    parser.add_argument("--reuse", type=Path, default=None,
                        help="an earlier pack whose vectors are reused for unchanged passages (e.g. the bundled one)")
    parser.add_argument("--openfda", type=Path, help=f"{OPENFDA_REPO} snapshot (bare git dir or checkout)")
    parser.add_argument("--medlineplus", type=Path, help=f"{MEDLINEPLUS_REPO} snapshot (bare git dir, checkout or the .pkl)")
    parser.add_argument("--work", type=Path, default=None, help="where the converted files go (default: a temporary folder)")
    parser.add_argument("--limit", type=int, default=None, help="at most this many sources per collection (for a quick try)")
    parser.add_argument("--dry-run", action="store_true", help="read, chunk and count; do not embed or write the pack")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="curbside-starter-") as tmp:
        build(args, args.work or Path(tmp))


def build(args: argparse.Namespace, work: Path) -> None:
    settings = Settings()
    chunker = Chunker.from_settings(settings.chunking)
    provenance: dict[str, Any] = {
        "medquad": {"repository": "abachaa/MedQuAD", "commit": "577bd37b96c02d1833b2c9eed2de9f96964e96cb"},
        "pubmedqa": {"repository": "pubmedqa/pubmedqa", "commit": "1cbae8e92f72f20c8d3747cbb3bf5bc53554d997"},
    }
    medlineplus_paths: list[Path] = []
    if args.medlineplus:
        commit = snapshot_commit(args.medlineplus) or MEDLINEPLUS_COMMIT
        records = read_document_pickle(medlineplus_pickle(args.medlineplus, commit))
        if args.limit:
            keep = list(dict.fromkeys(r["url"] for r in records))[: args.limit]
            records = [r for r in records if r["url"] in set(keep)]
        medlineplus_paths = [write_jsonl(records, work / "medlineplus_topics.jsonl")]
        provenance["medlineplus"] = {"repository": MEDLINEPLUS_REPO, "commit": commit, "file": MEDLINEPLUS_PICKLE}
        print(f"MedlinePlus: {len(records)} chunks of {len({r['url'] for r in records})} topics → {medlineplus_paths[0]}")
    openfda_paths: list[Path] = []
    if args.openfda:
        commit = snapshot_commit(args.openfda) or OPENFDA_COMMIT
        openfda_paths = openfda_files(args.openfda, work, commit, args.limit)
        provenance["openfda"] = {"repository": OPENFDA_REPO, "commit": commit}
        print(f"openFDA: {len(openfda_paths)} label files")

    items: list[tuple[SourceDocument, list[Passage]]] = []
    problems: list[IngestProblem] = []
    seen: set[str] = set()
    pages: set[str] = set()
    titles: set[str] = set()
    groups = [medlineplus_paths, openfda_paths, [args.data / "medquad" / d for d in MEDQUAD_ANSWERED],
              [args.data / "pubmedqa" / "ori_pqal.json"]]
    replaced = 0
    for paths in groups:
        if not paths:
            continue
        for item in _documents(paths, args.limit):
            if isinstance(item, IngestProblem):
                problems.append(item)
                continue
            source = item.source
            if source.id in seen:
                continue
            if replaced_by_medlineplus(source, pages, titles):
                replaced += 1
                continue
            if source.collection == "medlineplus":
                pages.add(_page_name(source.url))
                titles.add(_title_key(source.title))
            seen.add(source.id)
            source.collection = source.collection or "starter"
            items.append((item, []))
    if not args.dry_run:  # sections their source does not type are typed by the packaged model, as at ingest
        from curbside.kb.infotypes import type_sections
        from curbside.retrieval.embedder import get_embedder

        embedder = get_embedder(settings.embedding)
        typed = [d for i in range(0, len(items), 500) for d in type_sections([d for d, _ in items[i:i + 500]], embedder)]
        items = [(d, []) for d in typed]
    items = [(d, chunker.chunk(d)) for d, _ in items]
    report(items, problems, replaced)
    if args.dry_run:
        return
    write(args, settings, chunker, items, provenance)


def report(items: list[tuple[SourceDocument, list[Passage]]], problems: list[IngestProblem], replaced: int) -> None:
    sources: Counter[str] = Counter()
    passages: Counter[str] = Counter()
    text_bytes = 0
    for document, chunks in items:
        sources[document.source.collection] += 1
        passages[document.source.collection] += len(chunks)
        text_bytes += sum(len(p.model_dump_json(exclude={"source_id"}).encode()) for p in chunks)
        text_bytes += len(document.source.model_dump_json(exclude_defaults=True).encode())
    total = sum(passages.values())
    print(f"{len(items)} sources, {total} passages, {len(problems)} files or records skipped, "
          f"{replaced} MedQuAD MedlinePlus pages replaced by the newer MedlinePlus text")
    for collection in sorted(sources):
        print(f"  {collection}: {sources[collection]} sources, {passages[collection]} passages")
    for problem in problems[:10]:
        print(f"  skipped {problem.origin}: {problem.message}")
    # documents.jsonl.gz compresses JSON about 4×; vectors are 384 float16 values a passage.
    print(f"estimated pack size: {total * _VECTOR_BYTES / 1e6:.1f} MB vectors + ~{text_bytes / 4 / 1e6:.1f} MB "
          f"compressed documents (JSON {text_bytes / 1e6:.1f} MB)")


def write(args: argparse.Namespace, settings: Settings, chunker: Chunker,
          items: list[tuple[SourceDocument, list[Passage]]], provenance: dict[str, Any]) -> None:
    import numpy as np

    from curbside.kb.packs import write_pack
    from curbside.retrieval.embedder import get_embedder

    texts = [p.context_text for _, ps in items for p in ps]
    embedder = get_embedder(settings.embedding)
    runtime = getattr(embedder, "runtime", "n/a")
    known = reusable_vectors(args.reuse, embedder.name) if args.reuse else {}
    todo = [t for t in dict.fromkeys(texts) if t not in known]
    print(f"embedding {len(todo)} passages with {embedder.name} on {runtime} ({len(texts) - len(todo)} reused)")
    start = time.time()
    for i in range(0, len(todo), 512):
        batch = todo[i : i + 512]
        known.update(zip(batch, embedder.embed(batch, batch_size=64), strict=True))
        done = min(i + 512, len(todo))
        rate = done / (time.time() - start)
        print(f"embedded {done}/{len(todo)} ({rate:.0f}/s)", flush=True)
    vectors = np.stack([np.asarray(known[t], dtype=np.float32) for t in texts]) if texts else np.zeros((0, embedder.dim))
    licenses = {
        "MedQuAD-LICENSE.txt": (args.data / "medquad" / "LICENSE.txt").read_text(encoding="utf-8"),
        "PubMedQA-LICENSE.txt": (args.data / "pubmedqa" / "LICENSE").read_text(encoding="utf-8"),
        "ATTRIBUTION.md": attribution(provenance),
    }
    if "openfda" in provenance:
        licenses["openFDA-LICENSE.txt"] = OPENFDA_LICENSE
    if "medlineplus" in provenance:
        licenses["MedlinePlus-LICENSE.txt"] = MEDLINEPLUS_LICENSE
    parts = ["MedQuAD answered subsets (NIH consumer pages)", "PubMedQA PQA-L abstracts"]
    if "medlineplus" in provenance:
        parts.insert(0, "MedlinePlus health topics (June 2024)")
    if "openfda" in provenance:
        parts.insert(0, "FDA drug labels (openFDA)")
    manifest = write_pack(args.out, "starter", VERSION, items, vectors, chunker=chunker.version,
                          embedding_model=embedder.name, licenses=licenses, description=", ".join(parts) + ".",
                          provenance=provenance)
    print(manifest)


OPENFDA_LICENSE = """openFDA drug labels: public domain

The drug label text in this pack comes from openFDA's drug/label data (U.S. Food and Drug
Administration), as captured in the repository PharmGKB/fda-labels-monitored. openFDA states that
its data is in the public domain and dedicated to the public under CC0 1.0 Universal
(https://open.fda.gov/license/, https://creativecommons.org/publicdomain/zero/1.0/). Drug labels are
U.S. Government records (Structured Product Labeling submitted to the FDA and published by NLM's
DailyMed). openFDA's disclaimer: "Do not rely on openFDA to make decisions regarding medical care.
While we make every effort to ensure that data is accurate, you should assume all results are
unvalidated." See https://open.fda.gov/terms/.
"""

MEDLINEPLUS_LICENSE = """MedlinePlus health topic summaries: public domain

The health topic summaries in this pack were written by the U.S. National Library of Medicine for
MedlinePlus (https://medlineplus.gov). Text written by NLM is a work of the U.S. Government and is
in the public domain (https://medlineplus.gov/about/using/usingcontent/). Courtesy of MedlinePlus
from the National Library of Medicine. Captured on 7 June 2024 in the repository
ajklthr/medlineplus-qa (data/medline_plus_english_chunked.pkl). MedlinePlus does not endorse this
software.
"""


def attribution(provenance: dict[str, Any]) -> str:
    text = ATTRIBUTION
    if "medlineplus" in provenance:
        text += f"""
## MedlinePlus health topics, June 2024 (public domain)
1,023 English health topic summaries written by the U.S. National Library of Medicine
(medlineplus.gov), from {MEDLINEPLUS_REPO} at commit {provenance["medlineplus"]["commit"]}
({MEDLINEPLUS_PICKLE}; read without unpickling any code: only LangChain's Document class is
mapped, to a plain stub). Where a topic is also in MedQuAD's MedlinePlus Health Topics subset, this
newer text replaces it. Changes: chunks joined again, split into sections at the summaries' own
question headings. Licence: public domain (MedlinePlus-LICENSE.txt). Each source links to its page.
"""
    if "openfda" in provenance:
        text += f"""
## FDA drug labels via openFDA (public domain, CC0)
Prescription drug labels (openFDA drug/label JSON) from {OPENFDA_REPO} at commit
{provenance["openfda"]["commit"]} (labels PharmGKB annotates). Changes: each label section is one
or more passages typed by section; section numbers, titles and cross-references removed; tables
kept as rows; clinical studies, pharmacology, toxicology and package-label text left out. Licence:
public domain / CC0 1.0 (openFDA-LICENSE.txt). Each source links to its DailyMed page.
"""
    return text


ATTRIBUTION = """# Starter pack: sources and attribution

## MedQuAD (CC BY 4.0)
Question-answer pairs from 12 NIH websites (cancer.gov, GARD, Genetics Home Reference, MedlinePlus
Health Topics, NIDDK, NINDS, NIHSeniorHealth, NHLBI, CDC), from abachaa/MedQuAD at commit
577bd37b96c02d1833b2c9eed2de9f96964e96cb. Only the nine subsets with answer text are included (the
A.D.A.M., MedlinePlus Drugs and Herbs subsets have no answers, to respect MedlinePlus copyright).
Changes: answer text restored to lines (paragraphs, headings, list items, symptom tables as
items), lost dashes, footnote numbers and contraction apostrophes repaired (curbside's MedQuAD
adapter, ingest/medquad_text.py); answers split into passages along question/answer sections and
sentence boundaries.

Citation: Asma Ben Abacha and Dina Demner-Fushman. "A Question-Entailment Approach to Question
Answering". BMC Bioinformatics 20, 511 (2019). Licence: Creative Commons Attribution 4.0
International, https://creativecommons.org/licenses/by/4.0/ (full text in MedQuAD-LICENSE.txt).
Each source keeps the URL of the NIH page it came from.

## PubMedQA PQA-L (MIT)
1,000 PubMed abstracts with expert labels, from pubmedqa/pubmedqa at commit
1cbae8e92f72f20c8d3747cbb3bf5bc53554d997 (data/ori_pqal.json). Citation: Qiao Jin et al.,
"PubMedQA: A Dataset for Biomedical Research Question Answering", EMNLP 2019. Licence: MIT
(PubMedQA-LICENSE.txt). Abstract text originates from PubMed/MEDLINE (U.S. National Library of
Medicine); each source links to its PubMed record.
"""


if __name__ == "__main__":
    main()
