import json

from typer.testing import CliRunner

from heard.cli import app

runner = CliRunner()
MOVING = (
    "I am very upset because you told me the moving company would be at my place by 1 pm and they "
    "didn't show up until 3 pm. I didn't have time to clean my apartment before the inspection."
)


def test_analyze_prints_a_readable_summary() -> None:
    result = runner.invoke(app, ["analyze", MOVING])
    assert result.exit_code == 0
    assert "level" in result.stdout and "feeling" in result.stdout
    assert "broken promise" in " ".join(result.stdout.split())


def test_analyze_json_is_the_model() -> None:
    result = runner.invoke(app, ["analyze", "--json", MOVING])
    data = json.loads(result.stdout)
    assert set(data) >= {"emotions", "upset", "level", "feeling", "cues", "truncated"}


def test_analyze_reads_stdin() -> None:
    result = runner.invoke(app, ["analyze", "--json", "-"], input="Thank you, all sorted now!")
    assert json.loads(result.stdout)["level"] == "calm"


def test_analyze_empty_text_exits_2_with_the_code() -> None:
    result = runner.invoke(app, ["analyze", "  "])
    assert result.exit_code == 2
    assert "H101" in result.stderr


def write_lines(path, lines: list[bytes]) -> None:
    path.write_bytes(b"\n".join(lines) + b"\n")


def test_jsonl_stream_survives_bad_lines(tmp_path) -> None:
    f = tmp_path / "messages.jsonl"
    write_lines(
        f,
        [
            json.dumps({"id": "a1", "text": MOVING}).encode(),
            b"{not json",
            json.dumps("Thanks so much, sorted!").encode(),
            json.dumps({"id": "a4", "body": "no text field"}).encode(),
            b'{"text": "caf\xe9 latte was cold"}',
            json.dumps({"id": "a6", "text": ""}).encode(),
            json.dumps({"id": "a7", "text": "WHERE IS MY REFUND?!"}).encode(),
        ],
    )
    result = runner.invoke(app, ["analyze", "--file", str(f)])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["line"] for r in rows] == [1, 3, 7]
    assert [r["id"] for r in rows] == ["a1", None, "a7"]
    for line in (2, 4, 5, 6):
        assert f"line {line}:" in result.stderr
    assert "analysed 3 messages, skipped 4 bad lines" in result.stderr


def test_jsonl_strict_stops_at_the_first_bad_line(tmp_path) -> None:
    f = tmp_path / "messages.jsonl"
    write_lines(
        f, [json.dumps({"text": "fine"}).encode(), b"oops", json.dumps({"text": "never read"}).encode()]
    )
    result = runner.invoke(app, ["analyze", "--file", str(f), "--strict"])
    assert result.exit_code == 2
    assert "line 2:" in result.stderr
    assert "never read" not in result.stdout


def test_jsonl_missing_file_is_a_clear_error(tmp_path) -> None:
    result = runner.invoke(app, ["analyze", "--file", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_demo_walks_the_moving_company_example() -> None:
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0
    assert "moving company" in result.stdout and "feeling" in result.stdout


def test_analyze_stdin_that_is_not_utf8_is_a_clear_error() -> None:
    result = runner.invoke(app, ["analyze", "-"], input=b"caf\xe9 was cold\n")
    assert result.exit_code == 2
    assert "not UTF-8" in result.stderr


def test_jsonl_without_the_frame(tmp_path) -> None:
    f = tmp_path / "messages.jsonl"
    write_lines(f, [json.dumps({"text": MOVING}).encode()])
    result = runner.invoke(app, ["analyze", "--file", str(f), "--no-frame"])
    row = json.loads(result.stdout)
    assert row["complaint"] is None and row["level"] in {"upset", "angry", "furious"}


def test_analyze_summary_shows_the_complaint_frame() -> None:
    text = " ".join(runner.invoke(app, ["analyze", MOVING]).stdout.split())
    assert "late or missed; fault: company" in text
    assert "expected the moving company would be at my place by 1 pm" in text
