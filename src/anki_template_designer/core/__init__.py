"""Domain core: note types, the template engine and card generation. Pure: no I/O.

The note type model, its errors and the schema-11 conversion load with the package; the
template engine, card generation, rendering and platforms load on first use of one of their
names (``atd import --to`` needs none of them: issue #3, import speed).
"""

import importlib as _importlib
import typing as _typing

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
from .schema11 import from_schema11, to_schema11

if _typing.TYPE_CHECKING:
    from .cards import generated_card_ords
    from .normalize import as_saved_by_anki
    from .platforms import Platform, body_classes, html_classes, page_shell
    from .rendering import RenderedCard, render_card, render_note
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

# Public name -> the submodule that defines it, imported on first access.
_LAZY = {
    "generated_card_ords": "cards",
    "as_saved_by_anki": "normalize",
    "Platform": "platforms",
    "body_classes": "platforms",
    "html_classes": "platforms",
    "page_shell": "platforms",
    "RenderedCard": "rendering",
    "render_card": "rendering",
    "render_note": "rendering",
    "TemplateProblem": "template",
    "TemplateSyntaxError": "template",
    "check_notetype": "template",
    "parse": "template",
    "render": "template",
}


def __getattr__(name: str) -> object:
    submodule = _LAZY.get(name)
    if submodule is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value: object = getattr(_importlib.import_module(f"{__name__}.{submodule}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
