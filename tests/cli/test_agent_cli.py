import csv
import json

from typer.testing import CliRunner

from heard.cli import app

CUSTOMER = "You told me the movers would be here by 1 pm and they came at 3 pm. I'm furious."
CHAT = [
    {"role": "customer", "text": CUSTOMER, "at": 0},
    {"role": "agent", "text": "I'm so sorry we let you down. I've refunded the booking fee.", "at": 60},
]


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(app, list(args), input=stdin)


def test_review_command_shows_findings_with_their_steps_and_rewrites() -> None:
    result = run("review", "Calm down, the movers are not our fault!!", "--customer", CUSTOMER)
    assert result.exit_code == 0, result.stderr
    assert "stay_calm" in result.stdout and "apologise" in result.stdout
    assert "I can hear how" in result.stdout  # the rewrite of "calm down"
    data = json.loads(run("review", "--json", "Calm down.", "--customer", CUSTOMER).stdout)
    assert data["score"] < 70 and data["findings"][0]["step"]


def test_review_command_reads_a_conversation_file(tmp_path) -> None:
    path = tmp_path / "chat.json"
    path.write_text(json.dumps(CHAT), "utf-8")
    result = run("review", "--json", "Thanks for bearing with me.", "--conversation", str(path))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["stage"] != "no_context"


def test_score_command_prints_the_scorecard(tmp_path) -> None:
    path = tmp_path / "chat.json"
    path.write_text(json.dumps(CHAT), "utf-8")
    result = run("score", str(path))
    assert result.exit_code == 0, result.stderr
    assert "apologise" in result.stdout and "done" in result.stdout
    card = json.loads(run("score", "--json", str(path)).stdout)
    assert {s["step"] for s in card["steps"]} >= {"listen", "follow_up"}


def test_score_command_rejects_a_malformed_file_with_its_code(tmp_path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('[{"role": "robot", "text": "hi"}]', "utf-8")
    result = run("score", str(path))
    assert result.exit_code == 2
    assert "[H104]" in result.stderr and "messages[0].role" in result.stderr


def test_score_dir_writes_a_csv_summary_and_goes_past_bad_files(tmp_path) -> None:
    folder = tmp_path / "transcripts"
    folder.mkdir()
    (folder / "a.json").write_text(json.dumps(CHAT), "utf-8")
    (folder / "b.csv").write_text(f'role,text\ncustomer,"{CUSTOMER}"\nagent,Calm down.\n', "utf-8")
    (folder / "c.json").write_text("{not json", "utf-8")
    summary = tmp_path / "summary.csv"
    result = run("score", "--dir", str(folder), "--out", str(summary))
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(summary.open(encoding="utf-8")))
    assert [r["file"] for r in rows] == ["a.json", "b.csv", "c.json"]
    assert rows[0]["apologise"] == "done" and rows[1]["stay_calm"] == "missed"
    assert rows[2]["score"] == "" and "not valid JSON" in rows[2]["error"]
    assert "scored 2 transcripts, 1 could not be read" in result.stderr


def test_score_refuses_deep_nesting_clearly_and_dir_goes_on(tmp_path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000, "utf-8")
    alone = run("score", str(deep))
    assert alone.exit_code == 2 and "nested too deeply" in alone.stderr
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "a.json").write_text(json.dumps(CHAT), "utf-8")
    (folder / "b.json").write_text("[" * 200_000, "utf-8")
    (folder / "c.json").write_text(json.dumps(CHAT), "utf-8")
    summary = tmp_path / "summary.csv"
    result = run("score", "--dir", str(folder), "--out", str(summary))
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(summary.open(encoding="utf-8")))
    assert [r["file"] for r in rows] == ["a.json", "b.json", "c.json"] and rows[2]["score"] != ""
    assert (
        "nested too deeply" in rows[1]["error"]
        and "scored 2 transcripts, 1 could not be read" in result.stderr
    )
