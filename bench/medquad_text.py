"""MedQuAD text defects before and after the cleaning, on the whole corpus.

    python bench/medquad_text.py [--baseline REV]      # the published figures: --baseline a169137

Reads every answered MedQuAD pair (the nine subsets with answer text) through the MedQuAD adapter
and the default chunker twice, each in its own process: once with the source tree of git revision
--baseline (default: where this branch left main) and once with the working tree. Both passage sets
are then measured with the same detectors (those of the working tree), so the figures compare the
text, not the detectors:

- over-long "sentences": sentences (``curbside.text.split_sentences``) of more than 60 words;
- glued words: tokens ``curbside.ingest.text_repair.glued_words`` finds ("abdomenthe");
- glued footnote numbers ("population.1 However");
- contractions without an apostrophe ("dont", "doesnt");
- run-in headings: lines of the raw answer that look like a heading (short, no end punctuation,
  followed by more text), found in the passages followed by the start of the raw line after them,
  that do not start a line there (they run into the text before);
- " - " marks inside a sentence (a flattened list, or a spaced dash such as "Peritonitis - an
  inflammation", which is kept on purpose).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, SHARED, command, machine, write_result

SUBSETS = ["1_CancerGov_QA", "2_GARD_QA", "3_GHR_QA", "4_MPlus_Health_Topics_QA", "5_NIDDK_QA",
           "6_NINDS_QA", "7_SeniorHealth_QA", "8_NHLBI_QA_XML", "9_CDC_QA"]
LONG = 60

_DUMP = """
import json, sys
from pathlib import Path
from curbside.domain import SourceDocument
from curbside.ingest.chunking import Chunker
from curbside.ingest.medquad import MedQuADAdapter
from curbside.settings import ChunkingSettings
adapter, chunker = MedQuADAdapter(), Chunker.from_settings(ChunkingSettings())
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for sub in sys.argv[3:]:
        for path in sorted((Path(sys.argv[1]) / sub).glob("*.xml")):
            for doc in adapter.read(path):
                if isinstance(doc, SourceDocument):
                    for p in chunker.chunk(doc):
                        out.write(json.dumps({"file": str(path), "text": p.text}) + "\\n")
"""


DATA = SHARED if SHARED.exists() else Path("/work/shared/data")


def _dump(src: Path, out: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(src)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", _DUMP, str(DATA / "medquad"), str(out), *SUBSETS], env=env, check=True)
    return time.perf_counter() - start


def _raw_headings() -> dict[str, list[tuple[str, str]]]:
    """Per file: (heading line, first words of the line after it) of every raw answer."""
    from lxml import etree

    from curbside.text import is_heading_line, normalize_space

    found: dict[str, list[tuple[str, str]]] = {}
    for sub in SUBSETS:
        for path in sorted((DATA / "medquad" / sub).glob("*.xml")):
            root = etree.parse(str(path)).getroot()
            for el in root.iter():
                if isinstance(el.tag, str) and el.tag.lower() == "answer":
                    lines = [normalize_space(x) for x in "".join(el.itertext()).split("\n")]
                    lines = [x for x in lines if x]
                    heads = [(x, " ".join(lines[i + 1].lstrip("- ").split()[:4])) for i, x in enumerate(lines[:-1])
                             if is_heading_line(x) and not x.startswith("-")]
                    found.setdefault(str(path), []).extend(heads)
    return found


def _measure(dump: Path, headings: dict[str, list[tuple[str, str]]]) -> dict[str, Any]:
    from curbside.ingest.text_repair import footnote_marks, glued_words
    from curbside.text import split_sentences

    contraction = re.compile(r"\b(?:dont|doesnt|didnt|cant|couldnt|shouldnt|wouldnt|isnt|arent|wasnt|havent)\b", re.I)
    passages = sentences = long_ = glued = footnotes = contractions = dashes = run_in = heads = 0
    by_file: dict[str, list[str]] = {}
    for line in dump.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        passages += 1
        text = row["text"]
        by_file.setdefault(row["file"], []).append(text)
        glued += len(glued_words(text))
        footnotes += footnote_marks(text)
        contractions += len(contraction.findall(text))
        for sentence in split_sentences(text):
            sentences += 1
            long_ += len(sentence.split()) > LONG
            dashes += " - " in sentence
    for file, heading_list in headings.items():
        texts = by_file.get(file, [])
        for heading, after in set(heading_list):
            pattern = re.escape(heading) + r"[ \n]+(?:- )?" + re.escape(after)
            for text in texts:
                for m in re.finditer(pattern, text):
                    heads += 1
                    if m.start() > 0 and text[m.start() - 1] != "\n":
                        run_in += 1
    return {"passages": passages, "sentences": sentences, f"sentences_over_{LONG}_words": long_,
            "glued_words": glued, "footnote_marks": footnotes, "contractions_without_apostrophe": contractions,
            "heading_occurrences": heads, "run_in_headings": run_in, "sentences_with_spaced_dash": dashes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--baseline", default="", help="git revision of the 'before' tree (default: merge-base with main)")
    args = parser.parse_args()
    rev = args.baseline or subprocess.run(["git", "-C", str(ROOT), "merge-base", "HEAD", "main"], capture_output=True,
                                          text=True, check=True).stdout.strip()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "baseline"
        base.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src"], capture_output=True, check=True).stdout
        (Path(tmp) / "src.tar").write_bytes(archive)
        with tarfile.open(Path(tmp) / "src.tar") as tar:
            tar.extractall(base, filter="data")
        before_dump, after_dump = Path(tmp) / "before.jsonl", Path(tmp) / "after.jsonl"
        before_s = _dump(base / "src", before_dump)
        after_s = _dump(ROOT / "src", after_dump)
        headings = _raw_headings()
        result = {"command": command(), "machine": machine(), "baseline_rev": rev,
                  "before": {**_measure(before_dump, headings), "seconds": round(before_s, 1)},
                  "after": {**_measure(after_dump, headings), "seconds": round(after_s, 1)}}
    write_result("medquad_text", result)
    print(json.dumps({k: result[k] for k in ("baseline_rev", "before", "after")}, indent=2))


if __name__ == "__main__":
    main()
