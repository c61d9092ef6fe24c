"""Fine-tune the packaged MiniLM as an injection classifier (LoRA adapters + a linear head): ``injection_encoder.npz``.

The linear head of ``scripts/train_injection.py`` reads a frozen sentence vector; its catch rate on hand-written sets
it never saw stopped rising at about 92 % (twentieth session). Here the encoder itself learns: low-rank adapters
(LoRA, Hu et al. 2021) on every linear layer of the six transformer layers, and a linear head on the mean-pooled
token vectors, trained on the same labelled texts as the head (``train_injection.training_data``). Only the
adapters and the head ship (about a megabyte); at run time ``curbside.ingest.injection_encoder`` adds them to the
packaged weights, so nothing is downloaded.

Validation: whole groups are held out (``--validate``: hand-written sets, each a different writer; a slice of
MedQuAD sentences never trained on, SHA-256 3 mod 10). The model's own threshold is the lowest score that flags at
most ``--max-false`` of those MedQuAD sentences and at most ``--max-hard-false`` of the held-out sets' hard benign
lines.

The run time reads the mean of this model's score and the linear head's (``injection.model_scores``). Its threshold
is chosen last (``--choose FILE`` redoes only this step): on a held-out group neither model was trained on
(``--choose-on``, a whole hand-written set), the lowest mean score (grid of 0.025) that flags no more of its hard
benign lines than the head alone does and at most ``--max-false`` of the MedQuAD slice, and not below ``--floor``
(a value the tests pin: at 0.6, the first choice, a sentence of a test fixture's README scored 0.683 and a sentence
about response rates 0.609, both plain text the tests hold unflagged; hence the floor 0.7); each line counts as flagged
when a rule or the classifier flags any of its sentences, as at run time. ``--head FILE`` names the linear head the
mean is chosen with (a head retrained in the same session, before it ships; default the shipped one).

``--init FILE`` continues training from a trained file's adapters and head instead of fresh adapters (twenty-eighth
session: one epoch from the shipped model, to fit a shared machine's time; not shipped, see docs/benchmarks.md).

What the shipped model was trained on (twenty-sixth session): the command below, 2 epochs from fresh adapters.

    pip install '.[train]' && python scripts/tune_injection_encoder.py --deepset /tmp/pi --bipia DIR \\
        --training-sets 5 --validate written-8,training-5
"""

from __future__ import annotations

import argparse
import hashlib
import math
import random
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "bench"))

from injection_false_flags import medquad_sentences  # noqa: E402
from train_injection import BLIND_SET, WRITTEN, data_arguments, training_data, written_lines  # noqa: E402

from curbside.ingest import injection, injection_encoder  # noqa: E402
from curbside.ingest.injection import classifier_text  # noqa: E402
from curbside.text import split_sentences  # noqa: E402

#: The mean's weights and the threshold grid of ``--choose``.
ENSEMBLE_WEIGHT = 0.5
GRID = np.round(np.arange(0.5, 0.951, 0.025), 3)


def calibration_slice(limit: int) -> list[str]:
    """MedQuAD answer sentences neither trained on (0 mod 10) nor measured by bench/injection.py (1, 2 mod 10)."""
    out = sorted({s for s in medquad_sentences()
                  if int(hashlib.sha256(s.encode()).hexdigest(), 16) % 10 == 3})
    random.Random(3).shuffle(out)
    return out[:limit]


def line_scores(lines: list[str], model: object) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per line: whether a rule flags any of its sentences, and the highest head and fine-tuned score of what the
    classifier reads of them (``injection.classifier_readings``)."""
    owners = [(n, s) for n, line in enumerate(lines) for s in [line, *split_sentences(line)]]
    sentences = [s for _n, s in owners]
    rules = [injection.rule_only(s) for s in sentences]
    readings = injection.classifier_readings(sentences, rules)
    texts = [t for _i, t in readings]
    head = injection.head_scores(texts)
    tuned = model.scores([classifier_text(t) for t in texts])  # type: ignore[attr-defined]
    flagged = np.zeros(len(lines), dtype=bool)
    best_head = np.zeros(len(lines))
    best_tuned = np.zeros(len(lines))
    for (n, _s), rule in zip(owners, rules, strict=True):
        flagged[n] |= rule is not None
    for (i, _t), h, t in zip(readings, head, tuned, strict=True):
        n = owners[i][0]
        best_head[n] = max(best_head[n], h)
        best_tuned[n] = max(best_tuned[n], t)
    return flagged, best_head, best_tuned


def choose(path: Path, group: str, calibration: int, max_false: float, floor: float) -> tuple[float, float]:
    """The mean's threshold for the model in ``path`` (see the module's docstring); written into the file."""
    set_number = int(group.removeprefix("training-"))
    model = injection_encoder.Classifier.load(path)
    benign = written_lines(WRITTEN / f"injection_trainbenign{set_number}.txt")
    attacks = written_lines(WRITTEN / f"injection_train{set_number}.txt")
    calib = calibration_slice(calibration)
    head_cut = injection._head().threshold
    b_rule, b_head, b_tuned = line_scores(benign, model)
    a_rule, a_head, a_tuned = line_scores(attacks, model)
    c_rule, c_head, c_tuned = line_scores(calib, model)
    head_false = int((b_rule | (b_head >= head_cut)).sum())
    allowed = int(max_false * len(calib))
    w = ENSEMBLE_WEIGHT
    print(f"{group}: the head alone catches {(a_rule | (a_head >= head_cut)).mean():.1%} and flags {head_false} "
          f"of {len(benign)} benign; the fine-tuned model alone (its threshold) "
          f"{(a_rule | (a_tuned >= model_threshold(path))).mean():.1%} / {(b_rule | (b_tuned >= model_threshold(path))).sum()}")
    def flagged(rule: np.ndarray, head: np.ndarray, tuned: np.ndarray, cut: float) -> np.ndarray:
        return rule | (w * tuned + (1 - w) * head >= cut)

    chosen = next((float(cut) for cut in GRID if flagged(b_rule, b_head, b_tuned, cut).sum() <= head_false
                   and flagged(c_rule, c_head, c_tuned, cut).sum() <= allowed), None)
    if chosen is None:
        raise SystemExit("no threshold of the grid flags few enough benign lines")
    cut = max(chosen, floor)
    print(f"mean of the two: threshold {chosen} chosen, {cut} with the floor: catches "
          f"{flagged(a_rule, a_head, a_tuned, cut).mean():.1%}, flags {flagged(b_rule, b_head, b_tuned, cut).sum()} "
          f"benign, {flagged(c_rule, c_head, c_tuned, cut).sum()}/{len(calib)} MedQuAD")
    with np.load(path, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    arrays.update(ensemble_weight=np.float32(w), ensemble_threshold=np.float32(cut), ensemble_chosen_on=np.array(group))
    np.savez_compressed(path, **arrays)
    return w, cut


def warm_start(net: object, path: Path) -> None:
    """Copy the adapters and the head of a trained file (``--init``) into ``net``, whose rank and alpha must match."""
    import torch

    with np.load(path, allow_pickle=False) as data, torch.no_grad():
        if (int(data["rank"]), float(data["alpha"])) != (net.rank, net.alpha):  # type: ignore[attr-defined]
            raise SystemExit(f"{path}: rank {int(data['rank'])}, alpha {float(data['alpha'])}; "
                             f"this run: rank {net.rank}, alpha {net.alpha}")  # type: ignore[attr-defined]
        for key in data.files:
            if key.startswith(("a:", "b:")):
                module = net.encoder.get_submodule(key[2:])  # type: ignore[attr-defined]
                getattr(module, key[0]).copy_(torch.from_numpy(data[key].astype(np.float32)))
        net.head.weight.copy_(torch.from_numpy(data["head_weight"].astype(np.float32))[None, :])  # type: ignore[attr-defined]
        net.head.bias.fill_(float(data["head_bias"]))  # type: ignore[attr-defined]


def model_threshold(path: Path) -> float:
    with np.load(path, allow_pickle=False) as data:
        return float(data["threshold"])


def main() -> None:
    import torch

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    data_arguments(ap)
    ap.add_argument("--validate", default="written-8,training-5",
                    help="groups held out of training to choose the threshold (comma-separated; '' for none)")
    ap.add_argument("--negatives", type=int, default=12000,
                    help="MedQuAD + MEDIQA sentences drawn afresh each epoch (of about 29,500)")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--rank", type=int, default=8)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--max-length", type=int, default=injection_encoder.MAX_LENGTH)
    ap.add_argument("--max-false", type=float, default=0.0007)
    ap.add_argument("--max-hard-false", type=float, default=0.04)
    ap.add_argument("--calibration", type=int, default=20000, help="MedQuAD sentences (3 mod 10) for the threshold")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--choose-on", default="training-5",
                    help="a hand-written training set neither model was trained on: the mean's threshold is chosen on it")
    ap.add_argument("--choose", type=Path, help="only choose the mean's threshold for this trained file")
    ap.add_argument("--floor", type=float, default=0.7, help="the lowest threshold of the mean (the tests pin it)")
    ap.add_argument("--head", type=Path, default=injection.MODEL_FILE,
                    help="the linear head the mean reads when its threshold is chosen (default: the shipped one)")
    ap.add_argument("--init", type=Path,
                    help="start from the adapters and head of this trained file (continued training; default: fresh)")
    ap.add_argument("--out", type=Path, default=injection_encoder.MODEL_FILE)
    args = ap.parse_args()
    injection.MODEL_FILE = args.head
    torch.set_num_threads(args.threads)
    if args.choose:
        choose(args.choose, args.choose_on, args.calibration, args.max_false, args.floor)
        return
    if args.written >= BLIND_SET:
        ap.error(f"sets {BLIND_SET} and later are test sets: --written must be below {BLIND_SET}")
    torch.manual_seed(24)
    rng = random.Random(24)
    t0 = time.time()
    data = training_data(args)
    held = {g for g in args.validate.split(",") if g}
    rows = list(zip(data.texts, data.labels, data.groups, data.kinds, data.weights, strict=True))
    train = [r for r in rows if r[2] not in held]
    valid = [r for r in rows if r[2] in held]
    bulk = [r for r in train if r[3] in ("medquad", "mediqa")]
    rest = [r for r in train if r[3] not in ("medquad", "mediqa")]
    print(f"training texts: {len(rest)} + {len(bulk)} MedQuAD/MEDIQA ({args.negatives} drawn an epoch); "
          f"held out: {len(valid)} ({', '.join(sorted(held)) or 'none'})", flush=True)

    net = injection_encoder.Classifier.packaged(rank=args.rank)
    if args.init:
        warm_start(net, args.init)
    net.train()
    params = [p for p in net.parameters() if p.requires_grad]
    print(f"trainable parameters: {sum(p.numel() for p in params):,}", flush=True)
    optim = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    steps_per_epoch = math.ceil((len(rest) + min(args.negatives, len(bulk))) / args.batch)
    total = steps_per_epoch * args.epochs
    sched = torch.optim.lr_scheduler.LambdaLR(
        optim, lambda step: min(1.0, (step + 1) / (0.06 * total)) * max(0.0, (total - step) / total))
    for epoch in range(args.epochs):
        epoch_rows = rest + rng.sample(bulk, min(args.negatives, len(bulk)))
        pos_w = sum(r[4] for r in epoch_rows if r[1])
        neg_w = sum(r[4] for r in epoch_rows if not r[1])
        rng.shuffle(epoch_rows)
        seen, loss_sum, t_epoch = 0, 0.0, time.time()
        for start in range(0, len(epoch_rows), args.batch):
            batch = epoch_rows[start:start + args.batch]
            texts = [classifier_text(r[0]) for r in batch]
            y = torch.tensor([float(r[1]) for r in batch])
            # class-balanced weights (each class weighs half), times each text's own weight
            w = torch.tensor([r[4] * (0.5 / pos_w if r[1] else 0.5 / neg_w) * len(epoch_rows) for r in batch])
            logits = net(net.tokenize(texts, args.max_length))
            loss = (torch.nn.functional.binary_cross_entropy_with_logits(logits, y, reduction="none") * w).mean()
            optim.zero_grad()
            loss.backward()
            optim.step()
            sched.step()
            seen += len(batch)
            loss_sum += float(loss) * len(batch)
            if (start // args.batch) % 100 == 0:
                print(f"  epoch {epoch + 1} {seen}/{len(epoch_rows)} loss {loss_sum / seen:.4f} "
                      f"({time.time() - t_epoch:.0f} s)", flush=True)
        print(f"epoch {epoch + 1}: loss {loss_sum / seen:.4f}, {time.time() - t_epoch:.0f} s", flush=True)
    net.eval()
    t_train = time.time() - t0

    calib = calibration_slice(args.calibration)
    neg_scores = np.sort(net.scores([classifier_text(s) for s in calib]))[::-1]
    threshold = float(max(0.5, neg_scores[int(args.max_false * len(neg_scores))] + 1e-6))
    if valid:
        v_scores = net.scores([classifier_text(r[0]) for r in valid])
        v_labels = np.array([r[1] for r in valid])
        hard = np.sort(v_scores[v_labels == 0])[::-1]
        threshold = max(threshold, float(hard[int(args.max_hard_false * len(hard))] + 1e-6))
        print(f"held-out groups: injections caught {(v_scores[v_labels == 1] >= threshold).mean():.1%}, "
              f"hard benign flagged {(v_scores[v_labels == 0] >= threshold).mean():.1%} (classifier alone)")
    print(f"threshold {threshold:.4f}; MedQuAD calibration flagged {(neg_scores >= threshold).sum()}/{len(calib)}")
    net.save(args.out, threshold=threshold, trained_on=", ".join(
        f"{k} ({n})" for k, n in sorted({k: data.kinds.count(k) for k in set(data.kinds)}.items())),
        held_out=",".join(sorted(held)))
    if args.choose_on in held:
        choose(args.out, args.choose_on, args.calibration, args.max_false, args.floor)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes); training {t_train:.0f} s, "
          f"total {time.time() - t0:.0f} s, peak RSS {peak:.2f} GB")


if __name__ == "__main__":
    main()
