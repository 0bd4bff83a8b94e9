"""Insight figures and recommendations on incidents written here, with counts worked out by hand."""

from datetime import UTC, datetime, timedelta

import pytest

from heard.insights.figures import outcomes, period_of, repeat_contacts, volume, what_works
from heard.insights.incidents import Incident
from heard.insights.recommendations import period_name, recommend


def _at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 12, tzinfo=UTC)


def _incident(n: int, **fields) -> Incident:
    return Incident(id=f"i{n}", **fields)


def test_volume_counts_conversations_upset_and_anger_per_month_and_category() -> None:
    incidents = [
        _incident(1, category="billing", peak_upset=0.8, peak_level="angry", opened_at=_at(2, 3)),
        _incident(2, category="billing", peak_upset=0.4, peak_level="upset", opened_at=_at(2, 9)),
        _incident(3, category="late_or_missed", peak_upset=0.9, peak_level="furious", opened_at=_at(3, 1)),
        _incident(4, category="billing", peak_upset=0.2, peak_level="concerned", opened_at=_at(3, 2)),
        _incident(5, category="billing"),  # no time: in no period
    ]
    rows = [(r.period, r.key, r.conversations, r.mean_upset, r.angry) for r in volume(incidents)]
    assert rows == [
        ("2026-02", "billing", 2, 0.6, 1),
        ("2026-03", "billing", 1, 0.2, 0),
        ("2026-03", "late_or_missed", 1, 0.9, 1),
    ]
    assert period_of(_at(3, 2), "week") == "2026-W10"
    by_theme = [(r.period, r.key, r.conversations) for r in volume(incidents, by="theme")]
    assert by_theme == [("2026-02", "no theme", 2), ("2026-03", "no theme", 2)]


def test_repeat_contacts_counts_customers_who_came_back_within_the_window() -> None:
    incidents = [
        _incident(1, customer="ana", category="billing", opened_at=_at(3, 1)),
        _incident(2, customer="ana", category="billing", opened_at=_at(3, 11)),
        _incident(3, customer="bo", category="billing", opened_at=_at(1, 1)),
        _incident(4, customer="bo", category="faulty_product", opened_at=_at(3, 1)),
        _incident(5, customer="cy", opened_at=_at(3, 5)),
        _incident(6, opened_at=_at(3, 5)),  # no customer id
    ]
    r = repeat_contacts(incidents, within_days=30)
    assert (r.customers, r.repeat_customers, r.repeat_conversations, r.share) == (3, 1, 1, 0.333)
    assert r.top_keys == [("billing", 1)]


def test_outcomes_share_deescalated_follow_up_completion_and_satisfaction() -> None:
    incidents = [
        _incident(1, deescalated=True, messages_to_deescalate=2, minutes_to_deescalate=4.0, outcome="resolved",
                  follow_up="done", satisfaction=5),
        _incident(2, deescalated=True, messages_to_deescalate=6, minutes_to_deescalate=10.0, follow_up="missed",
                  satisfaction=2),
        _incident(3, deescalated=False, outcome="unresolved", follow_up="pending"),
        _incident(4, deescalated=None, follow_up="done", satisfaction=4),
    ]  # fmt: skip
    o = outcomes(incidents)
    assert (o.upset_at_peak, o.deescalated, o.deescalated_share) == (3, 2, 0.667)
    assert (o.median_messages_to_deescalate, o.median_minutes_to_deescalate) == (4.0, 7.0)
    assert o.resolved_share == 0.5
    assert (o.follow_ups_due, o.follow_ups_done, o.follow_up_completion) == (
        3,
        2,
        0.667,
    )  # pending is not due
    assert (o.satisfaction_responses, o.mean_satisfaction) == (3, 3.67)
    assert (o.satisfaction_after_follow_up, o.satisfaction_without_follow_up) == (4.5, 2.0)


def test_what_works_compares_conversations_with_and_without_each_behaviour_in_order() -> None:
    listen_first = ["listen", "acknowledge", "offer_solutions"]
    solution_first = ["offer_solutions", "listen"]  # listened, but only after the solution
    incidents = [
        _incident(1, steps_done=listen_first, deescalated=True, satisfaction=5),
        _incident(2, steps_done=listen_first, deescalated=True),
        _incident(3, steps_done=listen_first, deescalated=False),
        _incident(4, steps_done=solution_first, deescalated=False, satisfaction=2),
        _incident(5, steps_done=["offer_solutions"], deescalated=False),
        _incident(6, steps_done=["listen"], deescalated=True),  # no solution offered: does not count
        _incident(7, steps_done=listen_first, deescalated=None),  # never upset: does not count
        _incident(8, fault="company", steps_done=["apologise"], deescalated=True),
        _incident(9, fault="customer", steps_done=[], deescalated=False),  # not at fault: does not count
    ]
    rows = {b.id: b for b in what_works(incidents)}
    b = rows["listen_before_solution"]
    assert (b.with_count, b.with_deescalated, b.without_count, b.without_deescalated, b.lift) == (
        3,
        0.667,
        2,
        0.0,
        0.667,
    )
    assert (b.with_satisfaction, b.without_satisfaction, b.satisfaction_counts) == (5.0, 2.0, (1, 1))
    a = rows["apologise_when_at_fault"]
    assert (a.with_count, a.without_count) == (1, 0) and a.lift is None
    # Strongest lift first (acknowledging came before the solution in the same conversations).
    assert {b.id for b in what_works(incidents)[:2]} == {
        "listen_before_solution",
        "acknowledge_before_solution",
    }


def _angry(n: int, theme: str | None, month: int) -> Incident:
    return _incident(n, theme=theme, peak_upset=0.8, peak_level="angry", opened_at=_at(month, 1 + n % 27))


def test_recommend_says_which_cause_grew_with_the_counts_behind_it() -> None:
    february = [
        _angry(n, "late movers" if n < 3 else "refund never arrived" if n < 10 else None, 2)
        for n in range(25)
    ]
    march = [
        _angry(100 + n, "late movers" if n < 8 else "refund never arrived" if n < 15 else None, 3)
        for n in range(25)
    ]
    recs = recommend(february + march)
    rising = [r for r in recs if r.kind == "cause_rising"]
    assert len(rising) == 1
    assert rising[0].text.startswith(
        "Complaints about “late movers” caused 32% of angry conversations in March, up from 12% in February "
        "(8 of 25, against 3 of 25)."
    )
    assert rising[0].impact == 5.0  # (0.32 - 0.12) x 25 more angry conversations
    assert rising[0].evidence["angry"] == 8 and rising[0].evidence["angry_before"] == 3
    # The refund theme fell (7 -> 7 of 25 is flat): said as the leading cause only if >= 20%.
    leading = [r for r in recs if r.kind == "cause_leading"]
    assert [r.evidence["key"] for r in leading] == ["refund never arrived"]
    assert [r.impact for r in recs] == sorted((r.impact for r in recs), reverse=True)


def test_recommend_names_a_behaviour_only_with_enough_conversations_on_both_sides() -> None:
    base = _at(3, 1)
    good = [
        _incident(n, steps_done=["listen", "offer_solutions"], deescalated=n % 5 != 0, opened_at=base)
        for n in range(10)
    ]
    bad = [
        _incident(20 + n, steps_done=["offer_solutions"], deescalated=n % 2 == 0, opened_at=base)
        for n in range(10)
    ]
    recs = [r for r in recommend(good + bad) if r.kind == "behaviour"]
    assert recs[0].text.startswith(
        "Reflect back what the customer said before offering a solution: 80% of upset conversations "
        "de-escalated when agents did (10 conversations), 50% when they did not (10)."
    )
    assert not [r for r in recommend(good + bad[:2]) if r.kind == "behaviour"]  # 2 without: too few to say


def test_recommend_on_nothing_says_nothing() -> None:
    assert recommend([]) == []


@pytest.mark.parametrize(
    ("key", "other", "name"),
    [
        ("2026-03", "2026-02", "March"),
        ("2026-01", "2025-12", "January 2026"),
        ("2026-W10", None, "the week of 2 March"),
    ],
)
def test_period_name(key, other, name) -> None:
    assert period_name(key, other) == name


def test_incident_times_are_read_as_utc() -> None:
    i = Incident.model_validate_json('{"id": "x", "opened_at": "2026-03-01T10:00:00Z"}')
    assert i.opened_at == _at(3, 1) - timedelta(hours=2)


def test_repeat_contacts_name_a_cause_a_lead_can_fix_never_no_theme() -> None:
    incidents = []
    for n in range(6):  # six customers come back: five times about nothing grouped, once refunds
        theme = "refund never arrived" if n < 4 else None
        incidents += [
            _incident(10 * n, customer=f"c{n}", theme=theme, opened_at=_at(3, 1)),
            _incident(10 * n + 1, customer=f"c{n}", theme=None if n else theme, opened_at=_at(3, 9)),
        ]
    incidents += [
        _incident(90 + n, customer=f"c{n}", theme="refund never arrived", opened_at=_at(3, 12))
        for n in range(1, 3)
    ]
    recs = [r for r in recommend(incidents, by="theme") if r.kind == "repeat_contacts"]
    assert recs and recs[0].evidence["key"] == "refund never arrived"
    assert "no theme" not in recs[0].text
