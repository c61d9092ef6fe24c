"""Write ``kb/data/drug_names.txt``: the medicine and supplement names MedQuAD's MedlinePlus drug and
herb pages are about (their ``<Focus>``; CC BY 4.0). Only the names are kept (those pages' answers
were removed from MedQuAD): curbside uses them to know that a question names a medicine, so that a
medicine with no drug label in the library is said to have none, with the command that adds it.

    python scripts/build_drug_names.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "curbside" / "kb" / "data" / "drug_names.txt"
HEADER = """# Medicine and supplement names: the <Focus> of MedQuAD's 11_MPlusDrugs_QA and 12_MPlusHerbsSupplements_QA
# pages (abachaa/MedQuAD at 577bd37; Ben Abacha & Demner-Fushman, BMC Bioinformatics 2019; CC BY 4.0).
# Built by scripts/build_drug_names.py; one name a line.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    names: set[str] = set()
    for folder in ("11_MPlusDrugs_QA", "12_MPlusHerbsSupplements_QA"):
        for path in sorted((args.data / "medquad" / folder).glob("*.xml")):
            focus = etree.parse(str(path)).getroot().findtext("Focus") or ""
            focus = " ".join(focus.split())
            if focus:
                names.add(focus)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(HEADER + "".join(f"{n}\n" for n in sorted(names, key=str.lower)), encoding="utf-8")
    print(f"wrote {len(names)} names to {OUT}")


if __name__ == "__main__":
    main()
