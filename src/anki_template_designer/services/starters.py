"""Blank note types to start from: Anki's stock Basic and Cloze, each with one sample note."""

from __future__ import annotations

from types import MappingProxyType

from ..core.model import CardTemplate, Field, Note, NoteType, NoteTypeKind
from ..formats.bundle import NoteTypeBundle

# Anki's stock stylesheet for new note types (rslib/src/notetype/styling.css).
STOCK_CSS = """.card {
    font-family: arial;
    font-size: 20px;
    line-height: 1.5;
    text-align: center;
    color: black;
    background-color: white;
}
"""
# Cloze note types add the cloze colours (rslib/src/notetype/cloze_styling.css).
CLOZE_CSS = """.cloze {
    font-weight: bold;
    color: blue;
}
.nightMode .cloze {
    color: lightblue;
}
"""


def blank_bundle(name: str, kind: NoteTypeKind) -> NoteTypeBundle:
    """A new note type shaped like Anki's stock Basic or Cloze, with one sample note."""
    if kind is NoteTypeKind.CLOZE:
        notetype = NoteType(
            name=name,
            fields=(Field("Text"), Field("Back Extra")),
            templates=(
                CardTemplate("Cloze", "{{cloze:Text}}", "{{cloze:Text}}<br>\n{{Back Extra}}"),
            ),
            css=STOCK_CSS + "\n" + CLOZE_CSS,
            kind=NoteTypeKind.CLOZE,
        )
        fields = {"Text": "The capital of France is {{c1::Paris}}.", "Back Extra": ""}
    else:
        notetype = NoteType(
            name=name,
            fields=(Field("Front"), Field("Back")),
            templates=(
                CardTemplate("Card 1", "{{Front}}", "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}"),
            ),
            css=STOCK_CSS,
        )
        fields = {"Front": "What is the capital of France?", "Back": "Paris"}
    return NoteTypeBundle(notetype, (Note(MappingProxyType(fields)),))
