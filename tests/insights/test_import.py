"""``heard import`` into the real store (SQLite and PostgreSQL): every test runs on both.

Archives are small exports written here. Analysis runs in the test process (``workers=0``)
except in the command-line test, which starts the real analyser pool.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from heard.cli import app
from heard.errors import RecordNotFound
from heard.insights.archive import ArchiveMessage, BadRow, read_archive
from heard.service.imports import AHEAD, import_archive, message_key
from heard.store import repo
from heard.store.tables import ConversationRow, CustomerRow, IncidentRow, MessageRow

CSV = (
    "conversation_id,role,text,at,id,author\n"
    'c-1,customer,"The movers were booked for 8 am and came at noon, so I missed my inspection. Unbelievable.",'
    "2026-03-01T10:00:05Z,m1,cust-77\n"
    'c-1,agent,"I\'m so sorry, that must have been stressful. Let me check.",2026-03-01T10:02:00Z,m2,agent-3\n'
    "c-2,customer,You charged me twice for order 5521.,2026-03-02T09:00:00Z,m3,cust-9\n"
    'c-1,customer,"Thanks, that helps.",2026-03-01T10:09:00Z,m4,cust-77\n'
)
JSONL = [
    {"conversation_id": "j-1", "role": "customer", "text": "My refund never arrived.", "at": "2026-04-01T08:00:00Z"},
    {"conversation_id": "j-1", "role": "agent", "text": "I'm sorry for the wait. I've issued it today."},
    {"conversation_id": "j-2", "role": "customer", "text": "I can't log in since Monday.", "at": 1775030400},
]  # fmt: skip
TWEETS = (
    "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
    "101,sam_k,True,Tue Mar 03 09:00:00 +0000 2026,@AcmeHelp my parcel is a week late,102,\n"
    "102,AcmeHelp,False,Tue Mar 03 09:05:00 +0000 2026,@sam_k Sorry to hear that! Can you DM us the order?,103,101\n"
    "103,sam_k,True,Tue Mar 03 09:07:00 +0000 2026,@AcmeHelp done. still nothing,,102\n"
)
TICKETS = {
    "tickets": [
        {
            "id": 5001,
            "requester_id": 77,
            "comments": [
                {"id": 1, "author_id": 77, "body": "The kettle arrived broken.", "created_at": "2026-03-05T10:00:00Z"},
                {"id": 2, "author_id": 9, "body": "Internal: check stock.", "public": False},
                {"id": 3, "author_id": 9, "body": "I'm sorry. A new one is on its way.", "created_at": "2026-03-05T11:00:00Z"},
            ],
        }
    ]
}  # fmt: skip
FILES = {
    "csv": ("history.csv", lambda p: p.write_text(CSV, "utf-8"), 2, 4),
    "jsonl": (
        "history.jsonl",
        lambda p: p.write_text("\n".join(map(json.dumps, JSONL)) + "\n", "utf-8"),
        2,
        3,
    ),
    "tweets": ("tweets.csv", lambda p: p.write_text(TWEETS, "utf-8"), 1, 3),
    "tickets": ("tickets.json", lambda p: p.write_text(json.dumps(TICKETS), "utf-8"), 1, 2),
}


def _team(db, name="acme", **settings) -> int:
    with db.write() as s:
        return repo.create_team(session=s, name=name, **settings).id


def _import(db, path, format, team="acme", **kwargs):
    bad: list[BadRow] = []
    rows = read_archive(path, format=format, brands=["AcmeHelp"] if format == "tweets" else ())
    summary = import_archive(
        db, team=team, rows=rows, format=format, workers=0, on_bad_row=bad.append, **kwargs
    )
    return summary, bad


def _count(db, table, **where) -> int:
    with db.read() as s:
        query = select(func.count()).select_from(table)
        for key, value in where.items():
            query = query.where(getattr(table, key) == value)
        return s.scalar(query)


@pytest.mark.parametrize("format", sorted(FILES))
def test_each_format_imports_analysed_resolved_conversations(db, tmp_path, format) -> None:
    name, write, conversations, messages = FILES[format]
    path = tmp_path / name
    write(path)
    team = _team(db)
    summary, bad = _import(db, path, format)
    assert bad == [] and summary.bad_rows == 0
    assert (summary.conversations_added, summary.messages_added) == (conversations, messages)
    with db.read() as s:
        convs = s.scalars(select(ConversationRow).where(ConversationRow.team_id == team)).all()
        assert len(convs) == conversations
        for conv in convs:
            assert conv.source == "import" and conv.status == "resolved" and conv.external_id
            stored = repo.messages_of(session=s, conversation_id=conv.id)
            assert conv.messages == len(stored) and conv.resolved_at == max(m.at for m in stored)
            assert conv.created_at == min(m.at for m in stored)
            for m in stored:
                assert m.external_id and m.action["step"] == "learn"
                if m.role == "customer":
                    assert m.analysis["level"] and m.analysis["produced_by"]["emotions"] and m.acts is None
                else:
                    assert m.analysis is None and isinstance(m.acts, list) and m.acts_source == "detected"
            assert conv.peak_upset == max((m.analysis["upset"] for m in stored if m.analysis), default=0.0)
    assert summary.analysed + summary.acts_read == messages


def test_conversation_summary_and_customer_come_from_the_archive(db, tmp_path) -> None:
    path = tmp_path / "history.csv"
    path.write_text(CSV, "utf-8")
    team = _team(db)
    _import(db, path, "csv")
    with db.read() as s:
        convs = repo.conversations_by_external_id(session=s, team_id=team, external_ids=["c-1", "c-2"])
        assert convs["c-2"].category == "billing" and convs["c-1"].category == "late_or_missed"
        assert repo.customer_ref(session=s, customer_id=convs["c-1"].customer_id) == "cust-77"
        assert convs["c-1"].channel == "chat" and convs["c-1"].state["apologised"] is True
        texts = [m.text for m in repo.messages_of(session=s, conversation_id=convs["c-1"].id)]
        assert texts[-1] == "Thanks, that helps."  # file order within a conversation


def test_a_re_run_adds_nothing_and_a_longer_export_adds_only_what_is_new(db, tmp_path) -> None:
    path = tmp_path / "history.jsonl"
    path.write_text("\n".join(map(json.dumps, JSONL)) + "\n", "utf-8")  # no message ids in this file
    _team(db)
    first, _ = _import(db, path, "jsonl")
    again, _ = _import(db, path, "jsonl")
    assert first.messages_added == 3
    assert (again.messages_added, again.conversations_added, again.messages_skipped) == (0, 0, 3)
    assert again.analysed == 0  # stored messages are not analysed again
    later = {"conversation_id": "j-2", "role": "agent", "text": "Let me reset it for you.", "at": 1775031000}
    path.write_text("\n".join(map(json.dumps, [later, *JSONL])) + "\n", "utf-8")  # new order, one more
    more, _ = _import(db, path, "jsonl")
    assert (more.messages_added, more.messages_skipped, more.conversations_updated) == (1, 3, 1)
    assert _count(db, MessageRow) == 4 and _count(db, ConversationRow) == 2
    with db.read() as s:
        assert s.scalar(select(ConversationRow.messages).where(ConversationRow.external_id == "j-2")) == 2


def test_every_imported_conversation_becomes_an_incident(db, tmp_path) -> None:
    path = tmp_path / "history.csv"
    path.write_text(CSV, "utf-8")
    team = _team(db)
    summary, _ = _import(db, path, "csv", batch_size=1)  # c-1 runs over three batches
    assert summary.incidents == 2
    with db.read() as s:
        convs = repo.conversations_by_external_id(session=s, team_id=team, external_ids=["c-1", "c-2"])
        late = repo.incident_of(session=s, conversation_id=convs["c-1"].id)
        billing = repo.incident_of(session=s, conversation_id=convs["c-2"].id)
    assert late.category == "late_or_missed" and late.fault in {"company", "third_party"}
    assert late.root_cause and "noon" in late.root_cause
    # steps come from the scorecard of the whole conversation ("Let me check." owns it)
    assert "take_responsibility" in late.steps_done and "offer_solutions" not in late.steps_done
    # A missed inspection to a late crew, said with disbelief, reads "upset", so the thanks two
    # customer messages later is a de-escalation.
    assert late.final_level == "calm" and late.messages_to_deescalate == 2
    assert billing.category == "billing" and billing.steps_done == []  # no agent reply in the file
    again, _ = _import(db, path, "csv")
    assert again.incidents == 0 and _count(db, IncidentRow) == 2


def test_a_conversation_that_grows_on_a_re_run_has_its_incident_read_again(db, tmp_path) -> None:
    path = tmp_path / "history.jsonl"
    path.write_text(json.dumps(JSONL[2]) + "\n", "utf-8")  # j-2: the customer alone
    team = _team(db)
    _import(db, path, "jsonl")
    with db.read() as s:
        conv = repo.conversations_by_external_id(session=s, team_id=team, external_ids=["j-2"])["j-2"]
        assert repo.incident_of(session=s, conversation_id=conv.id).steps_done == []
    reply = {"conversation_id": "j-2", "role": "agent", "text": "I'm so sorry you're locked out. I've reset it.",
             "at": 1775031000}  # fmt: skip
    path.write_text("\n".join(map(json.dumps, [JSONL[2], reply])) + "\n", "utf-8")
    more, _ = _import(db, path, "jsonl")
    assert more.incidents == 1 and _count(db, IncidentRow) == 1
    with db.read() as s:
        conv = repo.conversations_by_external_id(session=s, team_id=team, external_ids=["j-2"])["j-2"]
        assert {"apologise", "offer_solutions"} <= set(
            repo.incident_of(session=s, conversation_id=conv.id).steps_done
        )


def test_message_keys_are_the_export_ids_or_stable_content_hashes() -> None:
    with_id = ArchiveMessage(conversation_id="c", role="customer", text="hi", external_id="m9", line=1)
    plain = ArchiveMessage(conversation_id="c", role="customer", text="hi", line=1)
    assert message_key(with_id) == "m9"
    assert message_key(plain).startswith("h:")
    assert message_key(plain) == message_key(plain.model_copy(update={"line": 40}))
    assert message_key(plain) != message_key(plain.model_copy(update={"role": "agent"}))
    long = with_id.model_copy(update={"external_id": "x" * 500})
    assert len(message_key(long)) <= 200


def test_bad_rows_are_reported_with_their_lines_and_the_rest_is_imported(db, tmp_path) -> None:
    path = tmp_path / "history.csv"
    path.write_bytes(
        b"conversation_id,role,text,at,id\n"
        b"c1,customer,The movers never came.,2026-03-01T10:00:00Z,m1\n"
        b"c1,robot,beep,2026-03-01T10:03:00Z,m2\n"
        b"c2,customer,caf\xe9 order wrong,2026-03-02T09:00:00Z,m3\n"
        b"c2,customer,Wrong time,yesterday,m4\n"
        b"c2,customer,Charged twice for one order.,2026-03-02T09:01:00Z,m5\n"
    )
    _team(db)
    summary, bad = _import(db, path, "csv", batch_size=2)
    assert [b.line for b in bad] == [3, 4, 5] and summary.bad_rows == 3
    assert "role is 'robot'" in bad[0].reason and "UTF-8" in bad[1].reason
    assert summary.messages_added == 2 and _count(db, MessageRow) == 2


def test_personal_data_is_redacted_as_the_team_says(db, tmp_path) -> None:
    path = tmp_path / "history.jsonl"
    text = "Call me on 07700 900123 or mail ann@example.com, the parcel never came."
    path.write_text(json.dumps({"conversation_id": "p1", "role": "customer", "text": text}) + "\n", "utf-8")
    _team(db, "redacting")
    _team(db, "keeping", redact_pii=False)
    summary, _ = _import(db, path, "jsonl", team="redacting")
    _import(db, path, "jsonl", team="keeping")
    assert summary.redacted == 1
    with db.read() as s:
        rows = {
            r.team_id: r for r in s.scalars(select(MessageRow).order_by(MessageRow.team_id))
        }  # one message per team
        redacted, kept = rows.values()
        assert (
            "ann@example.com" not in redacted.text
            and "[email]" in redacted.text
            and "[phone]" in redacted.text
        )
        assert sorted(r["kind"] for r in redacted.redactions) == ["email", "phone"]
        assert "ann@example.com" not in json.dumps(redacted.analysis)
        assert kept.text == text and kept.redactions == []


def test_teams_are_kept_apart(db, tmp_path) -> None:
    path = tmp_path / "history.csv"
    path.write_text(CSV, "utf-8")
    a, b = _team(db, "a"), _team(db, "b")
    _import(db, path, "csv", team="a")
    second, _ = _import(db, path, "csv", team="b")  # the same ids are new for another team
    assert second.messages_added == 4 and second.messages_skipped == 0
    with db.read() as s:
        mine = repo.conversations_by_external_id(session=s, team_id=a, external_ids=["c-1"])["c-1"]
        with pytest.raises(RecordNotFound):
            repo.get_conversation(session=s, team_id=b, conversation_id=mine.id)
        page, total = repo.list_conversations(session=s, team_id=b, limit=10, offset=0)
        assert total == 2 and all(c.team_id == b for c, _ in page)
        assert s.scalar(select(func.count()).select_from(CustomerRow).where(CustomerRow.team_id == b)) == 2


def test_an_unknown_team_is_refused(db, tmp_path) -> None:
    path = tmp_path / "history.csv"
    path.write_text(CSV, "utf-8")
    _team(db)
    with pytest.raises(RecordNotFound, match="no team named 'acme-eu'.*heard team create"):
        _import(db, path, "csv", team="acme-eu")


def test_a_large_archive_streams_in_batches(db) -> None:
    """Memory is bounded by the batches, not the archive: the source is read only a few
    batches ahead of what is stored, however long it is."""
    size, batch = 1_000, 100
    produced = 0

    def archive():
        nonlocal produced
        for n in range(size):
            produced += 1
            role = "customer" if n % 3 else "agent"
            yield ArchiveMessage(
                conversation_id=f"g{n // 6}", role=role, text=f"Order {n} never came.", line=n + 1
            )

    ahead = []
    _team(db)
    summary = import_archive(
        db, team="acme", rows=archive(), workers=0, frame=False, batch_size=batch,
        on_batch=lambda s: ahead.append(produced - s.messages_added),
    )  # fmt: skip
    assert summary.messages_added == size and summary.batches == size // batch
    assert max(ahead) <= (AHEAD + 1) * batch  # never more than the batches in flight were read
    assert len(ahead) == size // batch


def test_the_command_imports_with_the_pool_and_says_what_it_did(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("HEARD_DATABASE_URL", f"sqlite:///{tmp_path / 'heard.db'}")
    runner = CliRunner()
    assert runner.invoke(app, ["team", "create", "acme"]).exit_code == 0
    path = tmp_path / "history.csv"
    path.write_text(CSV + "c-3,robot,beep,,m9,\n", "utf-8")
    args = ["import", str(path), "--team", "acme", "--workers", "1", "--no-progress"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "2 conversations added" in first.stdout and "4 messages added" in first.stdout
    assert "1 bad rows" in first.stdout and "line 6:" in first.stderr and "robot" in first.stderr
    again = runner.invoke(app, args)
    assert "0 messages added" in again.stdout and "4 skipped as already present" in again.stdout


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--team", "nobody"], "no team named 'nobody'"),
        (["--team", "acme", "--format", "xml"], "unknown format 'xml'"),
    ],
)
def test_the_command_names_what_to_change(tmp_path, monkeypatch, args, said) -> None:
    monkeypatch.setenv("HEARD_DATABASE_URL", f"sqlite:///{tmp_path / 'heard.db'}")
    runner = CliRunner()
    runner.invoke(app, ["team", "create", "acme"])
    path = tmp_path / "history.csv"
    path.write_text(CSV, "utf-8")
    done = runner.invoke(app, ["import", str(path), *args, "--no-progress"])
    assert done.exit_code == 2 and said in done.stderr


def test_a_file_in_another_encoding_is_refused_at_once(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("HEARD_DATABASE_URL", f"sqlite:///{tmp_path / 'heard.db'}")
    runner = CliRunner()
    runner.invoke(app, ["team", "create", "acme"])
    utf16, latin1 = tmp_path / "utf16.csv", tmp_path / "latin1.csv"
    utf16.write_text(CSV, "utf-16")
    latin1.write_bytes(b"conversation_id,role,text\n" + b"c1,customer,Le caf\xe9 est froid\n" * 3)
    for path, said in ((utf16, "UTF-16"), (latin1, "is not UTF-8")):
        done = runner.invoke(app, ["import", str(path), "--team", "acme", "--no-progress"])
        assert done.exit_code == 2 and said in done.stderr, done.output


def test_incidents_are_recorded_page_by_page_with_grown_conversations(db, tmp_path, monkeypatch) -> None:
    from heard.service import imports as importer

    monkeypatch.setattr(importer, "INCIDENT_PAGE", 2)  # pages of two: grown and new ones interleave
    path = tmp_path / "history.jsonl"
    first = [
        {"conversation_id": f"p-{n}", "role": "customer", "text": f"Parcel {n} is a week late.",
         "at": f"2026-03-0{n}T09:00:00Z"}
        for n in range(1, 4)
    ]  # fmt: skip
    path.write_text("\n".join(map(json.dumps, first)) + "\n", "utf-8")
    team = _team(db)
    assert _import(db, path, "jsonl")[0].incidents == 3
    replies = [
        {"conversation_id": f"p-{n}", "role": "agent", "text": "I'm so sorry it is late. I've sent a new one.",
         "at": f"2026-03-0{n}T10:00:00Z"}
        for n in (1, 3)
    ]  # fmt: skip
    fresh = [
        {"conversation_id": f"q-{n}", "role": "customer", "text": f"I was charged twice for order {n}.",
         "at": f"2026-03-0{n}T09:00:00Z"}
        for n in range(1, 6)
    ]  # fmt: skip
    path.write_text("\n".join(map(json.dumps, first + replies + fresh)) + "\n", "utf-8")
    more, _ = _import(db, path, "jsonl")
    assert more.conversations_updated == 2 and more.conversations_added == 5
    assert more.incidents == 7 and _count(db, IncidentRow) == 8
    with db.read() as s:
        convs = repo.conversations_by_external_id(session=s, team_id=team, external_ids=["p-1", "p-2", "p-3"])
        steps = {
            ext: repo.incident_of(session=s, conversation_id=c.id).steps_done for ext, c in convs.items()
        }
    assert "apologise" in steps["p-1"] and "apologise" in steps["p-3"] and steps["p-2"] == []
