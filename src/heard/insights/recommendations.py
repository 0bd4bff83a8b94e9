"""Recommendations in plain words, ranked by impact, each with the evidence behind it.

    "Late movers caused 32% of angry conversations in March, up from 12% in February."

Kinds: a cause whose share of angry conversations rose from one period to the next; the cause
behind most angry conversations in the latest period; an agent behaviour that goes with
de-escalation; follow-ups left undone; customers who keep coming back about the same thing.
``impact`` is the number of conversations per period the evidence concerns (the extra angry
conversations, the conversations that might have de-escalated, the follow-ups missed): a guide
for ranking, not a forecast.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from heard.insights.figures import (
    Behaviour,
    By,
    Outcomes,
    Period,
    key_of,
    outcomes,
    period_of,
    repeat_contacts,
    what_works,
)
from heard.insights.incidents import Incident
from heard.insights.themes import ThemeSet

Kind = Literal[
    "cause_rising", "cause_leading", "theme_new", "theme_growing", "behaviour", "follow_up", "repeat_contacts"
]

_DO = {
    "listen_before_solution": "Reflect back what the customer said before offering a solution",
    "acknowledge_before_solution": "Acknowledge the customer's feelings before offering a solution",
    "apologise_when_at_fault": "Apologise when the company is at fault",
    "show_empathy": "Show empathy",
    "ask_details": "Ask for the details",
    "take_responsibility": "Take responsibility ('I will ...')",
    "follow_up": "Follow up after resolving",
}


class Recommendation(BaseModel):
    """One recommendation, with the figures that support it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Kind
    text: str = Field(description="The recommendation and its evidence, in plain words.")
    impact: float = Field(description="Conversations per period the evidence concerns; ranks the list.")
    evidence: dict[str, str | int | float] = Field(description="The counts and shares behind the text.")


def period_name(key: str, other: str | None = None) -> str:
    """'March' (or 'March 2026' when ``other`` is in another year); 'the week of 2 March' for weeks."""
    if "-W" in key:
        year, week = key.split("-W")
        start = date.fromisocalendar(int(year), int(week), 1)
        return f"the week of {start.day} {start:%B}"
    year, month = (int(x) for x in key.split("-"))
    name = date(year, month, 1).strftime("%B")
    return f"{name} {year}" if other is not None and other[:4] != key[:4] else name


_CATEGORIES = {
    "late_or_missed": "late or missed deliveries and appointments",
    "billing": "billing problems",
    "faulty_product": "faulty products",
    "rude_service": "rude or unhelpful service",
    "no_response": "no response or being passed around",
    "account_access": "account and access problems",
    "cancellation_refund": "cancellations and refunds",
}


def _label(key: str, *, start: bool = True) -> str:
    """A category in words, or a theme's key phrases in quotes: complaints about “refund, return”."""
    text = _CATEGORIES.get(key) or f"complaints about “{key}”"
    return text[:1].upper() + text[1:] if start else text


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


def _causes(incidents: Sequence[Incident], by: By, period: Period, min_count: int) -> list[Recommendation]:
    dated = [i for i in incidents if i.opened_at is not None]
    periods = sorted({period_of(i.opened_at, period) for i in dated})
    if not periods:
        return []
    latest = periods[-1]
    previous = periods[-2] if len(periods) > 1 else None
    angry_now = Counter(key_of(i, by) for i in dated if i.angry and period_of(i.opened_at, period) == latest)
    angry_before = Counter(
        key_of(i, by) for i in dated if i.angry and period_of(i.opened_at, period) == previous
    )
    total_now, total_before = sum(angry_now.values()), sum(angry_before.values())
    found = []
    for key, count in angry_now.most_common():
        if count < min_count or key in ("no theme", "other"):
            continue
        share = count / total_now
        before = angry_before[key] / total_before if total_before else None
        evidence = {
            "key": key,
            "period": latest,
            "angry": count,
            "angry_total": total_now,
            "share": round(share, 3),
        }
        if before is not None and share - before >= 0.05:
            evidence |= {
                "previous": previous,
                "angry_before": angry_before[key],
                "angry_total_before": total_before,
            }
            evidence["share_before"] = round(before, 3)
            found.append(
                Recommendation(
                    kind="cause_rising",
                    text=f"{_label(key)} caused {_pct(share)} of angry conversations in {period_name(latest, previous)}, "
                    f"up from {_pct(before)} in {period_name(previous, latest)} "
                    f"({count} of {total_now}, against {angry_before[key]} of {total_before}). "
                    "Find what changed in that process.",
                    impact=round((share - before) * total_now, 1),
                    evidence=evidence,
                )
            )
        elif share >= 0.2:
            found.append(
                Recommendation(
                    kind="cause_leading",
                    text=f"{_label(key)} caused {_pct(share)} of angry conversations in {period_name(latest)} "
                    f"({count} of {total_now}), more than any other cause. Fixing that process would calm the most customers.",
                    impact=float(count),
                    evidence=evidence,
                )
            )
    return found


def _behaviours(works: Sequence[Behaviour], periods: int, min_count: int) -> list[Recommendation]:
    found = []
    for b in works:
        if b.lift is None or b.lift < 0.1 or b.with_count < min_count or b.without_count < min_count:
            continue
        satisfaction = ""
        if b.with_satisfaction is not None and b.without_satisfaction is not None:
            satisfaction = (
                f" Satisfaction was {b.with_satisfaction:.1f} of 5 when they did and "
                f"{b.without_satisfaction:.1f} when they did not."
            )
        found.append(
            Recommendation(
                kind="behaviour",
                text=f"{_DO[b.id]}: {_pct(b.with_deescalated)} of upset conversations de-escalated when agents did "
                f"({b.with_count} conversations), {_pct(b.without_deescalated)} when they did not "
                f"({b.without_count}).{satisfaction}",
                impact=round(b.lift * b.without_count / periods, 1),
                evidence=b.model_dump(exclude={"satisfaction_counts", "description"}, exclude_none=True),
            )
        )
    return found


def _follow_ups(o: Outcomes, periods: int, min_count: int) -> list[Recommendation]:
    if o.follow_up_completion is None or o.follow_ups_due < min_count or o.follow_up_completion >= 0.9:
        return []
    missed = o.follow_ups_due - o.follow_ups_done
    text = f"Only {_pct(o.follow_up_completion)} of due follow-ups were done ({o.follow_ups_done} of {o.follow_ups_due})."
    if o.satisfaction_after_follow_up is not None and o.satisfaction_without_follow_up is not None:
        text += (
            f" Customers rated {o.satisfaction_after_follow_up:.1f} of 5 after a follow-up and "
            f"{o.satisfaction_without_follow_up:.1f} without one."
        )
    return [
        Recommendation(
            kind="follow_up",
            text=text + " Make sure every resolved case gets its follow-up.",
            impact=round(missed / periods, 1),
            evidence=o.model_dump(
                include={"follow_ups_due", "follow_ups_done", "follow_up_completion"}
                | {"satisfaction_after_follow_up", "satisfaction_without_follow_up"},
                exclude_none=True,
            ),
        )
    ]


def _repeats(incidents: Sequence[Incident], by: By, periods: int, min_count: int) -> list[Recommendation]:
    r = repeat_contacts(incidents, by=by)
    # "no theme" and "other" name no cause a lead could fix: name the first real one
    named = [(k, c) for k, c in r.top_keys if k not in ("no theme", "other")]
    if r.repeat_customers < min_count or not named or named[0][1] < min_count:
        return []
    key, count = named[0]
    return [
        Recommendation(
            kind="repeat_contacts",
            text=f"{_pct(r.share)} of customers came back within {r.within_days} days ({r.repeat_customers} of "
            f"{r.customers}); most often {_label(key, start=False).replace('complaints ', '')} ({count} repeat conversations). "
            "Resolve it fully the first time.",
            impact=round(count / periods, 1),
            evidence={"customers": r.customers, "repeat_customers": r.repeat_customers, "share": r.share}
            | {"key": key, "repeat_conversations_about_key": count},
        )
    ]


def _themes(found: ThemeSet | None) -> list[Recommendation]:
    if found is None or found.window_days is None:
        return []
    window = "this week" if found.window_days == 7 else f"in the last {found.window_days:g} days"
    out = []
    for theme in found.themes:
        example = f' For example: "{theme.examples[0]}"' if theme.examples else ""
        evidence = {
            "theme": theme.name,
            "size": theme.size,
            "recent": theme.recent or 0,
            "before": theme.before or 0.0,
        }
        if theme.new:
            out.append(
                Recommendation(
                    kind="theme_new",
                    text=f"New {window}: {theme.recent} complaints about “{theme.name}”, hardly any before.{example} "
                    "Check what changed.",
                    impact=float(theme.recent or 0),
                    evidence=evidence,
                )
            )
        elif theme.growing:
            out.append(
                Recommendation(
                    kind="theme_growing",
                    text=f"Growing: {theme.recent} complaints about “{theme.name}” {window}, against "
                    f"{theme.before:g} a week on average before.{example}",
                    impact=round((theme.recent or 0) - (theme.before or 0.0), 1),
                    evidence=evidence,
                )
            )
    return out


def recommend(
    incidents: Sequence[Incident],
    *,
    themes: ThemeSet | None = None,
    by: By | None = None,
    period: Period = "month",
    min_count: int = 3,
    limit: int = 8,
    works: Sequence[Behaviour] | None = None,
    outcome: Outcomes | None = None,
) -> list[Recommendation]:
    """Ranked recommendations with their evidence; at most ``limit``.

    Args:
        incidents: the incidents to learn from.
        themes: the themes found over the incidents' root causes (``with_themes``), to name new
            and growing ones.
        by: group causes by ``theme`` or ``category``; by default themes when incidents have them.
        period: compare months or weeks.
        min_count: the fewest conversations a finding needs on each side to be said.
        works, outcome: ``what_works`` and ``outcomes`` over the same incidents, when the
            caller (a report) has them already.
    """
    if by is None:
        by = "theme" if any(i.theme for i in incidents) else "category"
    periods = max(1, len({period_of(i.opened_at, period) for i in incidents if i.opened_at is not None}))
    found = (
        _themes(themes)
        + _causes(incidents, by, period, min_count)
        + _behaviours(what_works(incidents) if works is None else works, periods, min_count)
        + _follow_ups(outcomes(incidents) if outcome is None else outcome, periods, min_count)
        + _repeats(incidents, by, periods, min_count)
    )
    return sorted(found, key=lambda r: (-r.impact, r.kind, r.text))[:limit]
