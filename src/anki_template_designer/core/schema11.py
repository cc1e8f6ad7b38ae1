"""Conversion between :class:`NoteType` and Anki's schema-11 note type dict.

Schema 11 is the JSON shape AnkiConnect, CrowdAnki, genanki and Anki's own
``col.models`` use. Keys the model does not interpret are kept in ``extra`` so
that a dict survives ``to_schema11(from_schema11(d))`` unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from .errors import NoteTypeFormatError
from .model import CardTemplate, DeckId, Field, NoteType, NotetypeId, NoteTypeKind

_NOTETYPE_KEYS = frozenset(
    {"name", "type", "flds", "tmpls", "css", "id", "sortf", "latexPre", "latexPost"}
)
_FIELD_KEYS = frozenset({"name", "ord"})
_TEMPLATE_KEYS = frozenset({"name", "ord", "qfmt", "afmt", "bqfmt", "bafmt", "did"})


def _string(value: object, where: str, default: str | None = None) -> str:
    if value is None and default is not None:
        return default
    if not isinstance(value, str):
        raise NoteTypeFormatError(f"{where} must be a string, not {type(value).__name__}")
    return value


def _int(value: object, where: str, default: int) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise NoteTypeFormatError(f"{where} must be an integer, not {type(value).__name__}")
    return value


def _list_of_dicts(value: object, where: str) -> list[Mapping[str, Any]]:
    if not isinstance(value, list):
        raise NoteTypeFormatError(f"{where} must be a list of objects")
    for index, item in enumerate(value):
        if not isinstance(item, Mapping):
            raise NoteTypeFormatError(f"{where}[{index}] must be an object")
    return value


def _extra(source: Mapping[str, Any], known: frozenset[str]) -> Mapping[str, Any]:
    return MappingProxyType({k: v for k, v in source.items() if k not in known})


def from_schema11(data: object) -> NoteType:
    """Build a :class:`NoteType` from a schema-11 dict; raise NoteTypeFormatError if malformed."""
    if not isinstance(data, Mapping):
        raise NoteTypeFormatError("a note type must be a JSON object")
    for key in ("flds", "tmpls"):
        if key not in data:
            raise NoteTypeFormatError(f"note type is missing the '{key}' key")
    name = _string(data.get("name"), "note type 'name'", default="")
    kind_value = _int(data.get("type"), "note type 'type'", 0)
    try:
        kind = NoteTypeKind(kind_value)
    except ValueError:
        raise NoteTypeFormatError(
            f"note type 'type' must be 0 (standard) or 1 (cloze), not {kind_value}"
        ) from None
    fields = tuple(
        Field(
            name=_string(f.get("name"), f"flds[{i}].name"),
            extra=_extra(f, _FIELD_KEYS),
        )
        for i, f in enumerate(_list_of_dicts(data["flds"], "flds"))
    )
    templates = []
    for i, t in enumerate(_list_of_dicts(data["tmpls"], "tmpls")):
        did = t.get("did")
        templates.append(
            CardTemplate(
                name=_string(t.get("name"), f"tmpls[{i}].name"),
                front=_string(t.get("qfmt"), f"tmpls[{i}].qfmt", default=""),
                back=_string(t.get("afmt"), f"tmpls[{i}].afmt", default=""),
                browser_front=_string(t.get("bqfmt"), f"tmpls[{i}].bqfmt", default=""),
                browser_back=_string(t.get("bafmt"), f"tmpls[{i}].bafmt", default=""),
                deck_override=DeckId(_int(did, f"tmpls[{i}].did", 0)) if did else None,
                extra=_extra(t, _TEMPLATE_KEYS),
            )
        )
    if not templates:
        raise NoteTypeFormatError("note type has no card templates ('tmpls' is empty)")
    raw_id = data.get("id")
    return NoteType(
        name=name,
        kind=kind,
        fields=fields,
        templates=tuple(templates),
        css=_string(data.get("css"), "note type 'css'", default=""),
        id=NotetypeId(_int(raw_id, "note type 'id'", 0)) if raw_id else None,
        sort_field=_int(data.get("sortf"), "note type 'sortf'", 0),
        latex_pre=_string(data.get("latexPre"), "note type 'latexPre'", default=""),
        latex_post=_string(data.get("latexPost"), "note type 'latexPost'", default=""),
        extra=_extra(data, _NOTETYPE_KEYS),
    )


def to_schema11(notetype: NoteType) -> dict[str, Any]:
    """Return the schema-11 dict for ``notetype`` (inverse of :func:`from_schema11`)."""
    out: dict[str, Any] = dict(notetype.extra)
    out.update(
        name=notetype.name,
        type=int(notetype.kind),
        css=notetype.css,
        sortf=notetype.sort_field,
        latexPre=notetype.latex_pre,
        latexPost=notetype.latex_post,
    )
    if notetype.id is not None:
        out["id"] = int(notetype.id)
    out["flds"] = [
        {**f.extra, "name": f.name, "ord": ord_} for ord_, f in enumerate(notetype.fields)
    ]
    out["tmpls"] = [
        {
            **t.extra,
            "name": t.name,
            "ord": ord_,
            "qfmt": t.front,
            "afmt": t.back,
            "bqfmt": t.browser_front,
            "bafmt": t.browser_back,
            "did": int(t.deck_override) if t.deck_override is not None else None,
        }
        for ord_, t in enumerate(notetype.templates)
    ]
    return out
