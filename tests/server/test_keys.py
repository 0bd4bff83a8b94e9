"""API keys: an admin lists and revokes them (API and CLI); a revoked key stops working on
every server process within a second, and its console sessions end."""

from __future__ import annotations

import os
import subprocess
import time

import pytest
from fastapi.testclient import TestClient

from heard.server import deps
from heard.server.app import create_app
from heard.server.bootstrap import create_team_with_admin
from heard.settings import Settings
from tests.server.conftest import HEARD


@pytest.fixture
def apps(db, tmp_path):
    """Two server processes' apps on one database (each has its own key cache)."""
    settings = Settings(data_dir=tmp_path, warm_up=False)
    one, two = create_app(settings, db=db), create_app(settings, db=db)
    with TestClient(one) as a, TestClient(two) as b:
        yield a, b


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_a_revoked_key_stops_working_on_every_process_within_a_second(apps, db) -> None:
    one, two = apps
    admin = create_team_with_admin(db, f"keys-{time.monotonic_ns()}")
    agent = one.post("/v1/users", json={"name": "ana", "role": "agent"}, headers=_bearer(admin)).json()
    for app in (one, two):  # both processes have checked (and cached) the agent's key
        assert app.get("/v1/team", headers=_bearer(agent["api_key"])).status_code == 200
    keys = one.get("/v1/keys", headers=_bearer(admin)).json()
    [ana] = [k for k in keys if k["user"] == "ana"]
    assert agent["api_key"].startswith(ana["prefix"]) and agent["api_key"] != ana["prefix"]
    revoked = one.delete(f"/v1/keys/{ana['id']}", headers=_bearer(admin)).json()
    assert revoked["revoked_at"] is not None
    assert one.get("/v1/team", headers=_bearer(agent["api_key"])).status_code == 401  # at once here
    assert deps.KEY_CACHE_SECONDS <= 1.0
    time.sleep(deps.KEY_CACHE_SECONDS + 0.05)
    answer = two.get("/v1/team", headers=_bearer(agent["api_key"]))  # and on the other process
    assert answer.status_code == 401 and "revoked" in answer.json()["detail"]
    # A new key for the same user works; the admin's own key was never touched.
    fresh = one.post(f"/v1/users/{ana['user_id']}/keys", headers=_bearer(admin)).json()["api_key"]
    assert two.get("/v1/team", headers=_bearer(fresh)).status_code == 200


def test_only_an_admin_of_the_same_team_revokes(apps, db) -> None:
    one, _ = apps
    admin = create_team_with_admin(db, f"a-{time.monotonic_ns()}")
    stranger = create_team_with_admin(db, f"b-{time.monotonic_ns()}")
    agent = one.post("/v1/users", json={"name": "bo", "role": "agent"}, headers=_bearer(admin)).json()[
        "api_key"
    ]
    key_ids = [k["id"] for k in one.get("/v1/keys", headers=_bearer(admin)).json()]
    assert one.get("/v1/keys", headers=_bearer(agent)).status_code == 403
    assert one.delete(f"/v1/keys/{key_ids[0]}", headers=_bearer(agent)).status_code == 403
    assert one.delete(f"/v1/keys/{key_ids[0]}", headers=_bearer(stranger)).status_code == 404
    assert one.get("/v1/team", headers=_bearer(admin)).status_code == 200
    [own] = [k["id"] for k in one.get("/v1/keys", headers=_bearer(admin)).json() if k["role"] == "admin"]
    refused = one.delete(f"/v1/keys/{own}", headers=_bearer(admin))  # it would lock the team out
    assert refused.status_code == 409 and "last active admin key" in refused.json()["detail"]


def test_the_cli_lists_and_revokes_keys(tmp_path) -> None:
    env = os.environ | {
        "HEARD_DATA_DIR": str(tmp_path),
        "HEARD_DATABASE_URL": f"sqlite:///{tmp_path / 'h.db'}",
    }

    def heard(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([HEARD, *args], env=env, capture_output=True, text=True, timeout=120)

    key = heard("team", "create", "cli-team").stdout.strip()
    listed = heard("key", "list", "--team", "cli-team").stdout
    assert "admin" in listed and "active" in listed and key not in listed
    locked_out = heard("key", "revoke", key[:10], "--team", "cli-team")  # the team's only admin key
    assert locked_out.returncode == 2 and "last active admin key" in locked_out.stderr
    new = heard("key", "issue", "--user", "admin", "--team", "cli-team")
    assert new.returncode == 0 and new.stdout.strip().startswith("hd_")
    done = heard("key", "revoke", key[:10], "--team", "cli-team")
    assert done.returncode == 0 and "revoked key" in done.stdout
    assert "revoked" in heard("key", "list", "--team", "cli-team").stdout
    missing = heard("key", "revoke", "hd_nosuch", "--team", "cli-team")
    assert missing.returncode == 2 and "no key" in missing.stderr
