"""Write .apkg packages in a child process, one at a time, so the server never loads ``anki``.

The ``anki`` package costs a process about 30 MB to import and about 60 MB more once it has
opened a collection (Rust allocations and library pages that closing the collection does not
give back). The server hands package writing to one long-lived child process instead
(``export_child``): its memory is the child's, and writing runs outside the server's GIL.
Requests are serialised (one collection at a time); the child is started on demand (or
ahead, by ``start``), restarted if it died, and leaves by itself when idle or orphaned.

Bundles cross the pipe as JSON: the note type as schema 11, samples as stored in the
workspace, media base64-encoded.
"""

from __future__ import annotations

import base64
import json
import os
import selectors
import subprocess
import sys
import threading
import weakref
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..core.schema11 import from_schema11, to_schema11
from ..formats.bundle import NoteTypeBundle
from ..formats.errors import PackageError
from ..store.snapshot import note_from_json, note_to_json

CHILD_MODULE = "anki_template_designer.services.export_child"
# Seconds to wait for the child to load anki, and for one package: far above what either takes.
START_TIMEOUT = 60.0
WRITE_TIMEOUT = 300.0


def bundle_to_json(bundle: NoteTypeBundle) -> dict[str, Any]:
    """A bundle as JSON data: schema-11 note type, samples, base64 media."""
    return {
        "notetype": to_schema11(bundle.notetype),
        "samples": [note_to_json(note) for note in bundle.samples],
        "media": {
            name: base64.b64encode(data).decode("ascii") for name, data in bundle.media.items()
        },
    }


def bundle_from_json(data: Mapping[str, Any]) -> NoteTypeBundle:
    """The inverse of :func:`bundle_to_json`."""
    media = {name: base64.b64decode(text) for name, text in data["media"].items()}
    return NoteTypeBundle(
        notetype=from_schema11(data["notetype"]),
        samples=tuple(note_from_json(note) for note in data["samples"]),
        media=MappingProxyType(media),
    )


def _child_env() -> dict[str, str]:
    """This environment, with this package importable (as when run from a source tree)."""
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])
    paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join([root, *paths])
    return env


def _stop(process: subprocess.Popen[str]) -> None:
    """Close the child's stdin (it exits on EOF); kill it if it lingers."""
    if process.poll() is not None:
        return
    try:
        assert process.stdin is not None
        process.stdin.close()
        process.wait(timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        process.kill()
        process.wait()
    finally:
        if process.stdout is not None:
            process.stdout.close()


class ExportProcess:
    """One child process writing .apkg packages on request, one at a time."""

    def __init__(self, *, idle_exit: float = 300.0, python: str = sys.executable) -> None:
        self.idle_exit = idle_exit
        self.python = python
        self.started = 0  # children started so far (a restart after idling counts)
        self._lock = threading.Lock()
        self._process: subprocess.Popen[str] | None = None
        self._finalizer: weakref.finalize[Any, Any] | None = None

    @property
    def pid(self) -> int | None:
        """The running child's process id, if one runs."""
        process = self._process
        return process.pid if process is not None and process.poll() is None else None

    def start(self) -> None:
        """Start the child now (if none runs), so the first export does not wait for it."""
        with self._lock:
            self._ensure()

    def write_package(self, bundles: Sequence[NoteTypeBundle], path: Path) -> None:
        """Write ``bundles`` to ``path`` as ``formats.apkg.write_package`` does, in the child."""
        request = json.dumps(
            {"path": str(Path(path).resolve()), "bundles": [bundle_to_json(b) for b in bundles]}
        )
        with self._lock:
            answer = self._ask(request)
        if answer.get("ok"):
            return
        message = str(answer.get("error", "no answer"))
        if answer.get("kind") == "package":
            raise PackageError(message)
        raise PackageError(f"{Path(path).name}: the export process failed: {message}")

    def close(self) -> None:
        """Stop the child (it is started again by the next export)."""
        with self._lock:
            self._close()

    # -- the child ------------------------------------------------------------------------

    def _ask(self, request: str) -> dict[str, Any]:
        """Send one request and read its answer; a child that died (idle) is restarted once."""
        for attempt in range(2):
            process = self._ensure()
            assert process.stdin is not None
            try:
                process.stdin.write(request + "\n")
                process.stdin.flush()
                line = self._read_line(process, WRITE_TIMEOUT)
            except OSError:
                line = ""
            if line:
                answer: dict[str, Any] = json.loads(line)
                return answer
            self._close()
            if attempt:
                break
        raise PackageError(
            "the export process stopped without answering; see the server log for its error"
        )

    def _ensure(self) -> subprocess.Popen[str]:
        process = self._process
        if process is not None and process.poll() is None:
            return process
        self._close()
        process = subprocess.Popen(
            [self.python, "-m", CHILD_MODULE, str(self.idle_exit)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=_child_env(),
            text=True,
            encoding="utf-8",
        )
        self._process = process
        self._finalizer = weakref.finalize(self, _stop, process)
        self.started += 1
        if self._read_line(process, START_TIMEOUT) != '{"ready": true}\n':
            self._close()
            raise PackageError(
                "the export process did not start (is the anki package installed?); "
                "see the server log for its error"
            )
        return process

    def _read_line(self, process: subprocess.Popen[str], timeout: float) -> str:
        """The child's next line, or "" if it closed or said nothing for ``timeout`` s."""
        assert process.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            if not selector.select(timeout):
                return ""
        return process.stdout.readline()

    def _close(self) -> None:
        if self._finalizer is not None:
            self._finalizer()  # stops the child once, and no more at exit
            self._finalizer = None
        self._process = None
