"""Practice tests: the scenario they practise and a team scenario's YAML, from what heard ships."""

from __future__ import annotations

import importlib.resources
import re

import pytest

from tests.practice import standin


@pytest.fixture(autouse=True)
def simulate(monkeypatch):
    standin.install(monkeypatch)
    import heard.simulate

    return heard.simulate


@pytest.fixture
def scenario_id(simulate) -> str:
    return sorted(simulate.load_scenarios())[0]


@pytest.fixture
def team_yaml(simulate, scenario_id) -> str:
    """A valid scenario of the team's own: a shipped file under a new id."""
    folder = importlib.resources.files("heard.simulate") / "data" / "scenarios"
    if folder.is_dir():
        shipped = next(p for p in folder.iterdir() if p.name.startswith(scenario_id + "."))
        text = shipped.read_text("utf-8")
    else:
        import yaml

        text = yaml.safe_dump(simulate.load_scenarios()[scenario_id].model_dump(mode="json"))
    return re.sub(r"(?m)^id: .*$", "id: our_own_case", text, count=1)
