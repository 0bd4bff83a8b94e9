"""``heard integrations``: helpdesk tools that need no server (the Zendesk app's zip)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from heard.cli.app import _fail, app, out
from heard.errors import HeardError

integrations_app = typer.Typer(help="Connect heard to your helpdesk.", no_args_is_help=True)
zendesk_app = typer.Typer(help="Zendesk: the ticket sidebar app.", no_args_is_help=True)
integrations_app.add_typer(zendesk_app, name="zendesk")
app.add_typer(integrations_app, name="integrations")


@zendesk_app.command("package")
def zendesk_package(
    panel_url: Annotated[
        str,
        typer.Option("--panel-url", help="The panel URL heard gives: GET /v1/integrations/zendesk/panel."),
    ],
    out_path: Annotated[Path, typer.Option("--out", help="Where to write the zip.")] = Path(
        "heard-zendesk.zip"
    ),
) -> None:
    """Write the Zendesk app's zip (upload it as a private app) with heard's panel URL filled in."""
    from heard.integrations.zendesk_app import package

    try:
        written = package(panel_url, out_path)
    except HeardError as e:
        raise _fail(e) from None
    out.print(f"wrote {written}: upload it in Zendesk (Apps and integrations > Zendesk Support apps)")
