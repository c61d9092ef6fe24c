"""Build the bundled starter knowledge pack from ../shared/data (reproducible).

Only redistributable collections go in: MedQuAD's answered subsets (CC BY 4.0) and the PubMedQA
expert-labelled abstracts (MIT). NFCorpus and SciFact are benchmark-only (their licences).

    python scripts/build_starter_pack.py [--data ../shared/data] [--out src/curbside/packs/starter]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from curbside.domain import Passage, SourceDocument
from curbside.ingest.base import IngestProblem
from curbside.ingest.chunking import Chunker
from curbside.ingest.registry import read_paths
from curbside.kb.packs import iter_pack, read_manifest, write_pack
from curbside.retrieval.embedder import get_embedder
from curbside.settings import Settings

MEDQUAD_ANSWERED = ["1_CancerGov_QA", "2_GARD_QA", "3_GHR_QA", "4_MPlus_Health_Topics_QA", "5_NIDDK_QA",
                    "6_NINDS_QA", "7_SeniorHealth_QA", "8_NHLBI_QA_XML", "9_CDC_QA"]
VERSION = "2026.12.2"


def reusable_vectors(pack: Path, model: str) -> dict[str, np.ndarray]:
    """The vectors of an earlier pack by the text they embed (its passages' context text), when that
    pack was embedded with the same model: a rebuild embeds only what is new or changed."""
    if not (pack / "manifest.json").exists() or read_manifest(pack)["embedding_model"] != model:
        return {}
    vectors = np.load(pack / "vectors.f16.npy")
    texts = [p.context_text for _, ps in iter_pack(pack) for p in ps]
    return dict(zip(texts, vectors, strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    root = Path(__file__).resolve().parent.parent
    parser.add_argument("--data", type=Path, default=root.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=root / "src" / "curbside" / "packs" / "starter")
    parser.add_argument("--reuse", type=Path, default=None,
                        help="an earlier pack whose vectors are reused for unchanged passages (e.g. the bundled one)")
    args = parser.parse_args()
    settings = Settings()
    chunker = Chunker.from_settings(settings.chunking)
    paths = [args.data / "medquad" / d for d in MEDQUAD_ANSWERED] + [args.data / "pubmedqa" / "ori_pqal.json"]
    items: list[tuple[SourceDocument, list[Passage]]] = []
    skipped = 0
    seen: set[str] = set()
    for item in read_paths(paths):
        if isinstance(item, IngestProblem):
            skipped += 1
            continue
        if item.source.id in seen:
            continue
        seen.add(item.source.id)
        item.source.collection = item.source.collection or "starter"
        items.append((item, chunker.chunk(item)))
    texts = [p.context_text for _, ps in items for p in ps]
    print(f"{len(items)} sources, {len(texts)} passages, {skipped} files skipped")
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
        "ATTRIBUTION.md": ATTRIBUTION,
    }
    manifest = write_pack(args.out, "starter", VERSION, items, vectors, chunker=chunker.version,
                          embedding_model=embedder.name, licenses=licenses,
                          description="MedQuAD answered subsets (NIH consumer pages) and PubMedQA PQA-L abstracts.")
    print(manifest)


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
