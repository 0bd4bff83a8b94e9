"""Input that used to crash ``heard import``: each becomes a bad row with its line, the rest goes on."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from heard.cli import app
from heard.insights.archive import ArchiveMessage, BadRow, read_archive
from heard.service.imports import import_archive
from heard.store import repo
from heard.store.tables import MessageRow


def _rows(path, format=None):
    rows = list(read_archive(path, format=format))
    return [r for r in rows if isinstance(r, ArchiveMessage)], [r for r in rows if isinstance(r, BadRow)]


def _jsonl(path, *lines: str) -> None:
    path.write_text("\n".join(lines) + "\n", "utf-8")


def _msg(at: str, text: str = "The parcel is late again.") -> str:
    return f'{{"conversation_id": "c1", "role": "customer", "text": "{text}", "at": {at}}}'


@pytest.mark.parametrize(
    ("at", "said"),
    [
        ('"0001-01-01T00:00:00+01:00"', "out of range in UTC"),
        ('"9999-12-31T23:30:00-01:00"', "out of range in UTC"),
        ("1e20", "out of range as epoch seconds"),
        ("1e400", "out of range as epoch seconds"),
        ("-1e20", "out of range as epoch seconds"),
        ("NaN", "out of range as epoch seconds"),
    ],
)
def test_times_out_of_range_are_bad_rows(tmp_path, at: str, said: str) -> None:
    path = tmp_path / "h.jsonl"
    _jsonl(path, _msg('"2026-03-01T10:00:00Z"'), _msg(at), _msg("1775030400"))
    good, bad = _rows(path)
    assert [m.line for m in good] == [1, 3]
    assert [b.line for b in bad] == [2] and said in bad[0].reason


def test_the_earliest_time_that_fits_is_kept(tmp_path) -> None:
    path = tmp_path / "h.jsonl"
    _jsonl(path, _msg('"0001-01-01T00:00:00-01:00"'))
    good, bad = _rows(path)
    assert not bad and good[0].at is not None and good[0].at.year == 1


def test_nul_characters_and_lone_surrogates_are_bad_rows_in_every_format(tmp_path) -> None:
    jsonl = tmp_path / "h.jsonl"
    _jsonl(
        jsonl,
        _msg("1", text="late\\u0000again"),
        _msg("2", text="bad \\ud800 text"),
        '{"conversation_id": "c\\u0000", "role": "customer", "text": "fine"}',
        _msg("3"),
    )
    good, bad = _rows(jsonl)
    assert [m.line for m in good] == [4] and [b.line for b in bad] == [1, 2, 3]
    assert "NUL" in bad[0].reason and "surrogate" in bad[1].reason and "conversation_id" in bad[2].reason
    csv_file = tmp_path / "h.csv"
    csv_file.write_bytes(b"conversation_id,role,text\nc1,customer,late\x00again\nc1,customer,still late\n")
    good, bad = _rows(csv_file)
    assert [m.line for m in good] == [3] and [b.line for b in bad] == [2] and "NUL" in bad[0].reason


def test_deep_nesting_in_a_json_line_is_a_bad_row(tmp_path) -> None:
    path = tmp_path / "h.jsonl"
    _jsonl(path, "[" * 200_000, _msg("1"))
    good, bad = _rows(path)
    assert (
        [m.line for m in good] == [2]
        and [b.line for b in bad] == [1]
        and "nested too deeply" in bad[0].reason
    )
    tickets = tmp_path / "t.jsonl"
    ticket = {"id": 7, "requester_id": 1, "comments": [{"id": 1, "author_id": 1, "body": "Broken kettle."}]}
    _jsonl(tickets, "[" * 200_000, json.dumps(ticket))
    good, bad = _rows(tickets, "tickets")
    assert len(good) == 1 and [b.line for b in bad] == [1]


def test_an_unclosed_quote_does_not_swallow_the_rows_after_it(tmp_path) -> None:
    path = tmp_path / "h.csv"
    path.write_text(
        "conversation_id,role,text\n"
        'c1,customer,"I waited all day for the van\n'
        "c1,agent,I'm sorry about that\n"
        "c1,customer,Thanks\n",
        "utf-8",
    )
    good, bad = _rows(path)
    assert [b.line for b in bad] == [2] and "not closed" in bad[0].reason
    assert [(m.line, m.role, m.text) for m in good] == [
        (3, "agent", "I'm sorry about that"),
        (4, "customer", "Thanks"),
    ]


def test_a_message_with_line_breaks_is_still_one_message(tmp_path) -> None:
    path = tmp_path / "h.csv"
    path.write_text(
        'conversation_id,role,text\nc1,customer,"First, the van was late.\nThen, it broke, again."\nc1,agent,Sorry\n',
        "utf-8",
    )
    good, bad = _rows(path)
    assert not bad and [m.line for m in good] == [2, 4] and "\n" in good[0].text


def test_bad_times_and_nul_are_imported_around_on_every_database(db, tmp_path) -> None:
    path = tmp_path / "h.jsonl"
    _jsonl(
        path, _msg('"0001-01-01T00:00:00+01:00"'), _msg("1e400"), _msg("1", text="nul\\u0000here"), _msg("5")
    )
    with db.write() as s:
        repo.create_team(session=s, name="acme")
    bad: list[BadRow] = []
    for _ in range(2):  # a re-run goes past the same lines too
        bad.clear()
        import_archive(
            db, team="acme", rows=read_archive(path), format="jsonl", workers=0, on_bad_row=bad.append
        )
        assert [b.line for b in bad] == [1, 2, 3]
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(MessageRow)) == 1


def test_one_nul_byte_does_not_make_a_utf8_file_utf16(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("HEARD_DATABASE_URL", f"sqlite:///{tmp_path / 'heard.db'}")
    runner = CliRunner()
    assert runner.invoke(app, ["team", "create", "acme"]).exit_code == 0
    path = tmp_path / "h.csv"
    path.write_bytes(
        b"conversation_id,role,text\nc1,customer,late\x00again\nc1,customer,The parcel is late.\n"
    )
    done = runner.invoke(app, ["import", str(path), "--team", "acme", "--no-progress", "--workers", "1"])
    assert done.exit_code == 0, done.output
    assert "1 messages added" in done.stdout and "line 2:" in done.stderr and "NUL" in done.stderr
