"""Practice tests: the scenario they practise and a team scenario's YAML, from what heard ships."""

from __future__ import annotations

import importlib.resources
import re

import pytest

from heard.simulate import load_scenarios

SCENARIO = "retail_missed_sofa"  # a shipped scenario: the company is at fault, two hidden facts


@pytest.fixture
def scenario_id() -> str:
    assert SCENARIO in load_scenarios()
    return SCENARIO


@pytest.fixture
def team_yaml(scenario_id) -> str:
    """A valid scenario of the team's own: a shipped file under a new id."""
    folder = importlib.resources.files("heard.simulate") / "data" / "scenarios"
    text = (folder / f"{scenario_id}.v1.yaml").read_text("utf-8")
    return re.sub(r"(?m)^id: .*$", "id: our_own_case", text, count=1)
