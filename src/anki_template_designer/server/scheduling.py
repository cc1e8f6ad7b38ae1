"""Routes hand their heavy work to the app's work manager through here.

A request names its stream (one editor's preview, say) in the ``X-ATD-Stream`` header: a
newer request on the same stream supersedes the older one, which answers 409 ``superseded``
(the designer drops it). Identical requests (same route, same body) under way at once are
computed once.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from fastapi import FastAPI, Request

from ..formats.errors import PackageError
from ..perf.gc_tuning import restore, tune_for_serving
from ..perf.metrics import ServerMetrics
from ..perf.work import Job, Priority, WorkManager
from ..perf.work_metrics import WorkMetrics
from ..services.export_process import ExportProcess
from .settings import Settings

STREAM_HEADER = "X-ATD-Stream"
# A tab or editor id the designer makes up; anything else is ignored, not refused.
_STREAM = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")

T = TypeVar("T")
_log = logging.getLogger(__name__)


def install_work(app: FastAPI, settings: Settings, metrics: ServerMetrics | None) -> WorkManager:
    """Give ``app`` its work manager, with its queue metrics on the app's registry.

    Also its export process (``app.state.exporter``, None with ``ATD_EXPORT_PROCESS=off``):
    started in the background while the app is served, so the first .apkg export does not
    wait for ``anki`` to load; stopped when the app stops. Unserved apps (tests) start it on
    their first .apkg export. While served, the garbage collector is tuned for serving
    (``perf.gc_tuning``).
    """
    registry = metrics.registry if metrics is not None else None
    work = WorkManager(settings.work, WorkMetrics(registry))
    app.state.work = work
    # ATD_EXPORT_PROCESS=off: packages are written in here.
    exporter = ExportProcess() if settings.export_process else None
    app.state.exporter = exporter
    outer = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(served: Any) -> AsyncIterator[Any]:
        async with outer(served) as state:
            # Full collections stopped every worker for 70-150 ms every few seconds.
            collector = tune_for_serving()
            if exporter is not None:
                thread = threading.Thread(target=_start, args=(exporter,), name="atd-export")
                thread.start()
            try:
                yield state
            finally:
                if exporter is not None:
                    await asyncio.to_thread(exporter.close)
                restore(collector)

    app.router.lifespan_context = lifespan
    return work


def _start(exporter: ExportProcess) -> None:
    try:
        exporter.start()
    except PackageError:  # the first export says so again, to the user who asked
        _log.exception("the export process did not start")


def exporter_of(request: Request) -> ExportProcess | None:
    """The export process of the app serving ``request``; None: write packages in here."""
    exporter: ExportProcess | None = request.app.state.exporter
    return exporter


def work_of(request: Request) -> WorkManager:
    """The work manager of the app serving ``request``."""
    work: WorkManager = request.app.state.work
    return work


def stream_of(request: Request) -> str | None:
    """The stream the request belongs to, if it names a valid one."""
    stream = request.headers.get(STREAM_HEADER)
    return stream if stream is not None and _STREAM.match(stream) else None


async def body_key(request: Request) -> str:
    """A key identical requests share: the route and a hash of the exact body."""
    body = await request.body()  # already read (and kept) when FastAPI parsed it
    return f"{request.url.path}:{hashlib.sha256(body).hexdigest()}"


async def schedule(
    request: Request,
    priority: Priority,
    fn: Callable[[Job], T],
    *,
    coalesce: bool = True,
) -> T:
    """Run ``fn`` under the app's work manager at ``priority``, in the request's stream."""
    key = await body_key(request) if coalesce else None
    return await work_of(request).run(priority, fn, key=key, stream=stream_of(request))


BUSY_DOC: dict[int | str, dict[str, Any]] = {
    409: {
        "description": "A newer request on the same ``X-ATD-Stream`` replaced this one "
        "(problem type ``superseded``).",
        "content": {"application/problem+json": {}},
    },
    503: {
        "description": "The work waited too long for a worker (problem type ``busy``) or "
        "its queue is full (``overloaded``): retry after ``Retry-After`` seconds.",
        "content": {"application/problem+json": {}},
    },
}
