import pytest

from heard.language import find_cues, load_pipeline, split_sentences


def kinds(text: str) -> set[str]:
    return {c.kind for c in find_cues(text)}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("This is the third time I'm calling about my boiler.", "repeat_contact"),
        ("You told me the engineer would come on Friday.", "broken_promise"),
        ("The courier was supposed to deliver by noon.", "broken_promise"),
        ("I was charged twice for one lamp.", "loss"),
        ("I wasted my whole Saturday waiting in.", "loss"),
        ("If this isn't fixed I'll cancel my subscription.", "threat_leave"),
        ("I'll be leaving a one-star review everywhere.", "threat_public"),
        ("My lawyer will hear about this.", "threat_legal"),
        ("I keep getting transferred around and nobody knows anything.", "passed_around"),
        ("Three emails and not a single reply.", "no_response"),
        ("I needed it before the inspection.", "deadline"),
        ("What the hell is going on", "profanity"),
        ("WHY IS MY ORDER STILL NOT HERE", "shouting"),
        ("Where is it!!!", "exclamations"),
    ],
)
def test_cues_find_what_customers_say(text: str, kind: str) -> None:
    assert kind in kinds(text)


def test_cues_carry_their_span() -> None:
    text = "Honestly, I am furious."
    cue = next(c for c in find_cues(text) if c.kind == "upset_word")
    assert text[cue.start : cue.end] == cue.text == "furious"


def test_intensifier_strengthens_upset_word() -> None:
    plain = next(c for c in find_cues("I am upset.") if c.kind == "upset_word")
    strong = next(c for c in find_cues("I am extremely upset.") if c.kind == "upset_word")
    assert strong.strength > plain.strength
    assert "intensifier" in kinds("I am extremely upset.")


def test_negated_feeling_is_not_a_cue() -> None:
    assert "worry" not in kinds("I'm not worried about it, just curious.")


def test_a_single_capitalised_word_is_not_shouting() -> None:
    assert "shouting" not in kinds("I need it by FRIDAY please.")


def test_split_sentences_keeps_the_words() -> None:
    text = "They never came!! I waited all day.\n\nNow what?"
    assert split_sentences(text) == ["They never came!!", "I waited all day.", "Now what?"]


def test_spacy_pipeline_loads_offline_and_parses() -> None:
    doc = load_pipeline()("The movers did not show up until 3 pm.")
    assert any(token.dep_ == "ROOT" for token in doc)
    assert any(token.dep_ == "neg" for token in doc)
