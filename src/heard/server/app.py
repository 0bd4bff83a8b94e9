"""``create_app(settings)``: the FastAPI application, its lifespan and its error answers."""

from __future__ import annotations

import contextlib
import logging
import re

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import ValidationError
from sqlalchemy.exc import DataError, StatementError
from starlette.exceptions import HTTPException as StarletteHTTPException

import heard
from heard._version import __version__
from heard.errors import (
    Conflict,
    EmptyText,
    HeardError,
    MalformedInput,
    NotAllowed,
    NotAuthenticated,
    RateLimited,
    RecordNotFound,
    TooLarge,
    UnknownEndpoint,
)
from heard.integrations.vault import vault_for
from heard.server.api_docs import add_api_docs
from heard.server.console.render import error_page, is_console
from heard.server.headers import SecurityHeaders
from heard.server.limits import BodyLimit
from heard.server.rate import RateLimits
from heard.server.schemas import Error
from heard.server.unexpected import Unexpected
from heard.settings import Settings
from heard.store import Database, migrate

log = logging.getLogger("heard.server")

STATUS = {
    RecordNotFound: 404,
    NotAuthenticated: 401,
    NotAllowed: 403,
    Conflict: 409,
    TooLarge: 413,
    RateLimited: 429,
}
# What the API's routes answer on error, as the OpenAPI shows it: the real {code, detail} body.
_WHEN = {
    400: "The body is not JSON, not UTF-8, or nested too deeply (H103).",
    401: "No API key, or an unknown or revoked one (H302).",
    403: "This key's role may not do this (H303).",
    404: "No such object for your team (H301).",
    409: "The object is not in a state that allows this (H304).",
    413: "The body or the text is over its size limit (H111).",
    422: "A field is missing, of the wrong type or out of range; the detail names it (H103, H101).",
    429: "This key sent too many requests; see Retry-After (H309).",
}
ERROR_RESPONSES = {status: {"model": Error, "description": when} for status, when in _WHEN.items()}
# A value the database cannot hold (an id past 2^63, a time past year 9999 once in UTC): the
# request is what is wrong, so it is a 422 naming the fix, not a 500.
OUT_OF_RANGE = (
    "a value in the request is out of range: ids, limits and offsets are below 2^63, times are "
    "within the years 1 to 9999 in UTC, and text has no NUL characters or lone surrogates"
)


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
    # pydantic names union branches by their type ("function-after[...]", "list[...]"): a
    # client needs the field, not our validators' names
    return ".".join(str(p) for p in loc if p != "body" and "[" not in str(p)) or "body"


def _allowed(app: FastAPI, path: str) -> str:
    """The methods the API documents for this path (each method is its own route)."""
    for template, operations in app.openapi()["paths"].items():
        if re.fullmatch(re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)), path):
            return ", ".join(sorted(m.upper() for m in operations if m != "parameters"))
    return ""


def _beyond_64_bits(value) -> bool:
    try:
        return not -(2**63) <= int(value) < 2**63
    except (TypeError, ValueError):
        return False


def _errors_as_json(app: FastAPI) -> None:
    """Errors answer JSON on every route, HTML pages too (FastAPI documents a route's errors in
    the route's own media type)."""
    plain = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = plain()
            for operations in schema["paths"].values():
                for operation in operations.values():
                    for status, response in operation.get("responses", {}).items():
                        if int(status) in _WHEN and "application/json" not in response.get("content", {}):
                            response["content"] = {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                            }
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi


_CLEARER = {  # pydantic's words where they do not say what to change
    "string_unicode": "contains a lone surrogate (an unpaired \\ud800-\\udfff escape); send valid "
    "UTF-16 pairs or the character itself",
}


def _details(errors) -> str:
    """Each field and its problem once, never the value sent (it may be a customer's message)."""
    said = [f"{_where(err['loc'])}: {_CLEARER.get(err.get('type'), err['msg'])}" for err in errors]
    return "; ".join(dict.fromkeys(said))


def create_app(settings: Settings | None = None, *, db: Database | None = None) -> FastAPI:
    """The service, on the database the settings name (or ``db``)."""
    settings = settings or Settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.db = db or Database.connect(settings.url())
        if settings.migrate:
            migrate(app.state.db)
        app.state.callers = {}
        # Made at start (the key file too, on first run), so the worker finds the same key.
        app.state.vault = vault_for(settings.secrets_key, settings.data_dir)
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
        integrations,
        messages,
        panel,
        policies,
        practice,
        team,
    )

    app = FastAPI(
        docs_url=None,  # served from the package by add_api_docs (no CDN)
        redoc_url=None,
        title="heard",
        version=__version__,
        summary="De-escalation copilot: conversations through the playbook, policy-aware solutions, follow-ups.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.rate_limits = RateLimits(settings.rate_limit_per_minute)
    app.include_router(health.router, prefix="/v1")
    for module in (
        engine,
        conversations,
        messages,
        follow_ups,
        incidents,
        insights,
        policies,
        practice,
        team,
        integrations,
        panel,
    ):
        app.include_router(module.router, prefix="/v1", responses=ERROR_RESPONSES)
    app.include_router(console_router())
    app.include_router(panel.page_router)
    add_api_docs(app)
    _errors_as_json(app)
    app.mount("/static", StaticFiles(packages=[("heard.server", "static")]), name="static")

    @app.exception_handler(HeardError)
    async def heard_error(request: Request, e: HeardError) -> Response:
        response = _error(_status(e), e.code, e.detail, request)
        if isinstance(e, RateLimited):
            response.headers["Retry-After"] = str(e.retry_after)
        return response

    @app.exception_handler(OverflowError)
    @app.exception_handler(UnicodeError)
    @app.exception_handler(DataError)
    async def out_of_range(request: Request, e: Exception) -> Response:
        log.info("refused a value out of range: %s", type(e).__name__)  # never the value
        if any(_beyond_64_bits(v) for v in request.path_params.values()):  # no such record can exist
            return _error(
                404, RecordNotFound.code, "no such record: ids are integers from 1 to 2^63 - 1", request
            )
        return _error(422, MalformedInput.code, OUT_OF_RANGE, request)

    @app.exception_handler(StatementError)
    async def statement_error(request: Request, e: StatementError) -> Response:
        # SQLite raises OverflowError for an integer past 64 bits; SQLAlchemy wraps it
        if isinstance(e.orig, OverflowError | UnicodeError):
            return await out_of_range(request, e)
        raise e

    @app.exception_handler(ValidationError)
    async def invalid_model(request: Request, e: ValidationError) -> Response:
        # A form the console built into an API model: name the field, never echo the value.
        return _error(422, MalformedInput.code, _details(e.errors()), request)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, e: RequestValidationError) -> Response:
        errors = e.errors()
        if any(err.get("type") == "json_invalid" for err in errors):
            return _error(400, MalformedInput.code, "the body is not valid JSON; send a JSON object", request)
        # Name the field and the problem, never echo the input (it may be a customer's message).
        detail = _details(errors)
        empty = all(err.get("type") == "empty_text" for err in errors)
        return _error(422, EmptyText.code if empty else MalformedInput.code, detail, request)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, e: StarletteHTTPException) -> Response:
        if e.status_code in (404, 405) and is_console(request):
            detail = (
                "there is no such page" if e.status_code == 404 else "this page does not take that method"
            )
            return _error(e.status_code, UnknownEndpoint.code, detail, request)
        if e.status_code in (404, 405):
            detail = "no such endpoint" if e.status_code == 404 else "this endpoint does not take that method"
            response = _error(
                e.status_code, UnknownEndpoint.code, f"{detail}; the API is described at /openapi.json"
            )
            if e.status_code == 405:  # name every method the path takes (routes are one per method)
                response.headers["Allow"] = _allowed(app, request.url.path) or (e.headers or {}).get(
                    "Allow", ""
                )
            return response
        if e.status_code == 413 or isinstance(e.__cause__, TooLarge):  # chunked past a limit, too
            limit = request.scope.get("starlette.max_body_size") or settings.max_body_bytes
            return _error(
                413,
                TooLarge.code,
                f"the request body is over {limit:,} bytes for this endpoint; send less",
                request,
            )
        if isinstance(e.__cause__, RecursionError):
            return _error(
                400, MalformedInput.code, "the JSON is nested too deeply; send a flat object as the API describes",
                request,
            )  # fmt: skip
        if e.status_code == 400:  # the body could not be read at all (not UTF-8, for one)
            return _error(
                400,
                MalformedInput.code,
                "the body cannot be read; send a JSON object encoded as UTF-8",
                request,
            )
        return _error(e.status_code, f"H{e.status_code}", str(e.detail), request)

    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(Unexpected)  # outermost but one: nothing reaches uvicorn's own error log
    app.add_middleware(SecurityHeaders)
    return app
