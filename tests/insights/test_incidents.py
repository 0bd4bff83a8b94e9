"""Incidents read from past conversations written here, through the real analysis."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from heard.insights.archive import ArchiveMessage, BadRow
from heard.insights.incidents import (
    Incident,
    conversations,
    incident_from_conversation,
    load_incidents,
    with_themes,
)

START = datetime(2026, 3, 2, 9, tzinfo=UTC)


def _conversation(cid: str, turns: list[tuple[str, str]], customer: str = "ana") -> list[ArchiveMessage]:
    return [
        ArchiveMessage(
            conversation_id=cid,
            role=role,
            text=text,
            at=START + timedelta(minutes=3 * n),
            author=customer if role == "customer" else "agent7",
            line=n + 1,
        )
        for n, (role, text) in enumerate(turns)
    ]


CALMED = _conversation(
    "c1",
    [
        ("customer", "I am furious!!! You charged me twice for order 5521 and NOBODY answers my emails!"),
        (
            "agent",
            "I'm so sorry, that's not okay. I can see both charges and I'm refunding the second one now.",
        ),
        ("customer", "ok. when will I see it?"),
        ("agent", "Within three working days. I'll email you when it's sent."),
        ("customer", "Thank you, that's fine."),
    ],
)


def test_a_conversation_that_calmed_down_is_deescalated_with_its_timing() -> None:
    i = incident_from_conversation(CALMED)
    assert i.id == "c1" and i.customer == "ana" and i.agent == "agent7"
    assert i.peak_level in ("angry", "furious") and i.final_level in ("calm", "concerned")
    assert i.deescalated is True
    assert i.messages_to_deescalate == 2 and i.minutes_to_deescalate == 6.0
    assert i.category == "billing" and i.fault == "company"
    assert i.root_cause and "charged" in i.root_cause
    assert i.opened_at == START and i.closed_at == START + timedelta(minutes=12)
    assert i.steps_done == [] and i.outcome == "unknown"  # what the analysis cannot tell stays empty


def test_a_conversation_that_stayed_angry_is_not_deescalated() -> None:
    turns = [
        ("customer", "The movers never came and I lost my deposit. This is a disgrace!!"),
        ("agent", "Per our policy we cannot refund deposits."),
        ("customer", "Unbelievable. I am FURIOUS. I'm leaving and telling everyone."),
    ]
    i = incident_from_conversation(_conversation("c2", turns))
    assert i.deescalated is False and i.messages_to_deescalate is None and i.angry


def test_a_calm_conversation_has_nothing_to_deescalate() -> None:
    turns = [("customer", "Hi, what time do you open on Saturday?"), ("agent", "We open at 9 am.")]
    i = incident_from_conversation(_conversation("c3", turns))
    assert i.deescalated is None and not i.upset


def test_incident_from_conversation_refuses_mixed_or_empty_conversations() -> None:
    with pytest.raises(ValueError, match="2 conversations"):
        incident_from_conversation(CALMED[:2] + _conversation("other", [("customer", "hello")]))
    with pytest.raises(ValueError, match="at least one message"):
        incident_from_conversation([])


def test_conversations_group_consecutive_messages_and_can_pass_bad_rows_on() -> None:
    bad = BadRow(line=3, reason="[H103] line 3: broken")
    rows = CALMED[:2] + [bad] + CALMED[2:] + _conversation("c9", [("customer", "hi")])
    grouped = list(conversations(rows))
    assert [len(g) for g in grouped] == [5, 1]
    assert [type(g).__name__ for g in conversations(rows, bad_rows=True)] == ["BadRow", "list", "list"]


def test_load_incidents_reads_incident_lines_and_reports_bad_ones(tmp_path) -> None:
    path = tmp_path / "incidents.jsonl"
    good = Incident(id="a", category="billing", root_cause="charged twice", opened_at=START)
    path.write_text(
        good.model_dump_json() + "\n" + json.dumps({"id": "b", "category": "weather"}) + "\n{nope\n", "utf-8"
    )
    rows = list(load_incidents(path))
    assert rows[0] == good
    assert [r.line for r in rows[1:]] == [2, 3]
    assert "category" in rows[1].reason


def test_load_incidents_turns_an_archive_into_incidents(tmp_path) -> None:
    path = tmp_path / "archive.jsonl"
    lines = [
        {"conversation_id": m.conversation_id, "role": m.role, "text": m.text, "at": m.at.isoformat()}
        for m in CALMED
    ]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\nnot json\n", "utf-8")
    rows = list(load_incidents(path))
    # A bad row is reported where it is read, before the conversation around it closes.
    assert [type(r).__name__ for r in rows] == ["BadRow", "Incident"] and rows[0].line == 6
    incident = next(r for r in rows if isinstance(r, Incident))
    assert incident.deescalated is True


def test_with_themes_names_each_incident_by_the_theme_of_its_root_cause() -> None:
    roots = [
        "the refund never arrived", "still no refund after my return", "refund promised weeks ago",
        "my refund is missing", "where is my refund", "no refund for the returned boots",
        "locked out of my account", "the password reset email never comes", "can't log in to my account",
        "account locked after the update", "login keeps failing", "the reset link has expired",
    ]  # fmt: skip
    incidents = [
        Incident(id=str(n), root_cause=r, opened_at=START + timedelta(days=n)) for n, r in enumerate(roots)
    ]
    named, found = with_themes(incidents)
    assert len(found.themes) >= 2
    refund = {i.theme for i in named[:6]}
    login = {i.theme for i in named[6:]}
    assert len(refund) == 1 and None not in refund and "refund" in next(iter(refund))
    assert refund.isdisjoint(login)
    assert incidents[0].theme is None  # the input is left as it was


def test_conversations_that_interleave_are_put_back_together() -> None:
    a = _conversation("a", [("customer", "one"), ("agent", "two"), ("customer", "three")])
    b = _conversation("b", [("customer", "uno"), ("agent", "dos")])
    mixed = [a[0], b[0], a[1], b[1], a[2]]
    grouped = list(conversations(mixed))
    assert [[m.text for m in g] for g in grouped] == [["uno", "dos"], ["one", "two", "three"]]
    # With a short idle window a conversation is closed early and its late message starts another.
    late = [a[0], b[0], b[1], a[1]]
    assert [[m.text for m in g] for g in conversations(late, idle=1)] == [["one"], ["uno", "dos"], ["two"]]
