"""``create_app(settings)``: the FastAPI application, its lifespan and its error answers."""

from __future__ import annotations

import contextlib
import logging

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

import heard
from heard._version import __version__
from heard.errors import (
    Conflict,
    HeardError,
    MalformedInput,
    NotAllowed,
    NotAuthenticated,
    RecordNotFound,
    TooLarge,
    UnknownEndpoint,
)
from heard.server.console.render import error_page, is_console
from heard.server.limits import BodyLimit
from heard.settings import Settings
from heard.store import Database, migrate

log = logging.getLogger("heard.server")

STATUS = {RecordNotFound: 404, NotAuthenticated: 401, NotAllowed: 403, Conflict: 409, TooLarge: 413}


def _status(error: HeardError) -> int:
    for cls, status in STATUS.items():
        if isinstance(error, cls):
            return status
    return 422


def _error(status: int, code: str, detail: str, request: Request | None = None) -> Response:
    if request is not None and is_console(request):  # the console's pages answer in HTML
        return error_page(request, status, code, detail)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"code": code, "detail": detail}, status_code=status, headers=headers)


def _where(loc: tuple) -> str:
    return ".".join(str(p) for p in loc if p != "body") or "body"


def create_app(settings: Settings | None = None, *, db: Database | None = None) -> FastAPI:
    """The service, on the database the settings name (or ``db``)."""
    settings = settings or Settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.db = db or Database.connect(settings.url())
        if settings.migrate:
            migrate(app.state.db)
        app.state.callers = {}
        # The engine is CPU-bound: a few threads per process keep the cores busy; dozens
        # only queue on the GIL and stretch every request's latency.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.request_threads
        if settings.warm_up:
            heard.analyze("Warming up: load the models before the first customer.")
        yield
        if db is None:
            app.state.db.dispose()

    from heard.server.console import console_router
    from heard.server.routes import (
        conversations,
        engine,
        follow_ups,
        health,
        incidents,
        insights,
        messages,
        policies,
        team,
    )

    app = FastAPI(
        title="heard",
        version=__version__,
        summary="De-escalation copilot: conversations through the playbook, policy-aware solutions, follow-ups.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    for module in (health, engine, conversations, messages, follow_ups, incidents, insights, policies, team):
        app.include_router(module.router, prefix="/v1")
    app.include_router(console_router())
    app.mount("/static", StaticFiles(packages=[("heard.server", "static")]), name="static")

    @app.exception_handler(HeardError)
    async def heard_error(request: Request, e: HeardError) -> Response:
        return _error(_status(e), e.code, e.detail, request)

    @app.exception_handler(ValidationError)
    async def invalid_model(request: Request, e: ValidationError) -> Response:
        # A form the console built into an API model: name the field, never echo the value.
        detail = "; ".join(f"{_where(err['loc'])}: {err['msg']}" for err in e.errors())
        return _error(422, MalformedInput.code, detail, request)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, e: RequestValidationError) -> Response:
        errors = e.errors()
        if any(err.get("type") == "json_invalid" for err in errors):
            return _error(400, MalformedInput.code, "the body is not valid JSON; send a JSON object", request)
        # Name the field and the problem, never echo the input (it may be a customer's message).
        detail = "; ".join(f"{_where(err['loc'])}: {err['msg']}" for err in errors)
        return _error(422, MalformedInput.code, detail, request)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, e: StarletteHTTPException) -> Response:
        if e.status_code in (404, 405) and is_console(request):
            detail = (
                "there is no such page" if e.status_code == 404 else "this page does not take that method"
            )
            return _error(e.status_code, UnknownEndpoint.code, detail, request)
        if e.status_code in (404, 405):
            detail = "no such endpoint" if e.status_code == 404 else "this endpoint does not take that method"
            return _error(
                e.status_code, UnknownEndpoint.code, f"{detail}; the API is described at /openapi.json"
            )
        if e.status_code == 400:  # the body could not be read at all (not UTF-8, for one)
            return _error(
                400,
                MalformedInput.code,
                "the body cannot be read; send a JSON object encoded as UTF-8",
                request,
            )
        return _error(e.status_code, f"H{e.status_code}", str(e.detail), request)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, e: Exception) -> Response:
        log.error("unexpected %s", type(e).__name__, exc_info=e)
        return _error(500, "H500", "internal error; the server log has the details", request)

    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    return app
