"""Catch and false-flag rates of the injection filter (issue 24 item 4).

Sets:
- deepset/prompt-injections (Apache-2.0, https://huggingface.co/datasets/deepset/prompt-injections), read from
  its two parquet files (train 546 / test 116 texts) in ``--deepset DIR``; nothing of it is committed. A copy of the
  files is in the MIT-licensed GitHub repository sinanw/llm-security-prompt-injection (``data/raw/``). Only the
  English texts count (py3langid); a text is caught when any of its sentences is flagged, as at run time.
- ``bench/data/injection_heldout.txt``: instruction-like sentences written once and never tuned on.
- MedQuAD answer sentences (CC BY 4.0): false flags (``bench/injection_false_flags.py``).

    python bench/injection.py --deepset /tmp/pi [--rules-only] [--no-medquad]
"""

from __future__ import annotations

import argparse
import glob
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from injection_false_flags import false_flags

from curbside.ingest import injection
from curbside.text import split_sentences

HELDOUT = Path(__file__).resolve().parent / "data" / "injection_heldout.txt"


def deepset(directory: str, split: str, english_only: bool = True) -> list[tuple[str, int]]:
    """(text, label) rows of one split; label 1 = injection."""
    import py3langid
    import pyarrow.parquet as pq

    (path,) = glob.glob(f"{directory}/{split}-*.parquet")
    rows = [(r["text"], int(r["label"])) for r in pq.read_table(path).to_pylist()]
    if english_only:
        rows = [(t, y) for t, y in rows if py3langid.classify(t)[0] == "en"]
    return rows


def heldout() -> list[str]:
    return [line.strip() for line in HELDOUT.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def caught(text: str, rule: Callable[[str], str | None]) -> bool:
    return rule(text) is not None or any(rule(s) is not None for s in split_sentences(text))


def pct(a: int, b: int) -> str:
    return f"{a}/{b} ({100 * a / max(b, 1):.1f} %)"


def medquad_sample() -> list[str]:
    """MedQuAD answer sentences the classifier never saw (SHA-256 1 or 2 mod 10: a fifth of them)."""
    import hashlib

    from injection_false_flags import medquad_sentences

    return [s for s in medquad_sentences() if int(hashlib.sha256(s.encode()).hexdigest(), 16) % 10 in (1, 2)]


def score(name: str, rule: Callable[[str], str | None], args: argparse.Namespace) -> None:
    print(f"\n### {name}")
    for split in ("train", "test"):
        rows = deepset(args.deepset, split)
        inj = [t for t, y in rows if y]
        ben = [t for t, y in rows if not y]
        hit = [t for t in inj if caught(t, rule)]
        ff = [t for t in ben if caught(t, rule)]
        print(f"deepset {split} (English): injections caught {pct(len(hit), len(inj))}; "
              f"benign flagged {pct(len(ff), len(ben))}")
        if args.show and split == "test":
            for t in inj:
                if t not in hit:
                    print("  missed:", t[:150])
            for t in ff:
                print("  false flag:", t[:150])
    para = heldout()
    hit_p = [s for s in para if caught(s, rule)]
    print(f"held-out paraphrases: caught {pct(len(hit_p), len(para))}")
    if args.show:
        for s in para:
            if s not in hit_p:
                print("  missed:", s)
    if not args.no_medquad and rule is injection.rule_only:
        t = time.time()
        n, flagged = false_flags(rule)
        print(f"MedQuAD answer sentences: flagged {len(flagged)}/{n} ({100 * len(flagged) / max(n, 1):.3f} %), "
              f"{time.time() - t:.0f} s")
        for r, s in flagged[:20]:
            print("  ", r, "|", s)
    elif not args.no_medquad:
        t = time.time()
        sample = medquad_sample()
        rules = injection.instruction_rules(sample)
        flagged = [(r, s) for r, s in zip(rules, sample, strict=True) if r]
        print(f"MedQuAD answer sentences never trained on (a fifth): flagged {len(flagged)}/{len(sample)} "
              f"({100 * len(flagged) / max(len(sample), 1):.3f} %), {time.time() - t:.0f} s")
        for r, s in flagged[:20]:
            print("  ", r, "|", s[:160])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--deepset", required=True, help="directory holding deepset/prompt-injections' parquet files")
    ap.add_argument("--rules-only", action="store_true", help="score the rules alone")
    ap.add_argument("--no-medquad", action="store_true")
    ap.add_argument("--show", action="store_true", help="print misses and false flags")
    args = ap.parse_args()
    score("rules", injection.rule_only, args)
    if not args.rules_only:
        score("rules + classifier", injection.instruction_rule, args)


if __name__ == "__main__":
    main()
