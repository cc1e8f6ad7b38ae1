"""Where a workspace lives: a folder holding its SQLite file, or a database URL."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
from sqlalchemy import URL

from .errors import StoreError

DATABASE_FILE = "workspace.sqlite3"
DATABASE_URL_ENV = "ATD_DATABASE_URL"
APP_NAME = "anki-template-designer"


def default_folder() -> Path:
    """The workspace folder used when none is given: the user data folder."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def database_url(location: str | os.PathLike[str] | None = None) -> str:
    """The database URL for a folder, a URL, or None (``ATD_DATABASE_URL``, else the default)."""
    if location is None:
        location = os.environ.get(DATABASE_URL_ENV) or default_folder()
    text = os.fspath(location)
    if "://" in text or text.startswith("sqlite:"):
        return text
    folder = Path(text).expanduser()
    if folder.exists() and not folder.is_dir():
        raise StoreError(
            f"workspace {folder} is a file; pass the folder that holds {DATABASE_FILE}"
        )
    folder.mkdir(parents=True, exist_ok=True)
    url = URL.create("sqlite", database=str(folder.resolve() / DATABASE_FILE))
    return url.render_as_string(hide_password=False)
