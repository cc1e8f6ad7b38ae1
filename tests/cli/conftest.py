"""Fixtures for the ``atd`` command tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

EXAMPLES = Path(__file__).parents[2] / "src" / "anki_template_designer" / "examples"


def basic_notetype(name: str = "Basic") -> dict[str, Any]:
    """Anki's stock Basic note type as a schema-11 dict."""
    return {
        "name": name,
        "type": 0,
        "css": ".card { font-family: arial; }",
        "flds": [{"name": "Front"}, {"name": "Back"}],
        "tmpls": [
            {
                "name": "Card 1",
                "qfmt": "{{Front}}",
                "afmt": "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}",
            }
        ],
    }


def jsonl(*requests: object) -> str:
    """Requests as JSON Lines text."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in requests)


def output_lines(text: str) -> list[dict[str, Any]]:
    """Parse JSON Lines output."""
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture(autouse=True)
def isolated_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point ``ATD_WORKSPACE`` at a temporary folder: no test touches the user's workspace."""
    folder = tmp_path / "default-workspace"
    monkeypatch.setenv("ATD_WORKSPACE", str(folder))
    for name in ("ATD_DATABASE_URL", "ATD_ANKICONNECT_URL", "ATD_ANKICONNECT_KEY"):
        monkeypatch.delenv(name, raising=False)
    return folder


@pytest.fixture
def runner() -> CliRunner:
    """A Typer test runner that keeps stderr apart from stdout."""
    return CliRunner()
