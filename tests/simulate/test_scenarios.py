"""Scenario files: every shipped one validates; a bad one gets a clear ScenarioError."""

import importlib.resources

import pytest
import yaml

from heard.simulate import DOMAINS, ScenarioError, load_scenarios, parse_scenario

FOLDER = importlib.resources.files("heard.simulate") / "data" / "scenarios"
FILES = sorted(p.name for p in FOLDER.iterdir() if p.name.endswith(".yaml"))


def shipped(name: str) -> dict:
    return yaml.safe_load((FOLDER / name).read_text("utf-8"))


@pytest.mark.parametrize("name", FILES)
def test_every_scenario_file_validates(name: str) -> None:
    sc = parse_scenario((FOLDER / name).read_text("utf-8"))
    assert name == f"{sc.id}.v1.yaml"
    assert any(w in sc.point.lower() for w in sc.point_words), "the point should use its own point words"
    for h in sc.hidden:
        assert any(w in h.question.lower() for w in h.asked_by), f"{h.id}: its question should ask for it"


def test_at_least_fifteen_scenarios_cover_every_domain() -> None:
    scenarios = load_scenarios()
    assert len(scenarios) >= 15
    assert {s.domain for s in scenarios.values()} == set(DOMAINS)


def test_not_yaml_names_the_line() -> None:
    with pytest.raises(ScenarioError, match=r"not valid YAML at line 2"):
        parse_scenario("id: a\ntitle: x: y\n")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(colour="red"), r"colour: unknown field; remove it"),
        (lambda d: d.pop("persona"), r"missing persona: add them"),
        (
            lambda d: d["hidden"][0].update(asked_by=[]),
            r"hidden\[0\]\.asked_by: List should have at least 1 item",
        ),
        (lambda d: d.update(domain="shoes"), r"domain: Input should be 'retail_delivery'"),
        (lambda d: d["mood"].update(anger=3), r"mood\.anger: Input should be less than or equal to 1"),
        (
            lambda d: d["wants"].update(kinds=["discount"]),
            r"wants\.kinds \['discount'\] has nothing the policy allows",
        ),
        (
            lambda d: d.update(lines={"confirm": ["Yes, {colour}."]}),
            r"lines\.confirm: .* unknown slots \['colour'\]",
        ),
        (lambda d: d.update(point_words=[25, "fee"]), r"point_words\[0\]: .*quote it in the YAML"),
        (
            lambda d: d["policy"]["remedies"][0].update(kind="cash"),
            r"policy\.remedies\[0\]\.kind: Input should be",
        ),
    ],
)
def test_a_wrong_field_is_named_with_what_to_change(change, message: str) -> None:
    data = shipped("retail_missed_sofa.v1.yaml")
    change(data)
    with pytest.raises(ScenarioError, match=message) as e:
        parse_scenario(yaml.safe_dump(data))
    assert str(e.value).startswith("[H113] ")


@pytest.mark.parametrize("text", ["", "just words", "- a\n- list"])
def test_not_a_mapping_says_what_a_scenario_is(text: str) -> None:
    with pytest.raises(ScenarioError, match="a scenario is a YAML mapping"):
        parse_scenario(text)


def test_a_team_scenario_round_trips() -> None:
    data = shipped("banking_double_charge.v1.yaml")
    data.update(id="our_own_case", title="Our own case")
    sc = parse_scenario(yaml.safe_dump(data))
    assert sc.id == "our_own_case" and sc.policy.currency == "EUR"
