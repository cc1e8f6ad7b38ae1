"""How the file and workspace commands talk back: one-line errors, progress bars, spinners.

Exit codes: 0 done, 1 the work failed (the message says why), 2 the command line was wrong.
Progress goes to standard error and only to a terminal, so piped output stays clean. Rich
loads only when standard error may be a terminal: ``atd import --to`` in a pipe or a script
starts without it (issue #3, import speed).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

from ..formats.errors import FormatError

if TYPE_CHECKING:
    from rich.console import Console

ProgressCallback = Callable[[int, int], None]


_STORE_ERRORS = "anki_template_designer.store.errors"


def _handled() -> tuple[type[Exception], ...]:
    """Format errors, and workspace errors once the (heavy) store has been loaded at all.

    ``atd import --to`` never loads the store; until something has, no StoreError exists.
    """
    store_errors = sys.modules.get(_STORE_ERRORS)
    return (FormatError,) if store_errors is None else (FormatError, store_errors.StoreError)


def fail(message: str) -> typer.Exit:
    """Print ``atd: message`` on standard error; the caller raises the returned exit (code 1)."""
    typer.echo(f"atd: {message}", err=True)
    return typer.Exit(1)


@contextmanager
def failures() -> Iterator[None]:
    """Turn format, workspace and file errors into a one-line message and exit code 1."""
    try:
        yield
    except _handled() as error:
        raise fail(str(error)) from None
    except OSError as error:
        raise fail(f"{error.filename or ''}: {error.strerror or error}".lstrip(": ")) from None


def _stderr_may_be_a_terminal() -> bool:
    """False only when Rich would not treat standard error as a terminal either.

    Rich's ``Console.is_terminal`` says yes for a tty, for ``TTY_COMPATIBLE=1`` or a
    non-empty ``FORCE_COLOR``; without any of these it says no, and Rich need not load.
    When one of them is there, Rich itself decides (it also says no for IDLE and Jupyter).
    """
    if os.environ.get("TTY_COMPATIBLE") or os.environ.get("FORCE_COLOR"):
        return True
    stream = sys.stderr
    if stream is None:
        return False
    try:
        return stream.isatty()
    except ValueError:  # closed
        return False


def _stderr() -> Console | None:
    """The Rich console on standard error, or None when it cannot be a terminal (no Rich)."""
    if not _stderr_may_be_a_terminal():
        return None
    from rich.console import Console

    return Console(stderr=True)


def _ignore(done: int, total: int) -> None:
    """The progress callback when no bar is shown."""


@contextmanager
def progress(description: str, *, in_bytes: bool) -> Iterator[ProgressCallback]:
    """A Rich progress bar on standard error (only on a terminal), as a callback."""
    console = _stderr()
    if console is None or not console.is_terminal:
        yield _ignore
        return
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    counter = DownloadColumn() if in_bytes else MofNCompleteColumn()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        counter,
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


@contextmanager
def status(message: str) -> Iterator[None]:
    """A spinner with ``message`` on standard error while a step of unknown length runs."""
    console = _stderr()
    if console is None or not console.is_terminal:
        yield
        return
    with console.status(message):
        yield
