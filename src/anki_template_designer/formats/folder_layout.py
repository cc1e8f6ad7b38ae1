"""The files of a note type folder, rendered from a bundle (pure: no disk access).

Layout of one note type folder::

    notetype.toml            manifest: names, kind, ids, fields, card types, every option
    <card>.front.html        one file per template side, named as in folder_names
    <card>.back.html
    <card>.browser-front.html, <card>.browser-back.html   only when set
    style.css                the stylesheet
    samples.toml             sample notes: fields, tags, deck, flag
    media/<name>             template and sample media

Text files end with one newline added on writing and removed on reading, so a
template without a final newline survives and editors that add one change
nothing. The note type's ``mod`` and ``usn`` (sync bookkeeping that Anki rewrites
on every save) are not stored, so the same note type always gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core.model import Note, NoteType, NoteTypeKind
from .bundle import NoteTypeBundle
from .errors import FolderFormatError
from .folder_names import unique_stems
from .folder_toml import literal, pair_lines, sorted_pairs, toml_key
from .package_safety import unsafe_media_name

FORMAT_VERSION = 1
MANIFEST = "notetype.toml"
SAMPLES = "samples.toml"
STYLE = "style.css"
MEDIA_DIR = "media"
SIDES = {
    "front": "front.html",
    "back": "back.html",
    "browser_front": "browser-front.html",
    "browser_back": "browser-back.html",
}
DROPPED_NOTETYPE_KEYS = frozenset({"mod", "usn"})
KINDS = {NoteTypeKind.STANDARD: "standard", NoteTypeKind.CLOZE: "cloze"}
FIELD_KEYS = frozenset({"name"})
TEMPLATE_KEYS = frozenset({"name", "deck_override"})
NOTE_KEYS = frozenset({"tags", "deck", "flag", "fields"})

_MANIFEST_HEADER = f"""\
# Anki Template Designer note type folder (format {FORMAT_VERSION}).
# Card templates: <card>.front.html, <card>.back.html (+ .browser-front.html,
# .browser-back.html); file names derive from card names. Stylesheet: the css_file.
# Sample notes: {SAMPLES}. Media: {MEDIA_DIR}/. [anki] and each field and card
# type keep Anki's other schema-11 options as they are.
"""
_SAMPLES_HEADER = """\
# Sample notes for previews and exports: field values, tags, deck, flag.
"""


def text_bytes(text: str, where: str) -> bytes:
    """A text file's bytes: UTF-8 with one newline appended."""
    try:
        return (text + "\n").encode("utf-8")
    except UnicodeEncodeError as exc:
        raise FolderFormatError(f"{where}: the text cannot be stored as UTF-8 ({exc}).") from None


def template_file_names(notetype: NoteType) -> list[dict[str, str]]:
    """For each card type, its side → file name (browser sides always listed)."""
    stems = unique_stems(t.name for t in notetype.templates)
    return [{side: f"{stem}.{suffix}" for side, suffix in SIDES.items()} for stem in stems]


def render_files(bundle: NoteTypeBundle) -> dict[str, bytes]:
    """Every file of the folder for ``bundle``: relative path → bytes."""
    notetype = bundle.notetype
    files = {MANIFEST: _manifest(notetype).encode("utf-8")}
    for template, names in zip(notetype.templates, template_file_names(notetype), strict=True):
        for side, name in names.items():
            text = getattr(template, side)
            if side in ("front", "back") or text:
                files[name] = text_bytes(text, name)
    files[STYLE] = text_bytes(notetype.css, STYLE)
    files[SAMPLES] = _samples(bundle.samples, notetype).encode("utf-8")
    seen: dict[str, str] = {}
    for name, content in sorted(bundle.media.items()):
        if unsafe_media_name(name):
            raise FolderFormatError(
                f"media file name {name!r} is not a plain file name (it would be written "
                f"outside {MEDIA_DIR}/); rename the file."
            )
        folded = name.casefold()
        if folded in seen:
            raise FolderFormatError(
                f"media files {seen[folded]!r} and {name!r} differ only in case; they would "
                "overwrite each other on macOS and Windows. Rename one."
            )
        seen[folded] = name
        files[f"{MEDIA_DIR}/{name}"] = bytes(content)
    return files


def _manifest(notetype: NoteType) -> str:
    top: list[tuple[str, Any]] = [("atd_format", FORMAT_VERSION), ("name", notetype.name)]
    top.append(("kind", KINDS[notetype.kind]))
    if notetype.id is not None:
        top.append(("id", int(notetype.id)))
    top += [
        ("sort_field", notetype.sort_field),
        ("css_file", STYLE),
        ("latex_pre", notetype.latex_pre),
        ("latex_post", notetype.latex_post),
    ]
    blocks = ["\n".join(pair_lines(top, where=MANIFEST))]
    anki = sorted_pairs(notetype.extra, skip=DROPPED_NOTETYPE_KEYS)
    blocks.append("\n".join(["[anki]", *pair_lines(anki, where=f"{MANIFEST} [anki]")]))
    for index, field in enumerate(notetype.fields):
        where = f"{MANIFEST} field {index + 1} ({field.name!r})"
        _check_reserved(field.extra, FIELD_KEYS, where)
        pairs = [("name", field.name), *sorted_pairs(field.extra)]
        blocks.append("\n".join(["[[fields]]", *pair_lines(pairs, where=where)]))
    for index, template in enumerate(notetype.templates):
        where = f"{MANIFEST} card type {index + 1} ({template.name!r})"
        _check_reserved(template.extra, TEMPLATE_KEYS, where)
        pairs = [("name", template.name)]
        if template.deck_override is not None:
            pairs.append(("deck_override", int(template.deck_override)))
        pairs += sorted_pairs(template.extra)
        blocks.append("\n".join(["[[templates]]", *pair_lines(pairs, where=where)]))
    return _MANIFEST_HEADER + "\n" + "\n\n".join(blocks) + "\n"


def _check_reserved(extra: Mapping[str, Any], reserved: frozenset[str], where: str) -> None:
    clash = sorted(reserved & set(extra))
    if clash:
        raise FolderFormatError(
            f"{where}: option {clash[0]!r} clashes with a key of the folder format; "
            "rename it in the note type before writing a folder."
        )


def _samples(notes: tuple[Note, ...], notetype: NoteType) -> str:
    blocks = []
    order = {name: index for index, name in enumerate(notetype.field_names)}
    for index, note in enumerate(notes):
        where = f"{SAMPLES} note {index + 1}"
        pairs: list[tuple[str, Any]] = []
        if note.tags:
            pairs.append(("tags", list(note.tags)))
        if note.deck != "Default":
            pairs.append(("deck", note.deck))
        if note.flag:
            pairs.append(("flag", note.flag))
        lines = pair_lines(pairs, where=where)
        names = sorted(note.fields, key=lambda n: (order.get(n, len(order)), n))
        for name in names:
            value = literal(note.fields[name])
            if value is None:
                raise FolderFormatError(f"{where}: field {name!r} is not storable text.")
            lines.append(f"fields.{toml_key(name)} = {value}")
        blocks.append("\n".join(["[[notes]]", *lines]))
    body = "\n\n".join(blocks)
    return _SAMPLES_HEADER + ("\n" + body + "\n" if body else "")
