"""The workspace store: note types, samples, media and revisions in SQLite or PostgreSQL."""

from .errors import (
    Conflict,
    DuplicateName,
    InvalidContent,
    InvalidName,
    NotFound,
    StoreError,
)
from .records import NoteTypeSummary, Revision, RevisionContent
from .workspace import DATABASE_URL_ENV, Workspace, database_url, default_folder

__all__ = [
    "DATABASE_URL_ENV",
    "Conflict",
    "DuplicateName",
    "InvalidContent",
    "InvalidName",
    "NotFound",
    "NoteTypeSummary",
    "Revision",
    "RevisionContent",
    "StoreError",
    "Workspace",
    "database_url",
    "default_folder",
]
