"""Every data file shipped beside the code loads and has the shape its reader expects."""

import json
from importlib.resources import files

import yaml

from heard.understand import EMOTIONS, LEVELS


def test_cue_lexicon_compiles() -> None:
    from heard.language.cues import _lexicon

    lex = _lexicon()
    assert lex.version == "cues.v1" and lex.kinds and lex.upset_words


def test_upset_rules_name_real_emotions_and_levels() -> None:
    rules = yaml.safe_load((files("heard.understand") / "data" / "upset.v1.yaml").read_text("utf-8"))
    assert set(rules["emotions"]) <= set(EMOTIONS)
    assert tuple(rules["levels"]) == LEVELS


def test_feeling_rules_use_known_levels_and_emotions() -> None:
    rules = yaml.safe_load((files("heard.understand") / "data" / "feelings.v1.yaml").read_text("utf-8"))[
        "rules"
    ]
    for rule in rules:
        assert rule["min_level"] in LEVELS
        assert set(rule.get("emotions", {})) <= set(EMOTIONS)


def test_thresholds_cover_every_label() -> None:
    data = json.loads(
        (files("heard.understand") / "models" / "emotions" / "thresholds.json").read_text("utf-8")
    )
    assert set(data["thresholds"]) == set(EMOTIONS)
    assert all(0 < t < 1 for t in data["thresholds"].values())


def test_playbook_steps_are_numbered_in_order_and_match_their_ids() -> None:
    from typing import get_args

    from heard.playbook import StepId, playbook_steps

    steps = playbook_steps()
    assert [s.number for s in steps] == list(range(1, 12))
    assert [s.id for s in steps] == list(get_args(StepId))
