"""heard's panel inside a helpdesk, in a real browser (Debian's Chromium through Playwright)
against a real ``heard serve``: a parent page on another port plays Chatwoot (answers the
panel's ``chatwoot-dashboard-app:fetch-info`` with its ``appContext``) or is the Zendesk app's
own ``iframe.html`` from the packaged zip (with Zendesk's SDK played by the test); a page of a
foreign origin posts a context too, and the panel ignores it."""

from __future__ import annotations

import json
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from heard.integrations.zendesk_app import package
from tests.integrations.helpdesk_specs import SPECS, encoded
from tests.server import test_console_browser
from tests.server.conftest import run_server

browser = test_console_browser.browser  # the shared Chromium fixture

ANGRY = (
    "My new fridge was delivered with a huge dent in the door and the courier just drove off. I am so angry!"
)
OTHER = "Where is my invoice for the garden chairs? I asked twice already."

CHATWOOT_PARENT = """<!doctype html><html><head><meta charset="utf-8"><title>Chatwoot (test)</title></head><body>
<h1>Conversation 21</h1>
<iframe id="app" name="app" src="%(panel)s" style="width:420px;height:900px"></iframe>
<iframe id="foreign" src="%(foreign)s" style="width:10px;height:10px"></iframe>
<script>
// Chatwoot's side of the Dashboard App protocol: appContext, sent when the app asks for it.
var panel = new URL(document.getElementById("app").src).origin;
window.asked = 0;
window.addEventListener("message", function (e) {
  if (e.origin !== panel || e.data !== "chatwoot-dashboard-app:fetch-info") return;
  window.asked += 1;
  var context = {event: "appContext", data: {
    conversation: {id: 21, inbox_id: 1, status: "open", meta: {sender: {id: 5, name: "Robin Hale"}}},
    contact: {id: 5, name: "Robin Hale", email: "robin@example.com"},
    currentAgent: {id: 2, name: "Sam Agent", email: "sam@example.com"}}};
  document.getElementById("app").contentWindow.postMessage(JSON.stringify(context), panel);
});
</script></body></html>"""

FOREIGN = """<!doctype html><html><body><script>
// Another origin tries to point the panel at another conversation (when the test says so).
window.attack = () => window.parent.frames["app"].postMessage(JSON.stringify({event: "appContext",
  data: {conversation: {id: 22}, contact: {id: 9}, currentAgent: {id: 9, name: "Mallory"}}}), "*");
</script></body></html>"""

FAKE_ZAF = """// Zendesk's Apps framework SDK as the test plays it: the ticket, the agent, appendText recorded.
window.appended = [];
window.ZAFClient = {init: function () { return {
  get: function (path) {
    if (path === "ticket") return Promise.resolve({ticket: {id: 4812, subject: "Dented fridge"}});
    if (path === "currentUser") return Promise.resolve({currentUser: {id: 7, name: "Luis Ortega"}});
    return Promise.resolve({});
  },
  invoke: function (name, value) { if (name === "comment.appendText") window.appended.push(value); return Promise.resolve({}); },
  on: function () {}
}; }};"""


class Host:
    """A loopback server for the parent pages (another port: another origin than heard's)."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[str, bytes]] = {}
        host = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                kind, body = host.pages.get(self.path.split("?")[0], ("text/plain", b"not found"))
                self.send_response(200 if self.path.split("?")[0] in host.pages else 404)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def heard(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("panel-data")
    with run_server(f"sqlite:///{data_dir / 'heard.db'}", data_dir) as server:
        yield server


@pytest.fixture(scope="module")
def host():
    h = Host()
    yield h
    h.close()


@pytest.fixture(scope="module")
def foreign_host():
    h = Host()  # another port: another origin, not among the connection's
    yield h
    h.close()


def _chatwoot_message(message_id: int, conversation: int, text: str) -> dict:
    return {"event": "message_created", "id": message_id, "content": text, "message_type": "incoming",
            "content_type": "text", "private": False, "created_at": int(time.time()),
            "sender": {"id": 5, "name": "Robin Hale", "type": "contact"},
            "conversation": {"id": conversation, "display_id": conversation, "status": "open"},
            "account": {"id": 1, "name": "Acme"}}  # fmt: skip


def _connect(server, helpdesk: str, body: dict) -> tuple[str, str]:
    """Connect the demo team; (webhook URL, panel URL)."""
    with server.client() as c:
        saved = c.put(f"/v1/integrations/{helpdesk}", json=body)
        assert saved.status_code == 200, saved.text
        link = c.get(f"/v1/integrations/{helpdesk}/panel")
        assert link.status_code == 200, link.text
    return server.url + saved.json()["webhook_path"], server.url + link.json()["panel_path"]


def _view(panel_url: str, conversation: int) -> dict:
    """What heard's API says the panel should show for a helpdesk conversation."""
    api = panel_url.replace("/integrations/", "/v1/integrations/", 1)
    answer = httpx.get(f"{api}/conversations/{conversation}", timeout=60)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_chatwoot_dashboard_app_shows_the_conversation_and_ignores_a_foreign_origin(
    browser, heard, host, foreign_host, tmp_path
):
    parent = f"http://127.0.0.1:{host.port}"
    webhook, panel_url = _connect(heard, "chatwoot", {
        "base_url": parent, "account": "1", "api_token": "cw-token-0123456789", "frame_origins": [parent]})  # fmt: skip
    for message_id, conversation, text in ((101, 21, ANGRY), (201, 22, OTHER)):
        stored = httpx.post(webhook, json=_chatwoot_message(message_id, conversation, text), timeout=60)
        assert stored.status_code == 200 and stored.json()["outcomes"][0]["result"] == "stored", stored.text
    foreign = f"http://127.0.0.1:{foreign_host.port}/foreign.html"
    host.pages["/chatwoot.html"] = (
        "text/html",
        (CHATWOOT_PARENT % {"panel": panel_url, "foreign": foreign}).encode(),
    )
    foreign_host.pages["/foreign.html"] = ("text/html", FOREIGN.encode())

    context = browser.new_context(viewport={"width": 1000, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)  # a limit for a slow, shared machine, not an assertion about speed
    page.goto(f"{parent}/chatwoot.html")
    panel = page.frame_locator("#app")
    # the panel asked for the context (Chatwoot sends it only when asked) and shows conversation 21
    suggestions = panel.locator("#suggestions")
    suggestions.locator(".line").first.wait_for()
    assert page.evaluate("window.asked") >= 1
    ours, theirs = (_view(panel_url, c)["suggestions"]["reflection"] for c in (21, 22))
    assert ours and theirs and ours != theirs
    assert ours in suggestions.inner_text()
    assert panel.locator("#level").inner_text() in ("upset", "angry", "furious")
    assert panel.locator("#trend .dot").count() == 1
    assert panel.locator("#score").inner_text().endswith("/ 100 on the playbook so far")
    assert panel.get_by_role("button", name="Copy").count() >= 2
    assert panel.get_by_role("button", name="Insert").count() == 0  # Chatwoot's apps cannot write the reply
    # a foreign origin's context is refused; the panel still shows conversation 21
    page.frame(url=foreign).evaluate("attack()")
    panel.locator("#panel[data-ignored='1']").wait_for(state="attached")
    assert theirs not in panel.locator("#view").inner_text() and ours in suggestions.inner_text()
    # the draft box is reviewed as the agent types
    panel.locator("#draft").fill("Calm down, it is not our fault. The courier is not my department.")
    panel.locator("#review .finding").first.wait_for()
    assert "/ 100" in panel.locator("#review .score").inner_text()
    page.screenshot(path=str(tmp_path / "chatwoot-panel.png"), full_page=True)
    context.close()


def test_zendesk_sidebar_app_frames_the_panel_and_inserts_a_line(browser, heard, host, tmp_path):
    parent = f"http://127.0.0.1:{host.port}"
    spec = SPECS["zendesk"]
    webhook, panel_url = _connect(heard, "zendesk", {
        "base_url": "http://127.0.0.1:9", "account": "acme", "api_token": spec.token, "webhook_secret": spec.secret,
        "frame_origins": [parent]})  # fmt: skip
    body = spec.message("4812", "31337", ANGRY)
    stored = httpx.post(
        webhook, content=encoded(body), headers=spec.sign(spec.secret, encoded(body), time.time()), timeout=60
    )
    assert stored.status_code == 200 and stored.json()["outcomes"][0]["result"] == "stored", stored.text
    # the app exactly as packaged, served where Zendesk would serve it
    with zipfile.ZipFile(package(panel_url, tmp_path / "heard-zendesk.zip")) as z:
        host.pages["/zendesk/assets/iframe.html"] = ("text/html", z.read("assets/iframe.html"))
        host.pages["/zendesk/assets/bridge.js"] = ("text/javascript", z.read("assets/bridge.js"))

    context = browser.new_context(viewport={"width": 500, "height": 1000})
    context.route("https://static.zdassets.com/**", lambda route: route.fulfill(
        status=200, content_type="text/javascript", body=FAKE_ZAF))  # fmt: skip
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{parent}/zendesk/assets/iframe.html")
    panel = page.frame_locator("#heard-panel")
    reflect = panel.locator("#suggestions .line").filter(has_text="Reflect")
    reflect.wait_for()
    line = reflect.locator(".text").inner_text()
    assert line == _view(panel_url, 4812)["suggestions"]["reflection"]
    reflect.get_by_role("button", name="Insert").click()
    page.wait_for_function("window.appended.length === 1")
    assert page.evaluate("window.appended[0]") == line
    page.screenshot(path=str(tmp_path / "zendesk-panel.png"), full_page=True)
    context.close()


def test_panel_page_is_framed_only_by_the_connections_origins(heard):
    with heard.client() as c:
        c.put("/v1/integrations/zammad", json={"base_url": "http://127.0.0.1:9", "api_token": "zm-token-01234567",
                                               "frame_origins": ["https://zammad.acme.example"]})  # fmt: skip
        path = c.get("/v1/integrations/zammad/panel").json()["panel_path"]
    page = httpx.get(heard.url + path)
    assert page.status_code == 200
    assert "frame-ancestors https://zammad.acme.example" in page.headers["content-security-policy"]
    assert "x-frame-options" not in page.headers
    assert page.headers["referrer-policy"] == "no-referrer"
    # a wrong key opens nothing; the console keeps denying frames
    wrong = httpx.get(heard.url + path[:-4] + "AAAA")
    assert wrong.status_code == 404 and wrong.headers["x-frame-options"] == "DENY"
    console = httpx.get(heard.url + "/sign-in")
    assert "frame-ancestors 'none'" in console.headers["content-security-policy"]
    assert console.headers["x-frame-options"] == "DENY"
    # the panel's data needs the panel key, and answers only for that connection's conversations
    api = heard.url + path.replace("/integrations/", "/v1/integrations/", 1)
    assert httpx.get(api + "/conversations/1").status_code == 404
    assert httpx.get(api[:-4] + "AAAA/conversations/1").status_code == 404
    assert json.loads(httpx.post(api + "/conversations/1/review", json={"draft": ""}).text)["code"] in (
        "H101",
        "H103",
    )


def test_only_an_admin_reads_the_panel_url(heard):
    with heard.client() as c:
        agent = c.post("/v1/users", json={"name": "Ari Agent", "role": "agent"}).json()["api_key"]
    with heard.client(agent) as c:
        refused = c.get("/v1/integrations/zammad/panel")
    assert refused.status_code == 403 and refused.json()["code"] == "H303"
