"""Build the AST from tokens, reporting section errors as Anki does."""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache
from typing import Protocol

from .errors import ErrorKind, TemplateSyntaxError
from .lexer import TokenKind, tokenize
from .nodes import Comment, Conditional, Node, Replacement, Span, Template, Text


class _LineIndex:
    """Turns offsets into 1-based line and column numbers."""

    def __init__(self, source: str) -> None:
        self._starts = [0]
        find = source.find
        at = find("\n")
        while at >= 0:
            self._starts.append(at + 1)
            at = find("\n", at + 1)

    def span(self, start: int, end: int) -> Span:
        line = bisect_right(self._starts, start)
        return Span(start, end, line, start - self._starts[line - 1] + 1)


def split_replacement(content: str) -> tuple[str, tuple[str, ...]]:
    """Split ``a:b:Field`` into the field name and filters in application order."""
    parts = content.split(":")
    return parts[-1], tuple(reversed(parts[:-1]))


def parse(source: str) -> Template:
    """Parse template source; raise TemplateSyntaxError for section errors (first one found)."""
    lines = _LineIndex(source)
    # Each open section: (key, negated, span, children collected so far).
    stack: list[tuple[str, bool, Span, list[Node]]] = []
    top: list[Node] = []
    current = top
    for token in tokenize(source):
        span = lines.span(token.start, token.end)
        kind = token.kind
        if kind is TokenKind.TEXT:
            current.append(Text(token.value, span))
        elif kind is TokenKind.REPLACEMENT:
            key, filters = split_replacement(token.value)
            current.append(Replacement(key, filters, span))
        elif kind is TokenKind.COMMENT:
            current.append(Comment(token.value, span))
        elif kind is TokenKind.CLOSE:
            if not stack:
                raise TemplateSyntaxError(ErrorKind.ORPHAN_CLOSE, span, token.value)
            key, negated, open_span, _ = stack[-1]
            if key != token.value:
                raise TemplateSyntaxError(ErrorKind.MISMATCHED_CLOSE, span, token.value, key)
            stack.pop()
            section = Conditional(key, negated, tuple(current), open_span, span)
            current = stack[-1][3] if stack else top
            current.append(section)
        else:
            stack.append((token.value, kind is TokenKind.OPEN_NEGATED, span, []))
            current = stack[-1][3]
    if stack:
        key, _, open_span, _ = stack[-1]
        raise TemplateSyntaxError(ErrorKind.UNCLOSED_SECTION, open_span, key)
    return Template(tuple(top), source)


Parsed = Template | TemplateSyntaxError


class ParseCache(Protocol):
    """Where ``parse_cached`` keeps parsed templates: anything with ``get`` and ``put``."""

    def get(self, source: str, /) -> Parsed | None:
        """The parse of ``source`` if kept, else None."""

    def put(self, source: str, parsed: Parsed, /) -> object:
        """Keep ``parsed`` as the parse of ``source`` (or not: a cache may refuse)."""


def _parse_or_error(source: str) -> Parsed:
    try:
        return parse(source)
    except TemplateSyntaxError as error:
        return error


# Without an installed cache (the CLI, the engine as a library) a plain LRU by source text.
_parse_lru = lru_cache(maxsize=2048)(_parse_or_error)
_installed: ParseCache | None = None


def set_parse_cache(cache: ParseCache | None) -> None:
    """Keep parses in ``cache`` from now on; None restores the built-in LRU.

    The seam lets an application bound, count and switch off the cache (the server does)
    while this package stays free of it. Keys are the source text itself: a dict hashes it,
    and the equality check makes a collision impossible.
    """
    global _installed
    _installed = cache


def parse_cached(source: str) -> Parsed:
    """Parse once per distinct source text; a syntax error is cached and returned, not raised."""
    cache = _installed
    if cache is None:
        return _parse_lru(source)
    parsed = cache.get(source)
    if parsed is None:
        parsed = _parse_or_error(source)
        cache.put(source, parsed)
    return parsed
