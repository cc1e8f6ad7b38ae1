"""A note type bundle as JSON: the revision snapshot format and its content hash.

Snapshot (format 1)::

    {"format": 1,
     "notetype": {...schema-11 dict, as core.schema11.to_schema11 writes it...},
     "samples": [{"fields": {name: value}, "tags": [...], "deck": str, "flag": int,
                  "card_ids": {"ord": id}}],
     "media": {name: sha256}}

The content hash is SHA-256 over the snapshot as canonical JSON (sorted keys, no
spaces), leaving out the note type's ``mod`` and ``usn``: Anki bumps those on
every save, and a re-import of unchanged content should not look like an edit.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, cast

from ..core.errors import CoreError
from ..core.model import Note
from ..core.schema11 import from_schema11, to_schema11
from ..formats.bundle import NoteTypeBundle
from .errors import InvalidContent

FORMAT = 1
_VOLATILE_KEYS = frozenset({"mod", "usn"})


def media_digest(content: bytes) -> str:
    """The SHA-256 hex digest media blobs are addressed by."""
    return hashlib.sha256(content).hexdigest()


class _NotJSON(Exception):
    """A value JSON cannot hold; the message says which."""


def _plain(value: object, where: str) -> Any:
    # One walk: convert to plain JSON types (options read from TOML or built in code may be
    # mapping proxies, tuples or enums) and check the text. Cheaper than a dumps/loads trip,
    # and autosaves pass here many times a second.
    kind = type(value)
    if kind is str:
        _check_text(cast(str, value), where)
        return value
    if kind is int or kind is bool or value is None:
        return value
    if kind is dict or isinstance(value, Mapping):
        items = cast(Mapping[object, object], value).items()
        return {_key(k, where): _plain(v, where) for k, v in items}
    if kind is list or kind is tuple:
        return [_plain(v, where) for v in cast(list[object], value)]
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _NotJSON(f"Out of range float values are not JSON compliant: {value!r}")
        return float(value)
    if isinstance(value, str):
        return _plain(str(value), where)
    raise _NotJSON(f"Object of type {type(value).__name__} is not JSON serializable")


def _key(key: object, where: str) -> str:
    text = key if isinstance(key, str) and type(key) is str else str(key)
    _check_text(text, where)
    return text


def _check_text(text: str, where: str) -> None:
    # PostgreSQL text cannot hold NUL, and UTF-8 cannot hold lone surrogates: refuse
    # both on every backend, so a workspace moves between SQLite and PostgreSQL.
    if "\x00" in text:
        raise InvalidContent(f"{where} contains a NUL character; remove it")
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidContent(
                f"{where} contains text that is not valid Unicode; retype it"
            ) from None


def as_json(value: object, where: str) -> Any:
    """``value`` as plain JSON data; raise InvalidContent if it is not representable."""
    try:
        return _plain(value, where)
    except _NotJSON as exc:
        raise InvalidContent(
            f"{where} cannot be stored as JSON ({exc}); remove or convert it"
        ) from None
    except RecursionError:
        raise InvalidContent(f"{where} is nested too deeply to store; flatten it") from None


def note_to_json(note: Note) -> dict[str, Any]:
    """A sample note as JSON data."""
    return {
        "fields": dict(note.fields),
        "tags": list(note.tags),
        "deck": note.deck,
        "flag": note.flag,
        "card_ids": {str(ord_): card_id for ord_, card_id in note.card_ids.items()},
    }


def note_from_json(data: Mapping[str, Any]) -> Note:
    """The inverse of :func:`note_to_json`."""
    return Note(
        fields=MappingProxyType(dict(data["fields"])),
        tags=tuple(data["tags"]),
        deck=data["deck"],
        flag=data["flag"],
        card_ids=MappingProxyType({int(k): v for k, v in data.get("card_ids", {}).items()}),
    )


def make_snapshot(bundle: NoteTypeBundle, media_hashes: Mapping[str, str]) -> dict[str, Any]:
    """The snapshot of ``bundle`` whose media have the given digests."""
    snapshot: dict[str, Any] = as_json(
        {
            "format": FORMAT,
            "notetype": to_schema11(bundle.notetype),
            "samples": [note_to_json(note) for note in bundle.samples],
            "media": dict(sorted(media_hashes.items())),
        },
        f"note type {bundle.notetype.name!r}",
    )
    return snapshot


def content_hash(snapshot: Mapping[str, Any]) -> str:
    """SHA-256 of the snapshot's canonical JSON, ignoring Anki's ``mod`` and ``usn``."""
    notetype = {k: v for k, v in snapshot["notetype"].items() if k not in _VOLATILE_KEYS}
    view = {**snapshot, "notetype": notetype}
    text = json.dumps(view, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def bundle_from_snapshot(snapshot: Mapping[str, Any], blobs: Mapping[str, bytes]) -> NoteTypeBundle:
    """Rebuild the bundle a snapshot saved; ``blobs`` maps digests to bytes."""
    if snapshot.get("format") != FORMAT:
        raise InvalidContent(
            f"revision snapshot format {snapshot.get('format')!r} is not {FORMAT}; "
            "upgrade Anki Template Designer"
        )
    try:
        notetype = from_schema11(snapshot["notetype"])
    except CoreError as exc:
        raise InvalidContent(f"revision snapshot holds a broken note type: {exc}") from None
    media = {name: blobs[digest] for name, digest in snapshot["media"].items()}
    return NoteTypeBundle(
        notetype=notetype,
        samples=tuple(note_from_json(item) for item in snapshot["samples"]),
        media=MappingProxyType(media),
    )
