"""The Performance page's API: live figures, alerts, history, budgets, profiles, export."""

from __future__ import annotations

import dataclasses
import json
import time
from enum import StrEnum
from types import MappingProxyType
from typing import Annotated

from anyio import to_thread
from fastapi import APIRouter, Query, Request, Response

from ..core.normalize import as_saved_by_anki
from ..perf.budgets import DEFAULT_BUDGETS, BudgetError
from ..perf.disk_cache import DiskCache
from ..perf.monitor import PerformanceMonitor
from ..store.perf_history import DAY, HOUR, TrendPoint
from ..store.workspace import Workspace
from .deps import WorkspaceDep
from .perf_docs import (
    AlertsDoc,
    BudgetDoc,
    BudgetsDoc,
    HistoryDoc,
    LiveDoc,
    ProfileDoc,
    ProfileRequest,
    SlowTemplatesDoc,
    TemplateProfileDoc,
    TrendPointDoc,
    alert_doc,
    as_csv,
    cache_alert_doc,
    export_rows,
    live_doc,
    trend_doc,
)
from .problems import Problem
from .profile_cache import cached_profile
from .scheduling import work_of
from .work_doc import WorkDoc, work_doc

router = APIRouter(prefix="/api/perf", tags=["performance"])

MAX_DAYS = 366
MAX_SCAN = 2000


class Step(StrEnum):
    """How finely the history is grouped."""

    minute = "minute"
    hour = "hour"
    day = "day"


class ExportFormat(StrEnum):
    """The export's file format."""

    csv = "csv"
    json = "json"


def _monitor(request: Request) -> PerformanceMonitor:
    monitor: PerformanceMonitor = request.app.state.perf
    return monitor


def _since(days: int) -> int:
    return int(time.time()) - days * DAY


def _history(monitor: PerformanceMonitor, days: int, step: Step) -> list[TrendPointDoc]:
    if monitor.history is None:
        return []
    if step is Step.minute:
        samples = monitor.history.samples(_since(days))
        return [trend_doc(TrendPoint.of_sample(s)) for s in samples]
    seconds = HOUR if step is Step.hour else DAY
    return [trend_doc(p) for p in monitor.history.trend(_since(days), seconds)]


Days = Annotated[int, Query(ge=1, le=MAX_DAYS, description="how many days back")]


@router.get("/live", summary="Live latency per operation")
def live(request: Request) -> LiveDoc:
    """p50/p95/p99, counts and errors per operation over the last minutes, with budgets.

    Also the slowest note types' preview render times and the budget alerts now raised.
    """
    return live_doc(_monitor(request))


@router.get("/alerts", summary="Budget and cache alerts now raised")
async def alerts(request: Request) -> AlertsDoc:
    """Operations whose p95 is over budget, and caches judged thrashing (cheap: the header
    polls it; the monitor judges both every few seconds, logging each crossing once)."""
    monitor = _monitor(request)
    return AlertsDoc(
        alerts=[alert_doc(a) for a in monitor.budgets.alerts()],
        cache_alerts=[cache_alert_doc(a) for a in monitor.cache_alerts()],
    )


@router.get("/work", summary="The work manager's queues")
async def work(request: Request) -> WorkDoc:
    """Jobs queued and running per priority (interactive, lint, background), each queue's
    bound and budget, and how many requests were refused, stopped or coalesced since start."""
    return work_doc(work_of(request))


@router.get("/history", summary="The trend over days")
def history(request: Request, days: Days = 30, step: Step = Step.day) -> HistoryDoc:
    """Stored figures per operation, grouped by hour or day (count-weighted mean quantiles)."""
    seconds = {Step.minute: 60, Step.hour: HOUR, Step.day: DAY}[step]
    points = _history(_monitor(request), days, step)
    return HistoryDoc(since=_since(days), step_seconds=seconds, points=points)


@router.get("/budgets", summary="p95 budgets")
def get_budgets(request: Request) -> BudgetsDoc:
    """The budgets in force: per operation or pattern (``*`` ends a prefix)."""
    budgets = _monitor(request).budgets.budgets
    return BudgetsDoc(
        budgets=[BudgetDoc(operation=k, p95_ms=v) for k, v in sorted(budgets.items())],
        defaults=budgets == DEFAULT_BUDGETS,
    )


@router.put("/budgets", summary="Set the p95 budgets")
async def put_budgets(body: BudgetsDoc, request: Request) -> BudgetsDoc:
    """Replace every budget (an empty list restores the defaults); stored in the workspace."""
    monitor = _monitor(request)
    chosen = {b.operation.strip(): b.p95_ms for b in body.budgets}
    if len(chosen) != len(body.budgets):
        raise Problem(400, "duplicate-budget", "Duplicate budget", "name each operation once")
    try:
        saved = monitor.save_budgets(chosen or None)
    except BudgetError as error:
        raise Problem(400, "invalid-budget", "Invalid budget", str(error)) from None
    if saved is not None:
        await to_thread.run_sync(saved.result)
    return get_budgets(request)


@router.get("/export", summary="Export the figures")
def export(
    request: Request,
    format: ExportFormat = ExportFormat.csv,
    days: Days = 30,
    step: Step = Step.hour,
) -> Response:
    """The live window and the stored history as a CSV or JSON download."""
    monitor = _monitor(request)
    live_figures = live_doc(monitor)
    points = _history(monitor, days, step)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    name = f"atd-performance-{stamp}.{format.value}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if format is ExportFormat.csv:
        text = as_csv(export_rows(live_figures, list(points)))
        return Response(text, media_type="text/csv; charset=utf-8", headers=headers)
    document = {
        "exported_at": int(time.time()),
        "live": live_figures.model_dump(),
        "history": {
            "days": days,
            "step": step.value,
            "points": [p.model_dump() for p in points],
        },
    }
    return Response(json.dumps(document), media_type="application/json", headers=headers)


def _disk(request: Request) -> DiskCache | None:
    disk: DiskCache | None = getattr(request.app.state, "disk_cache", None)
    return disk


def _profile(body: ProfileRequest, disk: DiskCache | None) -> ProfileDoc:
    notetype = body.notetype.to_model()
    known = set(notetype.field_names)
    notes = []
    for sample in body.samples:
        note = sample.to_model()
        fields = {k: v for k, v in note.fields.items() if k in known}
        notetype, note = as_saved_by_anki(
            notetype, dataclasses.replace(note, fields=MappingProxyType(fields))
        )
        notes.append(note)
    return cached_profile(disk, notetype, notes, body.repeat)


@router.post("/profile", summary="Find a draft's bottleneck")
async def profile(body: ProfileRequest, request: Request) -> ProfileDoc:
    """Render every card of the samples ``repeat`` times; time per card type, and the filter
    chain or section that dominates it (side, line, column, tag, share of render time).

    Kept in the disk cache by a hash of the draft, the samples, ``repeat`` and the engine's
    code: the same draft again answers the stored profile (``cached``, ``measured_at``)."""
    return await to_thread.run_sync(_profile, body, _disk(request))


def _profile_stored(
    workspace: Workspace, disk: DiskCache | None, name_or_id: str, repeat: int, fresh: bool
) -> ProfileDoc:
    bundle = workspace.get_notetype(name_or_id)
    return cached_profile(disk, bundle.notetype, bundle.samples, repeat, fresh=fresh)


Fresh = Annotated[bool, Query(description="measure again even if this content was profiled before")]


@router.post("/profile/notetypes/{notetype_id}", summary="Find a stored note type's bottleneck")
async def profile_stored(
    notetype_id: str,
    workspace: WorkspaceDep,
    request: Request,
    repeat: Annotated[int, Query(ge=1, le=50)] = 5,
    fresh: Fresh = False,
) -> ProfileDoc:
    """Profile a saved note type (by id or exact name) with its own sample notes.

    Kept in the disk cache by a hash of the note type's content, its samples, ``repeat`` and
    the engine's code, so it survives restarts and a saved change measures afresh."""
    disk = _disk(request)
    return await to_thread.run_sync(_profile_stored, workspace, disk, notetype_id, repeat, fresh)


def _slowest_templates(
    workspace: Workspace, disk: DiskCache | None, top: int, limit: int, fresh: bool
) -> SlowTemplatesDoc:
    found: list[TemplateProfileDoc] = []
    cached = 0
    summaries = workspace.list_notetypes()[:limit]
    for summary in summaries:
        bundle = workspace.get_notetype(summary.id)
        doc = cached_profile(disk, bundle.notetype, bundle.samples, 1, fresh=fresh)
        cached += doc.cached
        found.extend(t.model_copy(update={"hotspots": t.hotspots[:3]}) for t in doc.templates)
    found.sort(key=lambda t: -t.milliseconds)
    return SlowTemplatesDoc(scanned=len(summaries), templates=found[:top], cached=cached)


@router.get("/templates", summary="The workspace's slowest templates")
async def slowest_templates(
    workspace: WorkspaceDep,
    request: Request,
    top: Annotated[int, Query(ge=1, le=200)] = 20,
    limit: Annotated[int, Query(ge=1, le=MAX_SCAN)] = 500,
    fresh: Fresh = False,
) -> SlowTemplatesDoc:
    """Render every stored note type's samples once and rank its card types by render time,
    each with its bottleneck (a scan: seconds for hundreds of note types, the first time;
    each note type's profile is then kept in the disk cache until its content changes)."""
    disk = _disk(request)
    return await to_thread.run_sync(_slowest_templates, workspace, disk, top, limit, fresh)
