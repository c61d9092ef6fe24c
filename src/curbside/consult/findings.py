"""What the de-identifier finds: one identifier's kind and place in the original text."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    """An identifier found in the original text (kept in memory only, for masking and evaluation)."""

    kind: str
    start: int
    end: int
    score: float
    recognizer: str
