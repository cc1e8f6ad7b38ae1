"""Errors raised by the formats package.

    FormatError                 root: a file or service could not be read or written
    ├── PackageError            an .apkg/.colpkg/collection file is corrupt, unsafe or unknown
    ├── FolderFormatError       a note type folder is missing files or has invalid content
    ├── CrowdAnkiError          a CrowdAnki deck.json lacks keys or has wrong types
    └── AnkiConnectError        AnkiConnect is unreachable, too old, or replied with an error

Messages say what was wrong, where (file, entry, key), and what to do.
"""

from __future__ import annotations


class FormatError(Exception):
    """Root of the formats package's exceptions."""


class PackageError(FormatError):
    """An Anki package or collection file is corrupt, unsafe, or of an unknown version."""


class FolderFormatError(FormatError):
    """A note type folder is incomplete or has invalid content."""


class CrowdAnkiError(FormatError):
    """A CrowdAnki JSON file is malformed."""


class AnkiConnectError(FormatError):
    """AnkiConnect could not be reached, is too old, or returned an error."""
