"""Real Anki packages in every version, built once per test session with the anki package."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from anki.collection import Collection, ExportAnkiPackageOptions

RICH_CSS = '@font-face { font-family: x; src: url("_font.woff"); }\n.card { color: red; }\n'
RICH_NOTES = 25


@dataclass(frozen=True)
class SourcePackages:
    """Packages exported from one source collection, and what that collection holds."""

    latest_apkg: Path
    legacy2_apkg: Path
    legacy1_apkg: Path
    latest_colpkg: Path
    legacy_colpkg: Path
    profile_collection: Path  # a closed copy of the source collection.anki2 with its media
    expected: dict[int, dict[str, Any]]  # col.models.get(id) for every note type
    rich_id: int
    media: dict[str, bytes]

    def packages(self) -> dict[str, Path]:
        return {
            "latest-apkg": self.latest_apkg,
            "legacy2-apkg": self.legacy2_apkg,
            "legacy1-apkg": self.legacy1_apkg,
            "latest-colpkg": self.latest_colpkg,
            "legacy-colpkg": self.legacy_colpkg,
            "profile-collection": self.profile_collection,
        }


def add_rich_notetype(col: Collection) -> dict[str, Any]:
    """A note type that sets every option a designer must keep: field options, browser formats…"""
    mm = col.models
    nt = mm.new("ATD Rich")
    for name in ("Front", "Back", "Extra"):
        mm.add_field(nt, mm.new_field(name))
    nt["flds"][0].update(sticky=True, rtl=True, font="Georgia", size=31, description="the cue")
    nt["flds"][1].update(plainText=True, collapsed=True, excludeFromSearch=True)
    nt["flds"][2].update(preventDeletion=True, tag=7)
    forward = mm.new_template("Forward")
    forward.update(
        qfmt='{{Front}}<img src="_logo.png"><img src="static.png">',
        afmt="{{FrontSide}}<hr id=answer>{{Back}}[sound:_chime.mp3]",
        bqfmt="{{text:Front}}",
        bafmt="{{Back}}",
        bfont="Courier",
        bsize=13,
    )
    mm.add_template(nt, forward)
    reverse = mm.new_template("Reverse")
    reverse.update(qfmt="{{Back}}", afmt="{{FrontSide}}<hr>{{Front}}")
    reverse["did"] = col.decks.id("Override Deck")
    mm.add_template(nt, reverse)
    nt.update(css=RICH_CSS, latexPre="\\begin{document}%pre", latexPost="%post\\end{document}")
    nt["sortf"] = 1
    mm.add(nt)
    added = mm.by_name("ATD Rich")
    assert added is not None
    return added


MEDIA = {
    "_logo.png": b"logo" * 10,
    "static.png": b"static" * 10,
    "_chime.mp3": b"chime" * 10,
    "_font.woff": b"font" * 10,
    "pic0.jpg": b"pic0" * 10,
    "pic1.jpg": b"pic1" * 10,
    "unused.png": b"unused" * 10,
}


def build_source(root: Path) -> tuple[Collection, int]:
    """A collection with the rich note type, 25 of its notes, a cloze note and media."""
    col = Collection(str(root / "collection.anki2"))
    rich = add_rich_notetype(col)
    deck = col.decks.id("Designer::Samples")
    for i in range(RICH_NOTES):
        note = col.new_note(rich)
        note["Front"] = f'front {i} <img src="pic{i % 2}.jpg">'
        note["Back"] = f"back {i} [sound:_chime.mp3]"
        note.tags = ["sample", f"n{i}"]
        col.add_note(note, deck)
    cloze = col.models.by_name("Cloze")
    assert cloze is not None
    note = col.new_note(cloze)
    note["Text"] = "{{c1::Canberra}} is the capital"
    col.add_note(note, 1)
    media_dir = Path(col.media.dir())
    for name, content in MEDIA.items():
        (media_dir / name).write_bytes(content)
    return col, int(rich["id"])


def legacy1_from_legacy2(legacy2: Path, target: Path) -> None:
    """Rewrite a legacy-2 package as Anki 2.0 wrote it: only collection.anki2, no meta."""
    with zipfile.ZipFile(legacy2) as src, zipfile.ZipFile(target, "w") as out:
        for info in src.infolist():
            if info.filename in {"meta", "collection.anki2"}:
                continue
            name = "collection.anki2" if info.filename == "collection.anki21" else info.filename
            out.writestr(name, src.read(info), compress_type=zipfile.ZIP_DEFLATED)


@pytest.fixture(scope="session")
def source_packages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SourcePackages]:
    """Every package version Anki reads, exported from one source collection."""
    root = tmp_path_factory.mktemp("anki-source")
    col, rich_id = build_source(root)
    try:
        expected = {int(e.id): col.models.get(e.id) for e in col.models.all_names_and_ids()}
        out = tmp_path_factory.mktemp("packages")
        for legacy, name in ((False, "latest.apkg"), (True, "legacy2.apkg")):
            col.export_anki_package(
                out_path=str(out / name),
                options=ExportAnkiPackageOptions(with_media=True, legacy=legacy),
                limit=None,
            )
        legacy1_from_legacy2(out / "legacy2.apkg", out / "legacy1.apkg")
        for legacy, name in ((False, "latest.colpkg"), (True, "legacy.colpkg")):
            col.export_collection_package(str(out / name), include_media=True, legacy=legacy)
            col.reopen()
    finally:
        col.close()
    profile = tmp_path_factory.mktemp("profile")
    shutil.copyfile(root / "collection.anki2", profile / "collection.anki2")
    shutil.copytree(root / "collection.media", profile / "collection.media")
    yield SourcePackages(
        latest_apkg=out / "latest.apkg",
        legacy2_apkg=out / "legacy2.apkg",
        legacy1_apkg=out / "legacy1.apkg",
        latest_colpkg=out / "latest.colpkg",
        legacy_colpkg=out / "legacy.colpkg",
        profile_collection=profile / "collection.anki2",
        expected=expected,
        rich_id=rich_id,
        media=dict(MEDIA),
    )
