"""Incidents as the service stores them: what a resolved conversation records, stored rows back
as ``Incident``s, and a team's insights report from the store.

The figures come from the same functions as ``heard insights FILE``: ``incident_from_conversation``
reads the stored messages (with the analyses stored beside them), the scorecard says which
playbook steps were done, and ``build_report`` makes the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import Row
from sqlalchemy.orm import Session

from heard.insights.archive import ArchiveMessage
from heard.insights.figures import Period
from heard.insights.incidents import FollowUp, Incident, Outcome, incident_from_conversation
from heard.insights.report import Report, build_report
from heard.insights.stored_themes import stored_theme_set
from heard.insights.themes import ThemeSet
from heard.playbook import Scorecard, done_in_order, score_conversation
from heard.respond import ActReading, read_acts
from heard.store import repo
from heard.store.tables import FollowUpRow, MessageRow
from heard.understand import LEVELS, Analysis, analyze

MISSED_AFTER = timedelta(hours=24)  # a follow-up still unsent this long after it was due was missed


def _analyses(messages: Sequence[MessageRow]) -> list[Analysis]:
    """The customer messages' analyses: those stored with them, else made now."""
    return [
        Analysis.model_validate(m.analysis) if m.analysis else analyze(m.text)
        for m in messages
        if m.role == "customer"
    ]


def _readings(messages: Sequence[MessageRow]) -> list[ActReading]:
    """The agent messages' act readings: those stored with them, else read now (rows stored
    before readings were kept)."""
    return [
        ActReading.model_validate(reading)
        if (reading := getattr(m, "act_reading", None))
        else read_acts(m.text)
        for m in messages
        if m.role == "agent"
    ]


def stored_scorecard(messages: Sequence[MessageRow]) -> Scorecard:
    """The conversation scored on the readings stored with its messages (no model run)."""
    transcript = [{"role": m.role, "text": m.text, "at": m.at.isoformat()} for m in messages]
    return score_conversation(transcript, analyses=_analyses(messages), readings=_readings(messages))


def incident_fields(
    messages: Sequence[MessageRow], card: Scorecard | None, *, analyses: Sequence[Analysis] | None = None
) -> dict:
    """What the incident of a conversation records, read from its stored messages (in order):
    category, root cause, fault, peak and final level, de-escalation and its pace, and the
    playbook steps done (from ``card``, the conversation's scorecard). ``analyses``: the
    customer messages' analyses, when the caller has them already."""
    if not messages:
        return {}
    archive = [
        ArchiveMessage(conversation_id=str(m.conversation_id), role=m.role, text=m.text, at=m.at, line=n)  # type: ignore[arg-type]
        for n, m in enumerate(messages, start=1)
    ]
    if analyses is None:
        analyses = _analyses(messages)
    incident = incident_from_conversation(archive, analyses=analyses)
    fields = incident.model_dump(
        include={
            "category", "root_cause", "fault", "peak_upset", "peak_level", "final_level", "deescalated",
            "messages_to_deescalate", "minutes_to_deescalate",
        }
    )  # fmt: skip
    if not analyses:  # nothing was heard: no levels to record
        fields.update(peak_level=None, final_level=None, fault=None)
    fields["steps_done"] = done_in_order(card.steps) if card is not None else []
    return fields


def read_incident(messages: Sequence[MessageRow]) -> dict:
    """``incident_fields`` with the conversation's scorecard, scored on the readings stored with
    its messages."""
    if not messages:
        return {}
    return incident_fields(messages, stored_scorecard(messages), analyses=_analyses(messages))


def follow_up_state(row: FollowUpRow | None, now: datetime) -> FollowUp:
    """Whether the follow-up was done: sent or answered is done; failed, or still unsent a day
    after it was due, is missed; otherwise pending."""
    if row is None:
        return "not_needed"
    if row.status in ("delivered", "completed"):
        return "done"
    if row.status == "failed" or row.due_at + MISSED_AFTER < now:
        return "missed"
    return "pending"


def outcome_of(row: FollowUpRow | None) -> Outcome:
    """What the customer said when followed up; until then, resolved (an agent resolved it)."""
    if row is not None and row.outcome == "not_resolved":
        return "unresolved"
    return "resolved"


def incident_from_facts(
    facts: Row, follow_up: Row | FollowUpRow | None, *, now: datetime, theme: str | None = None
) -> Incident:
    """A stored incident (``repo.INCIDENT_FACTS``, with its latest follow-up and its theme's name)
    as an ``Incident``."""
    level = facts.peak_level if facts.peak_level in LEVELS else "calm"
    followed = follow_up_state(follow_up, now)
    steps = list(facts.steps_done or [])
    if followed == "done" and "follow_up" not in steps:
        steps.append("follow_up")  # the service followed up, whatever the agent promised
    return Incident(
        id=str(facts.conversation_id),
        customer=facts.customer,
        category=facts.category if facts.category else "other",
        root_cause=facts.root_cause,
        fault=facts.fault or "unclear",
        outcome=outcome_of(follow_up),
        peak_upset=facts.peak_upset,
        peak_level=level,
        final_level=facts.final_level if facts.final_level in LEVELS else None,
        deescalated=facts.deescalated,
        messages_to_deescalate=facts.messages_to_deescalate,
        minutes_to_deescalate=facts.minutes_to_deescalate,
        steps_done=steps,
        remedy=facts.remedy,
        follow_up=followed,
        satisfaction=facts.satisfaction,
        opened_at=facts.opened_at,
        closed_at=facts.closed_at,
        theme=theme,
    )


def team_incidents(
    *,
    session: Session,
    team_id: int,
    now: datetime,
    since: datetime | None = None,
    until: datetime | None = None,
    themes_at: datetime | None = None,
) -> tuple[list[Incident], ThemeSet | None]:
    """Every incident of the team whose conversation opened in [since, until), oldest first, each
    named by its stored theme (the team's latest model, fitted by the worker: read and counted,
    not regrouped); and the themes, with which are new or growing as of ``themes_at`` (default
    ``now``), or None before the worker's first fit."""
    rows, latest = repo.incident_facts(session=session, team_id=team_id, since=since, until=until)
    found = stored_theme_set(
        session, team_id, [r.conversation_id for r in rows], [r.opened_at for r in rows], now=themes_at or now
    )
    names = [found.themes[label].name if label >= 0 else None for label in found.labels] if found else None
    incidents = [
        incident_from_facts(r, latest.get(r.conversation_id), now=now, theme=names[n] if names else None)
        for n, r in enumerate(rows)
    ]
    return incidents, found


def team_report(
    *,
    session: Session,
    team_id: int,
    now: datetime,
    period: Period = "month",
    since: datetime | None = None,
    until: datetime | None = None,
    title: str | None = None,
) -> Report:
    """The insights report over the team's stored incidents: the same figures as ``heard insights FILE``."""
    team = repo.get_team(session=session, team_id=team_id)
    # "New this week" is as of the end of the span asked for.
    themed, found = team_incidents(
        session=session, team_id=team_id, now=now, since=since, until=until,
        themes_at=min(now, until) if until else now,
    )  # fmt: skip
    return build_report(
        themed, generated_at=now, themes=found, title=title or f"{team.name}: heard insights", period=period
    )
