"""Exports kept and built ahead, so downloading a note type again is answered at once.

An .apkg costs tens of milliseconds of CPU however small the note type (Anki's exporter makes
three collections per package), and a template author testing in Anki exports the same note
type again after every few edits. So:

* every download is kept (``ExportShelf``, a registered cache bounded by entries and bytes),
  keyed by a hash of exactly what it contains: the format, each note type as stored, its
  samples and media. A note type that has not changed since is answered from the shelf;
  any change is a new key, so a stale package can never be served. A package stays at most
  ``MAX_AGE`` seconds: its note type carries its build time as modification time, and Anki
  replaces a note type only with a newer copy.
* after a note type exported lately (``WATCH`` seconds) is saved, ``Prebuilder`` builds its
  exported formats again once the saves have settled (``SETTLE`` seconds), as background
  work, and only while no other background work waits: the author's next download is ready.

A download too large to keep (``MAX_KEPT_BYTES``) is streamed from its file as before.
With the caches off (``ATD_CACHE=off``) nothing is kept and nothing is built ahead.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
import time
import weakref
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import FileResponse, Response
from starlette.background import BackgroundTask

from ..core.schema11 import to_schema11
from ..formats.bundle import NoteTypeBundle
from ..formats.errors import FormatError
from ..perf.cache import BoundedCache, CacheBudget, CacheRegistry
from ..perf.work import Priority, WorkManager
from ..services.export_process import ExportProcess
from ..services.transfer import ExportFormat, download_stem, export_file
from ..store.errors import NotFound
from ..store.snapshot import note_to_json
from ..store.workspace import Workspace
from .preview_cache import notetype_tag

EXPORTS = "exports"
MAX_ENTRIES = 256
MAX_BYTES = 16 * 1024 * 1024
MAX_KEPT_BYTES = 8 * 1024 * 1024  # larger downloads stream from their file, unkept
MAX_AGE = 300.0  # seconds a kept package is served
WATCH = 1800.0  # seconds after an export during which saves rebuild it ahead
SETTLE = 1.0  # seconds without a save before building ahead
SOURCE_HEADER = "X-ATD-Export"  # "kept" (from the shelf) or "built" (for this request)

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Download:
    """A built export: its bytes (kept) or its file (too large to keep), name and type."""

    filename: str
    media_type: str
    built: float  # time.monotonic() when it was built
    data: bytes | None = None
    # Set when data is None: the built file, deleted with the last reference to this object
    # (a download coalesced between requests is shared; each response links its own copy).
    path: Path | None = None

    @property
    def size(self) -> int:
        return len(self.data) if self.data is not None else 0

    def response(self, source: str) -> Response:
        """The download's HTTP response; ``source`` says whether it was kept or just built."""
        headers = {SOURCE_HEADER: source}
        if self.data is None:
            assert self.path is not None
            own = Path(tempfile.mkdtemp(prefix="atd-server-")) / self.path.name
            try:
                os.link(self.path, own)
            except OSError:  # another file system
                shutil.copyfile(self.path, own)
            return FileResponse(
                own,
                media_type=self.media_type,
                filename=self.filename,
                headers=headers,
                background=BackgroundTask(shutil.rmtree, own.parent, True),
            )
        # FileResponse's way of naming the file, without a file.
        named = FileResponse(os.devnull, filename=self.filename)
        headers["Content-Disposition"] = named.headers["content-disposition"]
        return Response(self.data, media_type=self.media_type, headers=headers)


def export_key(bundles: Sequence[NoteTypeBundle], export_format: ExportFormat) -> str:
    """A hash of everything the download contains: a changed note type is a new key.

    The note type and samples as JSON; media files by name, length and bytes (hashed as they
    are, not encoded: a note type's media can be megabytes).
    """
    digest = hashlib.sha256(export_format.value.encode())
    for bundle in bundles:
        described = {
            "notetype": to_schema11(bundle.notetype),
            "samples": [note_to_json(note) for note in bundle.samples],
        }
        digest.update(b"\0" + json.dumps(described, sort_keys=True).encode())
        for name, data in sorted(bundle.media.items()):
            digest.update(b"\0%s\0%d\0" % (name.encode(), len(data)))
            digest.update(data)
    return digest.hexdigest()


def without_folder(error: FormatError, folder: Path) -> FormatError:
    """The same error with the server's temporary ``folder`` left out of its message."""
    message = str(error).replace(str(folder) + os.sep, "").replace(str(folder), "")
    return type(error)(message)


def build_download(
    bundles: Sequence[NoteTypeBundle], export_format: ExportFormat, exporter: ExportProcess | None
) -> Download:
    """Write the download (packages in the export process when there is one).

    A format error's message leaves the server's temporary folder out.
    """
    scratch = Path(tempfile.mkdtemp(prefix="atd-server-"))
    try:
        stem = download_stem([b.notetype.name for b in bundles])
        path = export_file(
            bundles,
            export_format,
            scratch,
            stem,
            write_apkg=exporter.write_package if exporter else None,
        )
    except FormatError as error:
        shutil.rmtree(scratch, ignore_errors=True)
        raise without_folder(error, scratch) from None
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    media_type = "application/zip" if path.suffix == ".zip" else "application/octet-stream"
    built = time.monotonic()
    if path.stat().st_size > MAX_KEPT_BYTES:
        download = Download(path.name, media_type, built, path=path)
        weakref.finalize(download, shutil.rmtree, scratch, True)
        return download
    try:
        data = path.read_bytes()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return Download(path.name, media_type, built, data=data)


def _build_job(
    bundles: Sequence[NoteTypeBundle],
    export_format: ExportFormat,
    exporter: ExportProcess | None,
    job: object,
) -> Download:
    return build_download(bundles, export_format, exporter)


class ExportShelf(BoundedCache[str, Download]):
    """Downloads by content key, and which note types were exported lately, in what format."""

    def __init__(
        self,
        *,
        max_entries: int = MAX_ENTRIES,
        max_bytes: int = MAX_BYTES,
        max_age: float = MAX_AGE,
        watch: float = WATCH,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(
            EXPORTS, max_entries=max_entries, max_bytes=max_bytes, size_of=lambda d: d.size
        )
        self.max_age = max_age
        self.watch = watch
        self._clock = clock
        self._interest: dict[str, dict[ExportFormat, float]] = {}  # id -> format -> last export
        self._interest_lock = threading.Lock()

    def fresh(self, key: str) -> Download | None:
        """The kept download for ``key`` if it is younger than ``max_age``; else None."""
        found = self.get(key)
        if found is None:
            return None
        if self._clock() - found.built > self.max_age:
            self.invalidate(key)
            return None
        return found

    def keep(self, key: str, download: Download, notetype_ids: Sequence[str]) -> None:
        """Keep ``download`` (if it is held in memory) under ``key``."""
        if download.data is not None:
            self.put(key, download, tags=[notetype_tag(n) for n in notetype_ids])

    def exported(self, notetype_id: str, export_format: ExportFormat) -> None:
        """Someone downloaded ``notetype_id`` as ``export_format`` just now."""
        if not self.enabled:
            return
        now = self._clock()
        with self._interest_lock:
            if len(self._interest) >= self.max_entries:
                self._forget_old(now)
            self._interest.setdefault(notetype_id, {})[export_format] = now

    def wanted(self, notetype_id: str) -> list[ExportFormat]:
        """The formats ``notetype_id`` was exported in within ``watch`` seconds."""
        if not self.enabled:
            return []
        now = self._clock()
        with self._interest_lock:
            recent = [
                f for f, at in self._interest.get(notetype_id, {}).items() if now - at <= self.watch
            ]
            if not recent:
                self._interest.pop(notetype_id, None)
            return recent

    def forget(self, notetype_id: str) -> None:
        """Stop building ``notetype_id`` ahead (it was deleted)."""
        with self._interest_lock:
            self._interest.pop(notetype_id, None)

    def _forget_old(self, now: float) -> None:
        for notetype_id, interest in list(self._interest.items()):
            if all(now - at > self.watch for at in interest.values()):
                del self._interest[notetype_id]
        while len(self._interest) >= self.max_entries:  # all recent: the oldest goes
            del self._interest[next(iter(self._interest))]


class Prebuilder:
    """Builds a saved note type's recent export formats ahead, once its saves have settled."""

    def __init__(
        self,
        shelf: ExportShelf,
        workspace: Workspace,
        work: WorkManager,
        exporter: Callable[[], ExportProcess | None],
        *,
        settle: float = SETTLE,
    ) -> None:
        self.shelf = shelf
        self.workspace = workspace
        self.work = work
        self.exporter = exporter
        self.settle = settle
        self.built = 0  # packages built ahead
        self.skipped = 0  # builds left out because other background work waited
        self._loop: asyncio.AbstractEventLoop | None = None
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._tasks: set[asyncio.Task[int]] = set()

    @property
    def pending(self) -> list[str]:
        """Note types whose build waits for their saves to settle."""
        return list(self._timers)

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """Build ahead on ``loop`` (the server's), from now on."""
        self._loop = loop

    async def detach(self) -> None:
        """Stop: cancel waiting builds and wait for running ones to end."""
        self._loop = None
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def notetype_changed(self, notetype_id: str) -> None:
        """The workspace changed ``notetype_id`` (any thread): its exports are stale."""
        loop = self._loop
        if loop is None or not self.shelf.wanted(notetype_id):
            return
        with contextlib.suppress(RuntimeError):  # the loop closed as the server stopped
            loop.call_soon_threadsafe(self._poke, notetype_id)

    def _poke(self, notetype_id: str) -> None:
        """(Re)start the settle timer of ``notetype_id``: each save pushes the build back."""
        loop = self._loop
        if loop is None:
            return
        timer = self._timers.pop(notetype_id, None)
        if timer is not None:
            timer.cancel()
        self._timers[notetype_id] = loop.call_later(self.settle, self._due, notetype_id)

    def _due(self, notetype_id: str) -> None:
        self._timers.pop(notetype_id, None)
        task = asyncio.get_running_loop().create_task(self.build(notetype_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def build(self, notetype_id: str) -> int:
        """Build ``notetype_id``'s wanted formats not kept yet; how many were built."""
        built = 0
        for export_format in self.shelf.wanted(notetype_id):
            if self.work.snapshot().queued.get(Priority.BACKGROUND.label, 0):
                self.skipped += 1  # a user's export or another job waits: it goes first
                continue
            try:
                bundle = await asyncio.to_thread(self.workspace.get_notetype, notetype_id)
            except NotFound:  # deleted meanwhile
                self.shelf.forget(notetype_id)
                return built
            key = export_key([bundle], export_format)
            if self.shelf.fresh(key) is not None:
                continue
            build = partial(_build_job, [bundle], export_format, self.exporter())
            try:
                download = await self.work.run(Priority.BACKGROUND, build, key=("export", key))
            except Exception:  # the user's own export will say what is wrong
                _log.debug("building %s ahead failed", notetype_id, exc_info=True)
                continue
            self.shelf.keep(key, download, [notetype_id])
            self.built += 1
            built += 1
        return built


def install_export_shelf(
    app: FastAPI, workspace: Workspace, registry: CacheRegistry, budget: CacheBudget
) -> ExportShelf:
    """Give ``app`` its shelf of downloads (``app.state.export_shelf``) and build ahead.

    Needs the app's work manager (``install_work`` first). Builds ahead only while served.
    """
    entries, nbytes = budget.scaled(MAX_ENTRIES, MAX_BYTES)
    shelf = registry.add(ExportShelf(max_entries=entries, max_bytes=nbytes))
    app.state.export_shelf = shelf
    prebuilder = Prebuilder(shelf, workspace, app.state.work, lambda: app.state.exporter)
    app.state.prebuilder = prebuilder

    def changed(notetype_id: str) -> None:
        shelf.invalidate_tag(notetype_tag(notetype_id))  # a new key from now on: free it
        prebuilder.notetype_changed(notetype_id)

    workspace.add_change_listener(changed)
    outer = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(served: Any) -> AsyncIterator[Any]:
        async with outer(served) as state:
            prebuilder.attach(asyncio.get_running_loop())
            try:
                yield state
            finally:
                await prebuilder.detach()

    app.router.lifespan_context = lifespan
    return shelf
