"""The chat client for any OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp, hosted), on the
official ``openai`` SDK.

The SDK does the transport: the request, server-sent-event streaming, the timeout
(``llm.timeout_s``) and retries with backoff (``llm.max_retries``: connection errors, timeouts,
HTTP 408/409/429/5xx). curbside adds what is its own:

- ``response_format={"type": "json_object"}``, with a JSON schema under ``"schema"`` when one is
  given (llama.cpp turns it into a grammar; servers that do not know the key ignore it). A server
  that rejects the schema is asked again without it, one that rejects ``response_format`` without
  it; either downgrade is remembered per endpoint for the life of the process.
- A deadline over a whole streamed reply (a server that trickles tokens is cut off too).
- Every failure is raised as :class:`curbside.errors.UpstreamError` with a message that names the
  fix and never contains the API key.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import httpx
import httpx2
import openai
from openai.types.chat import ChatCompletion, ChatCompletionChunk

from curbside.answer.base import TokenCallback
from curbside.errors import ConfigError, UpstreamError
from curbside.settings import LLMSettings

log = logging.getLogger(__name__)

__all__ = ["ChatMessage", "ChatResult", "LLMClient", "TokenCallback"]

#: Endpoint → (json mode supported, JSON schema supported), for endpoints that refused one.
_REFUSED: dict[str, tuple[bool, bool]] = {}

_FIX_TIMEOUT = "raise llm.timeout_s (CURBSIDE_LLM__TIMEOUT_S), lower llm.max_tokens or use a faster model"
#: The SDK insists on a key; a keyless local server gets this one, and no Authorization header.
_NO_KEY = "unused"
#: Never sent, whatever OPENAI_ORG_ID / OPENAI_PROJECT_ID say: curbside's endpoint is llm.base_url.
_NO_ACCOUNT_HEADERS: dict[str, Any] = {"OpenAI-Organization": openai.omit, "OpenAI-Project": openai.omit}


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


class LLMClient(AbstractContextManager["LLMClient"]):
    """Chat completions against one endpoint; use as a context manager or call :meth:`close`.

    ``http_client`` (an ``httpx2.Client``) or a ``transport`` may be injected for tests; an
    ``httpx`` transport such as ``httpx.MockTransport`` is bridged to the SDK's ``httpx2``.
    """

    def __init__(self, settings: LLMSettings, *, http_client: httpx2.Client | None = None,
                 transport: httpx.BaseTransport | httpx2.BaseTransport | None = None) -> None:
        if not settings.base_url:
            raise ConfigError("No LLM endpoint configured: set llm.base_url "
                              "(CURBSIDE_LLM__BASE_URL, e.g. http://127.0.0.1:8080/v1).")
        self.settings = settings
        self.base_url = settings.base_url.rstrip("/")
        self._key = settings.api_key.get_secret_value()
        if http_client is None and transport is not None:
            bridged = _HttpxBridge(transport) if isinstance(transport, httpx.BaseTransport) else transport
            http_client = httpx2.Client(transport=bridged)
        self._sdk = openai.OpenAI(base_url=self.base_url, api_key=self._key or _NO_KEY,
                                  http_client=http_client, default_headers=_NO_ACCOUNT_HEADERS,
                                  timeout=settings.timeout_s, max_retries=settings.max_retries)
        #: Cleared after a server rejects ``response_format`` (or its schema): not sent again,
        #: by this client or any later one for the same endpoint (remembered per process).
        self.json_mode_supported, self.json_schema_supported = _REFUSED.get(self.base_url, (True, True))

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        self._sdk.close()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- public calls ----------------------------------------------------------------------
    def models(self) -> list[str]:
        """Model ids the endpoint lists (``GET {base_url}/models``)."""
        with self._errors(None):
            page = self._sdk.models.list(extra_headers=self._headers())
        items = getattr(page, "data", None)
        if not isinstance(items, list):
            raise UpstreamError(f"The LLM endpoint {self.base_url}/models returned no model list.")
        return [str(getattr(item, "id", "") or "") for item in items]

    def chat(self, messages: Sequence[ChatMessage], *, json_mode: bool = False,
             json_schema: dict[str, Any] | None = None, max_tokens: int | None = None,
             temperature: float | None = None, on_token: TokenCallback | None = None) -> ChatResult:
        """One completion. With ``on_token`` the reply is streamed and each delta passed on."""
        started = time.monotonic()
        while True:
            payload = self._payload(messages, json_mode, json_schema, max_tokens, temperature)
            try:
                result = self._complete(payload) if on_token is None else self._streamed(payload, on_token)
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
            payload = self._payload(messages, json_mode, json_schema, max_tokens, temperature)
            try:
                yield from self._deltas(payload, {})
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
    def _payload(self, messages: Sequence[ChatMessage], json_mode: bool, json_schema: dict[str, Any] | None,
                 max_tokens: int | None, temperature: float | None) -> dict[str, Any]:
        """The arguments of ``chat.completions.create`` (the SDK leaves ``omit`` ones out)."""
        payload: dict[str, Any] = {
            "messages": [m.to_dict() for m in messages],
            "temperature": self.settings.temperature if temperature is None else temperature,
            "max_tokens": self.settings.max_tokens if max_tokens is None else max_tokens,
            "model": self.settings.model or openai.omit,
        }
        if json_mode and self.json_mode_supported:
            payload["response_format"] = {"type": "json_object"}
            if json_schema is not None and self.json_schema_supported:
                payload["response_format"]["schema"] = json_schema
        return payload

    def _headers(self) -> dict[str, Any]:
        return {} if self._key else {"Authorization": openai.omit}

    def _complete(self, payload: dict[str, Any]) -> ChatResult:
        with self._errors(payload):
            completion = self._sdk.chat.completions.create(**payload, extra_headers=self._headers())
        if not isinstance(completion, ChatCompletion) or not completion.choices:
            raise UpstreamError(f"The LLM endpoint {self.base_url} returned no choices[0].message; "
                                "is it an OpenAI-compatible chat endpoint?", code="llm_bad_response")
        choice = completion.choices[0]
        content = choice.message.content if choice.message is not None else None
        return ChatResult(content=str(content or ""), model=str(completion.model or ""),
                          finish_reason=str(choice.finish_reason or ""), usage=_usage(completion.usage))

    def _streamed(self, payload: dict[str, Any], on_token: TokenCallback) -> ChatResult:
        meta: dict[str, Any] = {}
        parts: list[str] = []
        for delta in self._deltas(payload, meta):
            parts.append(delta)
            on_token(delta)
        return ChatResult(content="".join(parts), model=str(meta.get("model", "")),
                          finish_reason=str(meta.get("finish_reason", "")), usage=meta.get("usage", {}))

    def _deltas(self, payload: dict[str, Any], meta: dict[str, Any]) -> Iterator[str]:
        deadline = time.monotonic() + self.settings.timeout_s
        with self._errors(payload):
            chunks = self._sdk.chat.completions.create(**payload, stream=True, extra_headers=self._headers())
            with chunks:
                for chunk in chunks:
                    if time.monotonic() > deadline:
                        raise UpstreamError(
                            f"The LLM endpoint {self.base_url} did not finish within "
                            f"{self.settings.timeout_s:g} s; {_FIX_TIMEOUT}.", code="llm_timeout")
                    delta = _read_chunk(chunk, meta)
                    if delta:
                        yield delta

    def _errors(self, payload: dict[str, Any] | None) -> _SDKErrors:
        return _SDKErrors(self, payload)

    def _status_error(self, status: int, text: str, payload: dict[str, Any] | None) -> Exception:
        body = self._scrub(text[:300])
        if payload and "response_format" in payload and status in (400, 422, 501) and (
                "response_format" in body or "json" in body.lower() or "schema" in body.lower()
                or status == 501 or not body):
            return _ResponseFormatRejected(body)
        if status in (401, 403):
            hint = "check llm.api_key (CURBSIDE_LLM__API_KEY)"
        elif status == 404:
            hint = "check llm.base_url (it usually ends in /v1) and llm.model"
        elif status == 429:
            hint = "the endpoint is rate limiting; try again later"
        else:
            hint = "see the server's log"
        return UpstreamError(f"The LLM endpoint {self.base_url} answered HTTP {status}: {body!r}; {hint}.",
                             code="llm_http_error", details={"status": status})

    def _timeout_error(self) -> UpstreamError:
        return UpstreamError(f"The LLM endpoint {self.base_url} did not answer within "
                             f"{self.settings.timeout_s:g} s; {_FIX_TIMEOUT}.", code="llm_timeout")

    def _scrub(self, text: str) -> str:
        return text.replace(self._key, "***") if self._key else text


class _SDKErrors:
    """Turns the SDK's exceptions into curbside's (a context manager around one call)."""

    def __init__(self, client: LLMClient, payload: dict[str, Any] | None) -> None:
        self.client, self.payload = client, payload

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        client = self.client
        if exc is None or isinstance(exc, UpstreamError | _ResponseFormatRejected):
            return
        if isinstance(exc, openai.APITimeoutError | httpx2.TimeoutException):
            raise client._timeout_error() from exc
        if isinstance(exc, openai.APIConnectionError | httpx2.TransportError):
            reason = client._scrub(str(exc)) or type(exc).__name__
            raise UpstreamError(f"Cannot reach the LLM endpoint {client.base_url} ({reason}); is the server "
                                "running and llm.base_url (CURBSIDE_LLM__BASE_URL) right?",
                                code="llm_unreachable") from exc
        if isinstance(exc, openai.APIStatusError):
            raise client._status_error(exc.status_code, exc.response.text, self.payload) from exc
        if isinstance(exc, openai.APIResponseValidationError | ValueError):
            raise UpstreamError(f"The LLM endpoint {client.base_url} returned a body that could not be read: "
                                f"{client._scrub(str(exc))[:200]!r}.", code="llm_bad_response") from exc
        if isinstance(exc, openai.APIError):  # e.g. an error event in the middle of a stream
            raise UpstreamError(f"The LLM endpoint {client.base_url} reported an error: "
                                f"{client._scrub(exc.message)[:200]!r}.", code="llm_http_error") from exc


class _ResponseFormatRejected(Exception):
    """The server refused ``response_format``; the call is retried without it."""


class _HttpxBridge(httpx2.BaseTransport):
    """Serves the SDK's ``httpx2`` requests through an ``httpx`` transport (tests' MockTransport)."""

    def __init__(self, transport: httpx.BaseTransport) -> None:
        self.transport = transport

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        outgoing = httpx.Request(request.method, str(request.url), headers=list(request.headers.multi_items()),
                                 content=request.read())
        try:
            response = self.transport.handle_request(outgoing)
        except httpx.TimeoutException as exc:
            raise httpx2.ReadTimeout(str(exc), request=request) from exc
        except httpx.TransportError as exc:
            raise httpx2.ConnectError(str(exc), request=request) from exc
        return httpx2.Response(response.status_code, headers=list(response.headers.multi_items()),
                               content=response.read(), request=request)

    def close(self) -> None:
        self.transport.close()


def _usage(usage: Any) -> dict[str, int]:
    if usage is None:
        return {}
    return {k: v for k, v in usage.model_dump().items() if isinstance(v, int)}


def _read_chunk(chunk: ChatCompletionChunk, meta: dict[str, Any]) -> str:
    """The text of one streamed chunk; its model, usage and finish reason go into ``meta``."""
    if getattr(chunk, "model", None):
        meta["model"] = chunk.model
    if getattr(chunk, "usage", None) is not None:
        meta["usage"] = _usage(chunk.usage)
    choices = getattr(chunk, "choices", None) or []
    if not choices:
        return ""
    choice = choices[0]
    if getattr(choice, "finish_reason", None):
        meta["finish_reason"] = choice.finish_reason
    delta = getattr(choice, "delta", None)
    content = getattr(delta, "content", None)
    return content if isinstance(content, str) else ""
