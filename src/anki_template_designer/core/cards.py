"""Which cards a note generates, decided as Anki's card generation does."""

from __future__ import annotations

from .model import Note, NoteType
from .template.cloze import cloze_numbers
from .template.errors import TemplateSyntaxError
from .template.parser import parse_cached
from .template.renderer import renders_nonempty
from .template.text_rules import field_is_empty

_MAX_CLOZE_CARD = 499
SPECIAL_FIELDS = ("FrontSide", "Card", "CardFlag", "Deck", "Subdeck", "Tags", "Type", "CardID")


def generated_card_ords(notetype: NoteType, note: Note) -> list[int]:
    """Card ordinals Anki creates when ``note`` is added, in order; never empty.

    A note that generates none gets card 0, which shows Anki's blank-front or missing-cloze
    message (``cards_generated`` tells such a note apart).
    """
    return cards_generated(notetype, note) or [0]


def cards_generated(notetype: NoteType, note: Note) -> list[int]:
    """Card ordinals ``note`` generates, in order; empty when none (Anki refuses to add it)."""
    if notetype.is_cloze:
        values = [note.value(name) for name in notetype.field_names]
        # Not deduplicated after capping: Anki really creates one card per number above 500.
        ords = sorted(min(number - 1, _MAX_CLOZE_CARD) for number in cloze_numbers(values))
    else:
        names = set(notetype.field_names)
        nonempty = {name for name in names if not field_is_empty(note.value(name))}
        for special in SPECIAL_FIELDS:
            if special in names or special == "FrontSide" or (special == "Tags" and not note.tags):
                continue
            nonempty.add(special)
        ords = []
        for ord_, template in enumerate(notetype.templates):
            parsed = parse_cached(template.front)
            if not isinstance(parsed, TemplateSyntaxError) and renders_nonempty(parsed, nonempty):
                ords.append(ord_)
    return ords
