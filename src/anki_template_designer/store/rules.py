"""What the store refuses to save: malformed bundles, and saves from a stale revision."""

from __future__ import annotations

from collections import Counter
from typing import Protocol

from ..formats.bundle import NoteTypeBundle
from .errors import Conflict, DuplicateName, InvalidContent
from .names import check_card_type_name, check_field_name, check_media_name, check_notetype_name


class Current(Protocol):
    """A note type's name and current revision (a locked row)."""

    @property
    def name(self) -> str: ...

    @property
    def current_revision(self) -> int: ...


def validate(bundle: NoteTypeBundle) -> None:
    """Raise InvalidName, DuplicateName or InvalidContent for a bundle the store must not hold."""
    notetype = bundle.notetype
    check_notetype_name(notetype.name)
    where = f"note type {notetype.name!r}"
    if not notetype.fields:
        raise InvalidContent(f"{where} has no fields; Anki needs at least one")
    if not notetype.templates:
        raise InvalidContent(f"{where} has no card types; Anki needs at least one")
    for what, names, check in (
        ("field", [f.name for f in notetype.fields], check_field_name),
        ("card type", [t.name for t in notetype.templates], check_card_type_name),
    ):
        for name in names:
            check(name)
        twice = sorted(name for name, count in Counter(names).items() if count > 1)
        if twice:
            raise DuplicateName(f"{where} has two {what}s named {twice[0]!r}; rename one")
    for name in bundle.media:
        check_media_name(name)
    for index, note in enumerate(bundle.samples):
        if not 0 <= note.flag <= 7:
            raise InvalidContent(f"{where}: sample note {index + 1} has flag {note.flag}, not 0-7")


def check_expected(row: Current | None, expected_revision: int | None, name: str) -> None:
    """Raise Conflict unless ``expected_revision`` is None or the note type's current revision."""
    if expected_revision is None:
        return
    if row is None:
        raise Conflict(
            f"note type {name!r} was deleted or renamed after revision {expected_revision}; "
            "reload it before saving",
            expected=expected_revision,
            current=None,
        )
    if row.current_revision != expected_revision:
        raise Conflict(
            f"note type {row.name!r} changed since revision {expected_revision} (now at "
            f"revision {row.current_revision}); reload it and apply your edit again",
            expected=expected_revision,
            current=row.current_revision,
        )
