"""What Anki does to a note and its note type when it saves them.

Anki renders notes as stored, and storing NFC-normalises text, drops control
characters from fields and canonicalises tags. Applying the same here makes a
preview of unsaved text match what the learner will see after saving.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from types import MappingProxyType

from .model import Note, NoteType
from .template.text_rules import rust_trim

_TAG_SEPARATORS = (" ", "\u3000")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def normalize_field_text(text: str) -> str:
    """Drop ASCII control characters other than tab and newline, then NFC-normalise."""
    if any(ord(c) < 0x20 or c == "\x7f" for c in text):
        text = "".join(c for c in text if c in "\t\n" or not (ord(c) < 0x20 or c == "\x7f"))
    return _nfc(text)


def _tag_component(component: str) -> str:
    component = _nfc(component)
    component = "".join(
        c for c in component if not (ord(c) < 0x20 or c == "\x7f" or c in _TAG_SEPARATORS)
    )
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


def as_saved_by_anki(notetype: NoteType, note: Note) -> tuple[NoteType, Note]:
    """Return the note type and note as Anki would store them."""
    templates = tuple(
        dataclasses.replace(
            t,
            name=_nfc(t.name),
            front=_nfc(t.front),
            back=_nfc(t.back),
            browser_front=_nfc(t.browser_front),
            browser_back=_nfc(t.browser_back),
        )
        for t in notetype.templates
    )
    fields = tuple(dataclasses.replace(f, name=_nfc(f.name)) for f in notetype.fields)
    saved_type = dataclasses.replace(
        notetype, name=_nfc(notetype.name.replace('"', "")), fields=fields, templates=templates
    )
    saved_note = dataclasses.replace(
        note,
        fields=MappingProxyType(
            {_nfc(name): normalize_field_text(value) for name, value in note.fields.items()}
        ),
        tags=canonical_tags(note.tags),
    )
    return saved_type, saved_note
