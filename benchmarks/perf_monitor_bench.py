"""What the Performance page's monitor costs: recording a request, judging budgets, the live view.

In process, no sockets: fills the rolling windows of ``--operations`` operations with
``--per-operation`` latencies each (4096 fill a ring), then prints the cost of one
``on_request`` (the middleware's hook, paid by every request), one budget evaluation (every
5 s in the background) and one ``GET /api/perf/live`` document (every 3 s while the page is
open). Prints figures; never asserts.

    .venv/bin/python benchmarks/perf_monitor_bench.py [--operations 40] [--per-operation 4096]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from anki_template_designer.perf.monitor import PerformanceMonitor
from anki_template_designer.server.perf_docs import live_doc


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--operations", type=int, default=40)
    parser.add_argument("--per-operation", type=int, default=4096)
    args = parser.parse_args()
    monitor = PerformanceMonitor()
    calls = 200_000
    started = time.perf_counter()
    for index in range(calls):
        monitor.on_request("GET", "/api/notetypes/{notetype_id}", "2xx", index % 97 / 1e4)
    record_us = (time.perf_counter() - started) / calls * 1e6
    for operation in range(args.operations):
        for index in range(args.per_operation):
            monitor.on_request("GET", f"/api/bench/{operation}", "2xx", index % 501 / 1e4)

    def timed(work: Callable[[], object], rounds: int = 7) -> float:
        times = []
        for _ in range(rounds):
            began = time.perf_counter()
            work()
            times.append(time.perf_counter() - began)
        return statistics.median(times) * 1000

    print(f"perf_monitor_bench: {args.operations} operations x {args.per_operation} latencies")
    print(f"on_request (per request)       {record_us:8.2f} us")
    print(f"budget evaluation              {timed(monitor.evaluate):8.1f} ms")
    print(f"GET /api/perf/live document    {timed(lambda: live_doc(monitor)):8.1f} ms")


if __name__ == "__main__":
    main()
