"""How the CLI shows results in a terminal (Rich renderables; no logic beyond layout)."""

from __future__ import annotations

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from heard.understand import Analysis

MOVING_COMPANY = (
    "I am very upset because you told me the moving company would be at my place by 1 pm and they "
    "didn't show up until 3 pm. I didn't have time to clean my apartment before the inspection."
)

LEVEL_STYLE = {
    "calm": "green",
    "concerned": "cyan",
    "upset": "yellow",
    "angry": "dark_orange",
    "furious": "bold red",
}
CUE_NAMES = {
    "upset_word": "says how upset",
    "intensifier": "intensifier",
    "softener": "softener",
    "shouting": "capitals",
    "exclamations": "exclamation run",
    "profanity": "profanity",
    "repeat_contact": "repeated contact",
    "broken_promise": "broken promise",
    "deadline": "time pressure",
    "loss": "money or time lost",
    "passed_around": "passed around",
    "no_response": "no response",
    "threat_leave": "threat to leave",
    "threat_public": "threat to go public",
    "threat_legal": "legal threat",
    "sarcasm": "sarcasm",
    "blame": "blames you",
    "worry": "worry",
    "confusion": "confusion",
    "embarrassment": "embarrassment",
    "overwhelm": "overwhelm",
    "gratitude": "thanks",
}


def _bar(value: float, width: int = 20) -> str:
    filled = round(value * width)
    return "█" * filled + "░" * (width - filled)


def highlighted(text: str, result: Analysis) -> Text:
    """The analysed text with every cue span underlined."""
    shown = Text(text[: result.chars])
    for cue in result.cues:
        shown.stylize("bold underline", cue.start, cue.end)
    if result.truncated:
        shown.append(f" … [cut after {result.chars:,} characters]", style="dim")
    return shown


def analysis(text: str, result: Analysis) -> Table:
    style = LEVEL_STYLE[result.level]
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    table.add_row(
        "level", Text.assemble((result.level.upper(), style), f"  {_bar(result.upset)} {result.upset:.2f}")
    )
    table.add_row("feeling", result.feeling)
    present = result.present() or ["(none above 0.5)"]
    table.add_row(
        "emotions", ", ".join(f"{e} {result.emotions[e]:.2f}" if e in result.emotions else e for e in present)
    )
    if result.sarcasm:
        table.add_row("sarcasm", "praise that means the opposite: read as annoyance")
    cues = [c for c in result.cues if c.kind in CUE_NAMES]
    if cues:
        table.add_row("cues", ", ".join(f'"{c.text}" ({CUE_NAMES[c.kind]})' for c in cues))
    if result.complaint is not None:
        c = result.complaint
        table.add_row("complaint", f"{c.category.replace('_', ' ')}; fault: {result.fault.replace('_', ' ')}")
        for name in ("expected", "happened", "impact", "need"):
            part = getattr(c, name)
            if part is not None:
                table.add_row(f"  {name}", part.text)
        details = [*c.times, *c.amounts, *c.references]
        if details:
            table.add_row("  details", ", ".join(details))
    if result.truncated:
        table.add_row("note", f"only the first {result.chars:,} characters were analysed")
    return table


def reflection(result) -> Text:
    if result.text is None:
        return Text(f"(no reflection: {result.reason})", style="dim")
    return Text.assemble(("reflect   ", "bold"), (result.text, "green"))


def next_steps(acknowledgement: str, apology, questions) -> Group:
    rows = [
        Text.assemble(("acknowledge ", "bold"), acknowledgement),
        Text.assemble(("apologise   ", "bold"), apology.text),
    ]
    rows += [Text.assemble(("ask         ", "bold"), q.text) for q in questions]
    if not questions:
        rows.append(Text("nothing missing: move on to solutions", style="dim"))
    return Group(*rows)


def demo(text: str, result: Analysis, said_back, acknowledgement: str, apology, questions) -> Group:
    """The moving-company walk-through: what the customer wrote, what heard heard, what to say."""
    return Group(
        Panel(highlighted(text, result), title="The customer writes", title_align="left"),
        Panel(analysis(text, result), title="What heard hears", title_align="left"),
        Panel(
            Group(reflection(said_back), next_steps(acknowledgement, apology, questions)),
            title="What the agent can say",
            title_align="left",
        ),
    )


def figures(name: str, values: dict, budgets: dict | None = None) -> Table:
    """A table of benchmark figures; with ``budgets``, each budgeted figure says whether it met it."""
    budgets = budgets or {}
    table = Table(title=f"heard bench {name}", show_header=True)
    table.add_column("figure")
    table.add_column("value", justify="right")
    if budgets:
        table.add_column("budget", justify="right")
    rows = [(f"{k}.{sub}", v) for k, d in values.items() if isinstance(d, dict) for sub, v in d.items()]
    rows += [(k, v) for k, v in values.items() if not isinstance(v, dict)]
    for key, value in rows:
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        if not budgets:
            table.add_row(key, shown)
            continue
        budget = budgets.get(key)
        if budget is None:
            table.add_row(key, shown, "")
            continue
        met = value >= budget if key.endswith("_per_s") else value <= budget
        sign = ">=" if key.endswith("_per_s") else "<="
        table.add_row(
            key, shown, f"[{'green' if met else 'red'}]{sign} {budget:g} {'met' if met else 'MISSED'}[/]"
        )
    return table
