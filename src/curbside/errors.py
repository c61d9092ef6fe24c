"""One error shape for the whole project.

Every error curbside raises on purpose is a :class:`CurbsideError`: an HTTP-style ``status``, a
machine ``code``, a ``message`` a person can act on (it names the fix where there is one) and
whether trying again may help. The CLI prints it, the API returns it as JSON.
"""

from __future__ import annotations

from typing import Any


class CurbsideError(Exception):
    """Base error: status, code, user message, retryable."""

    status: int = 500
    code: str = "internal_error"
    retryable: bool = False

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None,
                 retryable: bool | None = None, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        if retryable is not None:
            self.retryable = retryable
        self.details = details or {}

    def to_dict(self) -> dict[str, Any]:
        """The JSON error shape: ``{"error": {"code", "message", "status", "retryable", "details"}}``."""
        return {"error": {"code": self.code, "message": self.message, "status": self.status,
                          "retryable": self.retryable, "details": self.details}}


class ConfigError(CurbsideError):
    status, code = 500, "config_error"


class MissingExtraError(ConfigError):
    """An optional dependency is not installed; the message names the extra."""

    code = "missing_extra"

    def __init__(self, extra: str, module: str) -> None:
        super().__init__(f"This feature needs the '{module}' module. Install it with: pip install 'curbside[{extra}]'",
                         details={"extra": extra, "module": module})


class InputError(CurbsideError):
    """Bad input from a user or a file."""

    status, code = 400, "invalid_input"


class SourceFormatError(InputError):
    """A source file cannot be read; it is reported and skipped."""

    code = "bad_source_file"


class IllegalTransitionError(InputError):
    """The review workflow does not allow that action from the version's current state."""

    status, code = 409, "illegal_transition"


class NotFoundError(CurbsideError):
    status, code = 404, "not_found"


class ConflictError(CurbsideError):
    status, code = 409, "conflict"


class PermissionDeniedError(CurbsideError):
    status, code = 403, "forbidden"


class AuthenticationError(CurbsideError):
    status, code = 401, "unauthenticated"


class RateLimitedError(CurbsideError):
    status, code, retryable = 429, "rate_limited", True


class DatabaseUnavailableError(CurbsideError):
    """The database cannot be reached (restarting, failing over): try again shortly."""

    status, code, retryable = 503, "database_unavailable", True


class UpstreamError(CurbsideError):
    """A remote service (NCBI, an LLM endpoint, Milvus) failed."""

    status, code, retryable = 502, "upstream_error", True


class DatabaseUnusableError(ConfigError):
    """The configured database cannot be opened (a damaged file, an unreachable server)."""

    code = "database_unusable"


class IndexUnavailableError(CurbsideError):
    """A search index is damaged or disagrees with the database; the message names the repair."""

    status, code, retryable = 503, "index_unavailable", True


class IndexMismatchError(ConfigError):
    """An index was built with other settings than those in force."""

    code = "index_mismatch"
