"""Citations: evidence numbers in, numbered references out; and the validator.

Composers cite *evidence numbers* (1 … n, the retrieval order of the passages they were given)
and leave ``references`` empty. :func:`number_references` renumbers those citations in order of
first citation (bottom line, then sections top to bottom, parents before children) and builds one
reference per cited source, carrying the supporting passages. Only evidence that was retrieved can
become a reference; an unknown evidence number is an error.

:func:`validate` checks a finished answer against the evidence it was composed from: every
citation resolves to a reference, every reference passage was retrieved, every statement cites
something, references are numbered in order of first citation, and (for extractive answers,
``verbatim=True``) every statement is quoted from one of its cited passages. :func:`prune` drops
what fails, for composers that may invent (the LLM composer), and counts what it dropped.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from curbside.answer.base import Evidence
from curbside.domain import KIND_LABELS, Answer, AnswerItem, AnswerSection, Reference, ReferencePassage, SearchHit
from curbside.errors import CurbsideError
from curbside.text import normalize_space


class CitationError(CurbsideError):
    """A composer cited something it was not given."""

    status, code = 500, "citation_error"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an answer's citations."""

    where: str  # "bottom_line", "sections[0].items[2]", "references[1]"
    message: str


def _walk(items: Sequence[AnswerItem], path: str) -> Iterator[tuple[str, AnswerItem]]:
    for i, item in enumerate(items):
        here = f"{path}[{i}]"
        yield here, item
        yield from _walk(item.children, f"{here}.children")


def statements(answer: Answer) -> Iterator[tuple[str, str, list[int]]]:
    """Every statement of an answer in reading order: (where, text, citations)."""
    if answer.bottom_line.text:
        yield "bottom_line", answer.bottom_line.text, answer.bottom_line.citations
    for s, section in enumerate(answer.sections):
        for where, item in _walk(section.items, f"sections[{s}].items"):
            yield where, item.text, item.citations


def cite(references: list[Reference], hit: SearchHit) -> int:
    """The number of the reference to ``hit``'s source in ``references`` — added, numbered next, when it is not
    there — with ``hit``'s passage among its passages."""
    source = hit.source
    reference = next((r for r in references if r.source_id == source.id), None)
    if reference is None:
        reference = Reference(number=len(references) + 1, type=KIND_LABELS.get(source.kind, "Source"),
                              title=source.title, source=source.publisher, year=source.year, url=source.url,
                              evidence_level=source.evidence_level, source_id=source.id, passages=[])
        references.append(reference)
    if all(p.id != hit.passage.id for p in reference.passages):
        reference.passages.append(ReferencePassage(id=hit.passage.id, text=hit.passage.text))
    return reference.number


def number_references(draft: Answer, evidence: Sequence[Evidence]) -> Answer:
    """Renumber evidence citations into reference numbers and build the reference list.

    Passages of the same source share one reference. Raises :class:`CitationError` when a
    citation names evidence that was not retrieved.
    """
    by_number = {e.number: e for e in evidence}
    references: list[Reference] = []

    def renumber(numbers: list[int], where: str) -> list[int]:
        out: list[int] = []
        for n in numbers:
            if n not in by_number:
                raise CitationError(f"{where} cites evidence {n}, which was not retrieved "
                                    f"(evidence is numbered 1-{len(evidence)}).")
            ref = cite(references, by_number[n].hit)
            if ref not in out:
                out.append(ref)
        return out

    def items(values: Sequence[AnswerItem], path: str) -> list[AnswerItem]:
        result = []
        for i, item in enumerate(values):
            cited = renumber(item.citations, f"{path}[{i}]")
            result.append(AnswerItem(text=item.text, citations=cited,
                                     children=items(item.children, f"{path}[{i}].children")))
        return result

    bottom = draft.bottom_line.model_copy(update={"citations": renumber(draft.bottom_line.citations, "bottom_line")})
    sections = [AnswerSection(heading=s.heading, style=s.style, items=items(s.items, f"sections[{k}].items"))
                for k, s in enumerate(draft.sections)]
    return draft.model_copy(update={"bottom_line": bottom, "sections": sections, "references": references})


def _norm(text: str) -> str:
    return normalize_space(text).casefold()


def validate(answer: Answer, evidence: Sequence[Evidence], *, verbatim: bool = False) -> list[Problem]:
    """Everything wrong with an answer's citations (an empty list means it is sound)."""
    problems: list[Problem] = []
    retrieved = {e.hit.passage.id: e.hit.passage for e in evidence}
    refs = {r.number: r for r in answer.references}
    if answer.abstained:
        if answer.sections or answer.references:
            problems.append(Problem("answer", "an abstained answer has sections or references"))
        return problems
    for i, ref in enumerate(answer.references):
        if ref.number != i + 1:
            problems.append(Problem(f"references[{i}]", f"numbered {ref.number}, expected {i + 1}"))
        if not ref.passages:
            problems.append(Problem(f"references[{i}]", "has no supporting passage"))
        for p in ref.passages:
            if p.id not in retrieved:
                problems.append(Problem(f"references[{i}]", f"passage {p.id} was not retrieved"))
    first_seen: list[int] = []
    normalized = {pid: _norm(p.context_text) for pid, p in retrieved.items()} if verbatim else {}
    for where, text, cited in statements(answer):
        if not text.strip():
            problems.append(Problem(where, "empty statement"))
            continue
        if not cited:
            problems.append(Problem(where, "statement cites nothing"))
            continue
        unknown = [n for n in cited if n not in refs]
        if unknown:
            problems.append(Problem(where, f"cites reference(s) {unknown} that do not exist"))
            continue
        for n in cited:
            if n not in first_seen:
                first_seen.append(n)
        if verbatim:
            passages = [normalized[p.id] for n in cited for p in refs[n].passages if p.id in normalized]
            if not any(_norm(text) in p for p in passages):
                problems.append(Problem(where, "statement is not quoted from any passage it cites"))
    if first_seen != sorted(first_seen):
        problems.append(Problem("references", f"not numbered in order of first citation: {first_seen}"))
    uncited = [r.number for r in answer.references if r.number not in first_seen]
    if uncited:
        problems.append(Problem("references", f"reference(s) {uncited} are never cited"))
    return problems


def check(answer: Answer, evidence: Sequence[Evidence], *, verbatim: bool = False) -> None:
    """Raise :class:`CitationError` listing the problems, if there are any."""
    problems = validate(answer, evidence, verbatim=verbatim)
    if problems:
        listing = "; ".join(f"{p.where}: {p.message}" for p in problems[:10])
        raise CitationError(f"The answer's citations do not check out ({len(problems)} problem(s)): {listing}")


def prune(answer: Answer, evidence: Sequence[Evidence], *, verbatim: bool = False) -> tuple[Answer, int]:
    """Drop statements that fail validation (with their children) and renumber; returns the count.

    Works on an answer whose citations are already reference numbers. References left uncited
    are removed and the rest renumbered in order of first citation.
    """
    bad = {p.where for p in validate(answer, evidence, verbatim=verbatim)}
    dropped = 0

    def keep_items(items: Sequence[AnswerItem], path: str) -> list[AnswerItem]:
        nonlocal dropped
        kept = []
        for i, item in enumerate(items):
            here = f"{path}[{i}]"
            if here in bad:
                dropped += 1 + sum(1 for _ in _walk(item.children, here))
                continue
            kept.append(item.model_copy(update={"children": keep_items(item.children, f"{here}.children")}))
        return kept

    bottom = answer.bottom_line
    if "bottom_line" in bad:
        dropped += 1
        bottom = bottom.model_copy(update={"text": "", "citations": []})
    sections = []
    for k, section in enumerate(answer.sections):
        items = keep_items(section.items, f"sections[{k}].items")
        if items:
            sections.append(section.model_copy(update={"items": items}))
    pruned = answer.model_copy(update={"bottom_line": bottom, "sections": sections})
    return _renumber_references(pruned, {p.id for e in evidence for p in [e.hit.passage]}), dropped


def cited_only(answer: Answer) -> Answer:
    """The answer without the references no statement cites any more, the rest numbered by first citation."""
    return _renumber_references(answer, {p.id for ref in answer.references for p in ref.passages})


def _renumber_references(answer: Answer, retrieved: set[str]) -> Answer:
    """Keep only cited references whose passages were retrieved; number them by first citation."""
    valid = {r.number: r for r in answer.references if r.passages and all(p.id in retrieved for p in r.passages)}
    order: list[int] = []
    for _where, _text, cited in statements(answer):
        for n in cited:
            if n in valid and n not in order:
                order.append(n)
    mapping = {old: new for new, old in enumerate(order, start=1)}

    def fix(numbers: list[int]) -> list[int]:
        return [mapping[n] for n in numbers if n in mapping]

    def fix_items(items: Sequence[AnswerItem]) -> list[AnswerItem]:
        return [i.model_copy(update={"citations": fix(i.citations), "children": fix_items(i.children)})
                for i in items]

    references = [valid[old].model_copy(update={"number": new}) for old, new in mapping.items()]
    return answer.model_copy(update={
        "bottom_line": answer.bottom_line.model_copy(update={"citations": fix(answer.bottom_line.citations)}),
        "sections": [s.model_copy(update={"items": fix_items(s.items)}) for s in answer.sections],
        "references": references,
    })
