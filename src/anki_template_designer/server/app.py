"""The designer's web application: the JSON API under ``/api`` and the browser UI."""

from __future__ import annotations

from fastapi import FastAPI
from pydantic import BaseModel

from .. import __version__
from ..perf import install_metrics
from ..perf.monitor import install_monitor
from ..store.perf_history import PerfHistory
from ..store.workspace import Workspace
from . import (
    routes_anki,
    routes_draft,
    routes_gallery,
    routes_history,
    routes_lint,
    routes_notetypes,
    routes_perf,
    routes_preview,
    routes_transfer,
)
from .caching import install_caches
from .deps import SettingsDep, WorkspaceDep, write_lock_for
from .media_cache import MediaByRevision
from .problems import install_problem_handlers
from .scheduling import install_work
from .security import SameOriginGuard
from .settings import Settings
from .static_ui import install_static_ui


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
        # Served from the package by install_static_ui: no CDN, so the docs work offline.
        docs_url=None,
        redoc_url=None,
    )
    app.state.workspace = workspace
    app.state.settings = settings
    app.state.media_cache = MediaByRevision()
    app.state.write_lock = write_lock_for(workspace)
    install_problem_handlers(app)
    app.add_middleware(SameOriginGuard, settings=settings)
    # Outermost of ours, so request latencies include the guards.
    metrics = install_metrics(app)
    # Previews, lint and exports run on its workers, by priority, coalesced and cancellable.
    install_work(app, settings, metrics)
    # Live latency windows, budgets and minute history for the Performance page.
    install_monitor(app, metrics, PerfHistory(workspace))
    install_caches(app, workspace, settings)  # parses, previews, disk; /api/perf/caches
    for module in (
        routes_notetypes,
        routes_history,
        routes_preview,
        routes_transfer,
        routes_anki,
        routes_gallery,
        routes_lint,
        routes_draft,
        routes_perf,
    ):
        app.include_router(module.router)

    @app.get("/api/info", tags=["server"], summary="About this server")
    def info(workspace: WorkspaceDep, settings: SettingsDep) -> InfoDoc:
        """The version, the workspace's database (password hidden) and the upload limit."""
        return InfoDoc(
            version=__version__,
            workspace=workspace.url,
            max_upload_bytes=settings.max_upload_bytes,
        )

    install_static_ui(app)
    return app
