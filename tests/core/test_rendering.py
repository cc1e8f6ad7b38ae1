"""Whole-card rendering: special fields, FrontSide, blank and error cards."""

from __future__ import annotations

from types import MappingProxyType

from anki_template_designer.core import (
    CardTemplate,
    Field,
    Note,
    NoteType,
    NoteTypeKind,
    render_card,
    render_note,
)


def basic(front: str, back: str, *fields: str) -> NoteType:
    names = fields or ("Front", "Back")
    return NoteType(
        name="Basic",
        fields=tuple(Field(n) for n in names),
        templates=(CardTemplate("Card 1", front, back),),
        css=".card {}",
    )


def note(**values: str) -> Note:
    return Note(fields=MappingProxyType(values), tags=("b", "a"), deck="Lang::Japanese")


def test_frontside_carries_the_question_with_audio_replaced() -> None:
    card = render_card(
        basic("{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}"),
        note(Front="q [sound:a.mp3]", Back="b"),
        0,
    )
    assert card.question == "q [anki:play:q:0]"
    assert card.answer == "q [anki:play:q:0]<hr id=answer>b"
    assert card.css == ".card {}"


def test_special_fields_and_shadowing() -> None:
    nt = basic(
        "{{Tags}}|{{Deck}}|{{Subdeck}}|{{Card}}|{{CardFlag}}|{{Type}}|{{CardID}}|{{c1}}",
        "x",
        "Front",
        "Back",
    )
    assert render_card(nt, note(Front="f"), 0).question == (
        "b a|Lang::Japanese|Japanese|Card 1|flag0|Basic|0|1"
    )
    shadowed = basic("{{Deck}}", "x", "Deck")
    assert render_card(shadowed, note(Deck="mine"), 0).question == "mine"


def test_blank_front_message() -> None:
    card = render_card(basic("{{Back}}", "{{Front}}"), note(Front="f", Back=" <br> "), 0)
    assert card.question.endswith(
        "The front of this card is blank.<br><a href='https://docs."
        "ankiweb.net/templates/errors.html#front-of-card-is-blank'>"
        "More information</a></div>"
    )
    assert card.answer == card.question.removeprefix(" <br> ")


def test_error_replaces_both_sides_and_drops_css() -> None:
    card = render_card(basic("{{Front}}", "{{#Front}}"), note(Front="f"), 0)
    assert card.question == card.answer
    assert card.question.startswith("Back template has a problem:<br>Missing")
    assert card.css == ""


def test_cloze_cards_and_missing_cloze() -> None:
    nt = NoteType(
        name="Cloze",
        kind=NoteTypeKind.CLOZE,
        fields=(Field("Text"),),
        templates=(CardTemplate("Cloze", "{{cloze:Text}}", "{{cloze:Text}}"),),
    )
    cards = render_note(nt, note(Text="{{c1::a}} {{c3::b}}"))
    assert [c.ord for c in cards] == [0, 2]
    missing = render_card(nt, note(Text="{{c1::a}}"), 1)
    assert "No cloze \u20682\u2069 found on card." in missing.question
