"""The work manager: coalescing, priorities, aging, bounded queues, shedding, supersession, budgets.

Workers are held busy with threading events, never with sleeps, so every ordering is decided
by the test; nothing here measures time.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

import pytest
from prometheus_client import CollectorRegistry

from anki_template_designer.perf.work import (
    Job,
    OverBudget,
    Overloaded,
    Priority,
    Superseded,
    WorkCancelled,
    WorkConfig,
    WorkManager,
)
from anki_template_designer.perf.work_metrics import WorkMetrics

pytestmark = pytest.mark.anyio

UI, L, B = Priority.INTERACTIVE, Priority.LINT, Priority.BACKGROUND


async def until(condition: Callable[[], bool], what: str) -> None:
    """Yield to the loop (and worker threads) until ``condition`` holds; fail after a long while."""
    for _ in range(20_000):
        if condition():
            return
        await asyncio.sleep(0.0005)
    raise AssertionError(f"never happened: {what}")


class Gate:
    """A job body that says when it started and runs on only when the test opens the gate."""

    def __init__(self, result: Any = "done") -> None:
        self.started = threading.Event()
        self.opened = threading.Event()
        self.calls = 0
        self.result = result

    def __call__(self, job: Job) -> Any:
        self.calls += 1
        self.started.set()
        assert self.opened.wait(10), "the test never opened the gate"
        job.check()  # the render's next node: stops here if superseded or cancelled
        if isinstance(self.result, BaseException):
            raise self.result
        return self.result

    def open(self) -> None:
        self.opened.set()


def manager(workers: int = 1, **depths: int) -> tuple[WorkManager, CollectorRegistry]:
    registry = CollectorRegistry()
    depth = {UI: depths.get("interactive", 8), L: depths.get("lint", 8), B: depths.get("bg", 8)}
    config = WorkConfig(workers=workers, depths=depth)
    return WorkManager(config, WorkMetrics(registry)), registry


def answer(text: str) -> Callable[[Job], str]:
    """A job body that answers ``text``."""
    return lambda job: text


def sample(registry: CollectorRegistry, name: str, **labels: str) -> float:
    return registry.get_sample_value(name, labels) or 0.0


async def blocked(work: WorkManager, priority: Priority = UI) -> tuple[Gate, asyncio.Task[Any]]:
    """Occupy one worker with a gated job; returns once it runs."""
    gate = Gate("blocker")
    task = asyncio.create_task(work.run(priority, gate))
    await until(gate.started.is_set, "the blocking job started")
    return gate, task


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


# -- coalescing -------------------------------------------------------------------------------


async def test_identical_concurrent_requests_are_computed_once() -> None:
    work, registry = manager(workers=4)
    gate = Gate({"pages": 6})
    tasks = [asyncio.create_task(work.run(UI, gate, key="card-1")) for _ in range(5)]
    await until(
        lambda: sample(registry, "atd_work_coalesced_total", priority="interactive") == 4,
        "4 joined",
    )
    gate.open()
    results = await asyncio.gather(*tasks)
    assert gate.calls == 1
    assert all(r is results[0] for r in results)
    assert work.snapshot().flights == 0


async def test_different_keys_are_computed_separately() -> None:
    work, _ = manager(workers=4)
    calls: list[str] = []
    results = await asyncio.gather(
        *(work.run(UI, lambda job, k=k: calls.append(k) or k, key=k) for k in ("a", "b", "a"))
    )
    assert results == ["a", "b", "a"]
    assert sorted(calls) in (["a", "b"], ["a", "a", "b"])  # the second "a" may find the first done


async def test_an_exception_reaches_every_waiter() -> None:
    work, _ = manager(workers=2)
    gate = Gate(ValueError("the template broke"))
    tasks = [asyncio.create_task(work.run(UI, gate, key="k")) for _ in range(3)]
    await until(gate.started.is_set, "started")
    gate.open()
    outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    assert gate.calls == 1
    assert all(isinstance(o, ValueError) and str(o) == "the template broke" for o in outcomes)


async def test_a_cancelled_leader_leaves_the_followers_their_result() -> None:
    work, _ = manager(workers=2)
    gate = Gate("pages")
    leader = asyncio.create_task(work.run(UI, gate, key="k"))
    await until(gate.started.is_set, "started")
    followers = [asyncio.create_task(work.run(UI, gate, key="k")) for _ in range(2)]
    await asyncio.sleep(0)
    leader.cancel()
    await asyncio.gather(leader, return_exceptions=True)
    gate.open()
    assert await asyncio.gather(*followers) == ["pages", "pages"]
    assert gate.calls == 1


async def test_when_every_waiter_leaves_the_running_job_is_stopped() -> None:
    work, registry = manager(workers=2)
    gate = Gate("pages")
    tasks = [asyncio.create_task(work.run(UI, gate, key="k")) for _ in range(2)]
    await until(gate.started.is_set, "started")
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    assert work.snapshot().flights == 0  # a new identical request starts afresh
    gate.open()
    stopped = {"priority": "interactive", "reason": WorkCancelled.reason}
    await until(lambda: sample(registry, "atd_work_stopped_total", **stopped) == 1, "stopped")
    await until(lambda: work.snapshot().running["interactive"] == 0, "worker freed")


# -- priorities, bounded queues, shedding -----------------------------------------------------


async def test_waiting_jobs_start_by_priority_then_in_arrival_order() -> None:
    work, _ = manager(workers=1)
    gate, blocker = await blocked(work)
    order: list[str] = []

    def step(name: str) -> Callable[[Job], str]:
        return lambda job: order.append(name) or name

    # Lint and background first (nothing interactive waits yet), then keystrokes.
    queued = [
        asyncio.create_task(work.run(B, step("export"))),
        asyncio.create_task(work.run(L, step("lint 1"))),
        asyncio.create_task(work.run(L, step("lint 2"))),
    ]
    await until(lambda: work.snapshot().queued["lint"] == 2, "lint queued")
    queued += [
        asyncio.create_task(work.run(UI, step("preview 1"))),
        asyncio.create_task(work.run(UI, step("preview 2"))),
    ]
    await until(lambda: work.snapshot().queued["interactive"] == 2, "previews queued")
    gate.open()
    await asyncio.gather(blocker, *queued)
    assert order == ["preview 1", "preview 2", "lint 1", "lint 2", "export"]


async def test_a_full_queue_refuses_with_retry_after() -> None:
    work, registry = manager(workers=1, interactive=2)
    gate, blocker = await blocked(work)
    waiting = [asyncio.create_task(work.run(UI, lambda job: "ok")) for _ in range(2)]
    await until(lambda: work.snapshot().queued["interactive"] == 2, "queue full")
    assert sample(registry, "atd_work_queue_depth", priority="interactive") == 2
    with pytest.raises(Overloaded) as refused:
        await work.run(UI, lambda job: "never")
    assert refused.value.reason == "queue-full"
    assert refused.value.retry_after == 1
    assert "queue is full" in str(refused.value)
    labels = {"priority": "interactive", "reason": "queue-full"}
    assert sample(registry, "atd_work_refused_total", **labels) == 1
    gate.open()
    assert await asyncio.gather(*waiting) == ["ok", "ok"]
    await blocker
    assert sample(registry, "atd_work_queue_depth", priority="interactive") == 0
    assert sample(registry, "atd_work_wait_seconds_count", priority="interactive") == 3


async def test_lint_and_background_wait_for_previews_instead_of_being_refused() -> None:
    work, registry = manager(workers=1)
    gate, blocker = await blocked(work)
    preview = asyncio.create_task(work.run(UI, lambda job: "preview"))
    await until(lambda: work.snapshot().queued["interactive"] == 1, "preview queued")
    lint = asyncio.create_task(work.run(L, lambda job: "lint"))
    export = asyncio.create_task(work.run(B, lambda job: "export"))
    await until(lambda: work.snapshot().queued["background"] == 1, "both queued")
    gate.open()
    assert list(await asyncio.gather(preview, lint, export, blocker)) == [
        "preview",
        "lint",
        "export",
        "blocker",
    ]
    for priority in (L, B):
        for reason in ("shed", "queue-full"):
            labels = {"priority": priority.label, "reason": reason}
            assert sample(registry, "atd_work_refused_total", **labels) == 0


async def test_lint_is_refused_only_when_its_queue_is_full() -> None:
    work, registry = manager(workers=1, lint=2)
    gate, blocker = await blocked(work)
    waiting = [asyncio.create_task(work.run(L, answer(f"lint {i}"))) for i in range(2)]
    await until(lambda: work.snapshot().queued["lint"] == 2, "lint queue full")
    with pytest.raises(Overloaded) as refused:
        await work.run(L, lambda job: "never")
    assert refused.value.reason == "queue-full"
    assert sample(registry, "atd_work_refused_total", priority="lint", reason="queue-full") == 1
    gate.open()
    assert await asyncio.gather(*waiting) == ["lint 0", "lint 1"]
    await blocker


async def test_a_job_waiting_past_its_limit_is_shed_with_retry_after() -> None:
    registry = CollectorRegistry()
    config = WorkConfig(workers=1, waits={L: 0.01, B: None})
    work = WorkManager(config, WorkMetrics(registry))
    gate, blocker = await blocked(work)
    export = asyncio.create_task(work.run(B, lambda job: "export"))  # no wait limit: stays
    with pytest.raises(Overloaded) as refused:
        await work.run(L, lambda job: "never")  # the wait-limit timer refuses it
    assert refused.value.reason == "shed"
    assert refused.value.retry_after == 1
    assert "too busy to start this lint work" in str(refused.value)
    assert work.snapshot().queued == {"interactive": 0, "lint": 0, "background": 1}
    assert sample(registry, "atd_work_refused_total", priority="lint", reason="shed") == 1
    gate.open()
    assert await export == "export"
    await blocker


async def test_an_aged_lint_job_goes_before_newer_previews() -> None:
    clock = Clock()
    config = WorkConfig(workers=1, aging={L: 0.05}, waits={})
    work = WorkManager(config, clock=clock)
    order: list[str] = []

    def step(name: str) -> Callable[[Job], str]:
        return lambda job: order.append(name) or name

    gate, blocker = await blocked(work)
    lint = asyncio.create_task(work.run(L, step("lint")))
    await until(lambda: work.snapshot().queued["lint"] == 1, "lint queued")
    clock.now += 0.06  # the lint has waited past its aging time; previews keep coming
    previews = [asyncio.create_task(work.run(UI, step(f"preview {i}"))) for i in range(3)]
    await until(lambda: work.snapshot().queued["interactive"] == 3, "previews queued")
    gate.open()
    await asyncio.gather(blocker, lint, *previews)
    assert order == ["lint", "preview 0", "preview 1", "preview 2"]


async def test_a_steady_stream_of_previews_does_not_starve_lint() -> None:
    """A keystroke always waits when the worker frees; the lint still runs once it has aged."""
    clock = Clock()
    work = WorkManager(WorkConfig(workers=1, aging={L: 0.05}, waits={}), clock=clock)
    order: list[str] = []

    def lint_step(job: Job) -> str:
        order.append("lint")
        return "lint"

    current = Gate("preview 0")
    tasks = [asyncio.create_task(work.run(UI, current))]
    await until(current.started.is_set, "the first preview runs")
    order.append("preview 0")
    lint = asyncio.create_task(work.run(L, lint_step))
    await until(lambda: work.snapshot().queued["lint"] == 1, "lint queued")
    for i in range(1, 7):
        following = Gate(f"preview {i}")
        tasks.append(asyncio.create_task(work.run(UI, following)))
        await until(lambda: work.snapshot().queued["interactive"] == 1, "a keystroke waits")
        if i == 4:
            clock.now += 0.06  # the lint has now waited past its aging time
        current.open()
        await until(following.started.is_set, f"preview {i} runs")
        order.append(f"preview {i}")
        current = following
    current.open()
    await asyncio.gather(lint, *tasks)
    previews = [f"preview {i}" for i in range(7)]
    assert order == [*previews[:4], "lint", *previews[4:]]


async def test_background_jobs_run_no_more_than_their_limit_at_once() -> None:
    work = WorkManager(WorkConfig(workers=4, limits={B: 1}))
    gate, export = await blocked(work, B)
    second = asyncio.create_task(work.run(B, lambda job: "export 2"))
    await until(lambda: work.snapshot().queued["background"] == 1, "second export waits")
    assert await work.run(L, lambda job: "lint") == "lint"  # other workers stay free
    assert not second.done()
    gate.open()
    assert await second == "export 2"
    await export


async def test_lint_leaves_the_reserved_worker_to_previews() -> None:
    work, _ = manager(workers=2)
    gate, lint = await blocked(work, L)
    second = asyncio.create_task(work.run(L, lambda job: "lint 2"))
    await until(lambda: work.snapshot().queued["lint"] == 1, "second lint waits")
    assert await work.run(UI, lambda job: "preview") == "preview"  # the reserved worker
    assert not second.done()
    gate.open()
    assert await second == "lint 2"
    await lint


async def test_one_worker_is_kept_free_of_background_work() -> None:
    work, _ = manager(workers=2)
    gate, export = await blocked(work, B)
    second = asyncio.create_task(work.run(B, lambda job: "export 2"))
    await until(lambda: work.snapshot().queued["background"] == 1, "second export waits")
    assert await work.run(UI, lambda job: "preview") == "preview"  # the reserved worker
    assert not second.done()
    gate.open()
    assert await second == "export 2"
    await export


# -- supersession and budgets -----------------------------------------------------------------


async def test_a_newer_request_on_a_stream_drops_the_queued_one() -> None:
    work, registry = manager(workers=1)
    gate, blocker = await blocked(work)
    calls: list[str] = []
    older = asyncio.create_task(work.run(UI, lambda job: calls.append("old"), stream="tab-1"))
    await until(lambda: work.snapshot().queued["interactive"] == 1, "older queued")
    newer = asyncio.create_task(
        work.run(UI, lambda job: calls.append("new") or "new", stream="tab-1")
    )
    with pytest.raises(Superseded):
        await older
    assert work.snapshot().queued["interactive"] == 1  # only the newer one waits
    gate.open()
    assert await newer == "new"
    await blocker
    assert calls == ["new"]
    stopped = {"priority": "interactive", "reason": "superseded"}
    assert sample(registry, "atd_work_stopped_total", **stopped) == 1


async def test_a_newer_request_on_a_stream_stops_the_running_one_at_its_next_check() -> None:
    work, registry = manager(workers=2)
    gate = Gate("old")
    older = asyncio.create_task(work.run(UI, gate, stream="tab-1"))
    await until(gate.started.is_set, "older runs")
    assert await work.run(UI, lambda job: "new", stream="tab-1") == "new"
    with pytest.raises(Superseded):
        await older  # answered at once, without waiting for the thread
    gate.open()  # the thread reaches its next check and stops there
    stopped = {"priority": "interactive", "reason": "superseded"}
    await until(lambda: sample(registry, "atd_work_stopped_total", **stopped) == 1, "stopped")
    await until(lambda: work.snapshot().running["interactive"] == 0, "worker freed")


async def test_supersession_frees_a_place_in_a_full_queue() -> None:
    work, _ = manager(workers=1, interactive=1)
    gate, blocker = await blocked(work)
    older = asyncio.create_task(work.run(UI, lambda job: "old", stream="tab-1"))
    await until(lambda: work.snapshot().queued["interactive"] == 1, "queue full")
    newer = asyncio.create_task(work.run(UI, lambda job: "new", stream="tab-1"))
    with pytest.raises(Superseded):
        await older
    gate.open()
    assert await newer == "new"
    await blocker


async def test_a_shared_job_survives_one_stream_moving_on() -> None:
    work, _ = manager(workers=2)
    gate = Gate("pages")
    mine = asyncio.create_task(work.run(UI, gate, key="card", stream="editor-a"))
    theirs = asyncio.create_task(work.run(UI, gate, key="card", stream="editor-b"))
    await until(gate.started.is_set, "started")
    await asyncio.sleep(0)
    newer = asyncio.create_task(work.run(UI, lambda job: "edited", key="card-2", stream="editor-a"))
    with pytest.raises(Superseded):
        await mine
    gate.open()
    assert await theirs == "pages"
    assert await newer == "edited"
    assert gate.calls == 1


async def test_the_same_request_again_on_a_stream_joins_the_job_under_way() -> None:
    work, _ = manager(workers=2)
    gate = Gate("pages")
    first = asyncio.create_task(work.run(UI, gate, key="card", stream="tab"))
    await until(gate.started.is_set, "started")
    again = asyncio.create_task(work.run(UI, gate, key="card", stream="tab"))
    with pytest.raises(Superseded):
        await first
    gate.open()
    assert await again == "pages"
    assert gate.calls == 1


async def test_a_job_past_its_budget_is_cut_off_at_its_next_check() -> None:
    clock = Clock()
    config = WorkConfig(workers=1, budgets={UI: 2.0})
    registry = CollectorRegistry()
    work = WorkManager(config, WorkMetrics(registry), clock=clock)
    checks: list[str] = []

    def slow_step(job: Job) -> str:
        job.check()
        checks.append("first node")
        clock.now += 2.5  # a filter that took 2.5 s
        job.check()
        checks.append("second node")
        return "never"

    with pytest.raises(OverBudget) as cut:
        await work.run(UI, slow_step)
    assert checks == ["first node"]
    assert cut.value.budget == 2.0
    assert "2 s interactive budget" in str(cut.value)
    stopped = {"priority": "interactive", "reason": "over-budget"}
    assert sample(registry, "atd_work_stopped_total", **stopped) == 1


async def test_a_zero_budget_stops_before_the_first_node() -> None:
    work = WorkManager(WorkConfig(workers=1, budgets={L: 0.0}))
    with pytest.raises(OverBudget):
        await work.run(L, lambda job: "never")
    assert await work.run(UI, lambda job: "no budget set") == "no budget set"


def test_config_is_checked() -> None:
    with pytest.raises(ValueError, match="at least one worker"):
        WorkConfig(workers=0)
    with pytest.raises(ValueError, match="cannot be negative"):
        WorkConfig(depths={B: -1})
    with pytest.raises(ValueError, match="at least one background job"):
        WorkConfig(limits={B: 0})
