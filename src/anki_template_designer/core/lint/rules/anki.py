"""Anki's own checks: what Anki refuses to save, or shows as an error on the card."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator

from ...rendering import render_note
from ...template.errors import BLANK_FRONT_LINK
from ...template.nodes import Conditional, Replacement, iter_nodes
from ...template.renderer import is_cloze_conditional
from ..context import LintContext, TemplateSide
from ..diagnostics import Diagnostic, Fix, Part, Severity, TextEdit
from ..registry import ANKI_MANUAL, Rule

ERRORS_DOCS = f"{ANKI_MANUAL}/templates/errors.html"
SPECIAL_FIELDS = frozenset(
    {"FrontSide", "Tags", "Type", "Deck", "Subdeck", "CardFlag", "Card", "CardID"}
)
_CARD_TAG = re.compile(r"\{\{\s*Card\s*\}\}")


def known_names(context: LintContext, template: int) -> frozenset[str]:
    """Names a tag may use on card type ``template``: fields, special fields, ``cN``."""
    names = frozenset(context.notetype.field_names) | SPECIAL_FIELDS
    # On a standard note type the c-pseudo-field of the card's own number exists too.
    return names if context.notetype.is_cloze else names | {f"c{template + 1}"}


def _append(side: TemplateSide, text: str, description: str) -> Fix:
    separator = "" if not side.text or side.text.endswith("\n") else "\n"
    end = len(side.text)
    return Fix(description, (TextEdit(side.part, side.template, end, end, separator + text),))


def _retag(side: TemplateSide, start: int, end: int, old_key: str, new_key: str) -> TextEdit:
    """Replace the field name in the tag at ``start:end`` (the last occurrence: filters precede)."""
    tag = side.text[start:end]
    at = tag.rfind(old_key)
    return TextEdit(side.part, side.template, start + at, start + at + len(old_key), new_key)


class TemplateSyntax(Rule):
    """Unclosed, mismatched or orphan sections (Anki shows the error instead of the card)."""

    id = "template-syntax"
    severity = Severity.ERROR
    title = "Template syntax error"
    explanation = (
        "Anki cannot render this template: every {{#Field}} or {{^Field}} needs a matching "
        "{{/Field}}, closed in the reverse order of opening. Anki shows this message in place "
        "of every card of the card type until it is fixed."
    )
    docs_url = f"{ERRORS_DOCS}#template-syntax-error"

    def check(self, context: LintContext) -> Iterator[Diagnostic]:
        for side in context.sides:
            if side.error is not None:
                span = side.error.span
                yield self.diagnostic(
                    side.location(span.start, span.end), side.error.message(isolate=False)
                )


class UnknownField(Rule):
    """A tag names a field the note type does not have."""

    id = "unknown-field"
    severity = Severity.ERROR
    title = "Unknown field"
    explanation = (
        "The template refers to a field this note type does not have (names are "
        "case-sensitive). Anki refuses to save the note type. Rename the reference to an "
        "existing field, add the field, or remove the tag."
    )
    docs_url = f"{ERRORS_DOCS}#template-syntax-error"

    def check(self, context: LintContext) -> Iterator[Diagnostic]:
        fields = context.notetype.field_names
        for side in context.sides:
            if side.parsed is None:
                continue
            known = known_names(context, side.template)
            for node in iter_nodes(side.parsed.nodes):
                if isinstance(node, Replacement):
                    if not node.key or node.key in known:
                        continue
                    shown = ":".join((*reversed(node.filters), node.key))
                    edits: tuple[TextEdit, ...] = ()
                    closest = _closest(node.key, fields)
                    if closest is not None:
                        s = node.span
                        edits = (_retag(side, s.start, s.end, node.key, closest),)
                        fix = Fix(f"Use the field '{closest}'", edits)
                    else:
                        s = node.span
                        fix = Fix(
                            f"Remove {{{{{shown}}}}}",
                            (TextEdit(side.part, side.template, s.start, s.end, ""),),
                        )
                    yield self.diagnostic(
                        side.location(node.span.start, node.span.end),
                        f"Found '{{{{{shown}}}}}', but there is no field called '{node.key}'",
                        fix,
                    )
                elif isinstance(node, Conditional):
                    # {{#FrontSide}}: the frontside-section rule explains that case.
                    if node.key in known or is_cloze_conditional(node.key):
                        continue
                    prefix = "^" if node.negated else "#"
                    closest = _closest(node.key, fields)
                    section_fix = None
                    if closest is not None:
                        o, c = node.span, node.close_span
                        section_fix = Fix(
                            f"Use the field '{closest}'",
                            (
                                _retag(side, o.start, o.end, node.key, closest),
                                _retag(side, c.start, c.end, node.key, closest),
                            ),
                        )
                    yield self.diagnostic(
                        side.location(node.span.start, node.span.end),
                        f"Found '{{{{{prefix}{node.key}}}}}', but there is no field called "
                        f"'{node.key}'",
                        section_fix,
                    )


def _closest(name: str, fields: tuple[str, ...]) -> str | None:
    """The field ``name`` most likely meant: same name in other case, else a close spelling."""
    for field in fields:
        if field.casefold() == name.casefold():
            return field
    folded = {field.casefold(): field for field in fields}
    matches = difflib.get_close_matches(name.casefold(), list(folded), n=1, cutoff=0.6)
    return folded[matches[0]] if matches else None


def referenced_names(side: TemplateSide) -> set[str]:
    """Names Anki counts as field references (replacements, and non-cloze sections)."""
    assert side.parsed is not None
    names: set[str] = set()
    for node in iter_nodes(side.parsed.nodes):
        if isinstance(node, Replacement) or (
            isinstance(node, Conditional) and not is_cloze_conditional(node.key)
        ):
            names.add(node.key)
    return names


def has_cloze(side: TemplateSide) -> bool:
    """Whether a ``cloze`` filter is applied somewhere in the side."""
    assert side.parsed is not None
    return any(
        isinstance(node, Replacement) and "cloze" in node.filters
        for node in iter_nodes(side.parsed.nodes)
    )


class NoFrontField(Rule):
    """The front shows no field at all."""

    id = "no-front-field"
    severity = Severity.ERROR
    title = "No field on the front"
    explanation = (
        "A card whose front contains no field would be the same for every note, so Anki "
        "refuses to save the note type. Add a field replacement such as {{Front}}."
    )
    docs_url = f"{ERRORS_DOCS}#front-of-card-is-blank"

    def check(self, context: LintContext) -> Iterator[Diagnostic]:
        first = context.notetype.field_names[0] if context.notetype.fields else None
        for side in context.sides:
            if side.part is not Part.FRONT or side.parsed is None or referenced_names(side):
                continue
            fix = None
            if first is not None:
                tag = f"{{{{cloze:{first}}}}}" if context.notetype.is_cloze else f"{{{{{first}}}}}"
                fix = _append(side, tag, f"Add {tag} to the front")
            yield self.diagnostic(
                side.location(0, len(side.text)),
                "Expected to find a field replacement on the front of the card template.",
                fix,
            )


class IdenticalFronts(Rule):
    """Two card types ask the same question."""

    id = "identical-fronts"
    severity = Severity.ERROR
    title = "Identical front sides"
    explanation = (
        "Two card types with the same front template create duplicate questions, doubling "
        "the workload; Anki refuses to save the note type. Change or remove one of them "
        "(a front that shows {{Card}} is allowed to repeat)."
    )
    docs_url = f"{ERRORS_DOCS}#identical-front-sides"

    def check(self, context: LintContext) -> Iterator[Diagnostic]:
        if context.notetype.is_cloze:
            return
        first_with: dict[str, int] = {}
        for ordinal, card_type in enumerate(context.notetype.templates):
            earlier = first_with.setdefault(card_type.front, ordinal)
            if earlier != ordinal and not _CARD_TAG.search(card_type.front):
                side = context.side(ordinal, Part.FRONT)
                yield self.diagnostic(
                    side.location(0, len(side.text)),
                    f"The front side is identical to card template {earlier + 1}.",
                )


class MissingCloze(Rule):
    """A cloze note type without the cloze filter on its front or back."""

    id = "missing-cloze"
    severity = Severity.ERROR
    title = "No cloze filter on a cloze note type"
    explanation = (
        "A cloze note type makes one card per cloze number from the field shown with the "
        "cloze filter; both its front and back template need it. Anki refuses to save "
        "the note type without it."
    )
    docs_url = f"{ERRORS_DOCS}#no-cloze-filter-on-cloze-notetype"

    def check(self, context: LintContext) -> Iterator[Diagnostic]:
        if not context.notetype.is_cloze or not context.notetype.templates:
            return
        first = context.notetype.field_names[0] if context.notetype.fields else None
        for part in (Part.FRONT, Part.BACK):
            side = context.side(0, part)
            if side.parsed is None or has_cloze(side):
                continue
            tag = f"{{{{cloze:{first}}}}}"
            yield self.diagnostic(
                side.location(0, len(side.text)),
                "Expected to find '{{cloze:Text}}' or similar on the front and back of the "
                "card template.",
                _append(side, tag, f"Add {tag} to the {part}") if first else None,
            )


class ClozeOnStandard(Rule):
    """``{{cloze:…}}`` on a standard note type."""

    id = "cloze-on-standard"
    severity = Severity.ERROR
    title = "Cloze filter outside a cloze note type"
    explanation = (
        "The cloze filter only works on cloze note types; on a standard note type Anki "
        "shows the field without making cloze cards. Remove the filter, or move the notes "
        "to a cloze note type (Browse → Change Note Type)."
    )
    docs_url = f"{ERRORS_DOCS}#cloze-filter-outside-cloze-notetype"

    def check(self, context: LintContext) -> Iterator[Diagnostic]:
        if context.notetype.is_cloze:
            return
        for side in context.sides:
            if side.parsed is None:
                continue
            for node in iter_nodes(side.parsed.nodes):
                if isinstance(node, Replacement) and "cloze" in node.filters:
                    s = node.span
                    kept = ":".join(f for f in reversed(node.filters) if f != "cloze")
                    tag = "{{" + (f"{kept}:" if kept else "") + node.key + "}}"
                    yield self.diagnostic(
                        side.location(s.start, s.end),
                        "'cloze:' can only be used on cloze note types.",
                        Fix(
                            f"Replace with {tag}",
                            (TextEdit(side.part, side.template, s.start, s.end, tag),),
                        ),
                    )


class FrontSideSection(Rule):
    """``{{#FrontSide}}`` or ``{{^FrontSide}}``: FrontSide is not a field."""

    id = "frontside-section"
    severity = Severity.ERROR
    title = "{{#FrontSide}} section"
    explanation = (
        "FrontSide is not a field, so it cannot open a section: Anki reports an unknown "
        "field. Use {{FrontSide}} on its own to show the front on the back."
    )
    docs_url = f"{ANKI_MANUAL}/templates/fields.html#special-fields"

    def check(self, context: LintContext) -> Iterator[Diagnostic]:
        for side in context.sides:
            if side.parsed is None or "FrontSide" in context.notetype.field_names:
                continue
            for node in iter_nodes(side.parsed.nodes):
                if isinstance(node, Conditional) and node.key == "FrontSide":
                    o, c = node.span, node.close_span
                    yield self.diagnostic(
                        side.location(o.start, o.end),
                        f"{{{{{'^' if node.negated else '#'}FrontSide}}}} is not a section "
                        "Anki can render: FrontSide is not a field.",
                        Fix(
                            "Remove the section tags, keep what is inside",
                            (
                                TextEdit(side.part, side.template, o.start, o.end, ""),
                                TextEdit(side.part, side.template, c.start, c.end, ""),
                            ),
                        ),
                    )


class BlankFront(Rule):
    """A sample note's card would show "The front of this card is blank."."""

    id = "blank-front"
    severity = Severity.WARNING
    title = "Blank front for a sample note"
    explanation = (
        "For this sample note the card's front renders empty, so Anki shows 'The front of "
        "this card is blank.' Make sure the front shows at least one field the note fills "
        "(for type-in cards, a field besides {{type:…}})."
    )
    docs_url = BLANK_FRONT_LINK

    def check(self, context: LintContext) -> Iterable[Diagnostic]:
        if any(side.error for side in context.review_sides()) or not context.samples:
            return []
        found = []
        for number, note in enumerate(context.samples, start=1):
            for card in render_note(context.notetype, note):
                if "The front of this card is blank." not in card.question:
                    continue
                template = 0 if context.notetype.is_cloze else card.ord
                side = context.side(template, Part.FRONT)
                found.append(
                    self.diagnostic(
                        side.location(0, len(side.text)),
                        f"Sample note {number}: the front of card {card.ord + 1} is blank.",
                    )
                )
        return found


RULES: tuple[type[Rule], ...] = (
    TemplateSyntax,
    UnknownField,
    NoFrontField,
    IdenticalFronts,
    MissingCloze,
    ClozeOnStandard,
    FrontSideSection,
    BlankFront,
)
