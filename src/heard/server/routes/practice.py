"""Practice with simulated customers (docs/practice.md): the scenarios, sessions (start, reply,
read, stop, debrief, list), a lead's figures per trainee, and a team's own scenario (YAML).

Each route calls one ``heard.service.practice`` function; the simulated customer, the mood
and the debrief are ``heard.simulate``'s, rebuilt from the stored replies."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from heard.errors import MalformedInput, TooLarge
from heard.server.deps import CallerDep, DatabaseDep, SettingsDep
from heard.server.limits import read_bounded
from heard.server.schemas import (
    DebriefPublic,
    PracticeCreate,
    PracticeReplyCreate,
    PracticeReplyResult,
    PracticeSessionDetail,
    PracticeSessionPage,
    ScenarioPublic,
    TraineePublic,
)
from heard.server.views import practice_detail, practice_public, practice_turn
from heard.service import practice
from heard.simulate import Debrief
from heard.store import repo

router = APIRouter(prefix="/practice", tags=["practice"])
YAML_BODY = {
    "requestBody": {
        "required": True,
        "description": "The scenario as YAML (docs/practice.md lists its fields).",
        "content": {"application/yaml": {"schema": {"type": "string"}}},
    }
}


@router.get("/scenarios", response_model=list[ScenarioPublic])
def list_scenarios(caller: CallerDep, db: DatabaseDep) -> list[ScenarioPublic]:
    """Every scenario your team can practise: heard's own, then your team's."""
    return [ScenarioPublic.model_validate(s) for s in practice.scenarios(db, team_id=caller.team_id)]


async def _yaml_body(request: Request, limit: int) -> str:
    """The raw body, refused (413) past ``limit``: YAML costs far more to parse than its size says."""
    too_large = TooLarge(
        f"the scenario is over {limit:,} bytes (HEARD_MAX_SCENARIO_BYTES); a scenario is lines and facts, "
        "not data: trim it"
    )
    body = await read_bounded(request, limit, too_large)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise MalformedInput(f"the scenario is not UTF-8 (byte {e.start}); save it as UTF-8") from None


@router.post("/scenarios", response_model=ScenarioPublic, status_code=201, openapi_extra=YAML_BODY)
async def add_scenario(
    caller: CallerDep, db: DatabaseDep, settings: SettingsDep, request: Request
) -> ScenarioPublic:
    """Add your team's own scenario, or replace yours with the same id (a lead's or admin's key).
    An invalid file changes nothing and answers 422 naming the field and what to change."""
    caller.require("lead")
    source = await _yaml_body(request, settings.max_scenario_bytes)
    added = await run_in_threadpool(_add, db, caller, source)
    return ScenarioPublic.model_validate(added)


def _add(db, caller, source: str):
    with db.read() as session:
        name = repo.user_name(session=session, user_id=caller.user_id)
    return practice.add_scenario(db, team_id=caller.team_id, source=source, added_by=name)


@router.post("/sessions", response_model=PracticeSessionDetail, status_code=201)
def start_session(body: PracticeCreate, caller: CallerDep, db: DatabaseDep) -> PracticeSessionDetail:
    """Start practising: the customer's opening burst and their mood. You are the trainee."""
    started = practice.start_practice(
        db, team_id=caller.team_id, user_id=caller.user_id, scenario=body.scenario,
        difficulty=body.difficulty, seed=body.seed,
    )  # fmt: skip
    return practice_detail(started)


@router.get("/sessions", response_model=PracticeSessionPage)
def list_sessions(
    caller: CallerDep,
    db: DatabaseDep,
    trainee: Annotated[int | None, Query(ge=1, description="A trainee's user id (a lead's key).")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> PracticeSessionPage:
    """Your practice sessions, newest first; a lead's key lists the team's (or one trainee's)."""
    found = practice.list_practice(
        db, team_id=caller.team_id, user_id=caller.user_id, role=caller.role, limit=limit, offset=offset,
        trainee=trainee,
    )  # fmt: skip
    items = [practice_public(row, name) for row, name in found.rows]
    return PracticeSessionPage(items=items, total=found.total, limit=limit, offset=offset)


@router.get("/sessions/{session_id}", response_model=PracticeSessionDetail)
def get_session(session_id: int, caller: CallerDep, db: DatabaseDep) -> PracticeSessionDetail:
    """A session with every turn: the reply, the customer's answer, the mood and why it moved."""
    return practice_detail(
        practice.open_practice(
            db, team_id=caller.team_id, user_id=caller.user_id, role=caller.role, session_id=session_id
        )
    )


@router.post("/sessions/{session_id}/replies", response_model=PracticeReplyResult)
def reply(
    session_id: int, body: PracticeReplyCreate, caller: CallerDep, db: DatabaseDep
) -> PracticeReplyResult:
    """Your next reply: the customer's answer, the mood and why it moved, and whether it ended
    (then the debrief is ready). 409 once the session has ended."""
    done, turn = practice.reply_practice(
        db, team_id=caller.team_id, user_id=caller.user_id, session_id=session_id, text=body.text,
        at=None if body.at is None else float(body.at),
    )  # fmt: skip
    shown = practice_turn(turn)
    return PracticeReplyResult(**shown.model_dump(), session=practice_public(done.row, done.trainee))


@router.post("/sessions/{session_id}/stop", response_model=PracticeSessionDetail)
def stop_session(session_id: int, caller: CallerDep, db: DatabaseDep) -> PracticeSessionDetail:
    """End the session before the customer does (outcome ``stopped``); the debrief is then ready."""
    return practice_detail(
        practice.stop_practice(db, team_id=caller.team_id, user_id=caller.user_id, session_id=session_id)
    )


@router.get("/sessions/{session_id}/debrief", response_model=DebriefPublic)
def get_debrief(session_id: int, caller: CallerDep, db: DatabaseDep) -> DebriefPublic:
    """The ended session's debrief: the scorecard (heard.score_conversation of the transcript),
    the turning points and one tip per missed step with a better line. 409 while it goes on."""
    d = practice.debrief(db, team_id=caller.team_id, user_id=caller.user_id, role=caller.role,
                         session_id=session_id)  # fmt: skip
    return debrief_public(d)


def debrief_public(d: Debrief) -> DebriefPublic:
    points = [{"turn": turn, "what": what} for turn, what in d.turning_points]
    return DebriefPublic.model_validate({
        "scorecard": d.scorecard, "turning_points": points, "tips": [t.model_dump() for t in d.tips],
        "revealed": d.revealed, "missed_facts": d.missed_facts,
    })  # fmt: skip


@router.get("/trainees", response_model=list[TraineePublic])
def trainees(caller: CallerDep, db: DatabaseDep) -> list[TraineePublic]:
    """Each trainee's practice (a lead's key): sessions, outcomes, mean score, scores by week and
    the steps most often missed, most sessions first."""
    caller.require("lead")
    return [
        TraineePublic.model_validate(r, from_attributes=True)  # mean_score is the record's property
        for r in practice.by_trainee(db, team_id=caller.team_id)
    ]
