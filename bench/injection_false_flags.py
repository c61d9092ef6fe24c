"""False flags of the injection filter on MedQuAD answer sentences (CC BY 4.0, /work/shared/data/medquad).

Run by hand: ``python bench/injection_false_flags.py``; prints sentences, flagged, share, seconds.
"""
import glob
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from lxml import etree

from curbside.ingest.injection import instruction_rule
from curbside.text import split_sentences

n = 0
flagged = []
t = time.time()
for f in sorted(glob.glob("/work/shared/data/medquad/*/*.xml")):
    try:
        root = etree.parse(f)
    except etree.XMLSyntaxError:
        continue
    for a in root.iter("Answer"):
        for s in split_sentences(a.text or ""):
            n += 1
            r = instruction_rule(s)
            if r:
                flagged.append((r, s[:160]))
print(n, len(flagged), len(flagged) / max(n, 1), round(time.time() - t, 1))
for r, s in flagged[:40]:
    print(r, "|", s)
