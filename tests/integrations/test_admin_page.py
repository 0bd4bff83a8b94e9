"""The admin's integration page through the app (TestClient) on SQLite and PostgreSQL: an admin
connects Chatwoot, the secrets show masked and stay when left empty, bad values get the page
back with what to change, and nobody but an admin gets the page."""

from __future__ import annotations

import re

import pytest

from heard.server.app import create_app
from heard.server.bootstrap import create_team_with_admin
from heard.settings import Settings
from heard.store import repo
from tests.server.test_console import _signed_in

TOKEN = "agent-token-abcdefgh1234"
SECRET = "webhook-secret-zyxw9876"


@pytest.fixture
def app(db, tmp_path):
    settings = Settings(data_dir=tmp_path, warm_up=False, webhook_allow_hosts="127.0.0.1")
    application = create_app(settings, db=db)
    application.state.keys = {"a": create_team_with_admin(db, "team-a")}
    with db.write() as session:
        team = repo.team_by_name(session=session, name="team-a")
        agent = repo.create_user(session=session, team_id=team.id, name="ada", role="agent")
        application.state.keys["agent"] = repo.issue_key(session=session, user=agent)
    return application


def _form(csrf: str, **fields) -> dict:
    return {"csrf": csrf, "base_url": "http://127.0.0.1:3000", "account": "3", "api_token": "",
            "webhook_secret": "", "note_threshold": "upset", **fields}  # fmt: skip


def test_an_admin_connects_chatwoot_and_sees_secrets_masked(app) -> None:
    client, csrf = _signed_in(app)
    with client:
        page = client.get("/admin/integrations/chatwoot")
        assert page.status_code == 200 and "Connect Chatwoot" in page.text and "Webhook URL" not in page.text
        saved = client.post("/admin/integrations/chatwoot", data=_form(csrf, api_token=TOKEN, webhook_secret=SECRET,
                                                                        frame_origins="http://127.0.0.1:3000"))  # fmt: skip
        assert saved.status_code == 303 and saved.headers["location"].endswith("notice=integration")
        page = client.get("/admin/integrations/chatwoot")
        assert "Integration saved." not in page.text  # only after the redirect's notice
        assert TOKEN not in page.text and SECRET not in page.text and "****1234" in page.text
        url = re.search(r'<code id="webhook-url">([^<]+)</code>', page.text).group(1)
        assert re.fullmatch(r"http://testserver/v1/integrations/chatwoot/events/[\w-]{40,}", url)
        # saved again with the secret fields empty: both kept
        client.post("/admin/integrations/chatwoot", data=_form(csrf, note_threshold="angry"))
        shown = client.get(
            "/v1/integrations/chatwoot", headers={"Authorization": f"Bearer {app.state.keys['a']}"}
        )
        assert shown.json()["api_token"] == "****1234" and shown.json()["webhook_secret"] == "****9876"
        assert shown.json()["note_threshold"] == "angry" and shown.json()["frame_origins"] == []


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"base_url": "not a url"}, "base_url"),
        ({"base_url": "http://10.0.0.8"}, "private"),
        ({"note_threshold": "livid"}, "note_threshold"),
        ({"frame_origins": "chat.example.com"}, "frame origin"),
        ({"frame_origins": "https://chat.example.com;script-src"}, "frame origin"),  # no CSP directive
        ({"frame_origins": "https://chat.example.com?x=1"}, "frame origin"),
        ({"account": "1/../2"}, "account"),
    ],
)
def test_bad_values_get_the_page_back_saying_what_to_change(app, fields: dict, says: str) -> None:
    client, csrf = _signed_in(app)
    with client:
        answer = client.post("/admin/integrations/chatwoot", data=_form(csrf, api_token=TOKEN, **fields))
        assert answer.status_code == 422 and says in answer.text and TOKEN not in answer.text
        if "base_url" in fields:  # the form comes back as filled in, to fix the one field
            assert f'value="{fields["base_url"]}"' in answer.text


def test_only_admins_and_real_forms(app) -> None:
    client, csrf = _signed_in(app, key=app.state.keys["agent"])
    with client:
        assert client.get("/admin/integrations/chatwoot").status_code == 403
        assert "/admin/integrations" not in client.get("/").text
    client, csrf = _signed_in(app)
    with client:
        assert (
            client.post("/admin/integrations/chatwoot", data=_form("forged", api_token=TOKEN)).status_code
            == 403
        )
        assert client.get("/admin/integrations/nodesk").status_code == 404
        assert "/admin/integrations" in client.get("/").text
