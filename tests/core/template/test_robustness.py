"""Arbitrary input never crashes the engine, and large input scales about linearly."""

from __future__ import annotations

import itertools
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
# Lone surrogates too: JSON's "\\udXXX" escapes make them, and Python strings hold them.
ANY_TEXT = st.one_of(
    st.text(max_size=60),
    SYNTAX,
    st.text(
        st.one_of(
            st.sampled_from("{}:c1[]<> "),
            st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, exclude_categories=()),
        ),
        max_size=20,
    ),
)

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


EVERY_FILTER = "".join(
    "{{" + chain + "Front}}"
    for chain in (
        "", "text:", "hint:", "furigana:", "kana:", "kanji:", "cloze:", "cloze-only:",
        "type:", "type:cloze:", "type:nc:", "tts en_US voices=A speed=2:", "unknown:",
        "tts en_US cloze_blank=_:cloze:", "hint:text:furigana:",
    )
)  # fmt: skip


@settings(max_examples=300, derandomize=True, deadline=None)
@given(ANY_TEXT, ANY_TEXT, st.sampled_from(list(NoteTypeKind)))
def test_every_filter_takes_any_text(value1: str, value2: str, kind: NoteTypeKind) -> None:
    nt = notetype(EVERY_FILTER + "{{hint:Back}}", "{{FrontSide}}" + EVERY_FILTER, kind)
    cards = render_note(nt, Note(fields=MappingProxyType({"Front": value1, "Back": value2})))
    assert cards


@settings(max_examples=400, derandomize=True, deadline=None)
@given(ANY_TEXT)
def test_parse_raises_only_template_syntax_error(source: str) -> None:
    try:
        parse(source)
    except TemplateSyntaxError as error:
        assert error.span.line >= 1


_CALLS = itertools.count()


def _render(front: str, value: str) -> None:
    # Parses are cached by source text: a new suffix each call makes every render parse
    # (else a timing would measure the lexer and parser once, in the warm-up, and never again).
    front += f"<i>{next(_CALLS)}</i>"
    nt = notetype(front, "{{FrontSide}}<hr id=answer>{{Back}}", NoteTypeKind.STANDARD)
    note = Note(fields=MappingProxyType({"Front": value, "Back": value}))
    render_note(nt, note)


def _times(unit: str, size: int) -> str:
    """``unit`` repeated to about ``size`` characters."""
    return unit * max(1, size // len(unit))


# (template, field) builders from a size in characters; each stresses one scanner, and the
# repeated part (template or field) is about ``size`` characters long.
PATHOLOGICAL: dict[str, Callable[[int], tuple[str, str]]] = {
    "unclosed tags": lambda n: ("{{Front}}" + _times("{{", n), "x"),
    "unclosed comments": lambda n: ("{{Front}}" + _times("<!--{{", n), "x"),
    "comments before a tag": lambda n: (_times("<!---->", n) + "{{Front}}", "x"),
    "tags after comments": lambda n: (_times("<!--c-->{{Front}}", n), "x"),
    "many replacements": lambda n: (_times("{{Front}}", n), "x"),
    "deep sections": lambda n: (
        _times("{{#Front}}", n // 2) + "{{Front}}" + _times("{{/Front}}", n // 2),
        "x",
    ),
    "unclosed ruby": lambda n: ("{{furigana:Front}}{{kana:Back}}", _times("a[", n)),
    "ruby pairs": lambda n: ("{{furigana:Front}}", _times("漢[かん] ", n)),
    "unclosed clozes": lambda n: ("{{cloze:Front}}", _times("{{c1::", n)),
    "mathjax openers": lambda n: ("{{cloze:Front}}", "{{c1::x}}" + _times("\\(", n)),
    "html soup": lambda n: ("{{text:Front}}", _times("<style<script<!--&amp;", n)),
    "sound tags": lambda n: ("{{Front}}", _times("[sound:a.mp3][anki:tts lang=en]", n)),
    "hints": lambda n: ("{{hint:Front}}{{text:Back}}", _times("<b>x</b> ", n)),
}


@pytest.mark.parametrize("case", sorted(PATHOLOGICAL))
def test_large_input_scales_linearly(case: str, scaling_ratio: ScalingRatio) -> None:
    # 100 kB against 1 MB of template or field text: linear is ~10x, quadratic ~100x.
    build = PATHOLOGICAL[case]
    ratio = scaling_ratio(lambda n: _render(*build(n)), 100_000, 1_000_000)
    assert ratio < 40, f"{case}: 10x the input took {ratio:.0f}x the time"


def test_one_megabyte_field_renders() -> None:
    value = ("日本[にほん] {{c1::x::y}} <b>b</b> [sound:a.mp3] " * 25_000)[:1_000_000]
    assert len(value) == 1_000_000
    nt = notetype(
        "{{Front}}{{furigana:Front}}{{text:Front}}", "{{FrontSide}}", NoteTypeKind.STANDARD
    )
    (card,) = render_note(nt, Note(fields=MappingProxyType({"Front": value})))
    assert len(card.question) > 1_000_000
