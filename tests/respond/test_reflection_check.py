"""The output check refuses reflections no agent would send."""

from heard.respond.reflection import refusals


def test_broken_forms_are_refused() -> None:
    assert "orphan contraction" in refusals("It sounds like you want to know why n't you ca rebook online.")
    assert "doubled word" in refusals("It sounds like the the parcel never came.")
    assert "cut word" in refusals(
        "It seems that was stressful because we reported it to your credit repor.",
        "You reported it to my credit report agency twice.",
    )


def test_a_good_reflection_passes() -> None:
    assert (
        refusals(
            "It sounds like it was really frustrating for you because we charged you twice.",
            "You charged me twice!",
        )
        == []
    )
