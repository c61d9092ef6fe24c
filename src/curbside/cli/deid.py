"""``curbside deid "TEXT"``: mask the identifiers in a text as the consult board does."""

from __future__ import annotations

from typing import Annotated

import typer

from curbside.cli.ui import handle_errors, out, print_json, settings_from_context


@handle_errors
def deid(text: Annotated[str, typer.Argument(help="Text to de-identify (quote it).")],
         as_json: Annotated[bool, typer.Option("--json", help='Print {"text", "entities": [{"type", "start", "end"}]}.')]
         = False) -> None:
    """Mask names, phone numbers, e-mails, addresses, dates, record numbers, URLs and IPs in TEXT."""
    from curbside.consult.deid import shared_deidentifier  # loads Presidio and spaCy: only when used

    settings = settings_from_context()
    result = shared_deidentifier(settings.consult.deid_score_threshold).mask(text)
    if as_json:
        print_json(result.model_dump())
    else:
        out.print(result.text, markup=False)
