"""The domain model: note types, their fields and card templates, and notes.

Values are immutable. Anything Anki stores that the designer does not interpret
(field fonts, template browser fonts, future keys) is kept in ``extra`` so that
a note type survives an import/export round trip unchanged.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any, NewType

NotetypeId = NewType("NotetypeId", int)
FieldId = NewType("FieldId", int)
TemplateId = NewType("TemplateId", int)
DeckId = NewType("DeckId", int)
CardId = NewType("CardId", int)


def _empty() -> Mapping[Any, Any]:
    return MappingProxyType({})


class NoteTypeKind(enum.IntEnum):
    """Anki's two note type kinds (schema-11 ``type``)."""

    STANDARD = 0
    CLOZE = 1


@dataclass(frozen=True)
class Field:
    """One field of a note type, in order."""

    name: str
    extra: Mapping[str, Any] = field(default_factory=_empty)


@dataclass(frozen=True)
class CardTemplate:
    """One card type: question (front) and answer (back) templates."""

    name: str
    front: str
    back: str
    browser_front: str = ""
    browser_back: str = ""
    deck_override: DeckId | None = None
    extra: Mapping[str, Any] = field(default_factory=_empty)


@dataclass(frozen=True)
class NoteType:
    """A note type: fields, card templates and the shared stylesheet."""

    name: str
    fields: tuple[Field, ...]
    templates: tuple[CardTemplate, ...]
    css: str = ""
    kind: NoteTypeKind = NoteTypeKind.STANDARD
    id: NotetypeId | None = None
    sort_field: int = 0
    latex_pre: str = ""
    latex_post: str = ""
    extra: Mapping[str, Any] = field(default_factory=_empty)

    @property
    def is_cloze(self) -> bool:
        return self.kind is NoteTypeKind.CLOZE

    @cached_property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


@dataclass(frozen=True)
class Note:
    """A note's content: field values by name, tags, and where its cards live.

    ``deck`` is the deck name shown by ``{{Deck}}``; ``flag`` (0-7) and
    ``card_ids`` (ordinal → id) feed ``{{CardFlag}}`` and ``{{CardID}}``.
    A card not in ``card_ids`` renders ``{{CardID}}`` as ``0``, as Anki's
    card-layout preview does for a card that has not been added yet.
    """

    fields: Mapping[str, str]
    tags: tuple[str, ...] = ()
    deck: str = "Default"
    flag: int = 0
    card_ids: Mapping[int, int] = field(default_factory=_empty)

    def value(self, name: str) -> str:
        return self.fields.get(name, "")
