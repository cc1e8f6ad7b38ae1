"""The designer's browser UI and the API docs page, served from the package's static folder.

``frontend/`` is built into ``static/`` (``scripts/build-frontend``, or the wheel's build hook),
so an installed package serves the UI without Node. Swagger UI's assets ship there too: the
designer works offline, and ``/docs`` must not depend on a CDN.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.types import Scope

STATIC_DIR = Path(__file__).parent / "static"

_NOT_BUILT_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Anki Template Designer</title></head>
<body>
<h1>Anki Template Designer</h1>
<p>The designer's user interface has not been built into this installation
(<code>{path}</code> is missing). From a source checkout run
<code>scripts/build-frontend</code> (needs Node 20 and npm), then reload this page.
The API is running: see <a href="/openapi.json">/openapi.json</a>.</p>
</body>
</html>
"""


class _HashedAssets(StaticFiles):
    """Build output whose names carry a content hash: cache forever."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response


def install_static_ui(app: FastAPI, static_dir: Path = STATIC_DIR) -> None:
    """Serve ``/`` (the designer), ``/assets/*``, and ``/docs`` (Swagger UI) from ``static_dir``."""
    index = static_dir / "index.html"
    assets = static_dir / "assets"
    swagger = static_dir / "swagger"
    if assets.is_dir():
        app.mount("/assets", _HashedAssets(directory=assets), name="assets")
    if swagger.is_dir():
        app.mount("/swagger", StaticFiles(directory=swagger), name="swagger")

    @app.get("/", include_in_schema=False, response_model=None)
    def designer() -> Response:
        if not index.is_file():
            return HTMLResponse(_NOT_BUILT_PAGE.format(path=index), status_code=503)
        # The page names hashed assets; it must be revalidated so a new build is picked up.
        return FileResponse(index, headers={"Cache-Control": "no-cache"})

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title=f"{app.title} — API",
            swagger_js_url="/swagger/swagger-ui-bundle.js",
            swagger_css_url="/swagger/swagger-ui.css",
            swagger_favicon_url="data:,",
        )
