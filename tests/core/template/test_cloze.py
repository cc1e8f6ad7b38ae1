"""Cloze parsing, reveal on each side, numbering and image occlusion."""

from __future__ import annotations

from anki_template_designer.core.template.cloze import (
    Cloze,
    cloze_numbers,
    cloze_text_for_typing,
    parse_clozes,
    reveal_cloze_text,
    reveal_cloze_text_only,
)
from anki_template_designer.core.template.escaping import encode_attribute
from anki_template_designer.core.template.image_occlusion import image_cloze_data


def test_ordinals_are_deduplicated_sorted_and_u16() -> None:
    (cloze,) = parse_clozes("{{c2,1,2,070000,01::x}}")
    assert isinstance(cloze, Cloze)
    assert cloze.ordinals == (1, 2)


def test_invalid_openers_stay_text_and_unclosed_clozes_are_dropped() -> None:
    assert parse_clozes("{{c::x}} and }}") == ("{{c::x", "}}", " and ", "}}")
    assert parse_clozes("a {{c1::b") == ("a ",)


def test_question_answer_and_inactive_spans() -> None:
    text = "{{c1::Paris::capital}} is in {{c2::France}}"
    assert reveal_cloze_text(text, 1, True) == (
        '<span class="cloze" data-cloze="Paris" data-ordinal="1">[capital]</span> is in '
        '<span class="cloze-inactive" data-ordinal="2">France</span>'
    )
    assert reveal_cloze_text(text, 1, False).startswith(
        '<span class="cloze" data-ordinal="1">Paris</span>'
    )
    assert reveal_cloze_text(text, 3, True) == ""


def test_nested_clozes_reveal_inside_out() -> None:
    text = "{{c1::outer {{c2::inner}}}}"
    assert reveal_cloze_text(text, 2, True) == (
        '<span class="cloze-inactive" data-ordinal="1">outer '
        '<span class="cloze" data-cloze="inner" data-ordinal="2">[...]</span></span>'
    )
    assert cloze_numbers([text]) == {1, 2}


def test_cloze_only_and_typing_text() -> None:
    text = "{{c1::a}} {{c1::b::h}} {{c2::c}}"
    assert reveal_cloze_text_only(text, 1, True) == "..., h"
    assert reveal_cloze_text_only(text, 1, False) == "a, b"
    assert cloze_text_for_typing("{{c1::x}} {{c1::x}}", 1) == "x"


def test_attribute_escaping_matches_htmlescape() -> None:
    assert encode_attribute("a&b<c>\"d' e\u00e9\u0100~\t") == (
        "a&amp;b&lt;c&gt;&quot;d&#x27;&#x20;e&#xE9;\u0100&#x7E;&#x09;"
    )


def test_image_occlusion_data_attributes() -> None:
    assert image_cloze_data("rect:left=.2:top=.3:width=.2:height=0") == (
        'data-shape="rect" data-left=".2" data-top=".3" data-width=".2" '
    )
    assert image_cloze_data("rect:left=:top=1") == 'data-shape="rect" '
    assert (
        image_cloze_data("rect:left=a\\:b:top=1")
        == 'data-shape="rect" data-left="a:b" data-top="1" '
    )
    assert image_cloze_data("polygon:points=1,2 3,4 5 6,7:oi=1") == (
        'data-shape="polygon" data-points="1,2 3,4 6,7" data-occludeInactive="1" '
    )
    assert image_cloze_data("rect") == ""
