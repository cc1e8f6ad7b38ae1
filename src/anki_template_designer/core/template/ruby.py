"""Find ``base[reading]`` pairs in linear time, as Anki's furigana regex does.

Anki matches `` ?([^ >]+?)\\[(.+?)\\]`` with Rust's linear-time regex engine.
Python's backtracking engine takes quadratic (or worse) time on text with many
``[`` and no ``]``, so the same leftmost-first semantics are implemented here by
hand: a base is a run of characters other than space and ``>`` ending at the
first ``[`` whose reading (one or more characters, no newline) closes with ``]``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RubyMatch:
    """One match: ``start``/``end`` cover the whole match, the optional leading space included."""

    start: int
    end: int
    base: str
    reading: str


def _last_separator(text: str, start: int, end: int) -> int:
    return max(text.rfind(" ", start, end), text.rfind(">", start, end))


def find_ruby(text: str) -> Iterator[RubyMatch]:
    """Yield the matches Anki's furigana regex finds, left to right."""
    pos = 0
    scanned = 0  # separators before ``scanned`` (and at/after ``pos``) are known
    last_sep = -1
    next_close = -1  # first ']' at or after the position last asked for
    next_newline = -1
    bracket = text.find("[", pos)
    while bracket >= 0:
        found = _last_separator(text, scanned, bracket)
        if found >= 0:
            last_sep = found
        scanned = bracket
        base_start = max(last_sep + 1, pos)
        if next_close < bracket + 2:
            next_close = text.find("]", bracket + 2)
            if next_close < 0:
                return
        if next_newline < bracket + 1:
            next_newline = text.find("\n", bracket + 1)
            if next_newline < 0:
                next_newline = len(text)
        if bracket > base_start and next_close < next_newline:
            start = base_start
            if last_sep >= pos and last_sep == base_start - 1 and text[last_sep] == " ":
                start = last_sep
            yield RubyMatch(
                start, next_close + 1, text[base_start:bracket], text[bracket + 1 : next_close]
            )
            pos = scanned = next_close + 1
            last_sep = -1
        bracket = text.find("[", max(bracket + 1, pos))


def replace_ruby(text: str, build: Callable[[RubyMatch], str]) -> str:
    """Replace every match with ``build(match)``."""
    out = []
    pos = 0
    for match in find_ruby(text):
        out.append(text[pos : match.start])
        out.append(build(match))
        pos = match.end
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)
