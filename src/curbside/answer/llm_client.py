"""A small client for any OpenAI-compatible chat endpoint (vLLM, Ollama, llama.cpp, hosted).

``POST {base_url}/chat/completions`` with ``model``, ``messages``, ``temperature`` and
``max_tokens``; optionally ``response_format={"type": "json_object"}``, with a JSON schema under
``"schema"`` when one is given (llama.cpp turns it into a grammar; servers that do not know the
key ignore it). A server that rejects the schema is asked again without it, one that rejects
``response_format`` without it; either downgrade is remembered for the client's life. With
``stream=true`` (server-sent events:
``data: {...}`` lines ending with ``data: [DONE]``). Every failure (timeout, connection, HTTP
status, malformed body) is raised as :class:`curbside.errors.UpstreamError`; messages never
contain the API key.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import httpx

from curbside.errors import ConfigError, UpstreamError
from curbside.settings import LLMSettings

log = logging.getLogger(__name__)

#: Called with each token delta as it arrives (for pages that stream the answer).
TokenCallback = Callable[[str], None]

#: Endpoint → (json mode supported, JSON schema supported), for endpoints that refused one.
_REFUSED: dict[str, tuple[bool, bool]] = {}

_FIX_TIMEOUT = "raise llm.timeout_s (CURBSIDE_LLM__TIMEOUT_S), lower llm.max_tokens or use a faster model"


@dataclass(frozen=True)
class ChatMessage:
    role: str
    content: str

    def to_dict(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}


@dataclass(frozen=True)
class ChatResult:
    """The assistant's reply and what the server said about it."""

    content: str
    model: str = ""
    finish_reason: str = ""
    usage: dict[str, int] = field(default_factory=dict)
    json_mode: bool = False
    elapsed_s: float = 0.0


class LLMClient:
    """Chat completions against one endpoint; use as a context manager or call :meth:`close`.

    ``transport`` (e.g. ``httpx.MockTransport``) or a ready ``client`` may be injected for tests.
    """

    def __init__(self, settings: LLMSettings, *, client: httpx.Client | None = None,
                 transport: httpx.BaseTransport | None = None) -> None:
        if not settings.base_url:
            raise ConfigError("No LLM endpoint configured: set llm.base_url "
                              "(CURBSIDE_LLM__BASE_URL, e.g. http://127.0.0.1:8080/v1).")
        self.settings = settings
        self.base_url = settings.base_url.rstrip("/")
        headers = {"Accept": "application/json"}
        if settings.api_key:
            headers["Authorization"] = f"Bearer {settings.api_key}"
        self._owns_client = client is None
        self._client = client or httpx.Client(transport=transport, headers=headers,
                                              timeout=httpx.Timeout(settings.timeout_s))
        if client is not None and settings.api_key:
            self._client.headers.update(headers)
        #: Cleared after a server rejects ``response_format`` (or its schema): not sent again,
        #: by this client or any later one for the same endpoint (remembered per process).
        self.json_mode_supported, self.json_schema_supported = _REFUSED.get(self.base_url, (True, True))

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> LLMClient:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- public calls ----------------------------------------------------------------------
    def models(self) -> list[str]:
        """Model ids the endpoint lists (``GET {base_url}/models``)."""
        response = self._send("GET", "/models", None)
        data = self._json_body(response)
        items = data.get("data") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise UpstreamError(f"The LLM endpoint {self.base_url}/models returned no model list.")
        return [str(item.get("id", "")) for item in items if isinstance(item, dict)]

    def chat(self, messages: Sequence[ChatMessage], *, json_mode: bool = False,
             json_schema: dict[str, Any] | None = None, max_tokens: int | None = None,
             temperature: float | None = None, on_token: TokenCallback | None = None) -> ChatResult:
        """One completion. With ``on_token`` the reply is streamed and each delta passed on."""
        started = time.monotonic()
        stream = on_token is not None
        while True:
            payload = self._payload(messages, json_mode, json_schema, max_tokens, temperature,
                                    stream=stream)
            try:
                result = self._complete(payload, on_token)
                break
            except _ResponseFormatRejected:
                self._downgrade(payload)
        return ChatResult(content=result.content, model=result.model, finish_reason=result.finish_reason,
                          usage=result.usage, json_mode="response_format" in payload,
                          elapsed_s=time.monotonic() - started)

    def stream(self, messages: Sequence[ChatMessage], *, json_mode: bool = False,
               json_schema: dict[str, Any] | None = None, max_tokens: int | None = None,
               temperature: float | None = None) -> Iterator[str]:
        """Yield the reply's token deltas as the server sends them."""
        while True:
            payload = self._payload(messages, json_mode, json_schema, max_tokens, temperature,
                                    stream=True)
            try:
                yield from self._stream_deltas(payload, {})
                return
            except _ResponseFormatRejected:
                self._downgrade(payload)

    def _downgrade(self, payload: dict[str, Any]) -> None:
        """Drop the schema, else response_format, after the server refused it."""
        if "schema" in payload.get("response_format", {}):
            log.info("LLM endpoint %s rejected a JSON schema; retrying without it", self.base_url)
            self.json_schema_supported = False
            _REFUSED[self.base_url] = (self.json_mode_supported, False)
        else:
            log.info("LLM endpoint %s rejected response_format; retrying without it", self.base_url)
            self.json_mode_supported = False
            _REFUSED[self.base_url] = (False, self.json_schema_supported)

    # -- internals -------------------------------------------------------------------------
    def _payload(self, messages: Sequence[ChatMessage], json_mode: bool,
                 json_schema: dict[str, Any] | None, max_tokens: int | None,
                 temperature: float | None, *, stream: bool) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "messages": [m.to_dict() for m in messages],
            "temperature": self.settings.temperature if temperature is None else temperature,
            "max_tokens": self.settings.max_tokens if max_tokens is None else max_tokens,
        }
        if self.settings.model:
            payload["model"] = self.settings.model
        if json_mode and self.json_mode_supported:
            payload["response_format"] = {"type": "json_object"}
            if json_schema is not None and self.json_schema_supported:
                payload["response_format"]["schema"] = json_schema
        if stream:
            payload["stream"] = True
        return payload

    def _complete(self, payload: dict[str, Any], on_token: TokenCallback | None) -> ChatResult:
        if not payload.get("stream"):
            response = self._send("POST", "/chat/completions", payload)
            return _parse_completion(self._json_body(response), self.base_url)
        meta: dict[str, Any] = {}
        parts: list[str] = []
        for delta in self._stream_deltas(payload, meta):
            parts.append(delta)
            if on_token is not None:
                on_token(delta)
        return ChatResult(content="".join(parts), model=str(meta.get("model", "")),
                          finish_reason=str(meta.get("finish_reason", "")),
                          usage=meta.get("usage", {}))

    def _stream_deltas(self, payload: dict[str, Any], meta: dict[str, Any]) -> Iterator[str]:
        url = self.base_url + "/chat/completions"
        deadline = time.monotonic() + self.settings.timeout_s
        try:
            with self._client.stream("POST", url, json=payload) as response:
                if response.status_code >= 400:
                    response.read()
                    self._raise_for_status(response, payload)
                for line in response.iter_lines():
                    if time.monotonic() > deadline:
                        raise UpstreamError(
                            f"The LLM endpoint {self.base_url} did not finish within "
                            f"{self.settings.timeout_s:g} s; {_FIX_TIMEOUT}.", code="llm_timeout")
                    event = _sse_data(line)
                    if event is None:
                        continue
                    if event == "[DONE]":
                        return
                    delta = _parse_chunk(event, meta, self.base_url)
                    if delta:
                        yield delta
        except httpx.TimeoutException as exc:
            raise self._timeout_error() from exc
        except httpx.HTTPError as exc:
            raise self._transport_error(exc) from exc

    def _send(self, method: str, path: str, payload: dict[str, Any] | None) -> httpx.Response:
        url = self.base_url + path
        try:
            response = self._client.request(method, url, json=payload)
        except httpx.TimeoutException as exc:
            raise self._timeout_error() from exc
        except httpx.HTTPError as exc:
            raise self._transport_error(exc) from exc
        if response.status_code >= 400:
            self._raise_for_status(response, payload)
        return response

    def _raise_for_status(self, response: httpx.Response, payload: dict[str, Any] | None) -> None:
        body = self._scrub(response.text[:300])
        status = response.status_code
        if payload and "response_format" in payload and status in (400, 422, 501) and (
                "response_format" in body or "json" in body.lower() or "schema" in body.lower()
                or status == 501 or not body):
            raise _ResponseFormatRejected(body)
        if status in (401, 403):
            hint = "check llm.api_key (CURBSIDE_LLM__API_KEY)"
        elif status == 404:
            hint = "check llm.base_url (it usually ends in /v1) and llm.model"
        elif status == 429:
            hint = "the endpoint is rate limiting; try again later"
        else:
            hint = "see the server's log"
        raise UpstreamError(f"The LLM endpoint {self.base_url} answered HTTP {status}: {body!r}; {hint}.",
                            code="llm_http_error", details={"status": status})

    def _json_body(self, response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError as exc:
            raise UpstreamError(f"The LLM endpoint {self.base_url} returned a body that is not JSON: "
                                f"{self._scrub(response.text[:200])!r}.", code="llm_bad_response") from exc

    def _timeout_error(self) -> UpstreamError:
        return UpstreamError(f"The LLM endpoint {self.base_url} did not answer within "
                             f"{self.settings.timeout_s:g} s; {_FIX_TIMEOUT}.", code="llm_timeout")

    def _transport_error(self, exc: httpx.HTTPError) -> UpstreamError:
        reason = self._scrub(str(exc)) or type(exc).__name__
        return UpstreamError(f"Cannot reach the LLM endpoint {self.base_url} ({reason}); is the server "
                             "running and llm.base_url (CURBSIDE_LLM__BASE_URL) right?",
                             code="llm_unreachable")

    def _scrub(self, text: str) -> str:
        key = self.settings.api_key
        return text.replace(key, "***") if key else text


class _ResponseFormatRejected(Exception):
    """The server refused ``response_format``; the call is retried without it."""


def _sse_data(line: str) -> str | None:
    """The payload of an SSE ``data:`` line; None for comments, blank and other fields."""
    if not line.startswith("data:"):
        return None
    return line[5:].strip()


def _parse_chunk(event: str, meta: dict[str, Any], base_url: str) -> str:
    try:
        chunk = json.loads(event)
    except ValueError as exc:
        raise UpstreamError(f"The LLM endpoint {base_url} streamed a line that is not JSON: {event[:120]!r}.",
                            code="llm_bad_response") from exc
    if not isinstance(chunk, dict):
        return ""
    if "error" in chunk:
        raise UpstreamError(f"The LLM endpoint {base_url} reported an error while streaming: "
                            f"{str(chunk['error'])[:200]!r}.", code="llm_http_error")
    if chunk.get("model"):
        meta["model"] = chunk["model"]
    if isinstance(chunk.get("usage"), dict):
        meta["usage"] = {k: int(v) for k, v in chunk["usage"].items() if isinstance(v, int)}
    choices = chunk.get("choices") or []
    if not choices or not isinstance(choices[0], dict):
        return ""
    choice = choices[0]
    if choice.get("finish_reason"):
        meta["finish_reason"] = choice["finish_reason"]
    delta = choice.get("delta") or {}
    content = delta.get("content") if isinstance(delta, dict) else None
    return content if isinstance(content, str) else ""


def _parse_completion(data: Any, base_url: str) -> ChatResult:
    try:
        choice = data["choices"][0]
        content = choice["message"].get("content") or ""
    except (KeyError, IndexError, TypeError, AttributeError) as exc:
        raise UpstreamError(f"The LLM endpoint {base_url} returned no choices[0].message; "
                            "is it an OpenAI-compatible chat endpoint?", code="llm_bad_response") from exc
    usage = data.get("usage") if isinstance(data.get("usage"), dict) else {}
    return ChatResult(content=str(content), model=str(data.get("model", "")),
                      finish_reason=str(choice.get("finish_reason") or ""),
                      usage={k: int(v) for k, v in usage.items() if isinstance(v, int)})
