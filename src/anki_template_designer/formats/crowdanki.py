"""CrowdAnki exports: ``deck.json`` note models, notes and ``media/``, in and out.

CrowdAnki (and Brain Brew) identify note types by ``crowdanki_uuid`` and strip
Anki's ``id``, ``mod``, ``usn`` and ``did`` from note models, so a note type read
from CrowdAnki has no id; its uuid is kept in ``extra`` and written back
unchanged. A note type without one gets a uuid derived from its id (or name), so
repeated exports give the same uuid and CrowdAnki updates instead of duplicating.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..core.errors import NoteTypeFormatError
from ..core.model import Note, NoteType
from ..core.schema11 import from_schema11, to_schema11
from .bundle import NoteTypeBundle
from .directory_swap import replace_directory
from .errors import CrowdAnkiError
from .media_refs import css_references, field_references, template_references
from .package_safety import unsafe_media_name

__all__ = ["DECK_FILE", "UUID_KEY", "read_crowdanki", "write_crowdanki"]

DECK_FILE = "deck.json"
MEDIA_DIR = "media"
UUID_KEY = "crowdanki_uuid"
_STRIPPED_MODEL_KEYS = ("id", "mod", "usn", "did")
_NAMESPACE = uuid.UUID("5f0c1d7e-8a51-4c1b-9a53-6a6e6b1d2a7f")
_JSON_TYPES = {str: "a string", list: "a list", dict: "an object", int: "an integer"}


def _require(table: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in table:
        raise CrowdAnkiError(f"{where}: key {key!r} is missing.")
    value = table[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        found = _JSON_TYPES.get(type(value), "null" if value is None else type(value).__name__)
        raise CrowdAnkiError(f"{where}: key {key!r} must be {_JSON_TYPES[kind]}, not {found}.")
    return value


def _deck_file(path: Path) -> Path:
    path = Path(path)
    if path.is_dir():
        path = path / DECK_FILE
    if not path.is_file():
        raise CrowdAnkiError(f"{path}: no such file; point to a CrowdAnki export's {DECK_FILE}.")
    return path


def read_crowdanki(path: Path, *, samples: int = 20) -> list[NoteTypeBundle]:
    """Read the note models of a CrowdAnki export (its folder or ``deck.json``) as bundles."""
    deck_file = _deck_file(path)
    where = str(deck_file)
    try:
        deck = json.loads(deck_file.read_bytes())
    except UnicodeDecodeError as exc:
        raise CrowdAnkiError(f"{where}: not UTF-8 text (byte {exc.start + 1}).") from None
    except json.JSONDecodeError as exc:
        raise CrowdAnkiError(
            f"{where}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}."
        ) from None
    if not isinstance(deck, dict):
        raise CrowdAnkiError(f"{where}: the top level must be a deck object, not a list or value.")
    models = _require(deck, "note_models", list, f"{where} (a CrowdAnki deck)")
    notetypes: dict[str, NoteType] = {}
    for index, model in enumerate(models):
        model_where = f"{where}: note_models[{index}]"
        if not isinstance(model, dict):
            raise CrowdAnkiError(f"{model_where} must be an object.")
        key = _require(model, UUID_KEY, str, model_where)
        notetypes[key] = _notetype(model, f"{model_where} ({model.get('name')!r})")
    found: dict[str, list[Note]] = {key: [] for key in notetypes}
    for note, note_where in _notes(deck, "", where):
        model_uuid = _require(note, "note_model_uuid", str, note_where)
        if model_uuid not in notetypes:
            raise CrowdAnkiError(
                f"{note_where}: note_model_uuid {model_uuid!r} names no model in note_models."
            )
        if len(found[model_uuid]) < samples:
            found[model_uuid].append(_note(note, notetypes[model_uuid], note_where))
    media_dir = deck_file.parent / MEDIA_DIR
    return [
        NoteTypeBundle(nt, tuple(found[key]), _media(nt, found[key], media_dir))
        for key, nt in notetypes.items()
    ]


def _notetype(model: Mapping[str, Any], where: str) -> NoteType:
    _require(model, "name", str, where)
    _require(model, "flds", list, where)
    _require(model, "tmpls", list, where)
    data = {k: v for k, v in model.items() if k != "__type__"}
    try:
        return from_schema11(data)
    except NoteTypeFormatError as exc:
        raise CrowdAnkiError(f"{where}: {exc}.") from None


def _notes(
    deck: Mapping[str, Any], parent: str, where: str
) -> Iterator[tuple[dict[str, Any], str]]:
    name = deck.get("name", "")
    full = f"{parent}::{name}" if parent and name else (name or parent)
    notes = _require(deck, "notes", list, where) if "notes" in deck else []
    for index, note in enumerate(notes):
        note_where = f"{where}: deck {full!r} notes[{index}]"
        if not isinstance(note, dict):
            raise CrowdAnkiError(f"{note_where} must be an object.")
        yield {**note, "_deck": full or "Default"}, note_where
    children = _require(deck, "children", list, where) if "children" in deck else []
    for index, child in enumerate(children):
        child_where = f"{where}: deck {full!r} children[{index}]"
        if not isinstance(child, dict):
            raise CrowdAnkiError(f"{child_where} must be an object.")
        yield from _notes(child, full, child_where)


def _note(note: Mapping[str, Any], notetype: NoteType, where: str) -> Note:
    values = _require(note, "fields", list, where)
    if not all(isinstance(v, str) for v in values):
        raise CrowdAnkiError(f"{where}: key 'fields' must be a list of strings.")
    tags = note.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise CrowdAnkiError(f"{where}: key 'tags' must be a list of strings.")
    names = notetype.field_names
    padded = list(values) + [""] * (len(names) - len(values))
    return Note(
        fields=MappingProxyType(dict(zip(names, padded, strict=False))),
        tags=tuple(tags),
        deck=note["_deck"],
    )


def _media(notetype: NoteType, notes: Sequence[Note], media_dir: Path) -> Mapping[str, bytes]:
    names = set(css_references(notetype.css))
    for template in notetype.templates:
        names |= template_references(template.front) | template_references(template.back)
    for note in notes:
        for value in note.fields.values():
            names |= field_references(value)
    media = {}
    for name in sorted(names):
        path = media_dir / name
        if not unsafe_media_name(name) and path.is_file():
            media[name] = path.read_bytes()
    return MappingProxyType(media)


def notetype_uuid(notetype: NoteType) -> str:
    """The note type's ``crowdanki_uuid``: kept from ``extra``, else derived from id or name."""
    kept = notetype.extra.get(UUID_KEY)
    if isinstance(kept, str) and kept:
        return kept
    seed = f"notetype-id:{notetype.id}" if notetype.id is not None else f"name:{notetype.name}"
    return str(uuid.uuid5(_NAMESPACE, seed))


def _model(notetype: NoteType) -> dict[str, Any]:
    data = to_schema11(notetype)
    for key in _STRIPPED_MODEL_KEYS:
        data.pop(key, None)
    data["__type__"] = "NoteModel"
    data[UUID_KEY] = notetype_uuid(notetype)
    return data


def _guid(model_uuid: str, index: int) -> str:
    return hashlib.sha256(f"atd:{model_uuid}:{index}".encode()).hexdigest()[:10]


def _empty_deck(name: str, full: str, config_uuid: str) -> dict[str, Any]:
    return {
        "__type__": "Deck",
        "children": [],
        UUID_KEY: str(uuid.uuid5(_NAMESPACE, f"deck:{full}")),
        "deck_config_uuid": config_uuid,
        "desc": "",
        "dyn": 0,
        "extendNew": 0,
        "extendRev": 0,
        "media_files": [],
        "name": name,
        "notes": [],
    }


def build_deck(bundles: Sequence[NoteTypeBundle], deck_name: str | None = None) -> dict[str, Any]:
    """The ``deck.json`` object for ``bundles``.

    Samples go to their decks below the root deck; samples of other decks go to the root.
    """
    if not bundles:
        raise CrowdAnkiError("nothing to export: no note types were given.")
    # The root is the samples' most common top-level deck; CrowdAnki has one root per export.
    tops = Counter(n.deck.split("::")[0] for b in bundles for n in b.samples)
    root_name = deck_name or (tops.most_common(1)[0][0] if tops else bundles[0].notetype.name)
    config_uuid = str(uuid.uuid5(_NAMESPACE, f"deck-config:{root_name}"))
    root = _empty_deck(root_name, root_name, config_uuid)
    root["deck_configurations"] = [
        {"__type__": "DeckConfig", UUID_KEY: config_uuid, "name": root_name}
    ]
    root["note_models"] = [_model(b.notetype) for b in bundles]
    media: set[str] = set()
    for bundle in bundles:
        model_uuid = notetype_uuid(bundle.notetype)
        media |= set(bundle.media)
        for index, note in enumerate(bundle.samples):
            target = root
            parts = note.deck.split("::")
            if parts[0] == root_name:
                for depth, part in enumerate(parts[1:], start=2):
                    target = _child(target, part, "::".join(parts[:depth]), config_uuid)
            target["notes"].append(
                {
                    "__type__": "Note",
                    "data": "",
                    "fields": [note.value(name) for name in bundle.notetype.field_names],
                    "flags": 0,
                    "guid": _guid(model_uuid, index),
                    "note_model_uuid": model_uuid,
                    "tags": list(note.tags),
                }
            )
    root["media_files"] = sorted(media)
    return root


def _child(deck: dict[str, Any], name: str, full: str, config_uuid: str) -> dict[str, Any]:
    for child in deck["children"]:
        if child["name"] == name:
            return child  # type: ignore[no-any-return]
    child = _empty_deck(name, full, config_uuid)
    deck["children"].append(child)
    return child


def write_crowdanki(
    bundles: Sequence[NoteTypeBundle], directory: Path, *, deck_name: str | None = None
) -> None:
    """Write a CrowdAnki export folder (``deck.json`` + ``media/``) in one step."""
    deck = build_deck(bundles, deck_name)
    text = json.dumps(deck, indent=4, sort_keys=True, ensure_ascii=False) + "\n"
    files = {DECK_FILE: text.encode("utf-8")}
    for bundle in bundles:
        for name, content in bundle.media.items():
            if unsafe_media_name(name):
                raise CrowdAnkiError(f"media file name {name!r} is not a plain file name.")
            files[f"{MEDIA_DIR}/{name}"] = bytes(content)
    replace_directory(
        Path(directory),
        files,
        owned=lambda name: name in (DECK_FILE, MEDIA_DIR),
        recognised=lambda d: (d / DECK_FILE).is_file(),
        error=CrowdAnkiError,
        what=f"a CrowdAnki export (no {DECK_FILE})",
    )
