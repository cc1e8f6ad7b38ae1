"""The Performance page's documents: live figures, history, budgets, profiles, and export."""

from __future__ import annotations

import csv
import io
from typing import Any

from pydantic import BaseModel, Field

from ..perf.budgets import Alert
from ..perf.cache_alerts import CacheAlert
from ..perf.monitor import PerformanceMonitor, milliseconds
from ..perf.profiler import Hotspot, NoteTypeProfile
from ..perf.stats import slowest
from ..store.perf_history import PerfSample, TrendPoint
from .schemas import Body, NoteTypeDoc, SampleDoc

SERIES_STEP_SECONDS = 15.0
TOP_NOTETYPES = 50


class PointDoc(BaseModel):
    """One step of an operation's recent history (``ago``: seconds before now)."""

    ago: float
    count: int
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None


class OperationDoc(BaseModel):
    """An operation's figures over the live window, its budget, and recent steps for a chart."""

    operation: str
    count: int
    errors: int
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    mean_ms: float | None
    max_ms: float | None
    budget_ms: float | None
    over_budget: bool
    series: list[PointDoc]


class NoteTypeTimingDoc(BaseModel):
    """A note type's preview render time over the live window."""

    notetype: str
    count: int
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None


class AlertDoc(BaseModel):
    """An operation over its p95 budget, since ``since`` (seconds since the epoch)."""

    operation: str
    budget_ms: float
    p95_ms: float
    count: int
    since: float
    message: str


class CacheAlertDoc(BaseModel):
    """A cache judged ``thrashing`` since ``since`` (seconds since the epoch), and what to do."""

    cache: str
    status: str
    since: float
    message: str


class LiveDoc(BaseModel):
    """The live window: operations busiest first, note types slowest first, raised alerts."""

    window_seconds: float
    series_step_seconds: float
    operations: list[OperationDoc]
    notetypes: list[NoteTypeTimingDoc]
    alerts: list[AlertDoc]
    cache_alerts: list[CacheAlertDoc] = Field(default_factory=list)


class AlertsDoc(BaseModel):
    """Only the raised alerts (for the header's indicator): budgets, and thrashing caches."""

    alerts: list[AlertDoc]
    cache_alerts: list[CacheAlertDoc] = Field(default_factory=list)


class TrendPointDoc(BaseModel):
    """An hour or a day of one operation (or note type's renders, ``kind`` "render")."""

    start: int
    kind: str
    operation: str
    count: int
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    worst_p95_ms: float


class HistoryDoc(BaseModel):
    """The stored trend: ``step_seconds`` per point, since ``since`` (epoch seconds)."""

    since: int
    step_seconds: int
    points: list[TrendPointDoc]


class BudgetDoc(Body):
    """A p95 budget: an operation (``GET /api/notetypes``) or a pattern ending in ``*``."""

    operation: str = Field(min_length=1, max_length=300)
    p95_ms: float = Field(gt=0, le=600_000)


class BudgetsDoc(Body):
    """Every budget in force; ``defaults`` says whether they are the built-in ones."""

    budgets: list[BudgetDoc]
    defaults: bool = False


class ProfileRequest(Body):
    """A draft note type and samples to render ``repeat`` times, attributing the time."""

    notetype: NoteTypeDoc
    samples: list[SampleDoc] = Field(default_factory=lambda: [SampleDoc()], max_length=50)
    repeat: int = Field(default=5, ge=1, le=50)


class HotspotDoc(BaseModel):
    """A filter chain or section: where (side, line, column, tag as written) and its share."""

    kind: str
    side: str
    line: int
    column: int
    tag: str
    filters: list[str]
    milliseconds: float
    share: float


class TemplateProfileDoc(BaseModel):
    """A card type's mean render time and the hotspot that dominates it."""

    notetype: str
    template: str
    renders: int
    milliseconds: float
    filter_share: float
    bottleneck: HotspotDoc | None
    hotspots: list[HotspotDoc]


class ProfileDoc(BaseModel):
    """Every card type of a note type, slowest first; when it was measured, and whether this
    answer came from the disk cache (the same content was profiled before)."""

    notetype: str
    repeat: int
    templates: list[TemplateProfileDoc]
    measured_at: float = 0.0
    cached: bool = False


class SlowTemplatesDoc(BaseModel):
    """The slowest card types found in the workspace's stored note types (``cached``: how
    many of the note types' profiles came from the disk cache)."""

    scanned: int
    templates: list[TemplateProfileDoc]
    cached: int = 0


def alert_doc(alert: Alert) -> AlertDoc:
    """The document for an alert."""
    return AlertDoc(
        operation=alert.operation,
        budget_ms=alert.budget_ms,
        p95_ms=round(alert.p95_ms, 3),
        count=alert.count,
        since=alert.since,
        message=alert.message,
    )


def cache_alert_doc(alert: CacheAlert) -> CacheAlertDoc:
    """The document for a cache alert."""
    return CacheAlertDoc(
        cache=alert.cache, status=alert.status, since=alert.since, message=alert.message
    )


def live_doc(monitor: PerformanceMonitor) -> LiveDoc:
    """The live figures (judging budgets and caches on the way, so the page is never behind)."""
    summaries = monitor.requests.summaries()
    alerts = monitor.budgets.evaluate(summaries)
    cache_alerts = monitor.evaluate_caches()
    operations = []
    for summary in summaries:
        budget = monitor.budgets.budget_for(summary.key)
        series = monitor.requests.series(summary.key, SERIES_STEP_SECONDS)
        operations.append(
            OperationDoc(
                operation=summary.key,
                count=summary.count,
                errors=summary.errors,
                p50_ms=milliseconds(summary.p50),
                p95_ms=milliseconds(summary.p95),
                p99_ms=milliseconds(summary.p99),
                mean_ms=milliseconds(summary.mean),
                max_ms=milliseconds(summary.max),
                budget_ms=budget,
                over_budget=any(a.operation == summary.key for a in alerts),
                series=[
                    PointDoc(
                        ago=p.ago,
                        count=p.count,
                        p50_ms=milliseconds(p.p50),
                        p95_ms=milliseconds(p.p95),
                        p99_ms=milliseconds(p.p99),
                    )
                    for p in series
                ],
            )
        )
    notetypes = [
        NoteTypeTimingDoc(
            notetype=s.key,
            count=s.count,
            p50_ms=milliseconds(s.p50),
            p95_ms=milliseconds(s.p95),
            p99_ms=milliseconds(s.p99),
        )
        for s in slowest(monitor.renders.summaries(), TOP_NOTETYPES)
    ]
    return LiveDoc(
        window_seconds=monitor.requests.window_seconds,
        series_step_seconds=SERIES_STEP_SECONDS,
        operations=operations,
        notetypes=notetypes,
        alerts=[alert_doc(a) for a in alerts],
        cache_alerts=[cache_alert_doc(a) for a in cache_alerts],
    )


def trend_doc(point: TrendPoint) -> TrendPointDoc:
    """The document for one point of the trend."""
    return TrendPointDoc(
        start=point.start,
        kind=point.kind,
        operation=point.operation,
        count=point.count,
        errors=point.errors,
        p50_ms=round(point.p50_ms, 3),
        p95_ms=round(point.p95_ms, 3),
        p99_ms=round(point.p99_ms, 3),
        worst_p95_ms=round(point.worst_p95_ms, 3),
    )


def _hotspot(spot: Hotspot) -> HotspotDoc:
    return HotspotDoc(
        kind=spot.kind,
        side=spot.side,
        line=spot.line,
        column=spot.column,
        tag=spot.tag,
        filters=list(spot.filters),
        milliseconds=round(spot.milliseconds, 4),
        share=round(spot.share, 4),
    )


def template_docs(profile: NoteTypeProfile, hotspots: int = 10) -> list[TemplateProfileDoc]:
    """A profile's card types as documents, each with its ``hotspots`` largest hotspots."""
    return [
        TemplateProfileDoc(
            notetype=profile.notetype,
            template=t.template,
            renders=t.renders,
            milliseconds=round(t.milliseconds, 4),
            filter_share=round(t.filter_share, 4),
            bottleneck=_hotspot(t.bottleneck) if t.bottleneck else None,
            hotspots=[_hotspot(s) for s in t.hotspots[:hotspots]],
        )
        for t in profile.templates
    ]


EXPORT_COLUMNS = (
    "section",
    "start",
    "kind",
    "operation",
    "count",
    "errors",
    "p50_ms",
    "p95_ms",
    "p99_ms",
    "budget_ms",
)


def export_rows(live: LiveDoc, history: list[TrendPointDoc | PerfSample]) -> list[dict[str, Any]]:
    """The live window and the history as flat rows (one column set for CSV)."""
    rows: list[dict[str, Any]] = []
    for op in live.operations:
        rows.append(
            {
                "section": "live",
                "start": "",
                "kind": "request",
                "operation": op.operation,
                "count": op.count,
                "errors": op.errors,
                "p50_ms": op.p50_ms,
                "p95_ms": op.p95_ms,
                "p99_ms": op.p99_ms,
                "budget_ms": op.budget_ms,
            }
        )
    for nt in live.notetypes:
        rows.append(
            {
                "section": "live",
                "start": "",
                "kind": "render",
                "operation": nt.notetype,
                "count": nt.count,
                "errors": 0,
                "p50_ms": nt.p50_ms,
                "p95_ms": nt.p95_ms,
                "p99_ms": nt.p99_ms,
                "budget_ms": None,
            }
        )
    for point in history:
        start = point.start if isinstance(point, TrendPointDoc) else point.at
        rows.append(
            {
                "section": "history",
                "start": start,
                "kind": point.kind,
                "operation": point.operation,
                "count": point.count,
                "errors": point.errors,
                "p50_ms": point.p50_ms,
                "p95_ms": point.p95_ms,
                "p99_ms": point.p99_ms,
                "budget_ms": None,
            }
        )
    return rows


def as_csv(rows: list[dict[str, Any]]) -> str:
    """``rows`` as CSV with a header line (empty cells for missing figures)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _cell(value) for key, value in row.items()})
    return out.getvalue()


def _cell(value: object) -> object:
    # A note type named "=cmd|…" must not become a formula when the file is opened.
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
