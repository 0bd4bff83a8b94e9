"""Practice as use cases, on SQLite and PostgreSQL: start, reply, replay, stop, debrief, the
lead's figures, team scenarios, and the bad inputs each refuses with what to change."""

from __future__ import annotations

import pytest

from heard.errors import (
    Conflict,
    EmptyText,
    MalformedInput,
    NotAllowed,
    RecordNotFound,
    ScenarioError,
    TooLarge,
)
from heard.service import practice
from heard.simulate.trainees import poor, skilled
from heard.store import repo


@pytest.fixture
def team(db):
    with db.write() as session:
        t = repo.create_team(session=session, name="practice-team")
        trainee = repo.create_user(session=session, team_id=t.id, name="sam", role="agent")
        other = repo.create_user(session=session, team_id=t.id, name="kim", role="agent")
        lead = repo.create_user(session=session, team_id=t.id, name="lee", role="lead")
        elsewhere = repo.create_team(session=session, name="other-team")
        stranger = repo.create_user(session=session, team_id=elsewhere.id, name="sam", role="lead")
        return {"team": t.id, "sam": trainee.id, "kim": other.id, "lee": lead.id,
                "other_team": elsewhere.id, "stranger": stranger.id}  # fmt: skip


def _start(db, team, scenario_id, seed=7, difficulty="medium"):
    return practice.start_practice(
        db, team_id=team["team"], user_id=team["sam"], scenario=scenario_id, difficulty=difficulty, seed=seed
    )


def test_practice_skilled_trainee_resolves_and_the_session_replays(db, team, scenario_id) -> None:
    started = _start(db, team, scenario_id)
    assert started.practice.opening and started.row.turns == 0
    turns = []
    while not turns or not turns[-1].ended:
        text, at = skilled(started.practice)  # the script reads the session as it stands
        s, turn = practice.reply_practice(
            db, team_id=team["team"], user_id=team["sam"], session_id=started.row.id, text=text, at=at
        )
        started.practice.reply(text, at=at)
        turns.append(turn)
        assert s.row.turns == len(turns) and turn.changes
    assert turns[-1].ended == "resolved" and s.row.outcome == "resolved" and s.row.score is not None
    opened = practice.open_practice(
        db, team_id=team["team"], user_id=team["sam"], role="agent", session_id=started.row.id
    )
    assert [t.model_dump() for t in opened.turns] == [t.model_dump() for t in turns]
    assert opened.row.mood == turns[-1].mood.model_dump(mode="json")
    assert opened.practice.debrief().scorecard.score == s.row.score


def test_practice_stop_then_debrief_and_figures(db, team, scenario_id) -> None:
    started = _start(db, team, scenario_id)
    sid = started.row.id
    with pytest.raises(Conflict, match="still going"):
        practice.debrief(db, team_id=team["team"], user_id=team["sam"], role="agent", session_id=sid)
    text, at = poor(started.practice)
    s = practice.reply_practice(
        db, team_id=team["team"], user_id=team["sam"], session_id=sid, text=text, at=at
    )[0]
    assert s.turns[-1].mood.anger > started.practice.start_mood.anger  # "calm down" angers them
    if not s.ended:
        s = practice.stop_practice(db, team_id=team["team"], user_id=team["sam"], session_id=sid)
        assert s.row.outcome == "stopped"
    assert s.row.score is not None and s.row.missed
    d = practice.debrief(db, team_id=team["team"], user_id=team["lee"], role="lead", session_id=sid)
    assert d.scorecard.score == s.row.score
    with pytest.raises(Conflict, match="has ended"):
        practice.reply_practice(db, team_id=team["team"], user_id=team["sam"], session_id=sid, text="Hello?")
    [record] = practice.by_trainee(db, team_id=team["team"])
    assert (record.name, record.sessions, record.ended, record.scores) == ("sam", 1, 1, [s.row.score])
    assert list(record.weeks.values()) == [(1, s.row.score)]
    assert {step for step, _ in record.weakest} == set(s.row.missed)


def test_practice_sessions_are_kept_apart(db, team, scenario_id) -> None:
    sid = _start(db, team, scenario_id).row.id
    with pytest.raises(RecordNotFound):
        practice.open_practice(
            db, team_id=team["other_team"], user_id=team["stranger"], role="lead", session_id=sid
        )
    with pytest.raises(NotAllowed):  # another trainee of the same team
        practice.open_practice(db, team_id=team["team"], user_id=team["kim"], role="agent", session_id=sid)
    with pytest.raises(NotAllowed):  # a lead reads it but does not reply in it
        practice.reply_practice(db, team_id=team["team"], user_id=team["lee"], session_id=sid, text="Hi")
    assert (
        practice.list_practice(db, team_id=team["team"], user_id=team["kim"], role="agent", limit=10).total
        == 0
    )
    assert (
        practice.list_practice(db, team_id=team["team"], user_id=team["lee"], role="lead", limit=10).total
        == 1
    )
    with pytest.raises(NotAllowed):
        practice.list_practice(db, team_id=team["team"], user_id=team["kim"], role="agent", limit=10,
                               trainee=team["sam"])  # fmt: skip


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"scenario": "no_such_case"}, MalformedInput, "no scenario"),
        ({"difficulty": "brutal"}, MalformedInput, "difficulty"),
        ({"seed": -1}, MalformedInput, "seed"),
    ],
)
def test_practice_start_refuses(db, team, scenario_id, kwargs, error, words) -> None:
    args = {"scenario": scenario_id, "difficulty": "easy", "seed": 1} | kwargs
    with pytest.raises(error, match=words):
        practice.start_practice(db, team_id=team["team"], user_id=team["sam"], **args)


@pytest.mark.parametrize(
    ("text", "at", "error"),
    [("   \u200b ", None, EmptyText), ("word " * 1000, None, TooLarge), ("Hello", -5.0, MalformedInput)],
)
def test_practice_reply_refuses(db, team, scenario_id, text, at, error) -> None:
    sid = _start(db, team, scenario_id).row.id
    with pytest.raises(error):
        practice.reply_practice(
            db, team_id=team["team"], user_id=team["sam"], session_id=sid, text=text, at=at
        )
    assert practice.open_practice(db, team_id=team["team"], user_id=team["sam"], role="agent",
                                  session_id=sid).row.turns == 0  # fmt: skip


def test_practice_reply_goes_forward_in_time(db, team, scenario_id) -> None:
    sid = _start(db, team, scenario_id).row.id
    practice.reply_practice(db, team_id=team["team"], user_id=team["sam"], session_id=sid,
                            text="I'm sorry to hear that. What happened?", at=40.0)  # fmt: skip
    with pytest.raises(MalformedInput, match="before the previous reply"):
        practice.reply_practice(
            db, team_id=team["team"], user_id=team["sam"], session_id=sid, text="Ok", at=10.0
        )


def test_team_scenario_is_added_and_practised(db, team, team_yaml) -> None:
    info = practice.add_scenario(db, team_id=team["team"], source=team_yaml, added_by="lee")
    assert (info.id, info.source) == ("our_own_case", "team")
    ids = {s.id: s.source for s in practice.scenarios(db, team_id=team["team"])}
    assert ids["our_own_case"] == "team"
    assert "our_own_case" not in {s.id for s in practice.scenarios(db, team_id=team["other_team"])}
    s = _start(db, team, "our_own_case")
    assert s.row.scenario_source == team_yaml
    # Replacing the team's scenario leaves the session as it began.
    practice.add_scenario(db, team_id=team["team"], source=team_yaml.replace("title:", "title: New", 1))
    again = practice.open_practice(
        db, team_id=team["team"], user_id=team["sam"], role="agent", session_id=s.row.id
    )
    assert again.scenario.title == s.scenario.title


def test_team_scenario_refuses_bad_files(db, team, team_yaml, scenario_id) -> None:
    with pytest.raises(ScenarioError, match="YAML"):
        practice.add_scenario(db, team_id=team["team"], source="id: [unclosed")
    with pytest.raises(ScenarioError, match="persona"):
        practice.add_scenario(db, team_id=team["team"], source="id: our_case\ntitle: A case\n")
    with pytest.raises(EmptyText):
        practice.add_scenario(db, team_id=team["team"], source="  \n")
    with pytest.raises(Conflict, match="heard's own"):
        practice.add_scenario(db, team_id=team["team"], source=team_yaml.replace("our_own_case", scenario_id))
