"""The workspace store: note types, samples, media and revisions in SQLite or PostgreSQL."""

from .errors import (
    Conflict,
    DuplicateName,
    InvalidContent,
    InvalidName,
    NotFound,
    StoreError,
)
from .location import DATABASE_URL_ENV, database_url, default_folder
from .records import NoteTypeSummary, Revision, RevisionContent
from .workspace import Workspace

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
