"""The README's curl example works as written, against a fresh `heard serve`."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from tests.server.conftest import run_server

README = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")


def test_readme_curl_example_works(tmp_path) -> None:
    [block] = [b for b in re.findall(r"```sh\n(.*?)```", README, flags=re.S) if "curl" in b]
    data_dir = tmp_path / "heard-data"
    with run_server(f"sqlite:///{data_dir / 'heard.db'}", data_dir, HEARD_LOG_LEVEL="debug") as server:
        script = block.replace("http://127.0.0.1:8000", server.url)
        done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path, capture_output=True,
                              text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    answers, text, at = [], done.stdout, 0
    while at < len(text.rstrip()):
        answer, at = json.JSONDecoder().raw_decode(text, at)
        answers.append(answer)
    analysis, message, conversation = answers
    assert analysis["complaint"]["category"] == "billing"
    assert message["text"].endswith("Call me on [phone].") and message["action"]["kind"] == "reflect"
    assert conversation["timeline"][0]["external_id"] == "ticket-881-1"
    log = server.log.read_text()
    assert "POST /v1/conversations" in log  # the log was written, at its most talkative level
    for words in ("furious", "charged", "07700", "nobody answers"):  # and holds no message text
        assert words not in log
