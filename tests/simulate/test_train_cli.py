"""``heard train``: a session in the terminal, fed replies from a script."""

import json

from typer.testing import CliRunner

from heard.cli import app
from heard.simulate import load_scenarios
from heard.simulate.trainees import offer_line

runner = CliRunner()


def test_train_script_runs_a_session_to_its_debrief(tmp_path) -> None:
    sc = load_scenarios()["retail_missed_sofa"]
    script = tmp_path / "replies.txt"
    script.write_text(
        "# a skilled trainee\n"
        f"I'm so sorry we let you down. It sounds like {sc.point}.\n"
        + "".join(h.question + "\n" for h in sc.hidden)
        + offer_line(sc)
        + "\n",
        "utf-8",
    )
    result = runner.invoke(
        app, ["train", "--scenario", sc.id, "--difficulty", "easy", "--script", str(script)]
    )
    assert result.exit_code == 0, result.output
    assert "Dana" in result.output and "anger" in result.output
    assert "Debrief: ended resolved" in result.output and "playbook score" in result.output


def test_train_json_is_the_session_and_debrief(tmp_path) -> None:
    script = tmp_path / "replies.txt"
    script.write_text("+2 Calm down, that's our policy.\n+2 You should have read the terms.\n", "utf-8")
    args = [
        "train",
        "--scenario",
        "banking_double_charge",
        "--difficulty",
        "hard",
        "--script",
        str(script),
        "--json",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["turns"][0]["changes"] and data["debrief"]["scorecard"]["score"] < 60
    assert data["turns"][-1]["ended"] == "escalated"


def test_train_unknown_scenario_and_bad_file_say_what_to_do(tmp_path) -> None:
    result = runner.invoke(app, ["train", "--scenario", "nope", "--script", __file__])
    assert result.exit_code == 2 and "--list" in result.output
    bad = tmp_path / "mine.yaml"
    bad.write_text("id: mine\ncolour: red\n", "utf-8")
    result = runner.invoke(app, ["train", "--file", str(bad), "--script", __file__])
    assert result.exit_code == 2 and "[H113]" in result.stderr and "colour: unknown field" in result.stderr


def test_train_list_shows_every_scenario() -> None:
    result = runner.invoke(app, ["train", "--list"])
    assert result.exit_code == 0
    assert all(sid in result.output for sid in load_scenarios())


def test_train_interactive_reads_replies_until_an_empty_line() -> None:
    typed = "I'm so sorry. It sounds like you waited in all day and nobody came.\n\n"
    result = runner.invoke(
        app, ["train", "--scenario", "retail_missed_sofa", "--difficulty", "easy"], input=typed
    )
    assert result.exit_code == 0, result.output
    assert "you:" in result.output and "Debrief: ended unfinished after 1 replies" in result.output
