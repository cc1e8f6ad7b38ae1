"""What a lint rule reports: a located diagnostic, and the text edits that fix it."""

from __future__ import annotations

import dataclasses
import enum
import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from ..model import CardTemplate, NoteType


class Severity(enum.StrEnum):
    """How bad a finding is; ``atd lint`` exits non-zero only on errors."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Part(enum.StrEnum):
    """Which text of the note type a location or an edit is in."""

    FRONT = "front"
    BACK = "back"
    BROWSER_FRONT = "browser front"
    BROWSER_BACK = "browser back"
    CSS = "css"

    @property
    def is_template(self) -> bool:
        """True for the four template sides; False for the stylesheet."""
        return self is not Part.CSS


_ATTRIBUTES = {
    Part.FRONT: "front",
    Part.BACK: "back",
    Part.BROWSER_FRONT: "browser_front",
    Part.BROWSER_BACK: "browser_back",
}


@dataclass(frozen=True, slots=True)
class Location:
    """A range in one text: offsets 0-based, line and column 1-based, in characters.

    ``template`` is the card type's ordinal (and ``template_name`` its name) for template
    parts; both are None for the stylesheet.
    """

    part: Part
    template: int | None
    template_name: str | None
    start: int
    end: int
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class TextEdit:
    """Replace ``text[start:end]`` of one part with ``replacement``."""

    part: Part
    template: int | None
    start: int
    end: int
    replacement: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A one-click repair: edits applied together, described for the button that applies them."""

    description: str
    edits: tuple[TextEdit, ...]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding of one rule, where it is, why it matters, and (if it has one) its fix."""

    rule: str
    severity: Severity
    message: str
    location: Location
    explanation: str
    docs_url: str
    fix: Fix | None = None


class FixConflictError(ValueError):
    """Two edits overlap, or an edit lies outside its text; the message names them."""


def text_of(notetype: NoteType, part: Part, template: int | None) -> str:
    """The current text of ``part`` (of card type ``template`` for template parts)."""
    if part is Part.CSS:
        return notetype.css
    if template is None or not 0 <= template < len(notetype.templates):
        raise FixConflictError(f"no card type #{template} for an edit of the {part}")
    text: str = getattr(notetype.templates[template], _ATTRIBUTES[part])
    return text


def apply_edits(notetype: NoteType, edits: Iterable[TextEdit]) -> NoteType:
    """The note type with ``edits`` applied; edits of one text must not overlap."""
    by_text: dict[tuple[Part, int | None], list[TextEdit]] = {}
    for edit in edits:
        key = (edit.part, edit.template if edit.part.is_template else None)
        by_text.setdefault(key, []).append(edit)
    templates = list(notetype.templates)
    css = notetype.css
    for (part, template), group in by_text.items():
        text = text_of(notetype, part, template)
        group.sort(key=lambda e: (e.start, e.end))
        for earlier, later in itertools.pairwise(group):
            if later.start < earlier.end:
                raise FixConflictError(
                    f"edits overlap in the {part} at {earlier.start}–{earlier.end} "
                    f"and {later.start}–{later.end}"
                )
        pieces, position = [], 0
        for edit in group:
            if not 0 <= edit.start <= edit.end <= len(text):
                raise FixConflictError(
                    f"edit {edit.start}–{edit.end} lies outside the {part} ({len(text)} characters)"
                )
            pieces += [text[position : edit.start], edit.replacement]
            position = edit.end
        pieces.append(text[position:])
        new_text = "".join(pieces)
        if part is Part.CSS:
            css = new_text
        else:
            assert template is not None
            templates[template] = _with_text(templates[template], part, new_text)
    return dataclasses.replace(notetype, templates=tuple(templates), css=css)


def _with_text(card_type: CardTemplate, part: Part, text: str) -> CardTemplate:
    changes: dict[str, str] = {_ATTRIBUTES[part]: text}
    return dataclasses.replace(card_type, **changes)  # type: ignore[arg-type]


def apply_fixes(notetype: NoteType, diagnostics: Iterable[Diagnostic]) -> tuple[NoteType, int]:
    """Apply every fix that does not overlap one applied before it; returns (result, count).

    Fixes are computed against one version of the text, so overlapping ones cannot all be
    applied at once: the later ones are skipped, and a second lint run finds what remains.
    """
    chosen: list[TextEdit] = []
    taken: dict[tuple[Part, int | None], list[tuple[int, int]]] = {}
    count = 0
    for diagnostic in diagnostics:
        if diagnostic.fix is None:
            continue
        edits = diagnostic.fix.edits
        if any(_overlaps(taken.get(_key(e), []), e) for e in edits):
            continue
        for edit in edits:
            taken.setdefault(_key(edit), []).append((edit.start, edit.end))
        chosen.extend(edits)
        count += 1
    return apply_edits(notetype, chosen), count


def _key(edit: TextEdit) -> tuple[Part, int | None]:
    return (edit.part, edit.template if edit.part.is_template else None)


def _overlaps(ranges: list[tuple[int, int]], edit: TextEdit) -> bool:
    # Two insertions at one point also conflict: their order would be arbitrary.
    return any(
        (edit.start < end and start < edit.end) or edit.start == edit.end == start == end
        for start, end in ranges
    )
