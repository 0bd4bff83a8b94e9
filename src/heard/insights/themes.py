"""``themes``: group complaints into themes with readable names, beyond the fixed categories.

How: a ``ThemeModel`` (``theme_model.py``, where each choice is explained and measured) is fitted
on the texts: their cores (no handles, tags, greetings or redaction marks) embedded by the shipped
encoder, joined with their words and cause cues, grouped by seeded k-means into a number of
themes that grows with the texts; the least typical tenth fit no theme (-1). Names are key
phrases, examples the texts nearest each theme's centre.

With ``times`` (and ``now``), a theme is *new* when at least 80% of its texts fall in the
   latest window (a week by default; one stray older text must not hide a new theme), and
   *growing* when the latest window holds at least twice the weekly average of the four
   windows before it plus two Poisson standard deviations (so 4 against 1.75 is not growing),
   and at least ``min_size`` texts. With no text before the latest window, neither is marked.

The same texts in the same order always give the same result: the encoder, k-means (seeded) and the ordering of themes (largest first, ties by first text) are all fixed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from heard._version import __version__
from heard.errors import EmptyText, NotText
from heard.insights._time import Moment, as_utc
from heard.insights.theme_text import METHOD
from heard.language.encoder import ENCODER

_HISTORY_WINDOWS = 4
_NEW_TOLERANCE = 0.2  # share of a new theme's texts that may be older than the latest window


class Theme(BaseModel):
    """One group of complaints that share a cause."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: int = Field(description="The theme's id: 0 is the largest theme.")
    name: str = Field(description="Its key phrases, joined: 'movers, moving company, late'.")
    phrases: list[str] = Field(description="The key phrases, most telling first.")
    size: int = Field(description="How many texts belong to it.")
    examples: list[str] = Field(description="The texts nearest its centre, nearest first.")
    new: bool = Field(
        default=False, description="At least 80% of its texts fall in the latest window (needs times)."
    )
    growing: bool = Field(
        default=False,
        description="The latest window holds at least twice the average of the windows before, "
        "beyond chance (needs times).",
    )
    recent: int | None = Field(
        default=None, description="Its texts in the latest window (None without times)."
    )
    before: float | None = Field(
        default=None, description="Its average texts per window over the four windows before the latest."
    )
    first_seen: datetime | None = Field(default=None, description="The time of its earliest text.")
    last_seen: datetime | None = Field(default=None, description="The time of its latest text.")


class ThemeSet(BaseModel):
    """Themes found in a list of texts, and the theme of each text."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    labels: list[int] = Field(description="One theme id per text, in input order; -1 where it fits no theme.")
    themes: list[Theme] = Field(description="The themes, largest first (the id is the position).")
    unassigned: int = Field(description="How many texts fit no theme.")
    window_days: float | None = Field(
        default=None, description="The length of the latest window in days, when times were given."
    )
    produced_by: dict[str, str] = Field(description="The method, encoder and heard version.")

    def theme_of(self, index: int) -> Theme | None:
        """The theme of text ``index``, or None where it has none."""
        label = self.labels[index]
        return self.themes[label] if label >= 0 else None


def _check(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, str):
        raise NotText("themes takes a list of texts; wrap a single text as [text]")
    out = []
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise NotText(f"texts[{i}] is a {type(text).__name__}, not a string")
        if not text.strip():
            raise EmptyText(f"texts[{i}] is empty; drop empty texts before grouping them")
        out.append(text)
    return out


def _growth(members: list[int], times: list[datetime], now: datetime, window: timedelta) -> dict:
    when = [times[i] for i in members]
    start = now - window
    recent = sum(start <= t <= now for t in when)
    history = sum(start - _HISTORY_WINDOWS * window <= t < start for t in when)
    earlier = sum(t < start for t in when)
    before = history / _HISTORY_WINDOWS
    return {
        "recent": recent,
        "before": round(before, 2),
        # A stray older text clustered in should not hide a new theme: 80% recent is new.
        "new": recent > 0 and earlier <= _NEW_TOLERANCE * len(when),
        "growing_counts": (recent, before),
        "first_seen": min(when),
        "last_seen": max(when),
    }


def themes(
    texts: Sequence[str],
    *,
    times: Sequence[Moment] | None = None,
    now: Moment | None = None,
    window: timedelta = timedelta(days=7),
    min_size: int = 3,
    max_themes: int = 30,
    outliers: float = 0.1,
    examples: int = 3,
) -> ThemeSet:
    """Group complaints into themes with readable names, sizes and examples.

    Args:
        texts: the complaints (or their root causes), one string each.
        times: when each text was written (datetime, ISO text or epoch seconds), to mark
            themes that are new or growing; optional.
        now: the end of the latest window; defaults to the latest of ``times``.
        window: the length of the latest window ("new this week" with the default).
        min_size: a theme needs at least this many texts; smaller groups become -1.
        max_themes: at most this many themes.
        outliers: the share of texts, the least typical of their theme, left without one.
        examples: how many example texts each theme shows.

    Raises:
        NotText: ``texts`` is a single string or holds something that is not a string.
        EmptyText: a text is empty.
        ValueError: ``times`` has a different length, or a time cannot be read.

    >>> result = themes(["Refund still missing.", "Where is my refund?", "No refund yet."], min_size=2)
    >>> result.labels
    [-1, -1, -1]
    """
    texts = _check(texts)
    if min_size < 1 or max_themes < 1 or examples < 0:
        raise ValueError("min_size and max_themes must be at least 1 and examples at least 0")
    stamps: list[datetime] | None = None
    if times is not None:
        if len(times) != len(texts):
            raise ValueError(f"times has {len(times)} entries for {len(texts)} texts; give one time per text")
        stamps = [as_utc(t, what=f"times[{i}]") for i, t in enumerate(times)]
    end = as_utc(now, what="now") if now is not None else (max(stamps) if stamps else None)
    produced_by = {"method": METHOD, "encoder": ENCODER, "heard": __version__}
    days = window.total_seconds() / 86400 if stamps is not None else None
    if len(texts) < 2 * max(min_size, 2):
        return ThemeSet(
            labels=[-1] * len(texts),
            themes=[],
            unassigned=len(texts),
            window_days=days,
            produced_by=produced_by,
        )
    from heard.insights.theme_model import ThemeModel

    model = ThemeModel(min_size=min_size, max_themes=max_themes, outliers=outliers).fit(texts)
    found = [
        {
            "id": t,
            "name": model.name(t),
            "phrases": model.phrases_[t],
            "examples": model.examples_[t][:examples],
        }
        for t in range(model.n_themes_)
    ]
    return theme_set(
        model.labels_.tolist(),
        found,
        times=stamps,
        now=end,
        window=window,
        produced_by=produced_by,
        min_size=min_size,
    )


def theme_set(
    labels: Sequence[int],
    found: Sequence[dict],
    *,
    times: Sequence[datetime | None] | None = None,
    now: datetime | None = None,
    window: timedelta = timedelta(days=7),
    produced_by: dict[str, str],
    min_size: int = 3,
) -> ThemeSet:
    """A ``ThemeSet`` from each text's theme and the themes' names and examples (as fitted or
    stored), sizes counted over ``labels``, and which themes are new or growing as of ``now``.

    Themes no text belongs to are left out, and ids are renumbered by size (largest first, ties
    by the first text), so a theme's id is its position.
    """
    labels = np.asarray(labels, dtype=int)
    sizes = (
        np.bincount(labels[labels >= 0], minlength=len(found)) if len(labels) else np.zeros(len(found), int)
    )
    kept = [t for t in range(len(found)) if sizes[t] > 0]
    kept.sort(key=lambda t: (-int(sizes[t]), int(np.argmax(labels == t))))
    remap = np.full(len(found) + 1, -1)
    remap[kept] = np.arange(len(kept))
    labels = np.where(labels >= 0, remap[np.maximum(labels, 0)], -1)
    stamps = list(times) if times is not None and all(t is not None for t in times) and len(times) else None
    end = now if now is not None else (max(stamps) if stamps else None)
    days = window.total_seconds() / 86400 if times is not None else None
    has_history = stamps is not None and end is not None and any(t < end - window for t in stamps)
    out = []
    for new_id, old in enumerate(kept):
        members = [int(i) for i in np.flatnonzero(labels == new_id)]
        extra: dict = {}
        if stamps is not None and end is not None:
            growth = _growth(members, stamps, end, window)
            recent, before = growth.pop("growing_counts")
            # Nothing is new or growing when every text falls in the latest window: no history.
            growth["new"] = growth["new"] and has_history
            # Twice the usual count, and more than chance: two Poisson standard deviations on top.
            usual = 2 * before + 2 * math.sqrt(before)
            growth["growing"] = has_history and not growth["new"] and recent >= max(min_size, usual)
            extra = growth
        theme = found[old]
        out.append(
            Theme(
                id=new_id,
                name=theme["name"],
                phrases=list(theme.get("phrases") or []),
                size=len(members),
                examples=list(theme.get("examples") or []),
                **extra,
            )
        )
    return ThemeSet(
        labels=labels.tolist(),
        themes=out,
        unassigned=int((labels < 0).sum()),
        window_days=days,
        produced_by=produced_by,
    )
