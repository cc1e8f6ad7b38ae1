"""The async work manager: coalesced, prioritised, bounded, cancellable work on worker threads.

``WorkManager.run(priority, fn, key=…, stream=…)`` runs ``fn(job)`` on a worker thread and
answers its result:

- Coalescing: while a job with the same ``key`` is under way, a new request waits for that
  job's result instead of starting another (two editors previewing the same card). The job
  runs in a task of its own, so the request that started it may go away without taking the
  result from the others; when the *last* waiting request goes, the job is stopped.
- Priorities: a fixed number of workers; waiting jobs start in priority order (interactive,
  lint, background), first come first served within one. One worker is kept free of lint and
  background work, so a keystroke never waits behind an export; a priority may also be
  limited to a number of running jobs (one export at a time).
- No starvation: a lint or background job that has waited past its priority's ``aging``
  time goes before newer previews when a worker frees, so a busy-but-healthy stream of
  keystrokes delays it by about that much, never indefinitely.
- Bounded queues: each priority has a queue depth; past it a request is refused
  (``Overloaded``, reason ``queue-full``). A job that waits past its priority's wait limit is
  refused too (reason ``shed``): that is real overload, and its client retries later.
- Supersession: a request naming a ``stream`` (one editor's preview) replaces the stream's
  previous request, which answers ``Superseded`` at once; its job, if no one else waits for
  it, is dropped from the queue or stopped at its next node through its probe.
- Budgets: a job running past its priority's budget is stopped at its next node
  (``OverBudget``). Only work that calls ``job.check()`` (a render, through its probe) stops.

The manager belongs to one event loop (the server's); ``fn`` must not touch the loop.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar, cast

from anyio import CapacityLimiter, to_thread

from .work_job import (
    Job,
    OverBudget,
    Overloaded,
    Priority,
    Superseded,
    WorkCancelled,
    WorkConfig,
    WorkError,
    WorkStopped,
    current_job,
)
from .work_metrics import WorkMetrics

if TYPE_CHECKING:
    from ..core.template.renderer import RenderProbe

__all__ = [
    "Job",
    "OverBudget",
    "Overloaded",
    "Priority",
    "Superseded",
    "WorkCancelled",
    "WorkConfig",
    "WorkError",
    "WorkManager",
    "WorkSnapshot",
    "WorkStopped",
    "current_job",
]

T = TypeVar("T")


@dataclass(eq=False)
class _Flight:
    """A job under way and how many requests wait for its result."""

    job: Job
    task: asyncio.Task[Any]
    key: Hashable | None
    waiters: list[_Waiter] = field(default_factory=list)


@dataclass(eq=False)
class _Waiter:
    """One request waiting for a flight's outcome, copied into ``answer`` when it lands.

    ``kicked``: a newer request on its stream came; ``answer`` then holds ``Superseded``.
    """

    flight: _Flight
    stream: str | None
    answer: asyncio.Future[Any]
    kicked: bool = False


@dataclass(frozen=True)
class WorkSnapshot:
    """What the manager holds right now: queued and running jobs by priority label."""

    queued: dict[str, int] = field(default_factory=dict)
    running: dict[str, int] = field(default_factory=dict)
    flights: int = 0
    streams: int = 0


class WorkManager:
    """Runs work on a fixed number of worker threads, by priority, coalesced and cancellable."""

    def __init__(
        self,
        config: WorkConfig | None = None,
        metrics: WorkMetrics | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config if config is not None else WorkConfig()
        self.metrics = metrics
        self._clock = clock
        self._queues: dict[Priority, deque[Job]] = {p: deque() for p in Priority}
        self._running: dict[Priority, int] = dict.fromkeys(Priority, 0)
        self._flights: dict[Hashable, _Flight] = {}
        self._streams: dict[str, _Waiter] = {}
        self._limiter: CapacityLimiter | None = None
        # Queued jobs with a wait limit -> the timer that refuses them when it passes.
        self._timers: dict[Job, asyncio.TimerHandle] = {}

    async def run(
        self,
        priority: Priority,
        fn: Callable[[Job], T],
        *,
        key: Hashable | None = None,
        stream: str | None = None,
        observer: RenderProbe | None = None,
    ) -> T:
        """``fn(job)``'s result, computed on a worker thread (or by an identical job under way).

        Raises ``Overloaded`` when refused, ``Superseded`` when a newer request on ``stream``
        came, ``OverBudget`` when the job ran too long, and whatever ``fn`` raised.
        ``observer`` is a probe the job passes render timings on to (a profiler).
        """
        if stream is not None:
            self._supersede(stream, key)
        flight = self._flights.get(key) if key is not None else None
        if flight is not None and flight.job.priority is priority and not flight.job.stopping:
            if self.metrics is not None:
                self.metrics.count_coalesced(priority)
        else:
            flight = self._launch(priority, fn, key, observer)
        # One future per request (not asyncio.wait on the task): the cheapest way to wait.
        waiter = _Waiter(flight, stream, asyncio.get_running_loop().create_future())
        flight.waiters.append(waiter)
        if stream is not None:
            self._streams[stream] = waiter
        try:
            return cast(T, await waiter.answer)
        except asyncio.CancelledError:
            if waiter.answer.done() and not waiter.answer.cancelled():
                waiter.answer.exception()  # landed just as we were cancelled: not an orphan
            raise
        finally:
            self._leave(waiter)

    def snapshot(self) -> WorkSnapshot:
        """Queue depths and running jobs by priority, flights under way, streams waiting."""
        return WorkSnapshot(
            queued={p.label: len(q) for p, q in self._queues.items()},
            running={p.label: n for p, n in self._running.items()},
            flights=len(self._flights),
            streams=len(self._streams),
        )

    # -- admission and dispatch -----------------------------------------------------------

    def _launch(
        self,
        priority: Priority,
        fn: Callable[[Job], Any],
        key: Hashable | None,
        observer: RenderProbe | None,
    ) -> _Flight:
        job = Job(priority, self.config.budget(priority), self._clock, observer)
        self._admit(job)
        task = asyncio.get_running_loop().create_task(self._execute(job, fn))
        flight = _Flight(job, task, key)
        if key is not None:
            self._flights[key] = flight
        task.add_done_callback(partial(self._landed, flight))
        return flight

    def _admit(self, job: Job) -> None:
        """Start the job now, queue it, or refuse it (``Overloaded``, its queue is full)."""
        priority = job.priority
        ahead = any(self._queues[p] for p in Priority if p <= priority)
        if not ahead and self._startable(priority):
            self._start(job)
            return
        queue = self._queues[priority]
        if len(queue) >= self.config.depth(priority):
            self._refuse(priority, "queue-full")
        queue.append(job)
        self._note_depth(priority)
        wait = self.config.max_wait(priority)
        if wait is not None:
            loop = asyncio.get_running_loop()
            self._timers[job] = loop.call_later(wait, self._expire, job)

    def _refuse(self, priority: Priority, reason: str) -> None:
        if self.metrics is not None:
            self.metrics.count_refused(priority, reason)
        raise Overloaded(priority, "shed" if reason == "shed" else "queue-full", self._retry())

    def _retry(self) -> int:
        return self.config.retry_after

    def _expire(self, job: Job) -> None:
        """The job waited past its limit: out of its queue, its waiters answered ``shed``."""
        self._timers.pop(job, None)
        if job.state != "queued" or job.stopping:
            return
        queue = self._queues[job.priority]
        if job in queue:
            queue.remove(job)
            self._note_depth(job.priority)
        if self.metrics is not None:
            self.metrics.count_refused(job.priority, "shed")
        waited = self._clock() - job.submitted
        job.stop(Overloaded(job.priority, "shed", self._retry(), waited))

    def _unqueued(self, job: Job) -> None:
        """The job left its queue (started, stopped): its wait limit no longer applies."""
        timer = self._timers.pop(job, None)
        if timer is not None:
            timer.cancel()

    def _startable(self, priority: Priority) -> bool:
        running = sum(self._running.values())
        if running >= self.config.workers:
            return False
        if priority is Priority.INTERACTIVE:
            return True
        others = running - self._running[Priority.INTERACTIVE]
        if others >= self.config.workers - self.config.reserved:
            return False  # the reserved worker is for keystrokes only
        limit = self.config.limit(priority)
        return limit is None or self._running[priority] < limit

    def _start(self, job: Job) -> None:
        job.state = "running"
        self._unqueued(job)
        self._running[job.priority] += 1
        job.go.set_result(None)
        if self.metrics is not None:
            self.metrics.observe_wait(job.priority, self._clock() - job.submitted)
            self.metrics.set_running(job.priority, self._running[job.priority])

    def _next(self) -> Priority | None:
        """The priority whose oldest waiting job starts next, if a worker is free for it.

        A job waiting past its priority's aging time goes first (the longest-waiting of
        them); otherwise the highest priority with a startable job.
        """
        now = self._clock()
        aged: list[tuple[float, Priority]] = []
        for priority in Priority:
            queue = self._queues[priority]
            age = self.config.ages_after(priority)
            if not queue or age is None or now - queue[0].submitted < age:
                continue
            if self._startable(priority):
                aged.append((queue[0].submitted, priority))
        if aged:
            return min(aged)[1]
        return next((p for p in Priority if self._queues[p] and self._startable(p)), None)

    def _dispatch(self) -> None:
        """Start waiting jobs (aged ones first, then by priority) while workers are free."""
        while (priority := self._next()) is not None:
            job = self._queues[priority].popleft()
            self._note_depth(priority)
            self._start(job)

    def _note_depth(self, priority: Priority) -> None:
        if self.metrics is not None:
            self.metrics.set_depth(priority, len(self._queues[priority]))

    # -- running and finishing ------------------------------------------------------------

    async def _execute(self, job: Job, fn: Callable[[Job], T]) -> T:
        await job.go  # raises the stop reason if the job was stopped while queued
        if self._limiter is None:
            # Our own threads: sync routes hold the shared pool's while they wait to write.
            self._limiter = CapacityLimiter(self.config.workers)
        return await to_thread.run_sync(_call, job, fn, limiter=self._limiter)

    def _landed(self, flight: _Flight, task: asyncio.Task[Any]) -> None:
        """The flight's task ended: free its worker, forget it, count how it ended."""
        job = flight.job
        if job.state == "running":
            self._running[job.priority] -= 1
            if self.metrics is not None:
                self.metrics.set_running(job.priority, self._running[job.priority])
        elif job.state == "queued" and job in self._queues[job.priority]:
            self._queues[job.priority].remove(job)
            self._note_depth(job.priority)
        self._unqueued(job)
        job.state = "done"
        if flight.key is not None and self._flights.get(flight.key) is flight:
            del self._flights[flight.key]
        error = None if task.cancelled() else task.exception()  # retrieved: no log noise
        if isinstance(error, WorkStopped) and self.metrics is not None:
            self.metrics.count_stopped(job.priority, error.reason)
        for waiter in flight.waiters:
            if waiter.answer.done():
                continue
            if task.cancelled():
                waiter.answer.cancel()
            elif error is not None:
                waiter.answer.set_exception(error)
            else:
                waiter.answer.set_result(task.result())
        self._dispatch()

    def _supersede(self, stream: str, key: Hashable | None) -> None:
        """A new request on ``stream``: its previous one answers ``Superseded`` now.

        Its job, unless someone else waits for it (or the new request will), is stopped now,
        before the new request is admitted, so that it frees its place in the queue.
        """
        previous = self._streams.pop(stream, None)
        if previous is None or previous.answer.done():
            return
        previous.kicked = True
        previous.answer.set_exception(Superseded(stream))
        flight = previous.flight
        joining = key is not None and flight.key == key and not flight.job.stopping
        if flight.waiters == [previous] and not joining:
            self._stop_flight(flight, Superseded(stream))

    def _leave(self, waiter: _Waiter) -> None:
        """A request stops waiting; the last one out stops the job."""
        flight = waiter.flight
        flight.waiters.remove(waiter)
        if waiter.stream is not None and self._streams.get(waiter.stream) is waiter:
            del self._streams[waiter.stream]
        if not flight.waiters:
            reason = Superseded(waiter.stream) if waiter.kicked else WorkCancelled()
            self._stop_flight(flight, reason)

    def _stop_flight(self, flight: _Flight, reason: WorkStopped) -> None:
        """Stop a flight's job: out of its queue if it waits, at its next node if it runs."""
        if flight.task.done():
            return
        job = flight.job
        if job.state == "queued" and job in self._queues[job.priority]:
            self._queues[job.priority].remove(job)
            self._note_depth(job.priority)
        self._unqueued(job)
        job.stop(reason)
        if flight.key is not None and self._flights.get(flight.key) is flight:
            del self._flights[flight.key]


def _call(job: Job, fn: Callable[[Job], T]) -> T:
    """On the worker thread: start the budget, stop at once if told to, run.

    The thread runs in a copy of the submitting task's context, so setting ``current_job``
    here is seen by ``fn`` and by nothing after it.
    """
    current_job.set(job)
    job.begin()
    job.raise_if_stopped()
    return fn(job)
