"""Scripted conversations, each checked so that every reader of it agrees: the stored state
equals the fold of the stored readings, the next action says "wait" exactly when a draft
reviewed at that moment is "still venting", the scorecard's interruptions are the agent
messages the fold saw cut into a burst, and the suggestion panel holds lines for a reply.

The complaints are written for these tests; times are seconds after the first message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from heard import service
from heard.playbook import PlaybookState, Said, fold
from heard.store import Database, migrate, repo
from heard.understand import Analysis

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
COMPLAINTS = {
    "double charge": ("You charged my card twice for order 8812!", "And nobody answers my emails!!"),
    "late movers": (
        "The movers you booked came three hours late.",
        "I missed my flat inspection because of it.",
    ),
    "broken kettle": (
        "The kettle I bought from you stopped working after two days.",
        "It just clicks off now.",
    ),
    "lost parcel": (
        "My parcel was marked delivered but it never arrived.",
        "I have checked with every neighbour.",
    ),
    "cancelled booking": (
        "You cancelled my hotel booking without telling me.",
        "I found out at the desk at midnight!",
    ),
    "no callback": (
        "I was promised a call back on Monday and nobody called.",
        "This is the third time I ask.",
    ),
}
REFLECT = "It sounds like this has been really frustrating, and I want to put it right."
# Each pattern: the messages as (role, first or second complaint line or agent text, seconds),
# when the agent drafts a reply (seconds), whether that draft interrupts, and the agent messages
# (numbered from 1) that cut into a burst.
PATTERNS = {
    "one message, reply a minute later": ([("customer", 0, 0)], 60, False, []),
    "burst, draft while it goes on": ([("customer", 0, 0), ("customer", 1, 10)], 20, True, []),
    "burst, draft two minutes later": ([("customer", 0, 0), ("customer", 1, 10)], 130, False, []),
    "reply cuts into the burst, then more": (
        [("customer", 0, 0), ("customer", 1, 8), ("agent", REFLECT, 12), ("customer", 1, 20)],
        200,
        False,
        [3],
    ),
    "reflected, confirmed, then details": (
        [("customer", 0, 0), ("agent", REFLECT, 90), ("customer", "Yes, exactly.", 150)],
        240,
        False,
        [],
    ),
}
CASES = [(c, p) for c in COMPLAINTS for p in PATTERNS]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    database = Database.connect(f"sqlite:///{tmp_path_factory.mktemp('scripts') / 'heard.db'}")
    migrate(database)
    with database.write() as s:
        team = repo.create_team(session=s, name="Scripts")
        user = repo.create_user(session=s, team_id=team.id, name="Ana", role="agent")
        ids = team.id, user.id
    return database, *ids


def _play(db, team_id, user_id, complaint, pattern) -> tuple[int, float]:
    lines = COMPLAINTS[complaint]
    script, draft_after, _, _ = PATTERNS[pattern]
    row, _ = service.start_conversation(db, team_id=team_id)
    for role, what, after in script:
        text = lines[what] if isinstance(what, int) else what
        service.ingest_message(
            db, team_id=team_id, user_id=user_id, conversation_id=row.id, role=role, text=text,
            at=T0 + timedelta(seconds=after),
        )  # fmt: skip
    return row.id, draft_after


@pytest.mark.parametrize(("complaint", "pattern"), CASES, ids=[f"{c}: {p}" for c, p in CASES])
def test_every_reader_of_a_conversation_agrees(db, complaint, pattern) -> None:
    database, team_id, user_id = db
    cid, draft_after = _play(database, team_id, user_id, complaint, pattern)
    now = T0 + timedelta(seconds=draft_after)
    opened = service.open_conversation(database, team_id=team_id, conversation_id=cid)
    said = [
        Said(role=m.role, text=m.text, at=m.at.timestamp(), acts=m.acts,
             analysis=Analysis.model_validate(m.analysis) if m.analysis else None)
        for m in opened.messages
    ]  # fmt: skip
    folded = fold(said, now=now.timestamp(), words=False)

    # The state stored message by message is the fold of the stored readings.
    assert folded.state.model_dump(exclude={"suggested"}) == PlaybookState.model_validate(
        opened.row.state
    ).model_dump(exclude={"suggested"})

    # The next action, the review of a draft sent now and the fold agree on interrupting.
    action = service.next_action(opened.row, now=now)
    review = service.review_draft(database, team_id=team_id, conversation_id=cid, draft=REFLECT, at=now)
    venting = review.stage == "venting"
    assert (action.kind == "wait") == venting == folded.interrupting == PATTERNS[pattern][2], (
        action.kind,
        review.stage,
    )
    assert any(f.check == "still_venting" for f in review.findings) == venting

    # The scorecard's interruptions are the agent messages the fold saw cut into a burst.
    card = service.scorecard(database, team_id=team_id, conversation_id=cid)
    cut = [
        k + 1 for k, m in enumerate(said)
        if m.role == "agent" and fold(said[:k], now=m.at, words=False).interrupting
    ]  # fmt: skip
    assert [i.message for i in card.interruptions] == cut == PATTERNS[pattern][3]
    steps = {s.step: s.status for s in card.steps}
    assert steps["avoid_interruptions"] == ("missed" if cut else steps["avoid_interruptions"])

    # The console's panels: lines to reply with, and the stored reading shown with each message.
    lines = service.lines(database, team_id=team_id, conversation_id=cid)
    assert lines.reflection or lines.acknowledgement
    assert all(m.analysis for m in opened.messages if m.role == "customer")
    assert all(m.author == "Ana" and m.act_reading for m in opened.messages if m.role == "agent")


def test_there_are_at_least_thirty_scripts() -> None:
    assert len(CASES) >= 30
