"""Server-side sessions: a signed cookie carries a random token, this table says if it is alive.

A session row (keyed by the token's sha256, so a database leak reveals no usable token) is created
at sign-in and deleted at sign-out, on a password change or deactivation (every session of that
user), and when it times out: ``web.session_idle_minutes`` after its last request or
``web.session_max_hours`` after sign-in. The role it was created with is recorded; when the
user's role changes, :meth:`SessionStore.rotate` replaces the row with one under a new token.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.engine import Engine

from curbside.accounts.tables import sessions
from curbside.settings import WebSettings
from curbside.times import as_utc

#: last_seen_at is written at most this often (reads stay reads).
TOUCH_EVERY = timedelta(seconds=60)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class LiveSession:
    user_id: int
    role: str


class SessionStore:
    """Start, check, rotate and end sessions."""

    def __init__(self, engine: Engine, web: WebSettings) -> None:
        self.engine = engine
        self.idle = timedelta(minutes=web.session_idle_minutes)
        self.absolute = timedelta(hours=web.session_max_hours)

    def start(self, user_id: int, role: str) -> str:
        """A new session for ``user_id``; returns the token to put in the cookie."""
        token = secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            conn.execute(insert(sessions).values(id_hash=_hash(token), user_id=user_id,
                                                 role=role, created_at=now, last_seen_at=now))
        return token

    def check(self, token: str, *, now: datetime | None = None) -> LiveSession | None:
        """The live session of ``token``, or None (unknown, ended or timed out: then deleted)."""
        now = now or datetime.now(UTC)
        key = _hash(token)
        with self.engine.connect() as conn:
            row = conn.execute(select(sessions).where(sessions.c.id_hash == key)).first()
        if row is None:
            return None
        created, seen = as_utc(row.created_at), as_utc(row.last_seen_at)
        if now - seen > self.idle or now - created > self.absolute:
            self.end(token)
            return None
        if now - seen > TOUCH_EVERY:
            with self.engine.begin() as conn:
                conn.execute(update(sessions).where(sessions.c.id_hash == key)
                             .values(last_seen_at=now))
        return LiveSession(int(row.user_id), row.role)

    def rotate(self, token: str, user_id: int, role: str) -> str:
        """End ``token``'s session and start a new one (after a privilege change)."""
        self.end(token)
        return self.start(user_id, role)

    def end(self, token: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(sessions).where(sessions.c.id_hash == _hash(token)))

    def end_all(self, user_id: int) -> int:
        """End every session of ``user_id`` (password change, deactivation); returns how many."""
        with self.engine.begin() as conn:
            return int(conn.execute(delete(sessions).where(sessions.c.user_id == user_id)).rowcount)

    def purge_expired(self, *, now: datetime | None = None) -> int:
        """Delete sessions past either timeout; returns how many."""
        now = now or datetime.now(UTC)
        with self.engine.begin() as conn:
            done = conn.execute(delete(sessions).where(or_(
                sessions.c.last_seen_at < now - self.idle,
                sessions.c.created_at < now - self.absolute)))
            return int(done.rowcount)
