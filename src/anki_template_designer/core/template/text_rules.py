"""Character classes Anki's Rust code uses, spelled out for Python.

Python's ``str.strip()`` and ``\\s`` differ from Rust's ``char::is_whitespace``
and the regex crate's ``[[:space:]]``; fidelity needs the exact sets.
"""

from __future__ import annotations

import re

# Rust's char::is_whitespace: the Unicode White_Space property.
RUST_WHITESPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)

# The regex crate's POSIX [[:space:]] class is ASCII only.
_EMPTY_FIELD = re.compile(r"(?:[\t\n\x0b\x0c\r ]|</?(?:br|div) ?/?>)*\Z", re.IGNORECASE | re.ASCII)


def rust_trim(text: str) -> str:
    """``str::trim`` as Rust does it."""
    return text.strip(RUST_WHITESPACE)


def rust_trim_start(text: str) -> str:
    """``str::trim_start`` as Rust does it."""
    return text.lstrip(RUST_WHITESPACE)


def field_is_empty(text: str) -> bool:
    """True if Anki treats a field value as empty (whitespace, ``<br>``, ``<div>`` only)."""
    if "<" not in text:
        return not text.strip("\t\n\x0b\x0c\r ")
    return _EMPTY_FIELD.match(text) is not None
