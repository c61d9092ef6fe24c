"""``curbside kb remove`` and ``curbside kb retractions``: keeping a knowledge base current."""

from __future__ import annotations

from typing import Annotated

import typer

from curbside.cli import kb_pull
from curbside.cli.context import open_kb
from curbside.cli.ui import console, handle_errors, out, print_json
from curbside.errors import NotFoundError
from curbside.kb.retractions import pubmed_sources, retracted_pmids


def remove(
    source_ids: Annotated[list[str], typer.Argument(help="Source ids, as `kb search --json` shows them (pmid:123, dailymed:<setid> …).")],
) -> None:
    """Remove sources and their passages from the knowledge base and its indexes."""

    kb = open_kb(install_starter=False)
    missing = [s for s in source_ids if kb.store.source(s) is None]
    if missing:
        raise NotFoundError(f"No such source: {', '.join(missing)} (see `curbside kb search --json`).")
    removed = sum(kb.store.delete_source(s) for s in source_ids)
    kb.refresh()
    console.print(f"removed {len(source_ids)} source(s), {removed} passage(s)")


def retractions(
    remove_found: Annotated[bool, typer.Option("--remove", help="Remove the retracted sources found.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Ask PubMed which of the knowledge base's articles are now retracted (and remove them with --remove)."""

    kb = open_kb(install_starter=False)
    by_pmid = pubmed_sources(kb.store)
    with kb_pull.client_factory(kb.settings.pubmed) as client:
        found = retracted_pmids(client, by_pmid) if by_pmid else []
    ids = [by_pmid[p] for p in found]
    if remove_found and ids:
        for source_id in ids:
            kb.store.delete_source(source_id)
        kb.refresh()
    result = {"checked": len(by_pmid), "retracted": ids, "removed": ids if remove_found else []}
    if as_json:
        print_json(result)
        return
    out.print(f"checked {len(by_pmid)} PubMed articles; retracted: {', '.join(ids) or 'none'}"
              + (" (removed)" if remove_found and ids else ""), markup=False)


def register(app: typer.Typer) -> None:
    app.command("remove")(handle_errors(remove))
    app.command("retractions")(handle_errors(retractions))
