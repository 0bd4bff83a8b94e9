"""Text as customers write it: nothing noisy is said back, and no offset moves."""

import pytest

import heard
from heard.bench.real import says_noise
from heard.language.cleanup import tidy
from heard.language.focus import focus

MESSY = [
    "@SkyWaysAir my flight was #delayed 4 hours &amp; I missed my sister's wedding https://t.co/a1B2c3 #fail",
    "@PayQuick_Help @PayQuick why did you charge me twice for one order?? #NotHappy",
    "Dear Sir or Madam,\nOn XX/XX/2019 I paid {$250.00} to XXXX and the payment was never credited to my "
    "account XXXX. I want it corrected.\n\nSincerely,\nXXXX XXXX",
    "I will never fly with @SkyWaysAir again, you lost my suitcase and nobody calls back 😡😡",
]


@pytest.mark.parametrize("text", MESSY)
def test_tidy_keeps_every_offset(text: str) -> None:
    assert len(tidy(text)) == len(text)


@pytest.mark.parametrize("text", MESSY)
def test_reflection_never_says_back_handles_tags_links_entities_or_marks(text: str) -> None:
    r = heard.reflect(text)
    assert r.text, r.reason
    assert not says_noise(r.text), r.text
    assert "😡" not in r.text


def test_a_meaningful_hashtag_is_said_in_words() -> None:
    assert "lost luggage" in tidy("third time this year #LostLuggage, fix it")
    assert "#" not in tidy("my flight was #delayed again")
    assert "delayed" in tidy("my flight was #delayed again")


def test_tags_and_handles_around_the_message_are_dropped() -> None:
    said = tidy("@brand @brand_help nobody answered my emails #custserv #fail")
    assert "@" not in said and "#" not in said and "custserv" not in said and "nobody answered" in said


def test_the_company_named_mid_sentence_is_you() -> None:
    said = tidy("@SkyWaysAir never going to fly with @SkyWaysAir again")
    assert "fly with you again" in " ".join(said.split())


def test_redaction_marks_blanked_and_amounts_kept() -> None:
    said = tidy("On XX/XX/2019 XXXX took {$75.00} from my account")
    assert "XX" not in said and "$75.00" in said and "that day" in said


def test_a_full_stop_after_a_message_is_kept() -> None:
    assert tidy("No, it was 4 pm, not 3 pm.") == "No, it was 4 pm, not 3 pm."


def test_a_long_letter_is_parsed_on_the_sentences_that_matter() -> None:
    filler = "We have been customers of your bank for many years and have always liked the branch. " * 60
    letter = filler + "Last week you charged me a $35 fee twice and I want it refunded."
    kept = focus(letter)
    assert len(kept) == len(letter)
    assert "charged me a $35 fee twice" in kept
    assert len(kept.split()) < len(letter.split()) / 4
    c = heard.analyze(letter).complaint
    assert c is not None and c.happened is not None and "charged" in c.happened.text


def test_a_short_message_is_parsed_whole() -> None:
    text = "You charged me twice. I want a refund. Nobody answers the phone."
    assert focus(text) == text
