"""An answer without the statements the statement model reads as off topic (``answer/select/statement_model.py``).

Every composer's answer passes through here once it is whole (with the closest statements of the top passages
added): each statement under a heading is read with the question as curbside understood it, where it stands and
what its heading says it gives; one the model reads as on topic below its floor is not shown, with the items
under it. The bottom line stays unless a statement shown under a heading, read as if it stood in its place, reads as
on topic by more than the model's margin (then that statement becomes the bottom line and the composer's goes). The
provenance keeps each shown statement's reading, the count of those dropped and a replaced bottom line's readings,
so a reader can see why a sentence is there.
"""

from __future__ import annotations

from curbside.answer.citations import cited_only
from curbside.answer.compose.typed import COMPARED, closest_heading, headings_for, nearest_heading
from curbside.answer.select.statement_model import Shown, usable_with
from curbside.answer.understand.question import Question
from curbside.domain import Answer, AnswerSection, CitedText
from curbside.retrieval.embedder import Embedder

#: The provenance key of the statement model's readings of the statements shown (where each stands, its probability) …
READINGS = "on_topic"
#: … and of how many it left out, below which floor …
TRIMMED = "trimmed"
#: … and of a bottom line it replaced (the composer's reading, then the new one's, as bottom lines).
REPLACED = "bottom_line_replaced"


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
    scores, as_bottom = model.readings(question, shown, embedder)
    off = {spot for spot, p in zip(where, scores[1:], strict=True) if p < model.floor}
    # a statement that could stand alone (no items under it, no lead-in) and reads better as the bottom line
    alone = [j for j, (k, i) in enumerate(where, start=1) if (k, i) not in off
             and not answer.sections[k].items[i].children and not shown[j].text.rstrip().endswith(":")]
    best = max(alone, key=lambda j: float(as_bottom[j]), default=None)
    bottom_line, bottom_score, extra = answer.bottom_line, float(scores[0]), dict(answer.provenance.extra)
    moved = None  # the statement that became the bottom line
    if best is not None and float(as_bottom[best]) - bottom_score > model.bottom_margin:
        moved = where[best - 1]
        item = answer.sections[moved[0]].items[moved[1]]
        bottom_line = CitedText(text=item.text, citations=list(item.citations))
        extra[REPLACED] = f"{bottom_score:.2f} -> {float(as_bottom[best]):.2f}"
        bottom_score = float(as_bottom[best])
    kept = [(spot, float(p)) for spot, p in zip(where, scores[1:], strict=True) if spot not in off and spot != moved]
    sections: list[AnswerSection] = []
    readings = [f"bottom line {bottom_score:.2f}"]
    for k, section in enumerate(answer.sections):
        here = [(i, p) for (at, i), p in kept if at == k]
        if here:
            readings += [f"sections[{len(sections)}].items[{n}] {p:.2f}" for n, (_i, p) in enumerate(here)]
            sections.append(section.model_copy(update={"items": [section.items[i] for i, _p in here]}))
    extra[READINGS] = "; ".join(readings)
    if off:
        extra[TRIMMED] = f"{len(off)} below {model.floor:.2f}"
    dropped = len(off) + (moved is not None)  # the composer's bottom line goes when another replaces it
    provenance = answer.provenance.model_copy(update={
        "extra": extra, "dropped_statements": answer.provenance.dropped_statements + dropped})
    trimmed_answer = answer.model_copy(update={"bottom_line": bottom_line, "sections": sections,
                                               "provenance": provenance})
    return cited_only(trimmed_answer) if dropped else trimmed_answer
