"""The note type's stylesheet as the lint rules need it: style rules, declarations, URLs, spans."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import tinycss2
import tinycss2.ast

from .context_lines import LineIndex

# At-rules whose blocks hold style rules that apply (under a condition) to the card.
_NESTING_AT_RULES = frozenset({"media", "supports", "layer", "container", "document"})


@dataclass(frozen=True, slots=True)
class Declaration:
    """``name: value [!important]`` at ``start`` (offset of the name in the stylesheet)."""

    name: str
    value: str
    important: bool
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class StyleRule:
    """``selectors { declarations }``; ``conditions`` are the enclosing at-rules' preludes."""

    selectors: tuple[str, ...]
    selector_start: int
    selector_end: int
    declarations: tuple[Declaration, ...]
    conditions: tuple[str, ...]
    order: int


@dataclass(frozen=True, slots=True)
class UrlReference:
    """A ``url(…)`` or ``@import "…"`` target in the stylesheet."""

    url: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Stylesheet:
    """Every style rule in source order, and every URL the stylesheet loads."""

    source: str
    rules: tuple[StyleRule, ...]
    urls: tuple[UrlReference, ...]


def _offset(lines: LineIndex, node: tinycss2.ast.Node) -> int:
    return lines.offset(node.source_line, node.source_column)


def _split_selectors(prelude: str) -> tuple[str, ...]:
    """Split a selector list at top-level commas (not inside ``:is(a, b)`` or strings)."""
    parts: list[str] = []
    current: list[str] = []
    depth, quote = 0, ""
    for char in prelude:
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    parts.append("".join(current).strip())
    return tuple(p for p in parts if p)


def _urls(tokens: Iterable[tinycss2.ast.Node], lines: LineIndex) -> Iterator[UrlReference]:
    stack = [iter(tokens)]
    while stack:
        token = next(stack[-1], None)
        if token is None:
            stack.pop()
            continue
        if isinstance(token, tinycss2.ast.URLToken):
            start = _offset(lines, token)
            yield UrlReference(token.value, start, start + len(token.representation))
        elif isinstance(token, tinycss2.ast.FunctionBlock):
            if token.lower_name == "url":
                strings = [a for a in token.arguments if isinstance(a, tinycss2.ast.StringToken)]
                if strings:
                    start = _offset(lines, token)
                    yield UrlReference(strings[0].value, start, start + len(token.serialize()))
            stack.append(iter(token.arguments))
        elif isinstance(
            token,
            tinycss2.ast.ParenthesesBlock
            | tinycss2.ast.SquareBracketsBlock
            | tinycss2.ast.CurlyBracketsBlock,
        ):
            stack.append(iter(token.content))


@functools.lru_cache(maxsize=64)
def parse_stylesheet(source: str) -> Stylesheet:
    """Parse CSS leniently (as browsers do): invalid parts are skipped, never raised."""
    lines = LineIndex(source)
    rules: list[StyleRule] = []
    urls: list[UrlReference] = []
    pending: list[tuple[list[tinycss2.ast.Node], tuple[str, ...]]] = [
        (tinycss2.parse_stylesheet(source, skip_comments=True, skip_whitespace=True), ())
    ]
    while pending:
        nodes, conditions = pending.pop(0)
        for node in nodes:
            if isinstance(node, tinycss2.ast.QualifiedRule):
                prelude = tinycss2.serialize(node.prelude).strip()
                start = _offset(lines, node)
                declarations = []
                for item in tinycss2.parse_blocks_contents(
                    node.content, skip_comments=True, skip_whitespace=True
                ):
                    if isinstance(item, tinycss2.ast.Declaration):
                        decl_start = _offset(lines, item)
                        value = tinycss2.serialize(item.value).strip()
                        declarations.append(
                            Declaration(
                                item.lower_name,
                                value,
                                item.important,
                                decl_start,
                                decl_start + len(item.name),
                            )
                        )
                        urls.extend(_urls(item.value, lines))
                rules.append(
                    StyleRule(
                        _split_selectors(prelude),
                        start,
                        start + len(prelude),
                        tuple(declarations),
                        conditions,
                        len(rules),
                    )
                )
            elif isinstance(node, tinycss2.ast.AtRule):
                urls.extend(_urls(node.prelude, lines))
                if node.lower_at_keyword == "import":
                    start = _offset(lines, node)
                    strings = [
                        t.value for t in node.prelude if isinstance(t, tinycss2.ast.StringToken)
                    ]
                    if strings:
                        urls.append(UrlReference(strings[0], start, start + len("@import")))
                elif node.lower_at_keyword not in _NESTING_AT_RULES and node.content:
                    # @font-face, @keyframes, @page: declarations that may load files.
                    urls.extend(_urls(node.content, lines))
                elif node.lower_at_keyword in _NESTING_AT_RULES and node.content is not None:
                    condition = f"@{node.lower_at_keyword} {tinycss2.serialize(node.prelude)}"
                    pending.append(
                        (
                            tinycss2.parse_rule_list(
                                node.content, skip_comments=True, skip_whitespace=True
                            ),
                            (*conditions, condition.strip()),
                        )
                    )
    rules.sort(key=lambda r: r.selector_start)
    rules = [
        StyleRule(r.selectors, r.selector_start, r.selector_end, r.declarations, r.conditions, i)
        for i, r in enumerate(rules)
    ]
    return Stylesheet(source, tuple(rules), tuple(sorted(urls, key=lambda u: u.start)))
