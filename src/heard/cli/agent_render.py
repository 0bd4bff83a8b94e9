"""How the agent-side commands look in a terminal (Rich renderables; layout only)."""

from __future__ import annotations

from rich.console import Group
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

SEVERITY_STYLE = {"high": "bold red", "medium": "dark_orange", "low": "yellow"}
STATUS_STYLE = {"done": "green", "missed": "bold red", "not_needed": "dim"}
SUMMARY_COLUMNS = [
    "file", "kind", "score", "deescalated", "upset_first", "upset_peak", "upset_last",
    "interruptions", "overtalk_seconds", "error",
]  # fmt: skip


def acts(reading) -> Group:
    rows = [Text.assemble(("acts  ", "bold"), ", ".join(reading.present()) or "(none present)")]
    for s in reading.sentences:
        present = ", ".join(f"{a} {s.acts[a]:.2f}" for a in s.present()) or "-"
        rows.append(Text.assemble(("  " + s.text, "italic"), ("  → ", "dim"), present))
    return Group(*rows)


def highlighted_draft(draft: str, findings) -> Text:
    """The draft with each finding's span in its severity's colour; insertion points as ▲."""
    shown = Text()
    marks = sorted(findings, key=lambda f: (f.start, f.end))
    cursor = 0
    for f in marks:
        if f.start < cursor:  # overlapping spans: the first one coloured wins
            continue
        shown.append(draft[cursor : f.start])
        if f.start == f.end:
            shown.append("▲", style=SEVERITY_STYLE[f.severity])
        else:
            shown.append(draft[f.start : f.end], style=f"{SEVERITY_STYLE[f.severity]} underline")
        cursor = f.end
    shown.append(draft[cursor:])
    return shown


def review(draft: str, result) -> Group:
    colour = "green" if result.score >= 80 else "dark_orange" if result.score >= 50 else "bold red"
    rows = [
        Text.assemble(
            ("score  ", "bold"), (f"{result.score}/100", colour), ("   stage: ", "dim"), result.stage
        ),
        Text(),
        highlighted_draft(draft, result.findings),
        Text(),
    ]
    if not result.findings:
        rows.append(Text("No findings: the draft follows the playbook here.", style="green"))
    for f in result.findings:
        rows.append(
            Text.assemble(
                (f"[{f.severity}] ", SEVERITY_STYLE[f.severity]), (f"{f.step}", "bold"), f": {f.message}"
            )
        )
        if f.text:
            rows.append(Text.assemble(("    in: ", "dim"), (f.text, "italic")))
        if f.suggestion is None:
            rows.append(Text("    fix: hold the draft back for now", style="dim"))
        elif f.suggestion == "":
            rows.append(Text("    fix: leave it out", style="dim"))
        else:
            verb = "add" if f.start == f.end else "instead"
            rows.append(Text.assemble((f"    {verb}: ", "dim"), (f.suggestion.strip(), "green")))
    return Group(*rows)


def scorecard(name: str, card) -> Group:
    table = Table(title=f"{name}: {card.score}/100 ({card.kind}, {card.messages} messages)", show_header=True)
    table.add_column("step")
    table.add_column("status")
    table.add_column("evidence")
    for s in card.steps:
        table.add_row(
            s.step, Text(s.status.replace("_", " "), style=STATUS_STYLE[s.status]), "\n".join(s.evidence)
        )
    rows = [table]
    if card.upset is not None:
        u = card.upset
        word = {True: "yes", False: "no", None: "n/a (never upset)"}[card.deescalated]
        rows.append(
            Text(
                f"upset: first {u.first:.2f}, peak {u.peak:.2f} (#{u.peak_message}), last {u.last:.2f}; "
                f"levels {' → '.join(u.levels)}; de-escalated: {word}"
            )
        )
    if card.interruptions:
        rows.append(
            Text(f"interruptions: {', '.join(f'#{i.message}' for i in card.interruptions)}", style="red")
        )
    if card.kind == "call":
        silences = ", ".join(f"{s.seconds:.0f} s at {s.start:.0f} s" for s in card.silences) or "none"
        rows.append(Text(f"overtalk: {card.overtalk_seconds:.1f} s; long silences: {silences}"))
    return Group(*rows)


def summary_row(name: str, card) -> list:
    u = card.upset
    return [
        name, card.kind, card.score,
        "" if card.deescalated is None else str(card.deescalated).lower(),
        *(("", "", "") if u is None else (u.first, u.peak, u.last)),
        len(card.interruptions), card.overtalk_seconds, "",
    ]  # fmt: skip


def progress(console) -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=console, transient=False,
    )  # fmt: skip
