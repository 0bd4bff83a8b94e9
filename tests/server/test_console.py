"""The console's routes through the app (TestClient), on SQLite and PostgreSQL: sign-in and the
session cookie, CSRF, roles, team isolation, and clear errors for bad input and uploads."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from heard import service
from heard.server.app import create_app
from heard.server.bootstrap import create_team_with_admin
from heard.settings import Settings
from heard.store import repo

CHARGED = "You charged me $80 twice for order 5521! I want a refund."
MOVERS = (
    "I am very upset because you told me the moving company would be at my place by 1 pm and they "
    "didn't show up until 3 pm. I didn't have time to clean my apartment before the inspection."
)


@pytest.fixture
def app(db, tmp_path):
    settings = Settings(data_dir=tmp_path, warm_up=False, max_body_bytes=200_000)
    application = create_app(settings, db=db)
    application.state.keys = {
        "a": create_team_with_admin(db, "team-a"),
        "b": create_team_with_admin(db, "team-b"),
    }
    return application


def _sign_in(client: TestClient, key: str, next: str = "/"):
    """Post the sign-in form as a browser does: the form's CSRF token from the page first."""
    form = client.get("/sign-in")
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    return client.post("/sign-in", data={"key": key, "next": next, "csrf": csrf})


def _signed_in(app, team: str = "a", key: str | None = None) -> tuple[TestClient, str]:
    client = TestClient(app, follow_redirects=False)
    client.__enter__()
    answer = _sign_in(client, key or app.state.keys[team])
    assert answer.status_code == 303, answer.text
    page = client.get("/")
    return client, re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def _conversation(client: TestClient, csrf: str, message: str | None = MOVERS) -> int:
    body = {"csrf": csrf, "subject": "Moving day went wrong", "customer": "c-1"} | (
        {"message": message} if message else {}
    )
    answer = client.post("/conversations", data=body)
    assert answer.status_code == 303, answer.text
    return int(re.search(r"/conversations/(\d+)", answer.headers["location"]).group(1))


def test_console_signed_out_is_sent_to_sign_in(app) -> None:
    with TestClient(app, follow_redirects=False) as c:
        for path in ("/", "/lead", "/conversations/1", "/lead/transcripts"):
            answer = c.get(path)
            assert answer.status_code == 303 and answer.headers["location"].startswith("/sign-in?next=")
        assert c.get("/sign-in").status_code == 200
        assert (
            c.post("/conversations/1/review", json={"draft": "hi"}, headers={"X-CSRF-Token": "x"}).status_code
            == 401
        )


def test_console_sign_in_sets_a_signed_httponly_cookie(app) -> None:
    with TestClient(app, follow_redirects=False) as c:
        wrong = _sign_in(c, "hd_wrong")
        assert (
            wrong.status_code == 401
            and "unknown or revoked" in wrong.text
            and "heard_session" not in wrong.headers.get("set-cookie", "")
        )
        right = _sign_in(c, app.state.keys["a"], next="https://evil.example/")
        assert right.headers["location"] == "/"  # never an open redirect
        cookie = right.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and app.state.keys["a"] not in cookie
        assert c.get("/").status_code == 200
        # A tampered cookie is no session.
        value = c.cookies.get("heard_session")
        c.cookies.clear()
        c.cookies.set("heard_session", value[:-3] + ("AAA" if not value.endswith("AAA") else "BBB"))
        assert c.get("/").status_code == 303
        assert c.post("/sign-out").status_code == 303


def test_console_revoked_key_ends_the_session(app, db) -> None:
    client, _ = _signed_in(app)
    assert client.get("/").status_code == 200
    with db.write() as session:
        user = repo.user_by_key(session=session, key=app.state.keys["a"])
        repo.revoke_keys(session=session, user_id=user.id)
    assert client.get("/").status_code == 303
    client.__exit__(None, None, None)


def test_console_sign_out_ends_the_session_on_the_server(app) -> None:
    client, _ = _signed_in(app)
    old = client.cookies.get("heard_session")
    assert client.post("/sign-out").status_code == 303
    # The browser forgets the cookie; someone who copied it cannot use it either.
    with TestClient(app, follow_redirects=False) as thief:
        thief.cookies.set("heard_session", old)
        assert thief.get("/").status_code == 303
        assert thief.post("/conversations/1/review", json={"draft": "hi"},
                          headers={"X-CSRF-Token": "x"}).status_code == 401  # fmt: skip
    # Signing in again starts a new session that works.
    assert _sign_in(client, app.state.keys["a"]).status_code == 303 and client.get("/").status_code == 200
    client.__exit__(None, None, None)


def test_console_sign_in_form_needs_its_csrf_token(app) -> None:
    with TestClient(app, follow_redirects=False) as c:
        # Posted from elsewhere: no token, or a token without this browser's sign-in cookie.
        bare = c.post("/sign-in", data={"key": app.state.keys["a"], "next": "/"})
        assert bare.status_code == 403 and "stale or came from another site" in bare.text
        assert "heard_session" not in bare.headers.get("set-cookie", "")
        token = re.search(r'name="csrf" value="([^"]+)"', c.get("/sign-in").text).group(1)
        c.cookies.clear()
        assert c.post("/sign-in", data={"key": app.state.keys["a"], "csrf": token}).status_code == 403
        # The page it answers with carries a fresh token, so the user can simply sign in again.
        assert _sign_in(c, app.state.keys["a"]).status_code == 303


def test_console_forms_need_the_csrf_token(app) -> None:
    client, csrf = _signed_in(app)
    refused = client.post("/conversations", data={"subject": "no token"})
    assert refused.status_code == 403 and "stale or came from another site" in refused.text
    assert client.post("/conversations", data={"subject": "bad", "csrf": csrf[:-2] + "xx"}).status_code == 403
    cid = _conversation(client, csrf, message=None)
    assert client.post(f"/conversations/{cid}/review", json={"draft": "Calm down"}).status_code == 403
    client.__exit__(None, None, None)


def test_console_conversation_page_and_review(app) -> None:
    client, csrf = _signed_in(app)
    cid = _conversation(client, csrf)
    page = client.get(f"/conversations/{cid}").text
    assert "Moving day went wrong" in page and "It sounds like" in page and "Reflect what you heard" in page
    assert re.search(r'class="level level-(upset|angry|furious)"', page)
    charged = client.get(f"/conversations/{_conversation(client, csrf, message=CHARGED)}").text
    assert "needs a lead's approval" in charged  # a refund of 80: above the 50 an agent may give
    review = client.post(
        f"/conversations/{cid}/review", json={"draft": "Calm down, the movers are not our fault"},
        headers={"X-CSRF-Token": csrf},
    )  # fmt: skip
    assert review.status_code == 200 and 'data-check="calm_down"' in review.text
    empty = client.post(f"/conversations/{cid}/review", json={"draft": "  "}, headers={"X-CSRF-Token": csrf})
    assert "Start typing" in empty.text
    sent = client.post(
        f"/conversations/{cid}/messages", data={"csrf": csrf, "text": "I'm so sorry we let you down."}
    )
    assert sent.status_code == 303
    assert "I&#39;m so sorry we let you down." in client.get(f"/conversations/{cid}").text
    client.__exit__(None, None, None)


def test_console_wait_signal_while_the_customer_vents(app) -> None:
    client, csrf = _signed_in(app)
    cid = _conversation(client, csrf, message="You charged my card twice for order 7731!")
    client.post(f"/conversations/{cid}/messages", data={
        "csrf": csrf, "role": "customer", "text": "And NOBODY answers my emails. Third time I write!!"})  # fmt: skip
    assert "Still venting: wait." in client.get(f"/conversations/{cid}").text
    client.__exit__(None, None, None)


def test_console_queue_shows_the_next_action_as_it_stands_now_not_as_stored(app, db) -> None:
    client, csrf = _signed_in(app)
    with db.read() as session:
        team = repo.user_by_key(session=session, key=app.state.keys["a"]).team_id
    row, _ = service.start_conversation(db, team_id=team, subject="Charged twice")
    sent = datetime.now(UTC) - timedelta(minutes=5)  # a burst five minutes ago: over by now
    for k, text in enumerate(("You charged my card twice for order 7731!", "And NOBODY answers my emails!!")):
        service.ingest_message(db, team_id=team, conversation_id=row.id, role="customer", text=text,
                               at=sent + timedelta(seconds=10 * k))  # fmt: skip
    stored = service.open_conversation(db, team_id=team, conversation_id=row.id).row.next_action
    assert stored["kind"] == "wait"  # what was true when the second message came
    queue = client.get("/").text
    shown = re.search(rf'href="/conversations/{row.id}".*?data-next="(\w+)"', queue, re.S)
    assert shown is not None and shown.group(1) == "reflect"
    assert "Wait: the customer is still venting" not in queue
    client.__exit__(None, None, None)


def test_console_resolve_checks_the_remedy_and_the_approver(app, db) -> None:
    client, csrf = _signed_in(app)
    cid = _conversation(client, csrf)
    unknown = client.post(f"/conversations/{cid}/resolve", data={"csrf": csrf, "remedy": "free_car"})
    assert unknown.status_code == 422 and "not one the policy allows here" in unknown.text
    with db.write() as session:  # an agent of team a may not give what needs a lead's yes
        team = repo.user_by_key(session=session, key=app.state.keys["a"]).team_id
        agent = repo.issue_key(
            session=session, user=repo.create_user(session=session, team_id=team, name="sam", role="agent")
        )
    agent_client, agent_csrf = _signed_in(app, key=agent)
    charged = _conversation(agent_client, agent_csrf, message=CHARGED)
    refused = agent_client.post(
        f"/conversations/{charged}/resolve", data={"csrf": agent_csrf, "remedy": "refund"}
    )
    assert refused.status_code == 403 and "needs a lead" in refused.text
    assert agent_client.get("/lead").status_code == 403
    bad_hours = client.post(
        f"/conversations/{cid}/resolve", data={"csrf": csrf, "follow_up_in_hours": "soon"}
    )
    assert bad_hours.status_code == 422 and "give a number" in bad_hours.text
    done = client.post(
        f"/conversations/{cid}/resolve",
        data={"csrf": csrf, "remedy": "reschedule", "follow_up_in_hours": "24"},
    )
    assert done.status_code == 303
    page = client.get(f"/conversations/{cid}").text
    assert "rebooked it for a time that suits you" in page and "Adjust the follow-up" in page
    fid = int(re.search(r'action="/follow-ups/(\d+)"', page).group(1))
    moved = client.post(f"/follow-ups/{fid}", data={
        "csrf": csrf, "due_at": "2030-01-02T09:30", "tz_offset": "60", "message": "Did the movers come?"})  # fmt: skip
    assert moved.status_code == 303
    with db.read() as session:
        follow_up = repo.get_follow_up(session=session, team_id=team, follow_up_id=fid)
        assert (
            follow_up.message == "Did the movers come?"
            and follow_up.due_at.isoformat() == "2030-01-02T08:30:00+00:00"
        )
    assert client.post(f"/conversations/{cid}/resolve", data={"csrf": csrf}).status_code == 409
    client.__exit__(None, None, None)
    agent_client.__exit__(None, None, None)


def test_console_resolving_a_promised_remedy_needing_approval_warns_instead_of_refusing(app, db) -> None:
    with db.write() as session:
        team = repo.user_by_key(session=session, key=app.state.keys["a"]).team_id
        agent = repo.issue_key(
            session=session, user=repo.create_user(session=session, team_id=team, name="kim", role="agent")
        )
    client, csrf = _signed_in(app, key=agent)
    cid = _conversation(client, csrf, message=CHARGED)
    promise = "I'm so sorry we charged you twice. I'll refund you the $80 today."
    sent = client.post(f"/conversations/{cid}/messages", data={"csrf": csrf, "text": promise})
    assert sent.status_code == 303
    offered = client.get(f"/conversations/{cid}").text
    assert "ask a lead" in offered  # warned when it was offered
    done = client.post(f"/conversations/{cid}/resolve", data={"csrf": csrf, "remedy": "refund"})
    assert done.status_code == 303 and "notice=resolved_promised" in done.headers["location"]
    page = client.get(done.headers["location"]).text
    assert "Resolved as the agent promised" in page and "ask a lead to approve it" in page
    client.__exit__(None, None, None)


def test_console_another_teams_objects_are_not_found(app) -> None:
    a, a_csrf = _signed_in(app, "a")
    cid = _conversation(a, a_csrf)
    a.post(f"/conversations/{cid}/resolve", data={"csrf": a_csrf})
    fid = int(re.search(r'action="/follow-ups/(\d+)"', a.get(f"/conversations/{cid}").text).group(1))
    b, b_csrf = _signed_in(app, "b")
    assert (
        "Moving day went wrong" not in b.get("/").text
        and "Moving day went wrong" not in b.get("/?status=resolved").text
    )
    assert "Moving day went wrong" not in b.get("/lead").text
    for answer in (
        b.get(f"/conversations/{cid}"),
        b.get(f"/conversations/{cid}/since"),
        b.post(f"/conversations/{cid}/messages", data={"csrf": b_csrf, "text": "mine now"}),
        b.post(f"/conversations/{cid}/review", json={"draft": "hello"}, headers={"X-CSRF-Token": b_csrf}),
        b.post(f"/conversations/{cid}/resolve", data={"csrf": b_csrf}),
        b.post(f"/follow-ups/{fid}", data={"csrf": b_csrf, "message": "mine now"}),
    ):
        assert answer.status_code == 404 and "H301" in answer.text
    # Team a's session token does not work for team b's forms either.
    assert b.post("/conversations", data={"csrf": a_csrf, "subject": "x"}).status_code == 403
    assert "mine now" not in a.get(f"/conversations/{cid}").text
    a.__exit__(None, None, None)
    b.__exit__(None, None, None)


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("chat.json", b"", "the file is empty"),
        ("chat.json", b"\xff\xfe\x00bad", "not UTF-8"),
        ("chat.json", b'[{"role": "customer", "text": "late"', "not valid JSON"),
        ("chat.csv", b"who,said\ncustomer,late\n", "the header needs the columns role and text"),
        ("chat.txt", b"customer: late", "expected a .json or .csv file"),
        ("chat.json", b'{"messages": [{"role": "bot", "text": "hi"}]}', "messages[0].role"),
    ],
)
def test_console_bad_uploads_get_clear_errors(app, name: str, data: bytes, expected: str) -> None:
    client, csrf = _signed_in(app)
    answer = client.post(
        "/lead/transcripts", data={"csrf": csrf}, files=[("files", (name, data, "text/plain"))]
    )
    assert answer.status_code == 422
    assert "H104" in answer.text and expected in answer.text.replace("&#39;", "'") and name in answer.text
    client.__exit__(None, None, None)


def test_console_upload_limits_and_a_good_transcript(app) -> None:
    client, csrf = _signed_in(app)
    assert "Choose one or more transcript files" in client.post("/lead/transcripts", data={"csrf": csrf}).text
    many = [("files", (f"c{i}.json", b"[]", "application/json")) for i in range(21)]
    assert client.post("/lead/transcripts", data={"csrf": csrf}, files=many).status_code == 413
    huge = client.post(
        "/lead/transcripts", data={"csrf": csrf}, files=[("files", ("big.csv", b"x" * 300_000, "text/csv"))]
    )
    assert huge.status_code == 413 and "text/html" in huge.headers["content-type"] and "H111" in huge.text
    good = b"role,text,at\ncustomer,My parcel never came and nobody answers!,0\nagent,I'm so sorry. What is the order number?,60\n"
    mixed = client.post("/lead/transcripts", data={"csrf": csrf},
                        files=[("files", ("good.csv", good, "text/csv")), ("files", ("bad.json", b"{", "application/json"))])  # fmt: skip
    assert mixed.status_code == 200 and "good.csv" in mixed.text and 'class="score score-' in mixed.text
    assert "bad.json" in mixed.text and "not valid JSON" in mixed.text
    client.__exit__(None, None, None)


def test_console_unknown_pages_answer_in_html_and_the_api_in_json(app) -> None:
    client, _ = _signed_in(app)
    page = client.get("/no-such-page")
    assert (
        page.status_code == 404 and "text/html" in page.headers["content-type"] and "Not found" in page.text
    )
    api = client.get("/v1/no-such-endpoint")
    assert api.status_code == 404 and api.json()["code"] == "H112"
    assert client.get("/conversations/999999").status_code == 404
    assert client.get("/static/console.css").status_code == 200
    client.__exit__(None, None, None)


def test_console_lead_view_shows_the_teams_insights_and_the_report(app) -> None:
    a, csrf = _signed_in(app, "a")
    b, _ = _signed_in(app, "b")
    assert 'data-fragment="/lead/insights"' in a.get("/lead").text  # the page's script fetches them
    assert "What causes upset, and what calms it" in a.get("/lead/insights").text  # nothing resolved yet
    cid = _conversation(a, csrf, message=CHARGED)
    a.post(f"/conversations/{cid}/messages", data={
        "csrf": csrf, "text": "You were charged twice for order 5521. I'm so sorry, that's our mistake."})  # fmt: skip
    assert a.post(f"/conversations/{cid}/resolve", data={"csrf": csrf, "remedy": "refund"}).status_code == 303
    section = a.get("/lead/insights").text
    assert section.lstrip().startswith("<section")  # the section alone, no page around it
    assert 'aria-label="Key figures"' in section and "What to do first" in section and "What works" in section
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in section and "per month, by category" in section
    page = a.get("/lead?insights=1").text  # without the script: in the page itself
    assert 'aria-label="Key figures"' in page and "data-fragment" not in page
    report = a.get("/lead/insights/report.html")
    assert report.status_code == 200 and "attachment" in report.headers["content-disposition"]
    assert "team-a: heard insights" in report.text and "<svg" in report.text
    assert "What causes upset, and what calms it" in b.get("/lead/insights").text  # team b sees none of it
    assert "team-b: heard insights" in b.get("/lead/insights/report.html").text
    a.__exit__(None, None, None)
    b.__exit__(None, None, None)


def test_console_agent_corrects_the_incidents_root_cause(app, db) -> None:
    with db.write() as session:
        team = repo.user_by_key(session=session, key=app.state.keys["a"]).team_id
        key = repo.issue_key(
            session=session, user=repo.create_user(session=session, team_id=team, name="noor", role="agent")
        )
    agent, csrf = _signed_in(app, key=key)
    cid = _conversation(agent, csrf)
    agent.post(f"/conversations/{cid}/resolve", data={"csrf": csrf})
    page = agent.get(f"/conversations/{cid}").text
    assert 'id="incident-title"' in page and "Save root cause" in page
    iid = int(re.search(r'action="/incidents/(\d+)"', page).group(1))
    saved = agent.post(f"/incidents/{iid}", data={"csrf": csrf, "root_cause": "crew double-booked"})
    assert saved.status_code == 303 and saved.headers["location"].endswith("notice=root_cause#incident")
    page = agent.get(f"/conversations/{cid}?notice=root_cause").text
    assert "Root cause saved." in page and 'value="crew double-booked"' in page and "edited by noor" in page
    empty = agent.post(f"/incidents/{iid}", data={"csrf": csrf, "root_cause": "  "})
    assert empty.status_code == 422 and "write something first" in empty.text
    assert agent.post(f"/incidents/{iid}", data={"root_cause": "no token"}).status_code == 403
    b, b_csrf = _signed_in(app, "b")
    stolen = b.post(f"/incidents/{iid}", data={"csrf": b_csrf, "root_cause": "mine now"})
    assert stolen.status_code == 404 and "H301" in stolen.text
    agent.__exit__(None, None, None)
    b.__exit__(None, None, None)


def test_console_upload_of_deep_nesting_keeps_the_good_files(app) -> None:
    client, csrf = _signed_in(app)
    good = b"role,text,at\ncustomer,My parcel never came and nobody answers!,0\nagent,I'm so sorry. What is the order number?,60\n"
    mixed = client.post("/lead/transcripts", data={"csrf": csrf},
                        files=[("files", ("deep.json", b"[" * 50_000, "application/json")),
                               ("files", ("good.csv", good, "text/csv"))])  # fmt: skip
    assert mixed.status_code == 200 and "good.csv" in mixed.text and 'class="score score-' in mixed.text
    assert "nested too deeply" in mixed.text and "deep.json" in mixed.text
    client.__exit__(None, None, None)
