"""``atd import``, ``atd export`` and ``atd anki``: through Typer's CliRunner, on real files."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from anki.collection import Collection
from typer.testing import CliRunner

from anki_template_designer.cli.interop import register
from anki_template_designer.formats.apkg import read_package
from anki_template_designer.formats.folder import read_folder
from formats.ankiconnect_server import AnkiConnectServer
from formats.conftest import SourcePackages, add_rich_notetype, source_packages

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
