"""What a user notices about heard.analyze, on messages the project wrote."""

import pytest

import heard
from heard.understand import EMOTIONS

MOVING = (
    "I am very upset because you told me the moving company would be at my place by 1 pm and they "
    "didn't show up until 3 pm. I didn't have time to clean my apartment before the inspection."
)
RANK = {level: i for i, level in enumerate(heard.LEVELS)}


def test_moving_company_reads_upset_with_a_stress_feeling() -> None:
    a = heard.analyze(MOVING)
    assert RANK[a.level] >= RANK["upset"]
    assert a.feeling in {"stressed", "overwhelmed", "worried"}
    kinds = {c.kind for c in a.cues}
    assert {"broken_promise", "deadline"} <= kinds


def test_every_goemotions_label_is_scored() -> None:
    a = heard.analyze(MOVING)
    assert list(a.emotions) == list(EMOTIONS) and len(a.emotions) == 28
    assert all(0.0 <= v <= 1.0 for v in a.emotions.values())


@pytest.mark.parametrize(
    "text",
    [
        "Thank you so much, the new router works perfectly now!",
        "Thanks for the quick reply, have a lovely weekend.",
    ],
)
def test_polite_thanks_reads_calm(text: str) -> None:
    a = heard.analyze(text)
    assert a.level == "calm"
    assert a.feeling in {"grateful", "pleased", "calm", "relieved"}
    assert "gratitude" in a.present()


@pytest.mark.parametrize(
    "text",
    [
        "THIS IS ABSOLUTELY UNACCEPTABLE. I HAVE WAITED THREE WEEKS FOR MY REFUND!!!",
        "WHERE IS MY ORDER?! YOU TOOK MY MONEY AND SENT NOTHING!!!",
    ],
)
def test_all_caps_fury_reads_angry_or_furious(text: str) -> None:
    assert heard.analyze(text).level in {"angry", "furious"}


@pytest.mark.parametrize(
    "text",
    [
        "Great, just great. The parcel is late again.",
        "Oh wonderful, another week without internet. Thanks for nothing.",
        "Wow, thanks a lot, really helpful of you to cancel my booking without telling me.",
    ],
)
def test_sarcasm_does_not_read_happy(text: str) -> None:
    a = heard.analyze(text)
    assert a.level != "calm"
    assert a.sarcasm
    assert not {"joy", "gratitude", "admiration", "approval"} & set(a.present())


def test_sincere_praise_is_not_sarcasm() -> None:
    a = heard.analyze("Oh great, thanks! That fixed it.")
    assert not a.sarcasm and a.level == "calm"


@pytest.mark.parametrize(
    ("text", "feeling"),
    [
        ("You promised me a refund within five days and it's been three weeks.", "let down"),
        ("I've been passed around four departments and nobody can help me.", "frustrated"),
        ("I've emailed you three times and never got a reply.", "ignored"),
        ("My flight is tomorrow morning and my passport still hasn't been returned!", "stressed"),
    ],
)
def test_feeling_follows_the_situation(text: str, feeling: str) -> None:
    assert heard.analyze(text).feeling == feeling


def test_more_cues_read_more_upset() -> None:
    mild = heard.analyze("My order is a day late.")
    strong = heard.analyze(
        "My order is a week late, this is the third time, and I want a refund or I'm calling my lawyer!!"
    )
    assert strong.upset > mild.upset


def test_threats_raise_the_level() -> None:
    base = "The technician didn't come."
    threat = base + " I'm cancelling my contract and reporting you to the ombudsman."
    assert heard.analyze(threat).upset > heard.analyze(base).upset


def test_several_paragraphs_are_read_whole() -> None:
    calm_start = "Hello,\n\nI ordered a sofa in May. It was meant to come on the 3rd. " * 5
    furious_end = "\n\nNOW IT HAS ARRIVED BROKEN AND NOBODY ANSWERS THE PHONE. I AM FURIOUS!!!"
    a = heard.analyze(calm_start + furious_end)
    assert a.level in {"angry", "furious"}
    assert not a.truncated


def test_a_burst_of_messages_is_read_as_one() -> None:
    burst = [
        "hello??",
        "is anyone there",
        "I have been waiting 2 hours for the engineer",
        "THIS IS RIDICULOUS!!!",
    ]
    a = heard.analyze(burst)
    assert a.level in {"angry", "furious"}
    assert a.chars == len("\n".join(burst))


def test_text_over_the_limit_is_cut_and_says_so() -> None:
    text = "The lift in our building has been broken for a month. " * 400
    a = heard.analyze(text)
    assert a.truncated and a.chars <= heard.MAX_CHARS
    short = heard.analyze(text, max_chars=200)
    assert short.truncated and short.chars <= 200


def test_megabytes_of_text_are_analysed_on_their_start() -> None:
    a = heard.analyze("x" * 3_000_000)
    assert a.truncated and a.chars <= heard.MAX_CHARS


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_empty_text_raises_the_documented_error(text: str) -> None:
    with pytest.raises(heard.EmptyText, match="H101"):
        heard.analyze(text)


@pytest.mark.parametrize("value", [None, 42, [], [1, 2], b"bytes"])
def test_non_text_raises_the_documented_error(value: object) -> None:
    with pytest.raises(heard.NotText, match="H102"):
        heard.analyze(value)  # type: ignore[arg-type]


def test_badly_decoded_text_is_still_read() -> None:
    broken = b"The box arrived crushed \xff\xfe".decode("utf-8", "surrogateescape")
    assert heard.analyze(broken).chars > 0


def test_analyze_many_matches_analyze_in_order() -> None:
    texts = [MOVING, "Thanks, all sorted!", "WHY IS NOBODY ANSWERING"]
    many = list(heard.analyze_many(texts, batch_size=2))
    assert [a.level for a in many] == [heard.analyze(t).level for t in texts]
    for one, batched in zip([heard.analyze(t) for t in texts], many, strict=True):
        assert abs(one.upset - batched.upset) < 0.02


def test_result_is_json_ready_and_records_what_produced_it() -> None:
    a = heard.analyze(MOVING)
    assert heard.Analysis.model_validate_json(a.model_dump_json()) == a
    assert a.produced_by["emotions"] == "emotions.v1"
