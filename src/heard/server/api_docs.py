"""``/docs``: Swagger UI served from the installed ``fastapi-offline`` package (no CDN), so the
docs work offline and under the console's Content-Security-Policy (no inline script).

``fastapi-offline`` carries Swagger UI 5, which reads the OpenAPI 3.1 that FastAPI writes
(``swagger-ui-bundle`` carries 4.15, which refuses it); only its static files are used."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} · API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
<link rel="icon" href="/static/favicon.svg">
</head>
<body>
<div id="swagger-ui" data-openapi="/openapi.json"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/static/api-docs.js"></script>
</body>
</html>
"""


def add_api_docs(app: FastAPI) -> None:
    """Mount Swagger UI's files at ``/docs/assets`` and its page at ``/docs``."""
    import importlib.resources

    router = APIRouter(include_in_schema=False)

    @router.get("/docs", response_class=HTMLResponse)
    def docs() -> HTMLResponse:
        return HTMLResponse(PAGE.format(title=app.title))

    app.include_router(router)
    assets = importlib.resources.files("fastapi_offline") / "static"
    app.mount("/docs/assets", StaticFiles(directory=str(assets)), name="docs-assets")
