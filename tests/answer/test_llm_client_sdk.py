"""What the openai SDK does for the LLM client: retries with backoff, the retry limit, no
account headers taken from the environment, a reused connection closed with the client."""

from __future__ import annotations

import httpx
import pytest

from curbside.answer.compose.llm.client import ChatMessage, LLMClient
from curbside.errors import UpstreamError
from curbside.settings import LLMSettings

MESSAGES = [ChatMessage("user", "Question about topic A?")]
OK = {"id": "c1", "object": "chat.completion", "created": 1, "model": "m",
      "choices": [{"index": 0, "message": {"role": "assistant", "content": "fine"}, "finish_reason": "stop"}]}


def test_a_failed_call_is_retried_up_to_max_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    statuses = iter([503, 429, 200])
    seen: list[httpx.Request] = []

    def flaky(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        status = next(statuses)
        return httpx.Response(status, json=OK if status == 200 else {"error": "busy"},
                              headers={"retry-after-ms": "1"})

    settings = LLMSettings(base_url="http://flaky.test/v1", max_retries=2)
    with LLMClient(settings, transport=httpx.MockTransport(flaky)) as client:
        assert client.chat(MESSAGES).content == "fine"
    assert len(seen) == 3

    seen.clear()
    statuses = iter([503, 200])
    with LLMClient(settings.model_copy(update={"max_retries": 0}), transport=httpx.MockTransport(flaky)) as client, \
            pytest.raises(UpstreamError) as info:
        client.chat(MESSAGES)
    assert len(seen) == 1 and info.value.details["status"] == 503


def test_no_account_headers_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_ORG_ID", "org-from-env")
    monkeypatch.setenv("OPENAI_PROJECT_ID", "proj-from-env")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=OK)

    with LLMClient(LLMSettings(base_url="http://local.test/v1"), transport=httpx.MockTransport(handler)) as client:
        client.chat(MESSAGES)
    headers = seen[0].headers
    assert "openai-organization" not in headers and "openai-project" not in headers
    assert "authorization" not in headers  # llm.api_key is empty: OPENAI_API_KEY is not used

