"""``heard train``: practise a hard conversation with a simulated customer in the terminal;
``heard bench train``: the trainer against its scripted trainees, and its speed."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from heard.errors import HeardError

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)
_MOOD_STYLE = {"anger": "red", "trust": "green", "progress": "cyan"}


def _bar(value: float, width: int = 20) -> str:
    filled = round(value * width)
    return "█" * filled + "░" * (width - filled)


def _meter(mood, changes) -> None:
    for what in ("anger", "trust", "progress"):
        value = getattr(mood, what)
        out.print(f"  [{_MOOD_STYLE[what]}]{what:<8} {_bar(value)} {value:.2f}[/]")
    for c in changes:
        out.print(f"  [dim]{c.what} {c.delta:+.2f}: {c.reason}[/]")


def _customer(name: str, lines) -> None:
    for line in lines:
        out.print(f"[bold]{name}[/] [dim]({line.at:.0f}s)[/]: {line.text}")


def _debrief(d, scenario) -> None:
    out.print(f"\n[bold]Debrief[/]: ended {d.ended or 'unfinished'} after {d.turns} replies; "
              f"playbook score {d.scorecard.score}/100")  # fmt: skip
    table = Table(show_header=True)
    table.add_column("step")
    table.add_column("status")
    for s in d.scorecard.steps:
        table.add_row(s.step, s.status)
    out.print(table)
    for n, what in d.turning_points:
        out.print(f"  turn {n}: {what}")
    if d.missed_facts:
        questions = {h.id: h.question for h in scenario.hidden}
        for fact in d.missed_facts:
            out.print(f"  never asked: {questions.get(fact, fact)}")
    for tip in d.tips:
        out.print(f"[yellow]tip[/] {tip.step}: {tip.why}")
        if tip.better_line:
            out.print(f"    [green]try[/]: {tip.better_line}")


def _replies(script: Path | None):
    """Replies, each with how long after the customer's last line it is sent: from the script
    (``+N text`` sends it N s after, else 45 s), or typed, timed by the clock from the prompt."""
    if script is not None:
        for raw in script.read_text("utf-8").splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            after = 45.0
            if line.startswith("+") and " " in line:
                head, line = line[1:].split(" ", 1)
                try:
                    after = float(head)
                except ValueError:
                    raise typer.BadParameter(f"{raw!r}: '+N' must be seconds, e.g. '+5 text'") from None
            yield line, after
        return
    while True:
        shown = time.monotonic()
        text = typer.prompt("you", default="", show_default=False)
        if not text.strip() or text.strip() in ("/quit", "/end"):
            return
        yield text, time.monotonic() - shown


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    @app.command()
    def train(
        scenario: Annotated[str | None, typer.Option(help="Scenario id (see --list).")] = None,
        difficulty: Annotated[str, typer.Option(help="easy, medium or hard.")] = "medium",
        seed: Annotated[int, typer.Option(help="Same seed and replies, same session.")] = 0,
        file: Annotated[Path | None, typer.Option(help="Your own scenario YAML.", exists=True)] = None,
        script: Annotated[Path | None, typer.Option(help="Replies, one a line (+N to send N s after).", exists=True)] = None,
        list_: Annotated[bool, typer.Option("--list", help="List the shipped scenarios.")] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print the session and debrief as JSON.")] = False,
        phrasing_url: Annotated[str | None, typer.Option(envvar="HEARD_PHRASING_URL",
            help="Optional OpenAI-compatible endpoint (base URL) to vary the customer's wording.")] = None,
        phrasing_model: Annotated[str, typer.Option(envvar="HEARD_PHRASING_MODEL", help="Its model.")] = "default",
    ) -> None:  # fmt: skip
        """Practise a hard conversation with a simulated upset customer, then see the debrief."""
        from heard.simulate import Phrasing, Practice, load_scenarios, parse_scenario

        try:
            shipped = load_scenarios()
            if list_:
                for sc in shipped.values():
                    out.print(f"{sc.id:<36} {sc.domain:<22} {sc.title}")
                return
            if file is not None:
                sc = parse_scenario(file.read_text("utf-8"))
            elif scenario in shipped:
                sc = shipped[scenario]
            elif scenario is None and script is None:
                sc = shipped[typer.prompt("scenario", type=typer.Choice(list(shipped)), show_choices=True)]
            else:
                raise typer.BadParameter(f"no scenario {scenario!r}; `heard train --list` shows them")
            phrasing = Phrasing(base_url=phrasing_url, model=phrasing_model) if phrasing_url else None
            p = Practice.start(sc, difficulty=difficulty, seed=seed, phrasing=phrasing)
            if not as_json:
                out.print(f"[bold]{sc.title}[/] ({difficulty}). {sc.persona.name}: {sc.persona.situation}.")
                _customer(sc.persona.name, p.opening)
                _meter(p.mood, [])
            for text, after in _replies(script):
                t = p.reply(text, at=p.last_at + after)
                if not as_json:
                    _customer(sc.persona.name, t.customer)
                    _meter(t.mood, t.changes)
                if t.ended:
                    break
            d = p.debrief()
        except HeardError as e:
            err.print(f"[red]{e}[/red]")
            raise typer.Exit(2) from None
        except ValueError as e:
            err.print(f"[red]{e}[/red]")
            raise typer.Exit(2) from None
        if as_json:
            turns = [t.model_dump(mode="json") for t in p.turns]
            print(json.dumps({"scenario": sc.id, "difficulty": difficulty, "seed": seed, "turns": turns,
                              "debrief": d.model_dump(mode="json")}))  # fmt: skip
        else:
            _debrief(d, sc)

    @bench_app.command("train")
    def bench_train(
        seeds: Annotated[int, typer.Option(min=1, help="Sessions per script, scenario and difficulty.")] = 3,
        as_json: Annotated[bool, typer.Option("--json")] = False,
    ) -> None:
        """Skilled script: turns to resolution; poor script: escalation rate; time per reply (p50/p99)."""
        from heard.bench.train import BUDGETS
        from heard.bench.train import bench_train as run
        from heard.cli import render

        figures = run(seeds=seeds)
        if as_json:
            print(json.dumps(figures, indent=2))
            return
        per = figures.pop("per_scenario")
        table = Table(title="heard bench train: per scenario and difficulty", show_header=True)
        for col in ("scenario.difficulty", "skilled resolved", "skilled turns", "poor escalated"):
            table.add_column(col)
        for key, v in per.items():
            turns = v["skilled_turns_to_resolution"]
            table.add_row(key, f"{v['skilled_resolved']:.2f}", "-" if turns is None else f"{turns:g}",
                          f"{v['poor_escalated']:.2f}")  # fmt: skip
        out.print(table)
        out.print(render.figures("train", figures, budgets=BUDGETS))
