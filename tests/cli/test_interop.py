"""``atd import``, ``atd export`` and ``atd anki``: through Typer's CliRunner, on real files."""

from __future__ import annotations

import copy
import io
import json
import re
import socket
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import typer
from anki.collection import Collection
from anki.import_export_pb2 import PackageMetadata
from rich.console import Console
from typer.testing import CliRunner

from anki_template_designer.cli import feedback, sources
from anki_template_designer.cli.interop import register
from anki_template_designer.formats.apkg import PackageLimits, read_package
from anki_template_designer.formats.folder import read_folder
from formats.ankiconnect_server import AnkiConnectServer
from formats.conftest import RICH_NOTES, SourcePackages, add_rich_notetype, source_packages

__all__ = ["source_packages"]  # the session fixture, shared with tests/formats


def make_app() -> typer.Typer:
    """An ``atd``-like app with only the interop commands."""
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """atd"""

    register(app)
    return app


APP = make_app()


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run the app; return exit code, standard output and standard error."""
    result = CliRunner().invoke(APP, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def imported(source_packages: SourcePackages, tmp_path: Path) -> Path:
    """The rich note type's folder, imported from the latest-format package."""
    code, _, err = run("import", str(source_packages.latest_apkg), "--to", str(tmp_path / "nts"))
    assert code == 0, err
    return tmp_path / "nts" / "ATD_Rich"


def test_import_package_writes_one_folder_per_notetype(
    source_packages: SourcePackages, tmp_path: Path
) -> None:
    code, out, _ = run(
        "import", str(source_packages.legacy2_apkg), "--to", str(tmp_path), "--samples", "2"
    )
    assert code == 0
    assert sorted(Path(line).name for line in out.splitlines()) == ["ATD_Rich", "Cloze"]
    bundle = read_folder(tmp_path / "ATD_Rich")
    assert bundle.notetype.id == source_packages.rich_id and len(bundle.samples) == 2


def test_export_every_format_and_import_back(imported: Path, tmp_path: Path) -> None:
    original = read_folder(imported)
    code, _, err = run("export", str(imported), "--format", "apkg", "-o", str(tmp_path / "x.apkg"))
    assert code == 0, err
    [from_apkg] = read_package(tmp_path / "x.apkg")
    assert from_apkg.notetype.templates == original.notetype.templates
    assert run("export", str(imported), "-f", "crowdanki", "-o", str(tmp_path / "ca"))[0] == 0
    assert json.loads((tmp_path / "ca" / "deck.json").read_text())["note_models"][0]["name"] == (
        "ATD Rich"
    )
    assert run("export", str(imported), "-f", "folder", "-o", str(tmp_path / "copy"))[0] == 0
    assert read_folder(tmp_path / "copy") == original
    for source in (tmp_path / "ca", tmp_path / "ca" / "deck.json", tmp_path / "copy"):
        code, out, err = run("import", str(source), "--to", str(tmp_path / "again"))
        assert code == 0, err
        assert read_folder(Path(out.strip())).notetype.templates == original.notetype.templates


def test_corrupt_package_fails_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "bad.apkg").write_bytes(b"PK\x03\x04 not really a zip")
    code, _, err = run("import", str(tmp_path / "bad.apkg"), "--to", str(tmp_path / "out"))
    assert code == 1 and err.startswith("atd: ") and "bad.apkg" in err
    assert not (tmp_path / "out").exists()


def test_import_refuses_a_foreign_folder_before_writing(
    source_packages: SourcePackages, tmp_path: Path
) -> None:
    (tmp_path / "Cloze").mkdir()
    (tmp_path / "Cloze" / "mine.txt").write_text("keep")
    code, _, err = run("import", str(source_packages.latest_apkg), "--to", str(tmp_path))
    assert code == 1 and "not a note type folder; nothing was written" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Cloze"]


def test_missing_source_and_bad_folder(tmp_path: Path) -> None:
    code, _, err = run("import", str(tmp_path / "nope.apkg"), "--to", str(tmp_path / "o"))
    assert code == 1 and "no such file" in err
    code, _, err = run("export", str(tmp_path), "-f", "folder", "-o", str(tmp_path / "o"))
    assert code == 1 and "notetype.toml is missing" in err


@pytest.mark.parametrize(
    "args",
    [
        ("import", "x.apkg", "--to", "d", "--workspace", "w"),
        ("anki", "pull", "Basic", "--to", "d", "--database-url", "sqlite://"),
        ("export", "dir", "--format", "zip", "-o", "out"),
        ("import", "x.apkg", "--to", "d", "--samples", "-1"),
        ("anki", "pull"),
    ],
)
def test_usage_errors_exit_2(args: tuple[str, ...]) -> None:
    assert run(*args)[0] == 2


@pytest.fixture
def anki(tmp_path: Path) -> Iterator[tuple[Collection, AnkiConnectServer]]:
    """A collection with the rich note type, served by the AnkiConnect stand-in."""
    (tmp_path / "anki").mkdir()
    col = Collection(str(tmp_path / "anki" / "collection.anki2"))
    add_rich_notetype(col)
    try:
        with AnkiConnectServer(col, key="k") as server:
            yield col, server
    finally:
        col.close()


def test_anki_list_pull_push(anki: tuple[Collection, AnkiConnectServer], tmp_path: Path) -> None:
    col, server = anki
    env = {"ATD_ANKICONNECT_URL": server.url, "ATD_ANKICONNECT_KEY": "k"}
    code, out, _ = run("anki", "list", env=env)
    assert code == 0 and any(line.startswith("ATD Rich\t") for line in out.splitlines())

    code, out, err = run("anki", "pull", "ATD Rich", "--to", str(tmp_path / "pulled"), env=env)
    assert code == 0, err
    folder = Path(out.strip())
    front = folder / "Forward.front.html"
    front.write_text("{{Front}} edited\n")

    code, out, err = run("anki", "push", str(folder), "--dry-run", env=env)
    assert code == 0 and "+{{Front}} edited" in out and "would update card type 'Forward'" in err
    stored = col.models.by_name("ATD Rich")
    assert stored is not None and stored["tmpls"][0]["qfmt"] != "{{Front}} edited"

    code, out, err = run("anki", "push", str(folder), env=env)
    assert code == 0, err
    stored = col.models.by_name("ATD Rich")
    assert stored is not None and stored["tmpls"][0]["qfmt"] == "{{Front}} edited"
    assert "already up to date" in run("anki", "push", str(folder), env=env)[2]


def test_anki_errors_exit_1(anki: tuple[Collection, AnkiConnectServer]) -> None:
    _, server = anki
    code, _, err = run("anki", "list", "--url", server.url, "--key", "wrong")
    assert code == 1 and "API key was wrong" in err
    code, _, err = run("anki", "pull", "Nope", "--to", "x", "--url", server.url, "--key", "k")
    assert code == 1 and "no note type called 'Nope'" in err


# Bad input: every kind fails with its own message, exit 1, and leaves nothing behind.


def _members(package: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(package) as src:
        return {info.filename: src.read(info) for info in src.infolist()}


def _zip(path: Path, members: dict[str, bytes], method: int = zipfile.ZIP_STORED) -> Path:
    with zipfile.ZipFile(path, "w", compression=method) as out:
        for name, data in members.items():
            out.writestr(name, data)
    return path


def _corrupt(packages: SourcePackages, folder: Path) -> Path:
    path = folder / "corrupt.apkg"
    path.write_bytes(b"PK\x03\x04 this is not really a zip archive" * 20)
    return path


def _truncated(packages: SourcePackages, folder: Path) -> Path:
    data = packages.latest_apkg.read_bytes()
    path = folder / "truncated.apkg"
    path.write_bytes(data[: len(data) // 2])
    return path


def _zip_slip(packages: SourcePackages, folder: Path) -> Path:
    members = _members(packages.legacy2_apkg)
    members["../../outside.txt"] = b"gotcha"
    return _zip(folder / "slip.apkg", members)


def _ratio_bomb(packages: SourcePackages, folder: Path) -> Path:
    bomb = {"collection.anki2": bytes(20 << 20)}
    return _zip(folder / "bomb.apkg", bomb, zipfile.ZIP_DEFLATED)


def _size_bomb(packages: SourcePackages, folder: Path) -> Path:
    return packages.latest_apkg  # read with a 10,000-byte cap on the total unpacked size


def _not_anki(packages: SourcePackages, folder: Path) -> Path:
    db_path = folder / "recipes.db"
    db = sqlite3.connect(db_path)
    db.execute("CREATE TABLE recipes (name TEXT)")
    db.commit()
    db.close()
    data = db_path.read_bytes()
    db_path.unlink()
    return _zip(folder / "recipes.apkg", {"collection.anki2": data})


def _future_version(packages: SourcePackages, folder: Path) -> Path:
    members = _members(packages.latest_apkg)
    members["meta"] = PackageMetadata(version=9).SerializeToString()  # type: ignore[arg-type]
    return _zip(folder / "future.apkg", members)


def _crowdanki_missing_key(packages: SourcePackages, folder: Path) -> Path:
    deck = folder / "deck"
    deck.mkdir()
    model = {"name": "Geo", "flds": [{"name": "Country"}], "tmpls": []}  # no crowdanki_uuid
    (deck / "deck.json").write_text(json.dumps({"name": "Geo", "note_models": [model]}))
    return deck


BAD_INPUTS = {
    "corrupt zip": (_corrupt, r"corrupt\.apkg: not a readable Anki package.*corrupt or truncated"),
    "truncated": (_truncated, r"truncated\.apkg: not a readable Anki package"),
    "zip slip": (_zip_slip, r"'\.\./\.\./outside\.txt' has an unsafe path"),
    "zip bomb ratio": (_ratio_bomb, r"unpacks to .* \(more than 200:1\).*zip bomb"),
    "zip bomb size": (_size_bomb, r"exceed the limit of 10,000 bytes.*zip bomb"),
    "not an anki collection": (_not_anki, r"this SQLite file is not an Anki collection"),
    "unknown version": (_future_version, r"unknown package version 9"),
    "crowdanki missing key": (_crowdanki_missing_key, r"key 'crowdanki_uuid' is missing"),
}


def _temp_leftovers() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("atd-*")}


@pytest.mark.parametrize("kind", sorted(BAD_INPUTS))
def test_bad_input_fails_with_its_message_and_writes_nothing(
    kind: str, source_packages: SourcePackages, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make, message = BAD_INPUTS[kind]
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    bad = make(source_packages, inputs)
    if kind == "zip bomb size":
        monkeypatch.setitem(
            read_package.__kwdefaults__, "limits", PackageLimits(max_unpacked_bytes=10_000)
        )
    before = sorted(p.name for p in inputs.iterdir())
    # A temporary folder of this test's own: other tests (other xdist workers) make and
    # remove atd-* folders in the shared one meanwhile.
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    temps = _temp_leftovers()
    out = tmp_path / "out"
    code, stdout, err = run("import", str(bad), "--to", str(out))
    assert code == 1 and stdout == ""
    assert err.startswith("atd: ") and re.search(message, err, re.DOTALL), err
    assert not out.exists()
    assert sorted(p.name for p in inputs.iterdir()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inputs", "tmp"]
    assert _temp_leftovers() == temps


def test_a_bad_later_note_type_stops_the_import_before_any_folder_is_written(
    tmp_path: Path,
) -> None:
    deck = tmp_path / "deck"
    (deck / "media").mkdir(parents=True)
    (deck / "media" / "A.png").write_bytes(b"1")
    (deck / "media" / "a.png").write_bytes(b"2")
    good = {
        "crowdanki_uuid": "u1",
        "name": "Good",
        "flds": [{"name": "F"}],
        "tmpls": [{"name": "C", "qfmt": "{{F}}", "afmt": "{{F}}"}],
    }
    clash = {**good, "crowdanki_uuid": "u2", "name": "Clash"}
    clash["tmpls"] = [{"name": "C", "qfmt": '<img src="A.png"><img src="a.png">', "afmt": ""}]
    (deck / "deck.json").write_text(json.dumps({"name": "D", "note_models": [good, clash]}))
    code, _, err = run("import", str(deck), "--to", str(tmp_path / "out"))
    assert code == 1 and "'A.png' and 'a.png' differ only in case" in err
    assert not (tmp_path / "out").exists()
    (tmp_path / "out").mkdir()
    code, _, err = run("import", str(deck), "--to", str(tmp_path / "out"))
    assert code == 1 and list((tmp_path / "out").iterdir()) == []


def test_ankiconnect_error_reply_on_pull_writes_nothing(
    anki: tuple[Collection, AnkiConnectServer], tmp_path: Path
) -> None:
    col, _ = anki
    with AnkiConnectServer(col, key="k", failures={"findModelsByName": "collection is busy"}) as s:
        code, stdout, err = run(
            "anki", "pull", "ATD Rich", "--to", str(tmp_path / "out"), "--url", s.url, "--key", "k"
        )
    assert code == 1 and stdout == ""
    assert "AnkiConnect could not run 'findModelsByName': collection is busy" in err
    assert not (tmp_path / "out").exists()


def test_import_keeps_20_samples_by_default(
    source_packages: SourcePackages, tmp_path: Path
) -> None:
    assert run("import", str(source_packages.latest_apkg), "--to", str(tmp_path))[0] == 0
    assert len(read_folder(tmp_path / "ATD_Rich").samples) == 20 < RICH_NOTES


def test_anki_push_error_reply_leaves_anki_as_it_was(
    anki: tuple[Collection, AnkiConnectServer], tmp_path: Path
) -> None:
    col, server = anki
    env = {"ATD_ANKICONNECT_URL": server.url, "ATD_ANKICONNECT_KEY": "k"}
    assert run("anki", "pull", "ATD Rich", "--to", str(tmp_path), env=env)[0] == 0
    folder = tmp_path / "ATD_Rich"
    (folder / "Forward.front.html").write_text("{{Front}} edited\n")
    (folder / "style.css").write_text("/* new */\n")
    before = copy.deepcopy(col.models.by_name("ATD Rich"))
    with AnkiConnectServer(col, key="k", failures={"updateModelStyling": "database locked"}) as s:
        code, _, err = run("anki", "push", str(folder), "--url", s.url, "--key", "k")
    assert code == 1 and "could not run 'updateModelStyling': database locked" in err
    assert "as it was" in err
    col.models._clear_cache()
    after = col.models.by_name("ATD Rich")
    assert after is not None and before is not None
    assert [t["qfmt"] for t in after["tmpls"]] == [t["qfmt"] for t in before["tmpls"]]
    assert after["css"] == before["css"]


def test_anki_not_running_says_so(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, _, err = run("anki", "list", "--url", f"http://127.0.0.1:{port}")
    assert code == 1 and "Anki is not running or AnkiConnect is missing" in err
    assert "code 2055492159" in err


def test_progress_bars_count_bytes_on_import_and_notes_on_export(
    source_packages: SourcePackages, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sink = io.StringIO()
    console = Console(file=sink, force_terminal=True, width=100)
    monkeypatch.setattr(feedback, "_stderr", lambda: console)
    assert run("import", str(source_packages.latest_apkg), "--to", str(tmp_path / "nts"))[0] == 0
    drawn = sink.getvalue()
    assert "Reading latest.apkg" in drawn
    # Packed bytes of the members read (the collection and the media it uses), not every member.
    done, total = re.findall(r"([\d.]+)/([\d.]+) kB", drawn)[-1]
    assert done == total and 0 < float(total) * 1000 < source_packages.latest_apkg.stat().st_size
    sink.truncate(0)
    sink.seek(0)
    out = tmp_path / "x.apkg"
    assert run("export", str(tmp_path / "nts" / "ATD_Rich"), "-f", "apkg", "-o", str(out))[0] == 0
    drawn = sink.getvalue()
    assert "Writing x.apkg" in drawn and "21/21" in drawn  # 20 sample notes, then the package


def test_an_import_interrupted_after_its_first_folder_removes_it(
    source_packages: SourcePackages, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    @contextmanager
    def ctrl_c_after_one_folder(description: str, *, in_bytes: bool) -> Iterator[object]:
        def update(done: int, total: int) -> None:
            raise KeyboardInterrupt  # the user pressed Ctrl-C once one folder was written

        yield update

    monkeypatch.setattr(sources, "progress", ctrl_c_after_one_folder)
    (tmp_path / "out" / "Cloze").mkdir(parents=True)  # an empty folder the import may fill
    bundles = read_package(source_packages.latest_apkg, samples=1)
    with pytest.raises(KeyboardInterrupt):
        sources.write_folders(bundles, tmp_path / "out")
    assert [(p.name, list(p.iterdir())) for p in (tmp_path / "out").iterdir()] == [("Cloze", [])]
