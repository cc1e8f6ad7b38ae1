"""Progress bars and spinners: drawn on a terminal, silent when standard error is redirected."""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile

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


def test_nothing_is_drawn_off_a_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("TTY_COMPATIBLE", "FORCE_COLOR"):  # as a CI runner may set them
        monkeypatch.delenv(name, raising=False)
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


ENVIRONMENTS = [
    {},
    {"TTY_COMPATIBLE": "1"},
    {"TTY_COMPATIBLE": "0"},
    {"TTY_COMPATIBLE": "yes"},
    {"TTY_COMPATIBLE": ""},
    {"FORCE_COLOR": "1"},
    {"FORCE_COLOR": ""},
    {"FORCE_COLOR": "0"},
    {"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1"},
    {"TTY_COMPATIBLE": "", "FORCE_COLOR": ""},
]


@pytest.mark.parametrize("on_a_tty", [False, True], ids=["pipe", "tty"])
@pytest.mark.parametrize("environment", ENVIRONMENTS, ids=repr)
def test_rich_is_skipped_only_where_rich_would_not_draw(
    environment: dict[str, str], on_a_tty: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without Rich loaded, feedback must decide "no terminal" only where Rich says so too.
    for name in ("TTY_COMPATIBLE", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with contextlib.ExitStack() as stack:
        if on_a_tty:
            leader, follower = os.openpty()
            stack.callback(os.close, leader)
            stream = stack.enter_context(open(follower, "w"))
        else:
            stream = stack.enter_context(tempfile.TemporaryFile("w"))
        monkeypatch.setattr(sys, "stderr", stream)
        rich_draws = Console(stderr=True).is_terminal
        may_draw = feedback._stderr_may_be_a_terminal()
        assert may_draw or not rich_draws
        assert (feedback._stderr() is not None) is may_draw
    if not environment:  # the plain cases: exactly a tty
        assert may_draw is on_a_tty


def test_a_piped_import_draws_nothing_even_with_rich_loaded(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # TTY_COMPATIBLE=0: the pre-check defers to Rich, which says no; nothing is drawn.
    monkeypatch.setenv("TTY_COMPATIBLE", "0")
    with feedback.progress("Reading", in_bytes=True) as update:
        update(1, 2)
    with feedback.status("Saving"):
        pass
    assert capsys.readouterr() == ("", "")
