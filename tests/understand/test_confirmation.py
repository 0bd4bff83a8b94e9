import pytest

import heard


@pytest.mark.parametrize(
    ("reply", "kind"),
    [
        ("Yes, exactly.", "confirm"),
        ("yeah that's it", "confirm"),
        ("Spot on.", "confirm"),
        ("No, it was 4 pm, not 3 pm.", "correct"),
        ("Not exactly, I was more worried about the deposit.", "correct"),
        ("And they scratched the table on the way out.", "add"),
        ("Yes, and on top of that they broke a lamp.", "add"),
        ("They also left the door open.", "add"),
        ("What time do you close?", "none"),
    ],
)
def test_confirmation_reads_the_answer(reply: str, kind: str) -> None:
    assert heard.confirmation(reply).kind == kind


def test_correction_carries_the_new_words() -> None:
    assert heard.confirmation("No, it was 4 pm, not 3 pm.").new == "it was 4 pm, not 3 pm."


def test_empty_reply_is_a_clear_error() -> None:
    with pytest.raises(heard.EmptyText):
        heard.confirmation("  ")


@pytest.mark.parametrize(
    ("reply", "new"),
    [("Sort of, but the real problem is the money.", "the real problem is the money."),
     ("Yes but it was the 4th, not the 3rd.", "it was the 4th, not the 3rd.")],
)  # fmt: skip
def test_a_half_yes_is_a_correction(reply: str, new: str) -> None:
    answer = heard.confirmation(reply)
    assert answer.kind == "correct" and answer.new == new
