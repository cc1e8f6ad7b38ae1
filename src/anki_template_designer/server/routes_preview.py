"""The editor's hot path: render a draft's cards and check its templates, without saving."""

from __future__ import annotations

import dataclasses
from functools import partial
from types import MappingProxyType
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from ..core.model import Note, NoteType
from ..core.normalize import as_saved_by_anki
from ..core.platforms import Platform, Side
from ..core.rendering import render_card, render_note
from ..core.template.av import av_tag_to_json
from ..core.template.check import check_notetype
from ..perf import timed_render
from ..perf.work import Priority
from .preview_degrade import DEGRADED_DOC, degradable
from .preview_pages import (
    CompareRequest,
    CompareResponse,
    GridRequest,
    GridResponse,
    PagesRequest,
    PagesResponse,
    answer_page,
    build_comparison,
    build_grid,
    build_pages,
    question_page,
    render_preview_card,
)
from .problems import Problem
from .scheduling import BUSY_DOC, schedule
from .schemas import Body, NoteTypeDoc, SampleDoc

router = APIRouter(prefix="/api", tags=["preview"])


class PreviewRequest(Body):
    """A draft note type and a sample note; ``card_ord`` picks one card, else all generated."""

    notetype: NoteTypeDoc
    sample: SampleDoc = Field(default_factory=SampleDoc)
    card_ord: int | None = Field(default=None, ge=0)
    platform: Platform = Platform.DESKTOP_LINUX
    night_mode: bool = False


class PreviewCard(BaseModel):
    """One rendered card: HTML of each side (no ``<style>``), its audio/TTS tags, and CSS."""

    ord: int
    template: str
    question: str
    answer: str
    question_av: list[dict[str, Any]]
    answer_av: list[dict[str, Any]]
    css: str


class PreviewResponse(BaseModel):
    """The cards as Anki renders them; ``/api/preview/page`` wraps one side in its page."""

    platform: Platform
    night_mode: bool
    cards: list[PreviewCard]


class PageRequest(Body):
    """One side of one card, to be shown as ``platform`` shows it, in light or night mode."""

    notetype: NoteTypeDoc
    sample: SampleDoc = Field(default_factory=SampleDoc)
    card_ord: int = Field(default=0, ge=0)
    side: Side = "question"
    platform: Platform = Platform.DESKTOP_LINUX
    night_mode: bool = False


class CheckRequest(Body):
    """A draft note type to check."""

    notetype: NoteTypeDoc


class TemplateProblemDoc(BaseModel):
    """A problem Anki would report: card type, side, 1-based line and column, Anki's message."""

    template: str
    side: str
    line: int
    column: int
    message: str


class CheckResponse(BaseModel):
    """Every syntax error and unknown field reference of the draft's templates."""

    problems: list[TemplateProblemDoc]


def _draft(notetype_doc: NoteTypeDoc, sample_doc: SampleDoc) -> tuple[NoteType, Note]:
    """The draft note type and sample as Anki would store them."""
    draft = notetype_doc.to_model()
    known = set(draft.field_names)
    # A sample may still carry a field the draft just renamed or removed: ignore it.
    sample = sample_doc.to_model()
    fields = {name: value for name, value in sample.fields.items() if name in known}
    return as_saved_by_anki(draft, dataclasses.replace(sample, fields=MappingProxyType(fields)))


def _check_card_ord(notetype: NoteType, card_ord: int) -> None:
    count = len(notetype.templates)
    if not notetype.is_cloze and card_ord >= count:
        raise Problem(
            400,
            "no-such-card",
            "No such card",
            f"card_ord {card_ord} is past the last card type ({count} card types); "
            f"pick 0 to {count - 1}",
        )


# Every render runs on the work manager's threads at interactive priority (before lint and
# exports): coalesced when identical, stopped by a newer request on its X-ATD-Stream, cut off
# at the preview budget, refused with 503 + Retry-After only when its queue is full.
@router.post("/preview", summary="Render a draft's cards", responses=BUSY_DOC)
async def preview(body: PreviewRequest, request: Request) -> PreviewResponse:
    """Render the sample note's cards with the draft note type exactly as Anki 26.9 would."""
    return await schedule(request, Priority.INTERACTIVE, lambda job: _preview(body))


def _preview(body: PreviewRequest) -> PreviewResponse:
    notetype, note = _draft(body.notetype, body.sample)
    if body.card_ord is None:
        with timed_render(notetype.name):
            rendered = render_note(notetype, note)
    else:
        _check_card_ord(notetype, body.card_ord)
        with timed_render(notetype.name):
            rendered = [render_card(notetype, note, body.card_ord)]
    cards = [
        PreviewCard(
            ord=card.ord,
            template=card.template_name,
            question=card.question,
            answer=card.answer,
            question_av=[av_tag_to_json(tag) for tag in card.question_av],
            answer_av=[av_tag_to_json(tag) for tag in card.answer_av],
            css=card.css,
        )
        for card in rendered
    ]
    return PreviewResponse(platform=body.platform, night_mode=body.night_mode, cards=cards)


@router.post(
    "/preview/page",
    summary="One card side as a platform's page",
    response_class=HTMLResponse,
    responses=BUSY_DOC,
)
async def preview_page(body: PageRequest, request: Request) -> HTMLResponse:
    """A whole HTML document: the card side inside ``platform``'s reviewer page.

    The page runs the card's scripts; it is served with a sandboxing Content-Security-Policy
    so that, even opened directly, it has no access to this server's origin. Show it in an
    ``<iframe sandbox="allow-scripts">``.
    """
    page = await schedule(request, Priority.INTERACTIVE, lambda job: _page(body))
    return HTMLResponse(page, headers={"Content-Security-Policy": "sandbox allow-scripts"})


def _page(body: PageRequest) -> str:
    notetype, note = _draft(body.notetype, body.sample)
    _check_card_ord(notetype, body.card_ord)
    with timed_render(notetype.name):
        rendered = render_preview_card(notetype, note, body.card_ord)
        if body.side == "question":
            return question_page(rendered, body.platform, body.night_mode, None)
        return answer_page(rendered, body.platform, body.night_mode, "", None)


# Building a dozen pages is a few milliseconds of CPU: done on the work manager's threads so
# the event loop keeps answering, at interactive priority (before lint and exports), coalesced
# when two editors ask for the same card, and stopped when the editor's next keystroke comes.


def _pages(body: PagesRequest) -> PagesResponse:
    notetype, note = _draft(body.notetype, body.sample)
    _check_card_ord(notetype, body.card_ord)
    with timed_render(notetype.name):
        return build_pages(notetype, note, body)


def _grid(body: GridRequest) -> GridResponse:
    notetype, note = _draft(body.notetype, body.sample)
    with timed_render(notetype.name):
        return build_grid(notetype, note, body)


def _comparison(body: CompareRequest) -> CompareResponse:
    notetype, note = _draft(body.notetype, body.sample)
    _check_card_ord(notetype, body.card_ord)
    with timed_render(notetype.name):
        return build_comparison(notetype, note, body)


class PagesAnswer(PagesResponse):
    """The pages; ``stale`` when the server was too busy and answered the last good ones."""

    stale: bool = False
    notice: str | None = Field(
        default=None, description="Why the pages are stale, for a notice above the preview."
    )


class GridAnswer(GridResponse):
    """The grid; ``stale`` as in ``PagesAnswer``."""

    stale: bool = False
    notice: str | None = None


class CompareAnswer(CompareResponse):
    """The compared answer pages; ``stale`` as in ``PagesAnswer``."""

    stale: bool = False
    notice: str | None = None


@router.post(
    "/preview/pages",
    summary="One card on several platforms, as pages",
    responses=DEGRADED_DOC,
)
async def preview_pages(body: PagesRequest, request: Request) -> PagesAnswer:
    """The question and answer pages of one card for each platform, in one request.

    Each page is a complete HTML document (the platform's reviewer page with the card in it)
    for an ``<iframe sandbox="allow-scripts" srcdoc=…>``; with ``notetype_id`` its relative
    media URLs load from that note type's media. Also answers the cards the sample generates,
    the card's audio/TTS tags per side, its type-answer box and its template errors.

    Send ``X-ATD-Stream: <editor id>``: a newer request on the stream supersedes this one
    (409 ``superseded``; drop it). When the server is overloaded or the render runs past its
    budget, the last good pages come back with ``stale: true`` and a ``notice``; with none,
    503 with ``Retry-After``.
    """
    answer = await degradable(request, "pages", body, partial(_pages, body))
    return PagesAnswer.model_construct(
        **dict(answer.value), stale=answer.stale, notice=answer.notice
    )


@router.post(
    "/preview/grid",
    summary="Every card of a sample on several platforms, as pages",
    responses=DEGRADED_DOC,
)
async def preview_grid(body: GridRequest, request: Request) -> GridAnswer:
    """The question and answer pages of every card the sample generates, in one pass.

    At most ``MAX_GRID_CARDS`` (24) cards, in ordinal order; ``total_cards`` counts them all
    (0 when the sample generates none). Each card's pages are those ``/api/preview/pages``
    answers for it with the same platforms, mode and ``notetype_id`` and no typed answer.

    One job on the work manager at interactive priority renders them all: identical requests
    under way at once are computed once, a newer request on the same ``X-ATD-Stream``
    supersedes this one (409 ``superseded``). When the server is overloaded or the render runs
    past its budget, the last good grid comes back with ``stale: true`` and a ``notice``; with
    none, 503 with ``Retry-After``.
    """
    answer = await degradable(request, "grid", body, partial(_grid, body))
    return GridAnswer.model_construct(
        **dict(answer.value), stale=answer.stale, notice=answer.notice
    )


@router.post(
    "/preview/compare",
    summary="The answer compared with a typed answer",
    responses=DEGRADED_DOC,
)
async def preview_compare(body: CompareRequest, request: Request) -> CompareAnswer:
    """The answer pages with ``{{type:…}}`` showing Anki's comparison of ``typed_answer``."""
    answer = await degradable(request, "compare", body, partial(_comparison, body))
    return CompareAnswer.model_construct(
        **dict(answer.value), stale=answer.stale, notice=answer.notice
    )


@router.post("/check", summary="Check a draft's templates")
def check(body: CheckRequest) -> CheckResponse:
    """Template syntax errors and unknown fields, with line and column, as Anki reports them."""
    problems = check_notetype(body.notetype.to_model())
    return CheckResponse(problems=[TemplateProblemDoc(**dataclasses.asdict(p)) for p in problems])
