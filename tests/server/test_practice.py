"""Practice over HTTP against a real ``heard serve`` on SQLite and PostgreSQL: a trainee's
session from start to debrief, the lead's figures, a team's own scenario, and the bad inputs
each answered with a clear 4xx."""

from __future__ import annotations

import importlib.resources
import re

import pytest

from heard.simulate import Practice, load_scenarios
from heard.simulate.trainees import poor, skilled

SCENARIO = "retail_missed_sofa"


@pytest.fixture(scope="module")
def trainee(server) -> str:
    """An agent of the demo team: the trainee."""
    with server.client() as admin:
        return admin.post("/v1/users", json={"name": "trainee-ana", "role": "agent"}).json()["api_key"]


def _yaml(new_id: str) -> str:
    text = (
        importlib.resources.files("heard.simulate") / "data" / "scenarios" / f"{SCENARIO}.v1.yaml"
    ).read_text()
    return re.sub(r"(?m)^id: .*$", f"id: {new_id}", text, count=1)


def test_a_session_from_start_to_debrief(server, trainee) -> None:
    with server.client(trainee) as c:
        listed = c.get("/v1/practice/scenarios").json()
        assert {s["id"] for s in listed} >= set(load_scenarios()) and listed[0]["source"] == "shipped"
        started = c.post(
            "/v1/practice/sessions", json={"scenario": SCENARIO, "difficulty": "hard", "seed": 11}
        )
        assert started.status_code == 201, started.text
        session = started.json()
        sid = session["id"]
        # The same session in the library: the script reads it, and its turns must match the server's.
        local = Practice.start(load_scenarios()[SCENARIO], difficulty="hard", seed=11)
        assert [line["text"] for line in session["opening"]] == [line.text for line in local.opening]
        moods = [session["mood"]]
        while True:
            text, at = skilled(local)
            expected = local.reply(text, at=at)
            answer = c.post(f"/v1/practice/sessions/{sid}/replies", json={"text": text, "at": at})
            assert answer.status_code == 200, answer.text
            turn = answer.json()
            assert [line["text"] for line in turn["customer"]] == [line.text for line in expected.customer]
            assert (
                turn["mood"] == expected.mood.model_dump()
                and turn["changes"]
                and turn["changes"][0]["reason"]
            )
            moods.append(turn["mood"])
            if turn["ended"]:
                break
        assert turn["ended"] == "resolved" and turn["session"]["outcome"] == "resolved"
        assert moods[-1]["anger"] < moods[0]["anger"] and moods[-1]["progress"] > moods[0]["progress"]
        detail = c.get(f"/v1/practice/sessions/{sid}").json()
        assert len(detail["turns"]) == detail["replies"] == len(local.turns)
        debrief = c.get(f"/v1/practice/sessions/{sid}/debrief").json()
        assert debrief["scorecard"]["score"] == detail["score"] == local.debrief().scorecard.score
        assert [s["step"] for s in debrief["scorecard"]["steps"]]
        again = c.post(f"/v1/practice/sessions/{sid}/replies", json={"text": "Anything else?"})
        assert again.status_code == 409 and "ended" in again.json()["detail"]
        mine = c.get("/v1/practice/sessions").json()
        assert mine["items"][0]["id"] == sid and mine["items"][0]["trainee"] == "trainee-ana"
    with server.client() as lead:  # the admin's key: a lead's view of the team
        figures = {t["name"]: t for t in lead.get("/v1/practice/trainees").json()}
        ana = figures["trainee-ana"]
        assert ana["sessions"] >= 1 and ana["outcomes"]["resolved"] >= 1 and ana["mean_score"] is not None
        assert ana["weeks"] and all(n >= 1 for n, _ in ana["weeks"].values())
        assert lead.get(f"/v1/practice/sessions/{sid}").status_code == 200  # a lead reads it
        assert lead.post(f"/v1/practice/sessions/{sid}/replies", json={"text": "Hi"}).status_code in (
            403,
            409,
        )


def test_a_poor_reply_is_stored_redacted_and_stopping_gives_the_debrief(server, trainee) -> None:
    with server.client(trainee) as c:
        sid = c.post(
            "/v1/practice/sessions", json={"scenario": SCENARIO, "difficulty": "easy", "seed": 2}
        ).json()["id"]
        assert c.get(f"/v1/practice/sessions/{sid}/debrief").status_code == 409
        local = Practice.start(load_scenarios()[SCENARIO], difficulty="easy", seed=2)
        text, at = poor(local)
        turn = c.post(
            f"/v1/practice/sessions/{sid}/replies", json={"text": text + " Ring 07700 900123.", "at": at}
        )
        assert turn.status_code == 200, turn.text
        assert turn.json()["reply"]["text"].endswith("Ring [phone].")
        assert turn.json()["mood"]["anger"] > local.start_mood.anger
        if not turn.json()["ended"]:
            stopped = c.post(f"/v1/practice/sessions/{sid}/stop")
            assert stopped.status_code == 200 and stopped.json()["outcome"] == "stopped"
            assert c.post(f"/v1/practice/sessions/{sid}/stop").status_code == 409
        debrief = c.get(f"/v1/practice/sessions/{sid}/debrief").json()
        assert debrief["tips"] and any(s["status"] == "missed" for s in debrief["scorecard"]["steps"])


def test_team_scenarios(server, trainee) -> None:
    yaml_headers = {"Content-Type": "application/yaml"}
    with server.client(trainee) as agent:
        refused = agent.post("/v1/practice/scenarios", content=_yaml("ours_sofa"), headers=yaml_headers)
        assert refused.status_code == 403
    with server.client() as lead:
        added = lead.post("/v1/practice/scenarios", content=_yaml("ours_sofa"), headers=yaml_headers)
        assert added.status_code == 201, added.text
        assert added.json()["source"] == "team" and added.json()["added_by"] == "admin"
        bad = lead.post("/v1/practice/scenarios", content="id: ours\ntitle: A case\n", headers=yaml_headers)
        assert bad.status_code == 422 and bad.json()["code"] == "H113" and "persona" in bad.json()["detail"]
        broken = lead.post("/v1/practice/scenarios", content="id: [unclosed", headers=yaml_headers)
        assert broken.status_code == 422 and "YAML" in broken.json()["detail"]
        latin = lead.post(
            "/v1/practice/scenarios", content="title: caf\xe9".encode("latin-1"), headers=yaml_headers
        )
        assert latin.status_code == 422 and "UTF-8" in latin.json()["detail"]
        huge = lead.post("/v1/practice/scenarios", content="# x\n" * 40_000, headers=yaml_headers)
        assert huge.status_code == 413 and huge.json()["code"] == "H111"
        taken = lead.post("/v1/practice/scenarios", content=_yaml(SCENARIO), headers=yaml_headers)
        assert taken.status_code == 409
    with server.client(trainee) as c:
        assert "ours_sofa" in {s["id"] for s in c.get("/v1/practice/scenarios").json()}
        ours = c.post("/v1/practice/sessions", json={"scenario": "ours_sofa", "seed": 5})
        assert ours.status_code == 201 and ours.json()["scenario_id"] == "ours_sofa"
    other = server.new_team("practice-others")
    with server.client(other) as b:
        assert "ours_sofa" not in {s["id"] for s in b.get("/v1/practice/scenarios").json()}
        assert b.post("/v1/practice/sessions", json={"scenario": "ours_sofa"}).status_code == 422


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"scenario": "no_such_case"}, 422, "no scenario"),
        ({"scenario": SCENARIO, "difficulty": "brutal"}, 422, "difficulty"),
        ({"scenario": SCENARIO, "seed": -3}, 422, "seed"),
        ({"scenario": SCENARIO, "seed": 2**70}, 422, "seed"),
        ({"scenario": "x" * 5_000}, 422, "scenario"),
        ({}, 422, "scenario"),
    ],
)
def test_bad_starts_are_refused(server, trainee, body, status, words) -> None:
    with server.client(trainee) as c:
        answer = c.post("/v1/practice/sessions", json=body)
    assert answer.status_code == status and words in answer.json()["detail"]


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"text": ""}, 422, "text"),
        ({"text": " \u200b\n"}, 422, "visible"),
        ({"text": "word " * 1_000}, 422, "2000"),
        ({"text": "Sorry", "at": -1}, 422, "at"),
        ({"text": "Sorry", "at": "soon"}, 422, "at"),
        ({"text": "Sorry", "extra": 1}, 422, "extra"),
    ],
)
def test_bad_replies_are_refused(server, trainee, body, status, words) -> None:
    with server.client(trainee) as c:
        sid = c.post("/v1/practice/sessions", json={"scenario": SCENARIO, "seed": 3}).json()["id"]
        answer = c.post(f"/v1/practice/sessions/{sid}/replies", json=body)
        assert answer.status_code == status and words in answer.json()["detail"], answer.text
        assert c.get(f"/v1/practice/sessions/{sid}").json()["replies"] == 0
        raw = c.post(
            f"/v1/practice/sessions/{sid}/replies",
            content=b"{not json",
            headers={"Content-Type": "application/json"},
        )
        assert raw.status_code == 400


def test_sessions_stay_with_their_trainee(server, trainee) -> None:
    with server.client() as admin:
        other = admin.post("/v1/users", json={"name": "trainee-bo", "role": "agent"}).json()["api_key"]
    with server.client(trainee) as c:
        sid = c.post("/v1/practice/sessions", json={"scenario": SCENARIO}).json()["id"]
    with server.client(other) as b:
        assert b.get(f"/v1/practice/sessions/{sid}").status_code == 403
        assert b.post(f"/v1/practice/sessions/{sid}/replies", json={"text": "Hello"}).status_code == 403
        assert b.get("/v1/practice/trainees").status_code == 403
        assert sid not in {s["id"] for s in b.get("/v1/practice/sessions").json()["items"]}
        assert b.get("/v1/practice/sessions/99999999999999999999").status_code == 404
