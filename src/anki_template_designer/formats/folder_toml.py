"""Deterministic TOML for the folder format: ``key = value`` lines and their lossless reading.

tomli-w formats every value; the layout (which keys, in which order, under which
header) is assembled here so that it never depends on the data. tomli-w alone
would switch a ``[[fields]]`` list to inline tables when its entries are short,
and TOML has no null: a value TOML cannot hold exactly (``None``, objects, lists
of objects) is written as JSON text under the reserved sub-table ``json``, e.g.
``json.tag = "null"``, and decoded on reading.
"""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Iterable, Mapping
from typing import Any

import tomli_w

from .errors import FolderFormatError

JSON_KEY = "json"
_COMPACT_WIDTH = 80


def toml_key(key: str) -> str:
    """``key`` as a TOML key: bare when possible, else a quoted string."""
    return tomli_w.dumps({key: 0})[: -len(" = 0\n")]


def _plain(value: object) -> bool:
    """Whether TOML holds ``value`` as a literal that reads back equal."""
    if isinstance(value, bool | int | str):
        return True
    if isinstance(value, float):
        return not math.isnan(value)  # NaN never compares equal, so it cannot be checked
    if isinstance(value, list):
        return all(_plain(item) for item in value)
    return False


def literal(value: object) -> str | None:
    """The TOML literal for ``value``, or None when TOML would not give it back exactly."""
    if not _plain(value):
        return None
    if isinstance(value, list):
        # Short lists on one line (tomli-w puts every item on its own line).
        items = [literal(item) for item in value]
        compact = "[" + ", ".join(i for i in items if i is not None) + "]"
        fits = None not in items and "\n" not in compact and len(compact) <= _COMPACT_WIDTH
        if fits and tomllib.loads(f"v = {compact}")["v"] == value:
            return compact
    for multiline in (True, False):
        # tomli-w turns CRLF inside multi-line strings into LF; the check catches that.
        try:
            text = tomli_w.dumps({"v": value}, multiline_strings=multiline)
        except (ValueError, TypeError):
            return None
        try:
            if tomllib.loads(text)["v"] == value:
                return text[len("v = ") : -1]
        except tomllib.TOMLDecodeError:
            continue
    return None


def pair_lines(pairs: Iterable[tuple[str, Any]], *, where: str) -> list[str]:
    """``key = value`` lines; values TOML cannot hold exactly go under ``json.<key>``."""
    lines: list[str] = []
    encoded: list[tuple[str, str]] = []
    for key, value in pairs:
        if key == JSON_KEY:
            raise FolderFormatError(
                f"{where}: the key {JSON_KEY!r} is reserved by the folder format; "
                "rename it in the note type before writing a folder."
            )
        literal_text = literal(value)
        if literal_text is None:
            try:
                text = json.dumps(value, ensure_ascii=False, sort_keys=True)
            except (TypeError, ValueError) as exc:
                raise FolderFormatError(f"{where}: key {key!r} cannot be stored ({exc}).") from None
            encoded.append((key, text))
        else:
            lines.append(f"{toml_key(key)} = {literal_text}")
    lines += [f"{JSON_KEY}.{toml_key(key)} = {literal(text)}" for key, text in encoded]
    return lines


def sorted_pairs(mapping: Mapping[str, Any], skip: Iterable[str] = ()) -> list[tuple[str, Any]]:
    """The items of ``mapping`` sorted by key, without the keys in ``skip``."""
    excluded = set(skip)
    return sorted((k, v) for k, v in mapping.items() if k not in excluded)


def decode_table(table: Mapping[str, Any], *, where: str) -> dict[str, Any]:
    """A table read from TOML with its ``json`` sub-table decoded back into values."""
    out = {k: v for k, v in table.items() if k != JSON_KEY}
    encoded = table.get(JSON_KEY, {})
    if not isinstance(encoded, Mapping):
        raise FolderFormatError(f"{where}: {JSON_KEY!r} must be a table of JSON strings.")
    for key, text in encoded.items():
        if not isinstance(text, str):
            raise FolderFormatError(f"{where}: {JSON_KEY}.{key} must be a string of JSON.")
        if key in out:
            raise FolderFormatError(f"{where}: key {key!r} is given twice (also as JSON).")
        try:
            out[key] = json.loads(text)
        except ValueError as exc:
            raise FolderFormatError(
                f"{where}: {JSON_KEY}.{key} is not valid JSON ({exc})."
            ) from None
    return out
