import json

from typer.testing import CliRunner

from heard.cli import app


def test_acts_command_lists_the_acts_of_each_sentence() -> None:
    result = CliRunner().invoke(app, ["acts", "I'm so sorry. What happened next?"])
    assert result.exit_code == 0
    assert "apology" in result.stdout and "question_open" in result.stdout
    data = json.loads(CliRunner().invoke(app, ["acts", "--json", "You should have read the terms."]).stdout)
    assert data["acts"]["blame"] >= 0.5 and data["sentences"][0]["text"] == "You should have read the terms."


def test_acts_command_rejects_an_empty_reply() -> None:
    result = CliRunner().invoke(app, ["acts", "   "])
    assert result.exit_code == 2 and "[H101]" in result.stderr
