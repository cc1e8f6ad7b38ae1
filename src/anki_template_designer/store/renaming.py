"""Renaming a field in templates and sample notes, as Anki does when a field is renamed.

Anki rewrites every template side (browser sides too) that parses, replacing
the field name in ``{{Field}}``, ``{{filter:Field}}``, ``{{#Field}}``,
``{{^Field}}`` and ``{{/Field}}``; a template that does not parse is left as it
is. Anki then prints the whole template back from its AST, which tidies tags
(``{{ Field }}`` becomes ``{{Field}}``); here only the name inside each tag
changes, found through the parser's spans, so every other byte stays put.
"""

from __future__ import annotations

import dataclasses
from types import MappingProxyType

from ..core.model import CardTemplate, Note, NoteType
from ..core.template.errors import TemplateSyntaxError
from ..core.template.nodes import Conditional, Replacement, Span, iter_nodes
from ..core.template.parser import parse
from ..core.template.text_rules import RUST_WHITESPACE

_DELIMITER = 2  # "{{" / "}}" and the legacy "<%" / "%>" are both two characters


def _key_offsets(source: str, span: Span, key: str) -> tuple[int, int] | None:
    """Where ``key`` sits in the tag at ``span``: it always ends where the trimmed tag ends."""
    inner_start = span.start + _DELIMITER
    inner = source[inner_start : span.end - _DELIMITER]
    end = inner_start + len(inner.rstrip(RUST_WHITESPACE))
    start = end - len(key)
    if start < inner_start or source[start:end] != key:
        return None
    return start, end


def rename_field_in_template(source: str, old: str, new: str) -> str:
    """``source`` with every reference to field ``old`` renamed to ``new``; unchanged if broken."""
    if old not in source:
        return source
    try:
        template = parse(source)
    except TemplateSyntaxError:
        return source
    edits: list[tuple[int, int]] = []
    for node in iter_nodes(template.nodes):
        if isinstance(node, Replacement | Conditional) and node.key == old:
            spans = [node.span]
            if isinstance(node, Conditional):
                spans.append(node.close_span)
            for span in spans:
                offsets = _key_offsets(source, span, old)
                if offsets is not None:
                    edits.append(offsets)
    if not edits:
        return source
    pieces = []
    position = 0
    for start, end in sorted(edits):
        pieces.append(source[position:start])
        pieces.append(new)
        position = end
    pieces.append(source[position:])
    return "".join(pieces)


def _rename_in_card_type(template: CardTemplate, old: str, new: str) -> CardTemplate:
    def renamed(text: str) -> str:
        return rename_field_in_template(text, old, new)

    return dataclasses.replace(
        template,
        front=renamed(template.front),
        back=renamed(template.back),
        browser_front=renamed(template.browser_front),
        browser_back=renamed(template.browser_back),
    )


def _rename_in_note(note: Note, old: str, new: str) -> Note:
    if old not in note.fields:
        return note
    fields = {(new if name == old else name): value for name, value in note.fields.items()}
    return dataclasses.replace(note, fields=MappingProxyType(fields))


def rename_field(
    notetype: NoteType, samples: tuple[Note, ...], old: str, new: str
) -> tuple[NoteType, tuple[Note, ...]]:
    """Rename field ``old`` to ``new`` in the field list, every template and every sample note."""
    fields = tuple(
        dataclasses.replace(f, name=new) if f.name == old else f for f in notetype.fields
    )
    templates = tuple(_rename_in_card_type(t, old, new) for t in notetype.templates)
    renamed = dataclasses.replace(notetype, fields=fields, templates=templates)
    return renamed, tuple(_rename_in_note(note, old, new) for note in samples)
