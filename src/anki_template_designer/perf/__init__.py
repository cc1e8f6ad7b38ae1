"""Performance: request and render metrics (``/metrics``) and conditional GETs (ETags).

A capability package: the server uses it; ``core/`` and ``services/`` know nothing of it.
"""

from __future__ import annotations

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
    "MetricsMiddleware",
    "ServerMetrics",
    "conditional_json",
    "conditional_response",
    "etag_matches",
    "install_metrics",
    "route_template",
    "strong_etag",
    "timed_render",
]
