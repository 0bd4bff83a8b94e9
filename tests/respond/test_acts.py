import json
from pathlib import Path

import pytest

import heard
from heard.bench.acts import bench_heldout
from heard.respond.acts import ACTS, read_acts

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
EXAMPLES = [json.loads(line) for line in (FIXTURES / "reply_acts.jsonl").read_text("utf-8").splitlines()]


def present(text: str) -> set[str]:
    return {k for k, v in heard.acts(text).items() if v >= 0.5}


def test_acts_gives_every_act_as_a_probability() -> None:
    a = heard.acts("I'm so sorry, that must have been awful. What happened next?")
    assert tuple(a) == ACTS
    assert all(0.0 <= v <= 1.0 for v in a.values())
    design = {"reflection", "question", "apology", "empathy", "ownership", "solution", "information",
              "self_disclosure", "defensive", "dismissive", "blame", "follow_up"}  # fmt: skip
    assert design <= set(a)
    assert {"apology", "empathy", "question", "question_open"} <= present(
        "I'm so sorry, that must have been awful. What happened next?"
    )


@pytest.mark.parametrize(
    ("reply", "absent", "expected"),
    [
        ("I understand, but that's our policy.", {"empathy", "acknowledgement"}, {"defensive"}),
        ("I understand. But the driver did arrive within the window.", {"empathy", "acknowledgement"}, set()),
        ("I'm sorry you feel that way.", {"apology", "empathy"}, {"dismissive"}),
        ("I apologise if you felt our email was unclear.", {"apology"}, set()),
        ("Sorry, could you repeat your postcode?", {"apology"}, {"question_closed"}),
        ("You should have read the terms.", set(), {"blame"}),
        ("You should have received an email from us yesterday.", {"blame"}, set()),
        ("What do you expect me to do about it?", {"question", "question_open"}, {"dismissive"}),
        ("Calm down, the movers are not our fault.", {"ownership", "empathy"}, {"dismissive"}),
    ],
)
def test_acts_hard_negatives(reply: str, absent: set[str], expected: set[str]) -> None:
    found = present(reply)
    assert not (found & absent), found
    assert expected <= found, found


def test_acts_read_most_written_examples_as_labelled() -> None:
    """Replies written for the tests (not in the training set): each labelled act is found."""
    missed = [(e["text"], act) for e in EXAMPLES for act in e["acts"] if act not in present(e["text"])]
    assert len(missed) <= len(EXAMPLES) // 10, missed


def test_acts_tell_open_from_closed_questions() -> None:
    assert "question_open" in present("How did the engineer leave things?")
    assert "question_open" not in present("Did the engineer turn up on time?")
    assert "question_closed" in present("Did the engineer turn up on time?")


def test_read_acts_gives_each_sentence_with_its_span() -> None:
    reply = "I'm so sorry we charged you twice.  I've refunded the extra £40.\nIs there anything else?"
    reading = read_acts(reply)
    assert [reply[s.start : s.end] for s in reading.sentences] == [s.text for s in reading.sentences]
    assert len(reading.sentences) == 3
    assert "apology" in reading.sentences[0].present()
    assert "solution" in reading.sentences[1].present()
    assert reading.acts["apology"] == max(s.acts["apology"] for s in reading.sentences)
    assert reading.produced_by["acts"] == "acts.v1"


def test_a_sentence_reads_the_same_whatever_its_neighbours() -> None:
    alone = read_acts("I've refunded the extra £40.").sentences[0].acts
    beside = read_acts("Thanks for waiting. I've refunded the extra £40.").sentences[1].acts
    assert alone == beside


@pytest.mark.parametrize(
    ("bad", "error"), [("", heard.EmptyText), ("   ", heard.EmptyText), (42, heard.NotText)]
)
def test_acts_rejects_bad_input(bad, error) -> None:
    with pytest.raises(error):
        heard.acts(bad)


def test_acts_on_the_held_out_replies_beats_the_question_mark_rule() -> None:
    figures = bench_heldout()
    assert figures["replies"] >= 100
    assert figures["per_act"]["question"] > figures["baseline_question_mark_f1"]
    assert figures["macro_f1"] >= 0.6
