"""A real render under the work manager stops at its next node when superseded or overdue."""

from __future__ import annotations

import asyncio
import threading
from types import MappingProxyType

import pytest

from anki_template_designer.core import (
    CardTemplate,
    Field,
    Note,
    NoteType,
    NoteTypeKind,
    render_card,
)
from anki_template_designer.core.template.nodes import Replacement
from anki_template_designer.perf.work import (
    Job,
    OverBudget,
    Priority,
    Superseded,
    WorkConfig,
    WorkManager,
    current_job,
)

from .test_work import until

pytestmark = pytest.mark.anyio

NOTETYPE = NoteType(
    name="Vocab",
    kind=NoteTypeKind.STANDARD,
    fields=(Field("Word"), Field("Reading")),
    templates=(
        CardTemplate("Card 1", "{{Word}} {{#Reading}}{{furigana:Reading}}{{/Reading}}", "{{Word}}"),
    ),
)
NOTE = Note(fields=MappingProxyType({"Word": "日本", "Reading": "日本[にほん]"}))


class PausingProbe:
    """Pauses the render at its first node until the test lets it go; counts nodes and filters."""

    def __init__(self) -> None:
        self.paused = threading.Event()
        self.resume = threading.Event()
        self.checks = 0
        self.filters: list[str] = []

    def check(self) -> None:
        self.checks += 1
        if self.checks == 1:
            self.paused.set()
            assert self.resume.wait(10)

    def replacement(self, node: Replacement, question: bool, seconds: float) -> None:
        self.filters.append(node.key)


def render(job: Job) -> str:
    """What the preview does: render with the current job as the probe."""
    assert current_job.get() is job
    return render_card(NOTETYPE, NOTE, 0, current_job.get()).question


async def test_a_superseded_render_stops_at_its_next_node() -> None:
    work = WorkManager(WorkConfig(workers=2))
    probe = PausingProbe()
    older = asyncio.create_task(
        work.run(Priority.INTERACTIVE, render, stream="tab", observer=probe)
    )
    await until(probe.paused.is_set, "the render reached its first node")
    newer = await work.run(Priority.INTERACTIVE, render, stream="tab")
    assert "にほん" in newer
    with pytest.raises(Superseded):
        await older
    probe.resume.set()
    await until(lambda: work.snapshot().running["interactive"] == 0, "the old render ended")
    assert probe.checks == 1  # it went no further than the node it was paused at
    assert probe.filters == []


async def test_an_overdue_render_is_cut_off_at_its_next_node() -> None:
    now = [0.0]
    work = WorkManager(
        WorkConfig(workers=1, budgets={Priority.INTERACTIVE: 1.0}), clock=lambda: now[0]
    )
    probe = PausingProbe()
    task = asyncio.create_task(work.run(Priority.INTERACTIVE, render, observer=probe))
    await until(probe.paused.is_set, "the render reached its first node")
    now[0] = 5.0  # the first node took five seconds
    probe.resume.set()
    with pytest.raises(OverBudget):
        await task
    assert probe.checks == 1


async def test_the_observer_still_profiles_a_render_that_completes() -> None:
    work = WorkManager(WorkConfig(workers=1))
    probe = PausingProbe()
    probe.resume.set()
    question = await work.run(Priority.INTERACTIVE, render, observer=probe)
    assert question == render_card(NOTETYPE, NOTE, 0).question
    assert probe.filters == ["Reading"]
    assert probe.checks == 4  # Word, the section, Reading; Word on the back
