"""An answer without the statements the statement model reads as off topic (``answer/select/statement_model.py``).

Every composer's answer passes through here once it is whole (with the closest statements of the top passages
added): each statement under a heading is read with the question as curbside understood it, where it stands and
what its heading says it gives; one the model reads as on topic below its floor is not shown, with the items
under it. The bottom line always stays (the composer chose it as the answer). The provenance keeps each shown
statement's reading and the count of those dropped, so a reader can see why a sentence is there.
"""

from __future__ import annotations

from curbside.answer.citations import cited_only
from curbside.answer.compose.typed import COMPARED, closest_heading, headings_for, nearest_heading
from curbside.answer.select.statement_model import Shown, usable_with
from curbside.answer.understand.question import Question
from curbside.domain import Answer, AnswerSection
from curbside.retrieval.embedder import Embedder

#: The provenance key of the statement model's readings of the statements shown (where each stands, its probability) …
READINGS = "on_topic"
#: … and of how many it left out, below which floor.
TRIMMED = "trimmed"


def _place(heading: str, answer: Answer) -> str:
    if heading == nearest_heading(answer.audience):
        return "nearest"
    return "closest" if heading == closest_heading(answer.audience) else "section"


def trimmed(answer: Answer, question: Question, embedder: Embedder | None) -> Answer:
    """``answer`` without the statements under its headings that the statement model reads as off topic; unchanged
    when it abstained or the model cannot read this embedder's vectors."""
    model = usable_with(embedder)
    if model is None or embedder is None or answer.abstained or not answer.bottom_line.text:
        return answer
    if answer.provenance.composer == COMPARED:  # a comparison's sides say what each is, not what was asked of one
        return answer
    types = {heading: kind for kind, heading in headings_for(answer.audience).items()}
    shown = [Shown(answer.bottom_line.text, (), "bottom")]
    where: list[tuple[int, int]] = []
    for k, section in enumerate(answer.sections):
        place = _place(section.heading, answer)
        for i, item in enumerate(section.items):
            shown.append(Shown(item.text, tuple(c.text for c in item.children), place,
                               types.get(section.heading) if place == "section" else None))
            where.append((k, i))
    scores = model.scores(question, shown, embedder)
    off = {spot for spot, p in zip(where, scores[1:], strict=True) if p < model.floor}
    kept = [(spot, float(p)) for spot, p in zip(where, scores[1:], strict=True) if spot not in off]
    sections: list[AnswerSection] = []
    readings = [f"bottom line {float(scores[0]):.2f}"]
    for k, section in enumerate(answer.sections):
        here = [(i, p) for (at, i), p in kept if at == k]
        if here:
            readings += [f"sections[{len(sections)}].items[{n}] {p:.2f}" for n, (_i, p) in enumerate(here)]
            sections.append(section.model_copy(update={"items": [section.items[i] for i, _p in here]}))
    extra = {**answer.provenance.extra, READINGS: "; ".join(readings)}
    if off:
        extra[TRIMMED] = f"{len(off)} below {model.floor:.2f}"
    provenance = answer.provenance.model_copy(update={
        "extra": extra, "dropped_statements": answer.provenance.dropped_statements + len(off)})
    trimmed_answer = answer.model_copy(update={"sections": sections, "provenance": provenance})
    return cited_only(trimmed_answer) if off else trimmed_answer
