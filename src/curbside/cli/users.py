"""``curbside users …``: accounts of the advisory board (reviewers), editors and admins."""

from __future__ import annotations

from typing import Annotated

import typer

from curbside.articles.models import Role
from curbside.articles.users import UserService
from curbside.cli.ui import console, handle_errors, out, print_json
from curbside.settings import load_settings

app = typer.Typer(help="Accounts: reviewers (advisory board members), editors and admins.",
                  no_args_is_help=True)


@app.command("add")
@handle_errors
def add(username: Annotated[str, typer.Argument(help="Sign-in name (lower case).")],
        role: Annotated[Role, typer.Option(help="reviewer, editor or admin.")],
        password: Annotated[str, typer.Option(
            prompt=True, hide_input=True, confirmation_prompt=True,
            help="Password (asked for, hidden, when not given; the option is for scripts).")],
        name: Annotated[str, typer.Option("--name", help="Full name shown on reviews.")] = "",
        credentials: Annotated[str, typer.Option(help="Degrees, e.g. 'MD' or 'RN, MSN'.")] = "",
        specialty: Annotated[str, typer.Option(help="Specialty, e.g. 'Radiology'.")] = "",
        as_json: Annotated[bool, typer.Option("--json", help="Print the new user as JSON.")] = False
        ) -> None:
    """Add an account; the password is stored only as an argon2id hash."""
    user = UserService(load_settings()).add(username, password, role=role, display_name=name,
                                            credentials=credentials, specialty=specialty)
    if as_json:
        print_json(user.model_dump(mode="json"))
        return
    console.print(f"added {user.role.value} [bold]{user.username}[/] ({user.signature})",
                  highlight=False)


@app.command("list")
@handle_errors
def list_users(as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False
               ) -> None:
    """Every active account (never a password or hash)."""
    users = UserService(load_settings()).list_users()
    if as_json:
        print_json([u.model_dump(mode="json") for u in users])
        return
    if not users:
        out.print("No users yet: add one with `curbside users add NAME --role reviewer`.")
    for user in users:
        out.print(f"{user.username:<20} {user.role.value:<9} {user.signature}", markup=False)
