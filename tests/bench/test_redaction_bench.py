from heard.bench.redaction import GOALS, MAX_ORDINARY_CHANGED, bench_redaction, card, generate, iban
from heard.understand.pii import luhn_ok


def test_the_generator_is_deterministic_and_large_enough() -> None:
    cases, plain = generate(seed=7)
    again, plain_again = generate(seed=7)
    assert [c.text for c in cases] == [c.text for c in again] and plain == plain_again
    assert len(cases) + len(plain) >= 1000
    for c in cases:
        for _kind, start, end in c.spans:
            assert 0 <= start < end <= len(c.text)


def test_generated_values_carry_valid_checksums() -> None:
    import random

    from stdnum import iban as stdnum_iban

    rng = random.Random(3)
    for _ in range(50):
        assert luhn_ok("".join(ch for ch in card(rng) if ch.isdigit()))
        assert stdnum_iban.is_valid(iban(rng).upper())


def test_redaction_meets_its_goals_on_the_generated_set() -> None:
    figures = bench_redaction()
    assert figures["messages"] >= 1000
    for kind, goal in GOALS.items():
        assert figures["recall"][kind] >= goal, (kind, figures["recall"])
    assert figures["half_redactions"] == 0
    assert figures["ordinary_changed"] <= MAX_ORDINARY_CHANGED
    assert figures["goals_met"] is True
