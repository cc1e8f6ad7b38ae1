"""One writer thread that runs queued saves, as many as are waiting, in one transaction.

Autosaves arrive many a second from every open editor. Taking turns on a lock, each in
its own transaction, they queue behind whichever holder the operating system or the GIL
has paused, and each pays for its own BEGIN and COMMIT. Here one thread takes everything
waiting at once and commits it together ("group commit"): the busier the server, the
larger the batch and the cheaper each save.

A job that raises a StoreError (a stale revision, a taken name) must have written nothing
(the store checks every rule before its first write), so the others go on and its caller
gets the error. Any other failure leaves the transaction in doubt: the batch is rolled
back and each of its jobs run again in a transaction of its own, so that only the job at
fault fails.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import AbstractContextManager
from typing import Any, TypeVar

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from .errors import StoreError, changed_meanwhile

T = TypeVar("T")
Job = Callable[[Connection], tuple[T, Callable[[], None]]]
"""Work for one write: returns its result and what to do once it is committed."""

_log = logging.getLogger(__name__)
_STOP = object()
_MAX_BATCH = 64


class WriteQueue:
    """A queue of write jobs and the daemon thread that runs them in batches."""

    def __init__(self, transaction: Callable[[], AbstractContextManager[Connection]]) -> None:
        self._transaction = transaction
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start = threading.Lock()

    def submit(self, job: Job[T]) -> Future[T]:
        """Queue ``job``; the future resolves once its batch has committed (or it failed)."""
        future: Future[T] = Future()
        with self._start:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="atd-writer", daemon=True)
                self._thread.start()
            self._queue.put((job, future))
        return future

    def close(self) -> None:
        """Run what is queued, then stop the thread."""
        with self._start:
            thread, self._thread = self._thread, None
            if thread is None:
                return
            self._queue.put(_STOP)
        thread.join()

    def _run(self) -> None:
        while True:
            batch = list(self._waiting())
            stop = batch[-1] is _STOP
            jobs = batch[:-1] if stop else batch
            if jobs:
                try:
                    self._run_batch(jobs)
                except Exception as exc:  # a bug here must not leave callers waiting forever
                    for _, future in jobs:
                        if not future.done():
                            future.set_exception(exc)
            if stop:
                return

    def _waiting(self) -> Iterator[Any]:
        item = self._queue.get()
        yield item
        for _ in range(_MAX_BATCH - 1):
            if item is _STOP:
                return
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return
            yield item

    def _run_batch(self, jobs: list[tuple[Job[Any], Future[Any]]]) -> None:
        started = [(job, future) for job, future in jobs if future.set_running_or_notify_cancel()]
        if len(started) == 1:
            self._settle(started, self._alone(started[0][0]))
            return
        try:
            outcomes = self._transact(started)
        except _InDoubt:
            for job, future in started:
                self._settle([(job, future)], self._alone(job))
            return
        self._settle(started, outcomes)

    def _alone(self, job: Job[Any]) -> list[_Outcome]:
        try:
            return self._transact([(job, None)])
        except _InDoubt as doubt:
            return [(False, doubt.error, None)]

    def _transact(self, jobs: list[tuple[Job[Any], Any]]) -> list[_Outcome]:
        """Run ``jobs`` in one transaction; their outcomes, or _InDoubt (all rolled back)."""
        outcomes: list[_Outcome] = []
        try:
            with self._transaction() as connection:
                for job, _ in jobs:
                    try:
                        result, after_commit = job(connection)
                    except StoreError as exc:
                        outcomes.append((False, exc, None))
                    except IntegrityError as exc:
                        # Only a writer in another process gets here: rules are checked first.
                        raise _InDoubt(changed_meanwhile(exc.orig)) from exc
                    except Exception as exc:
                        raise _InDoubt(exc) from exc
                    else:
                        outcomes.append((True, result, after_commit))
        except _InDoubt:
            raise
        except Exception as exc:  # the commit failed: nothing was saved
            raise _InDoubt(exc) from exc
        return outcomes

    @staticmethod
    def _settle(jobs: list[tuple[Job[Any], Future[Any]]], outcomes: list[_Outcome]) -> None:
        for (_, future), (ok, value, after_commit) in zip(jobs, outcomes, strict=True):
            if ok and after_commit is not None:
                try:
                    after_commit()
                except Exception:
                    # The write is committed: its caller gets its result all the same.
                    _log.exception("after saving, updating what the store remembers failed")
                future.set_result(value)
            else:
                future.set_exception(value)


class _InDoubt(Exception):
    """A job or the commit failed in a way that may have left partial writes."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.error = error


_Outcome = tuple[bool, Any, Callable[[], None] | None]
