"""Reflections and apologies for the complaints that once came out wrong: shouting said back
in capitals or word order broken, sarcasm read as thanks, apologies that named nothing."""

import re

import pytest

import heard
from heard.language import parse, shift_tokens
from heard.respond._wording import why_statement

SHOUTED_WORD = re.compile(r"\b[A-Z]{2,}\b")


def test_a_shouted_why_question_is_said_back_in_order_and_in_normal_case() -> None:
    r = heard.reflect("WHY IS MY ACCOUNT LOCKED AGAIN")
    assert "your account is locked again" in r.text
    assert not SHOUTED_WORD.search(r.text)
    assert "confusing" not in r.text


def test_a_shouted_word_is_lowered_but_an_acronym_kept() -> None:
    r = heard.reflect("my order was wrong AGAIN, I asked for no onions and it was covered in them")
    assert "again" in r.text and "AGAIN" not in r.text
    r = heard.reflect("The documents are only a PDF that won't open on my phone. Please post me a copy.")
    assert "PDF" in r.text


@pytest.mark.parametrize(
    ("question", "statement"),
    [
        ("why is my account locked again", "your account is locked again"),
        ("Why does nobody ever answer the phone?", "nobody ever answers the phone"),
        ("Why can't I log in", "you can't log in"),
        ("What is going on", ""),
    ],
)
def test_why_questions_become_the_statement_they_complain_of(question: str, statement: str) -> None:
    assert why_statement(list(parse(question))) == statement


def test_sarcasm_is_reflected_with_the_companys_words_kept_as_quoted() -> None:
    r = heard.reflect(
        "Oh great, another 'we're experiencing high volumes' email. Wonderful service as always."
    )
    assert r.text is not None
    assert "you got another 'we're experiencing high volumes' email" in r.text
    assert not re.search(r"\b(great|wonderful|thanks)\b", r.text, re.I)


def test_sarcastic_love_how_is_said_back_as_what_happened() -> None:
    r = heard.reflect("Love how I've been on hold for an hour. Fantastic customer service.")
    assert "you've been on hold for an hour" in r.text
    assert "love" not in r.text.lower()


def test_two_troubles_in_one_sentence_are_both_said_back() -> None:
    r = heard.reflect("my internet has been down since friday and nobody has called me back")
    assert "your internet has been down since Friday and nobody has called you back" in r.text
    a = heard.apology("my internet has been down since friday and nobody has called me back")
    assert a.owns_fault and "your internet has been down since Friday" in a.text


def test_the_customers_own_action_is_not_added_as_trouble() -> None:
    text = "I cancelled the trial within the seven days and you still took £59."
    assert "you cancelled the trial" not in heard.reflect(text).text


def test_quoted_words_keep_their_person() -> None:
    doc = parse("Your email said 'we will call you back' and my account is still locked.")
    said = shift_tokens(doc)
    assert "'we will call you back'" in said
    assert "your account is still locked" in said


@pytest.mark.parametrize(
    ("text", "named"),
    [
        (
            "i was promised a callback within 24 hours and its been a week",
            "you were promised a callback within 24 hours",
        ),
        ("I can't log in, the reset link never arrives and I need my invoices by Friday", "you can't log in"),
        ("WHY IS MY ACCOUNT LOCKED AGAIN", "your account is locked again"),
        ("I WANT MY MONEY BACK", "refund"),
        ("Wow, five days and still no reply. Amazing.", "waiting for an answer"),
        ("The heating engineer you sent broke my boiler and now we have no hot water.", "broke your boiler"),
    ],
)
def test_an_owed_apology_names_what_went_wrong(text: str, named: str) -> None:
    a = heard.apology(text)
    assert a.owns_fault
    assert named in a.text
    assert "let you down here" not in a.text
    assert not re.search(r"sorry (you feel|if)", a.text)


@pytest.mark.parametrize("text", ["Seriously?? Again??", "this is a joke", "unbelievable"])
def test_short_fury_gets_a_short_reflection_and_an_invitation(text: str) -> None:
    r = heard.reflect(text)
    assert r.text is not None and r.text.endswith("Can you tell me more about what happened?")
    assert r.feeling not in {"curious", "calm", "concerned", "pleased"}


def test_a_question_without_its_mark_is_not_said_back_as_a_statement() -> None:
    r = heard.reflect("Are you kidding me right now")
    assert "are we kidding" not in r.text.lower()
    assert "are we kidding" not in heard.apology("Are you kidding me right now").text.lower()


def test_an_ultimatum_is_neither_the_impact_nor_what_they_want() -> None:
    r = heard.reflect("fix my broadband or I'm leaving")
    assert "fix your broadband" in r.text
    assert "leaving" not in r.text


def test_feeling_disgusted_about_something_is_said_back_as_that_thing() -> None:
    text = "I'm disgusted with the way your staff spoke to me in the Leeds store today"
    r = heard.reflect(text)
    assert "because of the way our staff spoke to you in the Leeds store today" in r.text
    a = heard.apology(text)
    assert a.owns_fault and "sorry about the way our staff spoke to you" in a.text
    assert "sorry you're disgusted" not in a.text


@pytest.mark.parametrize(
    ("text", "did"),
    [
        (
            "Thanks so much for leaving my parcel in the rain, really appreciate it.",
            "we left your parcel in the rain",
        ),
        (
            "Cheers for cancelling my order without telling me, great service.",
            "we cancelled your order without telling you",
        ),
    ],
)
def test_sarcastic_thanks_is_said_back_as_what_we_did(text: str, did: str) -> None:
    assert did in heard.reflect(text).text
    a = heard.apology(text)
    assert a.owns_fault and did in a.text and "great" not in a.text


def test_a_shouted_you_is_said_back_as_a_quiet_we() -> None:
    r = heard.reflect("i got charged a cancellation fee even though YOU cancelled the appointment not me")
    assert "we cancelled the appointment" in r.text and "WE" not in r.text


def test_an_insult_about_the_company_is_not_said_back() -> None:
    text = 'Your "premium" support is a joke. I pay extra and still wait 2 hours.'
    r, a = heard.reflect(text), heard.apology(text)
    assert "joke" not in r.text and "joke" not in a.text
    assert "you pay extra and still wait 2 hours" in r.text


def test_self_blame_is_not_repeated_but_what_went_wrong_after_it_is() -> None:
    text = "my own fault I ordered the wrong size but your returns page won't load"
    r = heard.reflect(text)
    assert "our returns page won't load" in r.text
    assert "you ordered the wrong size" not in r.text
    assert "wrong size" not in heard.apology(text).text


def test_a_promise_that_is_what_happened_is_said_once() -> None:
    text = (
        "The hotel you booked for us had no record of our reservation and we had to find somewhere "
        "else at midnight with two kids"
    )
    r = heard.reflect(text)
    assert r.text.count("booked for you") == 1
    assert heard.apology(text).text.count("booked for you") == 1


def test_every_trouble_of_one_sentence_is_said_back() -> None:
    text = "Not happy. The sofa is the wrong colour and one leg is wobbly."
    assert "the sofa is the wrong colour and one leg is wobbly" in heard.reflect(text).text
    assert "the sofa is the wrong colour and one leg is wobbly" in heard.apology(text).text


def test_mild_annoyance_that_something_happened_is_said_back_as_what_happened() -> None:
    r = heard.reflect("I'm a bit annoyed that my parcel came a day late but it's fine really")
    assert "because your parcel came a day late" in r.text
    assert "you're a bit annoyed that" not in r.text


def test_text_speak_is_written_out_and_the_promise_owned() -> None:
    text = "u said my refund wud be back in 3 days its been 2 weeks"
    assert "we said your refund would be back in 3 days" in heard.reflect(text).text
    a = heard.apology(text)
    assert a.owns_fault and "we said your refund would be back in 3 days" in a.text


def test_a_run_on_insult_says_back_only_what_went_wrong() -> None:
    text = "ur app is rubbish it keeps crashing every time i open it"
    r = heard.reflect(text)
    assert "it keeps crashing every time you open it" in r.text and "rubbish" not in r.text
    assert "rubbish" not in heard.apology(text).text


def test_a_driver_who_blocked_the_customer_in() -> None:
    text = "The delivery was fine but the driver parked across my drive and blocked me in for an hour, I was late for work"
    r = heard.reflect(text)
    assert "the driver parked across your drive and blocked you in for an hour" in r.text


def test_a_burst_is_read_a_line_a_sentence() -> None:
    burst = [
        "WHY IS MY ACCOUNT LOCKED AGAIN",
        "I NEED TO PAY MY BILLS TODAY",
        "THIS IS THE THIRD TIME THIS MONTH",
    ]
    r = heard.reflect(burst)
    assert "your account is locked again" in r.text and "you need to pay your bills today" in r.text
    again = heard.reflect(burst, reply="no, it says my password is wrong", avoid_opening=r.opening)
    assert "it says your password is wrong" in again.text
    assert "wrong this is" not in again.text and "yesterday why" not in again.text


def test_a_sarcastic_burst_keeps_the_quoted_words() -> None:
    burst = ["oh great", "another 'we're experiencing high volumes' email", "wonderful service as always"]
    assert "you got another 'we're experiencing high volumes' email" in heard.reflect(burst).text
    assert "oh great" not in heard.apology(burst).text.lower()


def test_what_an_engineer_says_is_no_promise_to_apologise_for_breaking() -> None:
    text = "my broadband has been dropping out every evening for a month and your engineer says there's nothing wrong"
    a = heard.apology(text)
    assert "keep our word" not in a.text
    assert "your broadband has been dropping out every evening for a month" in a.text


def test_a_promise_inside_the_impact_is_said_once() -> None:
    text = (
        "I had to take the day off work because you said the engineer would come between 8 and 12, "
        "nobody came, nobody called."
    )
    assert heard.reflect(text).text.count("between 8 and 12") == 1


def test_a_shortened_not_ur_fault_clears_us() -> None:
    text = (
        "i know its not ur fault the weather is bad but i've been without power for 3 days and i have a baby"
    )
    a = heard.analyze(text)
    assert a.complaint is not None and a.fault == "third_party"
    assert "you've been without power for 3 days" in heard.reflect(text).text
    assert not heard.apology(text).owns_fault


def test_a_short_question_with_a_run_of_marks_is_fury() -> None:
    r = heard.reflect("why is it so hard to cancel a subscription?????")
    assert r.text is not None and r.feeling == "frustrated"


@pytest.mark.parametrize(
    "text",
    [
        "Cancel my subscription. I've asked three times.",
        "I HAVE BEEN WAITING THREE WEEKS FOR MY REFUND AND NOBODY ANSWERS",
        "I asked for a replacement two weeks ago and the broken kettle is still here.",
    ],
)
def test_an_outcome_named_in_passing_is_not_asked_for_again(text: str) -> None:
    assert "outcome" not in [q.asks_for for q in heard.questions(text)]


def test_what_a_record_says_keeps_who_says_it() -> None:
    text = "Nobody at your store could tell me where my order is and the website says it doesn't exist"
    assert "the website says it doesn't exist" in heard.reflect(text).text


def test_still_waiting_without_a_subject_is_said_back() -> None:
    text = "Still waiting for my refund. It's been 6 weeks. Order 55812."
    assert "you're still waiting for your refund" in heard.reflect(text).text
    assert "you're still waiting for your refund" in heard.apology(text).text


def test_a_third_party_complaint_that_clears_us() -> None:
    text = "The courier threw my parcel over the fence and it broke. Not your fault but I need a replacement."
    r, a = heard.reflect(text), heard.apology(text)
    assert "the courier threw your parcel over the fence" in r.text
    assert "fault" not in r.text
    assert not a.owns_fault and "the courier threw your parcel over the fence" in a.text


def test_a_wh_question_with_do_is_said_back_without_it() -> None:
    text = "Royal Mail have lost my parcel, your tracking says delivered, who do I chase?"
    assert "you want to know who you chase" in heard.reflect(text).text


@pytest.mark.parametrize(
    ("text", "first", "second"),
    [
        (
            ["You charged my card twice for order 7731!", "And NOBODY answers my emails!!"],
            "charged your card twice for order 7731",
            "nobody answers your emails",
        ),
        (
            "The sofa arrived two weeks late. Also the driver scratched my floor.",
            "two weeks late",
            "scratched your floor",
        ),
        ("My order never arrived. On top of that I was charged twice.", "never arrived", "charged twice"),
    ],
)
def test_two_problems_of_a_burst_are_both_said_back_in_order(text, first: str, second: str) -> None:
    r = heard.reflect(text)
    assert first in r.text and second in r.text, r.text
    assert r.text.index(first) < r.text.index(second)
    assert "also" not in r.text.lower() and "on top of" not in r.text.lower()
    assert len(r.text.split()) <= 45
