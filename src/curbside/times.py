"""Times: a zone-less datetime read as UTC (everything curbside stores is UTC), and HTTP dates."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def as_utc(value: datetime) -> datetime:
    """``value`` with its time zone; a naive one (SQLite keeps none, nor do some HTTP dates) is UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def parse_http_date(value: str) -> datetime | None:
    """The moment an HTTP date header names (RFC 9110; one without a zone is UTC); None when it is not a date."""
    try:
        return as_utc(parsedate_to_datetime(value))
    except (TypeError, ValueError):
        return None
