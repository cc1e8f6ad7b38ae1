"""The template AST. Every node carries the span of source text it came from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """A range of template source: offsets are 0-based, line and column 1-based (in characters)."""

    start: int
    end: int
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Text:
    """Literal text, output unchanged."""

    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class Comment:
    """An HTML comment ``<!--…-->``: output verbatim, tags inside are not processed."""

    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class Replacement:
    """``{{filter2:filter1:Field}}``; ``filters`` in application order (nearest the field first)."""

    key: str
    filters: tuple[str, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Conditional:
    """``{{#Field}}…{{/Field}}`` or, when ``negated``, ``{{^Field}}…{{/Field}}``."""

    key: str
    negated: bool
    children: tuple[Node, ...]
    span: Span
    close_span: Span


Node = Text | Comment | Replacement | Conditional


@dataclass(frozen=True, slots=True)
class Template:
    """A parsed template: the top-level nodes and the source they came from."""

    nodes: tuple[Node, ...]
    source: str


def iter_nodes(nodes: tuple[Node, ...]) -> list[Node]:
    """All nodes in document order, depth first (iterative: templates may nest deeply)."""
    out: list[Node] = []
    stack: list[tuple[Node, ...]] = [nodes]
    positions = [0]
    while stack:
        level, position = stack[-1], positions[-1]
        if position == len(level):
            stack.pop()
            positions.pop()
            continue
        positions[-1] += 1
        node = level[position]
        out.append(node)
        if isinstance(node, Conditional):
            stack.append(node.children)
            positions.append(0)
    return out
