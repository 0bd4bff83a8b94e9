"""Scripted trainees, written generically from a scenario: for tests, benchmarks and demos.

``skilled`` follows the playbook: waits for the burst to end, reflects (heard's own
reflection of the opening, then the scenario's point said back), apologises when owed, asks
the right questions, and offers what policy allows. ``poor`` does what the playbook warns
against: interrupts, says "calm down", quotes policy, blames, never apologises. ``no_questions``
is skilled but never asks, so never learns the hidden facts.

>>> from heard.simulate.scenario import load_scenarios
>>> p = run(load_scenarios()["retail_missed_sofa"], "medium", 1, skilled)
>>> p.ended
'resolved'
"""

from __future__ import annotations

from collections.abc import Callable

from heard.respond import apology, reflect
from heard.respond.solutions import solutions
from heard.simulate.practice import Practice
from heard.simulate.scenario import Scenario

Trainee = Callable[[Practice], tuple[str, float]]
_POOR = (
    "Calm down. That's our policy and there's nothing I can do about it.",
    "You should have read the terms. It's not my department.",
    "As I said, our policy is clear. Calm down and read the terms.",
    "That's not our fault. You should have checked before ordering.",
)


_REFLECTIONS = (
    "It sounds like you're upset because {point}.",
    "So it's really frustrating that {point}.",
    "I can hear how hard this has been: {point}.",
    "It sounds like you're exhausted by this, because {point}.",
)


def offer_line(scenario: Scenario) -> str:
    """What policy allows for what the customer wants, worded by ``heard.respond.solutions``."""
    amounts = [str(scenario.wants.amount)] if scenario.wants.amount else []
    offers = [
        s.text
        for s in solutions(scenario.category, scenario.policy, amounts=amounts)
        if s.kind in scenario.wants.kinds and not s.needs_approval
    ]
    return " ".join(offers)


def skilled(p: Practice) -> tuple[str, float]:
    """The playbook's reply at this point of the session, sent once the customer has finished."""
    sc, at = p.scenario, p.last_at + 40.0
    last = p.turns[-1] if p.turns else None
    said = {t.reply for t in p.turns}
    unheard = last is not None and {"wrong_reflection", "offer_early"} & set(last.events)
    if p.heard < p.level.needs_heard or unheard:
        if not p.turns:
            sorry = apology(list(sc.opening)).text + " " if sc.fault == "company" else ""
            return sorry + (reflect(list(sc.opening)).text or f"It sounds like {sc.point}."), at
        for line in _REFLECTIONS:
            if (text := line.format(point=sc.point)) not in said:
                return text, at
    asked = {h.id for h in sc.hidden if h.question in said}
    unrevealed = [h for h in sc.hidden if h.id not in p.revealed and h.id not in asked]
    if unrevealed:
        return unrevealed[0].question, at
    lead = (
        "I understand that on its own that isn't enough. "
        if p.rejected
        else "Thank you for telling me all that. "
    )
    return lead + offer_line(sc), at


def no_questions(p: Practice) -> tuple[str, float]:
    """Skilled, but never asks a question."""
    text, at = skilled(p)
    if text.endswith("?"):
        return "I'll make sure this is put right. " + offer_line(p.scenario), at
    return text, at


def poor(p: Practice) -> tuple[str, float]:
    """Defensive, interrupting, quoting policy, no apology: sent 3 s after the customer's last line."""
    return _POOR[len(p.turns) % len(_POOR)], p.last_at + 3.0


def run(scenario: Scenario, difficulty: str, seed: int, trainee: Trainee, *, turns: int = 30) -> Practice:
    """A whole session with a scripted trainee (until it ends, or ``turns`` replies)."""
    p = Practice.start(scenario, difficulty=difficulty, seed=seed)
    while p.ended is None and len(p.turns) < turns:
        text, at = trainee(p)
        p.reply(text, at=at)
    return p
