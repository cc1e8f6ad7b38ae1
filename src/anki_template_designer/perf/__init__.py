"""Performance: metrics (``/metrics``), conditional GETs (ETags), and bounded caches.

A capability package: the server uses it; ``core/`` and ``services/`` know nothing of it.
"""

from __future__ import annotations

from .cache import BoundedCache, CacheRegistry, content_key
from .disk_cache import DiskCache
from .endpoint import install_metrics
from .http_cache import (
    NOT_MODIFIED_DOC,
    conditional_json,
    conditional_response,
    etag_matches,
    strong_etag,
)
from .metrics import ServerMetrics, timed_render
from .middleware import MetricsMiddleware, route_template

__all__ = [
    "NOT_MODIFIED_DOC",
    "BoundedCache",
    "CacheRegistry",
    "DiskCache",
    "MetricsMiddleware",
    "ServerMetrics",
    "conditional_json",
    "conditional_response",
    "content_key",
    "etag_matches",
    "install_metrics",
    "route_template",
    "strong_etag",
    "timed_render",
]
