"""Charts as inline SVG text: no script and no chart library, so a report works offline anywhere.

Each function takes plain values and returns an ``<svg>`` element; the same values always give
the same text. Labels are escaped. The web console can embed the same SVG.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

PALETTE = ("#3b6ea5", "#d9822b", "#4f9a63", "#c44e52", "#8172b2", "#937860", "#da8bc3", "#8c8c8c")
_FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def _nice_max(value: float) -> float:
    """A round upper bound for an axis: 1, 2 or 5 times a power of ten."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1) if value >= 1 else 0.1
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)


def _number(value: float) -> str:
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.2g}"


def line_chart(
    periods: Sequence[str],
    series: dict[str, Sequence[float]],
    *,
    title: str,
    width: int = 640,
    height: int = 260,
) -> str:
    """One line per series over ``periods``, with a legend; values must have one entry per period."""
    left, right, top, bottom = 44, 170, 28, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = _nice_max(max((v for values in series.values() for v in values), default=0))
    step = plot_w / max(1, len(periods) - 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" {_FONT}>',
        f'<text x="{left}" y="16" font-weight="bold">{escape(title)}</text>',
    ]
    for k in range(5):
        value = top_value * k / 4
        y = top + plot_h - plot_h * k / 4
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e3e3"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{_number(value)}</text>')
    for i, period in enumerate(periods):
        x = left + step * i if len(periods) > 1 else left + plot_w / 2
        parts.append(f'<text x="{x:.1f}" y="{height - 14}" text-anchor="middle">{escape(period)}</text>')
    for n, (name, values) in enumerate(series.items()):
        colour = PALETTE[n % len(PALETTE)]
        points = " ".join(
            f"{(left + step * i if len(periods) > 1 else left + plot_w / 2):.1f},"
            f"{top + plot_h - plot_h * v / top_value:.1f}"
            for i, v in enumerate(values)
        )
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>')
        for point in points.split():
            x, y = point.split(",")
            parts.append(f'<circle cx="{x}" cy="{y}" r="3" fill="{colour}"/>')
        y = top + 14 * n
        parts.append(f'<rect x="{width - right + 12}" y="{y}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{width - right + 27}" y="{y + 9}">{escape(_short(name))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(
    labels: Sequence[str],
    groups: dict[str, Sequence[float | None]],
    *,
    title: str,
    percent: bool = False,
    counts: dict[str, Sequence[int]] | None = None,
    width: int = 640,
) -> str:
    """Horizontal bars: one row per label, one bar per group (``with`` / ``without``, say) in each row;
    ``counts`` (same shape) are shown beside each bar as the evidence behind it."""
    left, right, top, row_gap = 250, 90, 40, 8
    bar_h = 14
    row_h = bar_h * len(groups) + row_gap
    height = top + row_h * len(labels) + 10
    plot_w = width - left - right
    values = [v for vs in groups.values() for v in vs if v is not None]
    top_value = 1.0 if percent else _nice_max(max(values, default=0))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" {_FONT}>',
        f'<text x="8" y="16" font-weight="bold">{escape(title)}</text>',
    ]
    if len(groups) > 1:
        for n, name in enumerate(groups):
            x = left + 110 * n
            parts.append(f'<rect x="{x}" y="22" width="10" height="10" fill="{PALETTE[n % len(PALETTE)]}"/>')
            parts.append(f'<text x="{x + 14}" y="31">{escape(name)}</text>')
    for i, label in enumerate(labels):
        y0 = top + row_h * i
        parts.append(
            f'<text x="{left - 8}" y="{y0 + row_h / 2 + 2:.1f}" text-anchor="end">{escape(_short(label, 34))}</text>'
        )
        for n, (group, values) in enumerate(groups.items()):
            value = values[i]
            y = y0 + bar_h * n
            if value is None:
                parts.append(f'<text x="{left + 4}" y="{y + 11}" fill="#8c8c8c">no data</text>')
                continue
            w = plot_w * value / top_value
            shown = f"{round(100 * value)}%" if percent else _number(value)
            if counts is not None:
                shown += f" (n={counts[group][i]})"
            parts.append(
                f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h - 2}" fill="{PALETTE[n % len(PALETTE)]}"/>'
            )
            parts.append(f'<text x="{left + w + 4:.1f}" y="{y + 10}">{shown}</text>')
    parts.append("</svg>")
    return "".join(parts)
