"""The Content-Security-Policy in a real browser (Chromium, as in test_console_browser): the
console's pages and Swagger UI at /docs run with no violation reported."""

from __future__ import annotations

from tests.server.test_console_browser import browser, console  # noqa: F401 - shared fixtures


def _violations(browser, url: str, path: str, key: str | None = None) -> tuple[list[str], object]:  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    p = context.new_page()
    p.set_default_timeout(60_000)  # a limit for a slow, shared machine, not an assertion about speed
    said: list[str] = []
    p.on("console", lambda m: said.append(m.text) if "Content Security Policy" in m.text else None)
    if key:
        p.goto(url + "/")
        p.get_by_label("API key").fill(key)
        p.get_by_role("button", name="Sign in").click()
        p.wait_for_url(url + "/")
    p.goto(url + path)
    return said, p


def test_console_and_docs_run_under_the_csp(browser, console) -> None:  # noqa: F811
    with console.client() as c:
        cid = c.post("/v1/conversations", json={"customer": "c-9"}).json()["id"]
        c.post(
            f"/v1/conversations/{cid}/messages", json={"role": "customer", "text": "My parcel is late again!"}
        )
    said, p = _violations(browser, console.url, f"/conversations/{cid}", key=console.key)
    p.wait_for_load_state("networkidle")
    p.goto(console.url + "/lead")
    p.wait_for_load_state("networkidle")
    assert said == []
    said, p = _violations(browser, console.url, "/docs")
    p.wait_for_selector(".swagger-ui .info .title")
    assert "heard" in p.inner_text(".swagger-ui .info .title")
    p.wait_for_load_state("networkidle")
    assert said == []
