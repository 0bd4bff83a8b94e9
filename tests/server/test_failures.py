"""What a failure leaves behind: an unexpected database error answers 500, closes the
connection, and logs its stack without the customer's text; keys past their rate limit get
429 with Retry-After."""

from __future__ import annotations

import logging

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from heard.errors import RateLimited
from heard.server.app import create_app
from heard.server.bootstrap import create_team_with_admin
from heard.server.rate import RateLimits
from heard.server.unexpected import Unexpected
from heard.settings import Settings
from heard.store import Database

SECRET = "my card is 4000 0000 0000 0002 and I live at 9 Quillfeather Lane"


def _failing_app(db: Database) -> FastAPI:
    """A route whose insert breaks a constraint with a customer's text bound to it."""
    app = FastAPI()

    @app.post("/insert")
    def insert() -> dict:
        with db.write() as session:
            session.execute(
                text("CREATE TABLE IF NOT EXISTS said (body TEXT NOT NULL CHECK (length(body) < 5))")
            )
            session.execute(text("INSERT INTO said (body) VALUES (:body)"), {"body": SECRET})
        return {}

    app.add_middleware(Unexpected)
    return app


def test_an_unexpected_database_error_logs_no_text(database_url, caplog) -> None:
    db = Database.connect(database_url)
    try:
        with caplog.at_level(logging.DEBUG), TestClient(_failing_app(db), raise_server_exceptions=False) as c:
            r = c.post("/insert")
        assert r.status_code == 500 and r.json() == {
            "code": "H500",
            "detail": "internal error; the server log has the details",
        }
        assert r.headers["connection"] == "close"
        logged = "\n".join(record.getMessage() for record in caplog.records)
        assert "IntegrityError (message withheld)" in logged and "test_failures.py" in logged
        assert "Quillfeather" not in logged and "4000" not in logged
    finally:
        db.dispose()


def test_database_errors_never_carry_the_bound_values(database_url) -> None:
    """hide_parameters: the error's own text has no parameters (PostgreSQL's DETAIL line may
    still quote the row, which is why the log withholds messages altogether)."""
    db = Database.connect(database_url)
    try:
        with pytest.raises(Exception) as caught, db.write() as session:
            session.execute(text("CREATE TABLE nums (n INTEGER PRIMARY KEY)"))
            session.execute(text("INSERT INTO nums (n) VALUES (1)"))
            session.execute(text("INSERT INTO nums (n) VALUES (:n)"), {"n": 1, "unused": SECRET})
        assert "parameters hidden" in str(caught.value) and "Quillfeather" not in str(caught.value)
    finally:
        db.dispose()


def test_rate_limits_refill_over_time() -> None:
    now = [0.0]
    limits = RateLimits(3, clock=lambda: now[0])
    for _ in range(3):
        limits.take("a")
    with pytest.raises(RateLimited) as caught:
        limits.take("a")
    assert caught.value.retry_after == 20  # 3 a minute: one more every 20 s
    limits.take("b")  # each key has its own bucket
    now[0] = 20.0
    limits.take("a")
    with pytest.raises(RateLimited):
        limits.take("a")
    RateLimits(0).take("a")  # 0: off


def test_a_key_past_its_limit_gets_429_with_retry_after(tmp_path) -> None:
    settings = Settings(data_dir=tmp_path, warm_up=False, rate_limit_per_minute=2)
    db = Database.connect(f"sqlite:///{tmp_path / 'heard.db'}")
    app = create_app(settings, db=db)
    with TestClient(app) as c:
        key = create_team_with_admin(db, "limited")
        other = create_team_with_admin(db, "other")
        headers = {"Authorization": f"Bearer {key}"}
        assert [c.get("/v1/conversations", headers=headers).status_code for _ in range(2)] == [200, 200]
        r = c.get("/v1/conversations", headers=headers)
        assert r.status_code == 429 and r.json()["code"] == "H309" and int(r.headers["retry-after"]) >= 1
        assert c.get("/v1/conversations", headers={"Authorization": f"Bearer {other}"}).status_code == 200
        assert c.get("/v1/health").status_code == 200  # no key, no limit
    db.dispose()
