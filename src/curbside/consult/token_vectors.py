"""Contextual vectors of a message's words from the packaged MiniLM, for the de-identification tagger.

The tagger's hashed features see a word, its shape, lexicons and three neighbours; whether "little acorns" is a
nursery or "Lakeshore" a hotel is said by the sentence around it. The packaged all-MiniLM-L6-v2 (the embedding
model's own weights, :func:`curbside.retrieval.minilm.model_dir`; nothing is downloaded) reads the whole message;
its last layer gives each word-piece a vector of the context. A word's vector is the mean of its pieces' (those
whose characters overlap it), so the tagger reads it beside its hashed features. Run by PyTorch on the CPU; a
message longer than the model's window is read in windows of it.

Its top layers may be fine-tuned to tell identifiers from other words (``scripts/train_deid_tagger.py
--tune-layers``): ``data/deid_encoder.npz`` then holds those layers' weights (float16), which replace the packaged
ones when the model is loaded; every other weight is the packaged model's. A file whose tensors the model does not
have, or has in another shape, is refused with a clear error. None ships today (docs/benchmarks.md): the packaged
layers are read.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from curbside.errors import ConfigError

DIM = 384
#: A word's vector is L2-normalised and then scaled to this length, so that each of its numbers is about
#: the size of a hashed feature's 1 (what the tagger's L2-regularised weights were fitted to).
SCALE = DIM ** 0.5
#: Word-pieces per window (the model reads at most 512 positions; sentence-transformers uses 256).
WINDOW = 256
#: The fine-tuned top layers (absent: the packaged model as it is).
TUNED = Path(__file__).parent / "data" / "deid_encoder.npz"
_lock = threading.Lock()


def load_encoder(tuned: Path | None = None) -> tuple[Any, Any]:
    """A fresh copy of the packaged tokenizer (fast: it gives character offsets) and transformer, with the
    weights of ``tuned`` (a file :func:`tuned_weights` wrote) in place of the packaged ones when given."""
    from transformers import AutoModel, AutoTokenizer

    from curbside.retrieval.minilm import model_dir, offline

    offline()
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    directory = str(model_dir())
    tokenizer = AutoTokenizer.from_pretrained(directory, use_fast=True)
    model = AutoModel.from_pretrained(directory)
    if tuned is not None:
        _load_tuned(model, tuned)
    model.eval()
    return tokenizer, model


def _load_tuned(model: Any, path: Path) -> None:
    import torch

    state = model.state_dict()
    try:
        with np.load(path, allow_pickle=False) as weights:
            tensors = {key: weights[key] for key in weights.files}
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: not a fine-tuned encoder file ({exc})") from exc
    for key, value in tensors.items():
        if key not in state:
            raise ConfigError(f"{path}: the packaged MiniLM has no weight {key!r}; retrain with "
                              "scripts/train_deid_tagger.py --tune-layers")
        if tuple(value.shape) != tuple(state[key].shape):
            raise ConfigError(f"{path}: {key} has shape {tuple(value.shape)}, the packaged MiniLM's is "
                              f"{tuple(state[key].shape)}")
    model.load_state_dict({k: torch.from_numpy(v.astype(np.float32)) for k, v in tensors.items()}, strict=False)


def tuned_weights(model: Any, prefixes: Sequence[str]) -> dict[str, npt.NDArray[np.float16]]:
    """The weights of ``model`` whose names start with one of ``prefixes``, as float16 (what is shipped)."""
    return {key: value.detach().float().numpy().astype(np.float16)
            for key, value in model.state_dict().items() if key.startswith(tuple(prefixes))}


def _existing(tuned: Path | None) -> Path | None:
    return tuned if tuned is not None and tuned.exists() else None


def fingerprint(tuned: Path | None = TUNED) -> str:
    """What the vectors are read with: the SHA-256 of the tuned layers' file, or "packaged" when there is none
    (a tagger's weights record it, so that weights and vectors of different trainings are never mixed)."""
    path = _existing(tuned)
    return "packaged" if path is None else hashlib.sha256(path.read_bytes()).hexdigest()


def encoder(tuned: Path | None = TUNED) -> tuple[Any, Any]:
    """The tokenizer and transformer the tagger reads (``tuned``'s layers when that file exists), loaded once per
    weights file: an absent file and ``None`` share the packaged copy."""
    return _loaded(_existing(tuned))


@cache
def _loaded(tuned: Path | None) -> tuple[Any, Any]:
    return load_encoder(tuned)


def word_pieces(offsets: Sequence[tuple[int, int]], spans: Sequence[tuple[int, int]]) -> list[npt.NDArray[np.intp]]:
    """For each character span (a word), the indices of the word-pieces (their character ``offsets``) that overlap
    it; empty for a span no piece covers."""
    starts = np.array([a for a, _ in offsets], dtype=np.intp)
    ends = np.array([b for _, b in offsets], dtype=np.intp)
    return [np.nonzero((starts < e) & (s < ends))[0] for s, e in spans]


def _pieces(text: str, tuned: Path | None) -> tuple[npt.NDArray[np.float32], list[tuple[int, int]]]:
    """Each word-piece's contextual vector (last layer) and its character span in ``text``."""
    import torch

    tokenizer, model = encoder(tuned)
    encoded = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
    ids: list[int] = encoded["input_ids"]
    offsets = [(int(a), int(b)) for a, b in encoded["offset_mapping"]]
    if not ids:
        return np.zeros((0, DIM), dtype=np.float32), []
    size = WINDOW - 2
    rows = []
    for start in range(0, len(ids), size):
        chunk = [tokenizer.cls_token_id, *ids[start:start + size], tokenizer.sep_token_id]
        with _lock, torch.inference_mode():
            out = model(input_ids=torch.tensor([chunk]), attention_mask=torch.ones(1, len(chunk), dtype=torch.long))
        rows.append(out.last_hidden_state[0, 1:-1].float().numpy())
    return np.concatenate(rows).astype(np.float32), offsets


def word_vectors(text: str, spans: Sequence[tuple[int, int]], tuned: Path | None = TUNED) -> npt.NDArray[np.float32]:
    """One row per character span of ``text`` (a word): the mean vector of the word-pieces that overlap it,
    of length :data:`SCALE`; zeros for a span no piece covers (a symbol the tokenizer drops). ``tuned``: the
    fine-tuned layers to read with (``None``: the packaged model as it is)."""
    out = np.zeros((len(spans), DIM), dtype=np.float32)
    if not spans:
        return out
    vectors, offsets = _pieces(text, tuned)
    if not offsets:
        return out
    for i, hit in enumerate(word_pieces(offsets, spans)):
        if hit.size:
            row = vectors[hit].mean(axis=0)
            norm = float(np.linalg.norm(row))
            out[i] = row * (SCALE / norm) if norm else row
    return out
