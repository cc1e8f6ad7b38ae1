"""Performance history in the workspace: minute samples, trends over days, p95 budgets.

Samples are written through the workspace's writer thread (group-committed with autosaves),
so the server's sampler never holds a request up; reads use their own short transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar, cast

from sqlalchemy import Connection, Table, delete, func, insert, literal, select

from .tables import PerfBudgetRow, PerfSampleRow

if TYPE_CHECKING:
    from .workspace import Workspace

T = TypeVar("T")
SAMPLES = cast(Table, PerfSampleRow.__table__)
BUDGETS = cast(Table, PerfBudgetRow.__table__)
KEEP_DAYS = 90
DAY = 86_400
HOUR = 3_600


@dataclass(frozen=True, slots=True)
class PerfSample:
    """One minute of one operation (``kind`` "request") or note type (``kind`` "render")."""

    at: int  # seconds since the epoch, UTC
    kind: str
    operation: str
    count: int
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """An hour or a day of one operation: totals, count-weighted mean quantiles, worst p95."""

    start: int  # seconds since the epoch, UTC
    kind: str
    operation: str
    count: int
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    worst_p95_ms: float

    @classmethod
    def of_sample(cls, sample: PerfSample) -> TrendPoint:
        """A minute sample as a trend point of one minute (its p95 is also the worst)."""
        return cls(
            sample.at,
            sample.kind,
            sample.operation,
            sample.count,
            sample.errors,
            sample.p50_ms,
            sample.p95_ms,
            sample.p99_ms,
            sample.p95_ms,
        )


def write_samples(connection: Connection, samples: Sequence[PerfSample]) -> int:
    """Insert ``samples``; how many."""
    if samples:
        connection.execute(insert(SAMPLES), [_row(sample) for sample in samples])
    return len(samples)


def _row(sample: PerfSample) -> dict[str, object]:
    return {
        "at": sample.at,
        "kind": sample.kind,
        "operation": sample.operation,
        "count": sample.count,
        "errors": sample.errors,
        "p50_ms": sample.p50_ms,
        "p95_ms": sample.p95_ms,
        "p99_ms": sample.p99_ms,
    }


def prune_samples(connection: Connection, before: int) -> int:
    """Delete samples taken before ``before`` (epoch seconds); how many went."""
    result = connection.execute(delete(SAMPLES).where(SAMPLES.c.at < before))
    return int(result.rowcount or 0)


def read_samples(connection: Connection, since: int, until: int | None = None) -> list[PerfSample]:
    """Every sample taken at or after ``since`` (and before ``until``), oldest first."""
    query = select(*(SAMPLES.c[name] for name in PerfSample.__slots__)).where(SAMPLES.c.at >= since)
    if until is not None:
        query = query.where(SAMPLES.c.at < until)
    rows = connection.execute(query.order_by(SAMPLES.c.at, SAMPLES.c.id))
    return [PerfSample(*row) for row in rows]


def read_trend(
    connection: Connection, since: int, step: int = DAY, operation: str | None = None
) -> list[TrendPoint]:
    """Samples since ``since`` grouped by ``step`` seconds and operation, oldest first."""
    bucket = (SAMPLES.c.at // literal(step)).label("bucket")
    count = func.sum(SAMPLES.c.count)
    query = (
        select(
            bucket,
            SAMPLES.c.kind,
            SAMPLES.c.operation,
            count,
            func.sum(SAMPLES.c.errors),
            func.sum(SAMPLES.c.p50_ms * SAMPLES.c.count),
            func.sum(SAMPLES.c.p95_ms * SAMPLES.c.count),
            func.sum(SAMPLES.c.p99_ms * SAMPLES.c.count),
            func.max(SAMPLES.c.p95_ms),
        )
        .where(SAMPLES.c.at >= since)
        .group_by(bucket, SAMPLES.c.kind, SAMPLES.c.operation)
        .order_by(bucket, SAMPLES.c.kind, SAMPLES.c.operation)
    )
    if operation is not None:
        query = query.where(SAMPLES.c.operation == operation)
    points = []
    for index, kind, name, total, errors, p50, p95, p99, worst in connection.execute(query):
        total = int(total or 0)
        weight = total or 1
        points.append(
            TrendPoint(
                start=int(index) * step,
                kind=kind,
                operation=name,
                count=total,
                errors=int(errors or 0),
                p50_ms=float(p50 or 0) / weight,
                p95_ms=float(p95 or 0) / weight,
                p99_ms=float(p99 or 0) / weight,
                worst_p95_ms=float(worst or 0),
            )
        )
    return points


def read_budgets(connection: Connection) -> dict[str, float] | None:
    """The budgets a user set, by operation or pattern; None if never set (defaults apply)."""
    rows = connection.execute(select(BUDGETS.c.operation, BUDGETS.c.p95_ms)).all()
    return {operation: float(ms) for operation, ms in rows} if rows else None


def replace_budgets(connection: Connection, budgets: Mapping[str, float]) -> None:
    """Store exactly ``budgets`` (an empty mapping restores the defaults)."""
    connection.execute(delete(BUDGETS))
    if budgets:
        connection.execute(
            insert(BUDGETS), [{"operation": k, "p95_ms": v} for k, v in budgets.items()]
        )


class PerfHistory:
    """A workspace's performance history: writes queued on its writer thread, reads direct."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace

    def submit_samples(self, samples: Iterable[PerfSample]) -> Future[int]:
        """Queue ``samples`` for writing; the future holds how many were written."""
        batch = list(samples)
        return self._submit(lambda connection: write_samples(connection, batch))

    def submit_prune(self, before: int) -> Future[int]:
        """Queue deleting samples older than ``before``; the future holds how many went."""
        return self._submit(lambda connection: prune_samples(connection, before))

    def submit_budgets(self, budgets: Mapping[str, float]) -> Future[None]:
        """Queue replacing the stored budgets."""
        chosen = dict(budgets)
        return self._submit(lambda connection: replace_budgets(connection, chosen))

    def samples(self, since: int, until: int | None = None) -> list[PerfSample]:
        """The samples taken since ``since``, oldest first."""
        with self._workspace.engine.connect() as connection:
            return read_samples(connection, since, until)

    def trend(self, since: int, step: int = DAY, operation: str | None = None) -> list[TrendPoint]:
        """Samples grouped by ``step`` seconds per operation since ``since``."""
        with self._workspace.engine.connect() as connection:
            return read_trend(connection, since, step, operation)

    def budgets(self) -> dict[str, float] | None:
        """The stored budgets, or None for the defaults."""
        with self._workspace.engine.connect() as connection:
            return read_budgets(connection)

    def _submit(self, write: Callable[[Connection], T]) -> Future[T]:
        def job(connection: Connection) -> tuple[T, Callable[[], None]]:
            return write(connection), _nothing

        # The writer thread belongs to the workspace: one queue for every write it makes.
        return self._workspace._edits.submit(job)


def _nothing() -> None:
    """Nothing to remember once a performance write is committed."""
