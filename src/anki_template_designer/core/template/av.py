"""Audio/video tags: ``[sound:…]`` and ``[anki:tts …]…[/anki:tts]``, as Anki extracts them.

Anki's parser (rslib ``card_rendering``) splits text into text, sound and
``[anki:NAME opts]…[/anki:NAME]`` directive nodes. Extraction replaces sound
and valid TTS nodes with ``[anki:play:q:N]``/``[anki:play:a:N]``, rewrites
other directives in a normalised form, and keeps text. Anki's parser is
quadratic on some unclosed tags; this one memoises its scans so it stays
near-linear while producing the same nodes.
"""

from __future__ import annotations

import posixpath
import re
from bisect import bisect_left
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeAlias

from .html import decode_entities, strip_html_for_tts


@dataclass(frozen=True)
class SoundTag:
    """A ``[sound:…]`` reference (audio or video); the filename is entity-decoded, basename only."""

    filename: str


@dataclass(frozen=True)
class TTSTag:
    """A text-to-speech request from an ``[anki:tts]`` directive."""

    field_text: str
    lang: str
    voices: tuple[str, ...]
    speed: float
    other_args: tuple[str, ...]


AVTag: TypeAlias = SoundTag | TTSTag

# English strings from Anki's translations (the oracle collection runs in English).
_TTS_BLANK = "blank"
_TTS_NO_LANG = "[Error in directive '\u2068anki:tts\u2069': \u2068'\u2068lang\u2069' not set\u2069]"

_NAME_STOP = re.compile(r"[\] \t\r\n]")
_KEY_EQUALS = re.compile(r"[^\] \t\r\n=]+=")
_UNQUOTED_VALUE = re.compile(r'[^\] \t\r\n"]*')
_SPACES = re.compile(r"[ \t\r\n]*")
_NEEDS_QUOTES = re.compile(r"[\] \t\r\n]")


@dataclass(frozen=True)
class _Sound:
    resource: str


@dataclass(frozen=True)
class _Directive:
    name: str
    options: dict[str, str]  # Anki keeps a HashMap: duplicate keys collapse, last value wins
    ordered: tuple[tuple[str, str], ...]  # every option in source order (tts needs it)
    content: str


_Node: TypeAlias = str | _Sound | _Directive


class _ForwardFinder:
    """Next match of a pattern at or after a position; positions asked must not decrease."""

    def __init__(self, text: str, pattern: re.Pattern[str]) -> None:
        self._text = text
        self._pattern = pattern
        self._from = len(text) + 1  # nothing searched yet
        self._found = -1

    def find(self, pos: int) -> int:
        if not (self._from <= pos and (self._found < 0 or pos <= self._found)):
            match = self._pattern.search(self._text, pos)
            self._found = match.start() if match else -1
        self._from = pos
        return self._found


class _Parser:
    """One text's node parser; caches make repeated scans of unclosed tags cheap."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._close_bracket = _ForwardFinder(text, re.compile(r"\]"))
        self._name_stop = _ForwardFinder(text, _NAME_STOP)
        self._last_quote = text.rfind('"')
        self._option_at: dict[int, tuple[str, str, int] | None] = {}
        self._options_end: dict[int, int] = {}
        self._closings: dict[str, list[int]] | None = None

    def nodes(self) -> list[_Node]:
        text = self.text
        nodes: list[_Node] = []
        pos = 0
        while pos < len(text):
            parsed = self._sound(pos) or self._directive(pos)
            if parsed is None:
                # Text runs to the next '[' after its first character.
                end = text.find("[", pos + 1)
                end = len(text) if end < 0 else end
                parsed = (text[pos:end], end)
            nodes.append(parsed[0])
            pos = parsed[1]
        return nodes

    def _sound(self, pos: int) -> tuple[_Node, int] | None:
        if not self.text.startswith("[sound:", pos):
            return None
        close = self._close_bracket.find(pos + 7)
        if close <= pos + 7:
            return None
        return _Sound(self.text[pos + 7 : close]), close + 1

    def _directive(self, pos: int) -> tuple[_Node, int] | None:
        text = self.text
        if not text.startswith("[anki:", pos):
            return None
        name_end = self._name_stop.find(pos + 6)
        if name_end <= pos + 6:
            return None
        name = text[pos + 6 : name_end]
        options_start = _SPACES.match(text, name_end).end()  # type: ignore[union-attr]
        options_end = self._end_of_options(options_start)
        if not text.startswith("]", options_end):
            return None
        content_start = options_end + 1
        closing = self._closing_at_or_after(name, content_start)
        if closing < 0:
            return None
        ordered = self._options(options_start)
        directive = _Directive(name, dict(ordered), tuple(ordered), text[content_start:closing])
        return directive, closing + len(name) + 8

    def _option(self, pos: int) -> tuple[str, str, int] | None:
        """``key=value`` plus trailing spaces at ``pos``: key, value, next position."""
        if pos in self._option_at:
            return self._option_at[pos]
        text = self.text
        result = None
        key = _KEY_EQUALS.match(text, pos)
        if key is not None:
            value_start = key.end()
            if text.startswith('"', value_start) and self._last_quote > value_start:
                value_end = text.find('"', value_start + 1)
                value, after = text[value_start + 1 : value_end], value_end + 1
            else:
                unquoted = _UNQUOTED_VALUE.match(text, value_start)
                assert unquoted is not None  # the pattern matches the empty string
                value, after = unquoted.group(), unquoted.end()
            after = _SPACES.match(text, after).end()  # type: ignore[union-attr]
            result = (text[pos : key.end() - 1], value, after)
        self._option_at[pos] = result
        return result

    def _end_of_options(self, pos: int) -> int:
        """Where the option list starting at ``pos`` stops (memoised along the chain)."""
        visited = []
        while pos not in self._options_end:
            option = self._option(pos)
            if option is None:
                self._options_end[pos] = pos
                break
            visited.append(pos)
            pos = option[2]
        end = self._options_end[pos]
        for seen in visited:
            self._options_end[seen] = end
        return end

    def _options(self, pos: int) -> list[tuple[str, str]]:
        options = []
        while (option := self._option(pos)) is not None:
            options.append((option[0], option[1]))
            pos = option[2]
        return options

    def _closing_at_or_after(self, name: str, pos: int) -> int:
        """Start of the first ``[/anki:name]`` at or after ``pos``, or -1."""
        if self._closings is None:
            self._closings = self._index_closings()
        starts = self._closings.get(name)
        if not starts:
            return -1
        index = bisect_left(starts, pos)
        return starts[index] if index < len(starts) else -1

    def _index_closings(self) -> dict[str, list[int]]:
        text = self.text
        closings: dict[str, list[int]] = {}
        brackets = _ForwardFinder(text, re.compile(r"\]"))
        start = text.find("[/anki:")
        while start >= 0:
            close = brackets.find(start + 7)
            if close < 0:
                break
            closings.setdefault(text[start + 7 : close], []).append(start)
            start = text.find("[/anki:", start + 1)
        return closings


_RUST_FLOAT = re.compile(
    r"([+-]?)(?:([iI][nN][fF](?:[iI][nN][iI][tT][yY])?)|([nN][aA][nN])"
    r"|([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?)"
)
# More significant digits than any f32 rounding midpoint has: truncating to them
# and appending a sticky digit rounds exactly as the full number would.
_KEPT_DIGITS = 200


def _round_to_f32(value: Fraction) -> float:
    """Round a positive exact value to the nearest f32 (ties to even), as a Python float."""
    exponent = value.numerator.bit_length() - value.denominator.bit_length()
    if Fraction(2) ** exponent > value:
        exponent -= 1
    ulp = Fraction(2) ** (max(exponent, -126) - 23)
    rounded = round(value / ulp) * ulp
    return float("inf") if rounded >= 2**128 else float(rounded)


def parse_f32(text: str) -> float | None:
    """Rust's ``str::parse::<f32>()`` (None on error), widened to a Python float.

    Protobuf drops the sign of a zero, so ``-0`` comes back as ``0.0``.
    """
    match = _RUST_FLOAT.fullmatch(text)
    if match is None:
        return None
    sign, infinity, nan, whole, fraction, exponent = match.groups()
    if nan:
        return float("nan")
    if infinity:
        return float("-inf" if sign == "-" else "inf")
    fraction = fraction or ""
    digits = (whole + fraction).lstrip("0")
    if not whole and not fraction:
        return None
    if not digits:
        return 0.0
    exponent = exponent or "0"
    exponent_digits = exponent.lstrip("+-").lstrip("0")
    if len(exponent_digits) > 11:  # far beyond f32 range: only the exponent's sign matters
        return _signed(sign, 0.0 if exponent.startswith("-") else float("inf"))
    scale = int(exponent) - len(fraction)
    if len(digits) > _KEPT_DIGITS:
        sticky = "1" if digits[_KEPT_DIGITS:].strip("0") else "0"
        scale += len(digits) - _KEPT_DIGITS - 1
        digits = digits[:_KEPT_DIGITS] + sticky
    top = len(digits) + scale  # 10**(top-1) <= value < 10**top
    if top > 40:
        return _signed(sign, float("inf"))
    if top < -46:
        return 0.0
    return _signed(sign, _round_to_f32(int(digits) * Fraction(10) ** scale))


def _signed(sign: str, magnitude: float) -> float:
    if magnitude == 0.0:
        return 0.0
    return -magnitude if sign == "-" else magnitude


def _parse(text: str) -> list[_Node]:
    # Every tag starts "[sound:" or "[anki:"; without either the text is one plain node (a
    # cloze side always has "[...]", so "[" alone says little).
    if "[sound:" not in text and "[anki:" not in text:
        return [text]
    return _Parser(text).nodes()


def _write_other_directive(directive: _Directive) -> str:
    """Anki rewrites non-TTS directives: single spaces, values quoted only when needed."""
    parts = [f"[anki:{directive.name}"]
    for key, value in directive.options.items():
        parts.append(f' {key}="{value}"' if _NEEDS_QUOTES.search(value) else f" {key}={value}")
    parts.append(f"]{directive.content}[/anki:{directive.name}]")
    return "".join(parts)


def _tts_tag(directive: _Directive) -> TTSTag | None:
    """The TTS tag of an ``[anki:tts]`` directive; None when ``lang`` is missing or empty."""
    lang = ""
    voices: tuple[str, ...] = ()
    speed = 1.0
    blank: str | None = None
    other: dict[str, str] = {}
    for key, value in directive.ordered:
        if key == "lang":
            lang = value
        elif key == "voices":
            voices = tuple(value.split(","))
        elif key == "speed":
            parsed = parse_f32(value)
            speed = 1.0 if parsed is None else parsed
        elif key == "cloze_blank":
            blank = value
        else:
            other[key] = value
    if not lang:
        return None
    field_text = strip_html_for_tts(directive.content).replace(
        "[...]", _TTS_BLANK if blank is None else blank
    )
    args = tuple(f"{key}={value}" for key, value in other.items())
    return TTSTag(field_text, lang, voices, speed, args)


def extract_av_tags(text: str, question_side: bool) -> tuple[str, list[AVTag]]:
    """Replace sound and TTS tags with ``[anki:play:q|a:N]`` and return the tags in order."""
    side = "q" if question_side else "a"
    tags: list[AVTag] = []
    out: list[str] = []
    for node in _parse(text):
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, _Sound):
            out.append(f"[anki:play:{side}:{len(tags)}]")
            # pylib keeps only the basename so shared decks cannot point mpv at other files.
            tags.append(SoundTag(posixpath.basename(decode_entities(node.resource))))
        elif node.name == "tts":
            tts = _tts_tag(node)
            if tts is None:
                out.append(_TTS_NO_LANG)
            else:
                out.append(f"[anki:play:{side}:{len(tags)}]")
                tags.append(tts)
        else:
            out.append(_write_other_directive(node))
    return "".join(out), tags


def strip_av_tags(text: str) -> str:
    """Remove sound and TTS tags (even invalid TTS ones); other directives are normalised."""
    out: list[str] = []
    for node in _parse(text):
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, _Directive) and node.name != "tts":
            out.append(_write_other_directive(node))
    return "".join(out)


def av_tag_to_json(tag: AVTag) -> dict[str, object]:
    """The render contract's JSON form of a tag (the values pylib's tag classes carry)."""
    if isinstance(tag, SoundTag):
        return {"type": "sound", "filename": tag.filename}
    return {
        "type": "tts",
        "field_text": tag.field_text,
        "lang": tag.lang,
        "voices": list(tag.voices),
        "speed": tag.speed,
        "other_args": list(tag.other_args),
    }
