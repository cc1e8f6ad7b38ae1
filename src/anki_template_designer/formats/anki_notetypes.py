"""Anki's note type storage, both shapes, turned into the schema-11 dict ``col.models.get`` returns.

Schema 18 (``collection.anki21b``, current profiles) keeps note types in the tables
``notetypes``, ``fields`` and ``templates`` with protobuf config blobs; schema 11
(legacy packages) keeps schema-11 JSON in ``col.models``. Both end as the dict the
anki package's ``col.models.get(id)`` gives for the same note type, so that
``from_schema11`` sees the same input whichever file it came from.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from typing import Any

from anki.notetypes_pb2 import Notetype as NotetypeProto
from google.protobuf.message import DecodeError

from .errors import PackageError

# Keys Anki's schema-11 serialiser writes itself; a copy in the protobuf ``other``
# JSON is dropped, as Anki does, so it cannot shadow the real value.
_RESERVED_NOTETYPE_KEYS = frozenset(
    {
        "latexPost",
        "flds",
        "css",
        "originalStockKind",
        "originalId",
        "id",
        "usn",
        "mod",
        "req",
        "latexPre",
        "name",
        "did",
        "tmpls",
        "type",
        "sortf",
        "latexsvg",
    }
)
_RESERVED_FIELD_KEYS = frozenset(
    {
        "name",
        "ord",
        "sticky",
        "rtl",
        "plainText",
        "font",
        "size",
        "collapsed",
        "description",
        "excludeFromSearch",
        "id",
        "tag",
        "preventDeletion",
    }
)
_RESERVED_TEMPLATE_KEYS = frozenset(
    {"name", "ord", "did", "afmt", "bafmt", "qfmt", "bqfmt", "bfont", "bsize", "id"}
)
_REQUIREMENT_KINDS = {0: "none", 1: "any", 2: "all"}

# Defaults Anki's deserialiser fills in when a schema-11 dict lacks a key.
_NOTETYPE_DEFAULTS: Mapping[str, Any] = {
    "type": 0,
    "mod": 0,
    "usn": 0,
    "sortf": 0,
    "did": None,
    "css": "",
    "latexPre": "",
    "latexPost": "",
    "latexsvg": False,
    "req": [],
}
_FIELD_DEFAULTS: Mapping[str, Any] = {
    "sticky": False,
    "rtl": False,
    "font": "Arial",
    "size": 20,
    "description": "",
    "plainText": False,
    "collapsed": False,
    "excludeFromSearch": False,
    "id": None,
    "tag": None,
    "preventDeletion": False,
}
_TEMPLATE_DEFAULTS: Mapping[str, Any] = {
    "qfmt": "",
    "afmt": "",
    "bqfmt": "",
    "bafmt": "",
    "did": None,
    "bfont": "",
    "bsize": 0,
    "id": None,
}


def _other(blob: bytes, reserved: frozenset[str]) -> dict[str, Any]:
    if not blob:
        return {}
    try:
        parsed = json.loads(blob)
    except (ValueError, UnicodeDecodeError):
        return {}  # Anki ignores an unreadable ``other`` too
    if not isinstance(parsed, dict):
        return {}
    return {k: v for k, v in parsed.items() if k not in reserved}


def _field_dict(ord_: int, name: str, blob: bytes) -> dict[str, Any]:
    conf = NotetypeProto.Field.Config.FromString(blob)
    out: dict[str, Any] = {
        "name": name,
        "ord": ord_,
        "sticky": conf.sticky,
        "rtl": conf.rtl,
        "font": conf.font_name,
        "size": conf.font_size,
        "description": conf.description,
        "plainText": conf.plain_text,
        "collapsed": conf.collapsed,
        "excludeFromSearch": conf.exclude_from_search,
        "id": conf.id if conf.HasField("id") else None,
        "tag": conf.tag if conf.HasField("tag") else None,
        "preventDeletion": conf.prevent_deletion,
    }
    out.update(_other(conf.other, _RESERVED_FIELD_KEYS))
    return out


def _template_dict(ord_: int, name: str, blob: bytes) -> dict[str, Any]:
    conf = NotetypeProto.Template.Config.FromString(blob)
    out: dict[str, Any] = {
        "name": name,
        "ord": ord_,
        "qfmt": conf.q_format,
        "afmt": conf.a_format,
        "bqfmt": conf.q_format_browser,
        "bafmt": conf.a_format_browser,
        "did": conf.target_deck_id if conf.target_deck_id > 0 else None,
        "bfont": conf.browser_font_name,
        "bsize": conf.browser_font_size & 0xFF,  # Anki narrows it to u8
        "id": conf.id if conf.HasField("id") else None,
    }
    out.update(_other(conf.other, _RESERVED_TEMPLATE_KEYS))
    return out


def _notetype_dict(
    row: tuple[int, str, int, int, bytes],
    fields: list[dict[str, Any]],
    templates: list[dict[str, Any]],
) -> dict[str, Any]:
    ntid, name, mtime, usn, blob = row
    conf = NotetypeProto.Config.FromString(blob)
    out: dict[str, Any] = {
        "id": ntid,
        "name": name,
        "type": 1 if conf.kind == 1 else 0,
        "mod": mtime,
        "usn": usn,
        "sortf": conf.sort_field_idx & 0xFFFF,
        "did": conf.target_deck_id_unused or None,
        "tmpls": templates,
        "flds": fields,
        "css": conf.css,
        "latexPre": conf.latex_pre,
        "latexPost": conf.latex_post,
        "latexsvg": conf.latex_svg,
        "req": [
            [r.card_ord, _REQUIREMENT_KINDS.get(r.kind, "none"), list(r.field_ords)]
            for r in conf.reqs
        ],
    }
    if conf.original_stock_kind:
        out["originalStockKind"] = conf.original_stock_kind
    if conf.HasField("original_id"):
        out["originalId"] = conf.original_id
    out.update(_other(conf.other, _RESERVED_NOTETYPE_KEYS))
    return out


def notetypes_from_schema18(db: sqlite3.Connection, where: str) -> list[dict[str, Any]]:
    """Read every note type of a schema-18 collection as schema-11 dicts, ordered by id."""
    try:
        fields: dict[int, list[dict[str, Any]]] = {}
        for ntid, ord_, name, blob in db.execute(
            "SELECT ntid, ord, name, config FROM fields ORDER BY ntid, ord"
        ):
            fields.setdefault(ntid, []).append(_field_dict(ord_, name, blob))
        templates: dict[int, list[dict[str, Any]]] = {}
        for ntid, ord_, name, blob in db.execute(
            "SELECT ntid, ord, name, config FROM templates ORDER BY ntid, ord"
        ):
            templates.setdefault(ntid, []).append(_template_dict(ord_, name, blob))
        return [
            _notetype_dict(row, fields.get(row[0], []), templates.get(row[0], []))
            for row in db.execute(
                "SELECT id, name, mtime_secs, usn, config FROM notetypes ORDER BY id"
            )
        ]
    except (sqlite3.DatabaseError, DecodeError, TypeError) as exc:
        raise PackageError(
            f"{where}: the note type tables are damaged ({exc}). "
            "Run Tools > Check Database in Anki and export again."
        ) from None


def notetypes_from_schema11(models_json: str | bytes, where: str) -> list[dict[str, Any]]:
    """Read the note types of a schema-11 ``col.models`` JSON as completed dicts, ordered by id."""
    try:
        models = json.loads(models_json)
    except (ValueError, UnicodeDecodeError) as exc:
        raise PackageError(
            f"{where}: the note type list (col.models) is not valid JSON ({exc}). "
            "Run Tools > Check Database in Anki and export again."
        ) from None
    if not isinstance(models, dict) or not all(isinstance(m, dict) for m in models.values()):
        raise PackageError(
            f"{where}: the note type list (col.models) is not a JSON object of note types. "
            "Run Tools > Check Database in Anki and export again."
        )
    completed = [complete_schema11(m) for m in models.values()]
    return sorted(completed, key=lambda m: m["id"] if isinstance(m["id"], int) else 0)


def complete_schema11(notetype: Mapping[str, Any]) -> dict[str, Any]:
    """Return a copy of a schema-11 dict with the keys Anki would default filled in.

    Old packages and third-party tools (genanki) omit keys that newer Anki adds on
    import; filling them makes such a note type equal to what Anki would store, and
    makes a dict from any source acceptable to Anki's strict deserialiser.
    """
    out = {**_NOTETYPE_DEFAULTS, **notetype}
    raw_id = out.get("id")
    if isinstance(raw_id, str) and raw_id.lstrip("-").isdigit():
        out["id"] = int(raw_id)  # very old collections stored ids as strings
    out["flds"] = [
        {**_FIELD_DEFAULTS, **f, "ord": i} if isinstance(f, Mapping) else f
        for i, f in enumerate(out.get("flds") or [])
    ]
    out["tmpls"] = [
        {**_TEMPLATE_DEFAULTS, **t, "ord": i} if isinstance(t, Mapping) else t
        for i, t in enumerate(out.get("tmpls") or [])
    ]
    if not out.get("originalStockKind", 0):
        out.pop("originalStockKind", None)
    if out.get("originalId", 0) is None:
        out.pop("originalId", None)
    return out
