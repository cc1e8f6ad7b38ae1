"""What Anki does to a note type, a note and its deck when it saves them.

Anki renders notes as stored. Storing NFC-normalises names and field text,
strips characters Anki forbids in names, makes names unique (appending ``+``),
drops control characters from fields, canonicalises tags and deck names.
Template text is stored as given. Applying the same rules here makes a preview
of unsaved input match what the learner sees once it is in Anki.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from types import MappingProxyType

from .errors import NoteTypeFormatError, NotUnicodeError
from .model import Note, NoteType
from .template.text_rules import RUST_WHITESPACE, rust_trim

_TAG_SEPARATORS = (" ", "\u3000")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _is_control(char: str) -> bool:
    return ord(char) < 0x20 or char == "\x7f"


def normalize_field_text(text: str) -> str:
    """Drop ASCII control characters other than tab and newline, then NFC-normalise."""
    if any(_is_control(c) for c in text):
        text = "".join(c for c in text if c in "\t\n" or not _is_control(c))
    return _nfc(text)


def _tag_component(component: str) -> str:
    component = "".join(c for c in _nfc(component) if not (_is_control(c) or c in _TAG_SEPARATORS))
    return rust_trim(component) or "blank"


def canonical_tags(tags: tuple[str, ...]) -> tuple[str, ...]:
    """Split on spaces, normalise each tag, drop case-insensitive duplicates, sort."""
    seen: dict[str, str] = {}
    for raw in tags:
        for tag in raw.replace("\u3000", " ").split(" "):
            if not tag:
                continue
            name = "::".join(_tag_component(part) for part in tag.split("::"))
            seen.setdefault(name.casefold(), name)
    return tuple(seen[key] for key in sorted(seen))


def canonical_deck_name(name: str) -> str:
    """Deck names as Anki stores them in a collection that has only its Default deck."""
    parts = []
    for part in name.split("::"):
        part = "".join(c for c in _nfc(part) if not _is_control(c))
        parts.append(part.strip(RUST_WHITESPACE + ":") or "blank")
    # A new collection has one deck, "Default"; Anki matches a new deck's parents
    # to existing decks case-insensitively.
    if parts[0].casefold() == "default":
        parts[0] = "Default"
    return "::".join(parts)


def _field_name(name: str) -> str:
    fixed = "".join(c for c in _nfc(name) if c not in ':{}"')
    fixed = rust_trim(fixed).lstrip("#/^" + RUST_WHITESPACE)
    if not fixed:
        raise NoteTypeFormatError(f'field name {name!r} is empty once Anki removes : {{ }} " # / ^')
    return fixed


def _template_name(name: str) -> str:
    fixed = _nfc(name).replace('"', "")
    if not fixed:
        raise NoteTypeFormatError(f"card type name {name!r} is empty once Anki removes quotes")
    return fixed


def _unique(names: list[str]) -> list[str]:
    """Append '+' to case-insensitive duplicates until unique, as Anki does."""
    seen: set[str] = set()
    out = []
    for name in names:
        while name.casefold() in seen:
            name += "+"
        seen.add(name.casefold())
        out.append(name)
    return out


def saved_notetype(notetype: NoteType) -> tuple[NoteType, dict[str, str]]:
    """The note type as Anki stores it, and the old → new field name map."""
    if not notetype.fields:
        raise NoteTypeFormatError("a note type needs at least one field")
    name = _nfc(notetype.name.replace('"', ""))
    if not name:
        raise NoteTypeFormatError("the note type's name is empty")
    template_names = _unique([_template_name(t.name) for t in notetype.templates])
    field_names = _unique([_field_name(f.name) for f in notetype.fields])
    saved = dataclasses.replace(
        notetype,
        name=name,
        fields=tuple(
            dataclasses.replace(f, name=n)
            for f, n in zip(notetype.fields, field_names, strict=True)
        ),
        templates=tuple(
            dataclasses.replace(t, name=n)
            for t, n in zip(notetype.templates, template_names, strict=True)
        ),
    )
    renames = {f.name: n for f, n in zip(notetype.fields, field_names, strict=True)}
    return saved, renames


def _require_unicode(text: str, where: str) -> None:
    if text.isascii():
        return
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise NotUnicodeError(
            f"{where} is not Unicode text: lone surrogate U+{ord(text[error.start]):04X} at "
            f"character {error.start + 1} (Anki cannot store it)"
        ) from None


def require_unicode(notetype: NoteType, note: Note | None = None) -> None:
    """Raise NotUnicodeError if any text Anki would store holds a lone surrogate."""
    _require_unicode(notetype.name, "the note type's name")
    _require_unicode(notetype.css, "the note type's CSS")
    for field in notetype.fields:
        _require_unicode(field.name, f"field name {field.name!r}")
    for template in notetype.templates:
        _require_unicode(template.name, f"card type name {template.name!r}")
        for side, text in (
            ("front", template.front),
            ("back", template.back),
            ("browser front", template.browser_front),
            ("browser back", template.browser_back),
        ):
            _require_unicode(text, f"the {side} template of card type {template.name!r}")
    if note is None:
        return
    for name, value in note.fields.items():
        _require_unicode(value, f"field {name!r}")
    for tag in note.tags:
        _require_unicode(tag, f"tag {tag!r}")
    _require_unicode(note.deck, "the deck name")


def as_saved_by_anki(notetype: NoteType, note: Note) -> tuple[NoteType, Note]:
    """Return the note type and note as Anki would store them.

    Raises NoteTypeFormatError for names Anki refuses, NotUnicodeError for text with a lone
    surrogate (the anki package cannot add such a note: no card exists to preview).
    """
    require_unicode(notetype, note)
    saved_type, renames = saved_notetype(notetype)
    saved_note = dataclasses.replace(
        note,
        fields=MappingProxyType(
            {
                renames.get(name, name): normalize_field_text(value)
                for name, value in note.fields.items()
            }
        ),
        tags=canonical_tags(note.tags),
        deck=canonical_deck_name(note.deck),
    )
    return saved_type, saved_note
