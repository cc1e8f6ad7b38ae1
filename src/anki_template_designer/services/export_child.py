"""The export process: writes .apkg packages for the server, so ``anki`` never loads in it.

Run as ``python -m anki_template_designer.services.export_child [IDLE_SECONDS]``. It reads one
JSON request per line on stdin (``{"path": …, "bundles": [...]}``, bundles as
``export_process.bundle_to_json`` makes them) and answers one JSON line per request on its
original stdout: ``{"ok": true}`` or ``{"error": message, "kind": "package" | "internal"}``.
Anything else the ``anki`` package prints goes to stderr. It says ``{"ready": true}`` once
``anki`` is loaded and the blank collection every package starts from is made (costs the
first export would otherwise pay), and exits when stdin closes (the server went away) or
after ``IDLE_SECONDS`` without a request (the server starts it again when needed).
"""

from __future__ import annotations

import json
import os
import select
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from ..formats.apkg_write import BlankCollection

DEFAULT_IDLE = 300.0


def _warm_up(folder: Path) -> BlankCollection:
    """Load ``anki`` and make the blank collection every package starts from, in ``folder``.

    Loading and the first collection are one-time costs, paid now rather than by an export.
    """
    from ..formats.apkg_write import BlankCollection

    return BlankCollection.make(folder)


def _handle(request: dict[str, Any], blank: BlankCollection) -> dict[str, Any]:
    from ..formats.apkg_write import write_package
    from ..formats.errors import FormatError
    from .export_process import bundle_from_json

    try:
        bundles = [bundle_from_json(item) for item in request["bundles"]]
        write_package(bundles, Path(request["path"]), blank=blank)
    except FormatError as error:
        return {"error": str(error), "kind": "package"}
    except Exception as error:  # the server shows it; this process must keep serving
        return {"error": f"{type(error).__name__}: {error}", "kind": "internal"}
    return {"ok": True}


def _reply(out: TextIO, answer: dict[str, Any]) -> None:
    out.write(json.dumps(answer) + "\n")
    out.flush()


def serve(requests: TextIO, out: TextIO, idle: float, blank: BlankCollection) -> None:
    """Answer requests from ``requests`` on ``out`` until it closes or stays idle ``idle`` s.

    Requests come one at a time (the server waits for each answer), so nothing is left in
    ``requests``' buffer when ``select`` is asked whether another has come.
    """
    _reply(out, {"ready": True})
    while True:
        readable, _, _ = select.select([requests], [], [], idle)
        if not readable:
            return
        line = requests.readline()
        if not line:
            return
        try:
            request = json.loads(line)
        except ValueError as error:
            _reply(out, {"error": f"unreadable request: {error}", "kind": "internal"})
            continue
        _reply(out, _handle(request, blank))


def main(argv: list[str]) -> int:
    """Keep the protocol on the original stdout; send every other print to stderr."""
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    idle = float(argv[0]) if argv else DEFAULT_IDLE
    with tempfile.TemporaryDirectory(prefix="atd-export-") as folder:
        serve(sys.stdin, out, idle, _warm_up(Path(folder)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
