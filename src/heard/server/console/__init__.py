"""The web console (DESIGN.md layer 7): server-rendered pages over the API's own functions.

Templates are in ``heard/server/templates`` (partials start with ``_``), the stylesheet and
the small script in ``heard/server/static``; nothing is fetched from the internet.
"""

from __future__ import annotations

from fastapi import APIRouter


def console_router() -> APIRouter:
    from heard.server.console import admin, agent, lead, practice, sign_in

    router = APIRouter(include_in_schema=False)
    for module in (sign_in, agent, lead, practice, admin):
        router.include_router(module.router)
    return router
