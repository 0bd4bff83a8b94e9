"""`heard migrate`, `heard team create` and `heard policy ...` on a real SQLite file."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from heard.cli import app

runner = CliRunner()


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("HEARD_DATABASE_URL", f"sqlite:///{tmp_path / 'heard.db'}")
    return tmp_path


def test_migrate_and_create_a_team(env) -> None:
    assert "migration 0003_themes" in runner.invoke(app, ["migrate"]).stdout
    made = runner.invoke(app, ["team", "create", "support-eu"])
    assert made.exit_code == 0 and made.stdout.strip().startswith("hd_")
    again = runner.invoke(app, ["team", "create", "support-eu"])
    assert again.exit_code == 2 and "H304" in again.stderr


def test_policy_example_validates_imports_and_exports(env) -> None:
    example = runner.invoke(app, ["policy", "example"]).stdout
    path = env / "policies.yaml"
    path.write_text(example.replace("approval_above: 50", "approval_above: 75"), "utf-8")
    checked = runner.invoke(app, ["policy", "validate", str(path)])
    assert checked.exit_code == 0 and "valid, 5 remedies" in checked.stdout
    runner.invoke(app, ["team", "create", "demo2", "--no-policies"])
    assert runner.invoke(app, ["policy", "export", "--team", "demo2"]).exit_code == 2
    assert runner.invoke(app, ["policy", "import", str(path), "--team", "demo2"]).exit_code == 0
    exported = runner.invoke(app, ["policy", "export", "--team", "demo2"]).stdout
    assert "approval_above: 75.0" in exported


def test_an_invalid_policy_is_refused_with_the_field(env) -> None:
    path = env / "bad.yaml"
    path.write_text("remedies:\n  - id: refund\n    name: Refund\n    kind: money\n", "utf-8")
    result = runner.invoke(app, ["policy", "validate", str(path)])
    assert result.exit_code == 2 and "H110" in result.stderr and "remedies[0].kind" in result.stderr
    assert runner.invoke(app, ["policy", "import", str(path), "--team", "x"]).exit_code == 2
