"""The archive readers on small exports written here, good rows and bad ones mixed."""

import json
from datetime import UTC, datetime

import pytest

from heard.errors import MalformedInput, UnknownFormat
from heard.insights.archive import ArchiveMessage, BadRow, read_archive


def _split(rows):
    rows = list(rows)
    return [r for r in rows if isinstance(r, ArchiveMessage)], [r for r in rows if isinstance(r, BadRow)]


def test_csv_reader_reads_messages_and_reports_bad_rows_by_line(tmp_path) -> None:
    path = tmp_path / "history.csv"
    path.write_bytes(
        b"conversation_id,role,text,at,id\n"
        b"c1,customer,The movers never came.,2026-03-01T10:00:00Z,m1\n"
        b'c1,agent,"I\'m so sorry, that must have been stressful.\nLet me check.",2026-03-01T10:02:00Z,m2\n'
        b"c1,robot,beep,2026-03-01T10:03:00Z,m3\n"
        b"c2,customer,,2026-03-02T09:00:00Z,m4\n"
        b"c2,customer,caf\xe9 order wrong,2026-03-02T09:00:00Z,m5\n"
        b"c2,customer,Wrong time,yesterday,m6\n"
        b"c2,customer,too,many,fields,here,x\n"
        b"c3,Customer,Charged twice for one order.,,m7\n"
    )
    messages, bad = _split(read_archive(path))
    assert [(m.conversation_id, m.role, m.line) for m in messages] == [
        ("c1", "customer", 2),
        ("c1", "agent", 3),
        ("c3", "customer", 10),
    ]
    assert messages[0].at == datetime(2026, 3, 1, 10, tzinfo=UTC) and messages[0].external_id == "m1"
    assert "Let me check." in messages[1].text and messages[2].at is None
    assert [b.line for b in bad] == [5, 6, 7, 8, 9]
    assert all(b.reason.startswith("[H103] line ") for b in bad)
    assert "role is 'robot'" in bad[0].reason and "UTF-8" in bad[2].reason and "ISO time" in bad[3].reason


def test_jsonl_reader_skips_bad_lines_and_goes_on(tmp_path) -> None:
    path = tmp_path / "history.jsonl"
    lines = [
        json.dumps(
            {"conversation_id": 7, "role": "customer", "text": "Where is my refund?", "time": 1772000000}
        ),
        "{not json",
        json.dumps(["a", "list"]),
        "",
        json.dumps({"conversation_id": "7", "role": "agent", "text": "Let me look into that now."}),
        json.dumps({"role": "agent", "text": "No conversation."}),
    ]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    messages, bad = _split(read_archive(path))
    assert [(m.conversation_id, m.role, m.line) for m in messages] == [
        ("7", "customer", 1),
        ("7", "agent", 5),
    ]
    assert messages[0].at == datetime.fromtimestamp(1772000000, UTC)
    assert [b.line for b in bad] == [2, 3, 6]
    assert "not JSON" in bad[0].reason and "conversation_id is missing" in bad[2].reason


def test_tweet_csv_rebuilds_threads_and_tells_brand_from_customer(tmp_path) -> None:
    path = tmp_path / "tweets.csv"
    path.write_text(
        "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
        "101,sam_k,True,Tue Mar 03 09:00:00 +0000 2026,@AcmeHelp my parcel is a week late,102,\n"
        "102,AcmeHelp,False,Tue Mar 03 09:05:00 +0000 2026,@sam_k Sorry to hear that! Can you DM us the order number?,103,101\n"
        "103,sam_k,True,Tue Mar 03 09:07:00 +0000 2026,@AcmeHelp done. still nothing,,102\n"
        "104,lee_r,True,Tue Mar 03 10:00:00 +0000 2026,@AcmeHelp charged twice again,,\n"
        "105,lee_r,True,not a time,@AcmeHelp hello?,,104\n"
        "106,lee_r,True,Tue Mar 03 10:30:00 +0000 2026,@AcmeHelp,,104\n",
        "utf-8",
    )
    messages, bad = _split(read_archive(path, format="tweets"))
    assert [(m.conversation_id, m.role, m.external_id) for m in messages] == [
        ("101", "customer", "101"),
        ("101", "agent", "102"),
        ("101", "customer", "103"),
        ("104", "customer", "104"),
    ]
    assert messages[0].text == "my parcel is a week late"
    assert messages[1].at == datetime(2026, 3, 3, 9, 5, tzinfo=UTC)
    assert [b.line for b in bad] == [6, 7]


def test_tweet_json_lines_use_the_named_brand_accounts(tmp_path) -> None:
    path = tmp_path / "tweets.jsonl"
    tweets = [
        {"id_str": "1", "user": {"screen_name": "ana"}, "full_text": "@AcmeHelp app keeps crashing at checkout", "created_at": "2026-03-04T08:00:00Z"},
        {"id_str": "2", "user": {"screen_name": "AcmeHelp"}, "text": "@ana That sounds frustrating, which phone?", "in_reply_to_status_id_str": "1"},
        {"id_str": "3", "user": {"screen_name": "ana"}, "text": "@AcmeHelp iPhone 15", "in_reply_to_status_id_str": "2"},
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(t) for t in tweets) + "\n", "utf-8")
    messages, bad = _split(read_archive(path, format="tweets", brands=["@acmehelp"]))
    assert not bad
    assert [(m.conversation_id, m.role, m.author) for m in messages] == [
        ("1", "customer", "ana"),
        ("1", "agent", "AcmeHelp"),
        ("1", "customer", "ana"),
    ]
    with pytest.raises(MalformedInput, match="--brand"):
        list(read_archive(path, format="tweets"))


def test_thread_index_forgets_old_tweets_so_memory_stays_flat() -> None:
    from heard.insights.tweets import ThreadIndex

    index = ThreadIndex(max_open=2)
    assert index.place("1", None) == "1"
    assert index.place("2", "1") == "1"
    index.place("3", None)
    index.place("4", None)  # "1" and "2" fall out
    assert len(index.roots) == 2
    assert index.place("5", "2") == "2"  # a reply to a forgotten tweet starts from it


TICKETS = {
    "users": [{"id": 9, "role": "agent"}],
    "tickets": [
        {
            "id": 5001,
            "requester_id": 77,
            "subject": "Refund",
            "comments": [
                {"id": 1, "author_id": 77, "body": "I returned the kettle a month ago and still no refund.", "created_at": "2026-03-05T10:00:00Z"},
                {"id": 2, "author_id": 9, "body": "Internal: check the warehouse.", "public": False},
                {"id": 3, "author_id": 9, "body": "I'm sorry for the wait. I've issued the refund today.", "created_at": "2026-03-05T11:00:00Z"},
            ],
        },
        {"subject": "no id"},
        {
            "id": "5002",
            "requester": {"id": 80},
            "comments": [
                {"id": 1, "author_role": "end-user", "body": "My account is locked."},
                {"id": 2, "author_id": 9},
            ],
        },
    ],
}  # fmt: skip


def test_ticket_document_is_read_a_ticket_at_a_time(tmp_path) -> None:
    path = tmp_path / "tickets.json"
    path.write_text(json.dumps(TICKETS, indent=2), "utf-8")
    messages, bad = _split(read_archive(path, format="tickets"))
    assert [(m.conversation_id, m.role, m.external_id) for m in messages] == [
        ("5001", "customer", "5001/1"),
        ("5001", "agent", "5001/3"),
        ("5002", "customer", "5002/1"),
    ]
    text = path.read_text("utf-8").splitlines()
    assert text[messages[0].line - 1].strip() == "{" and '"id": 5001' in text[messages[0].line]
    assert [b.reason.split(": ", 1)[1] for b in bad] == [
        "a ticket must be an object with an id",
        "ticket 5002, comment 2 has no body",
    ]


def test_ticket_document_that_breaks_is_read_up_to_the_break(tmp_path) -> None:
    path = tmp_path / "tickets.json"
    good = json.dumps(TICKETS["tickets"][0])
    path.write_text("[\n" + good + ',\n{"id": 6, "comments": [\n', "utf-8")
    messages, bad = _split(read_archive(path, format="tickets"))
    assert len(messages) == 2 and len(bad) == 1 and bad[0].line >= 3 and "broken JSON" in bad[0].reason


def test_ticket_json_lines_skip_a_bad_line(tmp_path) -> None:
    path = tmp_path / "tickets.jsonl"
    path.write_text(
        json.dumps(TICKETS["tickets"][0]) + "\n{oops\n" + json.dumps(TICKETS["tickets"][2]) + "\n"
    )
    messages, bad = _split(read_archive(path, format="tickets"))
    assert [m.conversation_id for m in messages] == ["5001", "5001", "5002"]
    assert [b.line for b in bad] == [2, 3]


def test_a_ticket_document_larger_than_one_chunk_streams(tmp_path) -> None:
    ticket = TICKETS["tickets"][0]
    tickets = [{**ticket, "id": i} for i in range(4000)]  # about 1.6 MB: more than one read
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"tickets": tickets}), "utf-8")
    messages, bad = _split(read_archive(path, format="tickets"))
    assert not bad and len(messages) == 8000 and messages[-1].conversation_id == "3999"


@pytest.mark.parametrize(
    ("name", "kwargs", "error"),
    [("export.txt", {}, UnknownFormat), ("export.csv", {"format": "xml"}, UnknownFormat)],
)
def test_read_archive_names_the_formats_it_reads(tmp_path, name, kwargs, error) -> None:
    (tmp_path / name).write_text("x")
    with pytest.raises(error, match="csv, jsonl, tweets"):
        read_archive(tmp_path / name, **kwargs)


def test_csv_without_the_required_columns_is_refused_at_once(tmp_path) -> None:
    path = tmp_path / "wrong.csv"
    path.write_text("who,what\nme,hello\n")
    with pytest.raises(MalformedInput, match="no conversation_id, role, text column"):
        list(read_archive(path))
