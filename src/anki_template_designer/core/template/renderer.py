"""Render a parsed template for one card side."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Set
from dataclasses import dataclass
from typing import Protocol

from .errors import ErrorKind, TemplateSyntaxError
from .filters import FilterContext, apply_filters
from .nodes import Comment, Conditional, Node, Replacement, Template, Text

_CLOZE_CONDITIONAL = re.compile(r"c\+?[0-9]+", re.ASCII)
_U32_MAX = 0xFFFFFFFF


def is_cloze_conditional(key: str) -> bool:
    """``{{#c3}}`` style keys: 'c' then a number Rust's u32 parser accepts."""
    if _CLOZE_CONDITIONAL.fullmatch(key) is None:
        return False
    digits = key[1:].lstrip("+").lstrip("0")
    return len(digits) <= 10 and int(digits or "0") <= _U32_MAX


class RenderProbe(Protocol):
    """Watches a render: may stop it between nodes, and is told what each filter chain cost.

    The renderer calls ``check`` before every replacement and section, so a probe that raises
    there (a superseded or overdue render) stops the render at the next node. ``replacement``
    receives the seconds spent applying one replacement's filters; a profiler sums them by
    node span to find the filter or section that dominates a template's render time.
    """

    def check(self) -> None:
        """Raise to stop the render; return to let it go on."""

    def replacement(self, node: Replacement, question: bool, seconds: float) -> None:
        """One replacement with filters was rendered on the question (or answer) side."""


@dataclass(frozen=True, slots=True)
class RenderContext:
    """Field values (special fields included), which are non-empty, the card and side."""

    fields: Mapping[str, str]
    nonempty: Set[str]
    filter_context: FilterContext
    frontside: str | None = None
    probe: RenderProbe | None = None


def _unknown_field(node: Replacement) -> TemplateSyntaxError:
    shown = ":".join((*reversed(node.filters), node.key))
    return TemplateSyntaxError(ErrorKind.NO_SUCH_FIELD, node.span, shown, node.key)


def _condition(node: Conditional, context: RenderContext) -> bool:
    key = node.key
    if key in context.nonempty:
        return not node.negated
    if key in context.fields or is_cloze_conditional(key):
        return node.negated
    prefix = "^" if node.negated else "#"
    raise TemplateSyntaxError(ErrorKind.NO_SUCH_FIELD, node.span, prefix + key, key)


def render(template: Template, context: RenderContext) -> str:
    """Render ``template``; raise TemplateSyntaxError for the first unknown field or section key.

    Sections whose condition is false are still walked, because Anki reports
    errors inside them too.
    """
    out: list[str] = []
    fields = context.fields
    probe = context.probe
    # Explicit stack instead of recursion: sections may nest arbitrarily deep.
    stack: list[tuple[tuple[Node, ...], int, bool]] = [(template.nodes, 0, True)]
    while stack:
        nodes, index, emit = stack.pop()
        for position in range(index, len(nodes)):
            node = nodes[position]
            if isinstance(node, Text):
                if emit:
                    out.append(node.text)
            elif isinstance(node, Replacement):
                if probe is not None:
                    probe.check()
                key = node.key
                if key == "FrontSide":
                    if emit and context.frontside:
                        out.append(context.frontside)
                    continue
                if not key and node.filters:
                    continue
                value = fields.get(key)
                if value is None:
                    raise _unknown_field(node)
                if emit:
                    if node.filters:
                        if probe is None:
                            value = apply_filters(value, node.filters, key, context.filter_context)
                        else:
                            value = _probed_filters(value, node, context.filter_context, probe)
                    out.append(value)
            elif isinstance(node, Conditional):
                if probe is not None:
                    probe.check()
                shown = _condition(node, context) and emit
                stack.append((nodes, position + 1, emit))
                stack.append((node.children, 0, shown))
                break
            elif isinstance(node, Comment) and emit:
                out.append(f"<!--{node.text}-->")
    return "".join(out)


def _probed_filters(
    value: str, node: Replacement, filter_context: FilterContext, probe: RenderProbe
) -> str:
    started = time.perf_counter()
    value = apply_filters(value, node.filters, node.key, filter_context)
    probe.replacement(node, filter_context.question, time.perf_counter() - started)
    return value


def renders_nonempty(template: Template, nonempty: Set[str], check_negated: bool = True) -> bool:
    """True if the template shows at least one non-empty field (Anki's blank-card test)."""
    stack: list[tuple[Node, ...]] = [template.nodes]
    while stack:
        for node in stack.pop():
            if isinstance(node, Replacement):
                if node.key in nonempty:
                    return True
            elif isinstance(node, Conditional):
                if node.negated:
                    if check_negated and node.key in nonempty:
                        continue
                elif node.key not in nonempty:
                    continue
                stack.append(node.children)
    return False
