import pytest

from heard.language import parse, shift_tokens


@pytest.mark.parametrize(
    ("said", "said_back"),
    [
        ("I was told it would come today.", "you were told it would come today."),
        ("You told me my sofa would come by Friday.", "we told you your sofa would come by Friday."),
        ("I am stuck at home and I'm losing money.", "you are stuck at home and you're losing money."),
        ("Your driver left my parcel in the rain.", "our driver left your parcel in the rain."),
        ("I told you my address twice.", "you told us your address twice."),
        ("We were promised a callback by your team.", "you were promised a callback by our team."),
        ("I need you to confirm the refund.", "you need us to confirm the refund."),
        ("Sam said you would call me back.", "Sam said we would call you back."),
    ],
)
def test_shift_to_the_agents_perspective(said: str, said_back: str) -> None:
    assert shift_tokens(parse(said)) == said_back


def test_capital_i_mid_sentence_becomes_lower_case_you() -> None:
    assert shift_tokens(parse("Then I waited and I waited.")) == "then you waited and you waited."
