"""The render and card-generation requests behind ``atd render`` and ``atd cards``.

A request is a JSON object: ``{"notetype": <schema-11 dict>, "fields": {...},
"tags": [...], "deck": "Default", "flag": 0, "card_ids": {"0": 123}}``. The
response lists the cards Anki would generate, rendered as Anki renders them.
Bad requests never raise: the response carries ``"error"``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from ..core.cards import generated_card_ords
from ..core.errors import CoreError
from ..core.model import Note, NoteType
from ..core.normalize import as_saved_by_anki
from ..core.rendering import render_note
from ..core.schema11 import from_schema11
from ..core.template.av import av_tag_to_json


class RequestError(ValueError):
    """A render request is malformed; the message says which key and why."""


def _string_list(value: object, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise RequestError(f"'{key}' must be a list of strings")
    return tuple(value)


def _card_ids(value: object) -> Mapping[int, int]:
    if not isinstance(value, Mapping):
        raise RequestError("'card_ids' must be an object mapping card ordinals to card ids")
    ids: dict[int, int] = {}
    for ordinal, card_id in value.items():
        if not (isinstance(ordinal, str) and ordinal.isdigit()):
            raise RequestError(f"'card_ids' key {ordinal!r} is not a card ordinal (0, 1, …)")
        if isinstance(card_id, bool) or not isinstance(card_id, int):
            raise RequestError(f"'card_ids' value for card {ordinal} must be an integer")
        ids[int(ordinal)] = card_id
    return MappingProxyType(ids)


def parse_request(request: object) -> tuple[NoteType, Note]:
    """Validate a request; return the note type and note as Anki would store them."""
    if not isinstance(request, Mapping):
        raise RequestError("a request must be a JSON object with a 'notetype' key")
    if "notetype" not in request:
        raise RequestError("the request has no 'notetype' key")
    notetype = from_schema11(request["notetype"])
    fields = request.get("fields", {})
    if not isinstance(fields, Mapping):
        raise RequestError("'fields' must be an object mapping field names to text")
    known = set(notetype.field_names)
    for name, value in fields.items():
        if name not in known:
            raise RequestError(
                f"'fields' has '{name}', which is not a field of note type "
                f"'{notetype.name}' (fields: {', '.join(notetype.field_names)})"
            )
        if not isinstance(value, str):
            raise RequestError(f"field '{name}' must be a string")
    deck = request.get("deck", "Default")
    if not isinstance(deck, str) or not deck:
        raise RequestError("'deck' must be a non-empty deck name")
    flag = request.get("flag", 0)
    if isinstance(flag, bool) or not isinstance(flag, int) or not 0 <= flag <= 7:
        raise RequestError("'flag' must be an integer from 0 (no flag) to 7")
    note = Note(
        fields=MappingProxyType(dict(fields)),
        tags=_string_list(request.get("tags", []), "tags"),
        deck=deck,
        flag=flag,
        card_ids=_card_ids(request.get("card_ids", {})),
    )
    return as_saved_by_anki(notetype, note)


def render_request(request: object) -> dict[str, Any]:
    """Render every card the request's note generates; errors go into ``"error"``."""
    try:
        notetype, note = parse_request(request)
    except (RequestError, CoreError) as error:
        return {"cards": [], "error": str(error)}
    cards = []
    for card in render_note(notetype, note):
        cards.append(
            {
                "ord": card.ord,
                "template": card.template_name,
                "question": card.question,
                "answer": card.answer,
                "question_av": [av_tag_to_json(tag) for tag in card.question_av],
                "answer_av": [av_tag_to_json(tag) for tag in card.answer_av],
            }
        )
    return {"cards": cards, "error": None}


def cards_request(request: object) -> dict[str, Any]:
    """List the cards the request's note generates, without rendering them."""
    try:
        notetype, note = parse_request(request)
    except (RequestError, CoreError) as error:
        return {"cards": [], "error": str(error)}
    return {
        "cards": [
            {"ord": ordinal, "template": _template_name(notetype, ordinal)}
            for ordinal in generated_card_ords(notetype, note)
        ],
        "error": None,
    }


def _template_name(notetype: NoteType, ordinal: int) -> str:
    return notetype.templates[0 if notetype.is_cloze else ordinal].name
