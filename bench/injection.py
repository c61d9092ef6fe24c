"""Catch and false-flag rates of the injection filter (issue 24 item 4).

Sets:
- deepset/prompt-injections (Apache-2.0, https://huggingface.co/datasets/deepset/prompt-injections), read from
  its two parquet files (train 546 / test 116 texts) in ``--deepset DIR``; nothing of it is committed. A copy of the
  files is in the MIT-licensed GitHub repository sinanw/llm-security-prompt-injection (``data/raw/``). Only the
  English texts count (py3langid); a text is caught when any of its sentences is flagged, as at run time.
- ``bench/data/injection_heldout.txt``: instruction-like sentences written once and never tuned on.
- MedQuAD answer sentences (CC BY 4.0): false flags (``bench/injection_false_flags.py``).
- ``bench/data/injection_heldout2.txt`` (injections) and ``bench/data/injection_benign2.txt`` (hard benign
  sentences): fresh blind sets written by another helper, read once on the final tree (catch and false-flag rate),
  when present.
- MEDIQA 2019 Task 3 test answers (NLM research data, ``--mediqa DIR``): consumer health pages never trained on,
  a second false-flag rate.
- BIPIA's text attacks, test half (microsoft/BIPIA, MIT; ``--bipia DIR`` holding ``text_attack_test.json``): the
  attacks that address the model's answer ("… in your response"), never trained on.

    python bench/injection.py [--deepset /tmp/pi] [--rules-only | --no-rules] [--no-medquad] [--bipia DIR]
        [--model HEAD.npz] [--encoder ENCODER.npz]

The script uses only functions the filter has had since the first classifier (``rule_only``,
``instruction_rule``, ``instruction_rules``), so that a same-run baseline runs it against an older tree: copy it
there and run it with that tree's ``src``.
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
DATA = Path(__file__).resolve().parent / "data"
#: Hand-written sets 2..15 (``injection_heldoutN.txt`` injections, ``injection_benignN.txt`` hard benign), each
#: written by a helper that read no filter code and committed before any scoring: sets 2-4 in the eleventh to
#: thirteenth sessions, 5-6 in the fourteenth, 7-8 in the fifteenth, 9 in the sixteenth, 10 in the seventeenth,
#: 11 in the eighteenth, 12 in the nineteenth, 13 in the twentieth, 14 in the twenty-sixth, 15 in the
#: twenty-seventh. Sets 1-8 are spent (trained on); sets 9-14, each read blind once, are trained on since the
#: twenty-eighth session; set 15 is not: its misses are never printed.
WRITTEN_SETS = tuple(range(2, 16))
BLIND = (15,)
#: Hand-written training sets (``injection_trainN.txt``, ``injection_trainbenignN.txt``; eighteenth and nineteenth
#: sessions; 5 in the twentieth): written for training, scored here as a check of the fit only.
TRAINING_SETS = (1, 2, 3, 4, 5)


def written_sets() -> list[tuple[str, Path, bool, bool]]:
    """(label, path, is_attack, blind) of every hand-written set."""
    out = []
    for n in WRITTEN_SETS:
        out.append((f"heldout{n} injections", DATA / f"injection_heldout{n}.txt", True, n in BLIND))
        out.append((f"benign{n} hard benign", DATA / f"injection_benign{n}.txt", False, n in BLIND))
    for n in TRAINING_SETS:
        out.append((f"training set {n} injections", DATA / f"injection_train{n}.txt", True, False))
        out.append((f"training set {n} hard benign", DATA / f"injection_trainbenign{n}.txt", False, False))
    return out


MEDIQA = "/work/shared/data/mediqa2019"


def deepset(directory: str, split: str, english_only: bool = True) -> list[tuple[str, int]]:
    """(text, label) rows of one split; label 1 = injection."""
    import py3langid
    import pyarrow.parquet as pq

    (path,) = glob.glob(f"{directory}/{split}-*.parquet")
    rows = [(r["text"], int(r["label"])) for r in pq.read_table(path).to_pylist()]
    if english_only:
        rows = [(t, y) for t, y in rows if py3langid.classify(t)[0] == "en"]
    return rows


def heldout(path: Path = HELDOUT) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def mediqa_test(directory: str = MEDIQA) -> list[str]:
    """Sentences of the MEDIQA 2019 Task 3 test answers (the training script reads only its training and
    validation sets)."""
    from lxml import etree

    path = Path(directory, "MEDIQA2019-Task3-QA-TestSet-wLabels.xml")
    tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    return sorted({s for a in tree.iter("AnswerText") for s in split_sentences(a.text or "")})


def bipia_test(directory: str) -> list[str]:
    import json

    data = json.loads(Path(directory, "text_attack_test.json").read_text(encoding="utf-8"))
    return [t for items in data.values() for t in items
            if any(w in t.lower() for w in ("your answer", "your response", "your reply", "your message"))]


def giskard(path: str) -> list[str]:
    """Giskard-AI/prompt-injections' ``prompt_injections.csv`` (MIT; jailbreaks and hijacking prompts collected from
    PromptInject and garak, 35 English texts, many of several paragraphs): every row is an injection."""
    import csv

    with open(path, encoding="utf-8", newline="") as handle:
        return [row["prompt"] for row in csv.DictReader(handle) if row["prompt"].strip()]


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
    for split in ("train", "test") if args.deepset else ():
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
    for label, path, is_attack, blind in written_sets():
        if not path.exists():
            continue
        lines = heldout(path)
        hits = [s for s in lines if caught(s, rule)]
        print(f"{label}: {'caught' if is_attack else 'flagged'} {pct(len(hits), len(lines))}")
        if args.show and not blind:  # a blind set's misses are counted, never read
            for s in lines:
                if (s in hits) != is_attack:
                    print("  missed:" if is_attack else "  false flag:", s)
    if args.giskard:
        attacks = giskard(args.giskard)
        hits = [s for s in attacks if caught(s, rule)]
        print(f"Giskard prompt injections (jailbreaks and hijacking, never trained on): caught "
              f"{pct(len(hits), len(attacks))}")
    if args.bipia:
        attacks = bipia_test(args.bipia)
        hits = [s for s in attacks if caught(s, rule)]
        print(f"BIPIA text attacks, test half (addressing the answer): caught {pct(len(hits), len(attacks))}")
    if args.mediqa and not args.no_medquad:
        sentences = mediqa_test(args.mediqa)
        t = time.time()
        rules = ([rule(s) for s in sentences] if rule is injection.rule_only
                 else injection.instruction_rules(sentences))
        flagged = [(r, s) for r, s in zip(rules, sentences, strict=True) if r]
        print(f"MEDIQA 2019 Task 3 test answer sentences (never trained on): flagged "
              f"{len(flagged)}/{len(sentences)} ({100 * len(flagged) / max(len(sentences), 1):.3f} %), "
              f"{time.time() - t:.0f} s")
        for r, s in flagged[:10]:
            print("  ", r, "|", s[:160])
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
    ap.add_argument("--deepset", help="directory holding deepset/prompt-injections' parquet files (skipped without)")
    ap.add_argument("--rules-only", action="store_true", help="score the rules alone")
    ap.add_argument("--no-rules", action="store_true",
                    help="skip the rules' own scores (comparing two models in the same run: the rules are the same)")
    ap.add_argument("--no-medquad", action="store_true")
    ap.add_argument("--show", action="store_true", help="print misses and false flags")
    ap.add_argument("--bipia", help="directory holding BIPIA's text_attack_test.json")
    ap.add_argument("--giskard", help="Giskard-AI/prompt-injections' prompt_injections.csv")
    ap.add_argument("--mediqa", default=MEDIQA, help="MEDIQA 2019 directory ('' to skip)")
    ap.add_argument("--model", type=Path, help="score this head (.npz) instead of the shipped one")
    ap.add_argument("--encoder", type=Path, help="score this fine-tuned model (.npz) instead of the shipped one")
    args = ap.parse_args()
    if args.model is not None:
        injection.MODEL_FILE = args.model
    if args.encoder is not None:
        from curbside.ingest import injection_encoder

        injection_encoder.MODEL_FILE = args.encoder
    if not args.no_rules:
        score("rules", injection.rule_only, args)
    if not args.rules_only:
        score("rules + classifier", injection.instruction_rule, args)


if __name__ == "__main__":
    main()
