"""The caches seen from outside: ``GET /api/perf/caches`` and the Prometheus cache metrics.

Also the small middleware that makes a server's caches reachable from deep in a request
(the preview code runs on worker threads; anyio copies the context to them).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any, Literal

from fastapi import APIRouter, FastAPI, Request
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from pydantic import BaseModel
from starlette.types import ASGIApp, Receive, Scope, Send

from .cache import CacheRegistry

router = APIRouter(prefix="/api/perf", tags=["performance"])


class CacheDoc(BaseModel):
    """One cache: its fill and bounds, its counters, and the verdict on its recent lookups."""

    name: str
    enabled: bool
    entries: int
    bytes: int
    max_entries: int
    max_bytes: int
    hits: int
    misses: int
    hit_ratio: float
    inserts: int
    evictions: int
    invalidations: int
    rejected: int
    health: Literal["ok", "thrashing", "churn", "idle", "disabled"]
    health_message: str
    window_lookups: int
    window_hit_ratio: float
    window_regrets: int


class CachesDoc(BaseModel):
    """Every cache of this server; ``enabled`` is false when the server runs with caches off."""

    enabled: bool
    caches: list[CacheDoc]


def caches_doc(registry: CacheRegistry) -> CachesDoc:
    """The registry's caches as the API shows them."""
    docs = []
    for cache in registry:
        stats = cache.stats()
        health = cache.health()
        docs.append(
            CacheDoc(
                name=stats.name,
                enabled=stats.enabled,
                entries=stats.entries,
                bytes=stats.bytes,
                max_entries=stats.max_entries,
                max_bytes=stats.max_bytes,
                hits=stats.hits,
                misses=stats.misses,
                hit_ratio=round(stats.hit_ratio, 4),
                inserts=stats.inserts,
                evictions=stats.evictions,
                invalidations=stats.invalidations,
                rejected=stats.rejected,
                health=health.status,
                health_message=health.message,
                window_lookups=health.window_lookups,
                window_hit_ratio=round(health.window_hit_ratio, 4),
                window_regrets=health.window_regrets,
            )
        )
    return CachesDoc(enabled=registry.enabled, caches=docs)


@router.get("/caches", summary="Cache statistics and health")
def list_caches(request: Request) -> CachesDoc:
    """Each in-process and disk cache: entries, bytes, hits, misses, evictions, hit ratio.

    ``health`` judges the last window of lookups: ``thrashing`` means the cache evicts nearly
    everything it stores while rarely hitting, and its misses ask for entries it evicted lately
    (its bounds are too small for the traffic); ``churn`` is the same with misses for new
    keys (a bigger cache would not help); ``idle``, too few lookups to judge.
    """
    registry: CacheRegistry = request.app.state.caches
    return caches_doc(registry)


_COUNTERS = {
    "hits": "Cache lookups answered from the cache.",
    "misses": "Cache lookups that had to compute.",
    "evictions": "Entries evicted to keep a cache within its bounds.",
    "invalidations": "Entries dropped because what they depend on changed.",
}
_GAUGES = {
    "entries": "Entries a cache holds.",
    "bytes": "Approximate bytes a cache holds.",
    "max_bytes": "A cache's byte bound.",
    "hit_ratio": "Hits over lookups since the server started.",
}


class CacheCollector(Collector):
    """Prometheus families for every cache of a registry, read at scrape time."""

    def __init__(self, registry: CacheRegistry) -> None:
        self._registry = registry

    def collect(self) -> Iterator[Any]:
        label = ["cache"]
        counters = {
            field: CounterMetricFamily(f"atd_cache_{field}", help_text, labels=label)
            for field, help_text in _COUNTERS.items()
        }
        gauges = {
            field: GaugeMetricFamily(f"atd_cache_{field}", help_text, labels=label)
            for field, help_text in _GAUGES.items()
        }
        for cache in self._registry:
            stats = cache.stats()
            for field, counter in counters.items():
                counter.add_metric([stats.name], getattr(stats, field))
            for field, gauge in gauges.items():
                gauge.add_metric([stats.name], getattr(stats, field))
        yield from counters.values()
        yield from gauges.values()


class ContextValueMiddleware:
    """Pure ASGI: set ``variable`` to ``value`` for every HTTP request to the app."""

    def __init__(self, app: ASGIApp, variable: ContextVar[Any], value: object) -> None:
        self.app = app
        self.variable = variable
        self.value = value

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = self.variable.set(self.value)
        try:
            await self.app(scope, receive, send)
        finally:
            self.variable.reset(token)


def install_cache_view(app: FastAPI, registry: CacheRegistry) -> None:
    """Serve ``/api/perf/caches`` and add the cache metrics to the app's ``/metrics``."""
    app.state.caches = registry
    app.include_router(router)
    metrics = getattr(app.state, "metrics", None)
    if metrics is not None:
        metrics.registry.register(CacheCollector(registry))
