"""Typing slips read as the word meant; real words, names and inflections left alone."""

import pytest

import heard
from heard.understand.spelling import correct, corrected


@pytest.mark.parametrize(
    ("slip", "meant"),
    [("charegd", "charged"), ("arived", "arrived"), ("recieved", "received"), ("pasword", "password"),
     ("becuase", "because"), ("yestrday", "yesterday"), ("paymnt", "payment")],
)  # fmt: skip
def test_slips_are_corrected(slip: str, meant: str) -> None:
    assert correct(slip) == meant


@pytest.mark.parametrize(
    "word",
    [
        "invoices",
        "retrain",
        "overcharging",
        "login",
        "postcode",
        "Priya",
        "BK-3301",
        "dose",
        "twise",
        "compost",
        "ok",
    ],
)
def test_words_names_and_unclear_slips_are_left_alone(word: str) -> None:
    assert correct(word) == word


def test_corrected_keeps_everything_else() -> None:
    assert corrected("the parcle Mark sent arived 3 days late") == "the parcel Mark sent arrived 3 days late"


def test_a_typed_complaint_is_read_and_its_slips_are_not_said_back() -> None:
    text = "the kettel i orderd arived with a crakced lid and it leeks. want a refund pls"
    a = heard.analyze(text)
    assert a.complaint is not None and a.complaint.category == "faulty_product"
    r = heard.reflect(text)
    assert r.text is not None
    assert not any(slip in r.text for slip in ("arived", "crakced")), r.text
