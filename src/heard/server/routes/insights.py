"""Insights over the team's stored incidents: the figures of ``heard insights`` as JSON, and the
same report as one self-contained HTML page."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from heard.errors import MalformedInput
from heard.insights.figures import Period
from heard.insights.report import Report, render_html
from heard.insights.stored import team_report
from heard.server.deps import Caller, CallerDep, DatabaseDep
from heard.server.routes.incidents import Since, Until, aware

router = APIRouter(prefix="/insights", tags=["insights"])
PeriodQuery = Annotated[Period, Query(description="Group trends by month or by ISO week.")]


def report_of(caller: Caller, db, period: Period, since: datetime | None, until: datetime | None) -> Report:
    """The team's report; themes are grouped afresh only when its incidents changed."""
    since, until = aware(since, "since"), aware(until, "until")
    if since and until and since >= until:
        raise MalformedInput("since must be before until")
    with db.read() as session:
        return team_report(
            session=session, team_id=caller.team_id, now=datetime.now(UTC), period=period,
            since=since, until=until,
        )  # fmt: skip


@router.get("", response_model=Report)
def get_insights(
    caller: CallerDep,
    db: DatabaseDep,
    period: PeriodQuery = "month",
    since: Since = None,
    until: Until = None,
) -> Report:
    """Volume and upset by category and theme over time, repeat contacts, de-escalation,
    follow-ups and satisfaction, what works, themes, and ranked recommendations with their
    evidence: the figures ``heard insights`` writes (figures.json), from your incidents."""
    return report_of(caller, db, period, since, until)


@router.get(
    "/report.html",
    response_class=HTMLResponse,
    responses={200: {"content": {"text/html": {}}, "description": "The report as one HTML file."}},
)
def get_report_html(
    caller: CallerDep,
    db: DatabaseDep,
    period: PeriodQuery = "month",
    since: Since = None,
    until: Until = None,
) -> HTMLResponse:
    """The same report as a self-contained HTML page with charts (opens offline), as a download."""
    return report_download(report_of(caller, db, period, since, until))


def report_download(report: Report) -> HTMLResponse:
    name = f"heard-insights-{report.generated_at:%Y-%m-%d}.html"
    return HTMLResponse(
        render_html(report), headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
