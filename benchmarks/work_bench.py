"""What the work manager costs and saves, in process (no HTTP): prints figures, asserts nothing.

1. Overhead: a trivial job through ``WorkManager.run`` against a bare ``anyio.to_thread``
   call with a limiter (what the preview route did before), per call, sequentially.
2. Coalescing: N concurrent identical preview builds (one card, six platforms) with and
   without a shared key: how many builds ran, and the wall time of the burst.
3. Supersession: a burst of K keystrokes on one stream, each starting before the last one
   finished: how many builds ran to the end.

    PYTHONPATH=src .venv/bin/python benchmarks/work_bench.py [--calls N] [--burst N]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Callable
from types import MappingProxyType

from anyio import CapacityLimiter, to_thread

from anki_template_designer.core import CardTemplate, Field, Note, NoteType, NoteTypeKind
from anki_template_designer.core.platforms import Platform
from anki_template_designer.perf.work import Job, Priority, Superseded, WorkManager
from anki_template_designer.server.preview_pages import PagesRequest, build_pages
from anki_template_designer.server.schemas import NoteTypeDoc, SampleDoc

NOTETYPE = NoteType(
    name="Bench",
    kind=NoteTypeKind.STANDARD,
    fields=(Field("Front"), Field("Back"), Field("Extra")),
    templates=(
        CardTemplate(
            "Card 1",
            "<div class=front>{{Front}}</div>{{#Extra}}<div>{{hint:Extra}}</div>{{/Extra}}",
            "{{FrontSide}}<hr id=answer>{{Back}}<br>{{text:Extra}}",
        ),
    ),
    css=".card { font-family: arial; font-size: 20px; }",
)


def note(text: str) -> Note:
    return Note(fields=MappingProxyType({"Front": text, "Back": "answer", "Extra": "more"}))


def request() -> PagesRequest:
    return PagesRequest(
        notetype=NoteTypeDoc.of(NOTETYPE),
        sample=SampleDoc(),
        platforms=list(Platform),
    )


async def overhead(calls: int) -> tuple[float, float]:
    """Median microseconds per call: bare to_thread, then through the manager."""
    limiter = CapacityLimiter(4)
    work = WorkManager()

    def trivial(job: object = None) -> int:
        return 1

    bare, managed = [], []
    for _ in range(calls):
        started = time.perf_counter()
        await to_thread.run_sync(trivial, limiter=limiter)
        bare.append(time.perf_counter() - started)
        started = time.perf_counter()
        await work.run(Priority.INTERACTIVE, trivial)
        managed.append(time.perf_counter() - started)
    return statistics.median(bare) * 1e6, statistics.median(managed) * 1e6


async def burst(size: int, coalesce: bool) -> tuple[int, float]:
    """Builds run and seconds taken for ``size`` identical concurrent previews."""
    work = WorkManager()
    body = request()
    builds = 0

    def build(job: Job) -> object:
        nonlocal builds
        builds += 1
        return build_pages(NOTETYPE, note("same card"), body)

    started = time.perf_counter()
    await asyncio.gather(
        *(
            work.run(Priority.INTERACTIVE, build, key="card" if coalesce else None)
            for _ in range(size)
        )
    )
    return builds, time.perf_counter() - started


async def keystrokes(count: int) -> tuple[int, int]:
    """Builds finished and answers superseded for ``count`` keystrokes sent without waiting."""
    work = WorkManager()
    body = request()
    finished = 0

    def build(text: str) -> Callable[[Job], object]:
        def run(job: Job) -> object:
            nonlocal finished
            result = build_pages(NOTETYPE, note(text), body)
            finished += 1
            return result

        return run

    outcomes = await asyncio.gather(
        *(work.run(Priority.INTERACTIVE, build(f"k{i}"), stream="tab") for i in range(count)),
        return_exceptions=True,
    )
    return finished, sum(isinstance(o, Superseded) for o in outcomes)


async def main(calls: int, size: int) -> None:
    bare, managed = await overhead(calls)
    print(f"per call (median of {calls}): to_thread {bare:.0f} µs, work manager {managed:.0f} µs")
    for coalesce in (False, True):
        builds, seconds = await burst(size, coalesce)
        label = "coalesced" if coalesce else "separate "
        print(f"{size} identical previews, {label}: {builds} builds, {seconds * 1000:.1f} ms")
    finished, superseded = await keystrokes(size)
    print(f"{size} keystrokes on one stream: {finished} builds finished, {superseded} superseded")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--burst", type=int, default=50)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.calls, arguments.burst))
