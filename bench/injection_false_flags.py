"""False flags of the injection filter on MedQuAD answer sentences (CC BY 4.0, /work/shared/data/medquad).

Run by hand: ``python bench/injection_false_flags.py``; prints sentences, flagged, share, seconds.
``bench/injection.py`` reuses :func:`medquad_sentences` and :func:`false_flags`.
"""
import glob
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from lxml import etree

from curbside.ingest.injection import instruction_rule
from curbside.text import split_sentences

MEDQUAD = "/work/shared/data/medquad"


def medquad_sentences(root: str = MEDQUAD) -> Iterator[str]:
    """Every sentence of every MedQuAD answer, in file order."""
    for f in sorted(glob.glob(f"{root}/*/*.xml")):
        try:
            tree = etree.parse(f, etree.XMLParser(resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError:
            continue
        for a in tree.iter("Answer"):
            yield from split_sentences(a.text or "")


def false_flags(rule: Callable[[str], str | None], root: str = MEDQUAD) -> tuple[int, list[tuple[str, str]]]:
    """(sentences read, [(rule, sentence)] flagged) over MedQuAD's answers."""
    n = 0
    flagged = []
    for s in medquad_sentences(root):
        n += 1
        r = rule(s)
        if r:
            flagged.append((r, s[:160]))
    return n, flagged


if __name__ == "__main__":
    t = time.time()
    n, flagged = false_flags(instruction_rule)
    print(n, len(flagged), len(flagged) / max(n, 1), round(time.time() - t, 1))
    for r, s in flagged[:40]:
        print(r, "|", s)
