"""The designer's local web server: a JSON API over a workspace (FastAPI, served by uvicorn)."""

from .app import create_app
from .settings import Settings, SettingsError, load_settings

__all__ = ["Settings", "SettingsError", "create_app", "load_settings"]
