"""Performance history: migration 0003 up and down, samples written, trended and pruned; budgets."""

from __future__ import annotations

from sqlalchemy import inspect

from anki_template_designer.store import Workspace
from anki_template_designer.store.engine import create_store_engine
from anki_template_designer.store.migrate import current_revision, downgrade, upgrade
from anki_template_designer.store.perf_history import DAY, HOUR, PerfHistory, PerfSample

PERF_TABLES = {"perf_samples", "perf_budgets"}


def _tables(url: str) -> set[str]:
    engine = create_store_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def sample(at: int, operation: str, count: int, p95: float, kind: str = "request") -> PerfSample:
    """A sample whose p50 and p99 are p95 halved and doubled."""
    return PerfSample(at, kind, operation, count, 1, p95 / 2, p95, p95 * 2)


def test_0003_adds_and_removes_the_perf_tables(database_url: str) -> None:
    upgrade(database_url, "0002")
    assert not PERF_TABLES & _tables(database_url)
    upgrade(database_url)
    assert current_revision(database_url) == "0003"
    assert _tables(database_url) >= PERF_TABLES
    downgrade(database_url, "0002")
    assert current_revision(database_url) == "0002"
    assert not PERF_TABLES & _tables(database_url)
    assert "revisions" in _tables(database_url)
    upgrade(database_url)
    assert _tables(database_url) >= PERF_TABLES


def test_samples_are_written_on_the_writer_thread_and_read_back(workspace: Workspace) -> None:
    history = PerfHistory(workspace)
    written = [sample(1_000, "GET /a", 10, 4.0), sample(1_060, "GET /a", 30, 8.0)]
    assert history.submit_samples(written).result() == 2
    assert history.samples(0) == written
    assert history.samples(1_030) == written[1:]
    assert history.samples(0, until=1_030) == written[:1]


def test_trend_groups_by_step_with_count_weighted_quantiles(workspace: Workspace) -> None:
    history = PerfHistory(workspace)
    day = 20_000 * DAY
    history.submit_samples(
        [
            sample(day + 60, "GET /a", 10, 4.0),
            sample(day + 120, "GET /a", 30, 8.0),
            sample(day + 120, "POST /b", 5, 50.0),
            sample(day + DAY + 60, "GET /a", 1, 100.0),
            sample(day + 60, "Basic", 3, 2.0, kind="render"),
        ]
    ).result()
    points = history.trend(day, DAY)
    by_key = {(p.start, p.kind, p.operation): p for p in points}
    first = by_key[(day, "request", "GET /a")]
    assert first.count == 40
    assert first.errors == 2
    assert first.p95_ms == (10 * 4.0 + 30 * 8.0) / 40
    assert first.p50_ms == first.p95_ms / 2
    assert first.worst_p95_ms == 8.0
    assert by_key[(day + DAY, "request", "GET /a")].count == 1
    assert by_key[(day, "render", "Basic")].count == 3
    assert len(points) == 4
    hourly = history.trend(day, HOUR, operation="POST /b")
    assert [(p.start, p.count, p.p95_ms) for p in hourly] == [(day, 5, 50.0)]


def test_pruning_deletes_only_older_samples(workspace: Workspace) -> None:
    history = PerfHistory(workspace)
    history.submit_samples([sample(100, "GET /a", 1, 1.0), sample(200, "GET /a", 1, 1.0)]).result()
    assert history.submit_prune(150).result() == 1
    assert [s.at for s in history.samples(0)] == [200]


def test_budgets_default_to_none_and_round_trip(workspace: Workspace) -> None:
    history = PerfHistory(workspace)
    assert history.budgets() is None
    history.submit_budgets({"*": 80.0, "POST /api/preview*": 20.0}).result()
    assert history.budgets() == {"*": 80.0, "POST /api/preview*": 20.0}
    history.submit_budgets({"GET /api/notetypes": 50.0}).result()
    assert history.budgets() == {"GET /api/notetypes": 50.0}
    history.submit_budgets({}).result()
    assert history.budgets() is None
