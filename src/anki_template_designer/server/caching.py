"""The server's caches, made and wired in one place: parses, previews, the disk cache.

``install_caches`` registers them (so ``/api/perf/caches`` and ``/metrics`` list them),
switches them all off when the settings say so, and subscribes the preview caches to the
workspace's changes so a saved, renamed, restored or deleted note type's entries go.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import platformdirs
from fastapi import FastAPI
from sqlalchemy import URL

from ..perf.cache import CacheBudget, CacheRegistry
from ..perf.cache_alerts import CacheHealthMonitor
from ..perf.cache_routes import ContextValueMiddleware, install_cache_view
from ..perf.disk_cache import DiskCache
from ..perf.parse_cache import MAX_BYTES as PARSE_BYTES
from ..perf.parse_cache import MAX_ENTRIES as PARSE_ENTRIES
from ..perf.parse_cache import install_parse_cache
from ..store.workspace import Workspace
from .export_shelf import install_export_shelf
from .preview_cache import PreviewCaches, current_preview_caches
from .preview_degrade import install_last_good
from .preview_pages import card_entry_size
from .settings import Settings

logger = logging.getLogger(__name__)

DISK_CACHE_FILE = "cache.sqlite3"
DISK_CACHE = "disk"


def disk_cache_path(url: URL) -> Path:
    """Where the disk cache of the workspace at ``url`` lives (beside a SQLite workspace).

    A PostgreSQL workspace (or an in-memory one) has no folder of its own: its cache goes to
    the user cache folder, one file per database URL.
    """
    database = url.database or ""
    if url.get_backend_name() == "sqlite" and database and database != ":memory:":
        return Path(database).parent / DISK_CACHE_FILE
    named = url.render_as_string(hide_password=True)
    digest = hashlib.sha256(named.encode("utf-8")).hexdigest()[:16]
    folder = platformdirs.user_cache_path("anki-template-designer", appauthor=False)
    return folder / f"cache-{digest}.sqlite3"


def install_caches(app: FastAPI, workspace: Workspace, settings: Settings) -> CacheRegistry:
    """Make the server's caches, on or off as ``settings.cache_enabled`` says."""
    registry = CacheRegistry(enabled=settings.cache_enabled)
    budget = CacheBudget(settings.cache_mb)
    entries, nbytes = budget.scaled(PARSE_ENTRIES, PARSE_BYTES)
    app.state.parse_cache = install_parse_cache(registry, max_entries=entries, max_bytes=nbytes)
    previews = PreviewCaches(registry, card_entry_size, budget)
    install_last_good(app, budget)
    disk = registry.add(DiskCache(disk_cache_path(workspace.engine.url), name=DISK_CACHE))
    workspace.add_change_listener(previews.notetype_changed)
    install_export_shelf(app, workspace, registry, budget)  # downloads kept and built ahead
    app.state.preview_caches = previews
    app.state.disk_cache = disk
    app.add_middleware(ContextValueMiddleware, variable=current_preview_caches, value=previews)
    install_cache_view(app, registry)
    monitor = getattr(app.state, "perf", None)
    if monitor is not None:  # a thrashing cache alerts (and logs) like a crossed budget
        monitor.caches = CacheHealthMonitor(registry)
    if not settings.cache_enabled:
        logger.info("caches are off (ATD_CACHE=off or --no-cache): every request recomputes")
    return registry
