"""The starter gallery: every starter lints clean, renders its samples, makes the right cards."""

from __future__ import annotations

import re

import pytest

from anki_template_designer.core.cards import generated_card_ords
from anki_template_designer.core.lint import lint_notetype
from anki_template_designer.core.model import NoteTypeKind
from anki_template_designer.core.rendering import render_note
from anki_template_designer.core.template.check import check_notetype
from anki_template_designer.formats.folder_layout import render_files
from anki_template_designer.services.gallery import (
    STARTERS_DIR,
    Starter,
    UnknownStarter,
    starter,
    starter_bundle,
    starters,
)

# Per starter: card type names, and the card ordinals each sample note makes.
EXPECTED: dict[str, tuple[list[str], list[list[int]]]] = {
    "basic": (["Card 1"], [[0], [0], [0]]),
    "basic-reversed": (["Card 1", "Card 2"], [[0, 1], [0, 1], [0, 1]]),
    # The second sample leaves "Add Reverse" empty: no reversed card for it.
    "basic-optional-reversed": (["Card 1", "Card 2"], [[0, 1], [0], [0, 1]]),
    "type-in": (["Card 1"], [[0], [0], [0]]),
    # Cloze cards are numbered by cloze: c1 and c2, c1 and c2, c1 only.
    "cloze": (["Cloze"], [[0, 1], [0, 1], [0]]),
    "vocabulary": (["Recognition", "Recall"], [[0, 1], [0, 1], [0, 1]]),
    "image-labels": (["Labels"], [[0], [0]]),
    "definition": (["Define", "Name the term"], [[0, 1], [0, 1], [0, 1]]),
}

ALL = starters()


def test_the_gallery_has_every_starter_in_order() -> None:
    assert [s.id for s in ALL] == list(EXPECTED)
    assert len({s.notetype.name for s in ALL}) == len(ALL), "starter names must differ"


@pytest.mark.parametrize("entry", ALL, ids=lambda s: s.id)
def test_lints_clean_in_every_severity(entry: Starter) -> None:
    found = lint_notetype(entry.notetype, entry.bundle.samples)
    assert found == [], "\n".join(f"{d.rule} ({d.severity}): {d.message}" for d in found)


@pytest.mark.parametrize("entry", ALL, ids=lambda s: s.id)
def test_samples_render_without_errors_and_make_the_expected_cards(entry: Starter) -> None:
    card_types, per_sample = EXPECTED[entry.id]
    assert [t.name for t in entry.notetype.templates] == card_types
    assert check_notetype(entry.notetype) == []
    assert 2 <= len(entry.bundle.samples) <= 3
    assert [sorted(set(generated_card_ords(entry.notetype, n))) for n in entry.bundle.samples] == (
        per_sample
    )
    for note in entry.bundle.samples:
        for card in render_note(entry.notetype, note):
            for side in (card.question, card.answer):
                assert "The front of this card is blank" not in side
                assert "Template syntax error" not in side
                assert "{{" not in side.replace("{{c", ""), side  # every tag was rendered


@pytest.mark.parametrize("entry", ALL, ids=lambda s: s.id)
def test_every_starter_has_night_mode_and_phone_rules(entry: Starter) -> None:
    css = entry.notetype.css
    assert ".card.nightMode" in css
    assert "@media (max-width: 480px)" in css
    assert entry.description.strip()


@pytest.mark.parametrize("entry", ALL, ids=lambda s: s.id)
def test_starter_folders_are_in_the_canonical_folder_format(entry: Starter) -> None:
    """Hand edits keep the files as write_folder writes them (clean diffs, no stray files)."""
    folder = STARTERS_DIR / entry.id
    on_disk = {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
    assert on_disk == render_files(entry.bundle)


def test_sample_media_exist_for_every_reference() -> None:
    for entry in ALL:
        for note in entry.bundle.samples:
            for value in note.fields.values():
                for name in _media_names(value):
                    assert name in entry.bundle.media, f"{entry.id}: {name} is missing"


def _media_names(value: str) -> list[str]:
    names = re.findall(r"\[sound:([^\]]+)\]", value)
    names += re.findall(r'<img [^>]*src="([^"]+)"', value)
    return names


def test_the_vocabulary_starter_shows_furigana_and_a_sound_field() -> None:
    vocabulary = starter("vocabulary")
    answer = render_note(vocabulary.notetype, vocabulary.bundle.samples[0])[0].answer
    assert "<ruby><rb>猫</rb><rt>ねこ</rt></ruby>" in answer
    assert "[anki:play:a:0]" in answer or "neko.wav" in answer


def test_starter_bundle_renames_and_keeps_samples_and_media() -> None:
    bundle = starter_bundle("image-labels", "My diagrams")
    assert bundle.notetype.name == "My diagrams"
    assert bundle.samples == starter("image-labels").bundle.samples
    assert set(bundle.media) == {"plant-cell.svg", "volcano.svg"}
    assert starter("cloze").notetype.kind is NoteTypeKind.CLOZE


def test_an_unknown_starter_names_the_known_ones() -> None:
    with pytest.raises(UnknownStarter, match=r"no starter 'nope'.*basic, basic-reversed"):
        starter("nope")
