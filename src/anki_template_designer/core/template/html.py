"""HTML stripping and entity decoding as Anki's ``text.rs`` does them.

Anki strips with one regex (comments, ``<style>``/``<script>`` blocks, then
any ``<…>``) run by Rust's linear-time engine. Python's backtracking engine
would go quadratic on unclosed blocks, so the same leftmost-first match is
found here by a scanner that remembers where each closing delimiter last
occurs. Case-insensitive matching follows Rust's simple case folding, which
differs from Python's ``re.IGNORECASE`` (Rust: ``s``~``ſ``, ``k``~``K``;
Python also folds ``i``~``ı``).
"""

from __future__ import annotations

import re
from html.entities import name2codepoint

from .text_rules import RUST_WHITESPACE

# Non-ASCII characters the regex crate treats as case variants of ASCII letters.
_EXTRA_FOLDS = {"s": "\u017f", "k": "\u212a"}


def rust_caseless(literal: str) -> str:
    """A regex source matching ``literal`` as Rust's ``(?i)`` does (ASCII literals only)."""
    parts = []
    for char in literal:
        if char.isascii() and char.isalpha():
            lower = char.lower()
            parts.append(f"[{lower}{lower.upper()}{_EXTRA_FOLDS.get(lower, '')}]")
        else:
            parts.append(re.escape(char))
    return "".join(parts)


# The regex crate's Unicode ``\s`` (White_Space); Python's ``\s`` also matches \x1c-\x1f.
RUST_SPACE_CLASS = "[" + re.escape(RUST_WHITESPACE) + "]"

_STYLE_OPEN = re.compile(rust_caseless("<style"))
_STYLE_CLOSE = re.compile(rust_caseless("</style>"))
_SCRIPT_OPEN = re.compile(rust_caseless("<script"))
_SCRIPT_CLOSE = re.compile(rust_caseless("</script>"))

_LINEBREAK_TAG_NAMES = (
    "br|address|article|aside|blockquote|canvas|dd|div|dl|dt|fieldset|figcaption|figure"
    "|footer|form|h1|h2|h3|h4|h5|h6|header|hr|li|main|nav|noscript|ol|output|p|pre|section"
    "|table|tfoot|ul|video"
)
_LINEBREAK_TAGS = re.compile(
    "</?(?:" + "|".join(rust_caseless(name) for name in _LINEBREAK_TAG_NAMES.split("|")) + ")>"
)

_ENTITY = re.compile(r"&(?:#x([0-9a-fA-F]*);|#([0-9]+);|([^#;][^;]*);)")


class _LastMatch:
    """Start of the last occurrence of a pattern in a text (-1 if none)."""

    def __init__(self, text: str, pattern: re.Pattern[str] | str) -> None:
        if isinstance(pattern, str):
            self.start = text.rfind(pattern)
        else:
            self.start = -1
            # Occurrences cannot overlap (each starts with '<' and holds no other '<').
            for match in pattern.finditer(text):
                self.start = match.start()


def _block_end(text: str, start: int, close: re.Pattern[str], last_close: _LastMatch) -> int:
    """End of ``<style…>…</style>`` (or script) opened at ``start``; -1 if it does not close."""
    gt = text.find(">", start)
    if gt < 0 or last_close.start <= gt:
        return -1
    match = close.search(text, gt + 1)
    return match.end() if match else -1


def strip_html_preserving_entities(html: str) -> str:
    """Remove comments, style and script blocks, and tags; leave entities encoded."""
    if "<" not in html:
        return html
    last_gt = html.rfind(">")
    lazy: dict[str, _LastMatch] = {}

    def last(key: str, pattern: re.Pattern[str] | str) -> _LastMatch:
        if key not in lazy:
            lazy[key] = _LastMatch(html, pattern)
        return lazy[key]

    out: list[str] = []
    pos = 0
    while True:
        lt = html.find("<", pos)
        if lt < 0 or lt >= last_gt:
            # No '>' after this '<': nothing further can match.
            out.append(html[pos:])
            return "".join(out)
        out.append(html[pos:lt])
        end = -1
        if html.startswith("<!--", lt) and last("comment", "-->").start >= lt + 4:
            end = html.find("-->", lt + 4) + 3
        elif _STYLE_OPEN.match(html, lt):
            end = _block_end(html, lt + 6, _STYLE_CLOSE, last("style", _STYLE_CLOSE))
        elif _SCRIPT_OPEN.match(html, lt):
            end = _block_end(html, lt + 7, _SCRIPT_CLOSE, last("script", _SCRIPT_CLOSE))
        if end < 0:
            end = html.find(">", lt + 1) + 1
        pos = end


def _numeric_entity(digits: str, base: int) -> str | None:
    """The character of a numeric entity, or None where htmlescape reports an error."""
    significant = digits.lstrip("0")
    # The length cap keeps int() cheap; anything that long overflows u32 anyway.
    if not digits or len(significant) > 10:
        return None
    code = int(significant or "0", base)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code)


def _decode_strict(text: str) -> str | None:
    """Decode every entity, or None if any ``&`` does not start a valid one (htmlescape's rule)."""
    out: list[str] = []
    pos = 0
    while True:
        amp = text.find("&", pos)
        if amp < 0:
            out.append(text[pos:])
            return "".join(out)
        out.append(text[pos:amp])
        match = _ENTITY.match(text, amp)
        if match is None:
            return None
        hex_digits, dec_digits, name = match.groups()
        if name is not None:
            code = name2codepoint.get(name)
            char = None if code is None else chr(code)
        elif hex_digits is not None:
            char = _numeric_entity(hex_digits, 16)
        else:
            char = _numeric_entity(dec_digits, 10)
        if char is None:
            return None
        out.append(char)
        pos = match.end()


def decode_entities(html: str) -> str:
    """Decode HTML 4 entities; on any malformed entity return the text unchanged.

    Only after a successful decode are non-breaking spaces (decoded or literal)
    turned into plain spaces.
    """
    if "&" not in html:
        return html
    decoded = _decode_strict(html)
    if decoded is None:
        return html
    return decoded.replace("\xa0", " ")


def strip_html(html: str) -> str:
    """Anki's ``strip_html``: the ``text`` filter (tags removed, then entities decoded)."""
    return decode_entities(strip_html_preserving_entities(html))


def strip_html_for_tts(html: str) -> str:
    """Block-level tags become spaces, then ``strip_html``; the text TTS reads aloud."""
    return strip_html(_LINEBREAK_TAGS.sub(" ", html))
