"""Answer evaluation: coverage, ROUGE-L, citation support, abstention and latency, with a baseline.

Input is JSON Lines; each line has ``question`` and either ``answer`` (reference text, split into
sentences) or ``must_have`` (a list of statements, as in K-QA). For every question:

- **coverage** (semantic): the share of reference statements matched by some answer statement,
  where a match is a cosine similarity ≥ ``threshold`` (default 0.6) between their embeddings with
  the packaged all-MiniLM-L6-v2 model;
- **token coverage** (strict): the share of reference statements of which at least
  ``TOKEN_SHARE`` of the content-word stems appear in the answer's text;
- **ROUGE-L** (F1, stemmed) between the answer's text and the reference text;
- **citation support rate**: the share of the answer's statements that the verifier
  (``answer/verify.py``) finds supported by the passages they cite;
- **answered**, the abstention category, the number of references, and **latency** (ms).

An abstention covers nothing: ``coverage_all`` counts it as 0. The **baseline**, measured in the
same run on every answered question, is the text of the top retrieved passages (the same
retrieval the answer used) cut to the answer's length in words; it shows what composing adds
over quoting the search results.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from statistics import mean, median

import numpy as np
from pydantic import BaseModel, ValidationError, model_validator

from curbside.domain import Answer, AnswerItem, Audience
from curbside.errors import InputError
from curbside.retrieval.embedder import Embedder
from curbside.text import split_sentences

DEFAULT_THRESHOLD = 0.6


class QAItem(BaseModel):
    question: str
    answer: str | None = None
    must_have: list[str] | None = None
    audience: Audience | None = None
    id: str | None = None

    @model_validator(mode="after")
    def _has_reference(self) -> QAItem:
        if not self.answer and not self.must_have:
            raise ValueError("each line needs 'answer' or 'must_have'")
        return self

    def reference_statements(self) -> list[str]:
        if self.must_have:
            return [s for s in self.must_have if s.strip()]
        return split_sentences(self.answer or "")

    def reference_text(self) -> str:
        return self.answer or " ".join(self.must_have or [])


def load_qa(path: Path) -> list[QAItem]:
    """Read a QA file; a bad line is an InputError naming the line."""
    items: list[QAItem] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"Cannot read {path}: {exc}") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            items.append(QAItem.model_validate_json(line))
        except ValidationError as exc:
            raise InputError(f"{path}:{number}: {exc.errors()[0]['msg']}") from exc
    if not items:
        raise InputError(f"{path} holds no questions.")
    return items


def _flatten(items: Iterable[AnswerItem]) -> Iterable[AnswerItem]:
    for item in items:
        yield item
        yield from _flatten(item.children)


def answer_statements(answer: Answer) -> list[tuple[str, list[int]]]:
    """Every statement of an answer with its citations: the bottom line, then all list items."""
    out: list[tuple[str, list[int]]] = []
    if answer.bottom_line.text.strip():
        out.append((answer.bottom_line.text, list(answer.bottom_line.citations)))
    for section in answer.sections:
        out.extend((item.text, list(item.citations)) for item in _flatten(section.items))
    return out


def checked_statements(answer: Answer) -> list[tuple[str, list[int]]]:
    """The statements a reader reads, for the verifier: a list item under a lead-in ("People who
    have: – a BMI of at least 35", or a lead-in without a colon) is read with its lead-in, since
    the item alone asserts nothing."""
    out: list[tuple[str, list[int]]] = []
    if answer.bottom_line.text.strip():
        out.append((answer.bottom_line.text, list(answer.bottom_line.citations)))

    def walk(items: Iterable[AnswerItem], lead: str) -> None:
        for item in items:
            text = f"{lead} {item.text}" if lead else item.text
            out.append((text, list(item.citations)))
            head = item.text.rstrip()
            # a lead-in ("… include:", "… and have") is read with each of its items
            walk(item.children, head if head and head[-1] not in ".!?\"'”)" else "")

    for section in answer.sections:
        walk(section.items, "")
    return out


def coverage(reference: Sequence[str], statements: Sequence[str], embedder: Embedder, threshold: float) -> float:
    """Share of reference statements whose best match among ``statements`` reaches ``threshold``."""
    if not reference:
        return 0.0
    if not statements:
        return 0.0
    ref = embedder.embed(list(reference))
    got = embedder.embed(list(statements))
    best = (ref @ got.T).max(axis=1)
    return float(np.mean(best >= threshold))


def rouge_l(reference: str, candidate: str) -> float:
    from rouge_score import rouge_scorer

    if not reference.strip() or not candidate.strip():
        return 0.0
    scorer = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=True)
    return float(scorer.score(reference, candidate)["rougeL"].fmeasure)


def support_rate(answer: Answer, embedder: Embedder, threshold: float) -> float | None:
    """Share of statements supported by the passages they cite (None when there are none)."""
    from curbside.answer.verify import CitedSource, Verifier

    statements = checked_statements(answer)
    if not statements:
        return None
    sources = {ref.number: CitedSource(text=" ".join(p.text for p in ref.passages), context=ref.title)
               for ref in answer.references}
    checks = Verifier(sources, embedder, support_threshold=threshold).check(statements)
    return sum(c.supported for c in checks) / len(checks)


TOKEN_SHARE = 0.6


def token_coverage(reference: Sequence[str], text: str) -> float:
    """Share of reference statements with ≥ ``TOKEN_SHARE`` of their content stems in ``text``."""
    from curbside.answer.understand.terms import stem_set

    if not reference:
        return 0.0
    have = stem_set(text)
    hits = 0
    for statement in reference:
        need = stem_set(statement)
        if need and len(need & have) / len(need) >= TOKEN_SHARE:
            hits += 1
    return hits / len(reference)


_TOKEN = re.compile(r"[a-z0-9]+")


def token_f1(reference: str, candidate: str) -> float:
    """Token F1 of ``candidate`` against ``reference`` (SQuAD's measure: lower-case words of letters
    and digits, each counted as often as it occurs in both); 0.0 when either is empty."""
    ref = Counter(_TOKEN.findall(reference.lower()))
    got = Counter(_TOKEN.findall(candidate.lower()))
    same = sum((ref & got).values())
    if not same:
        return 0.0
    precision, recall = same / sum(got.values()), same / sum(ref.values())
    return 2 * precision * recall / (precision + recall)


def cut_to_words(texts: Sequence[str], n: int) -> str:
    """The first ``n`` words of ``texts`` joined in order (the length-matched baseline)."""
    out: list[str] = []
    for text in texts:
        for word in text.split():
            if len(out) >= n:
                return " ".join(out)
            out.append(word)
    return " ".join(out)


def dangling_leadins(answer: Answer) -> int:
    """Statements that introduce a list (end with ':') but have no items under them: items, and a bottom line
    (which never has any)."""
    bottom = int(not answer.abstained and answer.bottom_line.text.rstrip().endswith(":"))
    return bottom + sum(1 for section in answer.sections for item in _flatten(section.items)
                        if item.text.rstrip().endswith(":") and not item.children)


@dataclass
class QuestionScore:
    question: str
    coverage: float
    rouge_l: float
    support_rate: float | None
    abstained: bool
    latency_ms: float
    baseline_coverage: float | None
    baseline_rouge_l: float | None
    token_coverage: float = 0.0
    baseline_token_coverage: float | None = None
    top1_coverage: float | None = None  # the single top retrieved passage shown as is (every question)
    abstain_kind: str = ""
    references: int = 0
    statements: int = 0
    words: int = 0
    empty_bottom_line: bool = False
    dangling_leadins: int = 0
    red_flag: bool = False
    title: str = ""
    error: str = ""


def _mean(values: Iterable[float | None]) -> float | None:
    got = [v for v in values if v is not None]
    return mean(got) if got else None


@dataclass
class AnswerReport:
    threshold: float
    questions: list[QuestionScore] = field(default_factory=list)

    def overall(self) -> dict[str, object]:
        qs = self.questions
        if not qs:
            return {}
        answered = [q for q in qs if not q.abstained and not q.error]
        latencies = sorted(q.latency_ms for q in qs)
        kinds: dict[str, int] = {}
        for q in qs:
            if q.abstained:
                kinds[q.abstain_kind or "other"] = kinds.get(q.abstain_kind or "other", 0) + 1
        cov = _mean(q.coverage for q in answered)
        base = _mean(q.baseline_coverage for q in answered)
        return {
            "questions": len(qs),
            "answered_share": len(answered) / len(qs),
            "coverage": _mean(q.coverage for q in qs),  # over all questions; an abstention covers nothing
            "coverage_answered": cov,
            # the same run's top retrieved passage shown as is, over all questions: what answering beats
            "top1_coverage": _mean(q.top1_coverage for q in qs),
            "baseline_coverage_answered": base,
            "coverage_ratio": (cov / base) if cov is not None and base else None,
            "token_coverage": _mean(q.token_coverage for q in qs),
            "token_coverage_answered": _mean(q.token_coverage for q in answered),
            "baseline_token_coverage_answered": _mean(q.baseline_token_coverage for q in answered),
            "rouge_l_answered": _mean(q.rouge_l for q in answered),
            "baseline_rouge_l_answered": _mean(q.baseline_rouge_l for q in answered),
            "citation_support_rate": _mean(q.support_rate for q in answered),
            "mean_references": _mean(float(q.references) for q in answered),
            "mean_words": _mean(float(q.words) for q in answered),
            "empty_bottom_lines": sum(q.empty_bottom_line for q in answered),
            "dangling_leadins": sum(q.dangling_leadins for q in answered),
            "red_flag_questions": sum(q.red_flag for q in qs),
            "abstentions": kinds,
            "errors": sum(1 for q in qs if q.error),
            "latency_p50_ms": median(latencies),
            "latency_p95_ms": latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))],
        }

    def to_dict(self) -> dict[str, object]:
        return {"threshold": self.threshold, "token_share": TOKEN_SHARE, "overall": self.overall(),
                "baseline": "the top retrieved passages cut to the answer's length in words",
                "questions": [asdict(q) for q in self.questions]}


def evaluate_answers(items: Sequence[QAItem], ask: Callable[[QAItem], Answer],
                     retrieved: Callable[[QAItem], str | Sequence[str]],
                     embedder: Embedder, *, threshold: float = DEFAULT_THRESHOLD, support_threshold: float = 0.55,
                     on_progress: Callable[[], None] | None = None) -> AnswerReport:
    """Score ``ask`` on every item against the reference, with the length-matched baseline beside it.

    ``retrieved`` gives the texts of the passages retrieved for the question, best first.
    """
    report = AnswerReport(threshold=threshold)
    for item in items:
        reference = item.reference_statements()
        reference_text = item.reference_text()
        start = time.perf_counter()
        try:
            answer = ask(item)
        except Exception as exc:  # one failing question must not stop the evaluation
            report.questions.append(QuestionScore(item.question, 0.0, 0.0, None, False, 0.0, None, None,
                                                  error=repr(exc)))
            if on_progress is not None:
                on_progress()
            continue
        latency = (time.perf_counter() - start) * 1000
        statements = [text for text, _ in answer_statements(answer)]
        answer_text = " ".join(statements)
        n_words = len(answer_text.split())
        score = QuestionScore(
            question=item.question,
            coverage=coverage(reference, statements, embedder, threshold),
            rouge_l=rouge_l(reference_text, answer_text),
            support_rate=None if answer.abstained else support_rate(answer, embedder, support_threshold),
            abstained=answer.abstained,
            latency_ms=latency,
            baseline_coverage=None, baseline_rouge_l=None,
            token_coverage=token_coverage(reference, answer_text),
            abstain_kind=str(answer.abstain_kind.value) if answer.abstained else "",
            references=len(answer.references), statements=len(statements), words=n_words,
            empty_bottom_line=not answer.abstained and not answer.bottom_line.text.strip(),
            dangling_leadins=dangling_leadins(answer),
            red_flag=any(n.urgent for n in answer.notices), title=answer.title,
        )
        got = retrieved(item)
        passages = [got] if isinstance(got, str) else list(got)
        if passages:
            score.top1_coverage = coverage(reference, split_sentences(passages[0]), embedder, threshold)
        else:
            score.top1_coverage = 0.0
        if not answer.abstained:
            baseline = cut_to_words(passages, n_words)
            score.baseline_coverage = coverage(reference, split_sentences(baseline), embedder, threshold)
            score.baseline_token_coverage = token_coverage(reference, baseline)
            score.baseline_rouge_l = rouge_l(reference_text, baseline)
        report.questions.append(score)
        if on_progress is not None:
            on_progress()
    return report


def pubmedqa_items(path: Path, limit: int | None = None, pmids: Iterable[str] | None = None) -> list[QAItem]:
    """PubMedQA records as QA items: question → its long answer (the abstract's conclusion)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    keys = list(pmids) if pmids is not None else list(data)
    items = [QAItem(id=k, question=data[k]["QUESTION"], answer=data[k]["LONG_ANSWER"]) for k in keys if k in data]
    return items[:limit] if limit else items
