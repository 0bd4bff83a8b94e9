import pytest

from heard.language.verbs import base_form


@pytest.mark.parametrize(
    ("word", "base"),
    [("told", "tell"), ("promised", "promise"), ("guaranteed", "guarantee"), ("paid", "pay"),
     ("ordered", "order"), ("cancelled", "cancel"), ("stopped", "stop"), ("called", "call"), ("says", "say")],
)  # fmt: skip
def test_base_form(word: str, base: str) -> None:
    assert base_form(word) == base
