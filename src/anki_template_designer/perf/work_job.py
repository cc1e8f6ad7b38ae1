"""The work manager's vocabulary: priorities, limits, why work is refused or stopped, the job.

A ``Job`` is also a render probe (``core.template.renderer.RenderProbe``): the renderer calls
``check()`` before every replacement and section, so a job that was superseded, whose waiters
all left, or that ran past its budget stops at the next node instead of running to its end.
"""

from __future__ import annotations

import asyncio
import enum
import time
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ..core.template.nodes import Replacement
    from ..core.template.renderer import RenderProbe


class Priority(enum.IntEnum):
    """What waits for a free worker first: lower values go first."""

    INTERACTIVE = 0  # a keystroke's preview: someone is looking at the screen
    LINT = 1  # the lint panel: useful, but a moment late is fine
    BACKGROUND = 2  # exports and analyses: minutes-scale work nobody watches frame by frame

    @property
    def label(self) -> str:
        """The name used in metrics and messages."""
        return self.name.lower()


def _depths() -> dict[Priority, int]:
    # Room for every editor of a busy server (50 typing users) to have one job waiting.
    # Exports come in bursts (everyone exports after the morning's edits): they queue, bounded
    # by their wait limit, rather than being refused.
    return {Priority.INTERACTIVE: 64, Priority.LINT: 64, Priority.BACKGROUND: 64}


def _waits() -> dict[Priority, float | None]:
    # A lint answer later than this is stale anyway (the user typed on); an export waits longer.
    # Previews have no wait limit: they fall back to the last good preview instead.
    return {Priority.INTERACTIVE: None, Priority.LINT: 2.0, Priority.BACKGROUND: 10.0}


def _aging() -> dict[Priority, float | None]:
    # After this long in its queue a job goes before newer previews: it cannot starve. (20 ms
    # for lint measured no better under load_bench: its tail is stalls of every worker.)
    return {Priority.INTERACTIVE: None, Priority.LINT: 0.05, Priority.BACKGROUND: 0.1}


def _limits() -> dict[Priority, int | None]:
    # One export at a time: packages are written one at a time anyway (by the one export
    # process); a second export running would only hold a worker while it waits for it.
    return {Priority.INTERACTIVE: None, Priority.LINT: None, Priority.BACKGROUND: 1}


def _budgets() -> dict[Priority, float | None]:
    # Exports check no probe, so a budget would only mislead; a preview gets two seconds.
    return {Priority.INTERACTIVE: 2.0, Priority.LINT: 5.0, Priority.BACKGROUND: None}


@dataclass(frozen=True)
class WorkConfig:
    """How many workers run at once, how deep each priority's queue may get, each budget.

    ``budgets`` are seconds of running time (queue wait excluded) after which a job's probe
    stops it; ``None`` is no budget. Only work that calls its probe can be cut off.
    ``waits`` are seconds a job may wait in its queue before it is refused (``shed``);
    ``aging`` the seconds after which a waiting job goes before higher priorities (so a
    steady stream of previews cannot starve lint or exports); ``limits`` how many jobs of a
    priority may run at once. ``retry_after`` is the seconds a refused client is told to wait.
    """

    workers: int = 4
    depths: Mapping[Priority, int] = field(default_factory=_depths)
    budgets: Mapping[Priority, float | None] = field(default_factory=_budgets)
    retry_after: int = 1
    waits: Mapping[Priority, float | None] = field(default_factory=_waits)
    aging: Mapping[Priority, float | None] = field(default_factory=_aging)
    limits: Mapping[Priority, int | None] = field(default_factory=_limits)

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ValueError(f"the work manager needs at least one worker, not {self.workers}")
        for priority in Priority:
            if self.depths.get(priority, 0) < 0:
                raise ValueError(f"the {priority.label} queue depth cannot be negative")
            limit = self.limits.get(priority)
            if limit is not None and limit < 1:
                raise ValueError(f"at least one {priority.label} job must be able to run")

    def depth(self, priority: Priority) -> int:
        """How many jobs of ``priority`` may wait for a worker."""
        return self.depths.get(priority, 0)

    def budget(self, priority: Priority) -> float | None:
        """Seconds a job of ``priority`` may run; None: unlimited."""
        return self.budgets.get(priority)

    def max_wait(self, priority: Priority) -> float | None:
        """Seconds a job of ``priority`` may wait for a worker; None: as long as it takes."""
        return self.waits.get(priority)

    def ages_after(self, priority: Priority) -> float | None:
        """Seconds after which a waiting job of ``priority`` goes first; None: never."""
        return self.aging.get(priority)

    def limit(self, priority: Priority) -> int | None:
        """How many jobs of ``priority`` may run at once; None: as many as there are workers."""
        return self.limits.get(priority)

    @property
    def reserved(self) -> int:
        """Workers kept free of lint and background work, so a keystroke never waits on them."""
        return 1 if self.workers > 1 else 0


class WorkError(Exception):
    """Work the manager refused or stopped; the message says what happened and what to do."""


class Overloaded(WorkError):
    """Refused: its queue was full, or it waited past its priority's wait limit (shed)."""

    def __init__(
        self,
        priority: Priority,
        reason: Literal["queue-full", "shed"],
        retry_after: int,
        waited: float | None = None,
    ) -> None:
        self.priority = priority
        self.reason = reason
        self.retry_after = retry_after
        if reason == "shed":
            waited_for = f" for {waited:.1f} s" if waited is not None else ""
            message = (
                f"The server was too busy to start this {priority.label} work (it waited"
                f"{waited_for}), so it was put off; try again in {retry_after} s."
            )
        else:
            message = f"The server's {priority.label} queue is full; try again in {retry_after} s."
        super().__init__(message)


class WorkStopped(WorkError):
    """Work stopped before it finished (while queued, or at the next node of a render)."""

    reason = "stopped"  # the metrics label


class Superseded(WorkStopped):
    """A newer request on the same stream replaced this one; nobody needs its answer."""

    reason = "superseded"

    def __init__(self, stream: str | None) -> None:
        self.stream = stream
        super().__init__(
            f"superseded by a newer request on stream {stream!r}"
            if stream
            else "superseded: nobody waits for this result any more"
        )


class OverBudget(WorkStopped):
    """The work ran past its priority's budget and was cut off."""

    reason = "over-budget"

    def __init__(self, priority: Priority, budget: float) -> None:
        self.priority = priority
        self.budget = budget
        super().__init__(
            f"stopped after its {budget:g} s {priority.label} budget: simplify the template "
            "(a filter or section that takes this long will not work well in Anki either)"
        )


class WorkCancelled(WorkStopped):
    """Every request waiting for this work went away (the clients disconnected)."""

    reason = "cancelled"

    def __init__(self) -> None:
        super().__init__("cancelled: every request waiting for it went away")


JobState = Literal["queued", "running", "done"]


class Job:
    """One unit of work: its priority, its stop switch, and its budget; a render probe.

    ``stop`` is called on the event loop; ``check`` on the worker thread. The switch is one
    attribute written once, which a thread reads atomically, so no lock is needed.
    """

    def __init__(
        self,
        priority: Priority,
        budget: float | None,
        clock: Callable[[], float] = time.monotonic,
        observer: RenderProbe | None = None,
    ) -> None:
        self.priority = priority
        self.budget = budget
        self.observer = observer
        self.state: JobState = "queued"
        self.submitted = clock()
        self._clock = clock
        self._deadline: float | None = None
        self._stop: WorkError | None = None
        # Resolved by the manager when a worker is free (or failed when stopped while queued).
        self.go: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    @property
    def stopping(self) -> bool:
        """Whether the job was told to stop (it may still be finishing its current node)."""
        return self._stop is not None

    def stop(self, reason: WorkError) -> None:
        """Stop the job: a queued one never starts; a running one at its next ``check``."""
        if self._stop is None:
            self._stop = reason
        if not self.go.done():
            self.go.set_exception(reason)

    def begin(self) -> None:
        """The job starts running now: its budget starts counting."""
        if self.budget is not None:
            self._deadline = self._clock() + self.budget

    def check(self) -> None:
        """Raise if the job should stop (stopped, or past its budget); else ask the observer."""
        self.raise_if_stopped()
        if self.observer is not None:
            self.observer.check()

    def raise_if_stopped(self) -> None:
        """Raise if the job was stopped or is past its budget."""
        stop = self._stop
        if stop is not None:
            raise stop
        deadline = self._deadline
        if deadline is not None and self._clock() >= deadline:
            assert self.budget is not None
            self._stop = OverBudget(self.priority, self.budget)
            raise self._stop

    def replacement(self, node: Replacement, question: bool, seconds: float) -> None:
        """Pass a filter chain's cost on to the observing probe (a profiler), if any."""
        if self.observer is not None:
            self.observer.replacement(node, question, seconds)


# The job running on this worker thread (set by the manager for the duration of the call), so
# that code deep in a render can hand it to ``render_card`` as its probe; None elsewhere.
current_job: ContextVar[Job | None] = ContextVar("current_job", default=None)
