"""The Practice page in a real browser (headless Chromium driven by Playwright, against a real
``heard serve``): start a session, three replies, the mood meter moves with each and says why,
and the debrief shows the scorecard. The trainee waits for each of the customer's bursts to
arrive before replying, as the playbook asks."""

from __future__ import annotations

import re

from heard.playbook import playbook_steps
from tests.server.test_console_browser import browser, console, page, shots  # noqa: F401 (fixtures)

REPLIES = (
    "I'm so sorry we let you down. It sounds like you lost a whole day off work waiting for the sofa "
    "and nobody came or even called.",
    "Has this happened before with this order?",
    "Which day and time would suit you best for the new delivery?",
)


def _burst_over(p) -> None:
    """Wait until the customer's lines due so far have all arrived (the page marks it)."""
    for _ in range(1_800):  # a limit for a slow, shared machine, not an assertion about speed
        if p.locator("#chat").get_attribute("data-burst") == "over":
            return
        p.wait_for_timeout(100)
    raise AssertionError("the customer's burst never ended")


def _mood(p) -> tuple[float, float, float]:
    meter = p.locator("#mood")
    return tuple(float(meter.get_attribute(f"data-{k}")) for k in ("anger", "trust", "progress"))  # type: ignore[return-value]


def test_practice_page_three_turns_and_the_debrief(page, console, shots) -> None:  # noqa: F811
    p = page
    p.get_by_role("link", name="Practice").click()
    p.wait_for_url(console.url + "/practice")
    p.get_by_label("Scenario", exact=True).select_option("retail_missed_sofa")
    p.get_by_role("radio", name=re.compile("Easy")).check()
    p.get_by_role("button", name="Start practice").click()
    p.wait_for_url(re.compile(r"/practice/\d+$"))
    assert p.locator("h1").inner_text() == "The sofa that never came"
    moods = [_mood(p)]
    assert p.locator(".mood-row").count() == 3
    _burst_over(p)
    assert p.locator("#typing").is_hidden()
    p.screenshot(path=str(shots / "practice-start.png"), full_page=True)

    for number, text in enumerate(REPLIES, start=1):
        if p.locator("#reply").count() == 0:
            break  # the customer ended it (resolved) before the third reply
        p.get_by_label("Your reply").fill(text)
        p.get_by_role("button", name="Send reply").click()
        p.locator(f"#turn-{number}").wait_for()
        moods.append(_mood(p))
        reasons = p.locator("#mood-reasons li")
        assert reasons.count() >= 1 and reasons.first.inner_text().strip()
        assert p.locator(f"#turn-{number} .mood-delta").count() == reasons.count()
        _burst_over(p)

    assert len(moods) == 4, "the session ended before three replies"
    assert moods[1] != moods[0] and len(set(moods)) >= 3  # the meter moved with the replies
    assert moods[-1][0] < moods[0][0] and moods[-1][2] > moods[0][2]  # calmer, further on
    assert (
        p.locator(".mood-anger .mood-bar > span").get_attribute("style")
        == f"width: {round(moods[-1][0] * 100)}%"
    )
    p.screenshot(path=str(shots / "practice.png"), full_page=True)

    if p.locator("#reply").count():
        p.get_by_role("button", name="End the session").click()
    debrief = p.locator("#debrief")
    debrief.wait_for()
    assert p.locator("#outcome").inner_text().strip().lower() in ("resolved", "stopped")
    assert debrief.locator(".scorecard-steps li.step").count() == len(playbook_steps())
    score = debrief.locator(".card-head .score").inner_text()
    assert score.isdigit() and 0 <= int(score) <= 100
    assert debrief.locator(".step-done").count() >= 2  # the reflection and the apology at least
    debrief.screenshot(path=str(shots / "practice-debrief.png"))

    # On a phone-sized window the session page and the list do not scroll sideways.
    p.set_viewport_size({"width": 390, "height": 800})
    assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # The session is listed on the Practice page, and on the lead's page (the demo key is an admin's).
    p.goto(console.url + "/practice")
    assert p.locator(".practice-sessions tbody tr").count() >= 1
    assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    p.set_viewport_size({"width": 1280, "height": 800})
    p.goto(console.url + "/lead")
    row = p.locator("table.trainees tbody tr").first
    assert row.locator("th").inner_text().startswith("admin")
    assert row.locator(".score").inner_text() == score
