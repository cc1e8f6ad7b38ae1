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
from ..perf.monitor import PerformanceMonitor
from ..perf.profiler import profile_notetype
from ..store.perf_history import DAY, HOUR, PerfSample
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
    TrendPointDoc,
    alert_doc,
    as_csv,
    export_rows,
    live_doc,
    template_docs,
    trend_doc,
)
from .problems import Problem

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
        return [_sample_point(s) for s in samples]
    seconds = HOUR if step is Step.hour else DAY
    return [trend_doc(p) for p in monitor.history.trend(_since(days), seconds)]


def _sample_point(sample: PerfSample) -> TrendPointDoc:
    return TrendPointDoc(
        start=sample.at,
        kind=sample.kind,
        operation=sample.operation,
        count=sample.count,
        errors=sample.errors,
        p50_ms=round(sample.p50_ms, 3),
        p95_ms=round(sample.p95_ms, 3),
        p99_ms=round(sample.p99_ms, 3),
        worst_p95_ms=round(sample.p95_ms, 3),
    )


Days = Annotated[int, Query(ge=1, le=MAX_DAYS, description="how many days back")]


@router.get("/live", summary="Live latency per operation")
def live(request: Request) -> LiveDoc:
    """p50/p95/p99, counts and errors per operation over the last minutes, with budgets.

    Also the slowest note types' preview render times and the budget alerts now raised.
    """
    return live_doc(_monitor(request))


@router.get("/alerts", summary="Budget alerts now raised")
async def alerts(request: Request) -> AlertsDoc:
    """Operations whose p95 is over budget (cheap: the header polls it)."""
    return AlertsDoc(alerts=[alert_doc(a) for a in _monitor(request).budgets.alerts()])


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


def _profile(body: ProfileRequest) -> ProfileDoc:
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
    profile = profile_notetype(notetype, notes, body.repeat)
    return ProfileDoc(
        notetype=profile.notetype, repeat=profile.repeat, templates=template_docs(profile)
    )


@router.post("/profile", summary="Find a draft's bottleneck")
async def profile(body: ProfileRequest) -> ProfileDoc:
    """Render every card of the samples ``repeat`` times; time per card type, and the filter
    chain or section that dominates it (side, line, column, tag, share of render time)."""
    return await to_thread.run_sync(_profile, body)


def _profile_stored(workspace: Workspace, name_or_id: str, repeat: int) -> ProfileDoc:
    bundle = workspace.get_notetype(name_or_id)
    found = profile_notetype(bundle.notetype, bundle.samples, repeat)
    return ProfileDoc(notetype=found.notetype, repeat=found.repeat, templates=template_docs(found))


@router.post("/profile/notetypes/{notetype_id}", summary="Find a stored note type's bottleneck")
async def profile_stored(
    notetype_id: str, workspace: WorkspaceDep, repeat: Annotated[int, Query(ge=1, le=50)] = 5
) -> ProfileDoc:
    """Profile a saved note type (by id or exact name) with its own sample notes."""
    return await to_thread.run_sync(_profile_stored, workspace, notetype_id, repeat)


def _slowest_templates(workspace: Workspace, top: int, limit: int) -> SlowTemplatesDoc:
    found = []
    summaries = workspace.list_notetypes()[:limit]
    for summary in summaries:
        bundle = workspace.get_notetype(summary.id)
        found.extend(template_docs(profile_notetype(bundle.notetype, bundle.samples, 1), 3))
    found.sort(key=lambda t: -t.milliseconds)
    return SlowTemplatesDoc(scanned=len(summaries), templates=found[:top])


@router.get("/templates", summary="The workspace's slowest templates")
async def slowest_templates(
    workspace: WorkspaceDep,
    top: Annotated[int, Query(ge=1, le=200)] = 20,
    limit: Annotated[int, Query(ge=1, le=MAX_SCAN)] = 500,
) -> SlowTemplatesDoc:
    """Render every stored note type's samples once and rank its card types by render time,
    each with its bottleneck (a scan: seconds for hundreds of note types)."""
    return await to_thread.run_sync(_slowest_templates, workspace, top, limit)
