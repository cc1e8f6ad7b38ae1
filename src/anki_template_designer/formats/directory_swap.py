"""Replace a folder's content in one step: write a temporary sibling, then rename it into place."""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

from .errors import FormatError


def replace_directory(
    directory: Path,
    files: Mapping[str, bytes],
    *,
    owned: Callable[[str], bool],
    recognised: Callable[[Path], bool],
    error: type[FormatError],
    what: str,
) -> None:
    """Make ``directory`` hold ``files`` (relative path → bytes), or leave it as it was.

    An existing non-empty folder is replaced only when ``recognised`` says it is
    one of ours; its top-level entries that ``owned`` rejects (a README, ``.git``)
    are carried over. ``what`` names the folder kind in messages.
    """
    directory = Path(directory)
    exists = directory.exists() or directory.is_symlink()
    if exists:
        if not directory.is_dir():
            raise error(f"{directory}: exists and is not a folder; not replacing it.")
        if any(directory.iterdir()) and not recognised(directory):
            raise error(
                f"{directory}: exists and is not {what}; not overwriting it. "
                "Choose a new or empty folder."
            )
    parent = directory.parent
    parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(4)
    temp = parent / f".{directory.name}.{token}.atd-new"
    os.mkdir(temp)  # not mkdtemp: the folder should get the user's usual permissions
    try:
        for relative, content in files.items():
            path = temp / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        if not exists:
            temp.rename(directory)
            return
        _carry_over(directory, temp, owned)
        old = parent / f".{directory.name}.{token}.atd-old"
        directory.rename(old)
        try:
            temp.rename(directory)
        except BaseException:
            old.rename(directory)
            raise
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def _carry_over(old: Path, new: Path, owned: Callable[[str], bool]) -> None:
    for entry in old.iterdir():
        if owned(entry.name):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, new / entry.name, symlinks=True)
        else:
            shutil.copy2(entry, new / entry.name, follow_symlinks=False)
