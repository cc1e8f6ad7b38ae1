"""Reading every package version Anki writes gives the note types col.models.get gives."""

from __future__ import annotations

import json
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

from anki_template_designer.core.schema11 import to_schema11
from anki_template_designer.formats.apkg import read_package

from .conftest import RICH_NOTES, SourcePackages

KINDS = [
    "latest-apkg",
    "legacy2-apkg",
    "legacy1-apkg",
    "latest-colpkg",
    "legacy-colpkg",
    "profile-collection",
]


@pytest.mark.parametrize("kind", KINDS)
def test_note_types_equal_what_anki_returns(source_packages: SourcePackages, kind: str) -> None:
    bundles = read_package(source_packages.packages()[kind])
    got = {b.notetype.id: to_schema11(b.notetype) for b in bundles}
    if kind.endswith("apkg"):
        # An .apkg holds only the note types its notes use.
        expected = {i: d for i, d in source_packages.expected.items() if i in got}
        assert len(got) == 2
    else:
        expected = source_packages.expected
    assert got == expected


@pytest.mark.parametrize("kind", KINDS)
def test_samples_and_their_media(source_packages: SourcePackages, kind: str) -> None:
    bundles = read_package(source_packages.packages()[kind], samples=20)
    rich = next(b for b in bundles if b.notetype.id == source_packages.rich_id)
    assert len(rich.samples) == 20 < RICH_NOTES
    first = rich.samples[0]
    assert first.fields == {
        "Front": 'front 0 <img src="pic0.jpg">',
        "Back": "back 0 [sound:_chime.mp3]",
        "Extra": "",
    }
    assert first.tags == ("n0", "sample")
    assert first.deck == "Designer::Samples"
    assert sorted(first.card_ids) == [0, 1]
    # Template media (_ names, a static <img>, a CSS url()) and sample media; never unused files.
    expected_media = {"_logo.png", "static.png", "_chime.mp3", "_font.woff", "pic0.jpg", "pic1.jpg"}
    if kind.endswith("apkg"):
        # Anki's exporter leaves out template media without a leading underscore.
        expected_media.discard("static.png")
    assert set(rich.media) == expected_media
    assert all(rich.media[n] == source_packages.media[n] for n in rich.media)


def test_samples_limit(source_packages: SourcePackages) -> None:
    assert all(not b.samples for b in read_package(source_packages.latest_apkg, samples=0))
    rich = next(
        b
        for b in read_package(source_packages.latest_apkg, samples=3)
        if b.notetype.id == source_packages.rich_id
    )
    assert [n.fields["Back"][:6] for n in rich.samples] == ["back 0", "back 1", "back 2"]


def test_progress_reports_bytes_up_to_the_total(source_packages: SourcePackages) -> None:
    calls: list[tuple[int, int]] = []
    read_package(
        source_packages.latest_apkg, progress=lambda done, total: calls.append((done, total))
    )
    assert calls and calls[-1][0] == calls[-1][1]
    assert all(done <= total for done, total in calls)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_open_profile_collection_is_read_through_a_copy(
    source_packages: SourcePackages, tmp_path: Path
) -> None:
    profile = tmp_path / "User 1"
    profile.mkdir()
    shutil.copyfile(source_packages.profile_collection, profile / "collection.anki2")
    col = Collection(str(profile / "collection.anki2"))  # Anki is "running": WAL, open handle
    try:
        rich = col.models.get(source_packages.rich_id)
        assert rich is not None
        rich["css"] = "/* changed while open */"
        col.models.update_dict(rich)  # lives only in the write-ahead log so far
        before = {p.name: p.read_bytes() for p in profile.iterdir() if p.is_file()}
        bundles = read_package(profile / "collection.anki2", samples=1)
        after = {p.name: p.read_bytes() for p in profile.iterdir() if p.is_file()}
        assert before == after
        read_rich = next(b for b in bundles if b.notetype.id == source_packages.rich_id)
        assert read_rich.notetype.css == "/* changed while open */"
        assert to_schema11(read_rich.notetype) == col.models.get(source_packages.rich_id)
    finally:
        col.close()


def test_sparse_legacy_note_types_read_as_anki_stores_them(
    source_packages: SourcePackages, tmp_path: Path
) -> None:
    """Third-party packages (genanki) omit newer keys; ATD fills them as Anki's import does."""
    with zipfile.ZipFile(source_packages.legacy2_apkg) as src:
        members = {i.filename: src.read(i) for i in src.infolist()}
    db_path = tmp_path / "collection.db"
    db_path.write_bytes(members["collection.anki21"])
    db = sqlite3.connect(db_path)
    models = json.loads(db.execute("SELECT models FROM col").fetchone()[0])
    for model in models.values():
        for key in ("latexsvg", "originalStockKind"):
            model.pop(key, None)
        for field in model["flds"]:
            for key in ("description", "plainText", "collapsed", "excludeFromSearch", "tag", "id"):
                field.pop(key, None)
        for template in model["tmpls"]:
            for key in ("bfont", "bsize", "id"):
                template.pop(key, None)
    db.execute("UPDATE col SET models = ?", (json.dumps(models),))
    db.commit()
    db.close()
    members["collection.anki21"] = db_path.read_bytes()
    sparse = tmp_path / "sparse.apkg"
    with zipfile.ZipFile(sparse, "w") as out:
        for name, data in members.items():
            out.writestr(name, data)

    ours = read_package(sparse)
    col = Collection(str(tmp_path / "target.anki2"))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(sparse), options=ImportAnkiPackageOptions())
        )
        rich = next(b for b in ours if b.notetype.id == source_packages.rich_id)
        stored = col.models.get(source_packages.rich_id)
        assert stored is not None
        # originalId is the importer's bookkeeping; nothing else differs.
        stored.pop("originalId")
        assert to_schema11(rich.notetype) == stored
    finally:
        col.close()
