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
from .platforms import Platform, body_classes, html_classes, page_shell
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
    "Platform",
    "RenderedCard",
    "TemplateId",
    "TemplateProblem",
    "TemplateSyntaxError",
    "as_saved_by_anki",
    "body_classes",
    "check_notetype",
    "from_schema11",
    "generated_card_ords",
    "html_classes",
    "page_shell",
    "parse",
    "render",
    "render_card",
    "render_note",
    "to_schema11",
]
