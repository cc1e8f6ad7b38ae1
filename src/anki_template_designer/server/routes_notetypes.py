"""The library and the editor's saves: list, create, get, save, delete, rename."""

from __future__ import annotations

import asyncio
import threading
from typing import Annotated

import pydantic_core
from fastapi import APIRouter, Query, Request, Response, status
from pydantic import BaseModel, Field

from ..perf import NOT_MODIFIED_DOC, conditional_json
from ..perf.http_cache import conditional_response
from ..services.starters import blank_bundle
from ..store.records import NoteTypeSummary
from ..store.workspace import Workspace
from .deps import SettingsDep, WorkspaceDep
from .schemas import (
    Body,
    ContentDoc,
    Kind,
    NoteTypeDoc,
    NoteTypeDocument,
    SampleDoc,
    SummaryDoc,
)

router = APIRouter(prefix="/api/notetypes", tags=["note types"])


class CreateRequest(Body):
    """A new note type shaped like Anki's stock Basic (standard) or Cloze."""

    name: str = Field(min_length=1)
    kind: Kind = Kind.standard


class SaveRequest(Body):
    """A save: the revision the edit started from, and the whole edited note type."""

    expected_revision: int
    notetype: NoteTypeDoc
    samples: list[SampleDoc] = Field(default_factory=list)


class SavedDoc(BaseModel):
    """Where a save landed: pass ``revision`` as ``expected_revision`` next time."""

    id: str
    revision: int


class RenameRequest(Body):
    """Rename a field or card type; templates (and samples) follow, as in Anki."""

    old: str
    new: str
    expected_revision: int | None = None


def document(workspace: Workspace, notetype_id: str) -> NoteTypeDocument:
    """The current note type with samples, media list, id and revision."""
    summary, bundle = workspace.notetype_with_summary(notetype_id)
    content = ContentDoc.of(bundle)
    return NoteTypeDocument(id=summary.id, revision=summary.current_revision, **dict(content))


@router.get(
    "", summary="List note types", response_model=list[SummaryDoc], responses=NOT_MODIFIED_DOC
)
def list_notetypes(
    request: Request,
    workspace: WorkspaceDep,
    settings: SettingsDep,
    search: Annotated[str, Query(description="part of the name, any case")] = "",
) -> Response:
    """Note types whose name contains ``search`` (ignoring case), sorted by name.

    Carries an ``ETag``; send it back as ``If-None-Match`` to get a 304 while unchanged.
    """
    listing = workspace.library()
    if not settings.cache_enabled:
        return conditional_json(request, _library_doc(listing, search))
    bodies: LibraryBodies | None = getattr(request.app.state, "library_bodies", None)
    if bodies is None:
        bodies = request.app.state.library_bodies = LibraryBodies()
    body = bodies.get(listing, search)
    return conditional_response(request, body, "application/json")


def _library_doc(listing: tuple[NoteTypeSummary, ...], search: str) -> list[SummaryDoc]:
    needle = search.casefold()
    return [SummaryDoc.of(s) for s in listing if needle in s.name.casefold()]


class LibraryBodies:
    """The library's JSON per search, for as long as the workspace hands the same listing.

    Building 500 summaries' documents and their JSON cost more than the listing itself
    once the store kept it; a revalidation (304) then needs only the body's hash.
    """

    SEARCHES = 32

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listing: tuple[NoteTypeSummary, ...] | None = None
        self._bodies: dict[str, bytes] = {}

    def get(self, listing: tuple[NoteTypeSummary, ...], search: str) -> bytes:
        """The JSON of ``listing`` filtered by ``search``, made once per listing and search."""
        with self._lock:
            if listing is self._listing and search in self._bodies:
                return self._bodies[search]
        body = pydantic_core.to_json(_library_doc(listing, search), by_alias=True)
        with self._lock:
            if listing is not self._listing:
                self._listing, self._bodies = listing, {}
            if len(self._bodies) >= self.SEARCHES:
                self._bodies.clear()
            self._bodies[search] = body
        return body


@router.post("", status_code=status.HTTP_201_CREATED, summary="Create a blank note type")
def create_notetype(
    body: CreateRequest, workspace: WorkspaceDep, settings: SettingsDep
) -> NoteTypeDocument:
    """Create a note type from the built-in Basic or Cloze; 409 if the name is taken."""
    revision = workspace.create_notetype(
        blank_bundle(body.name, body.kind.model_kind()), settings.author
    )
    return document(workspace, revision.notetype_id)


@router.get(
    "/{notetype_id}",
    summary="Get a note type",
    response_model=NoteTypeDocument,
    responses=NOT_MODIFIED_DOC,
)
def get_notetype(notetype_id: str, request: Request, workspace: WorkspaceDep) -> Response:
    """The note type (by id or exact name), its samples, media list and current revision.

    Carries an ``ETag``; send it back as ``If-None-Match`` to get a 304 while unchanged.
    """
    return conditional_json(request, document(workspace, notetype_id))


# Async: the save is queued for the workspace's writer thread, which commits whatever saves
# are waiting together; awaiting it holds no worker thread, and checking the body is brief.
@router.put("/{notetype_id}", summary="Save a note type")
async def save_notetype(
    notetype_id: str,
    body: SaveRequest,
    workspace: WorkspaceDep,
    settings: SettingsDep,
) -> SavedDoc:
    """Save; 409 with ``current_revision`` if someone saved since ``expected_revision``.

    Media are uploaded on their own: a save keeps the note type's media. Saves by one
    author in quick succession fold into one revision of the history, but each answers a
    new ``revision`` to pass next time. Unchanged content keeps the current revision.
    """
    notetype = body.notetype.to_model()
    samples = [s.to_model() for s in body.samples]
    edit = workspace.submit_edit(
        notetype_id,
        notetype,
        samples,
        settings.author,
        expected_revision=body.expected_revision,
    )
    revision = await asyncio.wrap_future(edit)
    return SavedDoc(id=revision.notetype_id, revision=revision.id)


@router.delete(
    "/{notetype_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete a note type"
)
def delete_notetype(
    notetype_id: str,
    workspace: WorkspaceDep,
    expected_revision: Annotated[
        int | None, Query(description="refuse (409) if it changed since")
    ] = None,
) -> Response:
    """Delete the note type with its whole history."""
    workspace.delete_notetype(notetype_id, expected_revision=expected_revision)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{notetype_id}/fields/rename", summary="Rename a field")
def rename_field(
    notetype_id: str,
    body: RenameRequest,
    workspace: WorkspaceDep,
    settings: SettingsDep,
) -> NoteTypeDocument:
    """Rename a field; every template reference and sample note follows."""
    revision = workspace.rename_field(
        notetype_id,
        body.old,
        body.new,
        author=settings.author,
        expected_revision=body.expected_revision,
    )
    return document(workspace, revision.notetype_id)


@router.post("/{notetype_id}/card-types/rename", summary="Rename a card type")
def rename_card_type(
    notetype_id: str,
    body: RenameRequest,
    workspace: WorkspaceDep,
    settings: SettingsDep,
) -> NoteTypeDocument:
    """Rename a card type."""
    revision = workspace.rename_card_type(
        notetype_id,
        body.old,
        body.new,
        author=settings.author,
        expected_revision=body.expected_revision,
    )
    return document(workspace, revision.notetype_id)
