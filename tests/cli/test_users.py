"""`curbside users add|list` through Typer's CliRunner (real SQLite database, real argon2)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from curbside.accounts.models import Role
from curbside.accounts.tables import users
from curbside.accounts.users import UserService
from curbside.cli.main import app
from curbside.db import get_engine
from curbside.errors import AuthenticationError
from curbside.settings import load_settings

runner = CliRunner()
PASSWORD = "tidal-basin-orchard-42"


def test_add_prompts_for_a_hidden_password_and_stores_only_a_hash() -> None:
    result = runner.invoke(app, ["users", "add", "Rivera", "--role", "reviewer", "--name", "Dana Rivera",
                                 "--credentials", "MD", "--specialty", "Radiology"],
                           input=f"{PASSWORD}\nsomething else\n{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "do not match" in result.output  # the confirmation is checked, then asked again
    assert PASSWORD not in result.output  # hidden input is not echoed
    assert "added reviewer rivera (Dana Rivera, MD (Radiology))" in result.output
    settings = load_settings()
    with get_engine(settings.resolved_database_url).connect() as conn:
        stored = conn.execute(select(users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    accounts = UserService(settings)
    user = accounts.authenticate("rivera", PASSWORD)
    assert (user.role, user.display_name, user.credentials, user.specialty) == (
        Role.REVIEWER, "Dana Rivera", "MD", "Radiology")
    with pytest.raises(AuthenticationError):
        accounts.authenticate("rivera", "wrong password!")


def test_password_option_list_and_errors() -> None:
    ok = runner.invoke(app, ["users", "add", "okafor", "--role", "editor", "--password", PASSWORD, "--json"])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["role"] == "editor"
    again = runner.invoke(app, ["users", "add", "okafor", "--role", "admin", "--password", PASSWORD])
    assert again.exit_code == 2 and "already exists" in again.output
    short = runner.invoke(app, ["users", "add", "lee", "--role", "reviewer", "--password", "short"])
    assert short.exit_code == 2 and "too short" in short.output
    bad_role = runner.invoke(app, ["users", "add", "lee", "--role", "overlord", "--password", PASSWORD])
    assert bad_role.exit_code == 2
    bad_name = runner.invoke(app, ["users", "add", "no spaces", "--role", "reviewer", "--password", PASSWORD])
    assert bad_name.exit_code == 2 and "not allowed" in bad_name.output
    listed = runner.invoke(app, ["users", "list", "--json"])
    assert listed.exit_code == 0
    rows = json.loads(listed.stdout)
    assert [r["username"] for r in rows] == ["okafor"]
    assert "password" not in listed.stdout and "argon2" not in listed.stdout
    text = runner.invoke(app, ["users", "list"])
    assert "okafor" in text.stdout and "editor" in text.stdout


def test_passwd_set_role_and_deactivate_end_or_rotate_sessions() -> None:
    from curbside.accounts.sessions import SessionStore

    settings = load_settings()
    accounts = UserService(settings)
    user = accounts.add("okafor", PASSWORD, role=Role.EDITOR)
    sessions = SessionStore(get_engine(settings.resolved_database_url), settings.web)
    token = sessions.start(user.id, "editor")
    result = runner.invoke(app, ["users", "passwd", "okafor", "--password", "a-new-long-passphrase"])
    assert result.exit_code == 0 and "sessions have ended" in result.output
    assert sessions.check(token) is None
    assert accounts.authenticate("okafor", "a-new-long-passphrase").id == user.id
    token = sessions.start(user.id, "editor")
    assert runner.invoke(app, ["users", "set-role", "okafor", "--role", "admin"]).exit_code == 0
    live = sessions.check(token)
    assert live is not None and live.role == "editor"  # the web layer rotates it (role differs)
    assert accounts.by_username("okafor").role == Role.ADMIN
    assert runner.invoke(app, ["users", "deactivate", "okafor"]).exit_code == 0
    assert sessions.check(token) is None
    with pytest.raises(AuthenticationError):
        accounts.authenticate("okafor", "a-new-long-passphrase")
