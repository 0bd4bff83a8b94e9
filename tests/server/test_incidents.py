"""Incidents and insights through a real server, on SQLite and on PostgreSQL: resolving records
the whole incident, the follow-up brings satisfaction back, the root cause can be corrected, and
GET /v1/insights serves the report's figures from the team's incidents."""

from __future__ import annotations

import httpx
import pytest

CALMED = [
    ("customer", "I am furious! You charged my card twice for order 5521 and nobody answers my emails!"),
    ("agent", "So you were charged twice for order 5521 and nobody got back to you. I'm so sorry, that's our mistake."),
    ("customer", "Yes. Thank you, that helps."),
    ("agent", "I will refund the second charge of 40 EUR today."),
]  # fmt: skip
STILL_ANGRY = [
    ("customer", "My parcel is a week late and your driver never even rang the bell. This is a disgrace!"),
    ("agent", "Please calm down. Deliveries are handled by our partner."),
    ("customer", "Unbelievable. You are useless and I want my money back NOW!"),
]  # fmt: skip


def _resolved(c: httpx.Client, messages, customer: str, **resolve) -> tuple[int, dict]:
    cid = c.post("/v1/conversations", json={"customer": customer}).json()["id"]
    for role, text in messages:
        answer = c.post(f"/v1/conversations/{cid}/messages", json={"role": role, "text": text})
        assert answer.status_code == 201, answer.text
    answer = c.post(f"/v1/conversations/{cid}/resolve", json=resolve)
    assert answer.status_code == 200, answer.text
    return cid, answer.json()["follow_up"]


@pytest.fixture(scope="module")
def incidents(server):
    """Two resolved conversations: one calmed with a refund, one that stayed angry."""
    with server.client() as c:
        calmed, follow_up = _resolved(c, CALMED, "inc-calm", remedy="refund")
        angry, _ = _resolved(c, STILL_ANGRY, "inc-angry", root_cause="courier never rang")
    return {"calmed": calmed, "angry": angry, "follow_up": follow_up}


def _incident_of(c: httpx.Client, conversation_id: int) -> dict:
    incident = c.get(f"/v1/conversations/{conversation_id}").json()["incident"]
    return c.get(f"/v1/incidents/{incident['id']}").json()


def test_resolving_records_the_whole_incident(server, incidents) -> None:
    with server.client() as c:
        calmed = _incident_of(c, incidents["calmed"])
        angry = _incident_of(c, incidents["angry"])
    assert calmed["conversation_id"] == incidents["calmed"] and calmed["customer"] == "inc-calm"
    assert calmed["category"] == "billing" and calmed["fault"] == "company"
    assert "charged my card twice" in calmed["root_cause"]  # read from the complaint
    assert calmed["peak_level"] in ("angry", "furious") and calmed["final_level"] in ("calm", "concerned")
    assert calmed["deescalated"] is True and calmed["messages_to_deescalate"] == 2
    assert calmed["minutes_to_deescalate"] is not None
    steps = calmed["steps_done"]
    assert {"listen", "apologise", "offer_solutions"} <= set(steps)
    assert steps.index("listen") < steps.index("offer_solutions")  # in the order first done
    assert (
        calmed["remedy"] == "refund" and calmed["follow_up"] == "pending" and calmed["satisfaction"] is None
    )
    assert angry["root_cause"] == "courier never rang"  # the resolver's words win
    assert angry["deescalated"] is False and angry["messages_to_deescalate"] is None
    assert "stay_calm" not in angry["steps_done"] and angry["remedy"] is None


def test_the_follow_up_brings_satisfaction_into_the_incident(server, incidents) -> None:
    with server.client() as c:
        done = c.post(
            f"/v1/follow-ups/{incidents['follow_up']['id']}/complete",
            json={"outcome": "resolved", "satisfaction": 4},
        )
        assert done.status_code == 200
        incident = _incident_of(c, incidents["calmed"])
    assert incident["satisfaction"] == 4 and incident["follow_up"] == "done"


def test_incidents_list_filters_and_pages(server, incidents) -> None:
    with server.client() as c:
        every = c.get("/v1/incidents").json()
        assert (
            every["total"] >= 2 and every["items"][0]["conversation_id"] == incidents["angry"]
        )  # newest first
        calmed = c.get("/v1/incidents", params={"deescalated": "true", "category": "billing"}).json()
        assert [i["conversation_id"] for i in calmed["items"]] == [incidents["calmed"]]
        assert c.get("/v1/incidents", params={"customer": "inc-angry"}).json()["total"] == 1
        page = c.get("/v1/incidents", params={"limit": 1, "offset": 1}).json()
        assert len(page["items"]) == 1 and page["items"][0]["id"] != every["items"][0]["id"]
        assert c.get("/v1/incidents", params={"since": "2999-01-01T00:00:00Z"}).json()["total"] == 0
        naive = c.get("/v1/incidents", params={"since": "2026-01-01T00:00:00"})
        assert naive.status_code == 422 and "time zone" in naive.json()["detail"]
        assert c.get("/v1/incidents", params={"fault": "martians"}).status_code == 422


def test_agents_and_leads_correct_the_root_cause_and_are_named(server, incidents) -> None:
    with server.client() as admin:
        agent = admin.post("/v1/users", json={"name": "ines", "role": "agent"})
        assert agent.status_code == 201, agent.text
        incident_id = _incident_of(admin, incidents["angry"])["id"]
    with server.client(agent.json()["api_key"]) as c:
        edited = c.patch(
            f"/v1/incidents/{incident_id}", json={"root_cause": "  courier   skipped the address "}
        )
        assert edited.status_code == 200, edited.text
        assert edited.json()["root_cause"] == "courier skipped the address"
        assert edited.json()["root_cause_edited_by"] == "ines" and edited.json()["updated_at"]
        blank = c.patch(f"/v1/incidents/{incident_id}", json={"root_cause": "   "})
        assert blank.status_code == 422 and "root_cause" in blank.json()["detail"]
        assert c.patch(f"/v1/incidents/{incident_id}", json={"fault": "company"}).status_code == 422
        assert c.get("/v1/incidents/999999").json()["code"] == "H301"


def test_insights_serve_the_reports_figures(server, incidents) -> None:
    with server.client() as c:
        c.post(f"/v1/follow-ups/{incidents['follow_up']['id']}/complete", json={"outcome": "resolved"})
        report = c.get("/v1/insights").json()
        assert report["conversations"] >= 2 and report["period"] == "month"
        assert {"billing", "late_or_missed"} <= {row["key"] for row in report["volume_by_category"]}
        outcomes = report["outcomes"]
        assert outcomes["upset_at_peak"] >= 2 and outcomes["deescalated"] >= 1
        assert outcomes["mean_satisfaction"] == 4.0
        assert {b["id"] for b in report["what_works"]} >= {
            "apologise_when_at_fault",
            "listen_before_solution",
        }
        assert report["produced_by"]["report"] == "insights.v1"
        weekly = c.get("/v1/insights", params={"period": "week"}).json()
        assert weekly["period"] == "week" and "-W" in weekly["volume_by_category"][0]["period"]
        assert c.get("/v1/insights", params={"since": "2999-01-01T00:00:00Z"}).json()["conversations"] == 0
        bad = c.get("/v1/insights", params={"period": "year"})
        assert bad.status_code == 422 and "period" in bad.json()["detail"]
        backwards = c.get(
            "/v1/insights", params={"since": "2026-03-01T00:00:00Z", "until": "2026-02-01T00:00:00Z"}
        )
        assert backwards.status_code == 422 and "before" in backwards.json()["detail"]
        page = c.get("/v1/insights/report.html")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert "attachment" in page.headers["content-disposition"]
        assert "<svg" in page.text and "<script" not in page.text and "<link" not in page.text  # offline


def test_incidents_and_insights_are_in_the_schema(server) -> None:
    paths = httpx.get(f"{server.url}/openapi.json").json()["paths"]
    assert {"get", "patch"} <= set(paths["/v1/incidents/{incident_id}"])
    assert "get" in paths["/v1/incidents"] and "get" in paths["/v1/insights"]
    assert "text/html" in paths["/v1/insights/report.html"]["get"]["responses"]["200"]["content"]
