"""Practice with simulated customers as use cases: the scenarios a team can practise, start a
session, reply, stop, the debrief, a trainee's sessions, the lead's figures per trainee, and
adding a team's own scenario.

A session is stored as what ``heard.simulate.Practice.replay`` needs (scenario, difficulty,
seed, the trainee's replies with their times) and rebuilt from it on every read: the simulated
customer, the mood and the debrief are the engine's, never kept twice. Summary figures (the
outcome, the last mood, the score and the steps missed) are stored too, so the lead's view reads
them without replaying every session. Each reply is redacted (as the team says) before the
customer hears it, so what is stored is exactly what was simulated.
"""

from __future__ import annotations

import logging
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

import heard
from heard.errors import Conflict, EmptyText, MalformedInput, NotAllowed, ScenarioError, TooLarge
from heard.playbook import playbook_steps
from heard.service.messages import visible
from heard.simulate import Debrief, Practice, PracticeTurn, Scenario, load_scenarios, parse_scenario
from heard.store import Database, optimistic_attempts, repo
from heard.store import practice as store
from heard.store.tables import PracticeSessionRow
from heard.understand.conversation import QUIET, interrupts, to_messages
from heard.understand.pii import redact

log = logging.getLogger("heard.service")

DIFFICULTIES = ("easy", "medium", "hard")
MAX_REPLY_CHARS = 2_000  # a chat reply; a longer text is not one turn of a conversation
MAX_TURNS = 60  # replies in one session: a conversation that long is stuck, not practice
MAX_SEED = 2**31 - 1
ENDINGS = ("resolved", "escalated", "abandoned", "stopped")  # stopped: the trainee ended it
RANK = {"agent": 0, "lead": 1, "admin": 2}


@dataclass(frozen=True)
class ScenarioInfo:
    """A scenario a team can practise: one of heard's (shipped) or one of its own (team)."""

    id: str
    title: str
    domain: str | None
    difficulties: tuple[str, ...]
    source: str  # shipped | team
    added_by: str | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class PracticeSession:
    """A stored session rebuilt: its row, the trainee's name, the scenario, the simulation as it
    stands, and each reply's turn in order."""

    row: PracticeSessionRow
    trainee: str
    scenario: Scenario
    practice: Practice
    turns: list[PracticeTurn]

    @property
    def ended(self) -> bool:
        return self.row.outcome is not None

    @property
    def quiet_at(self) -> float:
        """From when (seconds since the session began) a reply no longer cuts into the customer's
        burst, by the one interruption rule the engine reads replies with: when their last line
        arrives if that settles it (a question, a single line), else once they have been quiet."""
        messages = to_messages(self.practice.transcript)
        last = messages[-1].at or 0.0
        return last + QUIET if interrupts(messages, at=last) else last


# --- scenarios ---------------------------------------------------------------------------


def _info(sc: Scenario, source: str, **extra) -> ScenarioInfo:
    return ScenarioInfo(id=sc.id, title=sc.title, domain=sc.domain,
                        difficulties=tuple(sc.difficulties), source=source, **extra)  # fmt: skip


def scenarios(db: Database, *, team_id: int) -> list[ScenarioInfo]:
    """Every scenario the team can practise: heard's own, then the team's, each by id."""
    shipped = [_info(sc, "shipped") for _, sc in sorted(load_scenarios().items())]
    with db.read() as session:
        rows = store.team_scenarios(session=session, team_id=team_id)
    own = []
    for row in rows:
        try:
            sc = parse_scenario(row.source)
        except ScenarioError:  # valid when added; a newer heard may read it otherwise
            log.warning("team scenario %s no longer validates", row.id)
            continue
        own.append(_info(sc, "team", added_by=row.added_by, updated_at=row.updated_at))
    return shipped + own


def add_scenario(db: Database, *, team_id: int, source: str, added_by: str | None = None) -> ScenarioInfo:
    """Add the team's own scenario (YAML, validated by ``heard.simulate.parse_scenario``), or
    replace the team's one with the same id. Sessions already practised keep the version they
    began with. An id of heard's own scenarios is refused: choose another."""
    if not source.strip():
        raise EmptyText("the scenario file is empty; send the scenario's YAML (docs/practice.md)")
    sc = parse_scenario(source)
    if sc.id in load_scenarios():
        raise Conflict(f"{sc.id!r} is the id of one of heard's own scenarios; give yours another id")
    with db.write() as session:
        row, _ = store.put_team_scenario(
            session=session, team_id=team_id, scenario_id=sc.id, title=sc.title,
            domain=sc.domain, source=source, added_by=added_by,
        )  # fmt: skip
        return _info(sc, "team", added_by=row.added_by, updated_at=row.updated_at)


def _scenario_for(session, team_id: int, scenario_id: str) -> tuple[Scenario, str | None]:
    """The scenario with this id and, for a team's own, its YAML (kept with the session)."""
    shipped = load_scenarios()
    if scenario_id in shipped:
        return shipped[scenario_id], None
    row = store.team_scenario(session=session, team_id=team_id, scenario_id=scenario_id)
    if row is None:
        known = ", ".join(sorted(shipped)[:8])
        raise MalformedInput(
            f"scenario: there is no scenario {scenario_id[:100]!r}; choose one GET /v1/practice/scenarios "
            f"lists (such as {known})"
        )
    return parse_scenario(row.source), row.source


def _scenario_of(row: PracticeSessionRow) -> Scenario:
    if row.scenario_source is not None:
        return parse_scenario(row.scenario_source)
    shipped = load_scenarios()
    if row.scenario_id not in shipped:
        raise Conflict(
            f"practice session {row.id} used scenario {row.scenario_id!r}, which this version of heard "
            "no longer ships; it cannot be rebuilt"
        )
    return shipped[row.scenario_id]


# --- sessions ----------------------------------------------------------------------------


def _rebuild(row: PracticeSessionRow, trainee: str) -> PracticeSession:
    """The session as the engine replays it: the same seed and replies give the same session."""
    scenario = _scenario_of(row)
    practice = Practice.start(scenario, difficulty=row.difficulty, seed=row.seed)
    turns = [practice.reply(text, at=at) for text, at in row.replies]
    return PracticeSession(row=row, trainee=trainee, scenario=scenario, practice=practice, turns=turns)


def start_practice(
    db: Database, *, team_id: int, user_id: int, scenario: str, difficulty: str, seed: int | None = None
) -> PracticeSession:
    """Start a session for the trainee ``user_id`` (a random seed unless one is given)."""
    if difficulty not in DIFFICULTIES:
        raise MalformedInput(f"difficulty: choose one of {', '.join(DIFFICULTIES)}")
    if seed is not None and not 0 <= seed <= MAX_SEED:
        raise MalformedInput(f"seed: a whole number from 0 to {MAX_SEED}, or leave it out")
    with db.read() as session:
        sc, source = _scenario_for(session, team_id, scenario)
    if difficulty not in sc.difficulties:
        raise MalformedInput(f"difficulty: scenario {sc.id!r} has {', '.join(sc.difficulties)}")
    seed = secrets.randbelow(MAX_SEED + 1) if seed is None else seed
    practice = Practice.start(sc, difficulty=difficulty, seed=seed)
    with db.write() as session:
        row = store.add_session(
            session=session, team_id=team_id, user_id=user_id, scenario_id=sc.id, scenario_title=sc.title,
            scenario_source=source, difficulty=difficulty, seed=seed, replies=[], turns=0,
            mood=_mood_of(practice), produced_by={"heard": heard.__version__},
        )  # fmt: skip
        trainee = repo.user_name(session=session, user_id=user_id) or ""
    return PracticeSession(row=row, trainee=trainee, scenario=sc, practice=practice, turns=[])


def _mood_of(practice: Practice) -> dict:
    return practice.mood.model_dump(mode="json")


def _seen_by(row: PracticeSessionRow, user_id: int, role: str) -> None:
    """A trainee sees their own sessions; a lead or admin sees the team's."""
    if row.user_id != user_id and RANK[role] < RANK["lead"]:
        raise NotAllowed(
            f"practice session {row.id} is another trainee's; agents see their own, leads see the team's"
        )


def open_practice(db: Database, *, team_id: int, user_id: int, role: str, session_id: int) -> PracticeSession:
    """A session, rebuilt by replaying its replies."""
    with db.read() as session:
        row = store.get_session(session=session, team_id=team_id, session_id=session_id)
        _seen_by(row, user_id, role)
        trainee = repo.user_name(session=session, user_id=row.user_id) or ""
    return _rebuild(row, trainee)


def _reply_text(text: str) -> str:
    if not isinstance(text, str) or not visible(text):
        raise EmptyText("the reply has no visible text; write what you would say to the customer")
    if len(text) > MAX_REPLY_CHARS:
        raise TooLarge(
            f"the reply is {len(text):,} characters; a practice reply is at most {MAX_REPLY_CHARS:,} "
            "(one chat message): say it in fewer words"
        )
    return text


def _refuse_if_over(row: PracticeSessionRow, user_id: int) -> None:
    if row.user_id != user_id:
        raise NotAllowed(f"practice session {row.id} is another trainee's; only they can reply in it")
    if row.outcome is not None:
        raise Conflict(
            f"practice session {row.id} has ended ({row.outcome}); read its debrief, or start a new one"
        )
    if row.turns >= MAX_TURNS:
        raise Conflict(f"practice session {row.id} has {MAX_TURNS} replies, the most one takes; stop it")


def reply_practice(
    db: Database, *, team_id: int, user_id: int, session_id: int, text: str, at: float | None = None
) -> tuple[PracticeSession, PracticeTurn]:
    """The trainee's next reply, ``at`` seconds into the session (default: by the clock since it
    began); the customer's answer, the mood and why it moved. The session ends when the turn
    ends it, and then its score and the steps missed are kept for the lead's view."""
    text = _reply_text(text)
    for _ in optimistic_attempts():
        with db.read() as session:
            row = store.get_session(session=session, team_id=team_id, session_id=session_id)
            _refuse_if_over(row, user_id)
            team = repo.get_team(session=session, team_id=team_id)
            trainee = repo.user_name(session=session, user_id=row.user_id) or ""
        said = redact(text).text if team.redact_pii else text
        rebuilt = _rebuild(row, trainee)
        when = _when(row, rebuilt.practice, at)
        turn = rebuilt.practice.reply(said, at=when)
        with db.write() as session:
            fresh = store.get_session(
                session=session, team_id=team_id, session_id=session_id, for_update=True
            )
            if fresh.version != row.version:
                continue  # another reply landed meanwhile: replay with it
            fresh.replies = [*fresh.replies, [said, when]]
            fresh.turns = len(fresh.replies)
            fresh.mood = turn.mood.model_dump(mode="json")
            if turn.ended:
                _end(fresh, rebuilt.practice, turn.ended)
            fresh.version += 1
            fresh.updated_at = datetime.now(UTC)
            done = PracticeSession(fresh, trainee, rebuilt.scenario, rebuilt.practice, [*rebuilt.turns, turn])
        return done, turn
    raise Conflict("the session changed too often while this reply was read; send it again")


LONGEST_PAUSE = 3_600.0  # seconds: a reply after a longer break is read as sent this long after


def _when(row: PracticeSessionRow, practice: Practice, at: float | None) -> float:
    """When the reply is sent, in seconds since the session began. By default the clock's: a
    reply while the customer's burst is still arriving cuts into it, as in a live chat (the
    engine reads it so); a session picked up after a long break goes on where it was."""
    last = row.replies[-1][1] if row.replies else 0.0
    if at is None:
        spoken = practice.transcript[-1]["at"] or 0.0
        elapsed = (datetime.now(UTC) - row.started_at).total_seconds()
        at = max(min(elapsed, spoken + LONGEST_PAUSE), last)
    if not 0 <= at <= 7 * 24 * 3600:
        raise MalformedInput("at: seconds since the session began, from 0 to a week")
    if at < last:
        raise MalformedInput(
            f"at: {at:g} s is before the previous reply ({last:g} s); replies go forward in time"
        )
    return round(float(at), 3)


def _end(row: PracticeSessionRow, practice: Practice, outcome: str) -> None:
    """Close the session and keep its summary: the debrief's score and the steps it missed."""
    row.outcome, row.ended_at = outcome, datetime.now(UTC)
    if not row.replies:
        return  # nothing the trainee said to score
    card = practice.debrief().scorecard
    row.score = card.score
    row.missed = [s.step for s in card.steps if s.status == "missed"]


def stop_practice(db: Database, *, team_id: int, user_id: int, session_id: int) -> PracticeSession:
    """The trainee ends the session before the customer did (outcome ``stopped``)."""
    with db.read() as session:
        row = store.get_session(session=session, team_id=team_id, session_id=session_id)
        _refuse_if_over(row, user_id)
        trainee = repo.user_name(session=session, user_id=row.user_id) or ""
    rebuilt = _rebuild(row, trainee)
    with db.write() as session:
        fresh = store.get_session(session=session, team_id=team_id, session_id=session_id, for_update=True)
        if fresh.version != row.version or fresh.outcome is not None:
            raise Conflict(f"practice session {row.id} changed meanwhile; reload it and stop it again")
        _end(fresh, rebuilt.practice, "stopped")
        fresh.version += 1
        fresh.updated_at = datetime.now(UTC)
        return PracticeSession(fresh, trainee, rebuilt.scenario, rebuilt.practice, rebuilt.turns)


def debrief(db: Database, *, team_id: int, user_id: int, role: str, session_id: int) -> Debrief:
    """The ended session's debrief: the scorecard, the turning points, a tip per missed step."""
    rebuilt = open_practice(db, team_id=team_id, user_id=user_id, role=role, session_id=session_id)
    if not rebuilt.ended:
        raise Conflict(
            f"practice session {session_id} is still going; the debrief comes when it ends "
            f"(POST /v1/practice/sessions/{session_id}/stop ends it now)"
        )
    if not rebuilt.turns:
        raise Conflict(f"practice session {session_id} ended before any reply; there is nothing to debrief")
    return rebuilt.practice.debrief()


@dataclass(frozen=True)
class Listed:
    rows: list[tuple[PracticeSessionRow, str]]
    total: int


def list_practice(
    db: Database, *, team_id: int, user_id: int, role: str, limit: int, offset: int = 0,
    trainee: int | None = None,
) -> Listed:  # fmt: skip
    """A page of sessions, newest first: the caller's own, or (a lead's) the team's or one trainee's."""
    if trainee is not None and trainee != user_id and RANK[role] < RANK["lead"]:
        raise NotAllowed("agents list their own practice sessions; a lead's key lists another trainee's")
    if RANK[role] < RANK["lead"]:
        trainee = user_id
    with db.read() as session:
        rows, total = store.list_sessions(
            session=session, team_id=team_id, limit=limit, offset=offset, user_id=trainee
        )
    return Listed(rows, total)


# --- the lead's figures --------------------------------------------------------------------


@dataclass
class TraineeRecord:
    """One trainee's practice: sessions, outcomes, scores by week, the steps most often missed."""

    user_id: int
    name: str
    sessions: int = 0
    ended: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    scores: list[int] = field(default_factory=list)  # ended sessions' scores, oldest first
    weeks: dict[str, tuple[int, int]] = field(default_factory=dict)  # ISO week: (sessions scored, mean score)
    weakest: list[tuple[str, int]] = field(default_factory=list)  # step, sessions that missed it
    last_at: datetime | None = None

    @property
    def mean_score(self) -> int | None:
        return round(sum(self.scores) / len(self.scores)) if self.scores else None


def by_trainee(db: Database, *, team_id: int, sessions: int = 1_000) -> list[TraineeRecord]:
    """The team's last ``sessions`` practice sessions by trainee, most sessions first."""
    with db.read() as session:
        rows, _ = store.list_sessions(session=session, team_id=team_id, limit=sessions)
    order = {s.id: i for i, s in enumerate(playbook_steps())}
    records: dict[int, TraineeRecord] = {}
    missed: dict[int, Counter] = {}
    week_scores: dict[int, dict[str, list[int]]] = {}
    for row, name in reversed(rows):  # oldest first: scores read in the order they came
        r = records.setdefault(row.user_id, TraineeRecord(row.user_id, name))
        r.sessions += 1
        r.last_at = max(r.last_at or row.started_at, row.started_at)
        if row.outcome is None:
            continue
        r.ended += 1
        r.outcomes[row.outcome] = r.outcomes.get(row.outcome, 0) + 1
        if row.score is not None:
            r.scores.append(row.score)
            week = "{}-W{:02d}".format(*row.started_at.isocalendar()[:2])
            week_scores.setdefault(row.user_id, {}).setdefault(week, []).append(row.score)
        missed.setdefault(row.user_id, Counter()).update(row.missed or [])
    for uid, r in records.items():
        r.weeks = {w: (len(s), round(sum(s) / len(s))) for w, s in sorted(week_scores.get(uid, {}).items())}
        counts = missed.get(uid, Counter())
        r.weakest = sorted(counts.items(), key=lambda kv: (-kv[1], order.get(kv[0], 99)))
    return sorted(records.values(), key=lambda r: (-r.sessions, r.name))
