"""File names for card types and note types: safe on every file system, unique, stable.

Mapping (the manifest keeps the real names; file names are derived from them):

* Unicode is NFC-normalised; letters, digits, ``-`` and ``_`` are kept, every
  other character (space, ``.``, ``/``, ``:``…) becomes ``_``; runs of ``_``
  collapse and leading/trailing ``_`` go. ``"Card 1"`` → ``Card_1``.
* The result is cut to 60 characters; an empty result becomes ``card``; a name
  Windows reserves (``CON``, ``NUL``, ``COM1``…) gets a trailing ``_``.
* Names that collide, ignoring case (macOS and Windows do), get ``-2``, ``-3``…
  in card order: ``["A/B", "A:B"]`` → ``A_B``, ``A_B-2``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_MAX_STEM = 60
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)
_RUNS = re.compile(r"_+")


def file_stem(name: str, *, empty: str = "card") -> str:
    """A file-system-safe stem for one name (not yet unique among its siblings)."""
    text = unicodedata.normalize("NFC", name)
    kept = "".join(c if c.isalnum() or c in "-_" else "_" for c in text)
    stem = _RUNS.sub("_", kept).strip("_")[:_MAX_STEM].rstrip("_") or empty
    if stem.upper() in _WINDOWS_RESERVED:
        stem += "_"
    return stem


def unique_stems(names: Iterable[str], *, empty: str = "card") -> list[str]:
    """Stems for ``names`` in order, made unique ignoring case with ``-2``, ``-3``… suffixes."""
    used: set[str] = set()
    stems = []
    for name in names:
        base = file_stem(name, empty=empty)
        stem, number = base, 2
        while stem.casefold() in used:
            stem, number = f"{base}-{number}", number + 1
        used.add(stem.casefold())
        stems.append(stem)
    return stems
