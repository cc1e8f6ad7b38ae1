"""The writer thread: batches of queued jobs, a failing job isolated from the rest."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from typing import cast

import pytest
from sqlalchemy import Connection, Table, insert, select

from anki_template_designer.store import Conflict, Workspace
from anki_template_designer.store.engine import WRITE
from anki_template_designer.store.tables import MetaRow
from anki_template_designer.store.write_queue import WriteQueue

META = cast(Table, MetaRow.__table__)
Result = tuple[str, Callable[[], None]]


@pytest.fixture
def queue(workspace: Workspace) -> Iterator[WriteQueue]:
    """A write queue over the workspace's database, with plain write transactions."""
    engine = workspace.engine.execution_options(**WRITE)

    @contextmanager
    def transaction() -> Iterator[Connection]:
        with engine.begin() as connection:
            yield connection

    writes = WriteQueue(transaction)
    yield writes
    writes.close()


def _meta(workspace: Workspace) -> set[str]:
    with workspace.engine.connect() as connection:
        keys = set(connection.scalars(select(META.c.key)))
    return keys - {"workspace_id", "created_at"}


def _adding(key: str, committed: list[str]) -> Callable[[Connection], Result]:
    def job(connection: Connection) -> Result:
        connection.execute(insert(META), {"key": key, "value": "v"})
        return key, lambda: committed.append(key)

    return job


def _failing(error: Exception) -> Callable[[Connection], Result]:
    def job(connection: Connection) -> Result:
        connection.execute(insert(META), {"key": f"half-done {error}", "value": "v"})
        raise error

    return job


def _refusing(connection: Connection) -> Result:
    # A store rule fails before anything is written.
    raise Conflict("stale", expected=1, current=2)


def _held(queue: WriteQueue) -> tuple[threading.Event, Future[str]]:
    """A job that keeps the writer busy until released, so that later jobs form one batch."""
    release = threading.Event()
    started = threading.Event()

    def job(connection: Connection) -> Result:
        started.set()
        assert release.wait(timeout=600), "the test never released the writer"
        return "held", lambda: None

    future = queue.submit(job)
    assert started.wait(timeout=600), "the writer thread never started the job"
    return release, future


def test_a_batch_commits_together_and_a_refused_job_fails_alone(
    queue: WriteQueue, workspace: Workspace
) -> None:
    committed: list[str] = []
    release, held = _held(queue)
    futures = [
        queue.submit(_adding("a", committed)),
        queue.submit(_refusing),
        queue.submit(_adding("b", committed)),
    ]
    release.set()
    assert held.result() == "held"
    assert futures[0].result() == "a" and futures[2].result() == "b"
    with pytest.raises(Conflict, match="stale"):
        futures[1].result()
    assert committed == ["a", "b"]
    assert _meta(workspace) == {"a", "b"}


def test_an_unexpected_failure_reruns_the_batch_one_job_at_a_time(
    queue: WriteQueue, workspace: Workspace
) -> None:
    committed: list[str] = []
    release, _ = _held(queue)
    futures = [
        queue.submit(_adding("a", committed)),
        queue.submit(_failing(RuntimeError("boom"))),
        queue.submit(_adding("b", committed)),
    ]
    release.set()
    assert futures[0].result() == "a" and futures[2].result() == "b"
    with pytest.raises(RuntimeError, match="boom"):
        futures[1].result()
    # The failed job's half-done write was rolled back; the others were saved once each.
    assert committed == ["a", "b"]
    assert _meta(workspace) == {"a", "b"}


def test_a_job_breaking_a_constraint_is_rerun_alone_and_answers_conflict(
    queue: WriteQueue, workspace: Workspace
) -> None:
    committed: list[str] = []
    release, _ = _held(queue)
    # Two jobs adding the same key: together the second breaks the batch's transaction;
    # alone, the second fails on the key the first committed.
    first = queue.submit(_adding("same", committed))
    second = queue.submit(_adding("same", committed))
    release.set()
    assert first.result() == "same"
    with pytest.raises(Conflict, match="changed while saving"):
        second.result()
    assert committed == ["same"]


def test_cancelled_jobs_are_skipped_and_close_drains_the_queue(
    queue: WriteQueue, workspace: Workspace
) -> None:
    committed: list[str] = []
    release, _ = _held(queue)
    cancelled = queue.submit(_adding("never", committed))
    kept = queue.submit(_adding("kept", committed))
    assert cancelled.cancel()
    release.set()
    queue.close()
    assert kept.done() and kept.result() == "kept"
    assert _meta(workspace) == {"kept"}


def test_a_failing_after_commit_step_still_answers_the_committed_result(
    queue: WriteQueue, workspace: Workspace, caplog: pytest.LogCaptureFixture
) -> None:
    def job(connection: Connection) -> Result:
        connection.execute(insert(META), {"key": "saved", "value": "v"})

        def after_commit() -> None:
            raise RuntimeError("cache broke")

        return "saved", after_commit

    assert queue.submit(job).result() == "saved"
    assert _meta(workspace) == {"saved"}
    assert "cache broke" in caplog.text
