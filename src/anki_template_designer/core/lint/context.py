"""What every rule looks at: the note type, its sample notes, parsed templates and stylesheet."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass

from ..model import Note, NoteType
from ..template.errors import TemplateSyntaxError
from ..template.nodes import Template
from ..template.parser import parse_cached
from .context_lines import LineIndex
from .css import Stylesheet, parse_stylesheet
from .diagnostics import Location, Part

_SIDES = (
    (Part.FRONT, "front"),
    (Part.BACK, "back"),
    (Part.BROWSER_FRONT, "browser_front"),
    (Part.BROWSER_BACK, "browser_back"),
)


@dataclass(frozen=True, slots=True)
class TemplateSide:
    """One side of one card type, parsed (``parsed`` is None when it has a syntax error)."""

    template: int
    template_name: str
    part: Part
    text: str
    parsed: Template | None
    error: TemplateSyntaxError | None

    def location(self, start: int, end: int) -> Location:
        """A location in this side's text."""
        line, column = _line_index(self.text).line_column(start)
        return Location(self.part, self.template, self.template_name, start, end, line, column)


@functools.lru_cache(maxsize=64)
def _line_index(text: str) -> LineIndex:
    return LineIndex(text)


class LintContext:
    """The note type and samples under lint; parsing is done once and shared by the rules."""

    def __init__(self, notetype: NoteType, samples: tuple[Note, ...] = ()) -> None:
        self.notetype = notetype
        self.samples = samples

    @functools.cached_property
    def sides(self) -> tuple[TemplateSide, ...]:
        """Every non-empty template side; the front and back always, even when empty."""
        found = []
        for ordinal, card_type in enumerate(self.notetype.templates):
            for part, attribute in _SIDES:
                text: str = getattr(card_type, attribute)
                if not text and part in (Part.BROWSER_FRONT, Part.BROWSER_BACK):
                    continue
                result = parse_cached(text)
                parsed = result if isinstance(result, Template) else None
                error = result if isinstance(result, TemplateSyntaxError) else None
                found.append(TemplateSide(ordinal, card_type.name, part, text, parsed, error))
        return tuple(found)

    def review_sides(self) -> Iterator[TemplateSide]:
        """The fronts and backs: what a learner sees (browser formats excluded)."""
        return (s for s in self.sides if s.part in (Part.FRONT, Part.BACK))

    def side(self, template: int, part: Part) -> TemplateSide:
        """One side of one card type."""
        for side in self.sides:
            if side.template == template and side.part is part:
                return side
        raise KeyError((template, part))

    @functools.cached_property
    def stylesheet(self) -> Stylesheet:
        """The note type's CSS, parsed."""
        return parse_stylesheet(self.notetype.css)

    def css_location(self, start: int, end: int) -> Location:
        """A location in the stylesheet."""
        line, column = _line_index(self.notetype.css).line_column(start)
        return Location(Part.CSS, None, None, start, end, line, column)
