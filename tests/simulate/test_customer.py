"""The simulated customer's lines: every event and mood has lines, and none repeats in a session."""

import random

import pytest

from heard.simulate import Practice, load_scenarios
from heard.simulate.customer import ANSWERS, Voice, bank, templates
from heard.simulate.mood import BANDS, rules

SCENARIOS = load_scenarios()
SPOKEN = (*ANSWERS, "reveal", "accept", "escalate", "abandon")


@pytest.mark.parametrize("event", SPOKEN)
@pytest.mark.parametrize("band", BANDS)
def test_every_event_has_lines_in_every_mood(event: str, band: str) -> None:
    for sc in SCENARIOS.values():
        assert templates(sc, event, band), (sc.id, event, band)


def test_vent_lines_exist_when_upset_or_angry() -> None:
    assert bank().events["vent"]["upset"] and bank().events["vent"]["angry"]


def test_every_mood_event_has_a_reason() -> None:
    assert all(rule.reason for rule in rules().events.values())


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_thirty_lines_of_one_event_never_repeat(scenario: str) -> None:
    sc = SCENARIOS[scenario]
    for event in SPOKEN:
        for band in BANDS:
            voice = Voice(sc, random.Random(1))
            fact = sc.hidden[0].fact
            lines = [voice.line(event, band, fact=fact) for _ in range(30)]
            assert len(set(lines)) == 30, (event, band)


EMPATHY = (
    "That sounds really hard, and I'm glad you told me.",
    "I can see why that would upset anyone.",
    "Thank you for explaining it so clearly.",
    "That must have been so stressful.",
    "I understand how frustrating this is.",
    "What else happened after that?",
)


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
@pytest.mark.parametrize("difficulty", ["easy", "hard"])
def test_a_thirty_turn_session_never_repeats_a_line(scenario: str, difficulty: str) -> None:
    p = Practice.start(SCENARIOS[scenario], difficulty=difficulty, seed=11)
    for k in range(30):
        # Quick replies now and then: bursts and interruptions, without driving them away.
        at = p.last_at + (4 if k % 7 == 3 else 45)
        p.reply(EMPATHY[k % len(EMPATHY)], at=at)
        if p.ended:
            break
    said = [m["text"] for m in p.transcript if m["role"] == "customer"]
    assert len(p.turns) == 30 or p.ended
    assert len(said) == len(set(said)), [s for s in said if said.count(s) > 1]


def test_a_scenario_s_own_lines_are_said_first() -> None:
    sc = SCENARIOS["retail_missed_sofa"]
    voice = Voice(sc, random.Random(3))
    assert (
        voice.line("accept", "calm")
        == "Okay. Saturday morning and the fee back. Thank you, that's all I wanted."
    )
    assert voice.line("escalate", "angry").endswith("over order 48213.")
    assert voice.line("accept", "calm") in bank().events["accept"]["any"]


def test_every_event_the_session_reads_has_a_rule_and_an_answer() -> None:
    from heard.simulate.practice import _ANSWER_OF
    from heard.simulate.reading import _FINDING_EVENTS

    events = set(rules().events)
    assert set(_FINDING_EVENTS.values()) <= events
    assert set(_ANSWER_OF) <= events
    assert set(_ANSWER_OF.values()) <= set(ANSWERS)
    assert set(ANSWERS) <= set(bank().events)
