"""``atd lint`` on note type folders, schema-11 JSON files and workspace note types."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from anki_template_designer.cli.main import app
from anki_template_designer.core.schema11 import from_schema11
from anki_template_designer.formats.bundle import NoteTypeBundle
from anki_template_designer.formats.folder import write_folder
from anki_template_designer.store import Workspace

from .conftest import basic_notetype

UNKNOWN = "Found '{{Frnt}}', but there is no field called 'Frnt'"


def atd(*args: str) -> tuple[int, str, str]:
    """Run ``atd``; return the exit code, standard output and standard error."""
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def broken(name: str = "Demo", css: str = ".card { font-size: 20px; }") -> dict[str, Any]:
    """A Basic note type whose front refers to a misspelt field on line 2, column 4."""
    notetype = basic_notetype(name)
    notetype["css"] = css
    notetype["tmpls"][0]["qfmt"] = "{{Front}}\n<p>{{Frnt}}</p>"
    return notetype


def write_json(path: Path, data: object) -> Path:
    """Write ``data`` as indented JSON; returns ``path``."""
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def make_folder(path: Path, data: dict[str, Any]) -> Path:
    """A note type folder for the schema-11 note type ``data``."""
    write_folder(NoteTypeBundle(from_schema11(data), ()), path)
    return path


def test_folder_diagnostics_name_the_template_file(tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "Demo", broken())
    code, out, err = atd("lint", str(folder))
    assert code == 1
    assert out.splitlines() == [
        f"{folder / 'Card_1.front.html'}:2:4: error unknown-field {UNKNOWN}"
    ]
    assert f"{folder}: 1 error" in err


def test_folder_css_diagnostics_name_the_stylesheet(tmp_path: Path) -> None:
    css = ".card { font-size: 20px; }\n* { margin: 0; }"
    folder = make_folder(tmp_path / "Demo", {**basic_notetype("Demo"), "css": css})
    code, out, _ = atd("lint", str(folder))
    assert code == 0  # information and warnings only
    lines = [line for line in out.splitlines() if "expensive-css" in line]
    assert lines and lines[0].startswith(f"{folder / 'style.css'}:2:1: info expensive-css ")


def test_fix_writes_only_the_changed_file_and_is_idempotent(tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "Demo", broken())
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    code, _, err = atd("lint", "--fix", str(folder))
    assert code == 0
    assert f"{folder}: fixed 1 problem (wrote {folder / 'Card_1.front.html'})" in err
    after = {p.name: p.read_bytes() for p in folder.iterdir()}
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"Card_1.front.html"}
    assert after["Card_1.front.html"] == b"{{Front}}\n<p>{{Front}}</p>\n"
    code, _, err = atd("lint", "--fix", str(folder))
    assert code == 0 and "nothing to fix" in err
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == after


def test_json_file_locations_and_fix_keep_other_keys(tmp_path: Path) -> None:
    data = broken()
    data["tmpls"][0]["custom"] = {"kept": True}
    path = write_json(tmp_path / "demo.json", data)
    code, out, _ = atd("lint", str(path))
    assert code == 1
    assert out.splitlines() == [f"{path}:Card 1:front:2:4: error unknown-field {UNKNOWN}"]
    code, _, err = atd("lint", "--fix", str(path))
    assert code == 0 and "fixed 1 problem" in err
    saved = json.loads(path.read_text("utf-8"))
    assert saved["tmpls"][0]["qfmt"] == "{{Front}}\n<p>{{Front}}</p>"
    assert saved["tmpls"][0]["custom"] == {"kept": True}
    assert {k: v for k, v in saved.items() if k != "tmpls"} == {
        k: v for k, v in data.items() if k != "tmpls"
    }


def test_json_list_fixes_every_note_type(tmp_path: Path) -> None:
    path = write_json(tmp_path / "both.json", [broken("One"), broken("Two")])
    code, _, _ = atd("lint", "--fix", str(path))
    assert code == 0
    saved = json.loads(path.read_text("utf-8"))
    assert [n["tmpls"][0]["qfmt"] for n in saved] == ["{{Front}}\n<p>{{Front}}</p>"] * 2


def test_json_format_is_a_list_of_diagnostics(tmp_path: Path) -> None:
    path = write_json(tmp_path / "demo.json", broken())
    code, out, _ = atd("lint", "--format", "json", str(path))
    assert code == 1
    [row] = json.loads(out)
    assert row["rule"] == "unknown-field" and row["severity"] == "error"
    assert (row["line"], row["column"], row["part"], row["template_name"]) == (
        2,
        4,
        "front",
        "Card 1",
    )
    assert row["fix"] == "Use the field 'Front'"
    assert row["docs_url"].startswith("https://") and row["explanation"]


def test_severity_filters_what_is_shown(tmp_path: Path) -> None:
    data = {**basic_notetype("Demo"), "css": ".card { font-size: 20px; }\n.hint { color: #333; }"}
    path = write_json(tmp_path / "demo.json", data)
    _, out, _ = atd("lint", str(path))
    assert "warning no-night-mode" in out
    code, out, _ = atd("lint", "--severity", "error", str(path))
    assert code == 0 and out == ""


def test_workspace_note_type_by_name_and_fix_saves_a_revision(isolated_workspace: Path) -> None:
    with Workspace.open(isolated_workspace) as workspace:
        revision = workspace.save_notetype(NoteTypeBundle(from_schema11(broken()), ()), "me")
    code, out, _ = atd("lint", "Demo")
    assert code == 1
    assert out.splitlines() == [f"Demo:Card 1:front:2:4: error unknown-field {UNKNOWN}"]
    code, _, err = atd("lint", "--fix", "Demo")
    assert code == 0 and "fixed 1 problem" in err
    with Workspace.open(isolated_workspace) as workspace:
        bundle = workspace.get_notetype("Demo")
        assert workspace.notetype_summary("Demo").current_revision != revision.id
    assert bundle.notetype.templates[0].front == "{{Front}}\n<p>{{Front}}</p>"


def test_several_paths_exit_one_when_any_has_an_error(tmp_path: Path) -> None:
    good = write_json(tmp_path / "good.json", basic_notetype("Good"))
    bad = write_json(tmp_path / "bad.json", broken())
    code, out, err = atd("lint", str(good), str(bad))
    assert code == 1
    assert f"{good}: no problems" in err and f"{bad}: 1 error" in err
    assert out.count("\n") == 1


def test_unknown_name_is_a_clear_error(tmp_path: Path) -> None:
    code, out, err = atd("lint", str(tmp_path / "nothing-here"))
    assert code == 2 and out == ""
    assert "no file or folder of that name" in err and "atd import FILE" in err


def test_invalid_json_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    code, _, err = atd("lint", str(path))
    assert code == 2 and f"{path}:1:2: not valid JSON" in err


def test_folder_without_manifest_is_a_clear_error(tmp_path: Path) -> None:
    code, _, err = atd("lint", str(tmp_path))
    assert code == 2 and "not a note type folder (notetype.toml is missing)" in err


def test_missing_template_file_is_a_clear_error(tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "Demo", broken())
    (folder / "Card_1.back.html").unlink()
    code, _, err = atd("lint", str(folder))
    assert code == 2 and "Card_1.back.html: file is missing" in err


def test_a_package_is_refused_with_what_to_do(tmp_path: Path) -> None:
    package = tmp_path / "deck.apkg"
    package.write_bytes(b"PK\x03\x04")
    code, _, err = atd("lint", str(package))
    assert code == 2 and "not Anki packages" in err and "atd import" in err
