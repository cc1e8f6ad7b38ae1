"""What routes receive by injection: the workspace and settings the app was created with."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ..store.workspace import Workspace
from .settings import Settings


def _workspace(request: Request) -> Workspace:
    workspace: Workspace = request.app.state.workspace
    return workspace


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


WorkspaceDep = Annotated[Workspace, Depends(_workspace)]
SettingsDep = Annotated[Settings, Depends(_settings)]
