"""The console in a real browser: Debian's Chromium, headless, driven by Playwright, against a
real ``heard serve`` process. Screenshots of each main view go to ``HEARD_SCREENSHOTS`` (the
README's come from ``HEARD_SCREENSHOTS=docs/screenshots``), else to pytest's temporary folder.

Without Chromium (``make chromium`` installs it) these tests are skipped with the reason,
except under CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import httpx
import pytest

from tests.server.conftest import run_server

CHROMIUM = os.environ.get("HEARD_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
MOVERS = (
    "I am very upset because you told me the moving company would be at my place by 1 pm and they "
    "didn't show up until 3 pm. I didn't have time to clean my apartment before the inspection."
)
DEFENSIVE = "Calm down, the movers are not our fault"
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def _missing_browser() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as e:
        return f"Playwright is not installed ({e}); pip install -e '.[test]'"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM}; `make chromium` installs Debian's"
    return None


@pytest.fixture(scope="module")
def browser():
    reason = _missing_browser()
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI must run the browser tests, but {reason}")
        pytest.skip(f"browser tests skipped: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("console-data")
    with run_server(f"sqlite:///{data_dir / 'heard.db'}", data_dir) as server:
        yield server


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("HEARD_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def page(browser, console):
    """A signed-in page at 1280x800."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    p = context.new_page()
    p.set_default_timeout(60_000)  # a limit for a slow, shared machine, not an assertion about speed
    p.goto(console.url + "/")
    assert "/sign-in" in p.url
    p.get_by_label("API key").fill(console.key)
    p.get_by_role("button", name="Sign in").click()
    p.wait_for_url(console.url + "/")
    yield p
    context.close()


def _wait_until(p, predicate: str) -> None:
    """Poll ``predicate`` (a JS function) from outside the page: the console's CSP forbids the
    string eval that Playwright's wait_for_function uses inside it."""
    for _ in range(600):  # a limit for a slow, shared machine, not an assertion about speed
        if p.evaluate(predicate):
            return
        p.wait_for_timeout(100)
    raise AssertionError(f"never true: {predicate}")


def _no_sideways_scroll(p) -> bool:
    return p.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_console_main_path(page, console, shots) -> None:
    p = page
    # Start a conversation, then post the complaint as the customer.
    p.get_by_label("Subject").fill("Movers late for the inspection")
    p.get_by_label("Customer reference").fill("c-1001")
    p.get_by_role("button", name="Start conversation").click()
    p.wait_for_url(re.compile(r"/conversations/\d+"))
    p.get_by_label("What the customer wrote or said").fill(MOVERS)
    p.get_by_role("button", name="Add customer message").click()
    p.wait_for_selector("text=Customer message added.")

    # The upset level and the reflection.
    level = p.locator("#current-level .level").inner_text().strip().lower()
    assert level in ("upset", "angry", "furious")
    assert p.locator(".msg-customer .level").first.inner_text().strip().lower() == level
    reflection = p.locator("#suggest-reflection .suggestion-text").inner_text()
    assert reflection.startswith("It sounds like") and "1 pm" in reflection and "inspection" in reflection
    assert p.locator(".next-card .action strong").inner_text() == "Reflect what you heard"

    # A defensive draft, typed key by key, is flagged with its span highlighted.
    draft = p.get_by_role("textbox", name="Your reply")
    draft.press_sequentially(DEFENSIVE, delay=15)
    calm_down = p.locator('.finding[data-check="calm_down"]')
    calm_down.wait_for()
    assert "calm down" in calm_down.inner_text().lower()
    assert p.locator("#draft-highlights mark.sev-high").first.inner_text() == DEFENSIVE
    assert "to fix" in p.locator("#review-status").inner_text()
    p.screenshot(path=str(shots / "conversation.png"), full_page=True)
    assert _no_sideways_scroll(p)

    # Apply the suggested rewrite: the draft changes and the finding goes.
    calm_down.get_by_role("button", name=re.compile("^Apply")).click()
    assert DEFENSIVE not in draft.input_value()
    assert draft.input_value().startswith("I can hear how stressed you are")
    _wait_until(
        p,
        "() => !!document.querySelector('.review-result') && "
        "document.querySelector('.review-result').dataset.draft === document.querySelector('#draft').value",
    )
    assert p.locator('.finding[data-check="calm_down"]').count() == 0
    sent = draft.input_value()

    # Send it with the keyboard: it is stored as the agent's message.
    draft.press("Control+Enter")
    p.wait_for_selector("text=Reply sent and stored.")
    assert p.locator(".msg-agent .msg-text").last.inner_text() == sent
    with console.client() as c:
        cid = int(p.url.split("/conversations/")[1].split("?")[0])
        stored = c.get(f"/v1/conversations/{cid}").json()
    assert [m["role"] for m in stored["timeline"]] == ["customer", "agent"]
    assert stored["timeline"][1]["text"] == sent

    # The solution picker shows what policy allows; resolve with a remedy from it.
    solutions = p.locator(".solutions .solution")
    assert solutions.count() >= 2
    assert "rebook" in p.locator(".solutions").inner_text()
    p.locator('#resolve-form input[name="remedy"][value="reschedule"]').check()
    p.get_by_label("Root cause").fill("crew double-booked")
    p.get_by_role("button", name="Resolve and schedule follow-up").click()
    p.wait_for_selector("text=Resolved. The follow-up is scheduled.")
    card = p.locator("#follow-up")
    assert card.locator(".status").first.inner_text().lower() == "scheduled"
    assert "rebooked it for a time that suits you" in card.locator(".follow-up-message").inner_text()
    p.screenshot(path=str(shots / "resolved.png"), full_page=True)

    # Adjust the follow-up: the message the customer gets.
    card.get_by_text("Adjust the follow-up").click()
    card.get_by_label("Message").fill("Hello again: did the movers make it on Friday?")
    card.get_by_role("button", name="Save follow-up").click()
    p.wait_for_selector("text=Follow-up updated.")
    assert "did the movers make it" in p.locator("#follow-up .follow-up-message").inner_text()


def test_still_venting_says_wait(page, console, shots) -> None:
    with console.client() as c:
        cid = c.post("/v1/conversations", json={"customer": "c-2002", "subject": "Double charge"}).json()[
            "id"
        ]
        for text in (
            "You charged my card twice for order 7731!",
            "And NOBODY answers my emails. This is the third time I write!!",
        ):
            assert (
                c.post(
                    f"/v1/conversations/{cid}/messages", json={"role": "customer", "text": text}
                ).status_code
                == 201
            )
    page.goto(f"{console.url}/conversations/{cid}")
    assert "Still venting: wait." in page.locator("#venting").inner_text()
    assert page.locator(".next-card .action strong").inner_text() == "Wait: the customer is still venting"
    assert page.locator(".trend-dots li").count() == 2
    page.screenshot(path=str(shots / "venting.png"), full_page=True)


def test_a_draft_two_minutes_after_a_burst_is_not_flagged_as_venting(page, console) -> None:
    from datetime import UTC, datetime, timedelta

    start = datetime.now(UTC) - timedelta(minutes=2, seconds=20)
    with console.client() as c:
        cid = c.post("/v1/conversations", json={"subject": "Charged twice"}).json()["id"]
        for k, text in enumerate(
            ("You charged my card twice for order 4410!", "And NOBODY answers my emails!!")
        ):
            at = (start + timedelta(seconds=10 * k)).isoformat()
            body = {"role": "customer", "text": text, "at": at}
            assert c.post(f"/v1/conversations/{cid}/messages", json=body).status_code == 201
    page.goto(f"{console.url}/conversations/{cid}")
    # The burst ended two minutes ago: the next action and the review agree it is time to reply.
    assert page.locator("#venting").count() == 0
    assert page.locator(".next-card .action strong").inner_text() != "Wait: the customer is still venting"
    draft = "It sounds like you were charged twice for order 4410 and nobody answered your emails."
    page.get_by_role("textbox", name="Your reply").fill(draft)
    _wait_until(
        page,
        "() => document.querySelector('.review-result') && "
        "document.querySelector('.review-result').dataset.draft === document.querySelector('#draft').value",
    )
    assert page.locator('.finding[data-check="still_venting"]').count() == 0


def test_queue_and_narrow_window(browser, page, console, shots) -> None:
    with console.client() as c:
        cid = c.post("/v1/conversations", json={"customer": "c-3003", "subject": "Locked out"}).json()["id"]
        c.post(f"/v1/conversations/{cid}/messages", json={
            "role": "customer", "text": "I'm furious. I've been locked out of my account for three days and nobody helps!"})  # fmt: skip
    page.goto(console.url + "/")
    rows = page.locator(".conv-list .conv-row")
    assert rows.count() >= 1
    first_level = rows.first.locator(".level").inner_text().strip().lower()
    assert first_level in ("upset", "angry", "furious")
    page.screenshot(path=str(shots / "queue.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    rows.first.click()
    page.wait_for_url(re.compile(r"/conversations/\d+"))
    assert _no_sideways_scroll(page)
    page.screenshot(path=str(shots / "conversation-narrow.png"), full_page=True)


def test_lead_view(page, console, shots, tmp_path) -> None:
    with console.client() as c:  # a furious customer and a resolved conversation with a follow-up due
        cid = c.post("/v1/conversations", json={"subject": "Broken washing machine"}).json()["id"]
        c.post(f"/v1/conversations/{cid}/messages", json={
            "role": "customer", "text": "This is RIDICULOUS!!! The washing machine you sold me broke after two days "
            "and nobody calls me back. I want my money back NOW or I'm going to my lawyer!"})  # fmt: skip
        done = c.post("/v1/conversations", json={"subject": "Late parcel"}).json()["id"]
        c.post(
            f"/v1/conversations/{done}/messages",
            json={"role": "customer", "text": "My parcel is a week late."},
        )
        c.post(
            f"/v1/conversations/{done}/messages",
            json={"role": "agent", "text": "It will come when it comes."},
        )
        c.post(f"/v1/conversations/{done}/resolve", json={"follow_up_in_hours": 0})
        calmed = c.post("/v1/conversations", json={"subject": "Charged twice", "customer": "c-4004"}).json()[
            "id"
        ]
        for role, text in (
            ("customer", "I am furious! You charged my card twice for order 5521 and nobody answers my emails!"),
            ("agent", "So you were charged twice for order 5521 and nobody got back to you. I'm so sorry, that's our mistake."),
            ("customer", "Yes. Thank you, that helps."),
            ("agent", "I will refund the second charge today."),
        ):  # fmt: skip
            c.post(f"/v1/conversations/{calmed}/messages", json={"role": role, "text": text})
        follow_up = c.post(f"/v1/conversations/{calmed}/resolve", json={"remedy": "refund"}).json()[
            "follow_up"
        ]
        c.post(f"/v1/follow-ups/{follow_up['id']}/complete", json={"outcome": "resolved", "satisfaction": 5})
    page.goto(console.url + "/lead")
    board = page.locator(".level-board")
    assert "Broken washing machine" in board.inner_text()
    assert (
        page.locator(".level-col-furious, .level-col-angry").filter(has_text="Broken washing machine").count()
        == 1
    )
    assert f"Conversation #{done}" in page.locator("#due-title").locator("..").inner_text()
    table = page.locator("table.scorecards")
    assert "Late parcel" in table.inner_text()
    assert page.locator(".missed li").count() >= 1

    # The insights of the team's incidents, fetched after the page: key figures, recommendations,
    # what works, the chart.
    insights = page.locator("#insights")
    figures = insights.get_by_role("list", name="Key figures")
    figures.wait_for()
    page.screenshot(path=str(shots / "lead.png"), full_page=True)
    insights.scroll_into_view_if_needed()
    assert figures.locator("li").count() == 5
    assert "de-escalated" in figures.inner_text() and "5.0" in figures.inner_text()  # satisfaction came back
    works = insights.locator("table.works")
    assert "apologising when the company was at fault" in works.inner_text() and "n=" in works.inner_text()
    assert insights.locator("svg[role=img]").count() == 1
    assert "per month, by category" in insights.locator("svg").get_attribute("aria-label")
    insights.screenshot(path=str(shots / "insights.png"))
    with page.expect_download() as download:
        insights.get_by_role("link", name="Download the full report (HTML)").click()
    saved = tmp_path / "report.html"
    download.value.save_as(saved)
    text = saved.read_text("utf-8")
    assert text.startswith("<!doctype html>") and "<svg" in text and "What works" in text


def test_transcript_upload(page, console, shots, tmp_path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text('[{"role": "bot", "text": "hello"}]', "utf-8")
    page.goto(console.url + "/lead/transcripts")
    page.get_by_label("Choose transcript files").set_input_files(
        [str(EXAMPLES / "chat.json"), str(EXAMPLES / "call.csv"), str(bad)]
    )
    page.get_by_role("button", name="Score them").click()
    page.wait_for_selector("text=Scorecards")
    cards = page.locator("article.scorecard")
    assert cards.count() == 3
    assert cards.filter(has_text="chat.json").locator(".score").count() == 1
    assert cards.filter(has_text="call.csv").locator(".step").count() == 11
    error = cards.filter(has_text="broken.json").locator(".error").inner_text()
    assert "H104" in error and "messages[0].role" in error
    page.screenshot(path=str(shots / "transcripts.png"), full_page=True)


def test_signed_out_pages_ask_for_the_key(browser, console) -> None:
    context = browser.new_context()
    p = context.new_page()
    p.goto(console.url + "/lead")
    assert "/sign-in?next=/lead" in p.url
    p.get_by_label("API key").fill("hd_not-a-real-key")
    p.get_by_role("button", name="Sign in").click()
    assert "unknown or revoked" in p.locator("[role=alert]").inner_text()
    assert httpx.get(console.url + "/static/console.js").status_code == 200
    context.close()
