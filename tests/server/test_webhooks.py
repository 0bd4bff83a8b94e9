"""Outbound webhooks: signed with the team's secret, and never sent to loopback, private,
link-local or metadata addresses (checked when the URL is set and again at each connection)."""

from __future__ import annotations

import socket
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from heard.server.app import create_app
from heard.server.bootstrap import create_team_with_admin
from heard.server.webhooks import (
    GuardedTransport,
    UnsafeTarget,
    check_webhook_url,
    signature,
    signed_headers,
    verify,
)
from heard.settings import Settings

REFUSED = [
    "http://127.0.0.1:8000/hook",
    "http://localhost/hook",
    "http://[::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://10.1.2.3/hook",
    "http://192.168.0.10/hook",
    "http://172.16.5.4/hook",
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata
    "http://[fd00:ec2::254]/",  # AWS metadata over IPv6
    "http://100.100.100.200/",  # Alibaba metadata (shared address space)
    "http://0.0.0.0:9/",
]


@pytest.mark.parametrize("url", REFUSED)
def test_urls_that_reach_inside_the_network_are_refused(url: str) -> None:
    with pytest.raises(UnsafeTarget, match="only delivers to public addresses"):
        check_webhook_url(url, frozenset())


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://", "no host"),
        ("ftp://example.com/", "https://"),
        ("http://user:pw@93.184.216.34/", "password"),
        ("http://93.184.216.34:99999/", "port"),
    ],  # fmt: skip
)
def test_malformed_urls_are_refused_with_what_to_change(url: str, says: str) -> None:
    with pytest.raises(UnsafeTarget, match=says):
        check_webhook_url(url, frozenset())


def test_public_addresses_and_allowed_hosts_pass() -> None:
    assert check_webhook_url("https://93.184.216.34/hooks", frozenset())
    assert check_webhook_url("http://127.0.0.1:9/hook", frozenset({"127.0.0.1"}))


def test_a_host_with_any_private_address_is_refused(monkeypatch) -> None:
    def two_answers(host, port, *args, **kwargs):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port)) for ip in ("93.184.216.34", "10.0.0.7")
        ]

    monkeypatch.setattr(socket, "getaddrinfo", two_answers)
    with pytest.raises(UnsafeTarget, match="private address"):
        check_webhook_url("https://hooks.example.com/x", frozenset())


def test_dns_rebinding_is_caught_when_the_worker_connects(monkeypatch) -> None:
    """The name resolved to a public address when the admin set it; now it answers loopback."""
    real = socket.getaddrinfo

    def rebound(host, port, *args, **kwargs):
        if host == "hooks.example.com":
            return real("127.0.0.1", port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebound)
    client = httpx.Client(transport=GuardedTransport(frozenset()), trust_env=False)
    with client, pytest.raises(UnsafeTarget, match="loopback"):
        client.post("http://hooks.example.com:9/hook", content=b"{}")


def test_a_signature_holds_only_for_its_body_time_and_secret() -> None:
    body = b'{"event":"follow_up.due"}'
    headers = signed_headers("whsec_team", body)
    stamp, sent = headers["Heard-Timestamp"], headers["Heard-Signature"]
    assert sent.startswith("v1=") and len(sent) == 3 + 64
    assert verify("whsec_team", body, stamp, sent)
    assert not verify("whsec_other", body, stamp, sent)
    assert not verify("whsec_team", body + b" ", stamp, sent)
    assert not verify("whsec_team", body, str(int(stamp) + 1), sent)
    old = int(time.time()) - 3600  # a replay of an hour-old delivery
    assert not verify("whsec_team", body, str(old), signature("whsec_team", old, body))


@pytest.fixture
def admin(db, tmp_path):
    app = create_app(Settings(data_dir=tmp_path, warm_up=False), db=db)
    key = create_team_with_admin(db, f"hooks-{time.monotonic_ns()}")
    with TestClient(app, headers={"Authorization": f"Bearer {key}"}) as client:
        yield client


@pytest.mark.parametrize(
    "url", ["http://", "http://127.0.0.1:8000/", "http://169.254.169.254/", "http://localhost/"]
)
def test_the_api_refuses_an_unsafe_webhook_url(admin, url: str) -> None:
    answer = admin.patch("/v1/team", json={"webhook_url": url})
    assert answer.status_code in (400, 422) and answer.json()["code"] == "H103", answer.text
    assert admin.get("/v1/team").json()["webhook_url"] is None


def test_each_team_has_its_own_secret_that_an_admin_can_rotate(admin, db, tmp_path) -> None:
    first = admin.get("/v1/team/webhook-secret").json()["secret"]
    assert first.startswith("whsec_") and admin.get("/v1/team/webhook-secret").json()["secret"] == first
    rotated = admin.post("/v1/team/webhook-secret").json()["secret"]
    assert rotated != first and admin.get("/v1/team/webhook-secret").json()["secret"] == rotated
    other = create_team_with_admin(db, f"other-{time.monotonic_ns()}")
    theirs = admin.get("/v1/team/webhook-secret", headers={"Authorization": f"Bearer {other}"}).json()[
        "secret"
    ]
    assert theirs not in (first, rotated)
    assert admin.patch("/v1/team", json={"webhook_url": "https://93.184.216.34/hook"}).status_code == 200


def test_the_documented_receiver_check_accepts_what_the_worker_signs() -> None:
    """docs/webhooks.md's verification example, run against heard's own signing."""
    import re
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "webhooks.md").read_text("utf-8")
    code = next(
        block for block in re.findall(r"```python\n(.*?)```", docs, re.S) if "heard_signature_ok" in block
    )
    space: dict = {}
    exec(compile(code, "docs/webhooks.md", "exec"), space)
    check = space["heard_signature_ok"]
    body = b'{"event":"follow_up.due","follow_up":{"id":1}}'
    headers = signed_headers("whsec_docs", body)
    assert check("whsec_docs", body, headers)
    assert not check("whsec_docs", body.replace(b"1", b"2"), headers)
    assert not check("whsec_wrong", body, headers)
