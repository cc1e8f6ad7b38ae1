"""Removing a field from a note type's templates, as Anki does when a field is deleted.

When a note type is saved without one of its fields, Anki (``rslib/src/notetype/mod.rs``,
``update_templates_for_renamed_and_removed_fields``, and ``rename_and_remove_fields`` in
``rslib/src/template.rs``) rewrites every template side that parses, browser sides too:

- ``{{Field}}`` and ``{{filter:Field}}`` disappear;
- ``{{#Field}}…{{/Field}}`` and ``{{^Field}}…{{/Field}}`` lose their tags, keeping what
  was inside;
- a question side left without any replacement tag (``{{Tags}}`` and ``{{FrontSide}}`` count),
  or, on a cloze note type, without a ``{{cloze:…}}`` tag, gets ``{{First}}`` (or
  ``{{cloze:First}}``) appended, naming the first remaining field; an answer side gets it
  only on a cloze note type without a cloze tag. This holds for every side, even one that
  never used the removed field, and even an empty browser question side.

Anki prints the whole template back from its AST, which tidies tags (``{{ Field }}``
becomes ``{{Field}}``); here only the removed tags go and the appended tag is added, found
through the parser's spans, so every other byte stays where it was.
"""

from __future__ import annotations

import dataclasses

from .errors import CoreError
from .model import CardTemplate, NoteType
from .template.errors import TemplateSyntaxError
from .template.nodes import Conditional, Replacement, iter_nodes
from .template.parser import parse


class FieldRemovalError(CoreError, ValueError):
    """The field does not exist, or it is the note type's only field (Anki needs one)."""


def _remove_in_side(source: str, field: str, first: str, *, question: bool, cloze: bool) -> str:
    try:
        template = parse(source)
    except TemplateSyntaxError:
        return source  # Anki leaves a template that does not parse as it is.
    cuts: list[tuple[int, int]] = []
    kept_replacements: list[Replacement] = []
    for node in iter_nodes(template.nodes):
        if isinstance(node, Replacement):
            if node.key == field:
                cuts.append((node.span.start, node.span.end))
            else:
                kept_replacements.append(node)
        elif isinstance(node, Conditional) and node.key == field:
            cuts += [(node.span.start, node.span.end), (node.close_span.start, node.close_span.end)]
    has_cloze = any("cloze" in r.filters for r in kept_replacements)
    without_cloze = cloze and not has_cloze
    missing = (not kept_replacements or without_cloze) if question else without_cloze
    pieces, position = [], 0
    for start, end in sorted(cuts):
        pieces.append(source[position:start])
        position = end
    pieces.append(source[position:])
    if missing:
        pieces.append(f"{{{{cloze:{first}}}}}" if cloze else f"{{{{{first}}}}}")
    return "".join(pieces)


def remove_field_references(notetype: NoteType, field_name: str) -> NoteType:
    """``notetype`` with field ``field_name`` gone from its field list and templates, as in Anki.

    The sort field stays on the same field; if it was the removed one, it becomes the field
    now at its position (the last field when it was last). Raises FieldRemovalError when the
    note type has no such field or no other field.
    """
    names = notetype.field_names
    if field_name not in names:
        raise FieldRemovalError(
            f"note type {notetype.name!r} has no field {field_name!r}; "
            f"its fields are {', '.join(names)}"
        )
    fields = tuple(f for f in notetype.fields if f.name != field_name)
    if not fields:
        raise FieldRemovalError(
            f"{field_name!r} is the only field of note type {notetype.name!r}; a note type "
            "needs at least one field, so add another before removing it"
        )
    first, cloze = fields[0].name, notetype.is_cloze

    def rewrite(card_type: CardTemplate) -> CardTemplate:
        def side(text: str, question: bool) -> str:
            return _remove_in_side(text, field_name, first, question=question, cloze=cloze)

        return dataclasses.replace(
            card_type,
            front=side(card_type.front, True),
            back=side(card_type.back, False),
            browser_front=side(card_type.browser_front, True),
            browser_back=side(card_type.browser_back, False),
        )

    removed_at = names.index(field_name)
    sort = notetype.sort_field
    if sort > removed_at:
        sort -= 1
    sort = min(sort, len(fields) - 1)
    return dataclasses.replace(
        notetype,
        fields=fields,
        templates=tuple(rewrite(t) for t in notetype.templates),
        sort_field=sort,
    )
