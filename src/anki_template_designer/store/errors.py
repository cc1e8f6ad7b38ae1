"""Errors of the workspace store, each with a message a person can act on.

StoreError            root: anything the store refuses or cannot do
├── NotFound          no note type, revision, field or card type by that name or id
├── Conflict          the caller's revision is stale: someone saved since (reload, merge, retry)
├── DuplicateName     the name is already taken (note type, field, card type)
├── InvalidName       a name Anki would not accept, or a media name with path tricks
└── InvalidContent    a note type that cannot be stored (options that are not JSON)
"""

from __future__ import annotations


class StoreError(Exception):
    """Root of the workspace store's errors."""


class NotFound(StoreError):
    """Raised when a note type, revision, field or card type does not exist."""


class Conflict(StoreError):
    """Raised when ``expected_revision`` is not the note type's current revision."""

    def __init__(self, message: str, *, expected: int | None, current: int | None) -> None:
        super().__init__(message)
        self.expected = expected
        self.current = current


class DuplicateName(StoreError):
    """Raised when a new or renamed note type, field or card type takes a name already in use."""


class InvalidName(StoreError):
    """Raised for a name Anki would reject, or a media name that is not a plain file name."""


class InvalidContent(StoreError):
    """Raised when a bundle cannot be stored, e.g. options that are not JSON values."""


def changed_meanwhile(cause: object) -> Conflict:
    """The Conflict for a write that another process's write got in the way of."""
    # Only a concurrent writer gets here: every rule is checked before writing.
    return Conflict(
        f"the workspace changed while saving ({cause}); reload and try again",
        expected=None,
        current=None,
    )
