import re

import heard

MOVING = (
    "I am very upset because you told me the moving company would be at my place by 1 pm and they "
    "didn't show up until 3 pm. I didn't have time to clean my apartment before the inspection."
)
NON_APOLOGY = re.compile(r"sorry (you feel|if|that you feel)|but\b", re.I)


def test_acknowledgement_names_the_feeling() -> None:
    text = heard.acknowledge(MOVING)
    assert "stressed" in text and not NON_APOLOGY.search(text)


def test_company_fault_gets_a_specific_owning_apology() -> None:
    a = heard.apology(MOVING)
    assert a.owns_fault
    assert "1 pm" in a.text and "we" in a.text.lower()
    assert not NON_APOLOGY.search(a.text)


def test_third_party_fault_gets_sympathy_without_admission() -> None:
    a = heard.apology("The courier lost my parcel, I know it's not your fault.")
    assert not a.owns_fault
    admits = re.compile(r"our fault|on us|should not have happened|we (let|lost|failed|made|didn't)", re.I)
    assert "sorry" in a.text.lower() and not admits.search(a.text)
    assert not NON_APOLOGY.search(a.text)


def test_customer_fault_is_not_admitted() -> None:
    a = heard.apology("I typed the wrong postcode on my order, my mistake.")
    assert not a.owns_fault


def test_questions_ask_for_what_is_missing() -> None:
    asks = {q.asks_for for q in heard.questions("My washing machine stopped working.")}
    assert {"outcome", "reference", "when"} <= asks


def test_questions_never_ask_for_what_was_said() -> None:
    said = "Order 44-1207 arrived broken on 3 May and I want a replacement."
    asks = {q.asks_for for q in heard.questions(said)}
    assert not asks & {"reference", "when", "outcome"}


def test_questions_are_open() -> None:
    for q in heard.questions("My washing machine stopped working."):
        assert q.text.split()[0] in {"What", "When", "Who", "How", "Which"}


def test_the_apology_names_what_went_wrong_not_what_they_ask_for() -> None:
    text = "You billed me twice for order 7713, I want my money back."
    apology = heard.apology(text).text
    assert "we billed you twice for order 7713" in apology
    assert "money back" not in apology


def test_a_promise_made_to_the_customer_is_owned() -> None:
    text = "I was promised a replacement card by Monday and it never arrived."
    apology = heard.apology(text)
    assert apology.owns_fault
    assert "you were promised a replacement card by Monday" in apology.text


def test_an_order_that_went_wrong_is_the_companys_to_own() -> None:
    apology = heard.apology("I ordered a green rug and received a grey one.")
    assert apology.owns_fault and "a grey one" in apology.text
