"""Every line heard suggests, reviewed as the agent's draft in the very situation heard suggests
it, gets no high or medium finding: heard never suggests what it would then flag.

Each line alone and the reply they compose are reviewed, for complaints where the company is at
fault and where it is not, for a team with a policy catalogue and one without:

- while the customer waits to be heard, the suggestion panel's reflection, acknowledgement and
  apology (each does the step due now: it acknowledges first), and the reply the panel composes
  (reflection, apology while owed, a question);
- once the customer confirmed the reflection, the next action's questions (each alone) and its
  reply (acknowledgement, apology while owed, a question), or its offers when nothing is missing;
- once nothing is missing, each remedy the policy panel offers, alone and after the next action's
  acknowledgement and apology.

A question alone is not reviewed while the customer still waits to be heard: asking before
acknowledging is what the review rightly flags, and heard suggests the question then only as
part of the composed reply.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from heard import service
from heard.respond.policy import example_catalogue_text
from heard.store import Database, migrate, repo

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
# Two messages of a burst each; the company at fault in the first six, not in the last four.
COMPLAINTS = {
    "double charge": ("You charged my card twice for order 8812!", "And nobody answers my emails!!"),
    "late movers": ("The movers you booked came three hours late.", "I missed my flat inspection because of it."),
    "broken kettle": ("The kettle I bought from you stopped working after two days.", "It just clicks off now."),
    "cancelled booking": ("You cancelled my hotel booking without telling me.", "I found out at the desk at midnight!"),
    "no callback": ("I was promised a call back on Monday and nobody called.", "This is the third time I ask."),
    "late refund": ("I returned the blender three weeks ago and still no refund.", "I'm fed up waiting for my 80 dollars."),
    "forgot password": ("I forgot my password and typed it wrong too many times.",
                        "Now my account is locked and I can't pay my bill today!"),
    "courier rain": ("The courier left my box outside in the rain.", "Everything inside is soaked and ruined."),
    "wrong size": ("I ordered the wrong size by mistake.", "Can I swap the jacket for a medium?"),
    "storm delay": ("The storm closed the airport and my flight was cancelled.", "I'm stuck here with two kids and no hotel."),
}  # fmt: skip
# Complaints that tell everything a remedy needs, then the customer's answer to a question.
OFFERED = {
    "double charge": ("You charged my card twice for order 8812 yesterday!",
                      "I want the second 40 dollar charge refunded.", "Yes, a refund of the 40 dollars please."),
    "late movers": ("The movers you booked for booking MV-2231 came three hours late on Friday.",
                    "I missed my flat inspection because of it and I want it rebooked.", "Please rebook them."),
    "broken kettle": ("The kettle from order 55120 stopped working two days after it came last week.",
                      "I want a replacement.", "A replacement please."),
}  # fmt: skip
POLICY = [pytest.param(True, id="policy"), pytest.param(False, id="no policy")]


@pytest.fixture(scope="module")
def teams(tmp_path_factory):
    database = Database.connect(f"sqlite:///{tmp_path_factory.mktemp('lines') / 'heard.db'}")
    migrate(database)
    with database.write() as s:
        with_policy = repo.create_team(session=s, name="With policy")
        repo.put_policy(session=s, team_id=with_policy.id, catalogue=example_catalogue_text())
        without = repo.create_team(session=s, name="Without policy")
        ids = {True: with_policy.id, False: without.id}
    return database, ids


def _say(db, team_id, cid, role, text, seconds) -> None:
    service.ingest_message(db, team_id=team_id, conversation_id=cid, role=role, text=text,
                           at=T0 + timedelta(seconds=seconds))  # fmt: skip


def _serious(db, team_id, cid, draft, seconds) -> list[tuple[str, str]]:
    r = service.review_draft(db, team_id=team_id, conversation_id=cid, draft=draft,
                             at=T0 + timedelta(seconds=seconds))  # fmt: skip
    return [(f.check, f.severity) for f in r.findings if f.severity in ("high", "medium")]


def _reply(*parts: str | None) -> str:
    return " ".join(p for p in parts if p)


def _told(db, team_id, messages) -> int:
    row, _ = service.start_conversation(db, team_id=team_id)
    for k, text in enumerate(messages):
        _say(db, team_id, row.id, "customer", text, 90 * k)
    return row.id


@pytest.mark.parametrize("policy", POLICY)
@pytest.mark.parametrize("complaint", sorted(COMPLAINTS))
def test_each_listening_line_and_the_composed_reply_pass(teams, complaint, policy) -> None:
    db, ids = teams
    cid = _told(db, ids[policy], COMPLAINTS[complaint])
    lines = service.lines(db, team_id=ids[policy], conversation_id=cid)
    question = lines.questions[0].text if lines.questions else None
    drafts = {
        "reflection": lines.reflection,
        "acknowledgement": lines.acknowledgement,
        "apology": lines.apology,
        "composed": _reply(lines.reflection or lines.acknowledgement, lines.apology, question),
    }
    assert drafts["reflection"] or drafts["acknowledgement"]
    for name, draft in drafts.items():
        if draft:
            assert _serious(db, ids[policy], cid, draft, 600) == [], (name, draft)


@pytest.mark.parametrize("policy", POLICY)
@pytest.mark.parametrize("complaint", sorted(COMPLAINTS))
def test_the_next_actions_questions_and_offers_pass_once_heard(teams, complaint, policy) -> None:
    db, ids = teams
    team_id = ids[policy]
    cid = _told(db, team_id, COMPLAINTS[complaint])
    lines = service.lines(db, team_id=team_id, conversation_id=cid)
    _say(db, team_id, cid, "agent", _reply(lines.reflection or lines.acknowledgement, lines.apology), 600)
    _say(db, team_id, cid, "customer", "Yes, exactly.", 660)
    row = service.open_conversation(db, team_id=team_id, conversation_id=cid).row
    action = service.next_action(row, now=T0 + timedelta(seconds=900))
    assert action is not None and action.kind in ("ask", "offer"), action
    asked = [q.text for q in action.questions] + [s.text for s in action.solutions]
    assert asked or action.kind == "offer"  # an offer without a catalogue has nothing to say
    composed = _reply(action.acknowledgement, action.apology, *asked[:1])
    # One vocabulary of stages: the review judges the draft at the stage the fold is at.
    stage = service.review_draft(db, team_id=team_id, conversation_id=cid, draft=composed or "Thank you.",
                                 at=T0 + timedelta(seconds=900)).stage  # fmt: skip
    assert stage == {"ask": "gathering_details", "offer": "offering_solutions"}[action.kind] == row.stage
    for draft in [*asked, composed]:
        if draft:
            assert _serious(db, team_id, cid, draft, 900) == [], (action.kind, draft)


@pytest.mark.parametrize("complaint", sorted(OFFERED))
def test_every_remedy_the_policy_panel_offers_passes(teams, complaint) -> None:
    db, ids = teams
    team_id = ids[True]
    first, second, answer = OFFERED[complaint]
    cid = _told(db, team_id, (first, second))
    lines = service.lines(db, team_id=team_id, conversation_id=cid)
    _say(db, team_id, cid, "agent", _reply(lines.reflection or lines.acknowledgement, lines.apology), 600)
    _say(db, team_id, cid, "customer", "Yes, exactly.", 660)
    at = 900
    action = service.next_action(service.open_conversation(db, team_id=team_id, conversation_id=cid).row,
                                 now=T0 + timedelta(seconds=at))  # fmt: skip
    if action.kind == "ask":  # the agent asks; the customer answers
        _say(db, team_id, cid, "agent", _reply(action.acknowledgement, action.questions[0].text), at)
        _say(db, team_id, cid, "customer", answer, at + 60)
        at += 300
        action = service.next_action(service.open_conversation(db, team_id=team_id, conversation_id=cid).row,
                                     now=T0 + timedelta(seconds=at))  # fmt: skip
    assert action.kind == "offer"
    offers = service.offers(db, team_id=team_id, conversation_id=cid)
    assert offers and {s.remedy for s in action.solutions} <= {s.remedy for s in offers}
    for offer in offers:
        for draft in (offer.text, _reply(action.acknowledgement, action.apology, offer.text)):
            assert _serious(db, team_id, cid, draft, at) == [], (offer.remedy, draft)
