"""Zendesk, Zammad and Freshdesk end to end against a real ``heard serve`` and ``heard worker``
on SQLite and PostgreSQL: each helpdesk's documented webhook bodies in, internal notes out to a
local fake of its API that records them (auth header, body) and fails on demand."""

from __future__ import annotations

import os
import subprocess
import time

import httpx
import pytest

from tests.conftest import postgres_schema
from tests.integrations.fake_helpdesks import FakeHelpdesks
from tests.integrations.helpdesk_specs import SPECS, Spec, encoded
from tests.server.conftest import HEARD, run_server

ANGRY = "This is the third time the washing machine repair has been cancelled and nobody even called me. I am furious!"
MORE = "I took a day off work for it and I want to know what you are going to do about it!!"
REPLY = "I'm so sorry, I can see how frustrating this has been. I'll book the engineer myself today."
LATER = "Still nobody came today either and the machine is leaking everywhere. This is a disgrace!"
HELPDESKS = sorted(SPECS)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def served(request, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("heard-data")
    if request.param == "sqlite":
        with run_server(f"sqlite:///{data_dir / 'heard.db'}", data_dir) as s:
            yield s, data_dir
        return
    with postgres_schema() as url, run_server(url, data_dir) as s:
        yield s, data_dir


def connect(server, spec: Spec, base_url: str, key: str, **fields) -> str:
    """Configure the team's connection to the helpdesk; its webhook URL."""
    body = {"base_url": base_url, "account": spec.account, "api_token": spec.token,
            "webhook_secret": spec.secret, **fields}  # fmt: skip
    with server.client(key) as c:
        answer = c.put(f"/v1/integrations/{spec.name}", json=body)
    assert answer.status_code == 200, answer.text
    assert spec.token not in answer.text and spec.secret not in answer.text  # masked
    return server.url + answer.json()["webhook_path"]


def post(url: str, spec: Spec, body: dict, *, at: float | None = None, headers: dict | None = None):
    data = encoded(body)
    sent = spec.sign(spec.secret, data, time.time() if at is None else at) if headers is None else headers
    return httpx.post(url, content=data, headers={"Content-Type": "application/json", **sent}, timeout=60)


def outcome(answer: httpx.Response) -> list[tuple[str, str]]:
    assert answer.status_code == 200, answer.text
    return [(o["kind"], o["result"]) for o in answer.json()["outcomes"]]


def worker(server, data_dir) -> None:
    """``heard worker`` until it has had nothing to do for a while."""
    environ = os.environ | {"HEARD_DATABASE_URL": server.database_url, "HEARD_DATA_DIR": str(data_dir),
                            "HEARD_LOG_LEVEL": "warning", "HEARD_WEBHOOK_ALLOW_HOSTS": "127.0.0.1",
                            "HEARD_WORKER_POLL_SECONDS": "0.2", "HEARD_WEBHOOK_BACKOFF_SECONDS": "0.2",
                            "HEARD_WEBHOOK_TIMEOUT_SECONDS": "1"}  # fmt: skip
    done = subprocess.run([HEARD, "worker", "--stop-after-idle", "3"], env=environ, capture_output=True,
                          text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def conversation(server, key: str, spec: Spec, ticket: str) -> dict:
    with server.client(key) as c:
        link = c.get(f"/v1/integrations/{spec.name}/conversations/{ticket}")
        assert link.status_code == 200, link.text
        return c.get(f"/v1/conversations/{link.json()['conversation_id']}").json()


@pytest.mark.parametrize("helpdesk", HELPDESKS)
def test_upset_customer_gets_one_internal_note_through_failures(served, helpdesk) -> None:
    server, data_dir = served
    spec = SPECS[helpdesk]
    key = server.new_team(f"{helpdesk}-notes-{time.monotonic_ns()}")
    # the first post fails (500), the second reaches the helpdesk but its answer is lost (timeout)
    with FakeHelpdesks(script=[500, "timeout"]) as fake:
        url = connect(server, spec, fake.url, key)
        first = post(url, spec, spec.message("701", "9001", ANGRY))
        assert outcome(first) == [("message", "stored")] and first.json()["outcomes"][0]["note"]
        again = post(url, spec, spec.message("701", "9001", ANGRY))  # the helpdesk retried its delivery
        assert outcome(again) == [("message", "replayed")]
        assert (
            post(url, spec, spec.message("701", "9002", MORE)).json()["outcomes"][0]["note"] is None
        )  # same burst
        worker(server, data_dir)
        [note] = fake.notes  # posted once: the lost answer was found by its marker, not posted again
        assert fake.attempts == 2 and fake.lookups >= 1
        assert note["helpdesk"] == helpdesk and note["ticket"] == "701"
        assert note["auth"] == spec.auth and note["content_type"] == "application/json"
        assert spec.private(note["body"])
        text = spec.note_text(note["body"])
        assert text.startswith("heard · the customer is ") and "Reflect:" in text and "(heard note " in text
        # the agent answers; heard's own note coming back is ignored; the next upset burst gets its note
        assert outcome(post(url, spec, spec.message("701", "9003", REPLY, "agent"))) == [
            ("message", "stored")
        ]
        if spec.internal_note:
            assert outcome(post(url, spec, spec.internal_note("701", text))) == [("ignored", "ignored")]
        later = post(url, spec, spec.message("701", "9004", LATER))
        assert outcome(later) == [("message", "stored")] and later.json()["outcomes"][0]["note"]
        worker(server, data_dir)
        assert len(fake.notes) == 2
        assert outcome(post(url, spec, spec.resolved("701")))[-1] == ("resolved", "resolved")
    conv = conversation(server, key, spec, "701")
    assert [m["role"] for m in conv["timeline"]] == ["customer", "customer", "agent", "customer"]
    assert conv["timeline"][2]["author"] and conv["status"] == "resolved"
    assert all(ANGRY not in str(m.get("external_id")) for m in conv["timeline"])


@pytest.mark.parametrize("helpdesk", HELPDESKS)
def test_unsigned_forged_stale_foreign_and_malformed_deliveries_are_refused(served, helpdesk) -> None:
    server, _ = served
    spec = SPECS[helpdesk]
    key = server.new_team(f"{helpdesk}-refused-{time.monotonic_ns()}")
    url = connect(server, spec, "http://127.0.0.1:9", key)
    body = spec.message("702", "9101", ANGRY)
    unsigned = post(url, spec, body, headers={})
    assert unsigned.status_code == 401 and unsigned.json()["code"] == "H302"
    forged = post(url, spec, body, headers=spec.sign("a-guessed-secret", encoded(body), time.time()))
    assert forged.status_code == 401
    if helpdesk == "zendesk":  # the only one of the three that signs a timestamp
        stale = post(url, spec, body, at=time.time() - 3600)
        assert stale.status_code == 401 and "replayed" in stale.json()["detail"]
    if spec.foreign:
        foreign = post(url, spec, spec.foreign(spec.message("702", "9102", ANGRY)))
        assert foreign.status_code == 403 and "another" in foreign.json()["detail"]
    not_json = httpx.post(
        url, content=b"{not json", headers=spec.sign(spec.secret, b"{not json", time.time())
    )
    assert not_json.status_code in (400, 422) and not_json.json()["code"] == "H103"
    for bad in ({"unexpected": True}, [1, 2, 3]):
        answer = post(url, spec, bad)
        assert answer.status_code == 422 and answer.json()["code"] == "H103", answer.text
    huge = spec.message("9" * 300, "9103", ANGRY)
    assert post(url, spec, huge).status_code == 422
    wrong_key = httpx.post(
        url[:-6] + "zzzzzz", content=encoded(body), headers=spec.sign(spec.secret, encoded(body), time.time())
    )
    assert wrong_key.status_code == 404
    with server.client(key) as c:  # nothing of the refused deliveries was stored
        assert c.get(f"/v1/integrations/{helpdesk}/conversations/702").status_code == 404


@pytest.mark.parametrize("helpdesk", HELPDESKS)
def test_another_teams_connection_sees_nothing(served, helpdesk) -> None:
    server, _ = served
    spec = SPECS[helpdesk]
    ours = server.new_team(f"{helpdesk}-ours-{time.monotonic_ns()}")
    theirs = server.new_team(f"{helpdesk}-theirs-{time.monotonic_ns()}")
    url = connect(server, spec, "http://127.0.0.1:9", ours)
    connect(server, spec, "http://127.0.0.1:9", theirs)
    assert outcome(post(url, spec, spec.message("703", "9201", ANGRY))) == [("message", "stored")]
    with server.client(theirs) as c:
        assert c.get(f"/v1/integrations/{helpdesk}/conversations/703").status_code == 404
