"""A render probe sees every filtered replacement and can stop a render between nodes."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from anki_template_designer.core import (
    CardTemplate,
    Field,
    Note,
    NoteType,
    NoteTypeKind,
    render_card,
)
from anki_template_designer.core.template.nodes import Replacement


class Stop(Exception):
    pass


class RecordingProbe:
    def __init__(self, stop_after: int | None = None) -> None:
        self.checks = 0
        self.stop_after = stop_after
        self.seen: list[tuple[str, tuple[str, ...], bool, float]] = []

    def check(self) -> None:
        self.checks += 1
        if self.stop_after is not None and self.checks > self.stop_after:
            raise Stop

    def replacement(self, node: Replacement, question: bool, seconds: float) -> None:
        self.seen.append((node.key, node.filters, question, seconds))


NOTETYPE = NoteType(
    name="Vocab",
    kind=NoteTypeKind.STANDARD,
    fields=(Field("Word"), Field("Reading"), Field("Extra")),
    templates=(
        CardTemplate(
            "Card 1",
            "{{Word}} {{#Reading}}{{furigana:Reading}}{{/Reading}}",
            "{{FrontSide}}<hr id=answer>{{text:Extra}} {{hint:Extra}}",
        ),
    ),
)
NOTE = Note(
    fields=MappingProxyType({"Word": "日本", "Reading": "日本[にほん]", "Extra": "<b>x</b>"})
)


def test_probe_does_not_change_the_card() -> None:
    assert render_card(NOTETYPE, NOTE, 0, RecordingProbe()) == render_card(NOTETYPE, NOTE, 0)


def test_probe_is_told_each_filtered_replacement_with_its_side() -> None:
    probe = RecordingProbe()
    render_card(NOTETYPE, NOTE, 0, probe)
    assert [(key, filters, question) for key, filters, question, _ in probe.seen] == [
        ("Reading", ("furigana",), True),
        ("Extra", ("text",), False),
        ("Extra", ("hint",), False),
    ]
    assert all(seconds >= 0 for *_, seconds in probe.seen)
    # Word, the section, Reading on the front; FrontSide, Extra twice on the back.
    assert probe.checks == 6


def test_probe_that_raises_stops_the_render() -> None:
    probe = RecordingProbe(stop_after=2)
    with pytest.raises(Stop):
        render_card(NOTETYPE, NOTE, 0, probe)
    assert probe.checks == 3
    assert probe.seen == []


def test_probe_is_checked_in_sections_whose_condition_is_false() -> None:
    # Anki walks hidden sections for their errors, so a hanging template cannot hide in one.
    note = Note(fields=MappingProxyType({"Word": "w", "Reading": "", "Extra": ""}))
    probe = RecordingProbe()
    render_card(NOTETYPE, note, 0, probe)
    assert probe.checks == 6
    # The hidden furigana is not applied; empty fields are still filtered, as in Anki.
    assert [key for key, *_ in probe.seen] == ["Extra", "Extra"]
