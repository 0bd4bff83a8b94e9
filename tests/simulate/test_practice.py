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


def test_a_learned_fact_is_a_turning_point_in_the_customers_words() -> None:
    sc = SCENARIOS["retail_missed_sofa"]
    p = run(sc, "easy", 7, skilled)
    told = [what for _, what in p.debrief().turning_points if "right question" in what]
    assert told and all(h.id not in " ".join(told) for h in sc.hidden)
    assert any(h.fact in " ".join(told) for h in sc.hidden)


def test_same_seed_and_replies_give_the_same_session() -> None:
    sc = SCENARIOS["retail_missed_sofa"]
    a = run(sc, "hard", 3, skilled)
    b = Practice.replay(sc, "hard", 3, a.replies)
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


def test_a_scenario_may_make_its_hard_customer_harder() -> None:
    import yaml

    from heard.simulate import parse_scenario

    sc = SCENARIOS["retail_missed_sofa"]
    data = sc.model_dump(mode="json")
    data["levels"] = {"hard": {"needs_heard": 3}}
    harder = parse_scenario(yaml.safe_dump(data))
    a, b = run(sc, "hard", 4, skilled), run(harder, "hard", 4, skilled)
    assert b.ended == "resolved" and b.heard >= 3 and len(b.turns) > len(a.turns)


def test_a_question_asks_for_a_hidden_fact_by_its_words_or_its_meaning() -> None:
    sc = SCENARIOS["retail_missed_sofa"]
    by_words = Practice.start(sc, seed=1).reply("Did this happen before?", at=200)
    by_meaning = Practice.start(sc, seed=1).reply("What day works best for the delivery?", at=200)
    unrelated = Practice.start(sc, seed=1).reply("What colour is the sofa?", at=200)
    statement = Practice.start(sc, seed=1).reply("This has happened before, I know.", at=200)
    assert by_words.revealed == ["second_miss"] and "second time" in by_words.customer[0].text
    assert by_meaning.revealed == ["weekday_only"]
    assert unrelated.revealed == [] and "asked_other" in unrelated.events
    assert statement.revealed == []


def test_a_wrong_reflection_is_corrected_with_the_real_point() -> None:
    sc = SCENARIOS["retail_missed_sofa"]
    p = Practice.start(sc, difficulty="medium", seed=2)
    t = p.reply("It sounds like you're upset because the sofa arrived damaged.", at=p.last_at + 40)
    assert "wrong_reflection" in t.events and "good_reflection" not in t.events
    assert sc.correction in t.customer[0].text
    assert p.heard == 0


def test_a_fair_offer_before_they_feel_heard_is_turned_away() -> None:
    from heard.simulate.trainees import offer_line

    sc = SCENARIOS["banking_double_charge"]
    p = Practice.start(sc, difficulty="medium", seed=2)
    t = p.reply(offer_line(sc), at=p.last_at + 40)
    assert "offer_early" in t.events and "apology_missing" in t.events and t.ended is None


def test_a_hard_customer_turns_down_the_first_fair_offer_then_accepts() -> None:
    sc = SCENARIOS["retail_missed_sofa"]
    p = run(sc, "hard", 5, skilled)
    offers = [t for t in p.turns if {"offer_rejected", "offer_accepted"} & set(t.events)]
    assert [("offer_rejected" in t.events) for t in offers] == [True, False]
    assert p.heard >= 2


def test_an_offer_beyond_policy_is_not_accepted() -> None:
    sc = SCENARIOS["retail_missed_sofa"]
    p = run(sc, "easy", 5, skilled, turns=3)  # heard, both facts asked
    t = p.reply("I'll refund you 400 EUR right now.", at=p.last_at + 40)
    assert "offer_beyond_policy" in t.events and t.ended is None


def test_an_angry_customer_sends_a_burst() -> None:
    p = Practice.start(SCENARIOS["travel_flight_cancelled"], difficulty="hard", seed=3)
    t = p.reply("You should have booked an earlier flight.", at=p.last_at + 40)
    assert t.mood.anger >= 0.8 and len(t.customer) >= 2
    assert all(a.at < b.at for a, b in zip(t.customer, t.customer[1:], strict=False))


@pytest.mark.parametrize("at", [-1, float("nan"), float("inf"), "soon", True])
def test_a_bad_time_is_refused_with_what_to_send(at) -> None:
    p = Practice.start(SCENARIOS["retail_missed_sofa"], seed=1)
    with pytest.raises(InvalidTranscript, match="seconds from the session's start"):
        p.reply("I hear you.", at=at)


def test_unknown_difficulty_or_seed_is_a_scenario_error() -> None:
    from heard.simulate import ScenarioError

    with pytest.raises(ScenarioError, match="difficulty must be one of easy, medium, hard"):
        Practice.start(SCENARIOS["retail_missed_sofa"], difficulty="brutal")
    with pytest.raises(ScenarioError, match="seed must be a whole number"):
        Practice.start(SCENARIOS["retail_missed_sofa"], seed="7")


def test_a_trainee_who_never_moves_things_on_is_abandoned() -> None:
    p = Practice.start(SCENARIOS["software_auto_renewal"], difficulty="medium", seed=4)
    for k in range(30):
        t = p.reply(f"Can you confirm the name of your company, part {k}?", at=p.last_at + 40)
        if t.ended:
            break
    assert p.ended == "abandoned" and len(p.turns) == p.level.patience
    assert any(c.event == "asked_other" or c.event == "stalled" for t in p.turns for c in t.changes)
