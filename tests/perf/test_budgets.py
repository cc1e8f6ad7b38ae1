"""Budgets: which applies; a crossing raises one alert and one WARNING line, not one per look."""

from __future__ import annotations

import logging

import pytest

from anki_template_designer.perf.budgets import (
    DEFAULT_BUDGETS,
    BudgetError,
    BudgetMonitor,
    budget_for,
    check_budgets,
)
from anki_template_designer.perf.stats import RollingStats

LOGGER = "anki_template_designer.perf.budgets"


class Clock:
    def __init__(self) -> None:
        self.now = 5_000.0

    def __call__(self) -> float:
        return self.now


def test_the_longest_matching_budget_applies() -> None:
    assert budget_for("GET /api/notetypes", DEFAULT_BUDGETS) == 100
    assert budget_for("POST /api/preview/pages", DEFAULT_BUDGETS) == 25
    assert budget_for("POST /api/preview", DEFAULT_BUDGETS) == 25
    budgets = {"GET /api/*": 50.0, "GET /api/notetypes": 10.0, "POST /api/preview*": 25.0}
    assert budget_for("GET /api/notetypes", budgets) == 10
    assert budget_for("GET /api/notetypes/{notetype_id}", budgets) == 50
    assert budget_for("DELETE /api/notetypes/{notetype_id}", budgets) is None


def test_bad_budgets_are_refused_with_the_reason() -> None:
    with pytest.raises(BudgetError, match="positive"):
        check_budgets({"*": 0})
    with pytest.raises(BudgetError, match="operation"):
        check_budgets({" ": 10})
    with pytest.raises(BudgetError, match="may only end"):
        check_budgets({"GET */x": 10})
    assert check_budgets({" GET /a ": 5}) == {"GET /a": 5.0}


def _fill(stats: RollingStats, key: str, milliseconds: float, count: int = 40) -> None:
    for _ in range(count):
        stats.record(key, milliseconds / 1000)


def test_one_crossing_raises_one_alert_and_one_warning(caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock()
    stats = RollingStats(window_seconds=60, clock=clock)
    monitor = BudgetMonitor({"*": 100.0}, wall_clock=clock)
    _fill(stats, "GET /fast", 5)
    _fill(stats, "GET /slow", 150)
    with caplog.at_level(logging.INFO, logger=LOGGER):
        for _ in range(5):  # looked at many times while over budget
            alerts = monitor.evaluate(stats.summaries())
            _fill(stats, "GET /slow", 150, count=2)
    assert [a.operation for a in alerts] == ["GET /slow"]
    assert alerts[0].p95_ms == 150 and alerts[0].budget_ms == 100 and alerts[0].since == 5_000
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "GET /slow" in warnings[0].getMessage() and "100 ms budget" in warnings[0].getMessage()
    assert monitor.alerts() == alerts


def test_an_alert_clears_when_back_under_and_a_new_crossing_warns_again(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    stats = RollingStats(window_seconds=60, clock=clock)
    monitor = BudgetMonitor({"*": 100.0}, wall_clock=clock)
    with caplog.at_level(logging.INFO, logger=LOGGER):
        _fill(stats, "GET /x", 150)
        assert monitor.evaluate(stats.summaries())
        clock.now += 120  # the slow requests leave the window
        _fill(stats, "GET /x", 10)
        assert monitor.evaluate(stats.summaries()) == []
        clock.now += 120
        _fill(stats, "GET /x", 200)
        assert len(monitor.evaluate(stats.summaries())) == 1
    levels = [r.levelname for r in caplog.records]
    assert levels == ["WARNING", "INFO", "WARNING"]


def test_too_few_requests_are_not_judged() -> None:
    clock = Clock()
    stats = RollingStats(clock=clock)
    monitor = BudgetMonitor({"*": 100.0}, min_count=20, wall_clock=clock)
    _fill(stats, "GET /cold", 900, count=19)
    assert monitor.evaluate(stats.summaries()) == []
    _fill(stats, "GET /cold", 900, count=1)
    assert len(monitor.evaluate(stats.summaries())) == 1


def test_new_budgets_apply_at_the_next_evaluation() -> None:
    clock = Clock()
    stats = RollingStats(clock=clock)
    monitor = BudgetMonitor(wall_clock=clock)
    _fill(stats, "POST /api/preview/pages", 40)
    assert [a.budget_ms for a in monitor.evaluate(stats.summaries())] == [25]
    monitor.set_budgets({"POST /api/preview*": 50.0})
    assert monitor.evaluate(stats.summaries()) == []
    monitor.set_budgets(None)
    assert monitor.budgets == DEFAULT_BUDGETS
