"""The LLM composer against httpx.MockTransport serving OpenAI-format replies.

The replies are recorded shapes of llama-cpp-python's server; their statements are copied from
the real fixture evidence (supported) or deliberately invented (must be dropped). Verification
uses the real packaged embedding model; the fallback is the real extractive composer.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from tests.answer.llm_evidence import CAUSES, RESULTS, WHAT_IS, evidence

from curbside.answer.base import Evidence, QuestionAnalysis
from curbside.answer.citations import validate
from curbside.answer.compose.extractive import ExtractiveComposer
from curbside.answer.compose.llm.client import LLMClient
from curbside.answer.compose.llm.composer import FALLBACK_HEADINGS, LLMComposer, plan_sections
from curbside.answer.compose.llm.prompt import ANSWER_SCHEMA, DraftError, extract_json_object, parse_draft
from curbside.answer.composers import make_composer
from curbside.answer.understand.analysis import analyze
from curbside.answer.verify import support_rate
from curbside.domain import Answer, Audience
from curbside.errors import ConfigError
from curbside.retrieval.embedder import Embedder
from curbside.settings import LLMSettings, Settings

DEFINITION = "Anemia is a condition in which your blood has a lower than normal number of red blood cells."
CAUSE = "Blood loss is the most common cause of anemia, especially iron-deficiency anemia."
HEMOGLOBIN = "Hemoglobin is an iron-rich protein that gives blood its red color."
ODDS = ("Compared with nonanemic patients, those with severe anemia were more likely to have the "
        "adverse CO with an odds ratio of 1.83.")
INVENTED = "Aminochrominemia is a lack of carnitine."
WRONG_NUMBER = "Those with severe anemia had an odds ratio of 4.83 for the adverse CO."

Handler = Callable[[httpx.Request], httpx.Response]


def completion(content: str, finish: str = "stop") -> dict[str, Any]:
    return {"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "smollm2",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                         "finish_reason": finish}],
            "usage": {"prompt_tokens": 500, "completion_tokens": 120, "total_tokens": 620}}


def reply(content: str, seen: list[dict[str, Any]] | None = None) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(json.loads(request.content))
        return httpx.Response(200, json=completion(content))
    return handler


def answer_json(bottom: str, bottom_cites: list[int], items: list[dict[str, Any]]) -> str:
    return json.dumps({"title": "Anemia", "bottom_line": {"text": bottom, "citations": bottom_cites},
                       "sections": [{"heading": "Overview", "items": items}],
                       "follow_ups": ["Why does anemia happen?", "not a question"]})


@pytest.fixture
def settings(tmp_path: Any) -> Settings:
    return Settings(data_dir=tmp_path / "data", starter_pack=False,
                    llm=LLMSettings(base_url="http://llm.test/v1", model="smollm2", timeout_s=5))


@pytest.fixture
def ev() -> list[Evidence]:
    return evidence([WHAT_IS, CAUSES, RESULTS])


@pytest.fixture
def analysis() -> QuestionAnalysis:
    return analyze("What's anemia?")


@pytest.fixture
def compose(settings: Settings, embedder: Embedder, ev: list[Evidence],
            analysis: QuestionAnalysis) -> Callable[..., Answer]:
    def run(handler: Handler, **kwargs: Any) -> Answer:
        client = LLMClient(settings.llm, transport=httpx.MockTransport(handler))
        composer = LLMComposer(settings, client=client, embedder=embedder,
                               fallback=ExtractiveComposer(settings.answer))
        return composer.compose(analysis, ev, **kwargs)
    return run


def statements(answer: Answer) -> list[str]:
    def walk(items: Any) -> list[str]:
        return [t for i in items for t in [i.text, *walk(i.children)]]
    return [answer.bottom_line.text] + [t for s in answer.sections for t in walk(s.items)]


def test_valid_json_answer_is_verified_and_built(compose: Callable[..., Answer], ev: list[Evidence],
                                                 embedder: Embedder) -> None:
    seen: list[dict[str, Any]] = []
    content = answer_json(DEFINITION, [1], [
        {"text": CAUSE, "citations": [2]},
        {"text": INVENTED, "citations": [1]},
        {"text": HEMOGLOBIN, "citations": [7]},             # unknown evidence number only
        {"text": WRONG_NUMBER, "citations": [3]},            # 4.83 is not in the evidence
        {"text": ODDS + " [3]", "citations": []},             # inline marker is read
    ])
    answer = compose(reply(content, seen))

    assert answer.provenance.composer == "llm" and answer.provenance.fallback_reason == ""
    assert answer.provenance.composer_version.endswith("+p1")
    assert statements(answer) == [DEFINITION, CAUSE, ODDS]
    assert answer.provenance.dropped_statements == 3
    extra = answer.provenance.extra
    assert extra["verify_failed_citation"] == "1" and extra["verify_failed_number"] == "1"
    assert extra["verify_failed_term"] == "1" and extra["llm_model"] == "smollm2"
    # References: numbered by first citation; evidence 1 and 2 share the NHLBI source.
    assert [(r.number, r.source_id, [p.id for p in r.passages]) for r in answer.references] == [
        (1, "medquad:NHLBI:0000002", [WHAT_IS, CAUSES]), (2, "pmid:21276532", [RESULTS])]
    assert answer.bottom_line.citations == [1]
    assert [i.citations for i in answer.sections[0].items] == [[1], [2]]
    assert validate(answer, ev) == []
    assert support_rate(answer, ev, embedder=embedder) == 1.0
    assert answer.follow_ups == ["Why does anemia happen?"]
    # The request: JSON mode with the answer schema, numbered evidence and the plan's headings.
    body = seen[0]
    assert body["response_format"] == {"type": "json_object", "schema": ANSWER_SCHEMA}
    prompt = body["messages"][1]["content"]
    assert "[1] Anemia — National Heart, Lung, and Blood Institute (NHLBI)" in prompt
    assert "[3] Does preoperative anemia adversely affect colon and rectal surgery outcomes? — PubMed, 2011" in prompt
    assert all(h in prompt for h, _ in plan_sections(analyze("What's anemia?")))


def test_unsupported_bottom_line_is_replaced_by_first_supported_item(compose: Callable[..., Answer]) -> None:
    answer = compose(reply(answer_json(INVENTED, [1], [{"text": DEFINITION, "citations": [1],
                                                        "children": [{"text": CAUSE, "citations": [2]}]}])))
    assert answer.provenance.composer == "llm"
    assert answer.bottom_line.text == DEFINITION
    assert [i.text for s in answer.sections for i in s.items] == [CAUSE]


def test_fragments_alone_cannot_make_an_answer(compose: Callable[..., Answer]) -> None:
    # A lone word is no statement; a short fragment may be a list item but not the bottom line.
    answer = compose(reply(answer_json("Anemia", [1], [{"text": "Blood loss", "citations": [2]}])))
    assert answer.provenance.composer == "extractive"
    assert answer.provenance.fallback_reason.startswith("no bottom line the LLM wrote was supported")
    assert answer.provenance.extra["verify_kept"] == "1"


def test_code_fences_chatter_and_truncation_are_tolerated(compose: Callable[..., Answer]) -> None:
    full = answer_json(DEFINITION, [1], [{"text": CAUSE, "citations": [2]}, {"text": HEMOGLOBIN, "citations": [1]}])
    cut = full[: full.index(HEMOGLOBIN) + 10]  # the reply stopped at max_tokens
    answer = compose(reply("Sure! Here is the answer:\n```json\n" + cut))
    assert answer.provenance.composer == "llm"
    assert statements(answer) == [DEFINITION, CAUSE]


@pytest.mark.parametrize("content", ["I'm sorry, I can't help with that.", "", "[1, 2, 3]",
                                     '{"answer": "Anemia"}', '{"bottom_line": {"text": "..."}}'])
def test_garbage_falls_back_to_extractive(compose: Callable[..., Answer], ev: list[Evidence], content: str) -> None:
    answer = compose(reply(content))
    assert answer.provenance.composer == "extractive"
    reason = answer.provenance.fallback_reason
    assert "unusable" in reason or "nothing the LLM wrote was supported" in reason
    assert answer.provenance.extra["requested_composer"] == "llm"
    assert answer.bottom_line.text and validate(answer, ev, verbatim=True) == []


def test_nothing_supported_falls_back_with_the_count(compose: Callable[..., Answer]) -> None:
    answer = compose(reply(answer_json(INVENTED, [1], [{"text": WRONG_NUMBER, "citations": [3]},
                                                       {"text": CAUSE, "citations": [9]}])))
    assert answer.provenance.composer == "extractive"
    assert "nothing the LLM wrote was supported" in answer.provenance.fallback_reason
    assert answer.provenance.dropped_statements == 3
    assert answer.provenance.extra["verify_kept"] == "0"


def test_timeout_and_http_errors_fall_back(compose: Callable[..., Answer]) -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    answer = compose(slow)
    assert answer.provenance.composer == "extractive"
    assert answer.provenance.fallback_reason.startswith("the LLM call timed out")
    answer = compose(lambda r: httpx.Response(503, text="overloaded"))
    assert answer.provenance.composer == "extractive"
    assert "failed" in answer.provenance.fallback_reason and "503" in answer.provenance.fallback_reason


def test_streaming_tokens_reach_the_callback(compose: Callable[..., Answer]) -> None:
    content = answer_json(DEFINITION, [1], [{"text": CAUSE, "citations": [2]}])
    pieces = [content[i:i + 7] for i in range(0, len(content), 7)]
    events = [f"data: {json.dumps({'choices': [{'index': 0, 'delta': {'content': p}}]})}\n\n" for p in pieces]
    body = ("".join(events) + "data: [DONE]\n\n").encode()

    def handler(request: httpx.Request) -> httpx.Response:
        assert json.loads(request.content)["stream"] is True
        return httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})

    tokens: list[str] = []
    answer = compose(handler, on_token=tokens.append)
    assert "".join(tokens) == content and len(tokens) == len(pieces)
    assert answer.provenance.composer == "llm" and statements(answer) == [DEFINITION, CAUSE]


def test_no_evidence_goes_to_the_fallback(settings: Settings, embedder: Embedder,
                                          analysis: QuestionAnalysis) -> None:
    def never(request: httpx.Request) -> httpx.Response:
        raise AssertionError("the LLM must not be called without evidence")

    composer = LLMComposer(settings, client=LLMClient(settings.llm, transport=httpx.MockTransport(never)),
                           embedder=embedder, fallback=ExtractiveComposer(settings.answer))
    answer = composer.compose(analysis, [])
    assert answer.provenance.composer == "extractive"
    assert answer.provenance.fallback_reason == "no evidence was retrieved to write from"


def test_parse_draft_is_lenient_about_shapes_but_not_about_content() -> None:
    draft = parse_draft(json.dumps({"title": 5, "bottom_line": "Topic A is described [1].",
                                    "sections": [{"heading": "A", "items": ["Plain item", {
                                        "statement": "Other", "citations": ["[2]", "3, 4", True]}]},
                                        "junk"], "follow_ups": ["Q?", {"x": 1}]}))
    assert draft.title == "" and draft.bottom_line.text == "Topic A is described [1]."
    items = draft.sections[0].items
    assert [(i.text, i.citations) for i in items] == [("Plain item", []), ("Other", [2, 3, 4])]
    assert draft.follow_ups == ["Q?"]
    for bad in ["no json here", "[1]", '{"title": "only a title"}', '{"bottom_line": 3}']:
        with pytest.raises(DraftError):
            parse_draft(bad)
    assert extract_json_object('x {"a": [1, {"b": "}"}]} y') == '{"a": [1, {"b": "}"}]}'
    assert extract_json_object('{"a": 1, "b": [2, 3') == '{"a": 1, "b": [2]}'


def test_plan_headings_and_minimal_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    heads = [h for h, _ in plan_sections(analyze("Why does anemia happen?"))]
    assert "Common Causes" in heads or "Causes" in heads

    def broken(*args: Any) -> Any:
        raise ConfigError("plan data missing")

    monkeypatch.setattr("curbside.answer.understand.plans.plan_for", broken)
    assert [h for h, _ in plan_sections(analyze("Why does anemia happen?"))] == list(FALLBACK_HEADINGS)


def test_registry_builds_the_llm_composer(settings: Settings) -> None:
    composer = make_composer("llm", settings)
    assert isinstance(composer, LLMComposer) and composer.name == "llm"
    assert isinstance(composer.fallback, ExtractiveComposer)


def test_missing_endpoint_goes_to_the_fallback(embedder: Embedder, analysis: QuestionAnalysis,
                                               ev: list[Evidence], tmp_path: Any) -> None:
    settings = Settings(data_dir=tmp_path / "data", starter_pack=False)
    composer = LLMComposer(settings, embedder=embedder)  # fallback from the settings
    answer = composer.compose(analysis, ev)
    assert answer.provenance.composer == "extractive"
    assert "CURBSIDE_LLM__BASE_URL" in answer.provenance.fallback_reason


def test_the_writer_is_offered_only_passages_that_answer_what_was_asked(settings: Settings, embedder: Embedder,
                                                                          ev: list[Evidence]) -> None:
    """The statement gate feeds the LLM composer: a dose question over anemia pages that state no dose
    is not sent to the LLM at all, and a question on blood loss is sent only the passages that name it."""
    seen: list[dict[str, Any]] = []
    client = LLMClient(settings.llm, transport=httpx.MockTransport(reply(answer_json(CAUSE, [2], []), seen)))
    composer = LLMComposer(settings, client=client, embedder=embedder, fallback=ExtractiveComposer(settings.answer))
    dose = composer.compose(analyze("How many mg of iron should I take for anemia?", Audience.PATIENT), ev)
    assert seen == [] and dose.provenance.fallback_reason == "no passage holds a statement about what was asked"
    causes = composer.compose(analyze("Is anemia caused by blood loss?", Audience.PATIENT), ev)
    prompt = seen[0]["messages"][1]["content"]
    assert "[2] Anemia" in prompt and "[3] Does preoperative anemia" not in prompt
    assert causes.provenance.composer == "llm" and causes.bottom_line.text == CAUSE
