"""Bad packages raise PackageError with a message a user can act on, and leave nothing behind."""

from __future__ import annotations

import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import zstandard
from anki.import_export_pb2 import MediaEntries, PackageMetadata

from anki_template_designer.formats.apkg import PackageLimits, read_package, write_package
from anki_template_designer.formats.errors import PackageError

from .conftest import SourcePackages


def _leftovers() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("atd-read-*")}


@pytest.fixture
def nothing_left_behind(tmp_path: Path) -> Iterator[Path]:
    """A folder for bad inputs; afterwards it and the temp folder hold nothing new."""
    before = _leftovers()
    yield tmp_path
    assert _leftovers() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".") or p.suffix == ".tmp"]


def _zip(path: Path, members: dict[str, bytes], method: int = zipfile.ZIP_STORED) -> Path:
    with zipfile.ZipFile(path, "w", compression=method) as out:
        for name, data in members.items():
            out.writestr(name, data)
    return path


def _meta(version: int) -> bytes:
    return PackageMetadata(version=version).SerializeToString()  # type: ignore[arg-type]


def _read_error(path: Path, **kwargs: object) -> str:
    with pytest.raises(PackageError) as info:
        read_package(path, **kwargs)  # type: ignore[arg-type]
    return str(info.value)


def test_corrupt_zip(nothing_left_behind: Path) -> None:
    path = nothing_left_behind / "random.apkg"
    path.write_bytes(b"PK\x03\x04 this is not really a zip archive" * 20)
    message = _read_error(path)
    assert "random.apkg" in message and "corrupt or truncated" in message
    assert "export the file again" in message


def test_truncated_package(source_packages: SourcePackages, nothing_left_behind: Path) -> None:
    data = source_packages.latest_apkg.read_bytes()
    path = nothing_left_behind / "half.apkg"
    path.write_bytes(data[: len(data) // 2])
    assert "corrupt or truncated" in _read_error(path)


def test_damaged_member(source_packages: SourcePackages, nothing_left_behind: Path) -> None:
    with zipfile.ZipFile(source_packages.latest_apkg) as src:
        members = {i.filename: src.read(i) for i in src.infolist()}
    collection = bytearray(members["collection.anki21b"])
    collection[20:60] = b"\xff" * 40
    members["collection.anki21b"] = bytes(collection)
    path = _zip(nothing_left_behind / "damaged.apkg", members)
    message = _read_error(path)
    assert "'collection.anki21b'" in message and "corrupt" in message


def test_zip_slip_member_name(source_packages: SourcePackages, nothing_left_behind: Path) -> None:
    with zipfile.ZipFile(source_packages.legacy2_apkg) as src:
        members = {i.filename: src.read(i) for i in src.infolist()}
    members["../../outside.txt"] = b"gotcha"
    path = _zip(nothing_left_behind / "slip.apkg", members)
    message = _read_error(path)
    assert "'../../outside.txt'" in message and "unsafe path" in message
    assert not (nothing_left_behind.parent / "outside.txt").exists()


def test_unsafe_media_name(source_packages: SourcePackages, nothing_left_behind: Path) -> None:
    with zipfile.ZipFile(source_packages.legacy2_apkg) as src:
        members = {i.filename: src.read(i) for i in src.infolist()}
    members["media"] = b'{"0": "pic0.jpg", "1": "../../.bashrc"}'
    members["1"] = b"x"
    message = _read_error(_zip(nothing_left_behind / "media.apkg", members))
    assert "'../../.bashrc'" in message and "not a plain file name" in message


def test_zip_bomb_ratio(nothing_left_behind: Path) -> None:
    path = _zip(
        nothing_left_behind / "bomb.apkg",
        {"collection.anki2": bytes(20 << 20)},
        method=zipfile.ZIP_DEFLATED,
    )
    message = _read_error(path)
    assert "'collection.anki2'" in message and "zip bomb" in message and "max_ratio" in message


def test_zstd_bomb_inside_a_stored_member(nothing_left_behind: Path) -> None:
    bomb = zstandard.ZstdCompressor().compress(bytes(20 << 20))
    path = _zip(
        nothing_left_behind / "zstd-bomb.apkg",
        {"meta": _meta(3), "collection.anki21b": bomb},
    )
    message = _read_error(path)
    assert "'collection.anki21b'" in message and "zip bomb" in message


def test_total_unpacked_size_cap(
    source_packages: SourcePackages, nothing_left_behind: Path
) -> None:
    message = _read_error(
        source_packages.latest_apkg, limits=PackageLimits(max_unpacked_bytes=10_000)
    )
    assert "limit of 10,000 bytes" in message and "max_unpacked_bytes" in message


def test_sqlite_file_that_is_not_a_collection(nothing_left_behind: Path) -> None:
    path = nothing_left_behind / "collection.anki2"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE recipes (name TEXT)")
    db.commit()
    db.close()
    message = _read_error(path)
    assert "not an Anki collection" in message and "collection.anki2" in message
    packaged = _zip(nothing_left_behind / "recipes.apkg", {"collection.anki2": path.read_bytes()})
    path.unlink()
    assert "not an Anki collection" in _read_error(packaged)


def test_garbage_collection_member(nothing_left_behind: Path) -> None:
    path = _zip(nothing_left_behind / "garbage.apkg", {"collection.anki21": b"no database" * 100})
    message = _read_error(path)
    assert "not a readable Anki collection" in message and "collection.anki21" in message


def test_unknown_package_version(
    source_packages: SourcePackages, nothing_left_behind: Path
) -> None:
    with zipfile.ZipFile(source_packages.latest_apkg) as src:
        members = {i.filename: src.read(i) for i in src.infolist()}
    members["meta"] = _meta(9)
    message = _read_error(_zip(nothing_left_behind / "future.apkg", members))
    assert "unknown package version 9" in message and "Support older Anki versions" in message


def test_empty_package(nothing_left_behind: Path) -> None:
    message = _read_error(_zip(nothing_left_behind / "empty.apkg", {}))
    assert "no Anki collection inside" in message


def test_latest_media_list_that_is_not_protobuf(
    source_packages: SourcePackages, nothing_left_behind: Path
) -> None:
    with zipfile.ZipFile(source_packages.latest_apkg) as src:
        members = {i.filename: src.read(i) for i in src.infolist()}
    members["media"] = zstandard.ZstdCompressor().compress(b"\xff\xff\xff not protobuf")
    assert MediaEntries  # the real list is a MediaEntries message
    message = _read_error(_zip(nothing_left_behind / "media.apkg", members))
    assert "media list is corrupt" in message


def test_missing_file(nothing_left_behind: Path) -> None:
    assert "cannot be opened" in _read_error(nothing_left_behind / "nowhere.apkg")


def test_failed_write_leaves_no_file(
    source_packages: SourcePackages, nothing_left_behind: Path
) -> None:
    bundles = read_package(source_packages.latest_apkg, samples=3)
    target = nothing_left_behind / "out.apkg"

    def interrupted(done: int, total: int) -> None:
        raise KeyboardInterrupt  # the user pressed Ctrl-C half way

    with pytest.raises(KeyboardInterrupt):
        write_package(bundles, target, progress=interrupted)
    assert list(nothing_left_behind.iterdir()) == []


def test_write_rejects_duplicate_names(
    source_packages: SourcePackages, nothing_left_behind: Path
) -> None:
    [first, *_] = read_package(source_packages.latest_apkg, samples=0)
    twin = replace(first, notetype=replace(first.notetype, id=None))
    with pytest.raises(PackageError, match="both called"):
        write_package([first, twin], nothing_left_behind / "twins.apkg")
    assert list(nothing_left_behind.iterdir()) == []
