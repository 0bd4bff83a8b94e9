import json

from typer.testing import CliRunner

from heard.cli import app

runner = CliRunner()
MOVING = (
    "I am very upset because you told me the moving company would be at my place by 1 pm and they "
    "didn't show up until 3 pm. I didn't have time to clean my apartment before the inspection."
)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_reflect_prints_the_reflection() -> None:
    result = runner.invoke(app, ["reflect", MOVING])
    assert result.exit_code == 0
    assert "extremely stressful" in flat(result.stdout)


def test_reflect_json_and_reply() -> None:
    result = runner.invoke(app, ["reflect", "--json", MOVING, "--reply", "No, they came at 4 pm."])
    data = json.loads(result.stdout)
    assert "4 pm" in data["text"] and data["feeling"]


def test_listen_walks_the_loop() -> None:
    lines = [MOVING, "No, they came at 4 pm, not 3 pm.", "Yes, exactly.", "", "Thanks so much!"]
    result = runner.invoke(app, ["listen"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.stderr
    text = flat(result.stdout)
    assert "extremely stressful" in text
    assert "reads as correct" in text and "4 pm" in text
    assert "reads as confirm" in text and "apologise" in text
    assert "new customer" in text and "answer it directly" in text
