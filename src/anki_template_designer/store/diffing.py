"""Unified diffs between two states of a note type, file by file as the folder format lays them out.

Each template side, ``style.css``, ``notetype.toml`` (names, fields, options)
and ``samples.toml`` is diffed as text; media are compared by content and
listed as added, removed or changed. A note type the folder format cannot
write (an option clashing with its keys, media names differing only in case)
falls back to one plain-text file per template side plus the stylesheet.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Mapping

from ..formats.bundle import NoteTypeBundle
from ..formats.errors import FormatError
from ..formats.folder_layout import STYLE, render_files, template_file_names

_NO_MEDIA: Mapping[str, bytes] = {}


def _plain_files(bundle: NoteTypeBundle) -> dict[str, str]:
    notetype = bundle.notetype
    files = {}
    for template, names in zip(notetype.templates, template_file_names(notetype), strict=True):
        for side, name in names.items():
            text: str = getattr(template, side)
            if side in ("front", "back") or text:
                files[name] = text + "\n"  # as the folder format writes text files
    files[STYLE] = notetype.css + "\n"
    return files


def text_files(bundle: NoteTypeBundle) -> dict[str, str]:
    """The bundle's text files (no media): relative path → text."""
    try:
        rendered = render_files(NoteTypeBundle(bundle.notetype, bundle.samples, _NO_MEDIA))
    except FormatError:
        return _plain_files(bundle)
    return {name: content.decode("utf-8") for name, content in rendered.items()}


def _digests(media: Mapping[str, bytes]) -> dict[str, str]:
    return {name: hashlib.sha256(content).hexdigest() for name, content in media.items()}


def _media_lines(old: Mapping[str, bytes], new: Mapping[str, bytes]) -> list[str]:
    before, after = _digests(old), _digests(new)
    lines = []
    for name in sorted(before.keys() | after.keys()):
        if name not in after:
            lines.append(f"media removed: {name}\n")
        elif name not in before:
            lines.append(f"media added: {name} ({len(new[name])} bytes)\n")
        elif before[name] != after[name]:
            lines.append(f"media changed: {name} ({len(old[name])} → {len(new[name])} bytes)\n")
    return lines


def diff_bundles(old: NoteTypeBundle, new: NoteTypeBundle, old_label: str, new_label: str) -> str:
    """A unified diff turning ``old`` into ``new``; empty when they have the same content."""
    before, after = text_files(old), text_files(new)
    out: list[str] = []
    for name in sorted(before.keys() | after.keys()):
        a = before.get(name, "").splitlines(keepends=True)
        b = after.get(name, "").splitlines(keepends=True)
        from_file = f"{old_label}/{name}" if name in before else "/dev/null"
        to_file = f"{new_label}/{name}" if name in after else "/dev/null"
        for line in difflib.unified_diff(a, b, from_file, to_file):
            out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    out.extend(_media_lines(old.media, new.media))
    return "".join(out)
