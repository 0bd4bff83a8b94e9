"""The main path through a real server process, on SQLite and on PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

ANGRY = (
    "I am furious. You charged my card 4111 1111 1111 1111 twice for my order! Email me at ann@example.com"
)


def _conversation(c: httpx.Client, **body) -> int:
    r = c.post("/v1/conversations", json={"customer": "c-42", **body})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_health_ready_and_schema(server) -> None:
    assert httpx.get(f"{server.url}/v1/health").json()["status"] == "ok"
    ready = httpx.get(f"{server.url}/v1/ready").json()
    assert ready["status"] == "ready" and ready["migration"] == "0003_themes"
    schema = httpx.get(f"{server.url}/openapi.json").json()
    assert {"/v1/analyze", "/v1/reflect", "/v1/conversations/{conversation_id}/messages"} <= set(
        schema["paths"]
    )


def test_stateless_analyze_and_reflect(server) -> None:
    with server.client() as c:
        a = c.post("/v1/analyze", json={"text": "You charged me twice and nobody answers!"}).json()
        assert a["level"] in ("upset", "angry", "furious") and a["complaint"]["category"] == "billing"
        r = c.post("/v1/reflect", json={"text": "You charged me twice for order 5521."}).json()
        assert "charged you twice" in r["text"]


def test_a_conversation_through_the_playbook(server) -> None:
    with server.client() as c:
        cid = _conversation(c, subject="double charge")
        first = c.post(f"/v1/conversations/{cid}/messages", json={"role": "customer", "text": ANGRY})
        assert first.status_code == 201
        body = first.json()
        assert body["action"]["kind"] == "reflect" and body["stage"] == "reflecting"
        assert body["analysis"]["level"] in ("angry", "furious") and body["analysis"]["fault"] == "company"
        assert "4111" not in body["text"] and "ann@example.com" not in body["text"]
        assert sorted(body["redacted"]) == ["card", "email"]
        reply = c.post(f"/v1/conversations/{cid}/messages",
                       json={"role": "agent", "text": body["action"]["reflection"], "acts": ["reflection"]})  # fmt: skip
        assert reply.json()["stage"] == "confirming" and reply.json()["acts_source"] == "declared"
        ask = c.post(
            f"/v1/conversations/{cid}/messages", json={"role": "customer", "text": "Yes, exactly."}
        ).json()
        assert ask["action"]["kind"] == "ask" and ask["action"]["apology"].startswith("I'm sorry we")
        asked = c.post(f"/v1/conversations/{cid}/messages",
                       json={"role": "agent", "text": "I'm so sorry. What was the order number?"}).json()  # fmt: skip
        assert asked["acts_source"] == "detected" and {"question", "apology"} <= set(asked["acts"])
        offer = c.post(f"/v1/conversations/{cid}/messages", json={
            "role": "customer", "text": "Order 5521 on Monday, 40 dollars each time. I want a refund."}).json()  # fmt: skip
        assert offer["action"]["kind"] == "offer"
        assert offer["action"]["solutions"][0] == {
            "remedy": "refund", "kind": "refund", "text": "I can refund 40 EUR to your original payment method.",
            "amount": 40.0, "needs_approval": False, "approver": "lead", "note": None,
        }  # fmt: skip
        resolved = c.post(f"/v1/conversations/{cid}/resolve", json={"fixed": "refunded the second charge of 40 EUR",
                                                                    "root_cause": "payment retried twice"})  # fmt: skip
        assert resolved.status_code == 200
        follow_up = resolved.json()["follow_up"]
        assert follow_up["status"] == "scheduled" and "refunded the second charge" in follow_up["message"]
        assert c.post(f"/v1/conversations/{cid}/resolve", json={}).status_code == 409
        detail = c.get(f"/v1/conversations/{cid}").json()
        assert [m["role"] for m in detail["timeline"]] == [
            "customer",
            "agent",
            "customer",
            "agent",
            "customer",
        ]
        assert detail["status"] == "resolved" and detail["stage"] == "following_up"
        assert detail["incident"]["root_cause"] == "payment retried twice"
        assert detail["incident"]["category"] == "billing"
        listed = c.get("/v1/conversations", params={"status": "resolved", "customer": "c-42"}).json()
        assert cid in [i["id"] for i in listed["items"]]
        done = c.post(
            f"/v1/follow-ups/{follow_up['id']}/complete", json={"outcome": "resolved", "satisfaction": 5}
        )
        assert done.json()["satisfaction"] == 5 and done.json()["status"] == "completed"


def test_a_retried_message_is_stored_once(server) -> None:
    with server.client() as c:
        cid = _conversation(c)
        msg = {"role": "customer", "text": "My parcel never arrived.", "external_id": "helpdesk-77"}
        first, again = (c.post(f"/v1/conversations/{cid}/messages", json=msg) for _ in range(2))
        assert (first.status_code, again.status_code) == (201, 200)
        assert again.json()["replayed"] and again.json()["id"] == first.json()["id"]
        assert again.json()["action"] == first.json()["action"]
        assert c.get(f"/v1/conversations/{cid}").json()["messages"] == 1


def test_concurrent_retries_and_messages_are_each_stored_once(server) -> None:
    with server.client() as c:
        cid = _conversation(c)

        def send(i: int) -> int:
            with server.client() as mine:
                body = {"role": "customer", "text": f"Still waiting on refund number {i % 4}!",
                        "external_id": f"m-{i % 4}"}  # fmt: skip
                return mine.post(f"/v1/conversations/{cid}/messages", json=body).status_code

        with ThreadPoolExecutor(8) as pool:
            codes = list(pool.map(send, range(12)))
        assert codes.count(201) == 4 and codes.count(200) == 8
        detail = c.get(f"/v1/conversations/{cid}").json()
        assert detail["messages"] == 4 and sorted(m["external_id"] for m in detail["timeline"]) == [
            "m-0", "m-1", "m-2", "m-3"]  # fmt: skip


def test_policy_limits_are_enforced(server) -> None:
    with server.client() as c:
        cid = _conversation(c)
        c.post(
            f"/v1/conversations/{cid}/messages", json={"role": "customer", "text": "You charged me twice!"}
        )
        promise = c.post(f"/v1/conversations/{cid}/messages",
                         json={"role": "agent", "text": "I'll refund you $900 right now."}).json()  # fmt: skip
        assert promise["policy"][0]["message"] == "promises 900 EUR; refund allows at most 500 EUR"
        fine = c.post(f"/v1/conversations/{cid}/messages",
                      json={"role": "agent", "text": "I can refund the 30 EUR today."}).json()  # fmt: skip
        assert fine["policy"] == []
        yaml_text = c.get("/v1/policies", headers={"Accept": "application/yaml"}).text
        assert yaml_text.startswith("version: policies.v1")
        bad = c.put("/v1/policies", content="remedies: [{id: r, name: R, kind: cash}]")
        assert bad.status_code == 422 and "remedies[0].kind" in bad.json()["detail"]
        assert c.get("/v1/policies").json()["remedies"][0]["id"] == "refund"  # unchanged
        assert c.post("/v1/policies/validate", content=yaml_text).json()["valid"]
        agent = c.post("/v1/users", json={"name": "agent-pol", "role": "agent"}).json()["api_key"]
        with server.client(agent) as as_agent:
            assert as_agent.put("/v1/policies", content=yaml_text).status_code == 403


def test_redaction_can_be_turned_off_by_an_admin(server) -> None:
    key = server.new_team("plain-text-team")
    with server.client(key) as c:
        assert c.patch("/v1/team", json={"redact_pii": False}).json()["redact_pii"] is False
        cid = _conversation(c)
        stored = c.post(f"/v1/conversations/{cid}/messages", json={"role": "customer", "text": ANGRY}).json()
        assert "ann@example.com" in stored["text"] and stored["redacted"] == []


def test_errors_are_json_with_the_right_status(server) -> None:
    with server.client() as c:
        cid = _conversation(c)
        cases = [
            (httpx.post(f"{server.url}/v1/analyze", json={"text": "hi"}), 401, "H302"),
            (
                c.post("/v1/analyze", content=b"{not json", headers={"Content-Type": "application/json"}),
                400,
                "H103",
            ),
            (
                c.post(
                    "/v1/analyze",
                    content=b'{"text": "caf\xe9"}',
                    headers={"Content-Type": "application/json"},
                ),
                400,
                "H103",
            ),  # fmt: skip
            (c.post("/v1/analyze", json={"text": "   "}), 422, "H101"),
            (c.post("/v1/analyze", json={"txt": "hi"}), 422, "H103"),
            (c.post("/v1/analyze", json={"text": "a" * 20_000}), 413, "H111"),
            (
                c.post("/v1/analyze", content=b"x" * 2_000_000, headers={"Content-Type": "application/json"}),
                413,
                "H111",
            ),
            (c.get("/v1/conversations/999999"), 404, "H301"),
            (c.post(f"/v1/conversations/{cid}/messages", json={"role": "boss", "text": "hi"}), 422, "H103"),
            (c.get("/v1/follow-ups/999999"), 404, "H301"),
            (c.get("/v1/nowhere"), 404, "H112"),
            (c.put("/v1/health"), 405, "H112"),
        ]
        for response, status, code in cases:
            assert (response.status_code, response.json()["code"]) == (status, code), response.text


def test_conversations_update_delete_and_roles(server) -> None:
    with server.client() as c:
        cid = _conversation(c, subject="first")
        assert c.patch(f"/v1/conversations/{cid}", json={"subject": "renamed", "channel": "email"}).json()[
            "subject"] == "renamed"  # fmt: skip
        agent = c.post("/v1/users", json={"name": f"agent-{cid}", "role": "agent"}).json()["api_key"]
        assert c.post("/v1/users", json={"name": f"agent-{cid}", "role": "agent"}).status_code == 409
        with server.client(agent) as as_agent:
            assert as_agent.delete(f"/v1/conversations/{cid}").status_code == 403
            assert as_agent.patch("/v1/team", json={"redact_pii": False}).json()["code"] == "H303"
            assert as_agent.get(f"/v1/conversations/{cid}").json()["channel"] == "email"
        assert c.delete(f"/v1/conversations/{cid}").status_code == 204
        assert c.get(f"/v1/conversations/{cid}").status_code == 404


def test_due_follow_ups_are_listed(server) -> None:
    with server.client() as c:
        now, later = _conversation(c), _conversation(c)
        due = c.post(f"/v1/conversations/{now}/resolve", json={"follow_up_in_hours": 0}).json()["follow_up"][
            "id"
        ]
        tomorrow = c.post(f"/v1/conversations/{later}/resolve", json={"follow_up_in_hours": 24}).json()
        listed = {
            f["id"] for f in c.get("/v1/follow-ups", params={"due": "true", "limit": 200}).json()["items"]
        }
        assert due in listed and tomorrow["follow_up"]["id"] not in listed
        scheduled = c.get("/v1/follow-ups", params={"status": "scheduled", "limit": 200}).json()
        assert scheduled["total"] >= 2


def test_review_a_draft_against_the_playbook_and_the_policy(server) -> None:
    with server.client() as c:
        customer = "You charged me twice for order 5521 and nobody answers my emails!"
        bad = c.post(
            "/v1/review", json={"draft": "Calm down. I'll refund you $900 right now.", "customer": customer}
        )
        assert bad.status_code == 200
        checks = {f["check"]: f for f in bad.json()["findings"]}
        assert {"calm_down", "beyond_policy"} <= set(checks) and bad.json()["score"] < 50
        assert checks["beyond_policy"]["text"] == "I'll refund you $900 right now"
        good = c.post("/v1/review", json={
            "draft": "I'm so sorry we charged you twice, that must be really frustrating. I can refund the "
                     "second charge of 40 EUR today. Could you tell me the date of the order?",
            "customer": customer}).json()  # fmt: skip
        assert (
            "beyond_policy" not in {f["check"] for f in good["findings"]}
            and good["score"] > bad.json()["score"]
        )
        cid = _conversation(c)
        c.post(f"/v1/conversations/{cid}/messages", json={"role": "customer", "text": customer})
        stored = c.post(
            "/v1/review", json={"draft": "I will refund you 800 euros.", "conversation_id": cid}
        ).json()
        assert "beyond_policy" in {f["check"] for f in stored["findings"]}
        broken = c.post("/v1/review", json={"draft": "Hi", "conversation": [{"role": "boss", "text": "x"}]})
        assert broken.status_code == 422
        assert c.post("/v1/review", json={"draft": "Hi", "conversation_id": 999_999}).status_code == 404


def test_the_scorecard_is_scored_on_the_stored_analyses(server) -> None:
    """The service scores a conversation on the analyses stored with its customer messages:
    the card is the one ``heard.score_conversation`` gives for the same transcript."""
    import heard

    said = [
        ("customer", "My parcel is a week late and nobody has told me anything. This is ridiculous."),
        ("agent", "So your parcel is a week late and you've heard nothing from us. Is that right?"),
        ("customer", "Yes. Order 7310."),
    ]
    with server.client() as c:
        cid = _conversation(c, subject="late parcel")
        timeline = [
            c.post(f"/v1/conversations/{cid}/messages", json={"role": role, "text": text}).json()
            for role, text in said
        ]
        card = c.get(f"/v1/conversations/{cid}/scorecard")
    assert card.status_code == 200, card.text
    transcript = [{"role": m["role"], "text": m["text"], "at": m["at"]} for m in timeline]
    assert card.json() == heard.score_conversation(transcript).model_dump(mode="json")
