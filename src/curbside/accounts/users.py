"""Accounts of reviewers, editors and admins (readers are anonymous and have none)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from curbside.accounts.hashing import burn_verification, hash_password, needs_rehash, verify_password
from curbside.accounts.models import Role, User
from curbside.accounts.passwords import check_password
from curbside.accounts.tables import sessions, users
from curbside.db import get_engine
from curbside.errors import AuthenticationError, ConflictError, InputError, NotFoundError
from curbside.settings import Settings

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


def _user(row: Any) -> User:
    return User(
        id=int(row.id),
        username=row.username,
        display_name=row.display_name,
        role=Role(row.role),
        credentials=row.credentials,
        specialty=row.specialty,
    )


class UserService:
    """Add users, check passwords, look users up."""

    def __init__(self, settings: Settings, *, engine: Engine | None = None) -> None:
        self.settings = settings
        self.engine = engine or get_engine(settings.resolved_database_url)

    def add(
        self,
        username: str,
        password: str,
        *,
        role: Role,
        display_name: str = "",
        credentials: str = "",
        specialty: str = "",
    ) -> User:
        """Create an account; the password is stored only as an argon2id hash."""
        username = username.strip().lower()
        if not _USERNAME.match(username):
            raise InputError(
                f"Username {username!r} is not allowed: use 2-64 lower-case letters, digits, '.', "
                "'_' or '-', starting with a letter or digit."
            )
        check_password(password, minimum=self.settings.accounts.min_password_length,
                       username=username, display_name=display_name)
        row = {
            "username": username,
            "password_hash": hash_password(password),
            "display_name": display_name.strip() or username,
            "role": Role(role).value,
            "credentials": credentials.strip(),
            "specialty": specialty.strip(),
            "active": True,
            "created_at": datetime.now(UTC),
        }
        try:
            with self.engine.begin() as conn:
                new_id = conn.execute(
                    insert(users).values(**row).returning(users.c.id)
                ).scalar_one()
        except IntegrityError as exc:
            raise ConflictError(
                f"A user called {username!r} already exists; choose another username.",
                details={"username": username},
            ) from exc
        return self.get(int(new_id))

    def authenticate(self, username: str, password: str) -> User:
        """The user whose username and password these are; AuthenticationError otherwise."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(users).where(users.c.username == username.strip().lower())
            ).first()
        if row is None or not row.active:
            burn_verification(password)
            raise AuthenticationError("Unknown username or wrong password.")
        if not verify_password(row.password_hash, password):
            raise AuthenticationError("Unknown username or wrong password.")
        if needs_rehash(row.password_hash):
            with self.engine.begin() as conn:
                conn.execute(
                    update(users)
                    .where(users.c.id == row.id)
                    .values(password_hash=hash_password(password))
                )
        return _user(row)

    def get(self, user_id: int) -> User:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(users).where(users.c.id == user_id, users.c.active.is_(True))
            ).first()
        if row is None:
            raise NotFoundError(f"No active user with id {user_id}.")
        return _user(row)

    def by_username(self, username: str) -> User:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(users).where(
                    users.c.username == username.strip().lower(), users.c.active.is_(True)
                )
            ).first()
        if row is None:
            raise NotFoundError(
                f"No active user called {username!r}; add one with `curbside users add`."
            )
        return _user(row)

    def list_users(self) -> list[User]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(users).where(users.c.active.is_(True)).order_by(users.c.username)
            ).all()
        return [_user(r) for r in rows]

    def set_password(self, username: str, password: str) -> None:
        """A new password; every open session of the user ends."""
        user = self.by_username(username)
        check_password(password, minimum=self.settings.accounts.min_password_length,
                       username=user.username, display_name=user.display_name)
        with self.engine.begin() as conn:
            conn.execute(
                update(users)
                .where(users.c.id == user.id)
                .values(password_hash=hash_password(password))
            )
            conn.execute(delete(sessions).where(sessions.c.user_id == user.id))

    def set_role(self, username: str, role: Role) -> User:
        """Change a user's role; their open sessions are rotated on their next request."""
        user = self.by_username(username)
        with self.engine.begin() as conn:
            conn.execute(update(users).where(users.c.id == user.id).values(role=Role(role).value))
        return self.get(user.id)

    def deactivate(self, username: str) -> None:
        """Sign-in stops working; the audit trail keeps the name."""
        user = self.by_username(username)
        with self.engine.begin() as conn:
            conn.execute(update(users).where(users.c.id == user.id).values(active=False))
            conn.execute(delete(sessions).where(sessions.c.user_id == user.id))
