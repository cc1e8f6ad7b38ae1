"""Static template checks: locations, Anki's wording, and agreement with rendering."""

from __future__ import annotations

from types import MappingProxyType

from hypothesis import given, settings
from hypothesis import strategies as st

from anki_template_designer.core import (
    CardTemplate,
    Field,
    Note,
    NoteType,
    NoteTypeKind,
    check_notetype,
    render_card,
)


def notetype(*sides: tuple[str, str], kind: NoteTypeKind = NoteTypeKind.STANDARD) -> NoteType:
    return NoteType(
        name="T",
        kind=kind,
        fields=(Field("Front"), Field("Back")),
        templates=tuple(CardTemplate(f"Card {i + 1}", q, a) for i, (q, a) in enumerate(sides)),
    )


def messages(nt: NoteType) -> list[tuple[str, str, int, int, str]]:
    return [(p.template, p.side, p.line, p.column, p.message) for p in check_notetype(nt)]


def test_syntax_error_location_and_wording() -> None:
    nt = notetype(("{{Front}}\n  {{#Back}}x{{/Front}}", "{{FrontSide}}"))
    assert messages(nt) == [
        ("Card 1", "front", 2, 13, "Found '{{/Front}}', but expected '{{/Back}}'")
    ]


def test_every_unknown_field_is_reported() -> None:
    nt = notetype(("{{Front}}{{Nope}}", "{{#Gone}}{{/Gone}}{{text:Missing}}"))
    assert [m[4] for m in messages(nt)] == [
        "Found '{{Nope}}', but there is no field called 'Nope'",
        "Found '{{#Gone}}', but there is no field called 'Gone'",
        "Found '{{text:Missing}}', but there is no field called 'Missing'",
    ]


def test_special_and_pseudo_fields() -> None:
    ok = notetype(
        ("{{Front}}{{Tags}}{{Deck}}{{Subdeck}}{{Card}}{{CardFlag}}{{CardID}}{{Type}}{{c1}}", "x"),
        ("{{Back}}{{c2}}{{#c7}}{{/c7}}", "{{FrontSide}}{{:Front}}{{foo:}}"),
    )
    assert messages(ok) == []
    assert [
        m[4] for m in messages(notetype(("{{Front}}{{c2}}", "{{#FrontSide}}{{/FrontSide}}")))
    ] == [
        "Found '{{c2}}', but there is no field called 'c2'",
        "Found '{{#FrontSide}}', but there is no field called 'FrontSide'",
    ]
    cloze = notetype(("{{cloze:Front}}{{c3}}", "{{cloze:Front}}"), kind=NoteTypeKind.CLOZE)
    assert messages(cloze) == []


def test_browser_sides_are_checked() -> None:
    nt = NoteType(
        name="T",
        fields=(Field("Front"),),
        templates=(CardTemplate("Card 1", "{{Front}}", "x", browser_front="{{#Front}}"),),
    )
    assert messages(nt) == [("Card 1", "browser front", 1, 1, "Missing '{{/Front}}'")]


PIECES = [
    "{{Front}}",
    "{{Back}}",
    "{{Nope}}",
    "{{#Front}}",
    "{{/Front}}",
    "{{^Back}}",
    "{{/Back}}",
    "{{c1}}",
    "{{c2}}",
    "{{FrontSide}}",
    "{{#FrontSide}}",
    "{{Tags}}",
    "x",
    "{{",
    "}}",
]
TEMPLATE = st.lists(st.sampled_from(PIECES), max_size=6).map("".join)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(TEMPLATE, TEMPLATE, st.sampled_from(["", "a"]))
def test_clean_check_means_no_error_on_the_card(front: str, back: str, value: str) -> None:
    nt = notetype((front, back))
    card = render_card(nt, Note(fields=MappingProxyType({"Front": value, "Back": value})), 0)
    shows_error = "template has a problem" in card.question
    if not check_notetype(nt):
        assert not shows_error
    if shows_error:
        assert check_notetype(nt)
