"""Lexer and parser: tokens, AST shape, spans and section errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anki_template_designer.core.template import (
    Comment,
    Conditional,
    ErrorKind,
    Replacement,
    TemplateSyntaxError,
    Text,
    parse,
)
from anki_template_designer.core.template.lexer import TokenKind, tokenize
from anki_template_designer.core.template.nodes import Node, Span


def kinds(source: str) -> list[tuple[TokenKind, str]]:
    return [(t.kind, t.value) for t in tokenize(source)]


def test_tag_ends_at_first_closing_braces() -> None:
    assert kinds("{{a}}}") == [(TokenKind.REPLACEMENT, "a"), (TokenKind.TEXT, "}")]
    assert kinds("{{{a}}}") == [(TokenKind.REPLACEMENT, "a"), (TokenKind.TEXT, "}")]


def test_unclosed_tag_and_stray_close_are_text() -> None:
    assert kinds("a {{b") == [(TokenKind.TEXT, "a {{b")]
    assert kinds("a}} b") == [(TokenKind.TEXT, "a}} b")]
    assert kinds("{{x {{y}}") == [(TokenKind.REPLACEMENT, "x {{y")]


def test_comments_are_opaque() -> None:
    assert kinds("<!--{{a}}-->{{b}}") == [
        (TokenKind.COMMENT, "{{a}}"),
        (TokenKind.REPLACEMENT, "b"),
    ]
    assert kinds("<!-- {{a}}") == [(TokenKind.TEXT, "<!-- "), (TokenKind.REPLACEMENT, "a")]


def test_section_markers_and_trimming() -> None:
    assert kinds("{{ # A }}{{^B}}{{/ A}}") == [
        (TokenKind.OPEN, "A"),
        (TokenKind.OPEN_NEGATED, "B"),
        (TokenKind.CLOSE, "A"),
    ]
    # a lone marker character is a field name, as in Anki
    assert kinds("{{#}}") == [(TokenKind.REPLACEMENT, "#")]


def test_legacy_alternate_delimiters() -> None:
    assert kinds("  {{=<% %>=}}<%Front%> {{Back}}") == [
        (TokenKind.REPLACEMENT, "Front"),
        (TokenKind.TEXT, " {{Back}}"),
    ]


def test_filters_in_application_order() -> None:
    (node,) = parse("{{text:hint:Front}}").nodes
    assert node == Replacement("Front", ("hint", "text"), node.span)


def test_spans_track_lines_and_columns() -> None:
    template = parse("a\n  {{#F}}\n{{G}}{{/F}}")
    section = template.nodes[1]
    assert isinstance(section, Conditional)
    assert (section.span.line, section.span.column) == (2, 3)
    inner = section.children[1]
    assert isinstance(inner, Replacement)
    assert (inner.span.line, inner.span.column, inner.span.start, inner.span.end) == (3, 1, 11, 16)
    assert (section.close_span.line, section.close_span.column) == (3, 6)


def test_nested_sections_and_comments() -> None:
    template = parse("x{{#A}}<!--c-->{{^B}}y{{/B}}{{/A}}")
    assert isinstance(template.nodes[0], Text)
    outer = template.nodes[1]
    assert isinstance(outer, Conditional) and outer.key == "A" and not outer.negated
    assert isinstance(outer.children[0], Comment)
    inner = outer.children[1]
    assert isinstance(inner, Conditional) and inner.negated and inner.key == "B"


@pytest.mark.parametrize(
    ("source", "kind", "message", "line", "column"),
    [
        ("{{#A}}\n{{#B}}", ErrorKind.UNCLOSED_SECTION, "Missing '{{/B}}'", 2, 1),
        ("{{#A}}{{/B}}", ErrorKind.MISMATCHED_CLOSE, "Found '{{/B}}', but expected '{{/A}}'", 1, 7),
        (
            "ab\n {{/B}}",
            ErrorKind.ORPHAN_CLOSE,
            "Found '{{/B}}', but missing '{{#B}}' or '{{^B}}'",
            2,
            2,
        ),
    ],
)
def test_section_errors(source: str, kind: ErrorKind, message: str, line: int, column: int) -> None:
    with pytest.raises(TemplateSyntaxError) as caught:
        parse(source)
    error = caught.value
    assert error.kind is kind
    assert error.message(isolate=False) == message
    assert (error.span.line, error.span.column) == (line, column)


def test_anki_error_html_isolates_and_escapes() -> None:
    with pytest.raises(TemplateSyntaxError) as caught:
        parse("{{/B}}")
    html = caught.value.anki_html(front=False)
    assert html.startswith("Back template has a problem:<br>Found &#x27;\u2068{{/B}}\u2069&#x27;")
    assert html.endswith("#template-syntax-error'>More information</a>")


def test_deep_nesting_does_not_recurse() -> None:
    depth = 50_000
    template = parse("{{#A}}" * depth + "x" + "{{/A}}" * depth)
    assert isinstance(template.nodes[0], Conditional)


TEMPLATE_PIECES = st.sampled_from(
    ["{{F}}", "{{#F}}", "{{/F}}", "{{^G}}", "{{/G}}", "{{ {a:b:F }}", "<!--", "-->", "{{", "}}",
     "\n", "\r\n", "x", " ", "日本", "🙂", "e\u0301", "<%F%>", "<%#F%>", "<%/F%>", "{"]
)  # fmt: skip


def _spans(nodes: tuple[Node, ...]) -> list[tuple[Node, Span]]:
    out: list[tuple[Node, Span]] = []
    for node in nodes:
        out.append((node, node.span))
        if isinstance(node, Conditional):
            out.extend(_spans(node.children))
            out.append((node, node.close_span))
    return out


@settings(max_examples=500, derandomize=True, deadline=None)
@given(st.booleans(), st.lists(TEMPLATE_PIECES, max_size=14).map("".join))
def test_spans_tile_the_source_with_exact_lines_and_columns(alt: bool, body: str) -> None:
    # Every node (and every section's closing tag) covers exactly its own source text, in
    # document order with no gaps; line and column (1-based, in characters) match the offset.
    source = (" \n{{=<% %>=}}" if alt else "") + body
    try:
        template = parse(source)
    except TemplateSyntaxError:
        return
    spans = _spans(template.nodes)
    position = len(source) - len(body)
    for node, span in spans:
        assert span.start == position, (source, node)
        assert span.line == source.count("\n", 0, span.start) + 1
        assert span.column == span.start - (source.rfind("\n", 0, span.start) + 1) + 1
        covered = source[span.start : span.end]
        if isinstance(node, Text):
            assert covered == node.text
        elif isinstance(node, Comment):
            assert covered == f"<!--{node.text}-->"
        else:
            assert covered.startswith("<%" if alt else "{{")
            assert covered.endswith("%>" if alt else "}}")
        position = span.end
    assert position == len(source)
