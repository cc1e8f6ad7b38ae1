"""``atd`` starts without the modules only some commands need (issue #3: import speed).

Each case runs the real ``atd`` app in a fresh interpreter and reports which heavy modules
it loaded: the workspace store (SQLAlchemy), the server, Anki's collection (its Rust
backend) and the linter load only for the commands that use them.
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

# Runs ``atd ARGS...`` as the console script does, then prints the heavy modules it loaded.
_PROBE = f"""
import json, sys
from anki_template_designer.cli.main import app
try:
    app(sys.argv[1:], prog_name="atd")
    code = 0
except SystemExit as exit:
    code = exit.code
loaded = [name for name in {HEAVY!r} if name in sys.modules]
print(json.dumps({{"code": code, "loaded": loaded}}))
"""


def run_atd(*args: str, stdin: bytes = b"", workspace: Path | None = None) -> dict[str, object]:
    """Run ``atd ARGS`` in a fresh interpreter; its exit code and the heavy modules it loaded."""
    env = {**os.environ, "ATD_WORKSPACE": str(workspace or Path(os.devnull))}
    env.pop("ATD_DATABASE_URL", None)
    process = subprocess.run(
        [sys.executable, "-c", _PROBE, *args],
        input=stdin,
        capture_output=True,
        check=False,
        env=env,
    )
    assert process.returncode == 0, process.stderr.decode()
    result: dict[str, object] = json.loads(process.stdout.decode().splitlines()[-1])
    return result


def test_import_to_folders_loads_no_store_server_collection_or_linter(
    source_packages: SourcePackages, tmp_path: Path
) -> None:
    out = tmp_path / "nts"
    result = run_atd("import", str(source_packages.latest_apkg), "--to", str(out))
    assert result == {"code": 0, "loaded": []}
    assert (out / "ATD_Rich" / "notetype.toml").is_file()  # the import itself was done


def test_import_into_the_workspace_does_load_the_store(
    source_packages: SourcePackages, tmp_path: Path
) -> None:
    # The probe sees a module that a command really needs: the check above can fail.
    result = run_atd("import", str(source_packages.latest_apkg), workspace=tmp_path / "workspace")
    assert result["code"] == 0
    loaded = result["loaded"]
    assert isinstance(loaded, list)
    assert "sqlalchemy" in loaded and "anki_template_designer.store" in loaded


def test_help_and_render_load_none_of_them() -> None:
    assert run_atd("--help") == {"code": 0, "loaded": []}
    requests = (EXAMPLES / "basic.jsonl").read_bytes()
    assert run_atd("render", stdin=requests) == {"code": 0, "loaded": []}
