"""Domain core: note types, the template engine and card generation. Pure: no I/O."""

from .cards import generated_card_ords
from .errors import CoreError, NoteTypeFormatError
from .model import (
    CardId,
    CardTemplate,
    DeckId,
    Field,
    FieldId,
    Note,
    NoteType,
    NotetypeId,
    NoteTypeKind,
    TemplateId,
)
from .normalize import as_saved_by_anki
from .rendering import RenderedCard, render_card, render_note
from .schema11 import from_schema11, to_schema11
from .template import (
    TemplateProblem,
    TemplateSyntaxError,
    check_notetype,
    parse,
    render,
)

__all__ = [
    "CardId",
    "CardTemplate",
    "CoreError",
    "DeckId",
    "Field",
    "FieldId",
    "Note",
    "NoteType",
    "NoteTypeFormatError",
    "NoteTypeKind",
    "NotetypeId",
    "RenderedCard",
    "TemplateId",
    "TemplateProblem",
    "TemplateSyntaxError",
    "as_saved_by_anki",
    "check_notetype",
    "from_schema11",
    "generated_card_ords",
    "parse",
    "render",
    "render_card",
    "render_note",
    "to_schema11",
]
