"""Write ``kb/data/medquad_synonyms.tsv.gz``: the other names NLM's annotators gave each MedQuAD page's subject (its
``<Focus>`` and the ``<Synonyms>`` of its UMLS annotation; abachaa/MedQuAD, CC BY 4.0). Only names are kept — many of
those pages (A.D.A.M.'s) have had their answers removed from MedQuAD, but their subjects' names still say that
"underactive thyroid" is hypothyroidism and "undulant fever" brucellosis. ``kb/synonyms.FocusIndex`` gives a
knowledge-base subject the names MedQuAD annotates for a focus of the same name, so a site's own page titled
"Hypothyroidism" is found by them too.

    python scripts/build_medquad_synonyms.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import gzip
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "curbside" / "kb" / "data" / "medquad_synonyms.tsv.gz"
HEADER = """# Subjects' other names: each MedQuAD page's <Focus>, a tab, then the <Synonym>s of its focus annotation joined by
# " | " (abachaa/MedQuAD at 577bd37; Ben Abacha & Demner-Fushman, BMC Bioinformatics 2019; CC BY 4.0).
# Built by scripts/build_medquad_synonyms.py.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    names: dict[str, set[str]] = {}
    for path in sorted((args.data / "medquad").glob("*/*.xml")):
        root = etree.parse(str(path)).getroot()
        focus = " ".join((root.findtext("Focus") or "").split())
        synonyms = {" ".join(s.text.split()) for s in root.iter("Synonym") if s.text and s.text.strip()}
        if focus and synonyms - {focus}:
            names.setdefault(focus, set()).update(synonyms - {focus})
    lines = "".join(f"{focus}\t{' | '.join(sorted(other))}\n" for focus, other in sorted(names.items()))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(gzip.compress((HEADER + lines).encode("utf-8"), mtime=0))
    print(f"wrote {len(names)} subjects, {sum(map(len, names.values()))} names, to {OUT}")


if __name__ == "__main__":
    main()
