"""What every format reads and writes: a note type with sample notes and template media."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from ..core.model import Note, NoteType


def _no_media() -> Mapping[str, bytes]:
    return MappingProxyType({})


@dataclass(frozen=True)
class NoteTypeBundle:
    """A note type, up to N sample notes, and the media files its templates and samples use.

    ``media`` maps file names (as referenced in templates and fields) to their bytes.
    """

    notetype: NoteType
    samples: tuple[Note, ...] = ()
    media: Mapping[str, bytes] = field(default_factory=_no_media)
