"""What lint results depend on besides the draft: the lint rules' own code.

A cached lint result is only as good as the rules that produced it, so its key includes a
hash of the package version and of every module under ``core/lint``: upgrading, or editing
a rule in a development checkout, makes every old result unreachable.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator
from importlib import resources
from importlib.resources.abc import Traversable

from .. import __version__

LINT_PACKAGE = "anki_template_designer.core.lint"


@functools.cache
def lint_rules_version() -> str:
    """A hex digest naming this exact set of lint rules (read once per process)."""
    return code_version(LINT_PACKAGE)


@functools.cache
def code_version(*packages: str) -> str:
    """A hex digest of the package version and every module under ``packages`` (read once)."""
    digest = hashlib.sha256(__version__.encode("utf-8"))
    for package in packages:
        for name, text in sorted(_sources(resources.files(package), "")):
            digest.update(name.encode("utf-8") + b"\0" + text + b"\0")
    return digest.hexdigest()


def _sources(folder: Traversable, prefix: str) -> Iterator[tuple[str, bytes]]:
    for entry in folder.iterdir():
        if entry.is_dir():
            yield from _sources(entry, f"{prefix}{entry.name}/")
        elif entry.name.endswith(".py"):
            yield prefix + entry.name, entry.read_bytes()
