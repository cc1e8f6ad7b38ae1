"""Render whole cards — both sides, blank-card and error messages — as Anki 26.9 does."""

from __future__ import annotations

from dataclasses import dataclass

from .cards import generated_card_ords
from .model import CardTemplate, Note, NoteType
from .template.av import AVTag, extract_av_tags
from .template.cloze import cloze_numbers
from .template.errors import BLANK_FRONT_LINK, MISSING_CLOZE_LINK, TemplateSyntaxError
from .template.filters import FilterContext
from .template.nodes import Template
from .template.parser import parse_cached
from .template.renderer import RenderContext, RenderProbe, render, renders_nonempty
from .template.text_rules import field_is_empty


@dataclass(frozen=True, slots=True)
class RenderedCard:
    """One card as the reviewer shows it (without the leading ``<style>`` element)."""

    ord: int
    template_name: str
    question: str
    answer: str
    question_av: tuple[AVTag, ...]
    answer_av: tuple[AVTag, ...]
    # The note type's CSS, or "" when a template error replaces the card, as in Anki.
    css: str


def template_for_card(notetype: NoteType, card_ord: int) -> CardTemplate:
    """The template a card ordinal uses: its own, or the only one of a cloze note type."""
    if notetype.is_cloze:
        return notetype.templates[0]
    if not 0 <= card_ord < len(notetype.templates):
        raise IndexError(f"note type '{notetype.name}' has no card type with ordinal {card_ord}")
    return notetype.templates[card_ord]


@dataclass(frozen=True, slots=True)
class _NoteFields:
    """Fields shared by every card of a note, and which of them are non-empty."""

    values: dict[str, str]
    nonempty: frozenset[str]


def _note_fields(notetype: NoteType, note: Note) -> _NoteFields:
    """Note fields plus the special fields that are the same for every card of the note."""
    fields = {name: note.value(name) for name in notetype.field_names}
    for name, value in (
        ("Tags", " ".join(note.tags)),
        ("Type", notetype.name),
        ("Subdeck", note.deck.rsplit("::", 1)[-1]),
        ("Deck", note.deck),
        ("CardFlag", f"flag{note.flag}"),
    ):
        fields.setdefault(name, value)
    nonempty = frozenset(name for name, value in fields.items() if not field_is_empty(value))
    return _NoteFields(fields, nonempty)


def _card_fields(
    note_fields: _NoteFields, note: Note, template: CardTemplate, card_ord: int
) -> tuple[dict[str, str], set[str]]:
    fields = dict(note_fields.values)
    nonempty = set(note_fields.nonempty)
    for name, value in (
        ("Card", template.name),
        ("CardID", str(note.card_ids.get(card_ord, 0))),
        (f"c{card_ord + 1}", "1"),
    ):
        if name not in fields:
            fields[name] = value
            if not field_is_empty(value):
                nonempty.add(name)
    return fields, nonempty


def field_map(
    notetype: NoteType, note: Note, template: CardTemplate, card_ord: int
) -> dict[str, str]:
    """Note fields plus the special fields they do not shadow, as the renderer sees them."""
    return _card_fields(_note_fields(notetype, note), note, template, card_ord)[0]


def _blank_message(text: str, link: str) -> str:
    return f"<div>{text}<br><a href='{link}'>More information</a></div>"


def _error_card(card_ord: int, template: CardTemplate, html: str) -> RenderedCard:
    return RenderedCard(card_ord, template.name, html, html, (), (), "")


def render_card(
    notetype: NoteType, note: Note, card_ord: int, probe: RenderProbe | None = None
) -> RenderedCard:
    """Render card ``card_ord`` of ``note``; template problems appear on the card, as in Anki.

    ``probe`` (see ``RenderProbe``) may stop the render between nodes by raising, and is told
    what each filter chain cost.
    """
    return _render(notetype, note, card_ord, _note_fields(notetype, note), probe)


def render_note(
    notetype: NoteType, note: Note, probe: RenderProbe | None = None
) -> list[RenderedCard]:
    """Render every card Anki generates for ``note``, in ordinal order."""
    note_fields = _note_fields(notetype, note)
    return [
        _render(notetype, note, card_ord, note_fields, probe)
        for card_ord in generated_card_ords(notetype, note)
    ]


def _render(
    notetype: NoteType,
    note: Note,
    card_ord: int,
    note_fields: _NoteFields,
    probe: RenderProbe | None = None,
) -> RenderedCard:
    template = template_for_card(notetype, card_ord)
    fields, nonempty = _card_fields(note_fields, note, template, card_ord)

    front = parse_cached(template.front)
    try:
        if isinstance(front, TemplateSyntaxError):
            raise front
        question_context = RenderContext(
            fields, nonempty, FilterContext(card_ord + 1, True), probe=probe
        )
        question = render(front, question_context)
    except TemplateSyntaxError as error:
        return _error_card(card_ord, template, error.anki_html(front=True))

    blank = _blank_message_for(notetype, front, fields, nonempty, card_ord)
    question_text, question_av = extract_av_tags(question + (blank or ""), True)
    if blank is not None:
        return _finish(notetype, template, card_ord, question_text, question_av, blank)

    back = parse_cached(template.back)
    try:
        if isinstance(back, TemplateSyntaxError):
            raise back
        answer_context = RenderContext(
            fields,
            nonempty,
            FilterContext(card_ord + 1, False),
            frontside=question_text,
            probe=probe,
        )
        answer = render(back, answer_context)
    except TemplateSyntaxError as error:
        return _error_card(card_ord, template, error.anki_html(front=False))
    return _finish(notetype, template, card_ord, question_text, question_av, answer)


def _blank_message_for(
    notetype: NoteType, front: Template, fields: dict[str, str], nonempty: set[str], card_ord: int
) -> str | None:
    """Anki's message for a card with nothing to ask, or None."""
    if notetype.is_cloze:
        if card_ord + 1 in cloze_numbers(fields.values()):
            return None
        return _blank_message(
            f"No cloze \u2068{card_ord + 1}\u2069 found on card.\n"
            "Please either add a cloze deletion, or use the Empty Cards tool.",
            MISSING_CLOZE_LINK,
        )
    if renders_nonempty(front, nonempty):
        return None
    return _blank_message("The front of this card is blank.", BLANK_FRONT_LINK)


def _finish(
    notetype: NoteType,
    template: CardTemplate,
    card_ord: int,
    question_text: str,
    question_av: list[AVTag],
    answer: str,
) -> RenderedCard:
    answer_text, answer_av = extract_av_tags(answer, False)
    return RenderedCard(
        card_ord,
        template.name,
        question_text,
        answer_text,
        tuple(question_av),
        tuple(answer_av),
        notetype.css,
    )
