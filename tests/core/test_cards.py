"""Card generation: which ordinals a note creates."""

from __future__ import annotations

from types import MappingProxyType

from anki_template_designer.core import (
    CardTemplate,
    Field,
    Note,
    NoteType,
    NoteTypeKind,
    generated_card_ords,
)

FIELDS = (Field("Front"), Field("Back"), Field("Add Reverse"))


def standard(*fronts: str) -> NoteType:
    return NoteType(
        name="T",
        fields=FIELDS,
        templates=tuple(CardTemplate(f"Card {i + 1}", f, "") for i, f in enumerate(fronts)),
    )


def note(tags: tuple[str, ...] = (), **values: str) -> Note:
    return Note(fields=MappingProxyType(values), tags=tags)


def test_optional_reverse() -> None:
    nt = standard("{{Front}}", "{{#Add Reverse}}{{Back}}{{/Add Reverse}}")
    assert generated_card_ords(nt, note(Front="a", Back="b")) == [0]
    assert generated_card_ords(nt, note(Front="a", Back="b", **{"Add Reverse": "y"})) == [0, 1]


def test_no_card_qualifies_gives_card_zero() -> None:
    nt = standard("{{Back}}", "{{^Front}}{{Back}}{{/Front}}")
    assert generated_card_ords(nt, note(Front="a")) == [0]


def test_special_fields_count_except_frontside_and_empty_tags() -> None:
    assert generated_card_ords(standard("{{Back}}", "{{Deck}}"), note(Front="a")) == [1]
    assert generated_card_ords(standard("{{Back}}", "{{Tags}}"), note()) == [0]
    assert generated_card_ords(standard("{{Back}}", "{{Tags}}"), note(tags=("x",))) == [1]
    assert generated_card_ords(standard("{{Back}}", "{{FrontSide}}"), note(Front="a")) == [0]


def test_unparsable_front_makes_no_card() -> None:
    assert generated_card_ords(standard("{{Back}}", "{{#Front}}{{Front}}"), note(Front="a")) == [0]


def test_cloze_ordinals_capped_and_sorted() -> None:
    nt = NoteType(
        name="C",
        kind=NoteTypeKind.CLOZE,
        fields=(Field("Text"), Field("Extra")),
        templates=(CardTemplate("Cloze", "{{cloze:Text}}", "{{cloze:Text}}"),),
    )
    assert generated_card_ords(
        nt, note(Text="{{c3::a}} {{c1::b}} {{c600::y}}", Extra="{{c700::x}}")
    ) == [
        0,
        2,
        499,
        499,
    ]
    assert generated_card_ords(nt, note(Text="no clozes")) == [0]
