"""JSON: the answer contract itself (``Answer.model_dump``), for tools and the API."""

from __future__ import annotations

import json

from curbside.domain import Answer


def render_json(answer: Answer, *, indent: int | None = 2) -> str:
    return json.dumps(answer.model_dump(mode="json"), indent=indent, ensure_ascii=False)
