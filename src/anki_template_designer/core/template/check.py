"""Find the template problems Anki would report, with their locations, without rendering."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import NoteType
from .errors import ErrorKind, TemplateSyntaxError
from .nodes import Conditional, Replacement, Template, iter_nodes
from .parser import parse_cached
from .renderer import is_cloze_conditional

_SPECIALS = frozenset({"Tags", "Type", "Deck", "Subdeck", "CardFlag", "Card", "CardID"})


@dataclass(frozen=True, slots=True)
class TemplateProblem:
    """One problem: where it is (card type, side, 1-based line and column) and Anki's message."""

    template: str
    side: str
    line: int
    column: int
    message: str


def _unknown_fields(template: Template, known: frozenset[str]) -> list[TemplateSyntaxError]:
    problems = []
    for node in iter_nodes(template.nodes):
        if isinstance(node, Replacement):
            if node.key == "FrontSide" or (not node.key and node.filters) or node.key in known:
                continue
            shown = ":".join((*reversed(node.filters), node.key))
            problems.append(
                TemplateSyntaxError(ErrorKind.NO_SUCH_FIELD, node.span, shown, node.key)
            )
        elif isinstance(node, Conditional):
            if node.key in known or is_cloze_conditional(node.key):
                continue
            prefix = "^" if node.negated else "#"
            problems.append(
                TemplateSyntaxError(ErrorKind.NO_SUCH_FIELD, node.span, prefix + node.key, node.key)
            )
    return problems


def check_notetype(notetype: NoteType) -> list[TemplateProblem]:
    """Every syntax error and unknown field reference in the note type's templates."""
    problems: list[TemplateProblem] = []
    base_known = frozenset(notetype.field_names) | _SPECIALS
    for ordinal, card_type in enumerate(notetype.templates):
        # c1…cN are pseudo-fields: on a standard note type only c<ord+1> exists for this card.
        known = base_known if notetype.is_cloze else base_known | {f"c{ordinal + 1}"}
        sides = [("front", card_type.front), ("back", card_type.back)]
        sides += [
            (name, text)
            for name, text in (
                ("browser front", card_type.browser_front),
                ("browser back", card_type.browser_back),
            )
            if text
        ]
        for side, source in sides:
            parsed = parse_cached(source)
            if isinstance(parsed, TemplateSyntaxError):
                errors = [parsed]
            else:
                errors = _unknown_fields(parsed, known)
                if notetype.is_cloze:
                    errors = [e for e in errors if not is_cloze_conditional(e.args_[1])]
            problems.extend(
                TemplateProblem(
                    card_type.name, side, e.span.line, e.span.column, e.message(isolate=False)
                )
                for e in errors
            )
    return problems
