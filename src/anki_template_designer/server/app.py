"""The designer's web application: the JSON API under ``/api`` and, for now, a holding page."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from .. import __version__
from ..store.workspace import Workspace
from . import routes_history, routes_notetypes, routes_preview, routes_transfer
from .deps import SettingsDep, WorkspaceDep, write_lock_for
from .media_cache import MediaByRevision
from .problems import install_problem_handlers
from .security import SameOriginGuard
from .settings import Settings

_HOLDING_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Anki Template Designer</title></head>
<body>
<h1>Anki Template Designer</h1>
<p>The designer's user interface is coming. The server and its API are running:
see the <a href="/docs">API documentation</a> (machine-readable at
<a href="/openapi.json">/openapi.json</a>).</p>
</body>
</html>
"""


class InfoDoc(BaseModel):
    """What this server is and which workspace it serves."""

    version: str
    workspace: str
    max_upload_bytes: int


def create_app(workspace: Workspace, settings: Settings) -> FastAPI:
    """The application serving ``workspace``; the caller opens and closes the workspace."""
    app = FastAPI(
        title="Anki Template Designer",
        version=__version__,
        summary="Design and preview Anki note types; rendering matches Anki 26.9.",
    )
    app.state.workspace = workspace
    app.state.settings = settings
    app.state.media_cache = MediaByRevision()
    app.state.write_lock = write_lock_for(workspace)
    install_problem_handlers(app)
    app.add_middleware(SameOriginGuard, settings=settings)
    for module in (routes_notetypes, routes_history, routes_preview, routes_transfer):
        app.include_router(module.router)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> str:
        return _HOLDING_PAGE

    @app.get("/api/info", tags=["server"], summary="About this server")
    def info(workspace: WorkspaceDep, settings: SettingsDep) -> InfoDoc:
        """The version, the workspace's database (password hidden) and the upload limit."""
        return InfoDoc(
            version=__version__,
            workspace=workspace.url,
            max_upload_bytes=settings.max_upload_bytes,
        )

    return app
