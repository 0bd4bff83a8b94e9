"""Whether each playbook step was done, missed or not needed over a conversation, with evidence.

The agent's messages are read for their acts (``heard.acts``), the customer's for upset,
complaint and fault (``heard.analyze``). A step is *needed* when the conversation calls for
it (an apology only when the customer holds the company at fault, empathy only when they
are upset, solutions and a follow-up only when there is a complaint).

A step counts as done only when the act happened toward this customer's problem, once they had
raised it: listening needs a reflection that says back what they told (shared words, or the
sentence encoder's ``heard.respond.hearing``), a reflection that names a feeling shows empathy
too, a question must ask about the problem (not "How are you?" or "Anything else?"), and
an apology, ownership, a solution or a follow-up before the customer said what was wrong
answers nothing. A step done only in part is ``partial``: a reflection that came only after
the solution, or an apology that names nothing of the problem when the company is at fault.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from collections.abc import Sequence
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from heard.playbook.steps import StepId
from heard.playbook.transcript import Transcript
from heard.respond import ActReading, questions
from heard.respond.acts import fired
from heard.respond.hearing import hearing
from heard.respond.review_checks import content_words, rules
from heard.understand import Analysis

Status = Literal["done", "missed", "not_needed"]
UPSET = ("upset", "angry", "furious")
_ACKNOWLEDGES = ("reflection", "acknowledgement", "empathy", "apology")
_EXPLAINS = ("information", "solution", "defensive", "question", "deflection", "blame")


class StepResult(BaseModel):
    """One playbook step over the conversation."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    step: StepId
    status: Status
    evidence: list[str] = Field(description="Quotes of what was said (#message number, from 1), or why.")
    partial: bool = Field(
        default=False,
        description="Done only in part (a reflection after the solution, an apology naming nothing): "
        "the scorecard gives it part of its weight.",
    )


def quote(n: int, text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return f'#{n}: "{text[:limit]}{"..." if len(text) > limit else ""}"'


_QUOTED = re.compile(r"#(\d+): ")


def done_in_order(steps: Sequence[StepResult]) -> list[StepId]:
    """The steps done, in the order first done: by the first message their evidence quotes.

    Steps done throughout rather than at a message (staying calm, not interrupting) come first;
    ties keep playbook order. Insights read this order ("reflected before offering a solution").
    """
    done = [s for s in steps if s.status == "done"]

    def first(s: StepResult) -> int:
        found = [int(m.group(1)) for e in s.evidence if (m := _QUOTED.match(e))]
        return min(found, default=0)

    return [s.step for s in sorted(done, key=first)]  # sorted is stable: ties in playbook order


@functools.cache
def scoring() -> dict:
    """The scorecard's data (``data/scoring.v1.yaml``): step weights, the outcome's weight and
    emotions, and the resignation and pleasantry patterns."""
    path = importlib.resources.files("heard.playbook") / "data" / "scoring.v1.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    data["resigned"] = re.compile(data["resigned"], re.I)
    data["pleasantry"] = re.compile(data["pleasantry"], re.I)
    return data


Agent = list[tuple[int, str, ActReading]]
Customer = list[tuple[int, Analysis]]


def _with(agent: Agent, *acts: str, after: int = 0) -> list[tuple[int, str, ActReading]]:
    """The agent messages after message ``after`` that do one of ``acts``, each with the
    sentence that does it most (the evidence to quote)."""
    found = []
    for n, _, r in agent:
        if n > after and max(r.acts[a] for a in acts) >= 0.5:
            best = max(r.sentences, key=lambda s: max(s.acts[a] for a in acts))
            found.append((n, best.text, r))
    return found


def _asks(agent: Agent, after: int) -> list[tuple[int, str, ActReading]]:
    """Questions about the problem after message ``after``: pleasantries do not count."""
    pleasantry = scoring()["pleasantry"]
    found = []
    for n, _, r in agent:
        asked = [s for s in r.sentences if s.acts["question"] >= 0.5 and not pleasantry.search(s.text)]
        if n > after and asked:
            found.append((n, asked[0].text, r))
    return found


def _result(step: StepId, found: list, *, needed: bool, why_not: str, missed: str) -> StepResult:
    if not needed:
        return StepResult(step=step, status="not_needed", evidence=[why_not])
    if found:
        return StepResult(step=step, status="done", evidence=[quote(n, text) for n, text, _ in found[:3]])
    return StepResult(step=step, status="missed", evidence=[missed])


def _about_problem(text: str, story: str | None) -> bool:
    """Does an agent sentence say back something of the customer's story?"""
    return story is not None and len(content_words(text) & content_words(story)) >= 2


def _heard(agent: Agent, story: str | None, after: int) -> list[tuple[int, str, ActReading]]:
    """Agent messages after ``after`` that say back the customer's story: a reflection about
    it, or listening sentences the sentence encoder finds close to it."""
    if story is None:
        return _with(agent, "reflection", after=after)
    found = []
    for n, _, r in agent:
        if n <= after:
            continue
        said = [s for s in r.sentences if s.acts["reflection"] >= 0.5 and _about_problem(s.text, story)]
        if said:
            found.append((n, said[0].text, r))
        elif (h := hearing(r, story, {}, content=content_words)).heard >= 0.6:
            found.append((n, r.sentences[h.listening[0]].text, r))
    return found


def _feels(agent: Agent, after: int) -> list[tuple[int, str, ActReading]]:
    """Empathy: an empathic sentence, or a reflection that names the feeling."""
    found = []
    for n, _, r in agent:
        if n <= after:
            continue
        s = next(
            (s for s in r.sentences if s.acts["empathy"] >= 0.5 or (
                s.acts["reflection"] >= 0.5 and {"feeling_word", "empathy_frame"} & fired(s.text))),
            None,
        )  # fmt: skip
        if s is not None and s.acts["dismissive"] < 0.5:
            found.append((n, s.text, r))
    return found


def _partial(result: StepResult, why: str) -> StepResult:
    return StepResult(step=result.step, status="done", evidence=[*result.evidence, why], partial=True)


def _heat(agent: Agent) -> list[tuple[int, str, ActReading]]:
    patterns = rules()["patterns"]
    hot = []
    for n, text, r in agent:
        spoken = any(patterns[p].search(text) for p in ("calm_down", "sarcasm", "capitals", "exclamations"))
        if spoken or max(r.acts["dismissive"], r.acts["blame"]) >= 0.5:
            hot.append((n, text, r))
    return hot


def judge_steps(t: Transcript, customer: Customer, agent: Agent, interruptions: list) -> list[StepResult]:
    complaint = next(((n, a) for n, a in customer if a.complaint is not None), None)
    first_upset = next((n for n, a in customer if a.level in UPSET), None)
    company_fault = any(a.fault == "company" for _, a in customer if a.complaint is not None)
    timed = all(m.at is not None for m in t.messages)
    trouble = complaint is not None or first_upset is not None
    start = (
        min(n for n in (first_upset, complaint[0] if complaint else None) if n is not None) if trouble else 0
    )
    steps = []

    hot = _heat(agent)
    if not agent:  # nothing the agent said to judge: neither done nor missed
        steps.append(
            StepResult(step="stay_calm", status="not_needed", evidence=["the agent has not replied"])
        )
    elif hot:
        steps.append(
            StepResult(step="stay_calm", status="missed", evidence=[quote(n, text) for n, text, _ in hot[:3]])
        )
    else:
        steps.append(
            StepResult(step="stay_calm", status="done", evidence=["no capitals, sarcasm, blame or dismissal"])
        )
    own_story = _with(agent, "self_disclosure")
    story = (
        "\n".join(
            t.messages[n - 1].text for n, a in customer if n >= start and (a.complaint or a.level in UPSET)
        )
        or None
    )
    heard = _heard(agent, story, start)
    listen = _result(
        "listen", heard, needed=trouble,
        why_not="the customer raised no problem", missed="the agent never said back what the customer told them",
    )  # fmt: skip
    fixes = _with(agent, "solution", after=start)
    if heard and fixes and fixes[0][0] < heard[0][0]:  # advice first, listening after
        listen = _partial(listen, f"but only after offering a solution at {quote(*fixes[0][:2])}")
    if own_story and listen.status == "done":
        listen = StepResult(
            step="listen",
            status="done",
            evidence=listen.evidence + [f"but the agent's own story at {quote(*own_story[0][:2])}"],
        )
    steps.append(listen)

    first_reply = next(((n, text, r) for n, text, r in agent if n > (first_upset or 0)), None)
    acknowledged = []
    if first_upset is not None and first_reply is not None:
        _, _, r = first_reply
        ack = next(
            (k for k, s in enumerate(r.sentences) if max(s.acts[a] for a in _ACKNOWLEDGES) >= 0.5), None
        )
        other = next((k for k, s in enumerate(r.sentences) if max(s.acts[a] for a in _EXPLAINS) >= 0.5), None)
        if ack is not None and (other is None or ack <= other):
            acknowledged = [first_reply]
    steps.append(
        _result(
            "acknowledge", acknowledged, needed=first_upset is not None,
            why_not="the customer was never upset",
            missed=f"the first reply to the upset customer (after #{first_upset}) did not acknowledge before explaining",
        )
    )  # fmt: skip

    apologies = [
        (n, text, r)
        for n, text, r in _with(agent, "apology", after=start)
        if not any("non_apology" in fired(s.text) for s in r.sentences)
    ]
    non = [(n, text) for n, text, r in agent if any("non_apology" in fired(s.text) for s in r.sentences)]
    apologise = _result(
        "apologise", apologies, needed=company_fault, why_not="the customer did not hold the company at fault",
        missed="the company was at fault and the agent never apologised",
    )  # fmt: skip
    if (
        apologies
        and company_fault
        and story is not None
        and not any(_about_problem(text, story) or r.acts["reflection"] >= 0.5 for _, text, r in apologies)
    ):
        apologise = _partial(apologise, "but the apology names nothing of what went wrong")
    if non and apologise.status == "missed":
        apologise = StepResult(
            step="apologise", status="missed", evidence=[f"a non-apology: {quote(*non[0])}"]
        )
    steps.append(apologise)

    missing = questions("", analysis=complaint[1]) if complaint else []
    steps.append(
        _result(
            "ask_details", _asks(agent, start), needed=bool(missing),
            why_not="nothing was missing to resolve the case" if complaint else "the customer raised no problem",
            missed=f"details were missing ({', '.join(q.asks_for for q in missing)}) and the agent asked nothing",
        )
    )  # fmt: skip
    steps.append(
        _result(
            "show_empathy", _feels(agent, start), needed=first_upset is not None,
            why_not="the customer was never upset", missed="the agent never showed empathy",
        )
    )  # fmt: skip
    if not timed:
        steps.append(
            StepResult(
                step="avoid_interruptions",
                status="not_needed",
                evidence=["the transcript has no times: interruptions cannot be measured"],
            )
        )
    elif interruptions:
        steps.append(
            StepResult(
                step="avoid_interruptions",
                status="missed",
                evidence=[quote(i.message, i.text) for i in interruptions[:3]],
            )
        )
    elif not agent:
        steps.append(
            StepResult(
                step="avoid_interruptions", status="not_needed", evidence=["the agent has not replied"]
            )
        )
    else:
        steps.append(
            StepResult(
                step="avoid_interruptions", status="done", evidence=["the agent never cut into the customer"]
            )
        )

    passed = _with(agent, "blame", "deflection")
    if complaint is not None and passed:
        steps.append(
            StepResult(
                step="take_responsibility",
                status="missed",
                evidence=[quote(n, text) for n, text, _ in passed[:3]],
            )
        )
    else:
        steps.append(
            _result(
                "take_responsibility", _with(agent, "ownership", after=start), needed=complaint is not None,
                why_not="the customer raised no problem", missed="the agent never owned the problem (\"I will ...\")",
            )
        )  # fmt: skip
    for step, act, missed in (
        ("offer_solutions", "solution", "the agent offered nothing to put it right"),
        ("follow_up", "follow_up", "the agent never promised to check back"),
    ):
        steps.append(
            _result(
                step,
                _with(agent, act, after=start),
                needed=complaint is not None,
                why_not="the customer raised no problem",
                missed=missed,
            )  # type: ignore[arg-type]
        )
    steps.append(
        StepResult(
            step="learn",
            status="not_needed",
            evidence=["done after the conversation: the incident is recorded for insights"],
        )
    )
    return steps
