"""``atd import|export|list`` and ``atd anki pull|push`` on the workspace, through the real app."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from anki.collection import Collection
from typer.testing import CliRunner

from anki_template_designer.cli.main import app
from anki_template_designer.core.model import Note
from anki_template_designer.formats.apkg import read_package
from anki_template_designer.formats.bundle import NoteTypeBundle
from anki_template_designer.formats.folder import read_folder
from anki_template_designer.server import load_settings
from anki_template_designer.services.workspace_transfer import (
    current_author,
    describe_location,
    workspace_location,
)
from anki_template_designer.store import Workspace
from formats.ankiconnect_server import AnkiConnectServer
from formats.conftest import SourcePackages, add_rich_notetype, source_packages
from store.helpers import basic_bundle

__all__ = ["source_packages"]  # the session fixture, shared with tests/formats

LINE = re.compile(r"^(created|updated|unchanged): (.+) \(id ([0-9a-f]{32}), revision (\d+)\)$")


def atd(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run ``atd``; return the exit code, standard output and standard error."""
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def imported_lines(out: str) -> list[tuple[str, str, str, int]]:
    """(status, name, id, revision) of each line ``atd import`` printed."""
    found = []
    for line in out.splitlines():
        match = LINE.match(line)
        assert match, line
        found.append((match[1], match[2], match[3], int(match[4])))
    return found


def open_default(isolated_workspace: Path) -> Workspace:
    """The workspace the commands use by default in these tests."""
    return Workspace.open(isolated_workspace)


Filled = dict[str, tuple[str, str, int]]


@pytest.fixture
def filled(source_packages: SourcePackages, isolated_workspace: Path) -> Filled:
    """The default workspace after importing the latest package: name -> status, id, revision."""
    code, out, err = atd("import", str(source_packages.latest_apkg), "--samples", "3")
    assert code == 0, err
    return {name: (status, id_, revision) for status, name, id_, revision in imported_lines(out)}


def test_import_into_the_default_workspace(filled: Filled, isolated_workspace: Path) -> None:
    assert {name: status for name, (status, *_) in filled.items()} == {
        "ATD Rich": "created",
        "Cloze": "created",
    }
    _, rich_id, rich_revision = filled["ATD Rich"]
    with open_default(isolated_workspace) as workspace:
        rich = workspace.get_notetype("ATD Rich")
        assert len(rich.samples) == 3 and "_logo.png" in rich.media
        assert workspace.notetype_summary("ATD Rich").id == rich_id
    code, out, _ = atd("list")
    assert code == 0
    assert out.splitlines()[0] == f"ATD Rich\t{rich_id}\t{rich_revision}"
    assert atd("list", "cloz")[1].startswith("Cloze\t")


def test_import_again_is_unchanged_and_an_edit_updates(
    filled: Filled, source_packages: SourcePackages, tmp_path: Path
) -> None:
    code, out, _ = atd("import", str(source_packages.latest_apkg), "--samples", "3")
    assert code == 0
    assert [item[0] for item in imported_lines(out)] == ["unchanged", "unchanged"]
    assert atd("export", "ATD Rich", "-f", "folder", "-o", str(tmp_path / "rich"))[0] == 0
    (tmp_path / "rich" / "style.css").write_text(".card { color: blue; }\n")
    code, out, err = atd("import", str(tmp_path / "rich"))
    assert code == 0, err
    [(status, name, notetype_id, revision)] = imported_lines(out)
    assert (status, name, notetype_id) == ("updated", "ATD Rich", filled["ATD Rich"][1])
    assert revision > filled["ATD Rich"][2]
    assert "1 note type in the workspace sqlite:///" in err


@pytest.mark.parametrize("export_format", ["apkg", "crowdanki", "folder"])
def test_export_a_workspace_notetype(filled: Filled, tmp_path: Path, export_format: str) -> None:
    output = tmp_path / f"out-{export_format}"
    code, out, err = atd("export", "ATD Rich", "--format", export_format, "-o", str(output))
    assert code == 0, err
    assert out.strip() == str(output)
    code, out, err = atd("import", str(output), "--to", str(tmp_path / "back"))
    assert code == 0, err
    back = read_folder(tmp_path / "back" / "ATD_Rich")
    assert back.notetype.templates[0].browser_front == "{{text:Front}}"
    assert back.samples and "_logo.png" in back.media


def test_export_by_id_and_by_name_in_another_case(filled: Filled, tmp_path: Path) -> None:
    notetype_id = filled["Cloze"][1]
    assert atd("export", notetype_id, "-f", "apkg", "-o", str(tmp_path / "a.apkg"))[0] == 0
    assert [b.notetype.name for b in read_package(tmp_path / "a.apkg")] == ["Cloze"]
    assert atd("export", "atd rich", "-f", "folder", "-o", str(tmp_path / "r"))[0] == 0
    assert read_folder(tmp_path / "r").notetype.name == "ATD Rich"


def test_export_of_an_unknown_name(filled: Filled, tmp_path: Path) -> None:
    code, _, err = atd("export", "ATD Rch", "-f", "folder", "-o", str(tmp_path / "x"))
    assert code == 1
    assert err == (
        "atd: no note type 'ATD Rch' in the workspace and no file or folder of that name; "
        "did you mean 'ATD Rich'?\n"
    )
    assert not (tmp_path / "x").exists()


def test_export_from_an_empty_workspace_says_to_import(tmp_path: Path) -> None:
    code, _, err = atd("export", "Basic", "-f", "folder", "-o", str(tmp_path / "x"))
    assert code == 1 and "the workspace is empty (import a file first" in err


def test_a_name_matching_several_notetypes_is_ambiguous(
    isolated_workspace: Path, tmp_path: Path
) -> None:
    with open_default(isolated_workspace) as workspace:
        workspace.import_bundles([basic_bundle("Vocab"), basic_bundle("VOCAB")], "tester")
        ids = {s.name: s.id for s in workspace.list_notetypes()}
        # A note type named like another one's id: the argument could mean either.
        workspace.import_bundles([basic_bundle(ids["Vocab"])], "tester")
    code, _, err = atd("export", "vocab", "-f", "folder", "-o", str(tmp_path / "x"))
    assert code == 1 and "'vocab' matches several note types ignoring case" in err
    assert ids["Vocab"] in err and ids["VOCAB"] in err
    assert atd("export", "Vocab", "-f", "folder", "-o", str(tmp_path / "y"))[0] == 0
    code, _, err = atd("export", ids["Vocab"], "-f", "folder", "-o", str(tmp_path / "z"))
    assert code == 1 and "is the id of 'Vocab' and the name of another note type" in err


def test_workspace_and_database_url_options(
    source_packages: SourcePackages, tmp_path: Path, isolated_workspace: Path
) -> None:
    package = str(source_packages.legacy2_apkg)
    assert atd("import", package, "--workspace", str(tmp_path / "ws"))[0] == 0
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    assert atd("import", package, "--database-url", url)[0] == 0
    code, out, _ = atd("list", env={"ATD_DATABASE_URL": url})
    assert code == 0 and len(out.splitlines()) == 2
    # A folder on the command line beats the variable's URL, as for atd serve.
    code, out, _ = atd("list", "--workspace", str(tmp_path / "ws"), env={"ATD_DATABASE_URL": url})
    assert code == 0 and len(out.splitlines()) == 2
    assert not isolated_workspace.exists()  # the default was never touched


def test_a_missing_file_fails_before_the_workspace_is_opened(
    tmp_path: Path, isolated_workspace: Path
) -> None:
    code, _, err = atd("import", str(tmp_path / "nope.apkg"))
    assert code == 1 and "nope.apkg: no such file or folder" in err
    assert not isolated_workspace.exists()


def test_a_workspace_that_cannot_be_opened(tmp_path: Path, source_packages: SourcePackages) -> None:
    corrupt = tmp_path / "corrupt"
    corrupt.mkdir()
    (corrupt / "workspace.sqlite3").write_bytes(b"this is not a database" * 100)
    code, _, err = atd("import", str(source_packages.latest_apkg), "--workspace", str(corrupt))
    assert code == 1
    assert err.startswith(f"atd: cannot open the workspace {corrupt}: file is not a database;")
    assert "pass another --workspace folder" in err

    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    code, _, err = atd("list", env={"ATD_WORKSPACE": str(a_file)})
    assert code == 1 and "is a file; pass the folder that holds workspace.sqlite3" in err
    assert atd("list", "--workspace", str(a_file))[0] == 2  # the option itself refuses a file

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"postgresql://atd:hunter2@127.0.0.1:{port}/atd"
    code, _, err = atd("list", "--database-url", url)
    assert code == 1 and "cannot open the workspace postgresql://atd:***@" in err
    assert "hunter2" not in err and "Connection refused" in err

    code, _, err = atd("serve", "--workspace", str(corrupt), "--no-browser", "--port", "0")
    assert code == 1 and "file is not a database" in err

    code, _, err = atd("list", "--database-url", "nonsense://somewhere")
    assert code == 1 and "cannot open the workspace nonsense://somewhere: Can't load plugin" in err
    code, _, err = atd("list", "--database-url", "postgresql://me:pw@db:port/atd")
    assert code == 1 and "the database URL given: not a usable database URL" in err
    assert "pw" not in err
    code, _, err = atd("list", env={"ATD_WORKSPACE": str(a_file / "inside")})
    assert code == 1 and f"cannot open the workspace {a_file / 'inside'}: " in err
    assert "pass another --workspace folder" in err


def test_locations_read_as_a_person_would() -> None:
    assert describe_location(None).endswith("anki-template-designer (the default workspace)")
    assert describe_location("postgresql://me:pw@db/atd") == "postgresql://me:***@db/atd"
    assert describe_location("a b://x") == "the database URL given"
    assert describe_location("postgresql://me:pw@db:port/atd") == "the database URL given"
    assert describe_location("/srv/ws") == "/srv/ws"


@pytest.mark.parametrize(
    "args",
    [
        ("import", "x.apkg", "--to", "d", "--workspace", "w"),
        ("anki", "pull", "Basic", "--to", "d", "--database-url", "sqlite://"),
    ],
)
def test_to_and_a_workspace_together_is_a_usage_error(args: tuple[str, ...]) -> None:
    code, _, err = atd(*args)
    assert code == 2 and "Give one of them" in err


@pytest.mark.parametrize(
    ("environ", "flags"),
    [
        ({}, {}),
        ({"ATD_WORKSPACE": "/tmp/ws"}, {}),
        ({"ATD_WORKSPACE": "/tmp/ws", "ATD_DATABASE_URL": "sqlite:///x.db"}, {}),
        ({"ATD_DATABASE_URL": "sqlite:///x.db"}, {"workspace": Path("/tmp/flag")}),
        ({"ATD_WORKSPACE": "/tmp/ws"}, {"database_url": "sqlite:///flag.db"}),
        ({}, {"workspace": Path("/tmp/a"), "database_url": "sqlite:///b.db"}),
        ({"ATD_WORKSPACE": "~/ws", "ATD_AUTHOR": "ann"}, {}),
    ],
)
def test_workspace_location_is_atd_serves(
    environ: dict[str, str], flags: dict[str, object]
) -> None:
    settings = load_settings(environ, **flags)
    workspace = flags.get("workspace")
    database_url = flags.get("database_url")
    assert isinstance(workspace, Path | None) and isinstance(database_url, str | None)
    assert workspace_location(workspace, database_url, environ) == settings.workspace_location
    assert current_author(environ) == settings.author


@pytest.fixture
def anki(tmp_path: Path) -> Iterator[tuple[Collection, dict[str, str]]]:
    """A collection with the rich note type behind AnkiConnect; the env that points at it."""
    (tmp_path / "anki").mkdir()
    col = Collection(str(tmp_path / "anki" / "collection.anki2"))
    add_rich_notetype(col)
    try:
        with AnkiConnectServer(col, key="k") as server:
            yield col, {"ATD_ANKICONNECT_URL": server.url, "ATD_ANKICONNECT_KEY": "k"}
    finally:
        col.close()


def test_anki_pull_into_the_workspace_keeps_samples(
    anki: tuple[Collection, dict[str, str]], isolated_workspace: Path
) -> None:
    _, env = anki
    code, out, err = atd("anki", "pull", "ATD Rich", "Cloze", env=env)
    assert code == 0, err
    assert [(s, n) for s, n, *_ in imported_lines(out)] == [
        ("created", "ATD Rich"),
        ("created", "Cloze"),
    ]
    sample = Note({"Front": "mine"})
    with open_default(isolated_workspace) as workspace:
        rich = workspace.get_notetype("ATD Rich")
        workspace.save_notetype(NoteTypeBundle(rich.notetype, (sample,)), "tester")
        assert workspace.revisions("ATD Rich")[-1].summary == "pull from Anki"
    code, out, _ = atd("anki", "pull", "ATD Rich", env=env)
    assert code == 0 and imported_lines(out)[0][0] == "unchanged"
    with open_default(isolated_workspace) as workspace:
        assert workspace.get_notetype("ATD Rich").samples == (sample,)


def test_anki_push_a_workspace_notetype(
    anki: tuple[Collection, dict[str, str]], isolated_workspace: Path
) -> None:
    col, env = anki
    with open_default(isolated_workspace) as workspace:
        workspace.import_bundles([basic_bundle("ATD Vocab")], "tester")
    code, out, err = atd("anki", "push", "ATD Vocab", "--dry-run", env=env)
    assert code == 0, err
    assert "+++ b/ATD Vocab/Card_1.front.html" in out
    assert "ATD Vocab: would create the note type" in err
    assert col.models.by_name("ATD Vocab") is None
    code, _, err = atd("anki", "push", "atd vocab", env=env)
    assert code == 0 and "ATD Vocab: did: create the note type" in err
    assert col.models.by_name("ATD Vocab") is not None
    assert "already up to date" in atd("anki", "push", "ATD Vocab", env=env)[2]


def test_anki_errors(anki: tuple[Collection, dict[str, str]], tmp_path: Path) -> None:
    _, env = anki
    code, _, err = atd("anki", "push", "Nope", env=env)
    assert code == 1 and "no note type 'Nope' in the workspace and no file or folder" in err
    code, _, err = atd("anki", "pull", "ATD Rich", "Nope", env=env)
    assert code == 1 and "Anki has no note type called 'Nope'" in err
    code, _, err = atd("anki", "pull", "ATD Rich", env=dict(env, ATD_ANKICONNECT_KEY="bad"))
    assert code == 1 and "the API key was wrong" in err
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    code, _, err = atd("anki", "pull", "ATD Rich", "--url", closed)
    assert code == 1 and "Anki is not running" in err and "2055492159" in err
    code, _, err = atd("anki", "list", "--url", "ftp://example.org")
    assert code == 1 and "is not an AnkiConnect address" in err
