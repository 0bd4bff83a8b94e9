"""Insight figures: pure functions over incidents, each returning frozen rows a report can show.

Volumes and upset per category and theme over time, repeat contacts, how often conversations
de-escalated, follow-up completion and satisfaction, and "what works": which agent behaviours
go with de-escalation and satisfaction, always with the counts behind each share so a lead can
judge how strong the evidence is.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime
from statistics import fmean, median  # fmean: float arithmetic, 10x faster than mean's exact sums
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from heard.insights.incidents import Incident

Period = Literal["month", "week"]
By = Literal["category", "theme"]


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class VolumeRow(_Row):
    """Conversations about one category or theme in one period."""

    period: str = Field(description="2026-03 for a month, 2026-W10 for an ISO week.")
    key: str = Field(description="The category or theme.")
    conversations: int
    mean_upset: float = Field(description="Average peak upset, 0..1.")
    angry: int = Field(description="Conversations whose peak was angry or furious.")


class RepeatContacts(_Row):
    """Customers who came back within ``within_days`` of an earlier conversation."""

    within_days: int
    customers: int = Field(description="Customers with a known id.")
    repeat_customers: int
    share: float
    repeat_conversations: int = Field(description="Conversations that followed an earlier one in the window.")
    top_keys: list[tuple[str, int]] = Field(description="What repeat conversations were about, most first.")


class Outcomes(_Row):
    """How conversations ended and what the follow-ups brought back."""

    conversations: int
    upset_at_peak: int = Field(description="Conversations where the customer was at least upset.")
    deescalated: int
    deescalated_share: float | None
    median_messages_to_deescalate: float | None
    median_minutes_to_deescalate: float | None
    resolved_share: float | None = Field(description="Of conversations with a known outcome.")
    follow_ups_due: int = Field(description="Follow-ups done or missed (pending ones are not due yet).")
    follow_ups_done: int
    follow_up_completion: float | None
    satisfaction_responses: int
    mean_satisfaction: float | None = Field(description="1..5.")
    satisfaction_after_follow_up: float | None
    satisfaction_without_follow_up: float | None


class Behaviour(_Row):
    """How often conversations de-escalated with and without one agent behaviour, with the counts."""

    id: str
    description: str
    with_count: int
    with_deescalated: float | None
    without_count: int
    without_deescalated: float | None
    lift: float | None = Field(description="with_deescalated - without_deescalated.")
    with_satisfaction: float | None
    without_satisfaction: float | None
    satisfaction_counts: tuple[int, int] = Field(description="Satisfaction answers with and without.")


def period_of(moment: datetime, period: Period = "month") -> str:
    """``2026-03`` or ``2026-W10``: the period a time falls in."""
    if period == "week":
        year, week, _ = moment.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{moment.year}-{moment.month:02d}"


def key_of(incident: Incident, by: By) -> str:
    return (incident.theme or "no theme") if by == "theme" else incident.category


def volume(
    incidents: Sequence[Incident], *, by: By = "category", period: Period = "month"
) -> list[VolumeRow]:
    """Conversations, average peak upset and angry conversations per period and key, in time order."""
    groups: dict[tuple[str, str], list[Incident]] = defaultdict(list)
    for incident in incidents:
        if incident.opened_at is not None:
            groups[(period_of(incident.opened_at, period), key_of(incident, by))].append(incident)
    return [
        VolumeRow(
            period=p,
            key=k,
            conversations=len(group),
            mean_upset=round(fmean(i.peak_upset for i in group), 3),
            angry=sum(i.angry for i in group),
        )
        for (p, k), group in sorted(groups.items(), key=lambda kv: (kv[0][0], -len(kv[1]), kv[0][1]))
    ]


def repeat_contacts(
    incidents: Sequence[Incident], *, within_days: int = 30, by: By = "category"
) -> RepeatContacts:
    """Customers who contacted again within ``within_days`` of their previous conversation."""
    by_customer: dict[str, list[Incident]] = defaultdict(list)
    for incident in incidents:
        if incident.customer and incident.opened_at:
            by_customer[incident.customer].append(incident)
    repeaters, repeats, about = 0, 0, Counter()
    for history in by_customer.values():
        history.sort(key=lambda i: i.opened_at)
        came_back = [
            later
            for earlier, later in zip(history, history[1:], strict=False)
            if (later.opened_at - earlier.opened_at).total_seconds() <= within_days * 86400
        ]
        repeaters += bool(came_back)
        repeats += len(came_back)
        about.update(key_of(i, by) for i in came_back)
    customers = len(by_customer)
    return RepeatContacts(
        within_days=within_days,
        customers=customers,
        repeat_customers=repeaters,
        share=round(repeaters / customers, 3) if customers else 0.0,
        repeat_conversations=repeats,
        top_keys=about.most_common(5),
    )


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _mean(values: Sequence[float]) -> float | None:
    return round(fmean(values), 2) if values else None


def outcomes(incidents: Sequence[Incident]) -> Outcomes:
    """De-escalation, resolution, follow-up completion and satisfaction over all incidents."""
    upset = [i for i in incidents if i.deescalated is not None]
    calmed = [i for i in upset if i.deescalated]
    known = [i for i in incidents if i.outcome != "unknown"]
    due = [i for i in incidents if i.follow_up in ("done", "missed")]  # pending ones are not due yet
    answered = [i for i in incidents if i.satisfaction is not None]
    messages = [i.messages_to_deescalate for i in calmed if i.messages_to_deescalate is not None]
    minutes = [i.minutes_to_deescalate for i in calmed if i.minutes_to_deescalate is not None]
    done = sum(i.follow_up == "done" for i in due)
    return Outcomes(
        conversations=len(incidents),
        upset_at_peak=len(upset),
        deescalated=len(calmed),
        deescalated_share=_share(len(calmed), len(upset)),
        median_messages_to_deescalate=float(median(messages)) if messages else None,
        median_minutes_to_deescalate=round(float(median(minutes)), 1) if minutes else None,
        resolved_share=_share(sum(i.outcome == "resolved" for i in known), len(known)),
        follow_ups_due=len(due),
        follow_ups_done=done,
        follow_up_completion=_share(done, len(due)),
        satisfaction_responses=len(answered),
        mean_satisfaction=_mean([i.satisfaction for i in answered]),
        satisfaction_after_follow_up=_mean([i.satisfaction for i in answered if i.follow_up == "done"]),
        satisfaction_without_follow_up=_mean([i.satisfaction for i in answered if i.follow_up != "done"]),
    )


def _before(first: str, then: str) -> Callable[[Incident], bool | None]:
    def did(i: Incident) -> bool | None:
        if then not in i.steps_done:
            return None  # only conversations where the agent offered a solution count
        return first in i.steps_done and i.steps_done.index(first) < i.steps_done.index(then)

    return did


def _apologised_when_at_fault(i: Incident) -> bool | None:
    return ("apologise" in i.steps_done) if i.fault == "company" else None


def _step(step_id: str) -> Callable[[Incident], bool | None]:
    return lambda i: step_id in i.steps_done


# Each behaviour: id, what it means, and a test that says did / did not / does not apply.
BEHAVIOURS: tuple[tuple[str, str, Callable[[Incident], bool | None]], ...] = (
    ("listen_before_solution", "reflecting (listening) before offering a solution", _before("listen", "offer_solutions")),
    ("acknowledge_before_solution", "acknowledging feelings before offering a solution", _before("acknowledge", "offer_solutions")),
    ("apologise_when_at_fault", "apologising when the company was at fault", _apologised_when_at_fault),
    ("show_empathy", "showing empathy", _step("show_empathy")),
    ("ask_details", "asking for details", _step("ask_details")),
    ("take_responsibility", "taking responsibility", _step("take_responsibility")),
    ("follow_up", "following up", _step("follow_up")),
)  # fmt: skip


def what_works(incidents: Sequence[Incident]) -> list[Behaviour]:
    """For each behaviour, de-escalation and satisfaction with and without it, among conversations
    where the customer was at least upset and the behaviour applies; strongest lift first."""
    rows = []
    for behaviour_id, description, test in BEHAVIOURS:
        did: list[Incident] = []
        did_not: list[Incident] = []
        for incident in incidents:
            verdict = test(incident)
            if verdict is None or incident.deescalated is None:
                continue
            (did if verdict else did_not).append(incident)
        with_rate = _share(sum(i.deescalated for i in did), len(did))
        without_rate = _share(sum(i.deescalated for i in did_not), len(did_not))
        sat_with = [i.satisfaction for i in did if i.satisfaction is not None]
        sat_without = [i.satisfaction for i in did_not if i.satisfaction is not None]
        rows.append(
            Behaviour(
                id=behaviour_id,
                description=description,
                with_count=len(did),
                with_deescalated=with_rate,
                without_count=len(did_not),
                without_deescalated=without_rate,
                lift=round(with_rate - without_rate, 3)
                if with_rate is not None and without_rate is not None
                else None,
                with_satisfaction=_mean(sat_with),
                without_satisfaction=_mean(sat_without),
                satisfaction_counts=(len(sat_with), len(sat_without)),
            )
        )
    return sorted(rows, key=lambda r: (r.lift is None, -(r.lift or 0), r.id))
