"""The optional phrasing tier, against a local fake OpenAI-compatible server (127.0.0.1)."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from heard.simulate import Phrasing, Practice, load_scenarios
from heard.simulate.phrasing import check, rephrase

SC = load_scenarios()["retail_missed_sofa"]


class FakeLLM(BaseHTTPRequestHandler):
    """/good rewords the line, /new_facts adds a sum and a name, /agent talks like an agent,
    /slow answers after 3 s, /broken fails, /garbage is not JSON."""

    def log_message(self, *args) -> None:  # keep the test output quiet
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        assert body["model"] == "fake-1" and body["messages"][0]["role"] == "user"
        offline = body["messages"][0]["content"].rsplit("\n\n", 1)[1]
        kind = self.path.split("/")[1]
        if kind == "broken":
            self.send_response(500)
            self.end_headers()
            return
        if kind == "slow":
            time.sleep(3)
        line = {
            "good": "Put simply, " + offline[:1].lower() + offline[1:],
            "new_facts": "Gregory promised me 500 EUR last week.",
            "agent": "Thank you for contacting us. How can I help you today?",
        }.get(kind, offline)
        payload = (
            b"not json"
            if kind == "garbage"
            else json.dumps({"choices": [{"message": {"role": "assistant", "content": line}}]}).encode()
        )
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(payload)


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeLLM)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def phrasing(server: str, kind: str) -> Phrasing:
    return Phrasing(base_url=f"{server}/{kind}/v1", model="fake-1", timeout=0.5)


def test_good_wording_is_used(server) -> None:
    offline = "Don't tell me to calm down."
    assert rephrase(offline, SC, phrasing(server, "good")) == "Put simply, don't tell me to calm down."


@pytest.mark.parametrize("kind", ["new_facts", "agent", "slow", "broken", "garbage"])
def test_wrong_slow_or_failing_endpoint_falls_back_to_the_offline_line(server, kind: str) -> None:
    offline = "Don't tell me to calm down."
    assert rephrase(offline, SC, phrasing(server, kind)) == offline


def test_endpoint_off_falls_back() -> None:
    off = Phrasing(base_url="http://127.0.0.1:9/v1", model="fake-1", timeout=0.5)
    assert rephrase("Let me finish!", SC, off) == "Let me finish!"


def test_check_names_what_is_wrong() -> None:
    assert "number" in check("It was 75 EUR, not 40.", "I want my 40 EUR back.", SC)
    assert "name" in check("Ask Gregory about the sofa.", "Ask anyone about the sofa.", SC)
    assert "agent" in check("Is there anything else I can help with?", "Anything else?", SC)
    assert check("I lost a day's pay, you know.", "I lost a day's pay for this.", SC) is None


def test_a_session_speaks_the_checked_wording(server) -> None:
    p = Practice.start(SC, difficulty="easy", seed=2, phrasing=phrasing(server, "good"))
    t = p.reply("Calm down.", at=p.last_at + 40)
    assert t.customer and all(line.text.startswith("Put simply,") for line in t.customer)
    q = Practice.start(SC, difficulty="easy", seed=2, phrasing=phrasing(server, "new_facts"))
    u = q.reply("Calm down.", at=q.last_at + 40)
    plain = Practice.start(SC, difficulty="easy", seed=2).reply("Calm down.", at=q.last_at + 40)
    assert [line.text for line in u.customer] == [line.text for line in plain.customer]


def test_a_url_that_is_not_http_is_refused() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="base_url"):
        Phrasing(base_url="ftp://example", model="m")
