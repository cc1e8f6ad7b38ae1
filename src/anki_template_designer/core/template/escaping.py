"""HTML attribute escaping as the htmlescape crate (used by Anki) does it."""

from __future__ import annotations

_NAMED = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}


def encode_attribute(text: str) -> str:
    """Keep ASCII letters, digits and characters from U+0100 up; escape every other character."""
    out = []
    for char in text:
        code = ord(char)
        if code >= 0x100 or (code < 0x80 and char.isalnum()):
            out.append(char)
        else:
            out.append(_NAMED.get(char) or f"&#x{code:02X};")
    return "".join(out)
