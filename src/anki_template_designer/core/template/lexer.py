"""Split template source into tokens, as Anki's scanner does.

At each position Anki tries a ``{{…}}`` tag (ending at the first ``}}``), then an
HTML comment ``<!--…-->``; anything else is text. An unclosed ``{{`` or ``<!--``
is text. A template starting (after whitespace) with ``{{=<% %>=}}`` uses the
legacy ``<% %>`` delimiters throughout.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass

from .text_rules import RUST_WHITESPACE, rust_trim, rust_trim_start

ALT_SYNTAX_DIRECTIVE = "{{=<% %>=}}"
COMMENT_START = "<!--"
COMMENT_END = "-->"


class TokenKind(enum.Enum):
    """What a token is."""

    TEXT = "text"
    COMMENT = "comment"
    REPLACEMENT = "replacement"
    OPEN = "open"
    OPEN_NEGATED = "open-negated"
    CLOSE = "close"


@dataclass(frozen=True, slots=True)
class Token:
    """One token: ``value`` is the text, comment body, or tag content after classification."""

    kind: TokenKind
    value: str
    start: int
    end: int


def _classify(inner: str) -> tuple[TokenKind, str]:
    content = rust_trim(inner.lstrip("{"))
    if len(content) < 2:
        return TokenKind.REPLACEMENT, content
    first = content[0]
    if first == "#":
        return TokenKind.OPEN, rust_trim_start(content[1:])
    if first == "/":
        return TokenKind.CLOSE, rust_trim_start(content[1:])
    if first == "^":
        return TokenKind.OPEN_NEGATED, rust_trim_start(content[1:])
    return TokenKind.REPLACEMENT, content


def _syntax_start(source: str) -> tuple[int, str, str]:
    """Return (offset where tokens start, open delimiter, close delimiter)."""
    stripped = rust_trim_start(source)
    if not stripped.startswith(ALT_SYNTAX_DIRECTIVE):
        return 0, "{{", "}}"
    offset = len(source) - len(stripped)
    # Anki strips every repetition of the directive, not just the first.
    while source.startswith(ALT_SYNTAX_DIRECTIVE, offset):
        offset += len(ALT_SYNTAX_DIRECTIVE)
    return offset, "<%", "%>"


def tokenize(source: str) -> Iterator[Token]:
    """Yield the tokens of ``source`` with offsets into ``source``."""
    pos, open_tag, close_tag = _syntax_start(source)
    length = len(source)
    open_len, close_len = len(open_tag), len(close_tag)
    # Once a search fails it fails for the rest of the text, and a tag found
    # beyond a run of comments stays the next tag: remembering both keeps the
    # scan linear for any input.
    tags_possible = comments_possible = True
    tag_at = tag_close = -1
    while pos < length:
        if tags_possible and tag_at < pos:
            tag_at = source.find(open_tag, pos)
            tag_close = source.find(close_tag, tag_at + open_len) if tag_at >= 0 else -1
            if tag_close < 0:
                tags_possible = False
                tag_at = -1
        comment_at = -1
        comment_close = -1
        if comments_possible:
            limit = tag_at if tag_at >= 0 else length
            comment_at = source.find(COMMENT_START, pos, limit)
            if comment_at >= 0:
                comment_close = source.find(COMMENT_END, comment_at + 4)
                if comment_close < 0:
                    comments_possible = False
                    comment_at = -1
            elif tag_at < 0:
                comments_possible = False
        if comment_at >= 0:
            if comment_at > pos:
                yield Token(TokenKind.TEXT, source[pos:comment_at], pos, comment_at)
            end = comment_close + 3
            yield Token(TokenKind.COMMENT, source[comment_at + 4 : comment_close], comment_at, end)
            pos = end
        elif tag_at >= 0:
            if tag_at > pos:
                yield Token(TokenKind.TEXT, source[pos:tag_at], pos, tag_at)
            end = tag_close + close_len
            kind, value = _classify(source[tag_at + open_len : tag_close])
            yield Token(kind, value, tag_at, end)
            pos = end
        else:
            yield Token(TokenKind.TEXT, source[pos:], pos, length)
            return


__all__ = ["RUST_WHITESPACE", "Token", "TokenKind", "tokenize"]
