"""Complaints an agent would paste from a furious customer: sarcasm, shouting, a service that
is down, a product that is faulty. Each once read wrongly; written for heard."""

import pytest

import heard

HIGH_VOLUMES = "Oh great, another 'we're experiencing high volumes' email. Wonderful service as always."
INTERNET = "my internet has been down since friday and nobody has called me back"


@pytest.mark.parametrize(
    "text",
    [
        HIGH_VOLUMES,
        "Thanks so much for leaving my parcel in the rain, really appreciate it.",
        "Love how I've been on hold for an hour. Fantastic customer service.",
    ],
)
def test_sarcastic_praise_is_a_complaint_not_thanks(text: str) -> None:
    a = heard.analyze(text)
    assert a.sarcasm
    assert a.complaint is not None
    assert a.feeling not in {"grateful", "pleased"}
    assert a.level in {"upset", "angry", "furious"}


def test_a_quoted_stock_reply_is_what_went_wrong() -> None:
    c = heard.analyze(HIGH_VOLUMES).complaint
    assert c.category in {"no_response", "rude_service"}
    assert "high volumes" in c.happened.text
    assert heard.analyze(HIGH_VOLUMES).fault == "company"


def test_a_service_that_is_down_and_no_callback() -> None:
    a = heard.analyze(INTERNET)
    assert a.complaint.category in {"no_response", "faulty_product"}
    assert a.fault == "company"


def test_called_back_is_no_rude_service() -> None:
    # "called me" is rude service's "called me a liar", not a callback that never came
    c = heard.analyze(
        "I was told someone would call me back on Monday and nobody has called me back"
    ).complaint
    assert c.category == "no_response"


@pytest.mark.parametrize(
    "text",
    [
        "the laptop arrived with a cracked screen",
        "the screen flickers and the battery dies in an hour, I've only had it two weeks",
    ],
)
def test_a_faulty_product(text: str) -> None:
    c = heard.analyze(text).complaint
    assert c is not None and c.category == "faulty_product"


def test_a_customer_who_feels_badly_treated_complains() -> None:
    a = heard.analyze("I have been a loyal customer for 10 years and this is how you treat me")
    assert a.complaint is not None and a.feeling != "pleased"


def test_an_angry_shouted_question_is_not_just_confusion() -> None:
    a = heard.analyze("WHY IS MY ACCOUNT LOCKED AGAIN")
    assert a.level in {"angry", "furious"}
    assert a.feeling != "confused"
    assert a.complaint.category == "account_access"


def test_the_customer_clearing_us_of_a_third_partys_loss() -> None:
    a = heard.analyze("the airline lost my suitcase, I know that's not on you but I need help with the claim")
    assert a.fault == "third_party"
    assert not heard.apology(
        "the airline lost my suitcase, I know that's not on you but I need help"
    ).owns_fault


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("the app logs me out every 5 minutes", "account_access"),
        ("I'm disgusted with the way your staff spoke to me in the Leeds store today", "rude_service"),
        ("your driver reversed into my car and drove off", "other"),
    ],
)
def test_categories_of_plain_complaints(text: str, category: str) -> None:
    c = heard.analyze(text).complaint
    assert c is not None and c.category == category


def test_sincere_thanks_for_what_we_did_is_no_complaint() -> None:
    a = heard.analyze("Thank you so much for your help, you sorted it quickly!")
    assert a.complaint is None
    assert heard.reflect("Thank you so much for your help, you sorted it quickly!").text is None
    assert heard.analyze("Thanks, but you still charged me twice").complaint is not None


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("The plumber you sent flooded my bathroom. I want you to pay for the damage.", "faulty_product"),
        ("the new update deleted all my photos", "faulty_product"),
        ("I paid for next day delivery and it took a week", "late_or_missed"),
        ("Not happy. The sofa is the wrong colour and one leg is wobbly.", "faulty_product"),
        ("the delivery man said he knocked but he never did, I was home all day", "late_or_missed"),
    ],
)
def test_complaints_once_missed_or_misread(text: str, category: str) -> None:
    a = heard.analyze(text)
    assert a.complaint is not None and a.complaint.category == category
    assert a.fault == "company"


def test_not_happy_is_how_they_feel_not_what_happened() -> None:
    c = heard.analyze("Not happy. The sofa is the wrong colour and one leg is wobbly.").complaint
    assert "sofa" in c.happened.text


def test_a_customer_who_thinks_they_typed_it_wrong_blames_themself() -> None:
    a = heard.analyze(
        "I think I may have given the wrong card number, now my order is on hold - can you help?"
    )
    assert a.fault == "customer"
    assert not heard.apology(
        "I think I may have given the wrong card number, now my order is on hold"
    ).owns_fault


@pytest.mark.parametrize(
    ("text", "happened"),
    [
        ("The shoes fell apart after two wears. I want a full refund, not store credit.", "fell apart"),
        (
            "Your courier left my parcel on the doorstep and it was stolen. Who is going to refund me?",
            "stolen",
        ),
    ],
)
def test_what_went_wrong_is_found(text: str, happened: str) -> None:
    c = heard.analyze(text).complaint
    assert c.happened is not None and happened in c.happened.text


def test_deleting_ones_own_account_is_account_access_and_self_blame() -> None:
    a = heard.analyze("I accidentally deleted my account, can I get it back?")
    assert a.complaint.category == "account_access" and a.fault == "customer"


def test_going_without_is_what_it_cost_them_not_another_problem() -> None:
    c = heard.analyze(
        "The boiler man has missed two visits now, Monday and again today, and we have no heating with a baby at home."
    ).complaint
    assert len(c.problems) == 1 and c.category == "late_or_missed"
