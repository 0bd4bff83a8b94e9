"""The real-data benchmark's own checks, on examples written for heard (no data rows)."""

from pathlib import Path

import pytest

from heard.bench.real import DataMissing, Row, invented_words, load_rows, says_noise


@pytest.mark.parametrize(
    "reflection",
    [
        "It sounds like @SkyWaysAir lost your bag.",
        "So it was frustrating for you because #delayed flights keep happening.",
        "It seems you were charged twice &amp; nobody called.",
        "I'm hearing that XXXX took {$50.00} from your account.",
        "It sounds like the page at https://example.com won't load.",
    ],
)
def test_noise_is_caught(reflection: str) -> None:
    assert says_noise(reflection)


def test_a_clean_reflection_is_not_noise() -> None:
    assert not says_noise("It sounds like it was really frustrating for you because we charged you twice.")


def test_invented_words_are_words_neither_the_customer_nor_the_wording_gave() -> None:
    source = "You charged me twice for my May bill and nobody answers the phone."
    assert (
        invented_words("It sounds like it was frustrating for you because we charged you twice.", source)
        == []
    )
    invented = invented_words("It sounds like we charged you three times for your June bill.", source)
    assert {"three", "june"} <= set(invented)


def test_the_held_out_part_is_stable_and_about_one_in_four() -> None:
    rows = [Row("t", f"customer message number {i}", True) for i in range(2000)]
    held = [r for r in rows if r.part == "heldout"]
    assert 0.2 < len(held) / len(rows) < 0.3
    assert [r.part for r in rows] == [Row("t", r.text, True).part for r in rows]


def test_missing_data_says_where_to_point(tmp_path: Path) -> None:
    with pytest.raises(DataMissing, match="--data"):
        load_rows(tmp_path, ["airline"])
    with pytest.raises(DataMissing, match="choose from"):
        load_rows(tmp_path, ["nope"])


def test_words_written_out_or_shifted_are_not_invented() -> None:
    source = "@skyline 3 hrs on hold and you're still ignoring me, cant even get a callback"
    reflection = (
        "It sounds like it was frustrating for you because we're still ignoring you after 3 hours on hold."
    )
    assert invented_words(reflection, source) == []
    assert invented_words("So you can't get a callback.", source) == []
