"""The agent's console: the queue, a conversation with its suggestions, the draft review, the
solution picker, resolving, and correcting the incident's root cause. Each view parses the form,
calls the same ``heard.service`` function as the JSON route, and renders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from heard import service
from heard.errors import MalformedInput
from heard.server.console import display
from heard.server.console.render import page, templates
from heard.server.console.session import FormDep, JsonDep, UserDep
from heard.server.deps import DatabaseDep, SettingsDep
from heard.server.routes.conversations import conversation_detail
from heard.server.routes.engine import check_length
from heard.server.schemas import ConversationPage, IncidentUpdate
from heard.server.views import conversation_public
from heard.store import repo

router = APIRouter(include_in_schema=False)


def _text(form, name: str, *, required: bool = False, limit: int = 10_000) -> str | None:
    value = form.get(name)
    value = value.strip() if isinstance(value, str) else ""
    if required and not value:
        raise MalformedInput(f"{name.replace('_', ' ')}: write something first")
    if len(value) > limit:
        raise MalformedInput(f"{name.replace('_', ' ')}: at most {limit:,} characters")
    return value or None


def _back(cid: int, notice: str, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/conversations/{cid}?notice={notice}{anchor}", status_code=303)


@router.get("/", response_class=HTMLResponse)
def queue(request: Request, user: UserDep, db: DatabaseDep, status: str = "open") -> HTMLResponse:
    """Open conversations, the most upset and longest waiting first (resolved ones, newest first)."""
    status = "resolved" if status == "resolved" else "open"
    sort = "attention" if status == "open" else "updated"
    found = service.list_conversations(db, team_id=user.caller.team_id, status=status, sort=sort, limit=200)
    items = [
        conversation_public(row, ref, waiting_since=found.waiting.get(row.id)) for row, ref in found.rows
    ]
    listed = ConversationPage(items=items, total=found.total, limit=200, offset=0)
    return page(request, "queue.html", user=user, listed=listed, status=status)


@router.post("/conversations")
def start(user: UserDep, form: FormDep, db: DatabaseDep, settings: SettingsDep) -> RedirectResponse:
    """Open a conversation, with the customer's first message when one was pasted in."""
    channel = form.get("channel")
    row, _ = service.start_conversation(
        db,
        team_id=user.caller.team_id,
        customer=_text(form, "customer", limit=200),
        customer_name=_text(form, "customer_name", limit=200),
        subject=_text(form, "subject", limit=300),
        channel=channel if channel in ("chat", "email", "phone", "social") else "chat",
    )
    if first := _text(form, "message", limit=settings.max_message_chars):
        service.ingest_message(
            db, team_id=user.caller.team_id, conversation_id=row.id, role="customer", text=first
        )
    return _back(row.id, "created")


@router.get("/conversations/{conversation_id}", response_class=HTMLResponse)
def conversation(request: Request, conversation_id: int, user: UserDep, db: DatabaseDep) -> HTMLResponse:
    team_id = user.caller.team_id
    detail = conversation_detail(
        service.open_conversation(db, team_id=team_id, conversation_id=conversation_id)
    )
    resolved = detail.status == "resolved"
    card = (
        service.scorecard(db, team_id=team_id, conversation_id=conversation_id) if detail.timeline else None
    )
    current = detail.next_action.step if detail.next_action else "listen"
    return page(
        request,
        "conversation.html",
        user=user,
        c=detail,
        action=detail.next_action,
        suggestions=service.lines(db, team_id=team_id, conversation_id=conversation_id),
        offers=service.offers(db, team_id=team_id, conversation_id=conversation_id),
        trend=display.trend(detail.timeline),
        steps=display.steps(
            card,
            current,
            resolved=resolved,
            agent_replied=any(m.role == "agent" for m in detail.timeline),
        ),
        delay=_follow_up_delay(db, team_id),
    )


@router.get("/conversations/{conversation_id}/since")
def since(conversation_id: int, user: UserDep, db: DatabaseDep) -> JSONResponse:
    """How many messages and what status: the page's script polls this to offer a refresh."""
    c = service.open_conversation(db, team_id=user.caller.team_id, conversation_id=conversation_id).row
    return JSONResponse({"messages": c.messages, "status": c.status})


@router.post("/conversations/{conversation_id}/messages")
def add_message(
    conversation_id: int, user: UserDep, form: FormDep, db: DatabaseDep, settings: SettingsDep
) -> RedirectResponse:
    """Send the agent's reply, or log what the customer wrote (email, phone, another channel)."""
    role = "customer" if form.get("role") == "customer" else "agent"
    text = _text(form, "text", required=True, limit=settings.max_message_chars)
    check_length(text, settings.max_message_chars)
    service.ingest_message(
        db, team_id=user.caller.team_id, user_id=user.caller.user_id, conversation_id=conversation_id,
        role=role, text=text,
    )  # fmt: skip
    return _back(conversation_id, "sent" if role == "agent" else "logged", "#latest")


@router.post("/conversations/{conversation_id}/review", response_class=HTMLResponse)
def review(
    request: Request,
    conversation_id: int,
    user: UserDep,
    body: JsonDep,
    db: DatabaseDep,
    settings: SettingsDep,
) -> HTMLResponse:
    """The draft box's live review: findings with their spans and rewrites, as a fragment."""
    draft = body.get("draft")
    if not isinstance(draft, str) or not draft.strip():
        service.open_conversation(db, team_id=user.caller.team_id, conversation_id=conversation_id)  # yours?
        return templates().TemplateResponse(request, "_review.html", {"review": None, "draft": ""})
    check_length(draft, settings.max_message_chars)
    # The draft is judged as sent now: a burst that ended minutes ago is not interrupted by it.
    result = service.review_draft(
        db, team_id=user.caller.team_id, conversation_id=conversation_id, draft=draft, at=datetime.now(UTC)
    )
    return templates().TemplateResponse(request, "_review.html", {"review": result, "draft": draft})


@router.post("/conversations/{conversation_id}/resolve")
def resolve(conversation_id: int, user: UserDep, form: FormDep, db: DatabaseDep) -> RedirectResponse:
    """Resolve with the remedy given; the follow-up is scheduled after the hours chosen."""
    hours = _text(form, "follow_up_in_hours", limit=10)
    try:
        in_hours = float(hours) if hours else None
    except ValueError:
        raise MalformedInput("follow up in hours: give a number, such as 48") from None
    if in_hours is not None and not 0 <= in_hours <= 24 * 90:
        raise MalformedInput("follow up in hours: between 0 and 2160 (90 days)")
    done = service.resolve_conversation(
        db,
        team_id=user.caller.team_id,
        role=user.caller.role,
        conversation_id=conversation_id,
        remedy=_text(form, "remedy", limit=100),
        fixed=_text(form, "fixed", limit=500),
        root_cause=_text(form, "root_cause", limit=2000),
        follow_up_in_hours=in_hours,
    )
    return _back(conversation_id, "resolved_promised" if done.warnings else "resolved", "#follow-up")


@router.post("/follow-ups/{follow_up_id}")
def adjust_follow_up(follow_up_id: int, user: UserDep, form: FormDep, db: DatabaseDep) -> RedirectResponse:
    """Change when a scheduled follow-up goes and what it says."""
    due = _text(form, "due_at", limit=40)
    offset = _text(form, "tz_offset", limit=6) or "0"  # minutes east of UTC, from the page's script
    try:
        due_at = datetime.fromisoformat(due) if due else None
        minutes = int(offset)
    except ValueError:
        raise MalformedInput("due: give a date and time, such as 2026-03-04T10:00") from None
    if due_at is not None and due_at.tzinfo is None:
        due_at = (due_at - timedelta(minutes=minutes)).replace(tzinfo=UTC)
    updated = service.adjust_follow_up(
        db, team_id=user.caller.team_id, follow_up_id=follow_up_id, due_at=due_at,
        message=_text(form, "message", limit=5000),
    )  # fmt: skip
    return _back(updated.conversation_id, "adjusted", "#follow-up")


@router.post("/incidents/{incident_id}")
def edit_root_cause(incident_id: int, user: UserDep, form: FormDep, db: DatabaseDep) -> RedirectResponse:
    """Correct the incident's root cause (an agent or a lead; PATCH /v1/incidents/{id})."""
    body = IncidentUpdate(root_cause=_text(form, "root_cause", required=True, limit=2000) or "")
    incident, *_ = service.edit_root_cause(db, team_id=user.caller.team_id, incident_id=incident_id,
                                           root_cause=body.root_cause, user_id=user.caller.user_id)  # fmt: skip
    return _back(incident.conversation_id, "root_cause", "#incident")


def _follow_up_delay(db, team_id: int) -> float:
    with db.read() as session:
        return repo.get_team(session=session, team_id=team_id).follow_up_delay_hours
