"""The ``curbside`` command: one Typer root, one module per command group."""

from __future__ import annotations

from typing import Annotated

import typer

from curbside import __version__
from curbside.cli import articles as articles_commands
from curbside.cli import consult as consult_commands
from curbside.cli import kb as kb_commands
from curbside.cli import users as users_commands
from curbside.cli.ask import ask
from curbside.cli.deid import deid
from curbside.cli.eval import app as eval_app
from curbside.cli.serve import serve
from curbside.cli.ui import ErrorShapeCommand, show_notices

app = typer.Typer(help="curbside: evidence-backed medical answers with citations. Informational only; not medical advice.",
                  no_args_is_help=True, add_completion=False)
app.add_typer(kb_commands.app, name="kb")
app.add_typer(articles_commands.app, name="articles")
app.add_typer(users_commands.app, name="users")
app.add_typer(consult_commands.app, name="consult")
app.command("ask", cls=ErrorShapeCommand)(ask)
app.command("serve")(serve)
app.command("deid")(deid)
app.add_typer(eval_app, name="eval")


def _print_version(value: bool) -> None:
    if value:
        print(__version__)
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option(
        "--version", callback=_print_version, is_eager=True, help="Print the curbside version and exit.")] = False,
          ) -> None:
    show_notices()


@app.command()
def version() -> None:
    """Print the curbside version."""
    print(__version__)


if __name__ == "__main__":  # pragma: no cover
    app()
