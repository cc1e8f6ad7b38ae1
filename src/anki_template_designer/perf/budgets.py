"""p95 latency budgets per operation, and alerts raised once per crossing.

A budget names an operation exactly (``GET /api/notetypes``) or a prefix ending in ``*``
(``POST /api/preview*``; ``*`` alone is every operation). The longest matching name wins,
an exact name before any pattern. An operation whose p95 over the live window goes above
its budget raises an alert and one WARNING log line; it stays raised (no further lines)
until the p95 comes back under, which logs once at INFO. A window with fewer than
``min_count`` requests is not judged: one cold request is not a trend.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from .stats import WindowSummary

# The floor for every interactive operation, and the goal for previews.
DEFAULT_BUDGETS: dict[str, float] = {"*": 100.0, "POST /api/preview*": 25.0}
MIN_COUNT = 20
MAX_BUDGETS = 200

_log = logging.getLogger(__name__)


class BudgetError(ValueError):
    """A budget that cannot be used; the message says which and why."""


def check_budgets(budgets: Mapping[str, float]) -> dict[str, float]:
    """``budgets`` cleaned up (names stripped); BudgetError for an empty name or bad value."""
    if len(budgets) > MAX_BUDGETS:
        raise BudgetError(f"{len(budgets)} budgets is more than the {MAX_BUDGETS} allowed")
    checked: dict[str, float] = {}
    for name, milliseconds in budgets.items():
        operation = name.strip()
        if not operation:
            raise BudgetError("a budget needs an operation, e.g. 'GET /api/notetypes' or '*'")
        if "*" in operation[:-1]:
            raise BudgetError(f"budget {operation!r}: '*' may only end a pattern")
        if not math.isfinite(milliseconds) or milliseconds <= 0:
            raise BudgetError(f"budget {operation!r}: {milliseconds} ms is not a positive time")
        checked[operation] = float(milliseconds)
    return checked


def budget_for(operation: str, budgets: Mapping[str, float]) -> float | None:
    """The p95 budget in milliseconds that applies to ``operation``, or None."""
    exact = budgets.get(operation)
    if exact is not None and not operation.endswith("*"):
        return exact
    best: tuple[int, float] | None = None
    for name, milliseconds in budgets.items():
        matches = name.endswith("*") and operation.startswith(name[:-1])
        if matches and (best is None or len(name) > best[0]):
            best = (len(name), milliseconds)
    return best[1] if best else None


@dataclass(frozen=True, slots=True)
class Alert:
    """An operation whose p95 is over its budget, since ``since`` (epoch seconds)."""

    operation: str
    budget_ms: float
    p95_ms: float
    count: int
    since: float

    @property
    def message(self) -> str:
        """One line for a log or a banner."""
        return (
            f"{self.operation}: p95 {self.p95_ms:.1f} ms is over its {self.budget_ms:g} ms budget "
            f"({self.count} requests in the window)"
        )


class BudgetMonitor:
    """The budgets in force and the alerts they raised; ``evaluate`` judges fresh figures."""

    def __init__(
        self,
        budgets: Mapping[str, float] | None = None,
        *,
        min_count: int = MIN_COUNT,
        wall_clock: Callable[[], float] = time.time,
        logger: logging.Logger = _log,
    ) -> None:
        self._budgets = dict(DEFAULT_BUDGETS if budgets is None else budgets)
        self.min_count = min_count
        self._wall_clock = wall_clock
        self._log = logger
        self._alerts: dict[str, Alert] = {}
        self._lock = threading.Lock()

    @property
    def budgets(self) -> dict[str, float]:
        """A copy of the budgets in force."""
        with self._lock:
            return dict(self._budgets)

    def set_budgets(self, budgets: Mapping[str, float] | None) -> None:
        """Use ``budgets`` from now on (None: the defaults); alerts are judged again next time."""
        chosen = dict(DEFAULT_BUDGETS if budgets is None else check_budgets(budgets))
        with self._lock:
            self._budgets = chosen

    def alerts(self) -> list[Alert]:
        """The alerts raised and not yet cleared, oldest first."""
        with self._lock:
            return sorted(self._alerts.values(), key=lambda a: (a.since, a.operation))

    def budget_for(self, operation: str) -> float | None:
        """The budget that applies to ``operation`` now."""
        with self._lock:
            return budget_for(operation, self._budgets)

    def evaluate(self, summaries: Iterable[WindowSummary]) -> list[Alert]:
        """Raise or clear alerts from the live window's figures; the alerts now raised."""
        now = self._wall_clock()
        raised: list[Alert] = []
        cleared: list[tuple[str, float, float]] = []
        with self._lock:
            seen: set[str] = set()
            for summary in summaries:
                operation = summary.key
                seen.add(operation)
                budget = budget_for(operation, self._budgets)
                p95_ms = summary.p95 * 1000.0
                if budget is None or summary.samples < self.min_count:
                    if operation in self._alerts and budget is None:
                        del self._alerts[operation]
                        cleared.append((operation, p95_ms, math.nan))
                    continue
                current = self._alerts.get(operation)
                if p95_ms > budget:
                    since = current.since if current else now
                    alert = Alert(operation, budget, p95_ms, summary.count, since)
                    self._alerts[operation] = alert
                    if current is None:
                        raised.append(alert)
                elif current is not None:
                    del self._alerts[operation]
                    cleared.append((operation, p95_ms, budget))
            for operation in [name for name in self._alerts if name not in seen]:
                # Idle for a whole window: nothing left to judge, so nothing over budget.
                del self._alerts[operation]
                cleared.append((operation, math.nan, math.nan))
            current_alerts = sorted(self._alerts.values(), key=lambda a: (a.since, a.operation))
        for alert in raised:
            self._log.warning("performance budget crossed: %s", alert.message)
        for operation, p95_ms, budget in cleared:
            self._log.info(
                "performance budget met again: %s (p95 %.1f ms, budget %s ms)",
                operation,
                p95_ms,
                budget,
            )
        return current_alerts
