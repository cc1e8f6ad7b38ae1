"""Previews that degrade instead of failing: the last good pages, marked stale, when busy.

A preview runs at interactive priority under the work manager. When the manager refuses it
(its queue is full) or stops it past its budget, the designer still gets pages: the last ones
that rendered for the same note type, card, platforms and mode, with ``stale`` set and a
notice to show. Only when there are none does it get a 503 (with ``Retry-After``).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from fastapi import FastAPI, Request

from ..perf.cache import CacheBudget
from ..perf.work import OverBudget, Overloaded, Priority, WorkError
from ..perf.work_stale import LAST_GOOD_BYTES, LAST_GOOD_ENTRIES, LastGood
from .preview_pages import GridRequest, PagesRequest, unique
from .problems import PROBLEM_TYPE, Problem
from .scheduling import schedule

# The answer objects' own fields plus the pages: a small fixed overhead per entry.
_ENTRY_OVERHEAD = 2048

DEGRADED_DOC: dict[int | str, dict[str, Any]] = {
    409: {
        "description": "A newer request on the same ``X-ATD-Stream`` replaced this one "
        "(problem type ``superseded``): drop it.",
        "content": {PROBLEM_TYPE: {}},
    },
    503: {
        "description": "Too busy, or the render ran past its budget, and no earlier preview "
        "of this card to show instead: retry after ``Retry-After`` seconds.",
        "content": {PROBLEM_TYPE: {}},
    },
}


R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Degradable(Generic[R]):
    """A preview answer: fresh, or the last good one with the reason it is shown."""

    value: R
    stale: bool = False
    notice: str | None = None


def _answer_size(answer: object) -> int:
    """About the bytes of a pages, comparison or grid answer: its pages' HTML."""
    size = _ENTRY_OVERHEAD
    pages = list(getattr(answer, "pages", ()))
    for card in getattr(answer, "cards", ()):
        pages += getattr(card, "pages", ())
    for page in pages:
        size += len(getattr(page, "question", "")) + len(getattr(page, "answer", ""))
    return size


def install_last_good(app: FastAPI, budget: CacheBudget) -> LastGood[Any]:
    """Give ``app`` its store of last good previews, sized by the cache budget."""
    entries, nbytes = budget.scaled(LAST_GOOD_ENTRIES, LAST_GOOD_BYTES)
    store: LastGood[Any] = LastGood(_answer_size, max_entries=entries, max_bytes=nbytes)
    app.state.last_good_previews = store
    return store


def last_good_of(request: Request) -> LastGood[Any]:
    """The app's store of last good previews (made on first use)."""
    state = request.app.state
    store: LastGood[Any] | None = getattr(state, "last_good_previews", None)
    if store is None:
        store = LastGood(_answer_size)
        state.last_good_previews = store
    return store


def target_of(route: str, body: GridRequest) -> Hashable:
    """What a last good preview stands for: note type, card, platforms, mode (not the text).

    A grid (every card) has no card of its own.
    """
    notetype = body.notetype_id or f"name:{body.notetype.name}"
    card = body.card_ord if isinstance(body, PagesRequest) else None
    return (route, notetype, card, tuple(unique(body.platforms)), body.night_mode)


def _notice(error: WorkError) -> str:
    if isinstance(error, OverBudget):
        return (
            f"This card took longer than the {error.budget:g} s preview budget to render and "
            "was stopped; showing the last preview that rendered. Look for a slow filter or "
            "a large section in the template."
        )
    return (
        "The server is busy; showing the last preview that rendered. It updates with your "
        "next change once the server catches up."
    )


def _no_preview(error: WorkError) -> Problem:
    retry = {"Retry-After": str(error.retry_after if isinstance(error, Overloaded) else 1)}
    if isinstance(error, OverBudget):
        return Problem(
            503,
            "over-budget",
            "The preview took too long",
            f"Rendering this card took longer than the {error.budget:g} s preview budget and "
            "was stopped, and there is no earlier preview of it to show. Look for a slow "
            "filter or a large section in the template (ATD_PREVIEW_BUDGET_MS sets the budget).",
            headers=retry,
        )
    return Problem(
        503,
        "overloaded",
        "The server is too busy to preview",
        "The server has more previews to render than it can queue, and no earlier preview "
        f"of this card to show; the preview retries in {retry['Retry-After']} s.",
        headers=retry,
    )


async def degradable(
    request: Request, route: str, body: GridRequest, build: Callable[[], R]
) -> Degradable[R]:
    """``build()`` at interactive priority; when refused or over budget, the last good answer."""
    store = last_good_of(request)
    target = target_of(route, body)
    try:
        value = await schedule(request, Priority.INTERACTIVE, lambda job: build())
    except (Overloaded, OverBudget) as error:
        last: R | None = store.recall(target)
        if last is None:
            raise _no_preview(error) from error
        return Degradable(last, stale=True, notice=_notice(error))
    store.remember(target, value)
    return Degradable(value)
