import pytest

from heard.errors import InvalidPolicy
from heard.respond import beyond_policy, dump_catalogue, example_catalogue, load_catalogue, solutions
from heard.respond.solutions import parse_amount

CATALOGUE = """
currency: USD
remedies:
  - id: refund
    name: Refund
    kind: refund
    categories: [billing, faulty_product]
    approval_above: 50
    max_amount: 200
    approver: lead
    says: "I can refund {amount}."
  - id: rebook
    name: Rebook
    kind: reschedule
    categories: [late_or_missed]
    within_hours: 48
    says: "I can rebook within {hours} hours."
"""


def test_example_catalogue_round_trips() -> None:
    c = example_catalogue()
    assert load_catalogue(dump_catalogue(c)) == c
    assert {r.kind for r in c.remedies} >= {"refund", "reschedule", "credit"}


@pytest.mark.parametrize(
    ("yaml_text", "names"),
    [
        ("remedies: [{id: r, name: R, kind: cash, categories: [billing], says: x}]", "remedies[0].kind"),
        (
            "remedies: [{id: r, name: R, kind: refund, categories: [billng], says: x}]",
            "remedies[0].categories[0]",
        ),
        (
            "remedies: [{id: r, name: R, kind: refund, categories: [billing], says: x, approval_above: 90, "
            "max_amount: 50, approver: lead}]",
            "approval_above must not be more than max_amount",
        ),
        (
            "remedies: [{id: r, name: R, kind: refund, categories: [billing], says: '{amount}'}]",
            "no max_amount",
        ),
        (
            "remedies: [{id: r, name: R, kind: other, categories: [any], says: x}, "
            "{id: r, name: S, kind: other, categories: [any], says: y}]",
            "repeated: r",
        ),
        ("remedies: [\n  - id: [", "not valid YAML at line"),
        ("just text", "a YAML mapping"),
    ],
)
def test_invalid_catalogue_names_the_field(yaml_text: str, names: str) -> None:
    with pytest.raises(InvalidPolicy) as e:
        load_catalogue(yaml_text)
    assert names in str(e.value) and e.value.code == "H110"


def test_solutions_follow_limits_and_approvals() -> None:
    c = load_catalogue(CATALOGUE)
    small = solutions("billing", c, amounts=["$30"])[0]
    assert (small.amount, small.needs_approval, small.text) == (30, False, "I can refund 30 USD.")
    mid = solutions("billing", c, amounts=["$120"])[0]
    assert mid.needs_approval and mid.approver == "lead"
    big = solutions("billing", c, amounts=["$900"])[0]
    assert big.amount == 200 and "at most 200 USD" in big.note
    unnamed = solutions("billing", c)[0]
    assert unnamed.text == "I can refund up to 50 USD." and not unnamed.needs_approval


def test_solutions_only_for_the_category() -> None:
    c = load_catalogue(CATALOGUE)
    assert [s.remedy for s in solutions("late_or_missed", c)] == ["rebook"]
    assert solutions("rude_service", c) == []


@pytest.mark.parametrize(
    ("draft", "category", "message"),
    [
        ("I'll refund you $500 today.", "billing", "at most 200 USD"),
        ("I can refund the $120 now.", "billing", "needs a lead's approval above 50 USD"),
        ("We will give you a full refund.", "late_or_missed", "no refund for late or missed"),
        ("I can rebook it within 4 days.", "late_or_missed", "within 96 hours; policy allows 48"),
    ],
)
def test_beyond_policy_flags_promises(draft: str, category: str, message: str) -> None:
    breaches = beyond_policy(draft, load_catalogue(CATALOGUE), category)
    assert len(breaches) == 1 and message in breaches[0].message
    assert draft[breaches[0].start : breaches[0].end] == breaches[0].promise


@pytest.mark.parametrize(
    ("draft", "category"),
    [
        ("I can refund $40 right away.", "billing"),
        ("I can rebook it within 24 hours.", "late_or_missed"),
        ("I'm so sorry this happened; what is your order number?", "billing"),
    ],
)
def test_beyond_policy_accepts_what_policy_allows(draft: str, category: str) -> None:
    assert beyond_policy(draft, load_catalogue(CATALOGUE), category) == []


def test_approved_promises_pass() -> None:
    assert beyond_policy("I can refund $120.", load_catalogue(CATALOGUE), "billing", approved=True) == []


@pytest.mark.parametrize(("written", "value"), [("£1,200.50", 1200.5), ("$2k", 2000), ("40 dollars", 40)])
def test_parse_amount(written: str, value: float) -> None:
    assert parse_amount(written) == value


def test_review_flags_a_draft_that_promises_more_than_policy_allows() -> None:
    from heard.respond import review

    customer = "You charged me twice for order 5521 and I want my money back!"
    draft = "I'm so sorry we charged you twice. I'll refund you $900 right now."
    r = review(draft, customer=customer, policy=load_catalogue(CATALOGUE))
    [finding] = [f for f in r.findings if f.check == "beyond_policy"]
    assert finding.step == "offer_solutions" and finding.severity == "high"
    assert finding.text == "I'll refund you $900 right now" and "at most 200 USD" in finding.message
    assert finding.suggestion == "I can refund up to 50 USD"
    assert "beyond_policy" not in [
        f.check for f in review(draft, customer=customer).findings
    ]  # no catalogue given
    within = review("I'm so sorry we charged you twice. I can refund the $40 today.", customer=customer,
                    policy=load_catalogue(CATALOGUE))  # fmt: skip
    assert "beyond_policy" not in [f.check for f in within.findings]
