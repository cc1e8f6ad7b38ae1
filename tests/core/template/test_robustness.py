"""Arbitrary input never crashes the engine, and large input scales about linearly."""

from __future__ import annotations

from collections.abc import Callable
from types import MappingProxyType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anki_template_designer.core import (
    CardTemplate,
    Field,
    Note,
    NoteType,
    NoteTypeKind,
    TemplateSyntaxError,
    check_notetype,
    parse,
    render_note,
)

# Text biased towards the characters the template, cloze, ruby and audio syntaxes use.
SYNTAX = st.lists(
    st.sampled_from([*list("{}#^/:c1,[]<>!-=%\\() \n&;ab日"), "{{", "}}", "::", "sound:"]),
    max_size=40,
).map("".join)
ANY_TEXT = st.one_of(st.text(max_size=60), SYNTAX)

# The ``scaling_ratio`` fixture from tests/conftest.py.
ScalingRatio = Callable[[Callable[[int], object], int, int], float]


def notetype(front: str, back: str, kind: NoteTypeKind) -> NoteType:
    return NoteType(
        name="T",
        kind=kind,
        fields=(Field("Front"), Field("Back")),
        templates=(CardTemplate("Card 1", front, back),),
    )


@settings(max_examples=400, derandomize=True, deadline=None)
@given(ANY_TEXT, ANY_TEXT, ANY_TEXT, ANY_TEXT, st.sampled_from(list(NoteTypeKind)))
def test_any_text_renders_without_raising(
    front: str, back: str, value1: str, value2: str, kind: NoteTypeKind
) -> None:
    nt = notetype(front, back, kind)
    cards = render_note(nt, Note(fields=MappingProxyType({"Front": value1, "Back": value2})))
    assert cards
    check_notetype(nt)


@settings(max_examples=400, derandomize=True, deadline=None)
@given(ANY_TEXT)
def test_parse_raises_only_template_syntax_error(source: str) -> None:
    try:
        parse(source)
    except TemplateSyntaxError as error:
        assert error.span.line >= 1


def _render(front: str, value: str) -> None:
    nt = notetype(front, "{{FrontSide}}<hr id=answer>{{Back}}", NoteTypeKind.STANDARD)
    note = Note(fields=MappingProxyType({"Front": value, "Back": value}))
    render_note(nt, note)


# (template, field) builders from a repetition count; each stresses one scanner.
PATHOLOGICAL: dict[str, Callable[[int], tuple[str, str]]] = {
    "unclosed tags": lambda n: ("{{Front}}" + "{{" * n, "x"),
    "unclosed comments": lambda n: ("{{Front}}" + "<!--{{" * n, "x"),
    "comments before a tag": lambda n: ("<!---->" * n + "{{Front}}", "x"),
    "tags after comments": lambda n: ("<!--c-->{{Front}}" * n, "x"),
    "many replacements": lambda n: ("{{Front}}" * n, "x"),
    "deep sections": lambda n: ("{{#Front}}" * n + "{{Front}}" + "{{/Front}}" * n, "x"),
    "unclosed ruby": lambda n: ("{{furigana:Front}}{{kana:Back}}", "a[" * n),
    "ruby pairs": lambda n: ("{{furigana:Front}}", "漢[かん] " * n),
    "unclosed clozes": lambda n: ("{{cloze:Front}}", "{{c1::" * n),
    "mathjax openers": lambda n: ("{{cloze:Front}}", "{{c1::x}}" + "\\(" * n),
    "html soup": lambda n: ("{{text:Front}}", "<style<script<!--&amp;" * n),
    "sound tags": lambda n: ("{{Front}}", "[sound:a.mp3][anki:tts lang=en]" * n),
    "hints": lambda n: ("{{hint:Front}}{{text:Back}}", "<b>x</b> " * n),
}


@pytest.mark.parametrize("case", sorted(PATHOLOGICAL))
def test_large_input_scales_linearly(case: str, scaling_ratio: ScalingRatio) -> None:
    build = PATHOLOGICAL[case]
    ratio = scaling_ratio(lambda n: _render(*build(n)), 2_000, 20_000)
    assert ratio < 50, f"{case}: 10x the input took {ratio:.0f}x the time"


def test_one_megabyte_field_renders() -> None:
    value = ("日本[にほん] {{c1::x::y}} <b>b</b> [sound:a.mp3] " * 25_000)[:1_000_000]
    assert len(value) == 1_000_000
    nt = notetype(
        "{{Front}}{{furigana:Front}}{{text:Front}}", "{{FrontSide}}", NoteTypeKind.STANDARD
    )
    (card,) = render_note(nt, Note(fields=MappingProxyType({"Front": value})))
    assert len(card.question) > 1_000_000
