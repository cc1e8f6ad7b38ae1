"""Packages ATD writes are imported by Anki as an update of the same note type."""

from __future__ import annotations

import os
import zipfile
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

from anki.collection import (
    Collection,
    ExportAnkiPackageOptions,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
)
from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition as Update

from anki_template_designer.core.model import Note
from anki_template_designer.core.schema11 import from_schema11, to_schema11
from anki_template_designer.formats.apkg import read_package, write_package
from anki_template_designer.formats.apkg_write import PLACEHOLDER_TAG
from anki_template_designer.formats.bundle import NoteTypeBundle

from .conftest import SourcePackages, build_source


def import_into(col: Collection, package: Path) -> None:
    """Import as Anki's import dialog does by default (update note types if newer, no merge)."""
    options = ImportAnkiPackageOptions(
        merge_notetypes=False,
        update_notes=Update.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
        update_notetypes=Update.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
        with_scheduling=False,
        with_deck_configs=False,
    )
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package), options=options))


def test_export_updates_the_note_type_in_place(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    col, rich_id = build_source(tmp_path / "a")  # collection A: note type v1 with 25 notes
    try:
        col.export_anki_package(
            out_path=str(tmp_path / "v1.apkg"),
            options=ExportAnkiPackageOptions(with_media=True),
            limit=None,
        )
        v1 = next(b for b in read_package(tmp_path / "v1.apkg") if b.notetype.id == rich_id)
        forward = replace(v1.notetype.templates[0], front="NEW {{Front}} v2")
        v2 = replace(
            v1, notetype=replace(v1.notetype, templates=(forward, *v1.notetype.templates[1:]))
        )
        write_package([v2], tmp_path / "v2.apkg")

        note_ids = sorted(col.find_notes(f"mid:{rich_id}"))
        card = col.get_note(note_ids[0]).cards()[0]
        assert "NEW" not in card.question()
        names_before = sorted(e.name for e in col.models.all_names_and_ids())
        import_into(col, tmp_path / "v2.apkg")
        col.models._clear_cache()  # pylib caches note types; Anki's GUI clears it after each op

        updated = col.models.get(rich_id)
        assert updated is not None
        assert updated["tmpls"][0]["qfmt"] == "NEW {{Front}} v2"
        assert [t["id"] for t in updated["tmpls"]] == [t.extra["id"] for t in v1.notetype.templates]
        assert sorted(e.name for e in col.models.all_names_and_ids()) == names_before  # no copy
        assert set(note_ids) <= set(col.find_notes(f"mid:{rich_id}"))  # notes kept
        card = col.get_note(note_ids[0]).cards()[0]
        assert card.question().endswith('NEW front 0 <img src="pic0.jpg"> v2')
    finally:
        col.close()


def test_read_write_read_keeps_everything_but_the_mtime(
    source_packages: SourcePackages, tmp_path: Path
) -> None:
    original = read_package(source_packages.latest_apkg)
    write_package(original, tmp_path / "again.apkg")
    again = read_package(tmp_path / "again.apkg")
    assert [b.notetype.id for b in again] == [b.notetype.id for b in original]
    for before, after in zip(original, again, strict=True):
        old, new = to_schema11(before.notetype), to_schema11(after.notetype)
        assert new["mod"] > old["mod"]
        for d in (old, new):
            del d["mod"], d["usn"]
        old.pop("originalId", None)
        new.pop("originalId", None)
        assert new == old
        assert [n.fields for n in after.samples] == [n.fields for n in before.samples]
        assert [n.tags for n in after.samples] == [n.tags for n in before.samples]
        assert dict(after.media) == dict(before.media)


def test_template_media_gets_an_underscore_and_references_follow(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    col, rich_id = build_source(tmp_path / "src")
    col.close()
    bundle = next(
        b
        for b in read_package(tmp_path / "src" / "collection.anki2", samples=2)
        if b.notetype.id == rich_id
    )
    assert "static.png" in bundle.media
    write_package([bundle], tmp_path / "out.apkg")
    written = next(b for b in read_package(tmp_path / "out.apkg") if b.notetype.id == rich_id)
    assert '<img src="_static.png">' in written.notetype.templates[0].front
    assert written.media["_static.png"] == bundle.media["static.png"]
    assert "static.png" not in written.media


def test_bundle_without_samples_gets_one_placeholder_note(
    source_packages: SourcePackages, tmp_path: Path
) -> None:
    cloze = next(
        b for b in read_package(source_packages.latest_colpkg) if b.notetype.name == "Cloze"
    )
    write_package([replace(cloze, samples=())], tmp_path / "cloze.apkg")
    [read] = read_package(tmp_path / "cloze.apkg")
    assert read.notetype.id == cloze.notetype.id
    assert [n.tags for n in read.samples] == [(PLACEHOLDER_TAG,)]
    assert read.samples[0].fields == {"Text": "Text", "Back Extra": "Back Extra"}


def test_progress_counts_notes(source_packages: SourcePackages, tmp_path: Path) -> None:
    bundles = read_package(source_packages.latest_apkg, samples=5)
    calls: list[tuple[int, int]] = []
    write_package(bundles, tmp_path / "p.apkg", progress=lambda d, t: calls.append((d, t)))
    assert calls[-1][0] == calls[-1][1]
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_written_package_is_the_latest_version(
    source_packages: SourcePackages, tmp_path: Path
) -> None:
    note = Note(fields=MappingProxyType({"Front": "f", "Back": "b", "Extra": ""}))
    rich = next(
        b
        for b in read_package(source_packages.latest_apkg, samples=0)
        if b.notetype.id == source_packages.rich_id
    )
    write_package([NoteTypeBundle(rich.notetype, (note,))], tmp_path / "v.apkg")
    with zipfile.ZipFile(tmp_path / "v.apkg") as package:
        assert {"meta", "collection.anki21b", "media"} <= set(package.namelist())
    assert (
        to_schema11(read_package(tmp_path / "v.apkg")[0].notetype)["id"] == source_packages.rich_id
    )


def test_stock_note_type_names_survive_export(tmp_path: Path) -> None:
    """A note type called "Basic" or "Cloze" keeps its name (no "Basic-1a2b3" suffix)."""
    col = Collection(str(tmp_path / "src.anki2"))
    try:
        basic = col.models.by_name("Basic")
        cloze = col.models.by_name("Cloze")
        assert basic is not None and cloze is not None
        bundles = [
            NoteTypeBundle(notetype=from_schema11(basic)),
            NoteTypeBundle(notetype=from_schema11(cloze)),
        ]
    finally:
        col.close()
    write_package(bundles, tmp_path / "stock.apkg")
    names = sorted(b.notetype.name for b in read_package(tmp_path / "stock.apkg"))
    assert names == ["Basic", "Cloze"]


def test_field_names_anki_normalises_keep_their_sample_values(tmp_path: Path) -> None:
    """A field name not in NFC (from a folder or CrowdAnki) is renamed by Anki; values follow."""
    odd = "\U0002f800"  # CJK compatibility ideograph; NFC turns it into U+4E3D
    notetype = from_schema11(
        {
            "name": "Odd",
            "flds": [{"name": odd}, {"name": "Plain"}],
            "tmpls": [{"name": "Card 1", "qfmt": "{{" + odd + "}}", "afmt": "{{Plain}}"}],
        }
    )
    note = Note(fields=MappingProxyType({odd: "value", "Plain": "other"}))
    write_package([NoteTypeBundle(notetype, (note,))], tmp_path / "odd.apkg")
    [read] = read_package(tmp_path / "odd.apkg")
    assert read.notetype.field_names == ("\u4e3d", "Plain")
    assert read.samples[0].fields == {"\u4e3d": "value", "Plain": "other"}


def test_check_media_in_anki_keeps_the_template_media(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    col, rich_id = build_source(tmp_path / "src")
    col.close()
    bundle = next(
        b
        for b in read_package(tmp_path / "src" / "collection.anki2", samples=1)
        if b.notetype.id == rich_id
    )
    write_package([bundle], tmp_path / "out.apkg")
    target = Collection(str(tmp_path / "target.anki2"))
    try:
        import_into(target, tmp_path / "out.apkg")
        template_media = {"_logo.png", "_static.png", "_chime.mp3", "_font.woff"}
        assert template_media <= set(os.listdir(target.media.dir()))
        # Remove the sample note: the media must be kept for the templates alone.
        target.remove_notes(target.find_notes(f"mid:{rich_id}"))
        unused = set(target.media.check().unused)
        assert not unused & template_media
        assert "pic0.jpg" in unused  # only the sample used it; Check Media would delete it
    finally:
        target.close()
