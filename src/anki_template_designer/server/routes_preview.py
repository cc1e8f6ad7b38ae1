"""The editor's hot path: render a draft's cards and check its templates, without saving."""

from __future__ import annotations

import dataclasses
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from ..core.normalize import as_saved_by_anki
from ..core.rendering import render_card, render_note
from ..core.template.av import av_tag_to_json
from ..core.template.check import check_notetype
from .problems import Problem
from .schemas import Body, NoteTypeDoc, SampleDoc

router = APIRouter(prefix="/api", tags=["preview"])


class Platform(StrEnum):
    """Where a card is shown; the page shell (html/body classes, night mode) depends on it."""

    desktop_windows = "desktop-windows"
    desktop_mac = "desktop-mac"
    desktop_linux = "desktop-linux"
    ankidroid = "ankidroid"
    ankimobile_iphone = "ankimobile-iphone"
    ankimobile_ipad = "ankimobile-ipad"


class PreviewRequest(Body):
    """A draft note type and a sample note; ``card_ord`` picks one card, else all generated."""

    notetype: NoteTypeDoc
    sample: SampleDoc = Field(default_factory=SampleDoc)
    card_ord: int | None = Field(default=None, ge=0)
    platform: Platform = Platform.desktop_linux
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
    """The cards as Anki renders them; the page shell for ``platform`` is applied by the client."""

    platform: Platform
    night_mode: bool
    cards: list[PreviewCard]


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


@router.post("/preview", summary="Render a draft's cards")
def preview(body: PreviewRequest) -> PreviewResponse:
    """Render the sample note's cards with the draft note type exactly as Anki 26.9 would."""
    draft = body.notetype.to_model()
    known = set(draft.field_names)
    # A sample may still carry a field the draft just renamed or removed: ignore it.
    sample = body.sample.to_model()
    fields = {name: value for name, value in sample.fields.items() if name in known}
    sample = dataclasses.replace(sample, fields=MappingProxyType(fields))
    notetype, note = as_saved_by_anki(draft, sample)
    if body.card_ord is None:
        rendered = render_note(notetype, note)
    else:
        if not notetype.is_cloze and body.card_ord >= len(notetype.templates):
            raise Problem(
                400,
                "no-such-card",
                "No such card",
                f"card_ord {body.card_ord} is past the last card type "
                f"({len(notetype.templates)} card types); pick 0 to {len(notetype.templates) - 1}",
            )
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


@router.post("/check", summary="Check a draft's templates")
def check(body: CheckRequest) -> CheckResponse:
    """Template syntax errors and unknown fields, with line and column, as Anki reports them."""
    problems = check_notetype(body.notetype.to_model())
    return CheckResponse(problems=[TemplateProblemDoc(**dataclasses.asdict(p)) for p in problems])
