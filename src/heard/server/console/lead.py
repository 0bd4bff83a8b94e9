"""The lead's console: open conversations by level, follow-ups due and overdue, recent
scorecards with the steps most often missed, the team's insights (GET /v1/insights) with the
full report to download, and transcripts uploaded for scoring."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import UploadFile

from heard import service
from heard.errors import HeardError
from heard.insights.report import trend_chart
from heard.playbook import most_missed, parse_transcript, score_conversation
from heard.server.console import display
from heard.server.console.render import page, templates
from heard.server.console.session import FormDep, LeadDep
from heard.server.deps import DatabaseDep
from heard.server.routes import insights
from heard.server.schemas import ConversationPage
from heard.server.views import conversation_public, follow_up_public, practice_public
from heard.service import practice
from heard.store import repo

RECENT = 12  # resolved conversations scored on the lead's page
MAX_FILES = 20  # transcripts scored per upload: each is read in full by the engine
SOON = timedelta(hours=24)

router = APIRouter(prefix="/lead", include_in_schema=False)


@router.get("", response_class=HTMLResponse)
def overview(request: Request, user: LeadDep, db: DatabaseDep, insights: bool = False) -> HTMLResponse:
    """The lead's page. The insights read the team's stored themes, but the figures still read
    every incident, so the page's script fetches them after the page is shown;
    ``?insights=1`` renders them in the page (without the script)."""
    caller = user.caller
    open_ = _listed(db, caller.team_id, status="open", sort="attention", limit=200)
    now = datetime.now(UTC)
    with db.read() as session:
        rows, _ = repo.list_follow_ups(
            session=session, team_id=caller.team_id, limit=100, offset=0, due_before=now + SOON
        )
        due = [follow_up_public(r) for r in rows if r.status in ("scheduled", "sending", "failed")]
    resolved = _listed(db, caller.team_id, status="resolved", limit=RECENT)
    cards = [
        (c, service.scorecard(db, team_id=caller.team_id, conversation_id=c.id))
        for c in resolved.items
        if c.messages
    ]  # the same scorecards GET /v1/conversations/{id}/scorecard gives
    return page(
        request,
        "lead.html",
        user=user,
        groups=display.by_level(open_.items),
        open_total=open_.total,
        overdue=[f for f in due if f.due_at <= now],
        due_soon=[f for f in due if f.due_at > now],
        cards=cards,
        missed=most_missed([card for _, card in cards]),
        total_cards=len(cards),
        agents=service.by_agent(db, team_id=caller.team_id),
        trainees=practice.by_trainee(db, team_id=caller.team_id),
        practice_recent=_practice_recent(db, caller),
        **(_insights(user, db) if insights else {"insights_pending": True}),
    )


def _practice_recent(db, caller) -> list:
    found = practice.list_practice(
        db, team_id=caller.team_id, user_id=caller.user_id, role=caller.role, limit=10
    )
    return [practice_public(row, name) for row, name in found.rows]


@router.get("/transcripts", response_class=HTMLResponse)
def transcripts(request: Request, user: LeadDep) -> HTMLResponse:
    return page(request, "transcripts.html", user=user, results=None, max_files=MAX_FILES)


@router.post("/transcripts", response_class=HTMLResponse)
def score_transcripts(request: Request, user: LeadDep, form: FormDep) -> HTMLResponse:
    """Score uploaded transcripts (docs/transcripts.md); each bad file gets its own clear error."""
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    if not files:
        return _scored(request, user, [], "Choose one or more transcript files (.json or .csv) first.", 422)
    if len(files) > MAX_FILES:
        return _scored(
            request, user, [], f"At most {MAX_FILES} files at a time; you chose {len(files)}.", 413
        )
    results = []
    for f in files:
        try:
            results.append(
                (f.filename, score_conversation(parse_transcript(f.file.read(), f.filename)), None)
            )
        except HeardError as e:
            results.append((f.filename, None, e))
    failed = all(error for _, _, error in results)
    return _scored(request, user, results, None, 422 if failed else 200)


def _scored(request: Request, user, results: list, problem: str | None, status: int) -> HTMLResponse:
    cards = [card for _, card, _ in results if card is not None]
    return page(
        request,
        "transcripts.html",
        http_status=status,
        user=user,
        results=results,
        problem=problem,
        missed=most_missed(cards),
        total_cards=len(cards),
        max_files=MAX_FILES,
    )


@router.get("/insights", response_class=HTMLResponse)
def insights_section(request: Request, user: LeadDep, db: DatabaseDep) -> HTMLResponse:
    """The lead page's insights section alone, for the page's script to put in place."""
    return templates().TemplateResponse(request, "_insights.html", {"user": user, **_insights(user, db)})


@router.get("/insights/report.html", response_class=HTMLResponse)
def insights_report(user: LeadDep, db: DatabaseDep, period: str = "month") -> HTMLResponse:
    """The full insights report of the lead's team, to download (GET /v1/insights/report.html)."""
    chosen = "week" if period == "week" else "month"
    return insights.report_download(insights.report_of(user.caller, db, chosen, None, None))


def _insights(user, db) -> dict:
    """What the lead view shows of GET /v1/insights: key figures, recommendations, what works, a chart."""
    report = insights.report_of(user.caller, db, "month", None, None)
    works = [b for b in report.what_works if b.with_count or b.without_count]
    return {
        "insights": report if report.conversations else None,
        "insights_chart": trend_chart(report, width=560),
        "works": works[:5],
        "recommendations": [(r, _evidence(r.evidence)) for r in report.recommendations[:5]],
        # Themes from the team's stored model (the worker refits it): new or growing this week first.
        "themes_moving": [t for t in report.themes if t.new or t.growing][:5],
        "themes_top": [t for t in report.themes if not (t.new or t.growing)][:5],
    }


_SHARES = ("share", "deescalated", "completion", "lift")


def _evidence(evidence: dict) -> list[tuple[str, str]]:
    """The figures behind a recommendation, readable: shares as percentages, counts as they are."""
    shown = []
    for key, value in evidence.items():
        if isinstance(value, float) and any(k in key for k in _SHARES) and -1 <= value <= 1:
            value = f"{round(100 * value)}%"
        shown.append((key.replace("_", " "), str(value)))
    return shown


def _listed(db, team_id: int, *, limit: int, **filters) -> ConversationPage:
    found = service.list_conversations(db, team_id=team_id, limit=limit, **filters)
    items = [
        conversation_public(row, ref, waiting_since=found.waiting.get(row.id)) for row, ref in found.rows
    ]
    return ConversationPage(items=items, total=found.total, limit=limit, offset=0)
