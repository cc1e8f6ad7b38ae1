"""Importing an .apkg made by Anki, and exporting one that Anki imports."""

from __future__ import annotations

from pathlib import Path

import pytest
from anki.collection import (
    Collection,
    ExportAnkiPackageOptions,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
)
from playwright.sync_api import Page, expect

from .helpers import by_testid, open_library, screenshot, unique

pytestmark = pytest.mark.e2e

FRONT = '<div class="word">{{Word}}</div>'
BACK = "{{FrontSide}}<hr id=answer>{{Meaning}}<br>{{Example}}"
CSS = ".card { font-family: serif; }\n.word { font-size: 2em; }\n"
FIELDS = ["Word", "Meaning", "Example"]


def make_apkg(folder: Path, name: str) -> Path:
    """An .apkg exported by the anki package from a collection with one custom note type."""
    folder.mkdir()
    col = Collection(str(folder / "collection.anki2"))
    try:
        models = col.models
        notetype = models.new(name)
        for field_name in FIELDS:
            models.add_field(notetype, models.new_field(field_name))
        template = models.new_template("Recognition")
        template.update(qfmt=FRONT, afmt=BACK)
        models.add_template(notetype, template)
        notetype["css"] = CSS
        models.add(notetype)
        added = models.by_name(name)
        assert added is not None
        note = col.new_note(added)
        note["Word"], note["Meaning"], note["Example"] = "chat", "cat", "Le chat dort."
        deck = col.decks.id("E2E")
        assert deck is not None
        col.add_note(note, deck)
        package = folder / "vocabulary.apkg"
        col.export_anki_package(
            out_path=str(package), options=ExportAnkiPackageOptions(), limit=None
        )
    finally:
        col.close()
    return package


def test_import_apkg_then_export_one_anki_imports(page: Page, tmp_path: Path) -> None:
    name = unique("E2E Vocabulary")
    package = make_apkg(tmp_path / "source", name)

    open_library(page)
    by_testid(page, "import-file").set_input_files(package)
    expect(by_testid(page, "toast").filter(has_text=name)).to_be_visible()
    item = by_testid(page, "library-item").filter(has_text=name)
    expect(item).to_have_count(1)
    screenshot(page, "library")

    item.click()
    expect(by_testid(page, "notetype-name")).to_contain_text(name)
    expect(by_testid(page, "field-item")).to_have_count(len(FIELDS))
    by_testid(page, "export-format").select_option("apkg")
    with page.expect_download() as download_info:
        by_testid(page, "export-button").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".apkg"), download.suggested_filename
    exported = tmp_path / "exported.apkg"
    download.save_as(exported)

    # Anki itself reads the download back, into a new collection.
    (tmp_path / "target").mkdir()
    col = Collection(str(tmp_path / "target" / "collection.anki2"))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(exported), options=ImportAnkiPackageOptions())
        )
        imported = col.models.by_name(name)
        assert imported is not None, [n.name for n in col.models.all_names_and_ids()]
        assert [f["name"] for f in imported["flds"]] == FIELDS
        assert [(t["name"], t["qfmt"], t["afmt"]) for t in imported["tmpls"]] == [
            ("Recognition", FRONT, BACK)
        ]
        assert imported["css"] == CSS
    finally:
        col.close()
