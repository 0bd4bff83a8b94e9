"""A careless or hostile client against a real server, on SQLite and on PostgreSQL: every edge
case is a clear 4xx with the ``{code, detail}`` body, slow work does not stall the process,
simultaneous messages are all stored, and no message text reaches the log."""

from __future__ import annotations

import json
import os
import stat
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import yaml

# A word no generated text contains: if it shows up in the server log, message text leaked.
MARKER = "quillfeather"
BIG = 2**63


def _error(r: httpx.Response, status: int | tuple[int, ...]) -> dict:
    statuses = status if isinstance(status, tuple) else (status,)
    assert r.status_code in statuses, (r.status_code, r.text)
    body = r.json()
    assert set(body) == {"code", "detail"} and body["code"].startswith("H") and body["detail"], body
    return body


def _conversation(c: httpx.Client) -> int:
    r = c.post("/v1/conversations", json={"customer": "c-7", "subject": "parcel", "channel": "email"})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _say(c: httpx.Client, cid: int, text: str, **extra) -> httpx.Response:
    return c.post(f"/v1/conversations/{cid}/messages", json={"role": "customer", "text": text, **extra})


def _resolved_follow_up(c: httpx.Client) -> tuple[int, int]:
    cid = _conversation(c)
    assert _say(c, cid, "My parcel never came and nobody answers my emails.").status_code == 201
    r = c.post(f"/v1/conversations/{cid}/resolve", json={"fixed": "sent a new parcel"})
    assert r.status_code == 200, r.text
    return cid, r.json()["follow_up"]["id"]


def test_ids_and_offsets_past_64_bits_are_4xx(server) -> None:
    with server.client() as c:
        assert _error(c.get(f"/v1/conversations/{BIG}"), 404)["code"] == "H301"
        assert _error(c.get(f"/v1/conversations/{-(BIG * 4)}"), 404)["code"] == "H301"
        _error(c.patch(f"/v1/follow-ups/{BIG}", json={"message": "hello"}), 404)
        _error(c.get("/v1/conversations", params={"offset": BIG}), 422)
        _error(c.get("/v1/follow-ups", params={"offset": BIG * 2}), 422)
        _error(c.post("/v1/review", json={"draft": "We will fix it.", "conversation_id": BIG}), (404, 422))
        assert c.get("/v1/conversations").status_code == 200  # the connection still serves


def test_times_that_leave_the_calendar_in_utc_are_refused(server) -> None:
    with server.client() as c:
        cid, follow_up = _resolved_follow_up(c)
        early = "0001-01-01T00:00:00+14:00"
        body = _error(_say(c, cid, "Still waiting.", at=early), 422)
        assert body["code"] == "H103" and "at:" in body["detail"] and "UTC" in body["detail"]
        _error(_say(c, cid, "Still waiting.", at="9999-12-31T23:00:00-05:00"), 422)
        _error(c.patch(f"/v1/follow-ups/{follow_up}", json={"due_at": early}), 422)
        fine = _say(c, cid, "Still waiting.", at="0001-01-01T00:00:00-01:00")
        assert fine.status_code == 201 and fine.json()["at"].startswith("0001-01-01T01:00:00")
        # a draft's time in a stored conversation, given as seconds far outside the calendar
        for at in (-9.8e15, 1e20, "0001-01-01T00:00:00+14:00"):
            review = c.post("/v1/review", json={"draft": "Let me check.", "conversation_id": cid, "at": at})
            assert _error(review, 422)["code"] in {"H103", "H104"}


def test_lone_surrogates_and_nul_bytes_are_refused_in_every_text_field(server) -> None:
    with server.client() as c:
        cid, follow_up = _resolved_follow_up(c)
        lone = b'{"role": "customer", "text": "my parcel \\ud800 never came"}'
        r = c.post(
            f"/v1/conversations/{cid}/messages", content=lone, headers={"content-type": "application/json"}
        )
        assert "surrogate" in _error(r, 422)["detail"]
        nul = f"{MARKER} nul \x00 inside"
        incident = c.get(f"/v1/conversations/{cid}").json()["incident"]["id"]
        answers = {
            "message": _say(c, cid, nul),
            "external_id": _say(c, cid, "where is it", external_id=nul),
            "customer": c.post("/v1/conversations", json={"customer": nul}),
            "customer_name": c.post("/v1/conversations", json={"customer": "c-1", "customer_name": nul}),
            "subject": c.post("/v1/conversations", json={"subject": nul}),
            "patch subject": c.patch(f"/v1/conversations/{cid}", json={"subject": nul}),
            "analyze": c.post("/v1/analyze", json={"text": nul}),
            "reflect": c.post("/v1/reflect", json={"text": ["ok", nul]}),
            "review": c.post("/v1/review", json={"draft": "Sorry about that.", "customer": nul}),
            "follow-up message": c.patch(f"/v1/follow-ups/{follow_up}", json={"message": nul}),
            "follow-up note": c.post(
                f"/v1/follow-ups/{follow_up}/complete", json={"outcome": "resolved", "note": nul}
            ),
            "incident": c.patch(f"/v1/incidents/{incident}", json={"root_cause": nul}),
            "resolve": c.post(f"/v1/conversations/{_conversation(c)}/resolve", json={"root_cause": nul}),
        }
        for field, r in answers.items():
            assert "NUL" in _error(r, 422)["detail"], field
        # a NUL in a filter finds nothing (or is refused), never a 500
        for params in ({"customer": nul}, {"category": nul}):
            r = c.get("/v1/conversations", params=params)
            assert r.status_code == 422 or r.json()["total"] == 0, r.text
        assert c.get(f"/v1/conversations/{cid}").json()["subject"] == "parcel"


def test_a_conversation_keeps_its_channel(server) -> None:
    with server.client() as c:
        cid = _conversation(c)
        body = _error(c.patch(f"/v1/conversations/{cid}", json={"channel": None}), 422)
        assert "channel" in body["detail"]
        assert c.patch(f"/v1/conversations/{cid}", json={"subject": None}).json()["channel"] == "email"


def test_invisible_text_is_refused_like_whitespace(server) -> None:
    with server.client() as c:
        for text in ("\u200b", "\u200b \u200d\ufeff", "\u2060\n"):
            assert _error(c.post("/v1/analyze", json={"text": text}), 422)["code"] == "H101"
        assert _error(_say(c, _conversation(c), "\u200b\u200c"), 422)["code"] == "H101"
        assert c.post("/v1/analyze", json={"text": "\u200bWhere is my refund?"}).status_code == 200


def test_bodies_over_the_limit_and_deep_nesting(server) -> None:
    with server.client() as c:

        def chunks():  # no Content-Length: the server counts what arrives
            for _ in range(300):
                yield b'{"text": "' + b"a" * 5000

        r = c.post("/v1/analyze", content=chunks(), headers={"content-type": "application/json"})
        assert _error(r, 413)["code"] == "H111"
        deep = "[" * 100_000 + "]" * 100_000
        r = c.post("/v1/analyze", content=deep, headers={"content-type": "application/json"})
        assert "nested too deeply" in _error(r, 400)["detail"]
        long_text = c.post("/v1/analyze", json={"text": "word " * 2001})
        assert _error(long_text, 413)["code"] == "H111"


def _catalogue(remedies: int) -> str:
    """heard's example catalogue with its first remedy repeated under new ids."""
    from heard.respond import dump_catalogue, example_catalogue

    catalogue = yaml.safe_load(dump_catalogue(example_catalogue()))
    first = catalogue["remedies"][0]
    catalogue["remedies"] = [dict(first, id=f"{first['id']}_{i}") for i in range(remedies)]
    return yaml.safe_dump(catalogue)


def _answered_while_pending(server, slow) -> list[str]:
    """Start ``slow`` (a function of a client), ask /v1/health until it answers; the health
    answers that came back while it was still running."""
    done = threading.Event()
    seen: list[str] = []

    def run():
        try:
            with server.client() as c:
                return slow(c)
        finally:
            done.set()

    with ThreadPoolExecutor(1) as pool, httpx.Client(base_url=server.url, timeout=60) as c:
        future = pool.submit(run)
        while not done.is_set():
            r = c.get("/v1/health")
            if not done.is_set():
                seen.append(r.json()["status"])
            time.sleep(0.01)
        future.result()
    return seen


def test_a_big_catalogue_does_not_stall_the_server(server) -> None:
    text = _catalogue(900)  # about 180 KB: under the policy limit, about a second of YAML
    assert len(text.encode()) < 200_000

    def validate(c: httpx.Client) -> None:
        r = c.post("/v1/policies/validate", content=text, headers={"content-type": "application/yaml"})
        assert r.status_code == 200 and r.json()["remedies"] == 900, r.text[:300]

    assert "ok" in _answered_while_pending(server, validate)
    with server.client() as c:
        huge = _catalogue(1200)
        for method in (c.put, c.post):
            path = "/v1/policies" if method == c.put else "/v1/policies/validate"
            r = method(path, content=huge, headers={"content-type": "application/yaml"})
            assert "HEARD_MAX_POLICY_BYTES" in _error(r, 413)["detail"]


def test_a_long_message_does_not_stall_the_server(server) -> None:
    text = ("My order never arrived and nobody answers. " * 240)[:10_000]

    def analyze(c: httpx.Client) -> None:
        for _ in range(3):
            assert c.post("/v1/analyze", json={"text": text}).status_code == 200

    assert "ok" in _answered_while_pending(server, analyze)


def test_eight_messages_at_once_are_all_stored(server) -> None:
    with server.client() as c:
        cid = _conversation(c)
    texts = [f"Message {i}: my parcel is late again and I am fed up." for i in range(8)]
    barrier = threading.Barrier(8)

    def send(text: str) -> int:
        with server.client() as c:
            barrier.wait()
            return _say(c, cid, text).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(send, texts))
    assert statuses == [201] * 8
    with server.client() as c:
        detail = c.get(f"/v1/conversations/{cid}").json()
    assert detail["messages"] == 8 and sorted(m["text"] for m in detail["timeline"]) == sorted(texts)


def test_security_headers_and_offline_docs(server) -> None:
    for path in ("/v1/health", "/sign-in", "/docs", "/v1/nowhere"):
        r = httpx.get(f"{server.url}{path}")
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"], path
        assert "'unsafe-inline'" not in r.headers["content-security-policy"].split("style-src-attr")[0]
        assert r.headers["x-frame-options"] == "DENY" and r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "same-origin"
    page = httpx.get(f"{server.url}/docs").text
    assert "//" not in page.replace("http://www.w3.org", "")  # every asset from this server
    for asset in ("/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-ui.css", "/static/api-docs.js"):
        assert httpx.get(f"{server.url}{asset}").status_code == 200, asset
    r = httpx.request("OPTIONS", f"{server.url}/v1/conversations/1")
    assert r.status_code == 405 and r.headers["allow"] == "DELETE, GET, PATCH"


def test_the_openapi_describes_the_error_answers(server) -> None:
    schema = httpx.get(f"{server.url}/openapi.json").json()
    error = {"$ref": "#/components/schemas/Error"}
    patch = schema["paths"]["/v1/conversations/{conversation_id}"]["patch"]["responses"]
    for status in ("400", "401", "403", "404", "409", "413", "422", "429"):
        assert patch[status]["content"]["application/json"]["schema"] == error, status
    html = schema["paths"]["/v1/insights/report.html"]["get"]["responses"]["422"]["content"]
    assert html["application/json"]["schema"] == error
    assert set(schema["components"]["schemas"]["Error"]["properties"]) == {"code", "detail"}


def test_the_demo_key_stays_out_of_the_log_file(server) -> None:
    log = server.log.read_text("utf-8", errors="replace")
    assert "demo-api-key" in log and server.key not in log


def test_the_sqlite_file_is_private(server) -> None:
    if not server.database_url.startswith("sqlite"):
        return
    path = Path(server.database_url.removeprefix("sqlite:///"))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_no_message_text_in_the_log(server) -> None:
    """Runs last in this module: the log then holds every failure above, and these."""
    with server.client() as c:
        cid = _conversation(c)
        text = f"My {MARKER} parcel is lost, call me."
        same = {"external_id": f"{MARKER}-1"}
        with ThreadPoolExecutor(4) as pool:  # the same delivery four times at once: one stored
            statuses = list(
                pool.map(lambda _: _say(server.client(), cid, text, **same).status_code, range(4))
            )
        assert sorted(statuses)[0] == 200 or statuses.count(201) == 1
        assert statuses.count(201) == 1, statuses
        _say(c, cid, f"{MARKER} \x00")
        c.post("/v1/analyze", content=json.dumps({"text": MARKER + " \ud800"}, ensure_ascii=True),
               headers={"content-type": "application/json"})  # fmt: skip
        c.get("/v1/conversations", params={"customer": f"{MARKER}\x00"})
        c.post(f"/v1/conversations/{cid}/resolve", json={"root_cause": f"{MARKER} \x00"})
    time.sleep(0.5)  # let the server flush its log
    log = server.log.read_text("utf-8", errors="replace")
    assert MARKER not in log
