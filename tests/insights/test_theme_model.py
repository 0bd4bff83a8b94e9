"""ThemeModel: a scikit-learn style estimator over complaints written for these tests."""

from __future__ import annotations

import numpy as np
import pytest

from heard.insights.theme_model import ThemeModel
from heard.insights.theme_text import core, is_noise

BAGS = [
    "@SkyHopAir my bag never came off the carousel in Denver #lostluggage",
    "Landed two hours ago and my suitcase is still not on the belt. @SkyHopAir",
    "@SkyHopAir where is my luggage? The carousel stopped and no bag.",
    "My bag went to Miami while I flew to Boston. Nobody at the desk knows where it is.",
    "Third day without my suitcase, the baggage claim desk keeps saying tomorrow.",
    "@SkyHopAir lost bag again!! I have no clothes for the wedding #fail",
    "The luggage tag says delivered but my bag is not at the carousel.",
    "Still waiting for my checked bag, the tracker shows it in another city.",
]
FEES = [
    "On XX/XX/2023 I paid {$250.00} on time but XXXX charged me a late fee anyway.",
    "I was charged a late fee after paying the full amount before the due date.",
    "They added a late fee of {$35.00} even though my payment went out on XX/XX/2023.",
    "Dear Sir or Madam, my payment cleared early and I still got a late charge. Sincerely, XXXX",
    "The lender keeps adding late fees although my autopay was on time.",
    "I paid on the due date and was hit with a late fee and extra interest.",
    "Hello, XXXX XXXX charged a late payment fee on a payment that was made early.",
    "Late fee applied after I paid in full, the bank statement shows the payment on time.",
]
HOLD = [
    "I was on hold for two hours and then the call dropped.",
    "Nobody answers the phone, I have called five times today.",
    "@SkyHopAir your hold music has been playing for 90 minutes, pick up!",
    "I called the helpline three times and was hung up on every time.",
    "The phone line says call back later and then disconnects.",
    "Waited on hold all morning, no agent ever picked up.",
    "Your call centre put me on hold and forgot about me for an hour.",
    "I cannot reach anyone by phone, it just rings and rings.",
]
TEXTS = BAGS + FEES + HOLD


@pytest.fixture(scope="module")
def model() -> ThemeModel:
    return ThemeModel(min_size=3).fit(TEXTS)


def _majority(labels) -> int:
    labels = list(labels)
    return max(set(labels), key=labels.count)


def test_fit_learns_one_theme_per_cause(model: ThemeModel) -> None:
    groups = [model.labels_[0:8], model.labels_[8:16], model.labels_[16:24]]
    majority = [_majority(g) for g in groups]
    assert -1 not in majority and len(set(majority)) == 3
    assert all(list(g).count(m) >= 5 for g, m in zip(groups, majority, strict=True))
    assert model.n_themes_ == len(model.centres_) == len(model.phrases_)
    assert model.sizes_.sum() == (model.labels_ >= 0).sum()


def test_fit_is_deterministic(model: ThemeModel) -> None:
    again = ThemeModel(min_size=3).fit(TEXTS)
    assert again.labels_.tolist() == model.labels_.tolist()
    assert again.phrases_ == model.phrases_
    np.testing.assert_allclose(again.centres_, model.centres_)


def test_predict_puts_a_new_complaint_under_its_cause(model: ThemeModel) -> None:
    fees = _majority(model.labels_[8:16])
    bags = _majority(model.labels_[0:8])
    assert model.predict(["They charged a late fee though I paid a week early."]).tolist() == [fees]
    assert model.predict(["My suitcase never showed up on the baggage carousel."]).tolist() == [bags]


def test_predict_gives_minus_one_to_a_text_that_fits_no_theme(model: ThemeModel) -> None:
    assert model.predict(
        ["What a lovely sunset over the harbour, I painted it in watercolour."]
    ).tolist() == [-1]


def test_names_are_free_of_handles_tags_and_redaction_marks(model: ThemeModel) -> None:
    words = " ".join(" ".join(p) for p in model.phrases_).lower()
    assert words
    for noise in ("@", "#", "xxxx", "xx/", "{$", "skyhopair", "sincerely", "dear"):
        assert noise not in words
    assert any("bag" in model.name(t) or "luggage" in model.name(t) for t in range(model.n_themes_))


def test_examples_are_the_most_typical_complaints_of_the_theme(model: ThemeModel) -> None:
    for theme in range(model.n_themes_):
        assert 1 <= len(model.examples_[theme]) <= 3
        assert all(model.labels_[TEXTS.index(e)] == theme for e in model.examples_[theme])


def test_a_stored_model_predicts_as_the_fitted_one(model: ThemeModel) -> None:
    again = ThemeModel.from_bytes(model.to_bytes())
    new = ["Charged a late fee on an on-time payment.", "On hold forever again.", "Bag lost in transit."]
    assert again.predict(new).tolist() == model.predict(new).tolist()
    assert again.phrases_ == model.phrases_ and again.get_params() == model.get_params()
    assert again.threshold_ == model.threshold_


def test_a_model_of_another_method_is_refused(model: ThemeModel, monkeypatch) -> None:
    from heard.insights import theme_model

    data = model.to_bytes()
    monkeypatch.setattr(theme_model, "METHOD", "themes.v9")
    with pytest.raises(ValueError, match="refit"):
        ThemeModel.from_bytes(data)


def test_too_few_complaints_or_mismatched_embeddings_are_refused() -> None:
    with pytest.raises(ValueError, match="too few"):
        ThemeModel().fit(BAGS[:3])
    with pytest.raises(ValueError, match="one per text"):
        ThemeModel().fit(TEXTS, embeddings=np.zeros((3, 384), dtype=np.float32))


def test_the_core_drops_noise_and_keeps_what_happened() -> None:
    assert (
        core("@SkyHopAir hi!! my flight was cancelled 😡 #fail http://t.co/abc") == "my flight was cancelled"
    )
    assert core("#LostLuggage @SkyHopAir still nothing") == "lost luggage still nothing"
    text = core(
        "To whom it may concern, on XX/XX/2022 XXXX took {$120.00} twice. Thank you for your time. XXXX"
    )
    assert "XX" not in text and "{$" not in text and "concern" not in text and "took an amount twice" in text
    assert core("Fees &amp; interest") == "Fees & interest"


@pytest.mark.parametrize(
    ("phrase", "noise"),
    [("@united", True), ("#fail", True), ("xxxx account", True), ("late fee", False), ("bag", False)],
)
def test_noise_phrases_are_recognised(phrase: str, noise: bool) -> None:
    assert is_noise(phrase) is noise
