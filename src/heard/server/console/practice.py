"""The Practice page: pick a scenario and a difficulty, talk with a simulated customer, watch
the mood meter move with each reply (and why), and read the debrief when it ends. Each view
parses the form, calls the same ``heard.service.practice`` function as the JSON routes, and
renders; the page is plain forms and works without the console's script."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from heard.errors import Conflict, HeardError, MalformedInput
from heard.server.console.render import page
from heard.server.console.session import FormDep, LeadDep, UserDep
from heard.server.deps import DatabaseDep, SettingsDep
from heard.server.routes.practice import debrief_public
from heard.server.views import practice_detail, practice_public
from heard.service import practice

router = APIRouter(prefix="/practice", include_in_schema=False)
RECENT = 20  # the trainee's sessions listed on the Practice page


def _field(form, name: str, limit: int) -> str:
    value = form.get(name)
    value = value.strip() if isinstance(value, str) else ""
    if not value:
        raise MalformedInput(f"{name}: choose or write one first")
    if len(value) > limit:
        raise MalformedInput(f"{name}: at most {limit:,} characters")
    return value


@router.get("", response_class=HTMLResponse)
def choose(request: Request, user: UserDep, db: DatabaseDep) -> HTMLResponse:
    """The scenarios to practise, and the trainee's own sessions."""
    return _choose(request, user, db)


def _choose(request: Request, user, db, problem: str | None = None, status: int = 200) -> HTMLResponse:
    caller = user.caller
    mine = practice.list_practice(
        db, team_id=caller.team_id, user_id=caller.user_id, role="agent", limit=RECENT
    )
    return page(
        request,
        "practice_list.html",
        http_status=status,
        user=user,
        scenarios=practice.scenarios(db, team_id=caller.team_id),
        sessions=[practice_public(row, name) for row, name in mine.rows],
        total=mine.total,
        problem=problem,
    )


@router.post("/scenarios", response_class=HTMLResponse, response_model=None)
async def add_scenario(
    request: Request, user: LeadDep, form: FormDep, db: DatabaseDep, settings: SettingsDep
) -> HTMLResponse | RedirectResponse:
    """A lead adds the team's own scenario from a YAML file (as POST /v1/practice/scenarios)."""
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _choose(request, user, db, "Choose a scenario file (.yaml) first.", 422)
    data = await upload.read(settings.max_scenario_bytes + 1)
    if len(data) > settings.max_scenario_bytes:
        return _choose(
            request, user, db, f"The file is over {settings.max_scenario_bytes:,} bytes; trim it.", 413
        )
    try:
        text = data.decode("utf-8")
        await run_in_threadpool(
            practice.add_scenario, db, team_id=user.caller.team_id, source=text, added_by=user.name
        )
    except UnicodeDecodeError as e:
        return _choose(request, user, db, f"The file is not UTF-8 (byte {e.start}); save it as UTF-8.", 422)
    except HeardError as e:
        return _choose(request, user, db, f"[{e.code}] {e.detail}", 409 if isinstance(e, Conflict) else 422)
    return RedirectResponse("/practice?notice=scenario_added", status_code=303)


@router.post("")
def start(user: UserDep, form: FormDep, db: DatabaseDep) -> RedirectResponse:
    started = practice.start_practice(
        db, team_id=user.caller.team_id, user_id=user.caller.user_id, scenario=_field(form, "scenario", 100),
        difficulty=_field(form, "difficulty", 10),
    )  # fmt: skip
    return RedirectResponse(f"/practice/{started.row.id}", status_code=303)


@router.get("/{session_id}", response_class=HTMLResponse)
def session_page(request: Request, session_id: int, user: UserDep, db: DatabaseDep) -> HTMLResponse:
    c = user.caller
    rebuilt = practice.open_practice(
        db, team_id=c.team_id, user_id=c.user_id, role=c.role, session_id=session_id
    )
    detail = practice_detail(rebuilt)
    last = detail.turns[-1] if detail.turns else None
    # The customer's lines come at their times, as in a live chat: the page's script shows each
    # when it is due (without the script every line shows at once).
    elapsed = round((datetime.now(UTC) - rebuilt.row.started_at).total_seconds(), 1)
    lines = [*detail.opening, *(line for t in detail.turns for line in t.customer)]
    debrief = debrief_public(rebuilt.practice.debrief()) if rebuilt.ended and rebuilt.turns else None
    return page(
        request,
        "practice.html",
        user=user,
        s=detail,
        scenario=rebuilt.scenario,
        mine=rebuilt.row.user_id == c.user_id,
        last=last,
        elapsed=elapsed,
        quiet_at=rebuilt.quiet_at,
        burst="over"
        if rebuilt.ended or rebuilt.quiet_at <= elapsed
        else ("arriving" if any(line.at > elapsed for line in lines) else "venting"),
        moved=_moved(last),
        debrief=debrief,
        # the right questions for the facts the trainee never asked about
        unasked=[h.question for h in rebuilt.scenario.hidden if debrief and h.id in debrief.missed_facts],
    )


def _moved(turn) -> dict[str, float]:
    """How far the last reply moved each part of the mood (the meter's +/- marks)."""
    moved: dict[str, float] = {}
    for change in turn.changes if turn else []:
        moved[change.what] = moved.get(change.what, 0.0) + change.delta
    return moved


@router.post("/{session_id}/replies")
def reply(session_id: int, user: UserDep, form: FormDep, db: DatabaseDep) -> RedirectResponse:
    text = form.get("text")
    practice.reply_practice(
        db, team_id=user.caller.team_id, user_id=user.caller.user_id, session_id=session_id,
        text=text if isinstance(text, str) else "",
    )  # fmt: skip
    return RedirectResponse(f"/practice/{session_id}#latest", status_code=303)


@router.post("/{session_id}/stop")
def stop(session_id: int, user: UserDep, form: FormDep, db: DatabaseDep) -> RedirectResponse:
    practice.stop_practice(
        db, team_id=user.caller.team_id, user_id=user.caller.user_id, session_id=session_id
    )
    return RedirectResponse(f"/practice/{session_id}#debrief", status_code=303)
