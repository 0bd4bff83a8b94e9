"""suggest(): the reflection of a one-message story is the same whether or not its analysis is shared."""

from heard.playbook.conversation import PlaybookState
from heard.playbook.suggestions import suggest
from heard.respond import reflect


def test_single_message_reflection_matches_reflect():
    text = "My blender arrived with a cracked jug and nobody answers the phone."
    s = suggest(PlaybookState(burst=1, fault="company"), [text])
    assert s.reflection == reflect(text).text


def test_burst_of_two_reflected_as_the_burst():
    said = ["I was billed for a plan I never chose.", "And now my card is blocked, great."]
    s = suggest(PlaybookState(burst=2), said)
    assert s.reflection == reflect(said).text
