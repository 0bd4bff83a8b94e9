"""Each message is read once, when it arrives; opening a conversation runs no model.

Model runs are counted where they happen: the emotion model's ``predict`` (one per analysis)
and the act model's ``probabilities`` (one per reply read)."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from heard import service
from heard.insights.archive import read_archive
from heard.respond.acts import ActModel
from heard.store import Database, migrate, repo
from heard.understand.emotions import EmotionModel

T0 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def team(tmp_path):
    db = Database.connect(f"sqlite:///{tmp_path / 'heard.db'}")
    migrate(db)
    with db.write() as s:
        team = repo.create_team(session=s, name="Movers desk")
        user = repo.create_user(session=s, team_id=team.id, name="Sam", role="agent")
        team_id, user_id = team.id, user.id
    row, _ = service.start_conversation(db, team_id=team_id)
    return db, team_id, user_id, row.id


@pytest.fixture
def runs(monkeypatch):
    counted = {"analyses": 0, "act_readings": 0}
    predict, probabilities = EmotionModel.predict, ActModel.probabilities

    def counting_predict(self, texts, **kw):
        counted["analyses"] += len(texts)
        return predict(self, texts, **kw)

    def counting_probabilities(self, features):
        counted["act_readings"] += 1
        return probabilities(self, features)

    monkeypatch.setattr(EmotionModel, "predict", counting_predict)
    monkeypatch.setattr(ActModel, "probabilities", counting_probabilities)

    def taken():
        got = dict(counted)
        counted.update(analyses=0, act_readings=0)
        return got

    return taken


def _open_page(db, team_id, cid):
    service.open_conversation(db, team_id=team_id, conversation_id=cid)
    service.scorecard(db, team_id=team_id, conversation_id=cid)
    service.lines(db, team_id=team_id, conversation_id=cid)
    service.offers(db, team_id=team_id, conversation_id=cid)


def test_one_reading_per_message_and_none_to_open_the_page(team, runs) -> None:
    db, team_id, user_id, cid = team
    service.ingest_message(db, team_id=team_id, conversation_id=cid, role="customer", at=T0,
                           text="The movers you booked for me never showed up and I lost my deposit!")  # fmt: skip
    runs()
    service.ingest_message(db, team_id=team_id, conversation_id=cid, role="customer", at=T0,
                           text="I took a day off work for this and nobody called me at all.")  # fmt: skip
    first = runs()
    assert first == {"analyses": 1, "act_readings": 0}  # the story's words come from stored readings
    service.ingest_message(db, team_id=team_id, user_id=user_id, conversation_id=cid, role="agent",
                           at=T0 + timedelta(minutes=2),
                           text="It sounds like you were let down badly: you lost a day and your deposit.")  # fmt: skip
    assert runs() == {"analyses": 0, "act_readings": 1}
    _open_page(db, team_id, cid)
    assert runs() == {"analyses": 0, "act_readings": 0}


def test_a_first_customer_message_is_analysed_exactly_once(team, runs) -> None:
    db, team_id, _, cid = team
    service.ingest_message(
        db, team_id=team_id, conversation_id=cid, role="customer", at=T0, text="Hello there."
    )
    runs()  # models loaded
    row, _ = service.start_conversation(db, team_id=team_id)
    service.ingest_message(db, team_id=team_id, conversation_id=row.id, role="customer", at=T0,
                           text="You charged my card twice for order 5521 and I want the extra charge back.")  # fmt: skip
    assert runs() == {"analyses": 1, "act_readings": 0}
    _open_page(db, team_id, row.id)
    assert runs() == {"analyses": 0, "act_readings": 0}


def test_declared_acts_are_stored_with_their_source_and_author(team) -> None:
    db, team_id, user_id, cid = team
    service.ingest_message(db, team_id=team_id, conversation_id=cid, role="customer", at=T0,
                           text="My parcel is a week late and nobody answers.")  # fmt: skip
    done = service.ingest_message(db, team_id=team_id, user_id=user_id, conversation_id=cid, role="agent",
                                  at=T0 + timedelta(minutes=1), text="Let me look into it.", acts=["ownership"])  # fmt: skip
    assert done.message.acts == ["ownership"] and done.message.acts_source == "declared"
    assert done.message.author == "Sam" and done.message.act_reading["acts"]


@pytest.mark.parametrize("text", ["", "   ", "\u200b\u200b", "\x00", "\u200b \n\u2060"])
@pytest.mark.parametrize("role", ["agent", "customer"])
def test_text_with_nothing_visible_is_refused_and_nothing_is_stored(team, role, text) -> None:
    from heard.errors import EmptyText

    db, team_id, _, cid = team
    with pytest.raises(EmptyText, match="no visible text"):
        service.ingest_message(db, team_id=team_id, conversation_id=cid, role=role, text=text, acts=[])
    assert service.open_conversation(db, team_id=team_id, conversation_id=cid).messages == []


def test_reviewing_a_draft_reads_only_the_draft(team, runs) -> None:
    db, team_id, _, cid = team
    for k, text in enumerate(("My order 7710 arrived smashed to pieces.", "The box was soaking wet too!")):
        service.ingest_message(db, team_id=team_id, conversation_id=cid, role="customer", text=text,
                               at=T0 + timedelta(seconds=5 * k))  # fmt: skip
    runs()
    r = service.review_draft(db, team_id=team_id, conversation_id=cid, at=T0 + timedelta(minutes=3),
                             draft="I'm so sorry your order arrived broken. Could you send a photo of it?")  # fmt: skip
    assert runs() == {"analyses": 0, "act_readings": 1}
    assert r.stage != "venting"
    during = service.review_draft(db, team_id=team_id, conversation_id=cid, at=T0 + timedelta(seconds=12),
                                  draft="Okay.")  # fmt: skip
    assert during.stage == "venting" and during.findings[0].check == "still_venting"


def test_a_new_conversation_has_empty_lines_and_a_page(team, runs) -> None:
    db, team_id, _, cid = team
    lines = service.lines(db, team_id=team_id, conversation_id=cid)
    assert lines.reflection is None and lines.questions == []
    _open_page_without_scorecard = service.open_conversation(db, team_id=team_id, conversation_id=cid)
    assert _open_page_without_scorecard.messages == []
    assert service.offers(db, team_id=team_id, conversation_id=cid) == []
    assert runs() == {"analyses": 0, "act_readings": 0}


def test_an_import_reads_each_message_once_and_its_pages_and_scorecards_run_none(
    team, runs, tmp_path
) -> None:
    db, team_id, _, _ = team
    archive = tmp_path / "history.jsonl"
    said = [  # two past conversations, each message with its time and who wrote it
        ("c1", "customer", "The movers you booked never came and I lost my deposit!", "10:00:00"),
        ("c1", "agent", "I'm so sorry we let you down. It sounds like you lost a whole day and your deposit.",
         "10:02:00"),
        ("c1", "customer", "Yes, that's exactly it.", "10:03:00"),
        ("c1", "agent", "I'll refund the deposit today and check in with you tomorrow.", "10:05:00"),
        ("c2", "customer", "My parcel was marked delivered but it never came.", "11:00:00"),
        ("c2", "agent", "That must be so frustrating. What is the order number?", "11:01:00"),
    ]  # fmt: skip
    archive.write_text("".join(json.dumps({"conversation_id": c, "role": r, "text": t, "author": "Sam" if r == "agent" else None,
                                           "at": f"2026-03-01T{at}Z"}) + "\n" for c, r, t, at in said), "utf-8")  # fmt: skip
    service.ingest_message(
        db, team_id=team_id, conversation_id=team[3], role="customer", at=T0, text="Hello."
    )
    runs()  # models loaded
    summary = service.import_archive(
        db, team="Movers desk", rows=read_archive(archive, format="jsonl"), workers=0
    )
    assert (summary.messages_added, summary.incidents) == (6, 2)
    # One analysis per customer message, one act reading per agent reply: the incidents recorded
    # at import are read from the stored readings.
    assert runs() == {"analyses": 3, "act_readings": 3}
    imported = service.list_conversations(db, team_id=team_id, limit=10, status="resolved").rows
    assert len(imported) == 2
    for row, _ in imported:
        messages = service.open_conversation(db, team_id=team_id, conversation_id=row.id).messages
        assert all(m.act_reading and m.acts_source == "detected" for m in messages if m.role == "agent")
        _open_page(db, team_id, row.id)
    assert runs() == {"analyses": 0, "act_readings": 0}
