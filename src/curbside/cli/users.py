"""``curbside users …``: accounts of the advisory board (reviewers), editors and admins."""

from __future__ import annotations

from typing import Annotated

import typer

from curbside.accounts.models import Role, User
from curbside.accounts.users import UserService
from curbside.cli.ui import console, handle_errors, out, print_json, print_rows
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
    print_rows(users, as_json, _print_user,
               empty="No users yet: add one with `curbside users add NAME --role reviewer`.")


def _print_user(user: User) -> None:
    out.print(f"{user.username:<20} {user.role.value:<9} {user.signature}", markup=False)


@app.command("passwd")
@handle_errors
def passwd(username: Annotated[str, typer.Argument(help="Whose password to change.")],
           password: Annotated[str, typer.Option(
               prompt=True, hide_input=True, confirmation_prompt=True,
               help="The new password (asked for, hidden, when not given).")]) -> None:
    """Change a password; every open session of that user ends (they sign in again)."""
    UserService(load_settings()).set_password(username, password)
    console.print(f"password changed for [bold]{username}[/]; their sessions have ended",
                  highlight=False)


@app.command("set-role")
@handle_errors
def set_role(username: Annotated[str, typer.Argument(help="Whose role to change.")],
             role: Annotated[Role, typer.Option(help="reviewer, editor or admin.")]) -> None:
    """Change a role; open sessions of that user get a new session id on their next request."""
    user = UserService(load_settings()).set_role(username, role)
    console.print(f"[bold]{user.username}[/] is now {user.role.value}", highlight=False)


@app.command("deactivate")
@handle_errors
def deactivate(username: Annotated[str, typer.Argument(help="Whose account to close.")]) -> None:
    """Close an account: sign-in stops working and its sessions end; the audit trail keeps the name."""
    UserService(load_settings()).deactivate(username)
    console.print(f"[bold]{username}[/] deactivated", highlight=False)
