"""Which names the store accepts: Anki's rules for fields and card types, plain media file names.

A name Anki would silently change on its next save is refused with a message
instead, so what the designer shows is what Anki will store.
"""

from __future__ import annotations

import unicodedata

from ..core.template.text_rules import RUST_WHITESPACE
from ..formats.package_safety import unsafe_media_name
from .errors import InvalidName

_MAX_MEDIA_NAME_BYTES = 255  # the usual file-system limit for one path component


def check_notetype_name(name: str) -> None:
    """Raise InvalidName unless ``name`` is a usable note type name."""
    if not name.strip(RUST_WHITESPACE):
        raise InvalidName("a note type needs a name that is not blank")


def check_field_name(name: str) -> None:
    """Raise InvalidName for a field name Anki would change or refuse."""
    if unicodedata.normalize("NFC", name) != name:
        raise InvalidName(f"field name {name!r} is not NFC-normalised; retype it")
    bad = sorted({c for c in name if c in ':{}"'})
    if bad:
        raise InvalidName(f'field name {name!r} contains {" ".join(bad)}; Anki forbids : {{ }} "')
    if not name.strip(RUST_WHITESPACE):
        raise InvalidName("a field needs a name that is not blank")
    if name != name.strip(RUST_WHITESPACE):
        raise InvalidName(f"field name {name!r} starts or ends with a space; remove it")
    if name[0] in "#/^":
        raise InvalidName(f"field name {name!r} starts with {name[0]}; Anki forbids # / ^ there")


def check_card_type_name(name: str) -> None:
    """Raise InvalidName for a card type name Anki would change or refuse."""
    if unicodedata.normalize("NFC", name) != name:
        raise InvalidName(f"card type name {name!r} is not NFC-normalised; retype it")
    if '"' in name:
        raise InvalidName(f'card type name {name!r} contains "; Anki removes it, so leave it out')
    if not name.strip(RUST_WHITESPACE):
        raise InvalidName("a card type needs a name that is not blank")


def check_media_name(name: str) -> None:
    """Raise InvalidName unless ``name`` is a plain file name (no folders, no path tricks)."""
    if unsafe_media_name(name):
        raise InvalidName(
            f"media name {name!r} is not a plain file name: no '/', '\\', drive letters, "
            "'.' or '..'; rename the file"
        )
    if any(ord(c) < 0x20 or c == "\x7f" for c in name):
        raise InvalidName(f"media name {name!r} contains control characters; rename the file")
    if len(name.encode("utf-8")) > _MAX_MEDIA_NAME_BYTES:
        raise InvalidName(
            f"media name {name[:40]!r}… is longer than {_MAX_MEDIA_NAME_BYTES} bytes; shorten it"
        )
