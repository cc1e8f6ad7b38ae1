"""What routes receive by injection (async, so FastAPI resolves them without a thread hop)."""

from __future__ import annotations

import contextlib
from contextlib import AbstractContextManager
from typing import Annotated, Any

from fastapi import Depends, Request

from ..store.workspace import Workspace
from .media_cache import MediaByRevision
from .settings import Settings


async def _workspace(request: Request) -> Workspace:
    workspace: Workspace = request.app.state.workspace
    return workspace


async def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def write_lock_for(workspace: Workspace) -> AbstractContextManager[Any]:
    """What write routes may hold while writing: nothing any more.

    The workspace lets its SQLite writers take turns itself, around the transaction only,
    so that checking and converting a save (most of its work) happens outside the turn.
    Kept so that routes written against it keep working; new routes need not take it.
    """
    del workspace  # the workspace serialises its own writers
    return contextlib.nullcontext()


async def _write_lock(request: Request) -> AbstractContextManager[Any]:
    lock: AbstractContextManager[Any] = request.app.state.write_lock
    return lock


async def _media_cache(request: Request) -> MediaByRevision:
    cache: MediaByRevision = request.app.state.media_cache
    return cache


WorkspaceDep = Annotated[Workspace, Depends(_workspace)]
SettingsDep = Annotated[Settings, Depends(_settings)]
MediaCacheDep = Annotated[MediaByRevision, Depends(_media_cache)]
WriteLockDep = Annotated[AbstractContextManager[Any], Depends(_write_lock)]
