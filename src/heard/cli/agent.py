"""The agent's side on the command line: ``heard acts``, ``heard review``, ``heard score``.

Each command calls one library function and renders its result (``heard.cli.agent_render``).
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from heard.cli import agent_render
from heard.errors import HeardError

Json = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


def register(app: typer.Typer, err, fail, answer) -> None:
    """Add the commands to ``app``: ``err`` is the console for progress, ``fail`` turns a
    HeardError into an exit, ``answer(compute, as_json, rendered)`` runs a library call and
    prints its result (``heard.cli.app._answer``)."""

    @app.command()
    def acts(
        text: Annotated[str, typer.Argument(help="The agent's reply, or - to read it from stdin.")],
        as_json: Json = False,
    ) -> None:
        """What an agent's reply does: reflection, question, apology, empathy, blame, ..."""
        import heard

        if text == "-":
            text = sys.stdin.read()
        answer(lambda: heard.read_acts(text), as_json, agent_render.acts)

    @app.command()
    def review(
        draft: Annotated[str, typer.Argument(help="The draft reply, or - to read it from stdin.")],
        customer: Annotated[str | None, typer.Option(help="What the customer last wrote.")] = None,
        conversation: Annotated[
            Path | None,
            typer.Option(
                help="The conversation so far: a transcript file (JSON or CSV, docs/transcripts.md)."
            ),
        ] = None,
        as_json: Json = False,
    ) -> None:
        """Check a draft reply against the playbook: score, findings with their spans, rewrites."""
        import heard

        if draft == "-":
            draft = sys.stdin.read()

        def compute():
            messages = heard.load_transcript(conversation).messages if conversation else None
            return heard.review(draft, customer=customer, conversation=messages)

        answer(compute, as_json, lambda result: agent_render.review(draft, result))

    @app.command()
    def score(
        transcript: Annotated[Path | None, typer.Argument(help="A transcript file, JSON or CSV.")] = None,
        directory: Annotated[
            Path | None,
            typer.Option(
                "--dir", help="Score every .json and .csv transcript in this folder.", file_okay=False
            ),
        ] = None,
        summary: Annotated[
            Path, typer.Option("--out", help="With --dir: where to write the CSV summary.")
        ] = Path("scorecards.csv"),
        as_json: Json = False,
    ) -> None:
        """Score a conversation against the playbook: each step done, missed or not needed."""
        import heard

        if directory is not None:
            _score_folder(directory, summary, err, fail)
            return
        if transcript is None:
            raise fail(heard.InvalidTranscript("give a transcript file, or --dir FOLDER"))
        answer(
            lambda: heard.score_conversation(heard.load_transcript(transcript)),
            as_json,
            lambda card: agent_render.scorecard(transcript.name, card),
        )


def _score_folder(directory: Path, summary: Path, err, fail) -> None:
    """Score each transcript of a folder (progress on stderr); a bad file is reported and skipped."""
    import heard
    from heard.playbook import playbook_steps

    if not directory.is_dir():
        raise fail(heard.InvalidTranscript(f"{directory} is not a folder"))
    files = sorted(p for p in directory.iterdir() if p.suffix.lower() in {".json", ".csv"})
    if not files:
        raise fail(heard.InvalidTranscript(f"{directory} holds no .json or .csv transcripts"))
    steps = [s.id for s in playbook_steps()]
    scored = failed = 0
    with summary.open("w", newline="", encoding="utf-8") as handle, agent_render.progress(err) as bar:
        writer = csv.writer(handle)
        writer.writerow(agent_render.SUMMARY_COLUMNS + steps)
        task = bar.add_task("scoring", total=len(files))
        for path in files:
            try:
                card = heard.score_conversation(heard.load_transcript(path))
            except HeardError as e:
                failed += 1
                writer.writerow([path.name, "", "", "", "", "", "", "", "", json.dumps(e.detail)])
                err.print(f"[red]{e}[/red]")
            else:
                scored += 1
                writer.writerow(agent_render.summary_row(path.name, card) + [s.status for s in card.steps])
            bar.advance(task)
    err.print(f"scored {scored} transcripts, {failed} could not be read; summary: {summary}")
