"""A packaged logistic-regression head: weights, a bias and a card saying how it was trained.

The learned judgements over the packaged model's vectors (``answer/select/answers_model.py``,
``answer/understand/subject.py``) are such heads, stored as ``.npz`` files without pickles.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Self

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class LogisticHead:
    weights: npt.NDArray[np.float32]
    bias: float
    card: dict[str, object]

    @classmethod
    def load(cls, path: Path) -> Self:
        with np.load(path, allow_pickle=False) as data:
            return cls(data["weights"].astype(np.float32), float(data["bias"]), json.loads(str(data["card"])))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path, weights=self.weights, bias=np.float32(self.bias),
                            card=json.dumps(self.card, sort_keys=True))

    def probabilities(self, rows: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """The head's probability for each feature row."""
        out: npt.NDArray[np.float32] = (1.0 / (1.0 + np.exp(-(rows @ self.weights + self.bias)))).astype(np.float32)
        return out
