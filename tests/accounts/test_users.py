"""User accounts on SQLite and PostgreSQL: argon2id hashes, sign-in, look-ups."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from curbside.accounts import hashing
from curbside.accounts.models import Role
from curbside.accounts.tables import users
from curbside.accounts.users import UserService
from curbside.errors import AuthenticationError, ConflictError, InputError, NotFoundError
from curbside.settings import Settings
from tests.accounts.conftest import PASSWORD


def _hash_of(accounts: UserService, username: str) -> str:
    with accounts.engine.connect() as conn:
        return str(conn.execute(select(users.c.password_hash).where(users.c.username == username)).scalar_one())


def test_add_and_authenticate(account_settings: Settings) -> None:
    accounts = UserService(account_settings)
    user = accounts.add("  Rivera ", PASSWORD, role=Role.REVIEWER, display_name="Dana Rivera", credentials="MD",
                        specialty="Radiology")
    assert user.username == "rivera" and user.signature == "Dana Rivera, MD (Radiology)"
    stored = _hash_of(accounts, "rivera")
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert accounts.authenticate("RIVERA", PASSWORD) == user
    assert accounts.get(user.id) == user == accounts.by_username("rivera")
    for username, password in (("rivera", PASSWORD + "x"), ("nobody", PASSWORD)):
        with pytest.raises(AuthenticationError) as info:
            accounts.authenticate(username, password)
        assert info.value.status == 401 and info.value.message == "Unknown username or wrong password."
    other = accounts.add("okafor", PASSWORD, role=Role.EDITOR)
    assert other.display_name == "okafor"  # defaults to the username
    assert [u.username for u in accounts.list_users()] == ["okafor", "rivera"]


def test_rules_for_usernames_and_passwords(account_settings: Settings) -> None:
    accounts = UserService(account_settings)
    accounts.add("rivera", PASSWORD, role=Role.REVIEWER)
    with pytest.raises(ConflictError, match="already exists"):
        accounts.add("Rivera", PASSWORD, role=Role.ADMIN)
    with pytest.raises(InputError, match="too short"):
        accounts.add("lee", "x" * 9, role=Role.REVIEWER)
    for bad in ("a", "has space", "-dash", "x" * 65, "ünï"):
        with pytest.raises(InputError, match="not allowed"):
            accounts.add(bad, PASSWORD, role=Role.REVIEWER)
    with pytest.raises(NotFoundError):
        accounts.get(999)


def test_password_change_deactivation_and_rehash(account_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    accounts = UserService(account_settings)
    accounts.add("rivera", PASSWORD, role=Role.REVIEWER)
    accounts.set_password("rivera", "a brand new passphrase")
    with pytest.raises(AuthenticationError):
        accounts.authenticate("rivera", PASSWORD)
    weak = _hash_of(accounts, "rivera")
    # stronger parameters later: the next successful sign-in rehashes
    monkeypatch.setattr(hashing, "_hasher", PasswordHasher(time_cost=2, memory_cost=16384, parallelism=1))
    accounts.authenticate("rivera", "a brand new passphrase")
    rehashed = _hash_of(accounts, "rivera")
    assert rehashed != weak and "m=16384,t=2" in rehashed
    accounts.deactivate("rivera")
    with pytest.raises(AuthenticationError):
        accounts.authenticate("rivera", "a brand new passphrase")
    assert accounts.list_users() == []


def test_verify_rejects_malformed_hashes() -> None:
    assert hashing.verify_password("not a hash", PASSWORD) is False
    assert hashing.needs_rehash("not a hash") is True
    assert hashing.verify_password(hashing.hash_password(PASSWORD), PASSWORD) is True


@pytest.mark.parametrize("password", ["password1234", "qwertyuiop12", "iloveyou1234", "letmein12345"])
def test_common_passwords_are_refused(settings: Settings, password: str) -> None:
    with pytest.raises(InputError, match="too common"):
        UserService(settings).add("harper", password, role=Role.REVIEWER)


@pytest.mark.parametrize(("username", "display_name", "password"), [
    ("rivera", "", "rivera2024!!"), ("mjohnson", "Mary Johnson", "Johnson-1987-x"),
    ("kfangxu", "Ke Fangxu", "kfangxu_secret")])
def test_passwords_derived_from_the_account_are_refused(settings: Settings, username: str,
                                                        display_name: str, password: str) -> None:
    users = UserService(settings)
    with pytest.raises(InputError, match="username or the account's name"):
        users.add(username, password, role=Role.REVIEWER, display_name=display_name)
    user = users.add(username, "tidal basin orchard lantern", role=Role.REVIEWER, display_name=display_name)
    with pytest.raises(InputError, match="username or the account's name"):
        users.set_password(user.username, password)
