"""CrowdAnki deck.json: reading real-shaped exports, writing them back, clear errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from anki_template_designer.formats.apkg import read_package
from anki_template_designer.formats.crowdanki import (
    UUID_KEY,
    notetype_uuid,
    read_crowdanki,
    write_crowdanki,
)
from anki_template_designer.formats.errors import CrowdAnkiError
from anki_template_designer.formats.folder import read_folder, write_folder

from .conftest import SourcePackages

MODEL_UUID = "a1b2c3d4-0000-11ee-8000-000000000001"


def crowdanki_deck() -> dict[str, Any]:
    """A deck.json shaped like CrowdAnki writes it: nested decks, sorted keys, no ids."""
    return {
        "__type__": "Deck",
        "children": [
            {
                "__type__": "Deck",
                "children": [],
                "crowdanki_uuid": "deck-child",
                "name": "Capitals",
                "notes": [
                    {
                        "__type__": "Note",
                        "fields": ["Paris", '<img src="fr.png">'],
                        "guid": "g2",
                        "note_model_uuid": MODEL_UUID,
                        "tags": ["geo"],
                    }
                ],
            }
        ],
        "crowdanki_uuid": "deck-root",
        "media_files": ["_bg.png", "fr.png"],
        "name": "Geography",
        "note_models": [
            {
                "__type__": "NoteModel",
                "crowdanki_uuid": MODEL_UUID,
                "css": ".card { background: url('_bg.png'); }",
                "flds": [
                    {"font": "Arial", "media": [], "name": "Country", "ord": 0, "rtl": False},
                    {"font": "Arial", "media": [], "name": "Capital", "ord": 1, "rtl": False},
                ],
                "latexPost": "\\end{document}",
                "latexPre": "\\begin{document}",
                "name": "Geo",
                "req": [[0, "any", [0]]],
                "sortf": 0,
                "tags": [],
                "tmpls": [
                    {
                        "afmt": "{{FrontSide}}<hr id=answer>{{Capital}}",
                        "bafmt": "",
                        "bqfmt": "",
                        "did": None,
                        "name": "Card 1",
                        "ord": 0,
                        "qfmt": "{{Country}}",
                    }
                ],
                "type": 0,
                "vers": [],
            }
        ],
        "notes": [
            {
                "__type__": "Note",
                "fields": ["Japan", "Tokyo"],
                "guid": "g1",
                "note_model_uuid": MODEL_UUID,
                "tags": [],
            }
        ],
    }


def write_deck(directory: Path, deck: object) -> Path:
    """Write ``deck`` as deck.json with two media files next to it."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "deck.json").write_text(json.dumps(deck), encoding="utf-8")
    (directory / "media").mkdir(exist_ok=True)
    (directory / "media" / "_bg.png").write_bytes(b"bg")
    (directory / "media" / "fr.png").write_bytes(b"fr")
    return directory


def test_reads_models_notes_from_nested_decks_and_media(tmp_path: Path) -> None:
    [bundle] = read_crowdanki(write_deck(tmp_path / "geo", crowdanki_deck()))
    notetype = bundle.notetype
    assert notetype.name == "Geo" and notetype.id is None
    assert notetype.extra[UUID_KEY] == MODEL_UUID and "__type__" not in notetype.extra
    assert notetype.field_names == ("Country", "Capital")
    assert [(n.deck, n.value("Capital"), n.tags) for n in bundle.samples] == [
        ("Geography", "Tokyo", ()),
        ("Geography::Capitals", '<img src="fr.png">', ("geo",)),
    ]
    assert dict(bundle.media) == {"_bg.png": b"bg", "fr.png": b"fr"}
    assert len(read_crowdanki(tmp_path / "geo" / "deck.json", samples=1)[0].samples) == 1


def test_crowdanki_folder_crowdanki_keeps_uuid_and_bytes(tmp_path: Path) -> None:
    bundles = read_crowdanki(write_deck(tmp_path / "geo", crowdanki_deck()))
    write_crowdanki(bundles, tmp_path / "out1")
    write_folder(read_crowdanki(tmp_path / "out1")[0], tmp_path / "folder")
    write_crowdanki([read_folder(tmp_path / "folder")], tmp_path / "out2")
    first = (tmp_path / "out1" / "deck.json").read_bytes()
    assert (tmp_path / "out2" / "deck.json").read_bytes() == first
    model = json.loads(first)["note_models"][0]
    assert model[UUID_KEY] == MODEL_UUID and model["__type__"] == "NoteModel"
    assert sorted((tmp_path / "out2" / "media").iterdir()) == sorted(
        (tmp_path / "out2" / "media" / n) for n in ("_bg.png", "fr.png")
    )


def test_export_from_a_package_strips_ids_and_derives_stable_uuids(
    source_packages: SourcePackages, tmp_path: Path
) -> None:
    bundles = read_package(source_packages.latest_apkg, samples=3)
    write_crowdanki(bundles, tmp_path / "a")
    write_crowdanki(bundles, tmp_path / "b")
    deck = json.loads((tmp_path / "a" / "deck.json").read_text())
    assert (tmp_path / "a" / "deck.json").read_bytes() == (
        tmp_path / "b" / "deck.json"
    ).read_bytes()
    for model, bundle in zip(deck["note_models"], bundles, strict=True):
        assert not {"id", "mod", "usn", "did"} & set(model)
        assert model[UUID_KEY] == notetype_uuid(bundle.notetype)
    assert deck["name"] == "Designer" and deck["children"][0]["name"] == "Samples"
    again = read_crowdanki(tmp_path / "a")
    assert [b.notetype.templates for b in again] == [b.notetype.templates for b in bundles]


def test_git_folder_inside_an_export_survives_a_rewrite(tmp_path: Path) -> None:
    bundles = read_crowdanki(write_deck(tmp_path / "geo", crowdanki_deck()))
    (tmp_path / "geo" / ".git").mkdir()
    (tmp_path / "geo" / ".git" / "HEAD").write_text("ref")
    write_crowdanki(bundles, tmp_path / "geo")
    assert (tmp_path / "geo" / ".git" / "HEAD").read_text() == "ref"


def _drop(path: tuple[Any, ...]) -> Any:
    deck = crowdanki_deck()
    target = deck
    for step in path[:-1]:
        target = target[step]
    del target[path[-1]]
    return deck


def _set(path: tuple[Any, ...], value: object) -> Any:
    deck = crowdanki_deck()
    target = deck
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return deck


@pytest.mark.parametrize(
    ("deck", "message"),
    [
        ([1, 2], r"top level must be a deck object"),
        (_drop(("note_models",)), r"key 'note_models' is missing"),
        (_set(("note_models",), {}), r"key 'note_models' must be a list, not an object"),
        (_drop(("note_models", 0, UUID_KEY)), r"note_models\[0\]: key 'crowdanki_uuid' is missing"),
        (
            _set(("note_models", 0, "flds"), "x"),
            r"\('Geo'\): key 'flds' must be a list, not a string",
        ),
        (_drop(("note_models", 0, "tmpls")), r"key 'tmpls' is missing"),
        (_set(("note_models", 0, "tmpls"), []), r"no card templates"),
        (_drop(("notes", 0, "note_model_uuid")), r"notes\[0\]: key 'note_model_uuid' is missing"),
        (_set(("notes", 0, "note_model_uuid"), "nope"), r"'nope' names no model"),
        (_set(("notes", 0, "fields"), [1]), r"'fields' must be a list of strings"),
        (_set(("children", 0, "notes"), None), r"key 'notes' must be a list, not null"),
    ],
)
def test_malformed_deck_json_is_reported(tmp_path: Path, deck: object, message: str) -> None:
    with pytest.raises(CrowdAnkiError, match=message):
        read_crowdanki(write_deck(tmp_path / "bad", deck))


def test_invalid_json_and_missing_file(tmp_path: Path) -> None:
    (tmp_path / "deck.json").write_text('{"note_models": [}')
    with pytest.raises(CrowdAnkiError, match=r"deck.json:1:18: not valid JSON"):
        read_crowdanki(tmp_path)
    with pytest.raises(CrowdAnkiError, match=r"no such file"):
        read_crowdanki(tmp_path / "missing")


def test_refuses_to_overwrite_a_foreign_folder(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("1")
    bundles = read_crowdanki(write_deck(tmp_path / "geo", crowdanki_deck()))
    with pytest.raises(CrowdAnkiError, match="not a CrowdAnki export"):
        write_crowdanki(bundles, tmp_path / "x")
    assert [p.name for p in (tmp_path / "x").iterdir()] == ["keep.txt"]
