"""Reflections of text as customers really write it: tweets that drop the "I", run two sentences
together, complain in a question or a fragment, and letters typed with tokenised contractions.
The examples are written for heard in the style of real complaints (no data row is quoted)."""

import pytest

from heard.language.cleanup import tidy
from heard.respond import reflect
from heard.respond.reflection import refusals
from heard.understand.spelling import corrected


def _said(text: str) -> str:
    r = reflect(text)
    assert r.text is not None, r.reason
    assert not refusals(r.text, text), r.text
    return r.text


def test_a_dropped_doer_of_a_company_action_is_we() -> None:
    said = _said("@skyline Lost my bag again on the way to Denver.")
    assert "we lost your bag again" in said


def test_a_dropped_i_before_was_agrees() -> None:
    said = _said("@skyline was on hold for over an hour without an answer.")
    assert "you were on hold" in said and "you was" not in said


def test_tokenised_contractions_are_closed_up() -> None:
    said = _said("I 've called them four times about the missing payment and they do n't answer.")
    assert " n't" not in said and " 've" not in said


def test_two_sentences_run_together_are_cut_at_the_second() -> None:
    said = _said("@helpdesk I cannot log in to the app from my tablet Is there an outage")
    assert "log in to the app" in said and "Is there" not in said


def test_ironic_thanks_for_a_thing_done_to_the_customer() -> None:
    said = _said("@skyline Thanks for losing my suitcase on a two hour flight")
    assert "we lost your suitcase" in said


def test_a_fragment_naming_the_trouble_is_said_back() -> None:
    said = _said("@skyline Worst trip ever. 3 hrs on the runway with no water.")
    assert "3 hours on the runway" in said


@pytest.mark.parametrize(
    ("text", "told"),
    [
        ("@cardco why does my card keep getting declined at the shop", "your card keeps getting declined"),
        (
            "@shopco how come I'm still not getting my refund after 3 weeks?",
            "you're still not getting your refund",
        ),
    ],
)
def test_a_complaining_question_is_said_back_as_what_happened(text: str, told: str) -> None:
    assert told in _said(text)


def test_the_clause_after_its_setting_is_said_back() -> None:
    said = _said("Could not change it online and after 90 mins on hold, the 24 hour window has closed.")
    assert "the 24 hour window has closed" in said


def test_thanks_and_praise_get_no_reflection() -> None:
    assert reflect("@skyline Thanks so much, Dana sorted my booking in two minutes. Brilliant!").text is None


def test_the_output_check_refuses_holes_run_ons_and_dangling_questions() -> None:
    assert "hole" in refusals(
        "It sounds like it was frustrating because you sent the deposit to , who kept it."
    )
    assert "unbalanced mark" in refusals("It seems it was stressful because the bank ( your bank closed it.")
    assert "run-on" in refusals("So it was frustrating because your order is late The amount was taken.")
    assert "dangling question word" in refusals("So it was frustrating because the card was charged why.")


def test_a_base_form_is_no_typing_slip() -> None:
    assert (
        corrected("i had to delete the app and postpone the move")
        == "i had to delete the app and postpone the move"
    )
    assert corrected("it was charegd twice") == "it was charged twice"


def test_a_greeting_handle_before_your_is_not_you() -> None:
    assert "you your" not in tidy("Hey @parcelco your driver left it in the rain")


def test_amounts_keep_their_zeros() -> None:
    said = _said("I paid $4000.00 on my loan and the bank reversed the payment and charged me a late fee.")
    assert "$40.00" not in said


def test_a_thanks_that_names_the_old_trouble_gets_no_reflection() -> None:
    assert reflect("@musicco My playlist is working again! Thank you!").text is None
    assert "hasn't arrived" in _said("Thanks, but my refund still hasn't arrived after 3 weeks.")


def test_a_question_that_runs_the_company_down_is_not_said_back() -> None:
    r = reflect("@skyline why are you literally the worst?")
    assert r.text is None or "the worst" not in r.text


def test_im_typed_without_apostrophe_shifts() -> None:
    said = _said("@musicco ive been charged the full price when im about to cancel my subscription")
    assert "youm" not in said and "you're about to cancel" in said


def test_thanks_then_but_is_a_complaint() -> None:
    said = _said("@musicco Thanks for the tips, but it still doesn't work on my phone.")
    assert "doesn't work on your phone" in said
