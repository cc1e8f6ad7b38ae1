"""Built-in filters: hint ids, ruby filters, type-answer markers, tts, unknown filters."""

from __future__ import annotations

from anki_template_designer.core.template.filters import (
    FilterContext,
    apply_filters,
    furigana,
    hint,
    kana,
    kanji,
)

QUESTION = FilterContext(cloze_ordinal=1, question=True)


def test_hint_id_is_anki_blake3_prefix() -> None:
    assert hint("foo", "field") == (
        '\n<a class=hint href="#"\n'
        "onclick=\"this.style.display='none';\n"
        "document.getElementById('hint83fe48607f0f3a66').style.display='block';\n"
        'return false;" draggable=false>\nfield</a>\n'
        '<div id="hint83fe48607f0f3a66" class=hint style="display: none">foo</div>\n'
    )
    assert hint(" \n", "field") == " \n"


def test_ruby_filters() -> None:
    text = "test first[second] third[fourth]"
    assert kana(text) == "testsecondfourth"
    assert kanji(text) == "testfirstthird"
    assert furigana("first[second]") == "<ruby><rb>first</rb><rt>second</rt></ruby>"
    assert furigana("a[sound:x.mp3]") == "a[sound:x.mp3]"
    assert kana("日本&nbsp;語[ご]") == "日本ご"


def test_type_markers_replace_the_chain() -> None:
    assert apply_filters("x", ("cloze", "type"), "Text", QUESTION) == "[[type:cloze:Text]]"
    assert apply_filters("x", ("nc", "type"), "Text", QUESTION) == "[[type:nc:Text]]"
    assert apply_filters("x", ("some", "unknown", "type"), "Text", QUESTION) == "[[type:Text]]"


def test_tts_and_empty_filter() -> None:
    assert apply_filters("foo", ("tts en_US voices=Bob,Jane",), "F", QUESTION) == (
        "[anki:tts lang=en_US voices=Bob,Jane]foo[/anki:tts]"
    )
    assert apply_filters("foo", ("",), "F", QUESTION) == "foo"


def test_unknown_filter_stops_the_chain() -> None:
    assert apply_filters("a[b]", ("nope", "kana"), "F", QUESTION) == "a[b]"
    assert apply_filters("a[b]", ("kana", "nope"), "F", QUESTION) == "b"


def test_cloze_filter_per_side() -> None:
    text = "{{c1::one}} {{c2::two::hint}}"
    assert apply_filters(text, ("cloze",), "T", QUESTION) == (
        '<span class="cloze" data-cloze="one" data-ordinal="1">[...]</span> '
        '<span class="cloze-inactive" data-ordinal="2">two</span>'
    )
    assert apply_filters(text, ("cloze",), "T", FilterContext(3, False)) == ""


def test_hint_takes_lone_surrogates() -> None:
    # Not text Anki can store (requests with it are refused), but the engine stays total.
    assert 'class=hint style="display: none">a\ud800</div>' in hint("a\ud800", "F\udc00")
