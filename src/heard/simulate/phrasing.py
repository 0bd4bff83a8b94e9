"""The optional phrasing tier: an OpenAI-compatible endpoint varies the customer's wording.

Only where a team configures one (base URL and model). Every generated line is checked: it
adds no facts (numbers, money, dates, names or references the scenario and the offline line
do not hold), stays in persona (about as long as the offline line, no agent-like phrasing),
and the offline line is said instead whenever the endpoint is off, slow, failing or wrong.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field

from heard.simulate.scenario import Scenario

# Agent-like phrasing a customer would not say.
_AGENT = re.compile(
    r"\b(?:as an ai|language model|how (?:can|may) i (?:help|assist)|i understand your frustration"
    r"|thank you for (?:contacting|reaching out)|i apologi[sz]e for the inconvenience|our policy|"
    r"is there anything else)\b",
    re.I,
)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]{2,}\b")


class Phrasing(BaseModel):
    """Where to ask for varied wording (a team's settings)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    base_url: str = Field(
        pattern=r"^https?://\S+$", description="The endpoint's base URL, e.g. http://127.0.0.1:8080/v1."
    )
    model: str = Field(min_length=1)
    api_key: str | None = Field(default=None, repr=False)
    timeout: float = Field(default=2.0, gt=0, le=30, description="Seconds before the offline line is said.")


def check(line: str, offline: str, scenario: Scenario) -> str | None:
    """Why a generated ``line`` may not replace ``offline`` (None: it may)."""
    text = line.strip().strip('"').strip()
    if not text:
        return "empty"
    if len(text) > 2 * len(offline) + 40 or "\n" in text:
        return "too long for this customer"
    if _AGENT.search(text):
        return "sounds like an agent, not the customer"
    known = " ".join([offline, *scenario.opening, *scenario.facts.values(), *scenario.gripes,
                      *(h.fact for h in scenario.hidden), scenario.wants.text, scenario.persona.name])  # fmt: skip
    numbers = set(_NUMBER.findall(known))
    if new := [n for n in _NUMBER.findall(text) if n not in numbers]:
        return f"adds a number or amount not in the scenario: {new[0]}"
    names = set(re.findall(r"\b[A-Z][a-z]{2,}\b", known))
    if new := [n for n in _NAME.findall(text) if n not in names and n.lower() not in known.lower()]:
        return f"adds a name not in the scenario: {new[0]}"
    return None


def rephrase(offline: str, scenario: Scenario, phrasing: Phrasing) -> str:
    """The endpoint's wording of ``offline`` when it passes ``check``; else ``offline``."""
    import httpx  # only where a team configured an endpoint

    prompt = (
        f"You are {scenario.persona.name}, a customer: {scenario.persona.situation}. "
        f"You talk like this: {scenario.persona.voice}. Reword the line below in your own voice. "
        "Keep its meaning, add no new facts, numbers, dates or names, one or two short sentences, "
        "and answer with the line only.\n\n" + offline
    )
    headers = {"Authorization": f"Bearer {phrasing.api_key}"} if phrasing.api_key else {}
    try:
        response = httpx.post(
            phrasing.base_url.rstrip("/") + "/chat/completions",
            json={
                "model": phrasing.model,
                "messages": [{"role": "user", "content": prompt}],
                "temperature": 0.7,
                "max_tokens": 80,
            },  # fmt: skip
            headers=headers,
            timeout=phrasing.timeout,
        )
        response.raise_for_status()
        line = response.json()["choices"][0]["message"]["content"]
    except (httpx.HTTPError, httpx.InvalidURL, ValueError, KeyError, IndexError, TypeError):
        return offline
    if not isinstance(line, str) or check(line, offline, scenario) is not None:
        return offline
    return line.strip().strip('"').strip()
