"""History: every saved revision of a note type, viewed, diffed against now, restored."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from ..perf import NOT_MODIFIED_DOC, conditional_json
from .deps import SettingsDep, WorkspaceDep
from .routes_notetypes import document
from .schemas import Body, ContentDoc, NoteTypeDocument, RevisionContentDoc, RevisionDoc

router = APIRouter(prefix="/api", tags=["history"])


class DiffDoc(BaseModel):
    """A unified diff from a revision to the current state, file by file ("" if the same)."""

    revision: int
    current_revision: int
    diff: str


class RestoreRequest(Body):
    """Restore a revision; ``expected_revision`` guards against overwriting a newer save."""

    expected_revision: int | None = None


@router.get(
    "/notetypes/{notetype_id}/revisions",
    summary="List revisions",
    response_model=list[RevisionDoc],
    responses=NOT_MODIFIED_DOC,
)
def list_revisions(notetype_id: str, request: Request, workspace: WorkspaceDep) -> Response:
    """Every revision of the note type, newest first (with an ``ETag``: 304 while unchanged)."""
    return conditional_json(request, [RevisionDoc.of(r) for r in workspace.revisions(notetype_id)])


@router.get(
    "/revisions/{revision_id}",
    summary="Get a revision",
    response_model=RevisionContentDoc,
    responses=NOT_MODIFIED_DOC,
)
def get_revision(revision_id: int, request: Request, workspace: WorkspaceDep) -> Response:
    """A revision and the note type, samples and media it saved (with an ``ETag``)."""
    content = workspace.get_revision(revision_id)
    saved = ContentDoc.of(content.bundle)
    doc = RevisionContentDoc(revision=RevisionDoc.of(content.revision), **dict(saved))
    return conditional_json(request, doc)


@router.get("/revisions/{revision_id}/diff", summary="Diff a revision against now")
def diff_revision(revision_id: int, workspace: WorkspaceDep) -> DiffDoc:
    """What changed from the revision to the note type's current state."""
    revision = workspace.get_revision(revision_id).revision
    diff = workspace.diff_revision(revision_id)
    current = workspace.notetype_summary(revision.notetype_id).current_revision
    return DiffDoc(revision=revision_id, current_revision=current, diff=diff)


@router.post("/revisions/{revision_id}/restore", summary="Restore a revision")
def restore_revision(
    revision_id: int,
    body: RestoreRequest,
    workspace: WorkspaceDep,
    settings: SettingsDep,
) -> NoteTypeDocument:
    """Make the revision's content current again, as a new revision."""
    revision = workspace.restore_revision(
        revision_id, settings.author, expected_revision=body.expected_revision
    )
    return document(workspace, revision.notetype_id)
