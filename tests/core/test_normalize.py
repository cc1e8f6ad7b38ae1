"""Text Anki cannot store is refused before rendering, with a message that says where."""

from __future__ import annotations

import dataclasses
from types import MappingProxyType

import pytest

from anki_template_designer.core import CardTemplate, Field, Note, NoteType
from anki_template_designer.core.errors import CoreError, NotUnicodeError
from anki_template_designer.core.normalize import as_saved_by_anki

SURROGATE = "\ud800"
BASIC = NoteType(
    name="Basic",
    fields=(Field("Front"), Field("Back")),
    templates=(CardTemplate("Card 1", "{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}"),),
)
NOTE = Note(fields=MappingProxyType({"Front": "a", "Back": "b"}), tags=("t",))


def _with_card(**changes: str) -> NoteType:
    return dataclasses.replace(
        BASIC, templates=(dataclasses.replace(BASIC.templates[0], **changes),)
    )


@pytest.mark.parametrize(
    ("notetype", "note", "where"),
    [
        (BASIC, dataclasses.replace(NOTE, fields=MappingProxyType({"Front": "x" + SURROGATE})),
         "field 'Front'"),
        (BASIC, dataclasses.replace(NOTE, tags=("ok", SURROGATE)), "tag '\\ud800'"),
        (BASIC, dataclasses.replace(NOTE, deck="A::" + SURROGATE), "the deck name"),
        (dataclasses.replace(BASIC, name=SURROGATE), NOTE, "the note type's name"),
        (dataclasses.replace(BASIC, css=SURROGATE), NOTE, "the note type's CSS"),
        (dataclasses.replace(BASIC, fields=(Field("F" + SURROGATE),)), NOTE,
         "field name 'F\\ud800'"),
        (_with_card(name=SURROGATE), NOTE, "card type name '\\ud800'"),
        (_with_card(front="{{Front}}" + SURROGATE), NOTE, "the front template of card type"),
        (_with_card(back=SURROGATE), NOTE, "the back template of card type"),
        (_with_card(browser_front=SURROGATE), NOTE, "the browser front template"),
    ],
)  # fmt: skip
def test_lone_surrogates_are_refused(notetype: NoteType, note: Note, where: str) -> None:
    with pytest.raises(NotUnicodeError) as raised:
        as_saved_by_anki(notetype, note)
    message = str(raised.value)
    assert message.startswith(where), message
    assert "lone surrogate U+D800" in message
    assert isinstance(raised.value, CoreError)


def test_unicode_text_passes() -> None:
    saved_type, saved_note = as_saved_by_anki(
        _with_card(front="日本 🙂 e\u0301 {{Front}}"),
        dataclasses.replace(NOTE, fields=MappingProxyType({"Front": "🙂\u0301"})),
    )
    assert saved_note.fields["Front"] == "🙂\u0301"
    assert saved_type.templates[0].front == "日本 🙂 e\u0301 {{Front}}"
