"""The starter gallery: well-made note types to begin from, each with realistic sample notes.

Each starter is a note type folder (the project's folder format, ``formats.folder``) in
``starter_notetypes/<id>/``: templates as ``.html`` files, ``style.css``, ``samples.toml`` and
any sample media, so a starter is edited like any note type kept in git. This module adds
what the folder does not hold: the gallery's order and a description of each starter.

Every starter lints clean with ``core.lint`` on every platform in light and night mode; the
test in ``tests/services/test_gallery.py`` keeps it so.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..core.model import NoteType
from ..formats.bundle import NoteTypeBundle
from ..formats.folder import read_folder

STARTERS_DIR = Path(__file__).with_name("starter_notetypes")

# (id, description) in the order the gallery shows them; the id is the folder's name.
_CATALOG: tuple[tuple[str, str], ...] = (
    ("basic", "A question on the front, the answer on the back. The classic flashcard."),
    (
        "basic-reversed",
        "Two cards per note: front → back and back → front. For terms you must know "
        "both ways, such as vocabulary.",
    ),
    (
        "basic-optional-reversed",
        "Like Basic; fill the 'Add Reverse' field of a note to get a reversed card for "
        "that note only.",
    ),
    (
        "type-in",
        "Type the answer before turning the card; Anki compares what you typed with the "
        "field, letter by letter.",
    ),
    (
        "cloze",
        "Hide parts of a sentence with {{c1::…}}; each cloze number becomes its own card. "
        "Extra context on the back.",
    ),
    (
        "vocabulary",
        "Japanese-style vocabulary: the word, its reading as furigana, meaning, audio and "
        "an example sentence; recognition and recall cards. The sample audio files are "
        "short placeholder chimes: replace them with real recordings.",
    ),
    (
        "image-labels",
        "A diagram with numbered markers; name the parts, then check them against the "
        "labelled list on the back.",
    ),
    (
        "definition",
        "A term with its part of speech, definition, examples and synonyms; cards ask for "
        "the definition and for the term.",
    ),
)


class UnknownStarter(LookupError):
    """There is no starter with the id asked for."""

    def __init__(self, starter_id: str) -> None:
        known = ", ".join(starter_id for starter_id, _ in _CATALOG)
        super().__init__(
            f"there is no starter {starter_id!r} in the gallery; choose one of {known}"
        )
        self.starter_id = starter_id


@dataclass(frozen=True, slots=True)
class Starter:
    """One gallery entry: its id, a description, and the note type with its samples."""

    id: str
    description: str
    bundle: NoteTypeBundle

    @property
    def notetype(self) -> NoteType:
        """The starter's note type (named as in the gallery)."""
        return self.bundle.notetype


@cache
def starters() -> tuple[Starter, ...]:
    """Every starter, in the gallery's order (read once from the package's folders)."""
    return tuple(
        Starter(starter_id, description, read_folder(STARTERS_DIR / starter_id))
        for starter_id, description in _CATALOG
    )


def starter(starter_id: str) -> Starter:
    """The starter with ``starter_id``; UnknownStarter if there is none."""
    for found in starters():
        if found.id == starter_id:
            return found
    raise UnknownStarter(starter_id)


def starter_bundle(starter_id: str, name: str) -> NoteTypeBundle:
    """A new note type named ``name`` from a starter, with its samples and media."""
    bundle = starter(starter_id).bundle
    return dataclasses.replace(bundle, notetype=dataclasses.replace(bundle.notetype, name=name))
