"""A practice session: the mood moves with what the trainee does, deterministically."""

import pytest

from heard.errors import Conflict, EmptyText, InvalidTranscript
from heard.simulate import Debrief, Practice, load_scenarios
from heard.simulate.trainees import no_questions, poor, run, skilled

SCENARIOS = load_scenarios()
CASES = [(sid, d) for sid, sc in SCENARIOS.items() for d in sc.difficulties]


@pytest.mark.parametrize(("scenario", "difficulty"), CASES)
def test_skilled_trainee_resolves_every_scenario(scenario: str, difficulty: str) -> None:
    p = run(SCENARIOS[scenario], difficulty, 7, skilled)
    assert p.ended == "resolved", [(t.reply, t.events) for t in p.turns]
    assert set(p.revealed) == {h.id for h in SCENARIOS[scenario].hidden}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_poor_trainee_escalates_every_hard_scenario(scenario: str) -> None:
    p = run(SCENARIOS[scenario], "hard", 7, poor)
    assert p.ended == "escalated"
    assert "manager" in p.turns[-1].customer[-1].text
    assert "interrupted" in p.turns[0].events


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_trainee_who_never_asks_learns_no_hidden_fact(scenario: str) -> None:
    p = run(SCENARIOS[scenario], "medium", 7, no_questions)
    assert p.revealed == []
    said = " ".join(m["text"] for m in p.transcript if m["role"] == "customer").lower()
    for h in SCENARIOS[scenario].hidden:
        assert h.fact.lower()[:-1] not in said


def test_same_seed_and_replies_give_the_same_session() -> None:
    sc = SCENARIOS["retail_missed_sofa"]
    a = run(sc, "hard", 3, skilled)
    b = Practice.replay(sc, "hard", 3, [(t.reply, t.at) for t in a.turns])
    assert b.transcript == a.transcript
    assert [t.mood for t in b.turns] == [t.mood for t in a.turns]


def test_each_mood_change_carries_its_reason() -> None:
    p = Practice.start(SCENARIOS["retail_missed_sofa"], difficulty="medium", seed=1)
    t = p.reply("Calm down, you should have checked the tracking.", at=p.last_at + 40)
    assert t.mood.anger > p.start_mood.anger
    assert any(c.what == "anger" and c.delta > 0 and "calm down" in c.reason for c in t.changes)


def test_a_reply_mid_burst_is_an_interruption_and_a_late_one_is_not() -> None:
    sc = SCENARIOS["retail_missed_sofa"]
    early = Practice.start(sc, seed=1).reply("I see.", at=Practice.start(sc, seed=1).last_at + 2)
    late = Practice.start(sc, seed=1).reply("I see.", at=Practice.start(sc, seed=1).last_at + 90)
    assert "interrupted" in early.events and "interrupted" not in late.events


def test_debrief_has_the_scorecard_turning_points_and_tips() -> None:
    p = run(SCENARIOS["banking_double_charge"], "hard", 2, poor)
    d = p.debrief()
    assert isinstance(d, Debrief)
    assert 0 <= d.scorecard.score <= 100
    assert d.turning_points and d.turning_points[-1][1] == "the customer escalated"
    tips = {t.step: t for t in d.tips}
    assert "apologise" in tips and tips["apologise"].better_line.startswith("I'm sorry")
    assert "listen" in tips and tips["listen"].better_line


def test_bad_replies_get_clear_errors() -> None:
    p = Practice.start(SCENARIOS["retail_missed_sofa"], seed=1)
    with pytest.raises(EmptyText):
        p.reply("   ")
    p.reply("I'm listening.", at=100)
    with pytest.raises(InvalidTranscript, match="before your previous reply"):
        p.reply("Hello?", at=50)
    ended = run(SCENARIOS["retail_missed_sofa"], "hard", 1, poor)
    with pytest.raises(Conflict, match="ended"):
        ended.reply("Sorry.")
