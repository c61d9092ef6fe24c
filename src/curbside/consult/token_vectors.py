"""Contextual vectors of a message's words from the packaged MiniLM, for the de-identification tagger.

The tagger's hashed features see a word, its shape, lexicons and three neighbours; whether "little acorns" is a
nursery or "Lakeshore" a hotel is said by the sentence around it. The packaged all-MiniLM-L6-v2 (the embedding
model's own weights, :func:`curbside.retrieval.minilm.model_dir`; nothing is downloaded) reads the whole message;
its last layer gives each word-piece a vector of the context. A word's vector is the mean of its pieces' (those
whose characters overlap it), so the tagger reads it beside its hashed features. Run by PyTorch on the CPU; a
message longer than the model's window is read in windows of it.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

DIM = 384
#: A word's vector is L2-normalised and then scaled to this length, so that each of its numbers is about
#: the size of a hashed feature's 1 (what the tagger's L2-regularised weights were fitted to).
SCALE = DIM ** 0.5
#: Word-pieces per window (the model reads at most 512 positions; sentence-transformers uses 256).
WINDOW = 256
_lock = threading.Lock()


@cache
def _encoder() -> tuple[Any, Any]:
    """The packaged tokenizer (fast: it gives character offsets) and transformer, loaded once."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    from curbside.retrieval.minilm import _offline, model_dir

    _offline()
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    directory = str(model_dir())
    tokenizer = AutoTokenizer.from_pretrained(directory, use_fast=True)
    model = AutoModel.from_pretrained(directory)
    model.eval()
    torch.set_grad_enabled(False)
    return tokenizer, model


def _pieces(text: str) -> tuple[npt.NDArray[np.float32], list[tuple[int, int]]]:
    """Each word-piece's contextual vector (last layer) and its character span in ``text``."""
    import torch

    tokenizer, model = _encoder()
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


def word_vectors(text: str, spans: Sequence[tuple[int, int]]) -> npt.NDArray[np.float32]:
    """One row per character span of ``text`` (a word): the mean vector of the word-pieces that overlap it,
    of length :data:`SCALE`; zeros for a span no piece covers (a symbol the tokenizer drops)."""
    out = np.zeros((len(spans), DIM), dtype=np.float32)
    if not spans:
        return out
    vectors, offsets = _pieces(text)
    if not offsets:
        return out
    starts = np.array([a for a, _ in offsets])
    ends = np.array([b for _, b in offsets])
    for i, (s, e) in enumerate(spans):
        hit = np.nonzero((starts < e) & (s < ends))[0]
        if hit.size:
            row = vectors[hit].mean(axis=0)
            norm = float(np.linalg.norm(row))
            out[i] = row * (SCALE / norm) if norm else row
    return out
