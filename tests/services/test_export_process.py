"""The export process: packages written in a child process, as the in-process writer does."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import MappingProxyType

import pytest

from anki_template_designer.core.model import Note
from anki_template_designer.core.schema11 import from_schema11
from anki_template_designer.formats.apkg import read_package, write_package
from anki_template_designer.formats.apkg_write import BlankCollection
from anki_template_designer.formats.bundle import NoteTypeBundle
from anki_template_designer.formats.errors import PackageError
from anki_template_designer.services.export_process import (
    ExportProcess,
    bundle_from_json,
    bundle_to_json,
)

DOT = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


def bundle(name: str = "Basic ATD", notetype_id: int = 1700000000001) -> NoteTypeBundle:
    notetype = from_schema11(
        {
            "name": name,
            "id": notetype_id,
            "flds": [{"name": "Front"}, {"name": "Back"}],
            "tmpls": [
                {"name": "Card 1", "qfmt": '{{Front}}<img src="dot.png">', "afmt": "{{Back}}"}
            ],
            "css": ".card { color: navy; }",
        }
    )
    note = Note(fields=MappingProxyType({"Front": "cat", "Back": "Katze"}), tags=("animals",))
    return NoteTypeBundle(notetype, (note,), MappingProxyType({"dot.png": DOT}))


@pytest.fixture(scope="module")
def exporter() -> Iterator[ExportProcess]:
    process = ExportProcess()
    yield process
    process.close()


def wait_gone(pid: int) -> None:
    """Wait (without asserting how long) until process ``pid`` has exited."""
    for _ in range(2000):
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.005)
    raise AssertionError(f"process {pid} is still running")


def test_a_bundle_crosses_as_json_unchanged() -> None:
    original = bundle()
    assert bundle_from_json(bundle_to_json(original)) == original


def test_the_child_writes_what_the_server_would(exporter: ExportProcess, tmp_path: Path) -> None:
    exporter.write_package([bundle()], tmp_path / "child.apkg")
    write_package([bundle()], tmp_path / "here.apkg")
    (child,) = read_package(tmp_path / "child.apkg")
    (here,) = read_package(tmp_path / "here.apkg")
    assert child.notetype.templates == here.notetype.templates
    assert child.notetype.css == here.notetype.css
    # Card ids are Anki's own (time-based): everything else of a sample is the same.
    assert [(n.fields, n.tags, n.deck) for n in child.samples] == [
        (n.fields, n.tags, n.deck) for n in here.samples
    ]
    assert dict(child.media) == dict(here.media) == {"_dot.png": DOT}


def test_a_package_error_reaches_the_caller(exporter: ExportProcess, tmp_path: Path) -> None:
    with pytest.raises(PackageError, match="both called 'Twin'; Anki needs unique names"):
        exporter.write_package([bundle("Twin"), bundle("Twin")], tmp_path / "twins.apkg")
    assert not (tmp_path / "twins.apkg").exists()
    exporter.write_package([bundle()], tmp_path / "after.apkg")  # the child still serves
    assert (tmp_path / "after.apkg").is_file()


def test_a_child_that_died_is_started_again(tmp_path: Path) -> None:
    process = ExportProcess()
    try:
        process.start()
        pid = process.pid
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        wait_gone(pid)
        process.write_package([bundle()], tmp_path / "again.apkg")
        assert (tmp_path / "again.apkg").is_file()
        assert process.started == 2
        assert process.pid not in (None, pid)
    finally:
        process.close()
    assert process.pid is None


def test_an_idle_child_leaves_and_comes_back_on_demand(tmp_path: Path) -> None:
    process = ExportProcess(idle_exit=0.01)
    try:
        process.start()
        pid = process.pid
        assert pid is not None
        wait_gone(pid)  # it left by itself
        # The next child must not leave before the request reaches it (a busy machine).
        process.idle_exit = 60.0
        process.write_package([bundle()], tmp_path / "later.apkg")
        assert (tmp_path / "later.apkg").is_file()
        assert process.started == 2
    finally:
        process.close()


def test_the_server_never_loads_anki_for_an_export(tmp_path: Path) -> None:
    request = json.dumps(bundle_to_json(bundle()))
    script = f"""
import json, sys
from pathlib import Path
from anki_template_designer.services.export_process import ExportProcess, bundle_from_json
process = ExportProcess()
package = bundle_from_json(json.loads({request!r}))
process.write_package([package], Path({str(tmp_path / "x.apkg")!r}))
process.close()
print(sorted(m for m in sys.modules if m == "anki" or m.startswith("anki.")))
"""
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONPATH=str(root / "src"))
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.strip() == "[]"
    assert (tmp_path / "x.apkg").is_file()


def test_a_package_from_the_blank_collection_is_the_same(tmp_path: Path) -> None:
    blank = BlankCollection.make(tmp_path)
    two = [bundle(), bundle("Basic ATD 2", 1700000000002)]
    write_package(two, tmp_path / "blank.apkg", blank=blank)
    write_package(two, tmp_path / "new.apkg")
    write_package([bundle()], tmp_path / "again.apkg", blank=blank)  # the blank is unchanged

    def content(package: Path) -> list[tuple[object, ...]]:
        # Everything but the modification time, which is the time of writing.
        return [
            (
                b.notetype.id,
                b.notetype.name,
                b.notetype.fields,
                b.notetype.templates,
                b.notetype.css,
                dict(b.media),
                [n.fields for n in b.samples],
            )
            for b in read_package(package)
        ]

    assert len(content(tmp_path / "blank.apkg")) == 2
    assert content(tmp_path / "blank.apkg") == content(tmp_path / "new.apkg")
    assert content(tmp_path / "again.apkg") == content(tmp_path / "new.apkg")[:1]
