"""The insights report: every figure in one frozen model, as a self-contained HTML page, CSV and JSON.

``build_report`` computes the figures (pure: the time it was made is passed in);
``render_html`` writes one HTML file with inline CSS and SVG charts that opens offline;
``report_csv`` gives the figures as CSV tables; ``Report.model_dump_json()`` is the JSON.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime
from html import escape
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from heard._version import __version__
from heard.insights.charts import bar_chart, line_chart
from heard.insights.figures import (
    Behaviour,
    Outcomes,
    Period,
    RepeatContacts,
    VolumeRow,
    outcomes,
    repeat_contacts,
    volume,
    what_works,
)
from heard.insights.incidents import Incident
from heard.insights.recommendations import Recommendation, recommend
from heard.insights.themes import Theme, ThemeSet

_TOP_KEYS = 6


class Report(BaseModel):
    """All the insight figures over a set of incidents."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str
    generated_at: datetime
    conversations: int
    period: Period
    first: datetime | None = Field(description="The earliest incident.")
    last: datetime | None = Field(description="The latest incident.")
    volume_by_category: list[VolumeRow]
    volume_by_theme: list[VolumeRow]
    repeat_contacts: RepeatContacts
    outcomes: Outcomes
    what_works: list[Behaviour]
    themes: list[Theme] = Field(description="Themes over the incidents' root causes, largest first.")
    recommendations: list[Recommendation]
    produced_by: dict[str, str]


def build_report(
    incidents: Sequence[Incident],
    *,
    generated_at: datetime,
    themes: ThemeSet | None = None,
    title: str = "heard insights",
    period: Period = "month",
) -> Report:
    """Every figure over ``incidents``, grouped by ``period``; ``themes`` from ``with_themes``."""
    times = [i.opened_at for i in incidents if i.opened_at is not None]
    works, outcome = what_works(incidents), outcomes(incidents)  # the recommendations reuse them
    return Report(
        title=title,
        generated_at=generated_at,
        conversations=len(incidents),
        period=period,
        first=min(times, default=None),
        last=max(times, default=None),
        volume_by_category=volume(incidents, by="category", period=period),
        volume_by_theme=volume(incidents, by="theme", period=period)
        if any(i.theme for i in incidents)
        else [],
        repeat_contacts=repeat_contacts(incidents),
        outcomes=outcome,
        what_works=works,
        themes=themes.themes if themes else [],
        recommendations=recommend(incidents, themes=themes, period=period, works=works, outcome=outcome),
        produced_by={"heard": __version__, "report": "insights.v1"},
    )


def series(
    rows: Sequence[VolumeRow], value: str = "conversations"
) -> tuple[list[str], dict[str, list[float]]]:
    """Periods, and per key (the largest few) its ``value`` in each period: a line chart's input."""
    periods = sorted({r.period for r in rows})
    totals: dict[str, int] = {}
    for r in rows:
        totals[r.key] = totals.get(r.key, 0) + r.conversations
    keys = sorted(totals, key=lambda k: (-totals[k], k))[:_TOP_KEYS]
    cells = {(r.period, r.key): getattr(r, value) for r in rows}
    return periods, {k.replace("_", " "): [float(cells.get((p, k), 0)) for p in periods] for k in keys}


def _upset_by_key(rows: Sequence[VolumeRow]) -> tuple[list[str], list[float]]:
    sums: dict[str, list[float]] = {}
    for r in rows:
        count, total = sums.get(r.key, [0, 0.0])
        sums[r.key] = [count + r.conversations, total + r.mean_upset * r.conversations]
    keys = sorted(sums, key=lambda k: (-sums[k][0], k))[: _TOP_KEYS + 2]
    return [k.replace("_", " ") for k in keys], [round(sums[k][1] / sums[k][0], 3) for k in keys]


def _tile(label: str, value: object, note: str = "") -> str:
    shown = (
        "—"
        if value is None
        else (f"{round(100 * value)}%" if isinstance(value, float) and value <= 1 else value)
    )
    return f'<div class="tile"><b>{escape(str(shown))}</b><span>{escape(label)}</span><small>{escape(note)}</small></div>'


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape('—' if c is None else str(c))}</td>" for c in row) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_CSS = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:980px;color:#222;padding:0 1rem}
h1{margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}
.meta{color:#666}.tiles{display:flex;flex-wrap:wrap;gap:.8rem}
.tile{border:1px solid #ddd;border-radius:8px;padding:.7rem 1rem;min-width:150px;display:flex;flex-direction:column}
.tile b{font-size:1.6rem}.tile small{color:#777}
ol.recs li{margin:.5rem 0;line-height:1.4}ol.recs small{color:#777}
table{border-collapse:collapse;font-size:.85rem;margin:.6rem 0}td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left}
svg{max-width:100%;height:auto;margin:.6rem 0}
"""


def trend_chart(report: Report, value: str = "conversations", *, width: int = 640) -> str | None:
    """The SVG line chart of ``value`` (conversations or angry) per period by category; None
    without dated incidents. The report and the console's lead view show it."""
    if not report.volume_by_category:
        return None
    periods, lines = series(report.volume_by_category, value)
    what = "Conversations" if value == "conversations" else "Angry conversations"
    title = f"{what} per {report.period}, by category"
    if len(periods) == 1:  # one period has no trend to draw yet: bars compare the categories
        return bar_chart(list(lines), {periods[0]: [v[0] for v in lines.values()]}, title=title, width=width)
    return line_chart(periods, lines, title=title, width=width)


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page: inline CSS and SVG, no script, no network."""
    o, r = report.outcomes, report.repeat_contacts
    span = f"{report.first:%d %b %Y} – {report.last:%d %b %Y}" if report.first and report.last else "no dates"
    recs = "".join(
        f"<li>{escape(rec.text)} <small>(impact {rec.impact:g} conversations a {report.period})</small></li>"
        for rec in report.recommendations
    )
    charts = []
    for rows, what in ((report.volume_by_category, "category"), (report.volume_by_theme, "theme")):
        if rows:
            periods, counts = series(rows)
            charts.append(line_chart(periods, counts, title=f"Conversations per {report.period}, by {what}"))
            periods, angry = series(rows, "angry")
            charts.append(
                line_chart(periods, angry, title=f"Angry conversations per {report.period}, by {what}")
            )
            labels, upset = _upset_by_key(rows)
            charts.append(
                bar_chart(labels, {"average peak upset": upset}, title=f"Average peak upset by {what} (0..1)")
            )
    works = [b for b in report.what_works if b.with_count or b.without_count]
    if works:
        charts.append(
            bar_chart(
                [b.description for b in works],
                {
                    "did": [b.with_deescalated for b in works],
                    "did not": [b.without_deescalated for b in works],
                },
                title="Share of upset conversations that de-escalated, with and without each behaviour",
                percent=True,
                counts={"did": [b.with_count for b in works], "did not": [b.without_count for b in works]},
            )
        )
    works_table = _table(
        ("behaviour", "did: conversations", "de-escalated", "did not: conversations", "de-escalated", "satisfaction did / did not"),
        [
            (b.description, b.with_count, _pc(b.with_deescalated), b.without_count, _pc(b.without_deescalated),
             f"{b.with_satisfaction or '—'} / {b.without_satisfaction or '—'}")
            for b in works
        ],
    )  # fmt: skip
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(report.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_CSS}</style></head>
<body>
<h1>{escape(report.title)}</h1>
<p class="meta">{report.conversations} conversations, {span}. Made {report.generated_at:%d %b %Y %H:%M} UTC by heard {escape(report.produced_by["heard"])}.</p>
<h2>What to do first</h2>
<ol class="recs">{recs or "<li>Not enough conversations yet for a recommendation.</li>"}</ol>
<h2>How conversations ended</h2>
<div class="tiles">
{_tile("de-escalated", o.deescalated_share, f"{o.deescalated} of {o.upset_at_peak} upset at their peak")}
{_tile("messages from peak to calm (median)", o.median_messages_to_deescalate)}
{_tile("minutes from peak to calm (median)", o.median_minutes_to_deescalate)}
{_tile("resolved", o.resolved_share)}
{_tile("follow-ups done", o.follow_up_completion, f"{o.follow_ups_done} of {o.follow_ups_due} due")}
{_tile("satisfaction (1-5)", o.mean_satisfaction, f"{o.satisfaction_responses} answers")}
{_tile("customers who came back", r.share, f"{r.repeat_customers} of {r.customers} within {r.within_days} days")}
</div>
<h2>Trends</h2>
{"".join(charts)}
{_themes_section(report.themes)}
<h2>What works</h2>
<p>Among conversations where the customer was at least upset and the behaviour applied; the counts show how strong the evidence is.</p>
{works_table}
</body></html>
"""


def _themes_section(themes: Sequence[Theme]) -> str:
    if not themes:
        return ""
    rows = [
        (
            t.name,
            t.size,
            "new" if t.new else ("growing" if t.growing else ""),
            t.recent,
            t.examples[0] if t.examples else "",
        )
        for t in themes
    ]
    return (
        "<h2>Themes</h2><p>Root causes grouped by what they say, beyond the fixed categories.</p>"
        + _table(("theme", "conversations", "trend", "latest week", "for example"), rows)
    )


def _pc(value: float | None) -> str | None:
    return None if value is None else f"{round(100 * value)}%"


def report_csv(report: Report) -> dict[str, str]:
    """The figures as CSV tables, by file name: volume, outcomes, what_works, recommendations."""

    def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        return out.getvalue()

    volume_rows = [
        (by, v.period, v.key, v.conversations, v.mean_upset, v.angry)
        for by, rows in (("category", report.volume_by_category), ("theme", report.volume_by_theme))
        for v in rows
    ]
    o = report.outcomes.model_dump() | {
        f"repeat_{k}": v for k, v in report.repeat_contacts.model_dump().items()
    }
    return {
        "volume.csv": table(("by", "period", "key", "conversations", "mean_upset", "angry"), volume_rows),
        "outcomes.csv": table(("figure", "value"), [(k, v) for k, v in o.items()]),
        "what_works.csv": table(
            ("behaviour", "with_count", "with_deescalated", "without_count", "without_deescalated", "lift")
            + ("with_satisfaction", "without_satisfaction"),
            [
                (
                    b.id,
                    b.with_count,
                    b.with_deescalated,
                    b.without_count,
                    b.without_deescalated,
                    b.lift,
                    b.with_satisfaction,
                    b.without_satisfaction,
                )
                for b in report.what_works
            ],
        ),  # fmt: skip
        "recommendations.csv": table(
            ("rank", "kind", "impact", "text"),
            [(n, rec.kind, rec.impact, rec.text) for n, rec in enumerate(report.recommendations, start=1)],
        ),
    }


def write_report(report: Report, directory: str | Path) -> list[Path]:
    """Write report.html, figures.json and the CSV tables into ``directory``; returns the files."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    files = {"report.html": render_html(report), "figures.json": report.model_dump_json(indent=2)}
    files |= report_csv(report)
    for name, text in files.items():
        (out / name).write_text(text, "utf-8")
    return [out / name for name in files]
