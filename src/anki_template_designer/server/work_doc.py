"""The work manager seen from the Performance page: queues, running jobs, refusals, stops."""

from __future__ import annotations

from collections import defaultdict

from prometheus_client import Counter
from pydantic import BaseModel

from ..perf.work import Priority, WorkManager


class PriorityWorkDoc(BaseModel):
    """One priority's queue now, and what the manager refused or stopped since it started."""

    priority: str
    queued: int
    max_queued: int
    running: int
    budget_ms: float | None
    refused: dict[str, int]
    stopped: dict[str, int]
    coalesced: int


class WorkDoc(BaseModel):
    """The work manager now: workers, requests waiting on a shared job, and each priority."""

    workers: int
    reserved_for_interactive: int
    flights: int
    streams: int
    priorities: list[PriorityWorkDoc]


def _by_priority(counter: Counter, with_reason: bool) -> dict[str, dict[str, int]]:
    """A labelled counter's values as {priority: {reason: count}} ("" when no reason)."""
    found: dict[str, dict[str, int]] = defaultdict(dict)
    for family in counter.collect():
        for sample in family.samples:
            if not sample.name.endswith("_total"):
                continue  # the "_created" timestamps
            reason = sample.labels.get("reason", "") if with_reason else ""
            found[sample.labels["priority"]][reason] = int(sample.value)
    return found


def work_doc(work: WorkManager) -> WorkDoc:
    """The manager's snapshot with its counters (read from its Prometheus metrics)."""
    snapshot = work.snapshot()
    config = work.config
    metrics = work.metrics
    refused = _by_priority(metrics.refused, True) if metrics else {}
    stopped = _by_priority(metrics.stopped, True) if metrics else {}
    coalesced = _by_priority(metrics.coalesced, False) if metrics else {}
    priorities = []
    for priority in Priority:
        label = priority.label
        budget = config.budget(priority)
        priorities.append(
            PriorityWorkDoc(
                priority=label,
                queued=snapshot.queued.get(label, 0),
                max_queued=config.depth(priority),
                running=snapshot.running.get(label, 0),
                budget_ms=None if budget is None else budget * 1000.0,
                refused=dict(refused.get(label, {})),
                stopped=dict(stopped.get(label, {})),
                coalesced=coalesced.get(label, {}).get("", 0),
            )
        )
    return WorkDoc(
        workers=config.workers,
        reserved_for_interactive=config.reserved,
        flights=snapshot.flights,
        streams=snapshot.streams,
        priorities=priorities,
    )
