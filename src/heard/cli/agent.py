"""The agent's side on the command line: ``heard acts``.

Each command calls one library function and renders its result (``heard.cli.agent_render``).
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from heard.cli import agent_render
from heard.errors import HeardError

Json = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


def register(app: typer.Typer, out, err, fail) -> None:
    """Add the commands to ``app``: ``out`` and ``err`` are the consoles, ``fail`` turns a
    HeardError into an exit."""

    @app.command()
    def acts(
        text: Annotated[str, typer.Argument(help="The agent's reply, or - to read it from stdin.")],
        as_json: Json = False,
    ) -> None:
        """What an agent's reply does: reflection, question, apology, empathy, blame, ..."""
        import heard

        if text == "-":
            text = sys.stdin.read()
        try:
            reading = heard.read_acts(text)
        except HeardError as e:
            raise fail(e) from None
        if as_json:
            print(reading.model_dump_json())
        else:
            out.print(agent_render.acts(reading))
