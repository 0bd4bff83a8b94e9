"""The app uvicorn starts in each worker process, configured from ``HEARD_*`` variables."""

from __future__ import annotations

from fastapi import FastAPI

from heard.server.app import create_app
from heard.settings import Settings


def app_from_env() -> FastAPI:
    return create_app(Settings())
