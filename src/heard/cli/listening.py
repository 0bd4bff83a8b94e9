"""The ``heard listen`` loop: the active-listening cycle, one customer at a time.

The customer speaks; heard shows how upset they are and the reflection; the next line is
read as the customer's answer to it (confirm, correct, add); a correction or an addition
gives a new reflection, a confirmation gives the questions for what is still missing.
"""

from __future__ import annotations

from collections.abc import Callable

import typer
from rich.console import Console

import heard
from heard.cli import render
from heard.errors import HeardError


def listen_loop(ask: Callable[[str], str], console: Console) -> None:
    """Run the loop until ``ask`` raises EOFError or typer.Abort (Ctrl-D)."""
    said: str | None = None
    last: heard.Reflection | None = None
    console.print("[dim]Type what the customer says. Empty line: new customer. Ctrl-D: quit.[/dim]")
    while True:
        try:
            line = ask("customer")
        except (EOFError, KeyboardInterrupt, typer.Abort):  # Ctrl-D, Ctrl-C
            console.print()
            return
        if not line.strip():
            said, last = None, None
            console.rule("new customer")
            continue
        try:
            if said is None or last is None or last.text is None:
                said = line if said is None else f"{said}\n{line}"
                analysis = heard.analyze(said)
                console.print(render.analysis(said, analysis))
                last = heard.reflect(said, analysis=analysis)
                console.print(render.reflection(last))
                continue
            answer = heard.confirmation(line)
            console.print(f"[bold]reads as[/bold]  {answer.kind}")
            if answer.kind == "confirm":
                a = heard.analyze(said)
                steps = (heard.acknowledge(said, analysis=a), heard.apology(said, analysis=a))
                console.print(render.next_steps(*steps, heard.questions(said, analysis=a)))
                last = heard.Reflection(text=None, feeling=None, reason="confirmed")
                continue
            if answer.kind == "none":
                said = f"{said}\n{line}"
                last = heard.reflect(said, avoid_opening=last.opening)
            else:
                last = heard.reflect(said, reply=line, avoid_opening=last.opening)
                said = f"{answer.new or line}\n{said}"
            console.print(render.reflection(last))
        except HeardError as e:
            console.print(f"[red]{e}[/red]")
