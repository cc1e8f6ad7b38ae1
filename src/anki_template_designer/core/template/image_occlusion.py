"""Image occlusion clozes: ``{{c1::image-occlusion:rect:left=.2:top=.3:…}}`` to data attributes."""

from __future__ import annotations

from functools import lru_cache

from .escaping import encode_attribute

_SHAPES = frozenset({"rect", "ellipse", "polygon", "text"})
# Property → attribute suffix, for properties shown when non-empty.
_NON_EMPTY = {
    "left": "left",
    "top": "top",
    "angle": "angle",
    "fill": "fill",
    "oi": "occludeInactive",
    "fs": "font-size",
}
# Properties shown when neither empty nor "0".
_NON_ZERO = frozenset({"width", "height", "rx", "ry", "scale"})


def _parse_value(text: str, pos: int) -> tuple[str, int] | None:
    """A value runs to the next unescaped ':' (``\\\\`` and ``\\:`` escape); empty is invalid."""
    end = text.find(":", pos)
    if end < 0:
        end = len(text)
    if "\\" not in text[pos:end]:
        return (text[pos:end], end) if end > pos else None
    out: list[str] = []
    length = len(text)
    start = pos
    while pos < length:
        char = text[pos]
        if char == ":":
            break
        if char == "\\":
            if pos + 1 >= length or text[pos + 1] not in "\\:":
                return None
            out.append(text[pos + 1])
            pos += 2
            continue
        out.append(char)
        pos += 1
    if pos == start:
        return None
    return "".join(out), pos


def parse_shape(text: str) -> tuple[str, list[tuple[str, str]]] | None:
    """Split ``shape:name=value:…`` into the shape and its properties, as Anki reads them."""
    shape, sep, _ = text.partition(":")
    if not sep:
        return None
    properties: list[tuple[str, str]] = []
    pos = len(shape)
    while pos < len(text) and text[pos] == ":":
        equals = text.find("=", pos + 1)
        if equals <= pos + 1:
            break
        parsed = _parse_value(text, equals + 1)
        if parsed is None:
            break
        name = text[pos + 1 : equals]
        value, pos = parsed
        properties.append((name, value))
    return shape, properties


def _points(value: str) -> str:
    pairs = []
    for pair in value.split(" "):
        x, sep, y = pair.partition(",")
        if sep:
            pairs.append(f"{x},{y}")
    return " ".join(pairs)


@lru_cache(maxsize=4096)
def image_cloze_data(text: str) -> str:
    """The ``data-…`` attributes (each followed by a space) Anki writes for one occlusion."""
    parsed = parse_shape(text)
    if parsed is None:
        return ""
    shape, properties = parsed
    out = [f'data-shape="{shape}" '] if shape in _SHAPES else []
    for name, value in properties:
        if name in _NON_EMPTY:
            if value:
                out.append(f'data-{_NON_EMPTY[name]}="{value}" ')
        elif name in _NON_ZERO:
            if value and value != "0":
                out.append(f'data-{name}="{value}" ')
        elif name == "points":
            points = _points(value)
            if points:
                out.append(f'data-points="{points}" ')
        elif name == "text" and value:
            out.append(f'data-text="{encode_attribute(value)}" ')
    return "".join(out)
