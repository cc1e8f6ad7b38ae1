"""Load note types for ``atd check`` and format the problems found in them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import NoteTypeFormatError, NotUnicodeError
from ..core.model import NoteType
from ..core.normalize import require_unicode
from ..core.schema11 import from_schema11
from ..core.template.check import TemplateProblem, check_notetype


class NoteTypeFileError(Exception):
    """A note type file cannot be read or does not hold schema-11 note types."""


@dataclass(frozen=True, slots=True)
class FileProblem:
    """A template problem, with the file and note type it was found in."""

    file: str
    notetype: str
    problem: TemplateProblem

    def location(self) -> str:
        """``FILE:TEMPLATE:SIDE:LINE:COL``."""
        p = self.problem
        return f"{self.file}:{p.template}:{p.side}:{p.line}:{p.column}"

    def as_text(self) -> str:
        """``FILE:TEMPLATE:SIDE:LINE:COL: message``, the shape editors and CI logs link."""
        return f"{self.location()}: {self.problem.message}"

    def as_json(self) -> dict[str, Any]:
        """The problem as a JSON object."""
        p = self.problem
        return {
            "file": self.file,
            "notetype": self.notetype,
            "template": p.template,
            "side": p.side,
            "line": p.line,
            "column": p.column,
            "message": p.message,
        }


def load_notetypes(path: Path) -> list[NoteType]:
    """Read a file holding one schema-11 note type, or a JSON list of them."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NoteTypeFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise NoteTypeFileError(f"{path}: is a directory, not a note type file") from None
    except UnicodeDecodeError as error:
        raise NoteTypeFileError(f"{path}: not UTF-8 text (byte {error.start + 1})") from None
    except OSError as error:
        raise NoteTypeFileError(f"{path}: cannot be read ({error.strerror})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise NoteTypeFileError(
            f"{path}:{error.lineno}:{error.colno}: not valid JSON: {error.msg}"
        ) from None
    items = data if isinstance(data, list) else [data]
    if not items:
        raise NoteTypeFileError(f"{path}: the list of note types is empty")
    notetypes = []
    for index, item in enumerate(items):
        try:
            notetype = from_schema11(item)
            require_unicode(notetype)
            notetypes.append(notetype)
        except (NoteTypeFormatError, NotUnicodeError) as error:
            where = f"note type #{index + 1}" if isinstance(data, list) else "note type"
            raise NoteTypeFileError(f"{path}: {where} is not valid: {error}") from None
    return notetypes


def find_problems(path: Path) -> list[FileProblem]:
    """Every template problem in the note types of ``path``."""
    return [
        FileProblem(str(path), notetype.name, problem)
        for notetype in load_notetypes(path)
        for problem in check_notetype(notetype)
    ]
