"""The OpenAI-compatible chat client against httpx.MockTransport (recorded response shapes)."""

from __future__ import annotations

import json

import httpx
import pytest

from curbside.answer.compose.llm.client import ChatMessage, LLMClient
from curbside.errors import ConfigError, UpstreamError
from curbside.settings import LLMSettings

BASE = "http://llm.test/v1"
SECRET = "sk-test-secret-123"
MESSAGES = [ChatMessage("system", "Reply in JSON."), ChatMessage("user", "Question about topic A?")]


def completion(content: str, *, finish: str = "stop") -> dict[str, object]:
    """The shape llama-cpp-python's server returned for a chat completion."""
    return {"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "smollm2",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                         "logprobs": None, "finish_reason": finish}],
            "usage": {"prompt_tokens": 34, "completion_tokens": 8, "total_tokens": 42}}


def sse(*deltas: str) -> bytes:
    """A streamed reply as server-sent events, with a role chunk, a comment and [DONE]."""
    chunks: list[dict[str, object]] = [
        {"choices": [{"index": 0, "delta": {"role": "assistant"}, "finish_reason": None}]}]
    chunks += [{"model": "smollm2", "choices": [{"index": 0, "delta": {"content": d},
                                                 "finish_reason": None}]} for d in deltas]
    chunks.append({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    lines = [": ping", ""] + [f"data: {json.dumps(c)}\n" for c in chunks] + ["data: [DONE]", ""]
    return "\n".join(lines).encode()


def client_with(handler: httpx.MockTransport, **overrides: object) -> LLMClient:
    settings = LLMSettings(base_url=BASE + "/", model="smollm2", api_key=SECRET, **overrides)  # type: ignore[arg-type,unused-ignore]
    return LLMClient(settings, transport=handler)


def test_chat_posts_openai_payload_with_bearer_key() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=completion('{"title": "A"}'))

    with client_with(httpx.MockTransport(handler), temperature=0.2, max_tokens=64) as client:
        result = client.chat(MESSAGES, json_mode=True)
    assert result.content == '{"title": "A"}'
    assert result.finish_reason == "stop" and result.model == "smollm2" and result.json_mode
    assert result.usage["completion_tokens"] == 8
    request = seen[0]
    assert str(request.url) == BASE + "/chat/completions"
    assert request.headers["authorization"] == f"Bearer {SECRET}"
    body = json.loads(request.content)
    assert body == {"model": "smollm2", "temperature": 0.2, "max_tokens": 64,
                    "response_format": {"type": "json_object"},
                    "messages": [{"role": "system", "content": "Reply in JSON."},
                                 {"role": "user", "content": "Question about topic A?"}]}


def test_response_format_rejected_is_dropped_and_remembered() -> None:
    bodies: list[dict[str, object]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        bodies.append(body)
        if "response_format" in body:
            return httpx.Response(400, json={"error": {"message": "Unrecognized request argument: response_format"}})
        return httpx.Response(200, json=completion("plain"))

    settings = LLMSettings(base_url="http://refuses-json.test/v1")
    with LLMClient(settings, transport=httpx.MockTransport(handler)) as client:
        first = client.chat(MESSAGES, json_mode=True)
        second = client.chat(MESSAGES, json_mode=True)
    assert first.content == second.content == "plain"
    assert not first.json_mode and not client.json_mode_supported
    assert ["response_format" in b for b in bodies] == [True, False, False]
    # A later client for the same endpoint remembers (the composer makes one per answer).
    with LLMClient(settings, transport=httpx.MockTransport(handler)) as later:
        later.chat(MESSAGES, json_mode=True)
    assert "response_format" not in bodies[-1]


def test_a_rejected_schema_is_dropped_before_json_mode() -> None:
    formats: list[object] = []

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        formats.append(body.get("response_format"))
        if "schema" in body.get("response_format", {}):
            return httpx.Response(400, json={"error": "response_format.schema: unknown field"})
        return httpx.Response(200, json=completion("{}"))

    schema = {"type": "object"}
    settings = LLMSettings(base_url="http://refuses-schema.test/v1")
    with LLMClient(settings, transport=httpx.MockTransport(handler)) as client:
        result = client.chat(MESSAGES, json_mode=True, json_schema=schema)
        client.chat(MESSAGES, json_mode=True, json_schema=schema)
    assert result.json_mode and client.json_mode_supported and not client.json_schema_supported
    assert formats == [{"type": "json_object", "schema": schema}, {"type": "json_object"},
                       {"type": "json_object"}]


def test_streaming_yields_deltas_and_calls_back() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert json.loads(request.content)["stream"] is True
        return httpx.Response(200, content=sse('{"ti', 'tle": ', '"A"}'),
                              headers={"content-type": "text/event-stream"})

    with client_with(httpx.MockTransport(handler)) as client:
        assert list(client.stream(MESSAGES)) == ['{"ti', 'tle": ', '"A"}']
        tokens: list[str] = []
        result = client.chat(MESSAGES, on_token=tokens.append)
    assert tokens == ['{"ti', 'tle": ', '"A"}']
    assert result.content == '{"title": "A"}' and result.finish_reason == "stop"


def test_stream_error_event_is_an_upstream_error() -> None:
    body = b'data: {"error": {"message": "model crashed"}}\n\n'
    transport = httpx.MockTransport(lambda r: httpx.Response(200, content=body))
    with client_with(transport) as client, pytest.raises(UpstreamError, match="model crashed"):
        list(client.stream(MESSAGES))


@pytest.mark.parametrize(("status", "hint"), [(401, "api_key"), (404, "base_url"), (500, "server's log"),
                                              (429, "rate limiting")])
def test_http_errors_name_the_fix_and_never_the_key(status: int, hint: str) -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(status, text=f"bad key {SECRET}"))
    with client_with(transport) as client, pytest.raises(UpstreamError) as info:
        client.chat(MESSAGES)
    err = info.value
    assert err.retryable and err.status == 502 and err.details["status"] == status
    assert hint in err.message and SECRET not in err.message and "***" in err.message


def test_timeout_and_connection_errors_are_retryable_upstream_errors() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with client_with(httpx.MockTransport(slow), timeout_s=1.5) as client, pytest.raises(UpstreamError) as info:
        client.chat(MESSAGES)
    assert info.value.code == "llm_timeout" and "1.5 s" in info.value.message
    with client_with(httpx.MockTransport(slow)) as client, pytest.raises(UpstreamError, match="did not answer"):
        list(client.stream(MESSAGES))
    with client_with(httpx.MockTransport(down)) as client, pytest.raises(UpstreamError) as info:
        client.chat(MESSAGES)
    assert info.value.code == "llm_unreachable" and "base_url" in info.value.message


@pytest.mark.parametrize("body", [b"<html>not json</html>", b'{"choices": []}', b'{"object": "list"}'])
def test_malformed_bodies_are_upstream_errors(body: bytes) -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(200, content=body))
    with client_with(transport) as client, pytest.raises(UpstreamError) as info:
        client.chat(MESSAGES)
    assert info.value.code == "llm_bad_response"


def test_models_lists_ids_and_missing_base_url_is_a_config_error() -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(200, json={"object": "list",
                                                                     "data": [{"id": "smollm2"}]}))
    with client_with(transport) as client:
        assert client.models() == ["smollm2"]
    with pytest.raises(ConfigError, match="CURBSIDE_LLM__BASE_URL"):
        LLMClient(LLMSettings())


def test_no_model_and_no_key_are_left_out() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=completion("ok"))

    with LLMClient(LLMSettings(base_url=BASE), transport=httpx.MockTransport(handler)) as client:
        client.chat(MESSAGES, max_tokens=20, temperature=0.0)
    body = json.loads(seen[0].content)
    assert "model" not in body and "authorization" not in seen[0].headers
    assert body["max_tokens"] == 20 and body["temperature"] == 0.0
