"""``GET /metrics``: this server's metrics in the Prometheus text format."""

from __future__ import annotations

from fastapi import FastAPI, Request, Response
from prometheus_client.exposition import choose_encoder

from .metrics import ServerMetrics
from .middleware import MetricsMiddleware


def install_metrics(app: FastAPI) -> ServerMetrics:
    """Measure every request to ``app`` and serve the figures at ``/metrics``.

    Call it after adding the app's other middleware, so that the measurement includes them.
    """
    metrics = ServerMetrics()
    app.state.metrics = metrics
    app.add_middleware(MetricsMiddleware, metrics=metrics)

    @app.get("/metrics", include_in_schema=False, response_class=Response)
    async def prometheus_metrics(request: Request) -> Response:
        """The metrics for a Prometheus scrape (read-only).

        The classic text format (0.0.4), or OpenMetrics if the scraper's ``Accept`` asks for it.
        """
        encode, content_type = choose_encoder(request.headers.get("accept", ""))
        return Response(encode(metrics.registry), headers={"Content-Type": content_type})

    return metrics
