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


def test_labelled_replies_use_known_acts_and_cut_where_the_runtime_cuts() -> None:
    from heard.language import sentence_spans
    from heard.respond.acts import ACTS

    seen: set[str] = set()
    total = 0
    for part in ("replies.train.jsonl", "replies.heldout.jsonl"):
        for line in (files("heard.bench") / "data" / part).read_text("utf-8").splitlines():
            row = json.loads(line)
            total += 1
            assert row["id"] not in seen and row["channel"] in {"chat", "email", "phone", "social", "sms"}
            seen.add(row["id"])
            assert set(row["acts"]) <= set(ACTS), row["id"]
            spans = sentence_spans(row["text"])
            assert [row["text"][a:b] for a, b in spans] == [s["text"] for s in row["sentences"]], row["id"]
            for s in row["sentences"]:
                assert set(s["acts"]) <= set(ACTS)
                # an open or a closed question is a question
                assert ("question" in s["acts"]) == bool(
                    {"question_open", "question_closed"} & set(s["acts"])
                )
    assert total >= 400


def test_act_cues_compile_and_the_act_model_matches_them() -> None:
    from heard.respond.acts import ACTS, EMBEDDING_SIZE, cue_names, load_act_model

    model = load_act_model()
    assert model.acts == list(ACTS)
    assert model.weights.shape == (len(ACTS), EMBEDDING_SIZE + len(cue_names()))
