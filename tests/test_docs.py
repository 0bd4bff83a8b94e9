"""The README's examples work as written."""

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from heard.cli import app

README_PATH = Path(__file__).resolve().parents[1] / "README.md"
README = README_PATH.read_text("utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


@pytest.mark.parametrize("code", blocks("python"))
def test_readme_python_examples_run(code: str) -> None:
    exec(compile(code, "README.md", "exec"), {})


def cli_examples() -> list[str]:
    lines = [
        line[2:] for block in blocks("console") for line in block.splitlines() if line.startswith("$ heard ")
    ]
    return [line for line in lines if " bench " not in line and "--file" not in line]


@pytest.mark.parametrize("command", cli_examples())
def test_readme_cli_examples_run(command: str, tmp_path, monkeypatch) -> None:
    # Run where files the examples write (scorecards.csv) land in a scratch folder; the
    # example transcripts they read are under docs/.
    (tmp_path / "docs").symlink_to(README_PATH.parent / "docs")
    monkeypatch.chdir(tmp_path)
    args = shlex.split(command)[1:]
    stdin = "Thanks, all sorted!" if args[-1] == "-" else None
    result = CliRunner().invoke(app, args, input=stdin)
    assert result.exit_code == 0, result.stderr


def test_every_setting_is_documented() -> None:
    from heard.settings import Settings

    docs = (Path(__file__).resolve().parents[1] / "docs" / "settings.md").read_text("utf-8")
    for name in Settings.model_fields:
        assert f"`HEARD_{name.upper()}`" in docs, name


def test_every_review_check_is_documented() -> None:
    from heard.respond.review_checks import rules

    docs = (README_PATH.parent / "docs" / "review.md").read_text("utf-8")
    for check in rules()["checks"]:
        assert f"`{check}`" in docs, check
