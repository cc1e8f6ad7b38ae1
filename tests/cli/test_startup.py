"""``atd`` starts without the modules only some commands need (issue #3: import speed).

Each case runs the real ``atd`` app in a fresh interpreter and reports which heavy modules
it loaded: the workspace store (SQLAlchemy), the server, Anki's collection (its Rust
backend) and the linter load only for the commands that use them. ``atd import --to`` also
starts without Rich (unless a progress bar is shown), the template engine, urllib.request
and the CrowdAnki format; a positive case for each shows that the probe would see it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from formats.conftest import SourcePackages, source_packages

from .conftest import EXAMPLES

__all__ = ["source_packages"]  # the session fixture, shared with tests/formats

HEAVY = (
    "sqlalchemy",
    "anki_template_designer.store",
    "anki_template_designer.server",
    "fastapi",
    "uvicorn",
    "anki.collection",
    "anki_template_designer.core.lint",
)
# Not heavy on their own, but ``atd import --to`` needs none of them (issue #3: its start-up).
NOT_FOR_IMPORT = (
    "rich",
    "anki_template_designer.core.template",
    "anki_template_designer.core.cards",
    "anki_template_designer.core.rendering",
    "urllib.request",
    "anki_template_designer.formats.crowdanki",
)
WATCHED = HEAVY + NOT_FOR_IMPORT

# Runs ``atd ARGS...`` as the console script does, then prints the watched modules it loaded.
_PROBE = f"""
import json, sys
from anki_template_designer.cli.main import app
try:
    app(sys.argv[1:], prog_name="atd")
    code = 0
except SystemExit as exit:
    code = exit.code
loaded = [name for name in {WATCHED!r} if name in sys.modules]
print(json.dumps({{"code": code, "loaded": loaded}}))
"""


def run_atd(
    *args: str,
    stdin: bytes = b"",
    workspace: Path | None = None,
    env: dict[str, str] | None = None,
) -> dict[str, object]:
    """Run ``atd ARGS`` in a fresh interpreter: its exit code, the watched modules it loaded
    and its standard error."""
    environ = {**os.environ, "ATD_WORKSPACE": str(workspace or Path(os.devnull)), **(env or {})}
    environ.pop("ATD_DATABASE_URL", None)
    for name in ("TTY_COMPATIBLE", "FORCE_COLOR"):  # standard error is a pipe: no bar
        if name not in (env or {}):
            environ.pop(name, None)
    process = subprocess.run(
        [sys.executable, "-c", _PROBE, *args],
        input=stdin,
        capture_output=True,
        check=False,
        env=environ,
    )
    assert process.returncode == 0, process.stderr.decode()
    result: dict[str, object] = json.loads(process.stdout.decode().splitlines()[-1])
    result["stderr"] = process.stderr.decode()
    return result


def loaded(result: dict[str, object]) -> set[str]:
    """The watched modules a run loaded."""
    names = result["loaded"]
    assert isinstance(names, list)
    return {str(name) for name in names}


def heavy(result: dict[str, object]) -> set[str]:
    """The HEAVY modules among those a run loaded."""
    return loaded(result) & set(HEAVY)


def test_import_to_folders_loads_none_of_them(
    source_packages: SourcePackages, tmp_path: Path
) -> None:
    out = tmp_path / "nts"
    result = run_atd("import", str(source_packages.latest_apkg), "--to", str(out))
    assert result == {"code": 0, "loaded": [], "stderr": ""}
    assert (out / "ATD_Rich" / "notetype.toml").is_file()  # the import itself was done


def test_import_to_folders_on_a_terminal_loads_rich_and_draws_its_bars(
    source_packages: SourcePackages, tmp_path: Path
) -> None:
    # TTY_COMPATIBLE=1 makes Rich treat the piped standard error as a terminal.
    out = tmp_path / "nts"
    result = run_atd(
        "import", str(source_packages.latest_apkg), "--to", str(out), env={"TTY_COMPATIBLE": "1"}
    )
    assert result["code"] == 0 and result["loaded"] == ["rich"]
    stderr = result["stderr"]
    assert isinstance(stderr, str)
    assert "Reading latest.apkg" in stderr and "Writing folders" in stderr


def test_the_other_readers_and_writers_and_the_engine_load_when_used(
    source_packages: SourcePackages, tmp_path: Path
) -> None:
    out = tmp_path / "nts"
    assert run_atd("import", str(source_packages.latest_apkg), "--to", str(out))["code"] == 0
    deck = tmp_path / "deck"
    result = run_atd("export", str(out / "ATD_Rich"), "-f", "crowdanki", "-o", str(deck))
    assert result["code"] == 0 and result["loaded"] == ["anki_template_designer.formats.crowdanki"]
    result = run_atd("import", str(deck), "--to", str(tmp_path / "again"))
    assert result["code"] == 0 and result["loaded"] == ["anki_template_designer.formats.crowdanki"]
    requests = (EXAMPLES / "basic.jsonl").read_bytes()
    result = run_atd("render", stdin=requests)
    assert result["code"] == 0
    assert {
        "anki_template_designer.core.template",
        "anki_template_designer.core.cards",
        "anki_template_designer.core.rendering",
    } <= loaded(result)


def test_import_into_the_workspace_does_load_the_store(
    source_packages: SourcePackages, tmp_path: Path
) -> None:
    # The probe sees a module that a command really needs: the check above can fail.
    result = run_atd("import", str(source_packages.latest_apkg), workspace=tmp_path / "workspace")
    assert result["code"] == 0
    assert {"sqlalchemy", "anki_template_designer.store"} <= heavy(result)


def test_help_and_render_load_no_heavy_module() -> None:
    result = run_atd("--help")
    assert result["code"] == 0 and heavy(result) == set()
    requests = (EXAMPLES / "basic.jsonl").read_bytes()
    result = run_atd("render", stdin=requests)
    assert result["code"] == 0 and heavy(result) == set()


def test_version_loads_none_of_them() -> None:
    assert run_atd("--version") == {"code": 0, "loaded": [], "stderr": ""}
