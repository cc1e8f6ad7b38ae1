"""Progress bars and spinners: drawn on a terminal, silent when standard error is redirected."""

from __future__ import annotations

import io

import pytest
import typer
from rich.console import Console

from anki_template_designer.cli import feedback
from anki_template_designer.formats.errors import PackageError
from anki_template_designer.store.errors import NotFound


def terminal(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """Make the feedback console a terminal writing into the returned buffer."""
    sink = io.StringIO()
    console = Console(file=sink, force_terminal=True, width=80)
    monkeypatch.setattr(feedback, "_stderr", lambda: console)
    return sink


def test_progress_and_status_draw_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    sink = terminal(monkeypatch)
    with feedback.progress("Reading deck.apkg", in_bytes=True) as update:
        update(512, 1024)
    with feedback.status("Saving into the workspace"):
        pass
    drawn = sink.getvalue()
    assert "Reading deck.apkg" in drawn and "Saving into the workspace" in drawn


def test_nothing_is_drawn_off_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    with feedback.progress("Reading", in_bytes=False) as update:
        update(1, 2)
    with feedback.status("Saving"):
        pass
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (PackageError("x.apkg: not a zip file"), "atd: x.apkg: not a zip file\n"),
        (NotFound("no note type 'X'"), "atd: no note type 'X'\n"),
        (PermissionError(13, "Permission denied", "/out"), "atd: /out: Permission denied\n"),
    ],
)
def test_failures_become_one_line_and_exit_1(
    error: Exception, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(typer.Exit) as raised, feedback.failures():
        raise error
    assert raised.value.exit_code == 1
    assert capsys.readouterr().err == message
