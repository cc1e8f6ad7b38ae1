"""A workspace: the database of note types, their samples, media and revision history.

``Workspace.open()`` takes a folder (the database is ``workspace.sqlite3`` in it)
or a database URL (``postgresql+psycopg://…``); with no argument it uses
``ATD_DATABASE_URL`` or, failing that, the user data folder. Opening runs the
migrations. Every method is one transaction; every change is a revision.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from datetime import datetime, timedelta
from types import MappingProxyType

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from ..core.model import Note, NoteType, NoteTypeKind
from ..formats.bundle import NoteTypeBundle
from . import editing, migrate, repository, rules, saving
from .diffing import diff_bundles
from .engine import create_store_engine

# Re-exported: callers found these here before they moved to .location.
from .location import DATABASE_FILE, DATABASE_URL_ENV, database_url, default_folder
from .records import NoteTypeSummary, Revision, RevisionContent
from .snapshot import bundle_from_snapshot
from .tables import MetaRow, NoteTypeRow, RevisionRow
from .transactions import EDIT_SUMMARY, FOLD_EDITS, Transactions, not_found, utc_now

__all__ = [
    "DATABASE_FILE",
    "DATABASE_URL_ENV",
    "EDIT_SUMMARY",
    "FOLD_EDITS",
    "Workspace",
    "database_url",
    "default_folder",
]


class Workspace(Transactions):
    """Note types with samples, media and history, in SQLite or PostgreSQL."""

    @classmethod
    def open(
        cls,
        location: str | os.PathLike[str] | None = None,
        *,
        fold_edits: timedelta = FOLD_EDITS,
        clock: Callable[[], datetime] = utc_now,
    ) -> Workspace:
        """Open (creating and migrating as needed) the workspace at a folder or database URL.

        ``fold_edits`` and ``clock`` are as for the constructor: how long editor saves fold
        into one revision, and where the store reads the time.
        """
        engine = create_store_engine(database_url(location))
        try:
            migrate.upgrade(engine)
            workspace = cls(engine, fold_edits=fold_edits, clock=clock)
            with workspace._write() as session:
                repository.ensure_meta(session)
        except BaseException:
            engine.dispose()
            raise
        return workspace

    def meta(self) -> dict[str, str]:
        """Workspace facts: ``workspace_id`` (stable across moves) and ``created_at``."""
        with self._read() as session:
            return {row.key: row.value for row in session.scalars(select(MetaRow))}

    # Note types

    def save_notetype(
        self,
        bundle: NoteTypeBundle,
        author: str,
        *,
        notetype_id: str | None = None,
        expected_revision: int | None = None,
        summary: str = "save",
    ) -> Revision:
        """Save ``bundle`` as a new revision; identical content returns the current revision.

        With ``notetype_id`` the note type with that id is updated (and may be renamed);
        without it, the one with the bundle's name, or a new one. ``expected_revision``
        is the revision the caller edited: if another save came since, Conflict.
        """
        draft = saving.prepare(bundle)
        key, by_id = (bundle.notetype.name, False) if notetype_id is None else (notetype_id, True)
        with self._write() as session:
            connection = session.connection()
            head = saving.find_head(connection, key, lock=True, by_id=by_id)
            if head is None and notetype_id is not None:
                raise not_found(notetype_id)
            rules.check_expected(head, expected_revision, bundle.notetype.name)
            revision, state = saving.write(
                connection,
                draft,
                self._stored(connection, head),
                author=author,
                summary=summary,
                now=self._clock(),
            )
        self._states.remember(state)
        return revision

    def save_edit(
        self,
        notetype_id: str,
        notetype: NoteType,
        samples: Sequence[Note],
        author: str,
        *,
        expected_revision: int,
    ) -> Revision:
        """The editor's autosave: note type and samples; media stay as they are.

        Conflict unless ``expected_revision`` is current. Consecutive edits by one author
        within ``fold_edits`` of the first fold into one revision (each still gets a new
        revision id, which the next save must expect). Unchanged content writes nothing.
        """
        edit = self.submit_edit(
            notetype_id, notetype, samples, author, expected_revision=expected_revision
        )
        return edit.result()

    def submit_edit(
        self,
        notetype_id: str,
        notetype: NoteType,
        samples: Sequence[Note],
        author: str,
        *,
        expected_revision: int,
    ) -> Future[Revision]:
        """:meth:`save_edit` without waiting: the save, committed with whatever else is queued.

        The content is checked at once (InvalidName, InvalidContent, DuplicateName raise
        here); NotFound and Conflict come through the future.
        """
        bundle = NoteTypeBundle(notetype, tuple(samples), MappingProxyType({}))
        draft = saving.prepare(bundle, keep_media=True)

        def job(connection: Connection) -> tuple[Revision, Callable[[], None]]:
            head = saving.find_head(connection, notetype_id, lock=True)
            if head is None:
                raise not_found(notetype_id)
            rules.check_expected(head, expected_revision, notetype.name)
            revision, state = saving.write(
                connection,
                draft,
                self._stored(connection, head),
                author=author,
                summary=EDIT_SUMMARY,
                now=self._clock(),
                fold=self.fold_edits,
            )
            return revision, functools.partial(self._states.remember, state)

        return self._edits.submit(job)

    def create_notetype(self, bundle: NoteTypeBundle, author: str) -> Revision:
        """Add a new note type; DuplicateName if the name is taken."""
        draft = saving.prepare(bundle)
        with self._write() as session:
            revision, state = saving.write(
                session.connection(),
                draft,
                None,
                author=author,
                summary="create",
                now=self._clock(),
            )
        self._states.remember(state)
        return revision

    def import_bundles(
        self, bundles: Iterable[NoteTypeBundle], author: str, *, summary: str = "import"
    ) -> list[Revision]:
        """Save several bundles in one transaction, each updating the note type of its name."""
        drafts = [saving.prepare(bundle) for bundle in bundles]
        # Lock rows in name order: two concurrent imports then cannot deadlock on PostgreSQL.
        order = sorted(range(len(drafts)), key=lambda index: drafts[index].columns["name"])
        revisions: dict[int, Revision] = {}
        states: list[saving.Stored] = []
        with self._write() as session:
            connection = session.connection()
            now = self._clock()
            for index in order:
                draft = drafts[index]
                name = draft.columns["name"]
                head = saving.find_head(connection, name, lock=True, by_id=False)
                revisions[index], state = saving.write(
                    connection,
                    draft,
                    self._stored(connection, head),
                    author=author,
                    summary=summary,
                    now=now,
                )
                states.append(state)
        for state in states:
            self._states.remember(state)
        return [revisions[index] for index in range(len(drafts))]

    def get_notetype(self, name_or_id: str) -> NoteTypeBundle:
        """The current note type, samples and media, by stable id or exact name."""
        with self._read() as session:
            return repository.load_bundle(session, repository.find_notetype(session, name_or_id))

    def notetype_with_summary(self, name_or_id: str) -> tuple[NoteTypeSummary, NoteTypeBundle]:
        """:meth:`notetype_summary` and :meth:`get_notetype` together, read at one moment.

        One transaction and about half the statements of the two calls (the editor opens a
        note type this way); the summary's names come from the bundle read.
        """
        with self._read() as session:
            row = repository.find_notetype(session, name_or_id)
            bundle = repository.load_bundle(session, row)
        notetype = bundle.notetype
        summary = NoteTypeSummary(
            id=row.id,
            name=row.name,
            kind=NoteTypeKind(row.kind),
            current_revision=row.current_revision,
            field_names=tuple(f.name for f in notetype.fields),
            card_type_names=tuple(t.name for t in notetype.templates),
            created_at=row.created_at,
            updated_at=row.updated_at,
        )
        return summary, bundle

    def notetype_summary(self, name_or_id: str) -> NoteTypeSummary:
        """One note type's library entry (id, current revision, field and card type names)."""
        with self._read() as session:
            row = repository.find_notetype(session, name_or_id)
            return repository.summaries(session, [row])[0]

    def list_notetypes(self, search: str = "") -> list[NoteTypeSummary]:
        """Note types whose name contains ``search`` (ignoring case), sorted by name."""
        needle = search.casefold()
        return [summary for summary in self.library() if needle in summary.name.casefold()]

    def library(self) -> tuple[NoteTypeSummary, ...]:
        """Every note type's library entry, sorted by name: the same tuple while none changed."""
        with self._read() as session:
            return self._library.listing(session.connection())

    def delete_notetype(self, name_or_id: str, *, expected_revision: int | None = None) -> None:
        """Delete a note type and its whole history; media nothing else uses go too."""
        with self._write() as session:
            head = self._head(session, name_or_id)
            rules.check_expected(head, expected_revision, head.name)
            repository.delete_notetype(session, head.id)
        self._states.forget(head.id)

    # History

    def revisions(self, name_or_id: str) -> list[Revision]:
        """Every revision of a note type, newest first."""
        with self._read() as session:
            row = repository.find_notetype(session, name_or_id)
            query = (
                select(RevisionRow)
                .where(RevisionRow.notetype_id == row.id)
                .order_by(RevisionRow.id.desc())
            )
            return [repository.revision_record(r) for r in session.scalars(query)]

    def get_revision(self, revision_id: int) -> RevisionContent:
        """A revision and the note type, samples and media it saved."""
        with self._read() as session:
            return self._revision_content(session, revision_id)

    def _revision_content(self, session: Session, revision_id: int) -> RevisionContent:
        row = repository.find_revision(session, revision_id)
        blobs = repository.blobs(session, row.snapshot["media"].values())
        return RevisionContent(
            repository.revision_record(row), bundle_from_snapshot(row.snapshot, blobs)
        )

    def diff_revision(self, revision_id: int) -> str:
        """A unified diff from a revision to the current state, file by file; "" if the same."""
        with self._read() as session:
            old = self._revision_content(session, revision_id)
            row = repository.find_notetype(session, old.revision.notetype_id)
            current = repository.load_bundle(session, row)
        return diff_bundles(
            old.bundle, current, f"revision-{revision_id}", f"revision-{row.current_revision}"
        )

    def restore_revision(
        self, revision_id: int, author: str, *, expected_revision: int | None = None
    ) -> Revision:
        """Make a revision's content current again, as a new revision (none if already current)."""
        with self._write() as session:
            old = self._revision_content(session, revision_id)
            head = self._head(session, old.revision.notetype_id)
            rules.check_expected(head, expected_revision, head.name)
            summary = f"restore revision {revision_id}"
            revision, state = self._save_over(session, head, old.bundle, author, summary)
        self._states.remember(state)
        return revision

    # Edits that touch templates

    def rename_field(
        self,
        name_or_id: str,
        old: str,
        new: str,
        *,
        author: str,
        expected_revision: int | None = None,
    ) -> Revision:
        """Rename a field and every reference to it in templates and sample notes."""
        return self._rename(
            name_or_id, editing.rename_field, "field", old, new, author, expected_revision
        )

    def rename_card_type(
        self,
        name_or_id: str,
        old: str,
        new: str,
        *,
        author: str,
        expected_revision: int | None = None,
    ) -> Revision:
        """Rename a card type (templates refer to card types only through ``{{Card}}``)."""
        return self._rename(
            name_or_id, editing.rename_card_type, "card type", old, new, author, expected_revision
        )

    def _rename(
        self,
        name_or_id: str,
        rename: Callable[[NoteTypeBundle, str, str], NoteTypeBundle],
        what: str,
        old: str,
        new: str,
        author: str,
        expected_revision: int | None,
    ) -> Revision:
        with self._write() as session:
            head = self._head(session, name_or_id)
            rules.check_expected(head, expected_revision, head.name)
            row = session.get(NoteTypeRow, head.id, populate_existing=True)
            assert row is not None  # locked above
            bundle = rename(repository.load_bundle(session, row), old, new)
            summary = f"rename {what} {old!r} to {new!r}"
            revision, state = self._save_over(session, head, bundle, author, summary)
        self._states.remember(state)
        return revision

    def _save_over(
        self, session: Session, head: saving.Head, bundle: NoteTypeBundle, author: str, summary: str
    ) -> tuple[Revision, saving.Stored]:
        # The caller remembers the state only once committed: SQLite may hand a rolled-back
        # revision id to the next save, and a remembered uncommitted state would then match.
        connection = session.connection()
        stored = self._stored(connection, head)
        return saving.write(
            connection,
            saving.prepare(bundle),
            stored,
            author=author,
            summary=summary,
            now=self._clock(),
        )
