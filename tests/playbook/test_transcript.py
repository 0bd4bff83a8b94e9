import json

import pytest

import heard
from heard.playbook import load_transcript, read_transcript


def test_chat_transcripts_read_from_json_and_csv_alike(tmp_path) -> None:
    rows = [
        {"role": "customer", "text": "The movers never came.", "at": "2026-03-01T10:00:00Z"},
        {"role": "agent", "text": "I'm so sorry, let me fix that, today.", "at": "2026-03-01T10:01:00Z"},
    ]
    (tmp_path / "chat.json").write_text(json.dumps({"messages": rows}), "utf-8")
    (tmp_path / "chat.csv").write_text(
        "role,text,at\ncustomer,The movers never came.,2026-03-01T10:00:00Z\n"
        'agent,"I\'m so sorry, let me fix that, today.",2026-03-01T10:01:00Z\n',
        "utf-8",
    )
    from_json, from_csv = load_transcript(tmp_path / "chat.json"), load_transcript(tmp_path / "chat.csv")
    assert from_json == from_csv
    assert from_json.kind == "chat" and from_json.messages[1].at - from_json.messages[0].at == 60


def test_call_segments_become_turns(tmp_path) -> None:
    (tmp_path / "call.csv").write_text(
        "role,text,start,end\ncustomer,It broke.,0,1.5\ncustomer,Again.,1.6,2\nagent,Sorry to hear that.,2.5,4\n",
        "utf-8",
    )
    t = load_transcript(tmp_path / "call.csv")
    assert t.kind == "call" and len(t.segments) == 3
    assert [(m.role, m.text) for m in t.messages] == [
        ("customer", "It broke. Again."),
        ("agent", "Sorry to hear that."),
    ]


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ([{"role": "bot", "text": "hi"}], r"messages\[0\]\.role"),
        ([{"role": "customer", "text": ""}], r"messages\[0\]\.text"),
        ([{"role": "customer", "text": "hi", "at": "last tuesday"}], r"messages\[0\]\.at"),
        ([{"role": "customer", "text": "hi", "mood": "sad"}], "unknown field 'mood'"),
        ({"segments": [{"role": "agent", "text": "hi", "start": 5, "end": 2}]}, r"segments\[0\]\.end"),
        ({"segments": [{"role": "agent", "text": "hi", "start": 5}]}, r"segments\[0\]\.end"),
        ({"turns": []}, '"messages"'),
        ([], "no messages"),
        ("just text", "list of messages"),
    ],
)
def test_malformed_transcripts_name_the_field(data, where) -> None:
    with pytest.raises(heard.InvalidTranscript, match=where) as info:
        read_transcript(data)
    assert info.value.code == "H104"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.json", '[{"role": "customer", "text": "hi"},\n {"role": ', "bad.json: line 2: not valid JSON"),
        ("bad.csv", "role,text\ncustomer,hi\nrobot,hello\n", "bad.csv: line 3: column role"),
        ("bad.csv", "role,words\ncustomer,hi\n", "role and text"),
        ("bad.csv", "role,text,start,end\nagent,hi,4,3\n", "line 2: column end"),
        ("latin.json", b'[{"role": "customer", "text": "caf\xe9"}]', "not UTF-8"),
        ("notes.txt", "role,text\n", ".json or .csv"),
    ],
)
def test_malformed_files_name_the_file_and_line(tmp_path, name, content, message) -> None:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    with pytest.raises(heard.InvalidTranscript) as info:
        load_transcript(path)
    assert message in str(info.value)


def test_errors_never_quote_what_a_message_says() -> None:
    with pytest.raises(heard.InvalidTranscript) as info:
        read_transcript([{"role": "customer", "text": ["my card number is 4111 1111"]}])
    assert "4111" not in str(info.value) and "messages[0].text" in str(info.value)
