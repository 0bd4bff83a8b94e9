"""The Practice page's routes through the app (TestClient), on SQLite and PostgreSQL: start,
reply, stop and the debrief as plain forms, the lead's practice section, and clear errors."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from heard.server.app import create_app
from heard.server.bootstrap import create_team_with_admin
from heard.settings import Settings
from heard.store import repo
from tests.server.test_console import _signed_in


@pytest.fixture
def app(db, tmp_path):
    application = create_app(Settings(data_dir=tmp_path, warm_up=False), db=db)
    application.state.keys = {
        "a": create_team_with_admin(db, "team-a"),
        "b": create_team_with_admin(db, "team-b"),
    }
    with db.write() as session:
        team = repo.team_by_name(session=session, name="team-a")
        agent = repo.create_user(session=session, team_id=team.id, name="pat", role="agent")
        application.state.keys["agent"] = repo.issue_key(session=session, user=agent)
    return application


def _start(client: TestClient, csrf: str, difficulty: str = "medium") -> int:
    answer = client.post(
        "/practice", data={"csrf": csrf, "scenario": "retail_missed_sofa", "difficulty": difficulty}
    )
    assert answer.status_code == 303, answer.text
    return int(re.fullmatch(r"/practice/(\d+)", answer.headers["location"]).group(1))


def test_practice_forms_from_start_to_debrief(app) -> None:
    client, csrf = _signed_in(app)
    picker = client.get("/practice")
    assert (
        picker.status_code == 200
        and "The sofa that never came" in picker.text
        and 'href="/practice"' in picker.text
    )
    sid = _start(client, csrf)
    page = client.get(f"/practice/{sid}")
    assert page.status_code == 200 and 'id="mood"' in page.text and "Your reply" in page.text
    sent = client.post(
        f"/practice/{sid}/replies", data={"csrf": csrf, "text": "Calm down, that is our policy."}
    )
    assert sent.status_code == 303 and sent.headers["location"] == f"/practice/{sid}#latest"
    page = client.get(f"/practice/{sid}").text
    assert 'id="turn-1"' in page and "calm down" in page.lower() and 'class="mood-delta worse"' in page
    if 'id="reply-form"' in page:
        assert client.post(f"/practice/{sid}/stop", data={"csrf": csrf}).status_code == 303
    page = client.get(f"/practice/{sid}").text
    assert 'id="debrief"' in page and page.count('class="step step-') == 11 and 'id="reply-form"' not in page
    ended = client.post(f"/practice/{sid}/replies", data={"csrf": csrf, "text": "Hello?"})
    assert ended.status_code == 409 and "has ended" in ended.text
    lead = client.get("/lead").text
    assert 'id="practice"' in lead and 'data-trainee="admin"' in lead and f'href="/practice/{sid}"' in lead


@pytest.mark.parametrize(
    ("data", "status", "words"),
    [
        ({"scenario": "no_such_case", "difficulty": "easy"}, 422, "no scenario"),
        ({"scenario": "retail_missed_sofa", "difficulty": "brutal"}, 422, "difficulty"),
        ({"difficulty": "easy"}, 422, "scenario"),
    ],
)
def test_practice_bad_starts(app, data, status, words) -> None:
    client, csrf = _signed_in(app)
    answer = client.post("/practice", data={"csrf": csrf} | data)
    assert answer.status_code == status and words in answer.text


def test_practice_bad_replies_and_other_people(app) -> None:
    client, csrf = _signed_in(app)
    sid = _start(client, csrf)
    assert client.post(f"/practice/{sid}/replies", data={"csrf": csrf, "text": "  "}).status_code == 422
    assert client.post(f"/practice/{sid}/replies", data={"csrf": csrf, "text": "x" * 3000}).status_code == 413
    assert client.post(f"/practice/{sid}/replies", data={"text": "Hello"}).status_code == 403  # no CSRF token
    agent, agent_csrf = _signed_in(app, key=app.state.keys["agent"])
    assert agent.get(f"/practice/{sid}").status_code == 403
    assert agent.post(f"/practice/{sid}/replies", data={"csrf": agent_csrf, "text": "Hi"}).status_code == 403
    other, _ = _signed_in(app, "b")
    assert other.get(f"/practice/{sid}").status_code == 404
    assert client.get(f"/practice/{sid}").text.count('id="turn-') == 0


def test_a_lead_adds_a_team_scenario_from_a_file(app) -> None:
    import importlib.resources

    shipped = (
        importlib.resources.files("heard.simulate") / "data" / "scenarios" / "retail_missed_sofa.v1.yaml"
    )
    ours = re.sub(r"(?m)^id: .*$", "id: our_sofa", shipped.read_text("utf-8"), count=1)
    client, csrf = _signed_in(app)
    added = client.post(
        "/practice/scenarios", data={"csrf": csrf}, files={"file": ("ours.yaml", ours.encode())}
    )
    assert added.status_code == 303 and added.headers["location"] == "/practice?notice=scenario_added"
    picker = client.get("/practice?notice=scenario_added").text
    assert 'value="our_sofa"' in picker and "your team's" in picker and "Scenario added" in picker
    bad = client.post("/practice/scenarios", data={"csrf": csrf}, files={"file": ("bad.yaml", b"id: x\n")})
    assert bad.status_code == 422 and "H113" in bad.text and 'role="alert"' in bad.text
    latin = client.post(
        "/practice/scenarios", data={"csrf": csrf}, files={"file": ("l.yaml", "caf\xe9".encode("latin-1"))}
    )
    assert latin.status_code == 422 and "UTF-8" in latin.text
    assert client.post("/practice/scenarios", data={"csrf": csrf}).status_code == 422
    agent, agent_csrf = _signed_in(app, key=app.state.keys["agent"])
    assert "Add your team's own scenario" not in agent.get("/practice").text
    refused = agent.post(
        "/practice/scenarios", data={"csrf": agent_csrf}, files={"file": ("o.yaml", ours.encode())}
    )
    assert refused.status_code == 403
