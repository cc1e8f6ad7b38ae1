"""Note type folders on disk: ``write_folder`` and ``read_folder`` (layout in folder_layout)."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..core.model import CardTemplate, DeckId, Field, Note, NoteType, NotetypeId
from .bundle import NoteTypeBundle
from .directory_swap import replace_directory
from .errors import FolderFormatError
from .folder_layout import (
    FORMAT_VERSION,
    KINDS,
    MANIFEST,
    MEDIA_DIR,
    SAMPLES,
    SIDES,
    STYLE,
    render_files,
    template_file_names,
)
from .folder_toml import decode_table

__all__ = ["is_notetype_folder", "read_folder", "write_folder", "write_rendered"]

_TOP_KEYS = frozenset(
    {"atd_format", "name", "kind", "id", "sort_field", "css_file", "latex_pre", "latex_post"}
    | {"anki", "fields", "templates"}
)
_NOTE_KEYS = frozenset({"tags", "deck", "flag", "fields"})
_OWNED_SUFFIXES = tuple(f".{suffix}" for suffix in SIDES.values())


def is_notetype_folder(directory: Path) -> bool:
    """Whether ``directory`` holds a manifest written by this program."""
    manifest = Path(directory) / MANIFEST
    try:
        return manifest.is_file() and "atd_format" in manifest.read_text("utf-8", "replace")
    except OSError:
        return False


def write_folder(bundle: NoteTypeBundle, directory: Path) -> None:
    """Write ``bundle`` as a note type folder, replacing an earlier one in one step.

    The files are written to a temporary sibling folder that is then renamed into
    place. An existing folder that is not a note type folder is never replaced;
    files in an existing note type folder that this format does not own (a README,
    dot files) are carried over.
    """
    write_rendered(render_files(bundle), directory)


def write_rendered(files: Mapping[str, bytes], directory: Path) -> None:
    """Write files from :func:`render_files` as a note type folder (see :func:`write_folder`).

    Rendering first lets a caller writing many folders check them all before writing any.
    """
    replace_directory(
        Path(directory),
        files,
        owned=_owned,
        recognised=is_notetype_folder,
        error=FolderFormatError,
        what=f"a note type folder (no {MANIFEST} written by Anki Template Designer)",
    )


def _owned(name: str) -> bool:
    return name in (MANIFEST, SAMPLES, STYLE, MEDIA_DIR) or name.endswith(_OWNED_SUFFIXES)


def read_folder(directory: Path) -> NoteTypeBundle:
    """Read a note type folder; raise FolderFormatError naming the file and key on bad content."""
    directory = Path(directory)
    if not directory.is_dir():
        raise FolderFormatError(f"{directory}: no such folder.")
    manifest_path = directory / MANIFEST
    if not manifest_path.is_file():
        raise FolderFormatError(
            f"{directory}: not a note type folder ({MANIFEST} is missing). Make one with "
            "`atd import FILE --to DIR` or `atd anki pull NAME --to DIR`."
        )
    data = _load_toml(manifest_path)
    where = str(manifest_path)
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise FolderFormatError(
            f"{where}: unknown key {unknown[0]!r}; expected only {', '.join(sorted(_TOP_KEYS))}."
        )
    version = _typed(data, "atd_format", int, where)
    if version != FORMAT_VERSION:
        raise FolderFormatError(
            f"{where}: folder format {version} is not supported (this version reads "
            f"{FORMAT_VERSION}); update Anki Template Designer."
        )
    notetype = _notetype(directory, data, where)
    samples = _samples(directory / SAMPLES)
    return NoteTypeBundle(notetype=notetype, samples=samples, media=_media(directory / MEDIA_DIR))


def _load_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(_read_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise FolderFormatError(f"{path}: not valid TOML: {exc}.") from None


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise FolderFormatError(f"{path}: file is missing.") from None
    except OSError as exc:
        raise FolderFormatError(f"{path}: cannot be read ({exc.strerror}).") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FolderFormatError(f"{path}: not UTF-8 text (byte {exc.start + 1}).") from None
    return text


def _side_text(path: Path) -> str:
    text = _read_text(path)
    return text[:-1] if text.endswith("\n") else text


def _typed(table: Mapping[str, Any], key: str, kind: type, where: str, default: Any = None) -> Any:
    if key not in table:
        if default is not None:
            return default
        raise FolderFormatError(f"{where}: key {key!r} is missing.")
    value = table[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise FolderFormatError(
            f"{where}: key {key!r} must be {_type_name(kind)}, not {_type_name(type(value))}."
        )
    return value


def _type_name(kind: type) -> str:
    names = {str: "a string", int: "an integer", list: "a list", dict: "a table", bool: "a boolean"}
    return names.get(kind, kind.__name__)


def _notetype(directory: Path, data: Mapping[str, Any], where: str) -> NoteType:
    kind_name = _typed(data, "kind", str, where)
    kinds = {name: kind for kind, name in KINDS.items()}
    if kind_name not in kinds:
        raise FolderFormatError(
            f"{where}: key 'kind' must be 'standard' or 'cloze', not {kind_name!r}."
        )
    raw_id = data.get("id")
    if raw_id is not None:
        _typed(data, "id", int, where)
    css_file = _typed(data, "css_file", str, where, STYLE)
    if "/" in css_file or "\\" in css_file or css_file in ("", ".", ".."):
        raise FolderFormatError(f"{where}: key 'css_file' must be a file name in the folder.")
    fields = tuple(
        _field(item, f"{where} [[fields]] {index + 1}")
        for index, item in enumerate(_tables(data, "fields", where))
    )
    templates = tuple(
        _template(item, f"{where} [[templates]] {index + 1}")
        for index, item in enumerate(_tables(data, "templates", where))
    )
    if not templates:
        raise FolderFormatError(f"{where}: the note type has no card types ([[templates]]).")
    anki = _typed(data, "anki", dict, where, {})
    draft = NoteType(
        name=_typed(data, "name", str, where),
        fields=fields,
        templates=templates,
        kind=kinds[kind_name],
        id=NotetypeId(raw_id) if raw_id else None,
        sort_field=_typed(data, "sort_field", int, where, 0),
        latex_pre=_typed(data, "latex_pre", str, where, ""),
        latex_post=_typed(data, "latex_post", str, where, ""),
        extra=MappingProxyType(decode_table(anki, where=f"{where} [anki]")),
    )
    return _with_texts(directory, draft, css_file)


def _tables(data: Mapping[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = _typed(data, key, list, where, [])
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise FolderFormatError(f"{where}: {key} entry {index + 1} must be a table.")
    return items


def _field(item: Mapping[str, Any], where: str) -> Field:
    rest = {k: v for k, v in item.items() if k != "name"}
    return Field(
        name=_typed(item, "name", str, where),
        extra=MappingProxyType(decode_table(rest, where=where)),
    )


def _template(item: Mapping[str, Any], where: str) -> CardTemplate:
    deck = item.get("deck_override")
    if deck is not None:
        _typed(item, "deck_override", int, where)
    rest = {k: v for k, v in item.items() if k not in ("name", "deck_override")}
    return CardTemplate(
        name=_typed(item, "name", str, where),
        front="",
        back="",
        deck_override=DeckId(deck) if deck is not None else None,
        extra=MappingProxyType(decode_table(rest, where=where)),
    )


def _with_texts(directory: Path, draft: NoteType, css_file: str) -> NoteType:
    templates = []
    for template, names in zip(draft.templates, template_file_names(draft), strict=True):
        texts: dict[str, str] = {}
        for side, name in names.items():
            path = directory / name
            if side in ("front", "back") and not path.is_file():
                raise FolderFormatError(
                    f"{path}: file is missing; card type {template.name!r} in {MANIFEST} keeps "
                    f"its {side} template there (file names derive from card type names)."
                )
            texts[side] = _side_text(path) if path.is_file() else ""
        templates.append(
            CardTemplate(
                name=template.name,
                deck_override=template.deck_override,
                extra=template.extra,
                **texts,
            )
        )
    return NoteType(
        name=draft.name,
        fields=draft.fields,
        templates=tuple(templates),
        css=_side_text(directory / css_file),
        kind=draft.kind,
        id=draft.id,
        sort_field=draft.sort_field,
        latex_pre=draft.latex_pre,
        latex_post=draft.latex_post,
        extra=draft.extra,
    )


def _samples(path: Path) -> tuple[Note, ...]:
    if not path.exists():
        return ()
    data = _load_toml(path)
    where = str(path)
    unknown = sorted(set(data) - {"notes"})
    if unknown:
        raise FolderFormatError(f"{where}: unknown key {unknown[0]!r}; expected [[notes]] only.")
    notes = []
    for index, item in enumerate(_tables(data, "notes", where)):
        note_where = f"{where} note {index + 1}"
        unknown = sorted(set(item) - _NOTE_KEYS)
        if unknown:
            raise FolderFormatError(
                f"{note_where}: unknown key {unknown[0]!r}; expected tags, deck, flag, fields."
            )
        tags = _typed(item, "tags", list, note_where, [])
        fields = _typed(item, "fields", dict, note_where, {})
        if not all(isinstance(t, str) for t in tags):
            raise FolderFormatError(f"{note_where}: key 'tags' must be a list of strings.")
        for name, value in fields.items():
            if not isinstance(value, str):
                raise FolderFormatError(f"{note_where}: field {name!r} must be a string.")
        flag = _typed(item, "flag", int, note_where, 0)
        if not 0 <= flag <= 7:
            raise FolderFormatError(f"{note_where}: key 'flag' must be 0-7, not {flag}.")
        notes.append(
            Note(
                fields=MappingProxyType(dict(fields)),
                tags=tuple(tags),
                deck=_typed(item, "deck", str, note_where, "Default"),
                flag=flag,
            )
        )
    return tuple(notes)


def _media(directory: Path) -> Mapping[str, bytes]:
    if not directory.is_dir():
        return MappingProxyType({})
    media = {}
    for entry in sorted(directory.iterdir()):
        if entry.name.startswith("."):
            continue  # .gitkeep, .DS_Store: never Anki media
        if not entry.is_file():
            raise FolderFormatError(f"{entry}: media must be plain files, not folders.")
        media[entry.name] = entry.read_bytes()
    return MappingProxyType(media)
