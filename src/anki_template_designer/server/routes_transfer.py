"""Files in and out: import an upload, export a download, a note type's media files."""

from __future__ import annotations

import mimetypes
import shutil
import tempfile
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import FileResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from ..formats.bundle import NoteTypeBundle
from ..formats.errors import FormatError
from ..perf import NOT_MODIFIED_DOC, conditional_response
from ..perf.work import Priority
from ..services.transfer import (
    IMPORT_SUFFIXES,
    ExportFormat,
    UnsupportedFile,
    read_upload,
)
from ..services.workspace_transfer import ImportOutcome, ImportStatus, import_bundles
from ..store.errors import NotFound
from ..store.names import check_media_name
from ..store.records import NoteTypeSummary
from ..store.workspace import Workspace
from .deps import MediaCacheDep, SettingsDep, WorkspaceDep, WriteLockDep
from .export_shelf import ExportShelf, build_download, export_key, without_folder
from .media_cache import MediaByRevision
from .scheduling import BUSY_DOC, exporter_of, work_of
from .schemas import SummaryDoc
from .security import save_body

router = APIRouter(prefix="/api", tags=["files"])

_RAW_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    }
}


class ImportedDoc(SummaryDoc):
    """A note type an import touched: ``created``, ``updated`` (a new revision) or ``unchanged``."""

    status: ImportStatus

    @classmethod
    def of_outcome(cls, outcome: ImportOutcome) -> ImportedDoc:
        """The document for one import outcome."""
        return cls(**SummaryDoc.of(outcome.summary).model_dump(), status=outcome.status)


class ImportResult(BaseModel):
    """The note types an import created, updated or found unchanged, in the source's order."""

    imported: list[ImportedDoc]


def _scratch() -> Path:
    return Path(tempfile.mkdtemp(prefix="atd-server-"))


@router.post("/import", summary="Import a file", openapi_extra=_RAW_BODY)
async def import_file(
    request: Request,
    workspace: WorkspaceDep,
    settings: SettingsDep,
    writes: WriteLockDep,
    filename: Annotated[
        str, Query(description="the uploaded file's name; its suffix says the format")
    ],
) -> ImportResult:
    """Import every note type of an .apkg/.colpkg, a CrowdAnki deck.json, or a zipped export.

    The request body is the file itself. Nothing is written unless the whole file reads.
    """
    name = Path(filename.replace("\\", "/")).name
    if not name.lower().endswith(IMPORT_SUFFIXES):
        raise UnsupportedFile(
            f"{filename!r}: cannot import this kind of file; "
            f"use one of {', '.join(IMPORT_SUFFIXES)}"
        )
    scratch = _scratch()
    try:
        upload = scratch / name
        limit = settings.max_upload_bytes
        await save_body(request.stream(), request.headers.get("content-length"), limit, upload)
        try:
            bundles = await run_in_threadpool(read_upload, upload)
        except FormatError as error:
            raise without_folder(error, scratch) from None
        if not bundles:
            raise UnsupportedFile(f"{name}: holds no note types; nothing was imported")
        imported = await run_in_threadpool(_import, workspace, writes, bundles, settings.author)
    finally:
        await run_in_threadpool(shutil.rmtree, scratch, True)
    return ImportResult(imported=imported)


def _import(
    workspace: Workspace,
    writes: AbstractContextManager[Any],
    bundles: list[NoteTypeBundle],
    author: str,
) -> list[ImportedDoc]:
    outcomes = import_bundles(workspace, bundles, author, writes=writes)
    return [ImportedDoc.of_outcome(outcome) for outcome in outcomes]


async def _export(
    request: Request,
    load: Callable[[], list[tuple[NoteTypeSummary, NoteTypeBundle]]],
    export_format: ExportFormat,
) -> Response:
    """The download of what ``load`` reads: kept if unchanged since, else built now.

    Building is background work: one at a time, after previews and lint (until it has
    waited a moment), never on the worker kept for previews; refused (503, Retry-After) only
    when its queue is full or it waited past its limit. A build ahead of the same content
    already under way is joined, not repeated.
    """
    shelf: ExportShelf = request.app.state.export_shelf
    loaded = await run_in_threadpool(load)
    ids = [summary.id for summary, _ in loaded]
    bundles = [bundle for _, bundle in loaded]
    key = await run_in_threadpool(export_key, bundles, export_format)
    if len(ids) == 1:
        shelf.exported(ids[0], export_format)
    kept = shelf.fresh(key)
    if kept is not None:
        return kept.response("kept")
    exporter = exporter_of(request)
    download = await work_of(request).run(
        Priority.BACKGROUND,
        lambda job: build_download(bundles, export_format, exporter),
        key=("export", key),
    )
    shelf.keep(key, download, ids)
    return download.response("built")


@router.get(
    "/notetypes/{notetype_id}/export",
    summary="Export a note type",
    response_class=FileResponse,
    responses=BUSY_DOC,
)
async def export_notetype(
    notetype_id: str,
    workspace: WorkspaceDep,
    request: Request,
    format: ExportFormat = ExportFormat.apkg,
) -> Response:
    """Download the note type as .apkg, a zipped CrowdAnki export, or a zipped note type folder.

    The ``X-ATD-Export`` header says whether the file was ``kept`` (the note type has not
    changed since it was last exported or built ahead) or ``built`` for this request.
    """
    return await _export(request, lambda: [workspace.notetype_with_summary(notetype_id)], format)


@router.get(
    "/export", summary="Export several note types", response_class=FileResponse, responses=BUSY_DOC
)
async def export_notetypes(
    workspace: WorkspaceDep,
    request: Request,
    format: ExportFormat = ExportFormat.apkg,
    notetype: Annotated[
        list[str] | None, Query(description="ids or names; none: every note type")
    ] = None,
) -> Response:
    """Download several note types (all of them when none is named) in one file."""

    def load() -> list[tuple[NoteTypeSummary, NoteTypeBundle]]:
        wanted = notetype or [s.id for s in workspace.list_notetypes()]
        if not wanted:
            raise UnsupportedFile("the workspace has no note types to export; create or import one")
        return [workspace.notetype_with_summary(n) for n in wanted]

    return await _export(request, load, format)


@router.get(
    "/notetypes/{notetype_id}/media/{name:path}",
    summary="Get a media file",
    responses=NOT_MODIFIED_DOC,
)
def get_media(notetype_id: str, name: str, request: Request, workspace: WorkspaceDep) -> Response:
    """A media file's bytes; served sandboxed so that an SVG or HTML file runs no script here.

    Carries an ``ETag``; send it back as ``If-None-Match`` to get a 304 while unchanged.
    """
    check_media_name(name)
    bundle = workspace.get_notetype(notetype_id)
    if name not in bundle.media:
        raise NotFound(f"note type {bundle.notetype.name!r} has no media file {name!r}")
    media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    headers = {"Content-Security-Policy": "sandbox", "X-Content-Type-Options": "nosniff"}
    return conditional_response(request, bytes(bundle.media[name]), media_type, headers)


def _with_media(
    workspace: Workspace, notetype_id: str, name: str, content: bytes | None
) -> tuple[str, int, NoteTypeBundle]:
    summary = workspace.notetype_summary(notetype_id)
    bundle = workspace.get_notetype(summary.id)
    media = dict(bundle.media)
    if content is None:
        if name not in media:
            raise NotFound(f"note type {bundle.notetype.name!r} has no media file {name!r}")
        del media[name]
    else:
        media[name] = content
    return (
        summary.id,
        summary.current_revision,
        NoteTypeBundle(bundle.notetype, bundle.samples, media),
    )


@router.put(
    "/notetypes/{notetype_id}/media/{name:path}",
    summary="Add or replace a media file",
    openapi_extra=_RAW_BODY,
)
async def put_media(
    notetype_id: str,
    name: str,
    request: Request,
    workspace: WorkspaceDep,
    settings: SettingsDep,
    media_cache: MediaCacheDep,
    writes: WriteLockDep,
    expected_revision: int | None = None,
) -> SummaryDoc:
    """Store the request body as media file ``name`` (a plain file name) of the note type."""
    check_media_name(name)
    scratch = _scratch()
    try:
        upload = scratch / "media"
        limit = settings.max_upload_bytes
        await save_body(request.stream(), request.headers.get("content-length"), limit, upload)
        content = upload.read_bytes()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return await run_in_threadpool(
        _save_media,
        workspace,
        (media_cache, writes),
        settings.author,
        (notetype_id, name, content),
        expected_revision,
    )


@router.delete("/notetypes/{notetype_id}/media/{name:path}", summary="Delete a media file")
def delete_media(
    notetype_id: str,
    name: str,
    workspace: WorkspaceDep,
    settings: SettingsDep,
    media_cache: MediaCacheDep,
    writes: WriteLockDep,
    expected_revision: int | None = None,
) -> SummaryDoc:
    """Remove media file ``name`` from the note type."""
    check_media_name(name)
    return _save_media(
        workspace,
        (media_cache, writes),
        settings.author,
        (notetype_id, name, None),
        expected_revision,
    )


def _save_media(
    workspace: Workspace,
    state: tuple[MediaByRevision, AbstractContextManager[Any]],
    author: str,
    change: tuple[str, str, bytes | None],
    expected_revision: int | None,
) -> SummaryDoc:
    """Save the note type with one media file added, replaced (bytes) or removed (None)."""
    notetype_id, name, content = change
    media_cache, writes = state
    stable_id, read_revision, bundle = _with_media(workspace, notetype_id, name, content)
    summary = f"{'remove' if content is None else 'add'} media {name!r}"
    with writes:
        revision = workspace.save_notetype(
            bundle,
            author,
            notetype_id=stable_id,
            # Without a revision from the caller, the one just read: no edit is lost unseen.
            expected_revision=expected_revision or read_revision,
            summary=summary,
        )
    media_cache.remember(revision.id, bundle.media)
    return SummaryDoc.of(workspace.notetype_summary(stable_id))
