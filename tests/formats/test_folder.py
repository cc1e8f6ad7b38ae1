"""The folder format: lossless round trips, deterministic bytes, clear errors, atomic writes."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from types import MappingProxyType

import pytest
from hypothesis import HealthCheck, given, settings

from anki_template_designer.core.model import CardTemplate, Field, Note, NoteType
from anki_template_designer.core.schema11 import to_schema11
from anki_template_designer.formats.apkg import read_package, write_package
from anki_template_designer.formats.apkg_write import BlankCollection
from anki_template_designer.formats.bundle import NoteTypeBundle
from anki_template_designer.formats.errors import FolderFormatError
from anki_template_designer.formats.folder import read_folder, write_folder
from anki_template_designer.formats.folder_names import file_stem, unique_stems

from .conftest import SourcePackages
from .strategies import anki_bundles, bundles


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory``: relative path → bytes."""
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def basic_bundle() -> NoteTypeBundle:
    """A small two-card note type with one media file."""
    notetype = NoteType(
        name="Basic (and reversed)",
        fields=(Field("Front"), Field("Back")),
        templates=(
            CardTemplate("Card 1", "{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}"),
            CardTemplate("Card 2", "{{Back}}", "{{FrontSide}}<hr id=answer>{{Front}}"),
        ),
        css=".card { color: black; }",
    )
    return NoteTypeBundle(notetype, media=MappingProxyType({"_x.png": b"png"}))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bundles())
def test_bundle_folder_bundle_is_equal_and_folder_bytes_are_stable(
    tmp_path_factory: pytest.TempPathFactory, bundle: NoteTypeBundle
) -> None:
    directory = tmp_path_factory.mktemp("rt") / "nt"
    write_folder(bundle, directory)
    again = read_folder(directory)
    assert again == bundle
    first = snapshot(directory)
    write_folder(again, directory)
    assert snapshot(directory) == first


def test_layout_and_file_names(tmp_path: Path) -> None:
    write_folder(basic_bundle(), tmp_path / "nt")
    assert sorted(snapshot(tmp_path / "nt")) == [
        "Card_1.back.html",
        "Card_1.front.html",
        "Card_2.back.html",
        "Card_2.front.html",
        "media/_x.png",
        "notetype.toml",
        "samples.toml",
        "style.css",
    ]
    assert (tmp_path / "nt" / "Card_1.front.html").read_bytes() == b"{{Front}}\n"
    assert all(
        content.endswith(b"\n")
        for name, content in snapshot(tmp_path / "nt").items()
        if not name.startswith("media/")
    )


def test_one_template_edit_is_a_one_file_diff(tmp_path: Path) -> None:
    bundle = basic_bundle()
    write_folder(bundle, tmp_path / "a")
    templates = list(bundle.notetype.templates)
    templates[1] = dataclasses.replace(templates[1], back="{{Front}} changed")
    changed = dataclasses.replace(
        bundle, notetype=dataclasses.replace(bundle.notetype, templates=tuple(templates))
    )
    write_folder(changed, tmp_path / "b")
    a, b = snapshot(tmp_path / "a"), snapshot(tmp_path / "b")
    assert [name for name in a if a[name] != b.get(name)] == ["Card_2.back.html"]


def test_mod_and_usn_are_not_stored(tmp_path: Path) -> None:
    bundle = basic_bundle()
    stamped = dataclasses.replace(
        bundle,
        notetype=dataclasses.replace(
            bundle.notetype, extra=MappingProxyType({"mod": 1700000000, "usn": -1, "vers": []})
        ),
    )
    write_folder(stamped, tmp_path / "nt")
    assert read_folder(tmp_path / "nt").notetype.extra == {"vers": []}


def test_package_folder_package_folder_is_byte_identical(
    source_packages: SourcePackages, tmp_path: Path
) -> None:
    first = read_package(source_packages.latest_apkg, samples=5)
    for index, bundle in enumerate(first):
        write_folder(bundle, tmp_path / "f1" / str(index))
        assert read_folder(tmp_path / "f1" / str(index)) == dataclasses.replace(
            bundle,
            notetype=dataclasses.replace(
                bundle.notetype,
                extra=MappingProxyType(
                    {k: v for k, v in bundle.notetype.extra.items() if k not in ("mod", "usn")}
                ),
            ),
            samples=tuple(
                dataclasses.replace(n, card_ids=MappingProxyType({})) for n in bundle.samples
            ),
        )
    write_package(
        [read_folder(tmp_path / "f1" / str(i)) for i in range(len(first))], tmp_path / "b.apkg"
    )
    second = read_package(tmp_path / "b.apkg", samples=5)
    assert [b.notetype.name for b in second] == [b.notetype.name for b in first]
    for index, bundle in enumerate(second):
        write_folder(bundle, tmp_path / "f2" / str(index))
        assert snapshot(tmp_path / "f2" / str(index)) == snapshot(tmp_path / "f1" / str(index))


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> BlankCollection:
    """One blank collection for the many packages the property test writes."""
    return BlankCollection.make(tmp_path_factory.mktemp("blank"))


def _without_sync_stamps(notetype: NoteType) -> dict[str, object]:
    data = to_schema11(notetype)
    del data["mod"], data["usn"]
    return data


def _sample(note: Note) -> tuple[object, ...]:
    """A sample as a designer sees it (card ids are new in every package)."""
    return (dict(note.fields), sorted(note.tags), note.deck, note.flag)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(anki_bundles())
def test_property_apkg_folder_apkg_folder_is_byte_identical(
    tmp_path_factory: pytest.TempPathFactory, blank: BlankCollection, bundle: NoteTypeBundle
) -> None:
    tmp = tmp_path_factory.mktemp("apkg-rt")
    write_package([bundle], tmp / "start.apkg", blank=blank)  # a package as Anki stores it
    [first] = read_package(tmp / "start.apkg")
    write_folder(first, tmp / "f1")
    write_package([read_folder(tmp / "f1")], tmp / "again.apkg", blank=blank)
    [second] = read_package(tmp / "again.apkg")
    write_folder(second, tmp / "f2")
    assert snapshot(tmp / "f2") == snapshot(tmp / "f1")
    assert _without_sync_stamps(second.notetype) == _without_sync_stamps(first.notetype)
    assert [_sample(n) for n in second.samples] == [_sample(n) for n in first.samples]
    # Anki normalises field text (NFC, no control characters), a deck override moves cards
    # and its exporter clears card flags without scheduling; the tags arrive as they were.
    assert [_sample(n)[1] for n in first.samples] == [_sample(n)[1] for n in bundle.samples]
    assert dict(second.media) == dict(first.media)


def test_file_stems() -> None:
    assert file_stem("Card 1") == "Card_1"
    assert file_stem("a/b:c?*") == "a_b_c"
    assert file_stem("...") == "card"
    assert file_stem("con") == "con_"
    assert file_stem("日本語 カード") == "日本語_カード"
    assert unique_stems(["A/B", "A:B", "a b"]) == ["A_B", "A_B-2", "a_b-3"]


def test_refuses_to_clobber_a_foreign_folder(tmp_path: Path) -> None:
    target = tmp_path / "project"
    target.mkdir()
    (target / "main.c").write_text("int main;")
    with pytest.raises(FolderFormatError, match="not a note type folder"):
        write_folder(basic_bundle(), target)
    assert sorted(p.name for p in target.iterdir()) == ["main.c"]


def test_rewrite_keeps_foreign_files_and_drops_stale_templates(tmp_path: Path) -> None:
    target = tmp_path / "nt"
    write_folder(basic_bundle(), target)
    (target / "README.md").write_text("notes")
    one_card = dataclasses.replace(
        basic_bundle().notetype, templates=basic_bundle().notetype.templates[:1]
    )
    write_folder(NoteTypeBundle(one_card), target)
    names = sorted(snapshot(target))
    assert "README.md" in names and "Card_2.front.html" not in names and "media/_x.png" not in names
    assert [p.name for p in tmp_path.iterdir()] == ["nt"]  # no temp folders left


def test_failed_write_leaves_nothing(tmp_path: Path) -> None:
    clash = dataclasses.replace(
        basic_bundle(), media=MappingProxyType({"A.png": b"1", "a.png": b"2"})
    )
    with pytest.raises(FolderFormatError, match="differ only in case"):
        write_folder(clash, tmp_path / "nt")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("file", "content", "message"),
    [
        ("notetype.toml", "name = [", r"notetype.toml: not valid TOML"),
        ("notetype.toml", None, r"notetype.toml.*key 'name' must be a string, not an integer"),
        ("notetype.toml", "atd_format = 1\nnmae = 'x'\n", r"unknown key 'nmae'"),
        ("notetype.toml", "atd_format = 9\n", r"folder format 9 is not supported"),
        ("Card_2.back.html", "", r"Card_2.back.html: file is missing; card type 'Card 2'"),
        ("samples.toml", "[[notes]]\nflag = 9\n", r"samples.toml note 1: key 'flag' must be 0-7"),
        ("samples.toml", "[[notes]]\nfields.Front = 3\n", r"field 'Front' must be a string"),
        ("style.css", b"\xff\xfe", r"style.css: not UTF-8 text \(byte 1\)"),
    ],
)
def test_bad_content_names_file_and_key(
    tmp_path: Path, file: str, content: str | bytes | None, message: str
) -> None:
    target = tmp_path / "nt"
    write_folder(basic_bundle(), target)
    path = target / file
    if content is None:
        path.write_text(path.read_text().replace('name = "Basic (and reversed)"', "name = 3"))
    elif file.endswith(".html") and content == "":
        path.unlink()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    with pytest.raises(FolderFormatError, match=message):
        read_folder(target)


def test_missing_manifest_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(FolderFormatError, match=r"notetype.toml is missing.*atd import"):
        read_folder(tmp_path)


@pytest.mark.parametrize("name", ["../escape.png", "sub/dir.png", "..", "C:evil.png"])
def test_media_names_that_are_not_plain_file_names_are_refused(tmp_path: Path, name: str) -> None:
    bad = dataclasses.replace(basic_bundle(), media=MappingProxyType({name: b"x"}))
    with pytest.raises(FolderFormatError, match="not a plain file name"):
        write_folder(bad, tmp_path / "out" / "nt")
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) in ([], ["out"])
    assert not (tmp_path / "escape.png").exists()
