"""The plumbing under :class:`~.workspace.Workspace`: sessions, write transactions, state.

Write transactions on one SQLite database take turns on an in-process lock before asking
SQLite: a writer that finds the database locked polls with sleeps of up to 100 ms (busy
timeout), which under a stream of autosaves costs far more than a queue here. PostgreSQL
writers need no such lock; rows they change are locked by the statements themselves.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, Self

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from . import saving
from .engine import WRITE
from .errors import NotFound, changed_meanwhile
from .library import LibraryIndex
from .state_cache import StateCache
from .write_queue import WriteQueue

EDIT_SUMMARY = "edit"
# Long enough to fold a burst of typing, short enough that history keeps each pause.
FOLD_EDITS = timedelta(seconds=20)


def utc_now() -> datetime:
    """The current time, in UTC."""
    return datetime.now(UTC)


def not_found(name_or_id: str) -> NotFound:
    """The error for a note type that is not in the workspace."""
    return NotFound(f"no note type {name_or_id!r} in this workspace; check the name or id")


class Transactions:
    """A database engine with read and write transactions, and what saves left behind."""

    def __init__(
        self,
        engine: Engine,
        *,
        fold_edits: timedelta = FOLD_EDITS,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.engine = engine
        self.fold_edits = fold_edits
        """How long after a burst's first editor save later ones still fold into its revision."""
        self._clock = clock
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._states = StateCache()
        self._library = LibraryIndex()
        self._states.add_listener(self._library.changed)
        self._writers: AbstractContextManager[Any] = (
            threading.Lock() if engine.dialect.name == "sqlite" else contextlib.nullcontext()
        )
        self._write_engine = engine.execution_options(**WRITE)
        self._edits = WriteQueue(self._write_core)

    def add_change_listener(self, listener: Callable[[str], None]) -> None:
        """Call ``listener(notetype_id)`` after every committed change to a note type.

        Saves, edits, renames, restores, imports and deletes; only this process's writes (a
        listener must not rely on it alone for correctness: another process may write).
        """
        self._states.add_listener(listener)

    def close(self) -> None:
        """Finish queued saves, then release every database connection."""
        self._edits.close()
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def url(self) -> str:
        """The database URL, password hidden (fit for logs and messages)."""
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def _write(self) -> Iterator[Session]:
        try:
            with self._writers, self._sessions() as session, session.begin():
                session.connection(execution_options=WRITE)
                yield session
        except IntegrityError as exc:
            raise changed_meanwhile(exc.orig) from None

    @contextmanager
    def _write_core(self) -> Iterator[Connection]:
        """Like :meth:`_write`, for SQLAlchemy Core only (no ORM session to set up)."""
        try:
            with self._writers, self._write_engine.begin() as connection:
                yield connection
        except IntegrityError as exc:
            raise changed_meanwhile(exc.orig) from None

    def _head(self, session: Session, name_or_id: str) -> saving.Head:
        """The locked head of an existing note type; NotFound if none."""
        head = saving.find_head(session.connection(), name_or_id, lock=True)
        if head is None:
            raise not_found(name_or_id)
        return head

    def _stored(self, connection: Connection, head: saving.Head | None) -> saving.Stored | None:
        """What ``head``'s note type holds: remembered if current, else read; None if new."""
        if head is None:
            return None
        return self._states.current(head) or saving.read_stored(connection, head)
