"""Bundles the store tests build on."""

from __future__ import annotations

from types import MappingProxyType

from anki_template_designer.core.model import CardTemplate, Field, Note, NoteType
from anki_template_designer.formats.bundle import NoteTypeBundle

BASIC_BACK = "{{FrontSide}}<hr id=answer>{{Back}}"


def basic_bundle(name: str = "Basic", *, back: str = BASIC_BACK) -> NoteTypeBundle:
    """A two-field note type with one sample note and one media file."""
    notetype = NoteType(
        name=name,
        fields=(Field("Front", MappingProxyType({"font": "Arial", "size": 20})), Field("Back")),
        templates=(CardTemplate("Card 1", "{{Front}}", back),),
        css=".card { color: black; }",
    )
    sample = Note(MappingProxyType({"Front": "front text", "Back": "back text"}), tags=("demo",))
    return NoteTypeBundle(notetype, (sample,), MappingProxyType({"_font.woff": b"font bytes"}))
