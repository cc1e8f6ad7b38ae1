"""Cloze deletions: parsing ``{{c1::text::hint}}``, revealing them per card, and numbering.

Follows Anki's rules: ordinals are comma-separated, deduplicated and sorted;
nesting stops at 10 levels; an unclosed cloze is dropped with its text; a
``}}`` outside any cloze is text; the hint is what follows the first ``::`` in
a run of text inside the cloze (the last such run wins).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from .escaping import encode_attribute
from .html import strip_html_preserving_entities
from .image_occlusion import image_cloze_data

_MARKER = re.compile(r"\{\{c([0-9,]*)::|\}\}")
_MATHJAX_OPEN = re.compile(r"\\[(\[]")
_MATHJAX_CLOSE = re.compile(r"\\[)\]]")
_MAX_OPEN = 10
_U16_MAX = 0xFFFF


@dataclass(slots=True)
class Cloze:
    """One cloze deletion; ``nodes`` holds text runs and nested clozes."""

    ordinals: tuple[int, ...]
    nodes: list[str | Cloze] = field(default_factory=list)
    hint: str | None = None

    def clozed_text(self) -> str:
        """The deleted text, nested clozes included, hints left out."""
        return "".join(n if isinstance(n, str) else n.clozed_text() for n in self.nodes)

    def image_occlusion(self) -> str | None:
        first = self.nodes[0] if self.nodes else None
        if isinstance(first, str) and first.startswith("image-occlusion:"):
            return first[len("image-occlusion:") :]
        return None

    @property
    def ordinal_text(self) -> str:
        return ",".join(map(str, self.ordinals))


def _ordinals(digits: str) -> tuple[int, ...]:
    found = set()
    for part in digits.split(","):
        digits_only = part.lstrip("0") or ("0" if part else "")
        if digits_only and len(digits_only) <= 5 and int(digits_only) <= _U16_MAX:
            found.add(int(digits_only))
    return tuple(sorted(found))


@lru_cache(maxsize=1024)
def parse_clozes(text: str) -> tuple[str | Cloze, ...]:
    """Split field text into top-level text runs and clozes (cached: treat the result as frozen)."""
    output: list[str | Cloze] = []
    open_clozes: list[Cloze] = []

    def add_text(run: str) -> None:
        if not open_clozes:
            output.append(run)
            return
        cloze = open_clozes[-1]
        if not run.startswith("image-occlusion:"):
            head, sep, tail = run.partition("::")
            if sep:
                run, cloze.hint = head, tail
        cloze.nodes.append(run)

    pending_start = 0  # start of text not yet emitted (invalid openers stay text)
    for match in _MARKER.finditer(text):
        if match.group(0) == "}}":
            if match.start() > pending_start:
                add_text(text[pending_start : match.start()])
            pending_start = match.end()
            if open_clozes:
                closed = open_clozes.pop()
                (open_clozes[-1].nodes if open_clozes else output).append(closed)
            else:
                output.append("}}")
            continue
        ordinals = _ordinals(match.group(1))
        if not ordinals:
            continue
        if match.start() > pending_start:
            add_text(text[pending_start : match.start()])
        pending_start = match.end()
        if len(open_clozes) < _MAX_OPEN:
            open_clozes.append(Cloze(ordinals))
    if len(text) > pending_start:
        add_text(text[pending_start:])
    return tuple(output)


class _Revealer:
    def __init__(self, ordinal: int, question: bool) -> None:
        self.ordinal = ordinal
        self.question = question
        self.active_found = False

    def nodes(self, nodes: Sequence[str | Cloze], buf: list[str]) -> None:
        for node in nodes:
            if isinstance(node, str):
                buf.append(node)
            else:
                self.cloze(node, buf)

    def cloze(self, cloze: Cloze, buf: list[str]) -> None:
        active = self.ordinal in cloze.ordinals
        self.active_found |= active
        occlusion = cloze.image_occlusion()
        if occlusion is not None:
            buf.append(_image_occlusion_html(occlusion, self.question, active, cloze))
            return
        ordinals = cloze.ordinal_text
        if self.question and active:
            inner: list[str] = []
            self.nodes(cloze.nodes, inner)
            hint = "..." if cloze.hint is None else cloze.hint
            buf.append(
                f'<span class="cloze" data-cloze="{encode_attribute("".join(inner))}" '
                f'data-ordinal="{ordinals}">[{hint}]</span>'
            )
            return
        css_class = "cloze" if active else "cloze-inactive"
        buf.append(f'<span class="{css_class}" data-ordinal="{ordinals}">')
        self.nodes(cloze.nodes, buf)
        buf.append("</span>")


def _image_occlusion_html(text: str, question: bool, active: bool, cloze: Cloze) -> str:
    data = image_cloze_data(text)
    ordinals = cloze.ordinal_text
    if (question and active) or 0 in cloze.ordinals:
        css_class = "cloze"
    elif not active:
        css_class = "cloze-inactive"
    else:
        css_class = "cloze-highlight"
    return f'<div class="{css_class}" data-ordinal="{ordinals}" {data}></div>'


def reveal_cloze_text(text: str, ordinal: int, question: bool) -> str:
    """Render clozes for card ``ordinal`` (1-based); "" when no cloze of that number exists."""
    revealer = _Revealer(ordinal, question)
    buf: list[str] = []
    revealer.nodes(parse_clozes(text), buf)
    return "".join(buf) if revealer.active_found else ""


def _collect_active(
    nodes: Sequence[str | Cloze], ordinal: int, question: bool, out: list[str]
) -> None:
    for node in nodes:
        if isinstance(node, Cloze):
            if ordinal in node.ordinals:
                if question:
                    out.append("..." if node.hint is None else node.hint)
                else:
                    out.append(node.clozed_text())
            _collect_active(node.nodes, ordinal, question, out)


def reveal_cloze_text_only(text: str, ordinal: int, question: bool) -> str:
    """The ``cloze-only`` filter: active cloze texts (or hints on the question) joined by ", "."""
    out: list[str] = []
    _collect_active(parse_clozes(text), ordinal, question, out)
    return ", ".join(out)


def cloze_text_for_typing(text: str, ordinal: int) -> str:
    """What a ``{{type:cloze:F}}`` answer is compared with: the active texts, collapsed if equal."""
    out: list[str] = []
    _collect_active(parse_clozes(text), ordinal, False, out)
    if not out:
        return ""
    if min(out) == max(out):
        return out[-1]
    return ", ".join(out)


def _add_numbers(nodes: Sequence[str | Cloze], numbers: set[int]) -> None:
    for node in nodes:
        if isinstance(node, Cloze):
            numbers.update(o for o in node.ordinals if o != 0)
            _add_numbers(node.nodes, numbers)


@lru_cache(maxsize=1024)
def _numbers_in(text: str) -> frozenset[int]:
    numbers: set[int] = set()
    _add_numbers(parse_clozes(text), numbers)
    return frozenset(numbers)


def cloze_numbers(texts: Iterable[str]) -> set[int]:
    """The cloze numbers (excluding 0) used in any of ``texts``."""
    numbers: set[int] = set()
    for text in texts:
        if "{{c" in text:
            numbers.update(_numbers_in(text))
    return numbers


def strip_html_inside_mathjax(text: str) -> str:
    """Strip tags inside MathJax ``\\(…\\)`` / ``\\[…\\]``, as Anki's MathJax regex does.

    A scan instead of a lazy regex: Python's backtracking would make many
    unclosed openers quadratic.
    """
    out = []
    pos = 0
    while True:
        opener = _MATHJAX_OPEN.search(text, pos)
        if opener is None:
            break
        closer = _MATHJAX_CLOSE.search(text, opener.end())
        if closer is None:
            break
        out.append(text[pos : opener.end()])
        out.append(strip_html_preserving_entities(text[opener.end() : closer.start()]))
        out.append(closer.group(0))
        pos = closer.end()
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def cloze_filter(text: str, ordinal: int, question: bool) -> str:
    """The ``cloze`` filter: reveal clozes, then strip HTML inside MathJax delimiters."""
    revealed = reveal_cloze_text(text, ordinal, question)
    return strip_html_inside_mathjax(revealed) if "\\" in revealed else revealed
