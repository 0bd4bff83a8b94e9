"""A key of one team gets 404 for another team's objects, on every endpoint that names one."""

from __future__ import annotations

import httpx
import pytest

# Every route with an object id in its path, and how to call it (the body is valid, so only
# the team decides the answer).
CALLS = {
    ("GET", "/v1/conversations/{conversation_id}"): None,
    ("PATCH", "/v1/conversations/{conversation_id}"): {"subject": "mine now"},
    ("DELETE", "/v1/conversations/{conversation_id}"): None,
    ("POST", "/v1/conversations/{conversation_id}/messages"): {"role": "customer", "text": "let me in"},
    ("POST", "/v1/conversations/{conversation_id}/resolve"): {},
    ("GET", "/v1/conversations/{conversation_id}/solutions"): None,
    ("GET", "/v1/conversations/{conversation_id}/suggestions"): None,
    ("GET", "/v1/conversations/{conversation_id}/scorecard"): None,
    ("PATCH", "/v1/follow-ups/{follow_up_id}"): {"message": "mine now"},
    ("GET", "/v1/follow-ups/{follow_up_id}"): None,
    ("POST", "/v1/follow-ups/{follow_up_id}/complete"): {"outcome": "resolved", "satisfaction": 1},
    ("GET", "/v1/incidents/{incident_id}"): None,
    ("PATCH", "/v1/incidents/{incident_id}"): {"root_cause": "mine now"},
    ("DELETE", "/v1/keys/{key_id}"): None,
    ("POST", "/v1/users/{user_id}/keys"): None,
    ("GET", "/v1/practice/sessions/{session_id}"): None,
    ("POST", "/v1/practice/sessions/{session_id}/replies"): {"text": "mine now", "at": 60},
    ("POST", "/v1/practice/sessions/{session_id}/stop"): None,
    ("GET", "/v1/practice/sessions/{session_id}/debrief"): None,
}
# Routes whose path names no object of a team's, each with why and where its isolation is tested.
NOT_TEAM_OBJECTS = {
    ("GET", "/v1/integrations/{helpdesk}"): "a helpdesk's name: the caller's own team's connection",
    ("PUT", "/v1/integrations/{helpdesk}"): "a helpdesk's name: the caller's own team's connection",
    ("GET", "/v1/integrations/{helpdesk}/panel"): "a helpdesk's name: the caller's own team's panel URL",
    ("GET", "/v1/integrations/{helpdesk}/conversations/{external_id}"):
        "a helpdesk's id, looked up in the caller's team only: test_helpdesks_server.py, another team's connection",
    ("POST", "/v1/integrations/{helpdesk}/events/{connection_key}"):
        "the connection key is the credential: test_chatwoot_server.py, refused events",
    ("GET", "/v1/integrations/{helpdesk}/panel/{panel_key}/conversations/{external_id}"):
        "the panel key is the credential: test_panel_browser.py and test_helpdesks_server.py",
    ("POST", "/v1/integrations/{helpdesk}/panel/{panel_key}/conversations/{external_id}/review"):
        "the panel key is the credential: test_panel_browser.py",
}  # fmt: skip
OWNER = {  # where the owner reads each object back
    "conversation": "/v1/conversations/{conversation_id}",
    "follow-up": "/v1/follow-ups/{follow_up_id}",
    "incident": "/v1/incidents/{incident_id}",
    "keys": "/v1/keys",
    "practice": "/v1/practice/sessions/{session_id}",
}


@pytest.fixture(scope="module")
def objects(server):
    """Team A's conversation, follow-up and incident, and team B's admin key."""
    with server.client() as a:
        cid = a.post("/v1/conversations", json={"customer": "iso"}).json()["id"]
        a.post(f"/v1/conversations/{cid}/messages", json={"role": "customer", "text": "My order is late."})
        other = a.post("/v1/conversations", json={}).json()["id"]
        fid = a.post(f"/v1/conversations/{other}/resolve", json={}).json()["follow_up"]["id"]
        iid = a.get(f"/v1/conversations/{other}").json()["incident"]["id"]
        uid = a.post("/v1/users", json={"name": f"iso-{cid}", "role": "agent"}).json()["id"]
        kid = next(k["id"] for k in a.get("/v1/keys").json() if k["user_id"] == uid)
        sid = a.post("/v1/practice/sessions", json={"scenario": "retail_missed_sofa", "seed": 1}).json()["id"]
    ids = {"conversation_id": cid, "follow_up_id": fid, "incident_id": iid, "user_id": uid, "key_id": kid,
           "session_id": sid}  # fmt: skip
    return ids, server.new_team(f"intruders-{cid}")


def test_every_route_naming_an_object_is_checked(server) -> None:
    schema = httpx.get(f"{server.url}/openapi.json").json()
    with_ids = {(m.upper(), p) for p, ops in schema["paths"].items() for m in ops if "{" in p}
    assert with_ids == set(CALLS) | set(NOT_TEAM_OBJECTS)


@pytest.mark.parametrize(("method", "path"), list(CALLS))
def test_another_teams_object_is_not_found(server, objects, method: str, path: str) -> None:
    ids, intruder = objects
    url = path.format(**ids)
    with server.client(intruder) as b:
        answer = b.request(method, url, json=CALLS[(method, path)])
    assert answer.status_code == 404 and answer.json()["code"] == "H301"
    with server.client() as a:  # and the owner still has it, unchanged
        owner_path = next(p for kind, p in OWNER.items() if kind in path)
        seen = a.get(owner_path.format(**ids))
        assert seen.status_code == 200
        if "keys" in path:  # the owner's keys: the one named is still active, no key was added
            keys = [k for k in seen.json() if k["user_id"] == ids["user_id"]]
            assert [(k["id"], k["revoked_at"]) for k in keys] == [(ids["key_id"], None)]
            return
        assert seen.json().get("subject") != "mine now" and seen.json().get("status") != "completed"
        assert seen.json().get("message") != "mine now" and seen.json().get("root_cause") != "mine now"
        assert seen.json().get("replies", 0) == 0 and seen.json().get("outcome") is None


def test_review_of_another_teams_conversation_is_not_found(server, objects) -> None:
    ids, intruder = objects
    with server.client(intruder) as b:
        answer = b.post("/v1/review", json={"draft": "Sorry!", "conversation_id": ids["conversation_id"]})
    assert answer.status_code == 404 and answer.json()["code"] == "H301"


def test_lists_show_only_the_teams_own(server, objects) -> None:
    _, intruder = objects
    with server.client(intruder) as b:
        assert b.get("/v1/conversations").json()["total"] == 0
        assert b.get("/v1/follow-ups").json()["total"] == 0
        assert b.get("/v1/incidents").json()["total"] == 0
        assert b.get("/v1/insights").json()["conversations"] == 0
        assert (
            b.get("/v1/practice/sessions").json()["total"] == 0
            and b.get("/v1/practice/trainees").json() == []
        )
        assert "<svg" not in b.get("/v1/insights/report.html").text  # no figures to chart
        assert b.get("/v1/team").json()["name"].startswith("intruders-")
