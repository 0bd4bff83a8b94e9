"""The ``heard`` command: a thin shell over the library (each command calls one function)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from heard.cli import agent, render, service, train
from heard.errors import HeardError

app = typer.Typer(
    help="heard: hear how upset a customer is and why.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
bench_app = typer.Typer(
    help="Measure heard on public labelled data and against its speed budgets.", no_args_is_help=True
)
app.add_typer(bench_app, name="bench")

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

MaxChars = Annotated[
    int,
    typer.Option(
        "--max-chars",
        envvar="HEARD_MAX_CHARS",
        min=1,
        help="Analyse at most this many characters of a message.",
    ),
]


def _fail(error: HeardError) -> typer.Exit:
    err.print(f"[red]{error}[/red]")
    return typer.Exit(2)


def _stdin_text() -> str:
    """The message on standard input, which must be UTF-8."""
    from heard.errors import MalformedInput

    data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise _fail(
            MalformedInput(f"standard input is not UTF-8 (byte {e.start}); convert it to UTF-8")
        ) from None


def _answer(compute, as_json: bool, rendered) -> None:
    """Run one library call and print its result: JSON with ``--json``, else ``rendered(result)``
    for a person; a HeardError exits with its message."""
    try:
        result = compute()
    except HeardError as e:
        raise _fail(e) from None
    if as_json:
        print(result.model_dump_json())
    else:
        out.print(rendered(result))


@app.command()
def analyze(
    text: Annotated[
        str | None, typer.Argument(help="The customer's message, or - to read it from stdin.")
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="A JSONL file: one message per line.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the analysis as JSON.")] = False,
    strict: Annotated[bool, typer.Option(help="With --file: stop at the first bad line.")] = False,
    frame: Annotated[
        bool, typer.Option(help="Read the complaint frame too (--no-frame: about three times faster).")
    ] = True,
    max_chars: MaxChars = 10_000,
) -> None:
    """Analyse a customer's message: emotions, how upset, and the feeling to reflect back."""
    import heard

    if file is not None:
        from heard.cli.jsonl import analyze_jsonl

        try:
            summary = analyze_jsonl(
                file, sys.stdout, max_chars=max_chars, strict=strict, frame=frame, console=err
            )
        except HeardError as e:
            raise _fail(e) from None
        err.print(f"analysed {summary.analysed} messages, skipped {summary.skipped} bad lines")
        return
    if text is None:
        raise _fail(heard.EmptyText("give the message as an argument, - to read stdin, or --file FILE"))
    if text == "-":
        text = _stdin_text()
    _answer(
        lambda: heard.analyze(text, max_chars=max_chars, frame=frame),
        as_json,
        lambda result: render.analysis(text, result),
    )


@app.command()
def reflect(
    text: Annotated[str, typer.Argument(help="The customer's message, or - to read it from stdin.")],
    reply: Annotated[
        str | None, typer.Option(help="The customer's answer to the previous reflection.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the reflection as JSON.")] = False,
) -> None:
    """Reflect a customer's message back in their terms, with a feeling guess."""
    import heard

    if text == "-":
        text = _stdin_text()
    _answer(lambda: heard.reflect(text, reply=reply), as_json, lambda r: r.text or f"[dim]{r.reason}[/dim]")


@app.command()
def listen() -> None:
    """Practise active listening in the terminal: type what the customer says; heard shows the
    analysis and the reflection, reads the customer's answer to it, and asks what is missing.
    An empty line starts a new customer; Ctrl-D ends."""
    from heard.cli.listening import listen_loop

    listen_loop(lambda prompt: typer.prompt(prompt, default="", show_default=False), out)


@app.command()
def demo() -> None:
    """Walk the moving-company example through heard: analysis, reflection, acknowledgement, apology."""
    import heard

    text = render.MOVING_COMPANY
    a = heard.analyze(text)
    out.print(
        render.demo(
            text,
            a,
            heard.reflect(text),
            heard.acknowledge(text, analysis=a),
            heard.apology(text, analysis=a),
            heard.questions(text, analysis=a),
        )
    )


agent.register(app, err, _fail, _answer)  # heard acts, heard review, heard score

Data = Annotated[Path, typer.Option(help="Folder of the labelled data set.", exists=True, file_okay=False)]


@bench_app.command("emotions")
def bench_emotions(
    data: Data, split: str = "dev", as_json: Annotated[bool, typer.Option("--json")] = False
) -> None:
    """Macro-F1 over the 28 GoEmotions labels and the Ekman groups; F1 of anger, annoyance, disappointment."""
    from heard.bench.emotions import bench_emotions as run

    _report("emotions", run(data, split), as_json)


@bench_app.command("intensity")
def bench_intensity(
    data: Data, split: str = "dev", as_json: Annotated[bool, typer.Option("--json")] = False
) -> None:
    """Correlation of upset with the gold anger intensity of WASSA-2017 tweets."""
    from heard.bench.intensity import bench_intensity as run

    _report("intensity", run(data, split), as_json)


@bench_app.command("listen")
def bench_listen(
    samples: int = 20,
    golden_set: Annotated[
        str, typer.Option("--set", help="dev (tuned on), holdout (never tuned on) or both")
    ] = "both",
    data: Annotated[Path | None, typer.Option(help="a golden JSONL file of your own instead")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Complaint-frame accuracy and reflection checks on heard's golden complaints, with sample reflections."""
    from heard.bench.listen import SETS, golden
    from heard.bench.listen import bench_listen as run

    if data is not None:
        chosen = {data.name: golden(path=data)}
    elif golden_set in SETS or golden_set == "both":
        chosen = {name: golden(name) for name in SETS if golden_set in {name, "both"}}
    else:
        raise typer.BadParameter(f"--set must be dev, holdout or both, not {golden_set!r}")
    results = {name: run(samples=samples, rows=rows) for name, rows in chosen.items()}
    if as_json:
        print(json.dumps(results, indent=2))
        return
    for name, figures in results.items():
        out.print(render.figures(f"listen ({name})", {k: v for k, v in figures.items() if k != "samples"}))
        for sample in figures["samples"]:
            out.print(
                f"\n[bold]customer[/bold]   {sample['customer']}\n[bold]reflection[/bold] {sample['reflection']}"
            )


@bench_app.command("real")
def bench_real(
    data: Annotated[Path, typer.Option(help="the shared data folder, e.g. ../shared/data", exists=True)],
    source: Annotated[list[str] | None, typer.Option(help="only these sources (repeatable)")] = None,
    limit: Annotated[int, typer.Option(help="rows per source and part (the same rows every run)")] = 200,
    samples: Annotated[int, typer.Option(help="held-out sample reflections printed per source")] = 30,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Listening on real customer text: reflections, noise, generic, refused, invented, categories,
    complaint detection; held-out part (1 in 4 by a hash of the text) and the part tuned on."""
    from rich.markup import escape

    from heard.bench.real import bench_real as run

    try:
        results = run(data, sources=source, limit=limit, samples=samples)
    except HeardError as e:
        raise _fail(e) from None
    if as_json:
        print(json.dumps(results, indent=2))
        return
    for name, parts in results.items():
        for part, figures in parts.items():
            out.print(
                render.figures(f"real: {name} ({part})", {k: v for k, v in figures.items() if k != "samples"})
            )
        for sample in parts.get("heldout", {}).get("samples", []):
            flags = "; ".join(
                sample["check"] + [f"invented: {' '.join(sample['invented'])}"] * bool(sample["invented"])
            )
            note = escape(f"({sample['category']}{'; ' + flags if flags else ''})")
            out.print(
                f"\n[bold]customer[/bold]   {escape(sample['customer'][:400])}\n"
                f"[bold]reflection[/bold] {escape(sample['reflection'])}  [dim]{note}[/dim]"
            )


@bench_app.command("acts")
def bench_acts(
    data: Annotated[
        Path | None,
        typer.Option(
            help="The shared data folder, e.g. ../shared/data: labelled real brand replies (twcs/, "
            "tweetsumm/, support_tweets_labelled/) and ESConv (esconv/); or an ESConv folder.",
            exists=True,
        ),
    ] = None,
    limit: Annotated[int | None, typer.Option(help="Score only the first N ESConv supporter turns.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Reply acts: per-act F1 on real brand replies, heard's held-out replies and ESConv strategies."""
    from heard.bench.acts import bench_acts as run

    figures = run(data, limit=limit)
    if as_json:
        print(json.dumps(figures, indent=2))
        return
    held = figures["heldout"]
    out.print(
        render.figures(
            "acts (heard's held-out replies)",
            {**held["per_act"], **{k: v for k, v in held.items() if k != "per_act"}},
        )
    )
    if "esconv" in figures:
        e = figures["esconv"]
        out.print(
            render.figures(
                "acts (ESConv, one act per turn: top)",
                {
                    **e["top"],
                    "turns": e["turns"],
                    "baseline_question_mark_f1": e["baseline_question_mark_f1"],
                },
            )
        )
        out.print(render.figures("acts (ESConv, every present act: any)", e["any"]))
    if "real" in figures:
        for part in ("heldout", "dev", "all"):
            r = figures["real"][part]
            out.print(
                render.figures(
                    f"acts (real brand replies, {part}: sentence level)",
                    {**r["per_act"], **{k: v for k, v in r.items() if k not in ("per_act", "cases")}},
                )
            )


@bench_app.command("rank")
def bench_rank(
    data: Annotated[
        Path,
        typer.Option(
            help="The shared data folder with twcs/twcs_first5000.csv, e.g. ../shared/data.", exists=True
        ),
    ],
    limit: Annotated[int | None, typer.Option(help="Score only the first N messages.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Review ranking: share of reply pairs where the better reply scores higher, on real messages."""
    from heard.bench.rank import bench_rank as run

    _report("rank", run(data, limit=limit), as_json)


@bench_app.command("review")
def bench_review(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Draft review on heard's golden drafts: expected findings raised, good drafts left alone."""
    from heard.bench.review import bench_review as run

    _report("review", run(), as_json)


@bench_app.command("redact")
def bench_redact(
    seed: int = 15,
    per_kind: Annotated[int, typer.Option(help="Labelled messages of each kind.")] = 200,
    ordinary: Annotated[int, typer.Option(help="Ordinary texts with numbers that must not change.")] = 400,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Redaction on generated messages: recall per kind, half-redactions, ordinary texts changed."""
    from heard.bench.redaction import bench_redaction as run

    _report("redact", run(seed=seed, per_kind=per_kind, ordinary_texts=ordinary), as_json)


@bench_app.command("upset")
def bench_upset(
    data: Data,
    limit: Annotated[int | None, typer.Option(help="Score at most N rows per part (a quick look).")] = None,
    frame: Annotated[
        bool, typer.Option(help="Read the complaint frame too, as analyze does by default.")
    ] = True,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Upset on real text: severity Spearman, airline-negative AUC, WASSA anger, levels per source."""
    from heard.bench.levels import bench_levels
    from heard.bench.upset_real import bench_upset as run

    figures = {**run(data, limit=limit, frame=frame), "levels_own_examples": bench_levels()}
    if as_json:
        print(json.dumps(figures, indent=2))
        return
    out.print(render.figures("upset", _flat(figures)))


def _flat(values: dict, prefix: str = "") -> dict:
    """Nested figures as one level of dotted names, for a table."""
    flat: dict = {}
    for key, value in values.items():
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


@bench_app.command("levels")
def bench_levels(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Agreement of level with the levels given to heard's own written examples."""
    from heard.bench.levels import bench_levels as run

    _report("levels", run(), as_json)


@bench_app.command("speed")
def bench_speed(messages: int = 500, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Cold start, analyze and reflect latency on one core, batch throughput on two cores."""
    from heard.bench.speed import BUDGETS
    from heard.bench.speed import bench_speed as run

    figures = run(messages=messages)
    if as_json:
        print(json.dumps(figures, indent=2))
    else:
        out.print(render.figures("speed", figures, budgets=BUDGETS))


@bench_app.command("themes")
def bench_themes(
    data: Annotated[
        Path | None,
        typer.Option(
            help="A labelled JSONL file (text, cause); default: heard's two written sets.", exists=True
        ),
    ] = None,
    real: Annotated[
        Path | None,
        typer.Option(
            help="The shared data folder: score real airline tweets and CFPB letters too.", exists=True
        ),
    ] = None,
    part: Annotated[str, typer.Option(help="With --real: held_out (default) or develop.")] = "held_out",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """NMI and purity of heard.themes against known complaint causes, themes found, share unassigned."""
    from heard.bench.themes import bench_themes as run

    results = run(data)
    if real is not None:
        from heard.bench.real_themes import bench_real_themes

        results.update(bench_real_themes(real, part=part))
    if as_json:
        print(json.dumps(results, indent=2))
        return
    for name, figures in results.items():
        out.print(render.figures(f"themes: {name}", {k: v for k, v in figures.items() if k != "themes"}))
        out.print("\n".join(figures["themes"]))


@bench_app.command("serve")
def bench_serve(
    data: Annotated[
        Path | None, typer.Option(help="JSONL of messages ('text' per line); default: heard's own examples.")
    ] = None,
    requests: Annotated[int, typer.Option(min=1, help="Requests per measurement.")] = 2000,
    clients: Annotated[int, typer.Option(min=1, help="Concurrent clients.")] = 32,
    workers: Annotated[int, typer.Option(min=1, help="Server processes.")] = 2,
    postgres: Annotated[
        str | None, typer.Option(help="PostgreSQL URL to measure too ('' to skip).")
    ] = "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    only: Annotated[
        list[str] | None,
        typer.Option(help="Measure only these: analyze, analyze_no_frame, ingest, webhook (repeatable)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Requests/s and p50/p99 of /v1/analyze, of message ingestion and of the Chatwoot webhook
    (event in to private note out), on SQLite and PostgreSQL."""
    from heard.bench.serve import BUDGETS
    from heard.bench.serve import bench_serve as run

    if data is None:
        import importlib.resources

        data = Path(str(importlib.resources.files("heard.bench") / "data" / "customer_messages.jsonl"))
    known = ("analyze", "analyze_no_frame", "ingest", "webhook")
    if only and (unknown := sorted(set(only) - set(known))):
        raise typer.BadParameter(f"unknown measurement {', '.join(unknown)}; choose from {', '.join(known)}")
    figures = run(data, requests=requests, clients=clients, workers=workers, postgres=postgres or None,
                  kinds=tuple(only) if only else known)  # fmt: skip
    if as_json:
        print(json.dumps(figures, indent=2))
        return
    flat = {"server processes": workers, "clients": clients, "requests each": requests}
    for db in ("sqlite", "postgresql"):
        for kind, f in figures.get(db, {}).items():
            if kind == "webhook":
                flat |= {
                    f"webhook_{db}_{k}": v for k, v in f.items() if k not in ("kind", "clients", "failures")
                }
                flat[f"webhook_{db}_failures"] = (
                    ", ".join(f"{k}: {n}" for k, n in f["failures"].items()) or "none"
                )
                continue
            flat |= {f"{kind}_{db}_requests_per_s": f["requests_per_s"], f"{kind}_{db}_p50_ms": f["p50_ms"],
                     f"{kind}_{db}_p99_ms": f["p99_ms"], f"{kind}_{db}_errors": f["errors"],
                     f"{kind}_{db}_server_cpu_ms_per_request": f["server_cpu_ms"]}  # fmt: skip
    out.print(render.figures("serve", flat, budgets=BUDGETS))


def _report(name: str, figures: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(figures, indent=2))
    else:
        out.print(render.figures(name, figures))


service.register(app)
train.register(app, bench_app)


def main() -> None:
    app()
