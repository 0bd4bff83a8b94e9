"""heard.themes on complaints written for these tests: three causes and two off-topic messages."""

from datetime import UTC, datetime, timedelta

import pytest

import heard

REFUND = [
    "I sent the coat back a month ago and my refund still hasn't arrived.",
    "Where is my refund? You received my return on the 3rd.",
    "Still waiting for the money back for the boots I returned.",
    "The refund you promised for my cancelled order never reached my card.",
    "Three weeks since my return was accepted and no refund.",
    "You said the refund would take five days. It has been twenty.",
]
PASSWORD = [
    "I can't log in, the password reset email never comes.",
    "My account is locked and the unlock link says it has expired.",
    "The login page keeps rejecting my password even after a reset.",
    "I'm locked out of my account and can't see my orders.",
    "The verification code for signing in never arrives on my phone.",
    "Every time I reset my password the login still fails.",
]
MOVERS = [
    "The movers were booked for 8 am and turned up at noon.",
    "Your moving crew arrived three hours late and I missed my key handover.",
    "Nobody from the removal company came for my move on Saturday.",
    "The moving van was late again, the second move in a row.",
    "Movers showed up after lunch for a morning slot and I lost the lift booking.",
    "The removal men came so late we unloaded in the dark.",
]
OFF_TOPIC = ["What time do you open on Sunday?", "Do you sell gift cards?"]
TEXTS = REFUND + PASSWORD + MOVERS + OFF_TOPIC


@pytest.fixture(scope="module")
def grouped() -> heard.ThemeSet:
    return heard.themes(TEXTS)


def _majority(labels: list[int]) -> int:
    return max(set(labels), key=labels.count)


def test_themes_groups_each_cause_under_its_own_readable_name(grouped: heard.ThemeSet) -> None:
    groups = [grouped.labels[0:6], grouped.labels[6:12], grouped.labels[12:18]]
    majority = [_majority(g) for g in groups]
    assert -1 not in majority and len(set(majority)) == 3
    for labels, theme_id in zip(groups, majority, strict=True):
        assert labels.count(theme_id) >= 5
    names = [grouped.themes[t].name for t in majority]
    assert "refund" in names[0]
    assert any(w in names[1] for w in ("password", "account", "login", "locked"))
    assert any(w in names[2] for w in ("movers", "moving", "removal", "late"))


def test_themes_reports_sizes_and_examples_that_belong_to_the_theme(grouped: heard.ThemeSet) -> None:
    assert len(grouped.labels) == len(TEXTS)
    assert grouped.unassigned == grouped.labels.count(-1)
    for theme in grouped.themes:
        assert theme.size == grouped.labels.count(theme.id) >= 3
        assert 1 <= len(theme.examples) <= 3
        assert all(grouped.labels[TEXTS.index(e)] == theme.id for e in theme.examples)
    sizes = [t.size for t in grouped.themes]
    assert sizes == sorted(sizes, reverse=True) and [t.id for t in grouped.themes] == list(range(len(sizes)))
    assert grouped.theme_of(0) == grouped.themes[grouped.labels[0]]


def test_themes_gives_the_same_result_for_the_same_input(grouped: heard.ThemeSet) -> None:
    assert heard.themes(TEXTS) == grouped


def test_themes_marks_a_cause_that_appeared_this_week_as_new() -> None:
    now = datetime(2026, 4, 1, tzinfo=UTC)
    spread = [now - timedelta(days=3 + 5 * i) for i in range(6)]  # over the last month
    this_week = [now - timedelta(days=1, hours=i) for i in range(6)]
    times = spread + spread + this_week + [now - timedelta(days=9), now - timedelta(days=2)]
    result = heard.themes(TEXTS, times=times, now=now)
    movers = result.themes[_majority(result.labels[12:18])]
    refund = result.themes[_majority(result.labels[0:6])]
    assert movers.new and movers.recent == 6 and movers.last_seen <= now
    assert not refund.new and not refund.growing and refund.recent == 1
    # Without times nothing is marked.
    assert heard.themes(TEXTS).themes[0].recent is None


def test_themes_marks_a_cause_that_grows_fast_as_growing() -> None:
    now = "2026-04-01T00:00:00Z"
    old = ["2026-02-20T10:00:00Z", "2026-03-10T10:00:00Z"]
    recent = ["2026-03-27T10:00:00Z", "2026-03-28T10:00:00Z", "2026-03-29T10:00:00Z", "2026-03-30T10:00:00Z"]
    spread = [f"2026-03-{d:02d}T09:00:00Z" for d in (2, 7, 12, 17, 22, 26)]
    times = spread + spread + old + recent + ["2026-03-05T08:00:00Z", "2026-03-06T08:00:00Z"]
    result = heard.themes(TEXTS, times=times, now=now)
    movers = result.themes[_majority(result.labels[12:18])]
    assert movers.growing and not movers.new and movers.recent == 4


def test_themes_of_too_few_texts_are_none() -> None:
    result = heard.themes(REFUND[:3])
    assert result.labels == [-1, -1, -1] and result.themes == [] and result.unassigned == 3
    assert heard.themes([]).labels == []


@pytest.mark.parametrize(
    ("texts", "kwargs", "error"),
    [
        ("just one string", {}, heard.NotText),
        (["fine", 3], {}, heard.NotText),
        (["fine", "   "], {}, heard.EmptyText),
        (["a", "b"], {"times": ["2026-03-01T00:00:00Z"]}, ValueError),
        (["a", "b"], {"times": ["yesterday", "2026-03-01"]}, ValueError),
    ],
)
def test_themes_refuses_bad_input_with_a_clear_error(texts, kwargs, error) -> None:
    with pytest.raises(error):
        heard.themes(texts, **kwargs)


def test_themes_result_is_frozen_and_round_trips_as_json(grouped: heard.ThemeSet) -> None:
    assert heard.ThemeSet.model_validate_json(grouped.model_dump_json()) == grouped
    with pytest.raises(Exception, match="frozen"):
        grouped.themes[0].size = 99
