"""``atd lint``: Anki's own checks and best practices for note type folders, files and names.

Exit codes: 0 no errors (warnings and information do not count), 1 errors remain,
2 a path or name cannot be read or the command line is wrong.
"""

from __future__ import annotations

import dataclasses
import json
from contextlib import ExitStack
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .workspace_options import DatabaseUrlOption, WorkspaceOption

# The linter, the workspace store and Rich load when ``atd lint`` runs, not whenever ``atd``
# starts (tests/cli/test_startup.py checks that other commands start without them).
if TYPE_CHECKING:
    from ..core.lint import Diagnostic, Severity
    from ..core.model import Note, NoteType
    from .lint_targets import LintTarget

# A fix can uncover or unblock another (overlapping fixes wait for the next round), so --fix
# repeats; real note types settle in two or three rounds, the cap only guards a rule bug.
_MAX_FIX_ROUNDS = 10
# Keyed by Severity's values: Severity is a StrEnum, so its members look these up directly.
_RANK = {"error": 0, "warning": 1, "info": 2}
_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


class LintFormat(StrEnum):
    """Output formats of ``atd lint``."""

    text = "text"
    json = "json"


class LintSeverity(StrEnum):
    """The least severe finding ``atd lint`` shows (and fixes)."""

    error = "error"
    warning = "warning"
    info = "info"


def _input_error(message: str) -> typer.Exit:
    typer.echo(f"atd: {message}", err=True)
    return typer.Exit(2)


def fix_notetype(
    notetype: NoteType, samples: tuple[Note, ...], keep: Severity
) -> tuple[NoteType, int]:
    """Apply fixes round by round until none applies; returns the result and the fix count."""
    from ..core.lint import apply_fixes, lint_notetype

    total = 0
    for _ in range(_MAX_FIX_ROUNDS):
        wanted = [d for d in lint_notetype(notetype, samples) if _shown(d, keep)]
        fixed, count = apply_fixes(notetype, wanted)
        if count == 0 or fixed == notetype:
            break
        notetype, total = fixed, total + count
    return notetype, total


def _shown(diagnostic: Diagnostic, least: Severity) -> bool:
    return _RANK[diagnostic.severity] <= _RANK[least]


def _as_json(target: LintTarget, diagnostic: Diagnostic) -> dict[str, Any]:
    where = diagnostic.location
    return {
        "source": target.source,
        "notetype": target.notetype.name,
        "place": target.place(where),
        "part": where.part.value,
        "template": where.template,
        "template_name": where.template_name,
        "line": where.line,
        "column": where.column,
        "start": where.start,
        "end": where.end,
        "severity": diagnostic.severity.value,
        "rule": diagnostic.rule,
        "message": diagnostic.message,
        "explanation": diagnostic.explanation,
        "docs_url": diagnostic.docs_url,
        "fix": diagnostic.fix.description if diagnostic.fix else None,
    }


def _load(
    sources: list[str], workspace: Path | None, database_url: str | None, stack: ExitStack
) -> list[LintTarget]:
    from ..services.workspace_transfer import (
        WorkspaceUnavailable,
        open_workspace,
        workspace_location,
    )
    from .lint_targets import LintInputError, path_targets, split_sources, workspace_target

    paths, names = split_sources(sources)
    targets: list[LintTarget] = []
    try:
        for path in paths:
            targets += path_targets(path)
    except LintInputError as error:
        raise _input_error(str(error)) from None
    if names:
        try:
            opened = open_workspace(workspace_location(workspace, database_url))
        except WorkspaceUnavailable as error:
            raise _input_error(f"{names[0]}: no such file or folder, and {error}") from None
        # The workspace stays open until the command ends: --fix saves into it.
        stack.enter_context(opened)
        try:
            targets += [workspace_target(opened, name) for name in names]
        except LintInputError as error:
            raise _input_error(str(error)) from None
    return targets


def _summary(diagnostics: list[Diagnostic]) -> str:
    from ..core.lint import Severity

    if not diagnostics:
        return "no problems"
    counts = [
        f"{n} {severity.value}{'s' * (n != 1 and severity is not Severity.INFO)}"
        for severity in Severity
        if (n := sum(d.severity is severity for d in diagnostics))
    ]
    return ", ".join(counts)


def lint_command(
    sources: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH",
            help="Note type folders, schema-11 note type JSON files, or the names (or ids) of "
            "note types in the workspace.",
            show_default=False,
        ),
    ],
    fix: Annotated[
        bool, typer.Option("--fix", help="Apply the one-click fixes and write the files back.")
    ] = False,
    output_format: Annotated[
        LintFormat, typer.Option("--format", "-f", help="Output format.")
    ] = LintFormat.text,
    severity: Annotated[
        LintSeverity,
        typer.Option("--severity", "-s", help="Show (and fix) only findings this bad or worse."),
    ] = LintSeverity.info,
    workspace: WorkspaceOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Lint note types: Anki's own checks (with Anki's wording) and best practices.

    Prints PLACE:LINE:COL: SEVERITY RULE MESSAGE, where PLACE is the template or stylesheet
    file of a folder, or SOURCE:CARD TYPE:SIDE for a JSON file or a workspace note type.
    Exit code 0: no errors; 1: errors remain; 2: an input cannot be read.
    """
    from ..core.lint import Severity, lint_notetype

    least = Severity(severity.value)
    with ExitStack() as stack:
        targets = _load(sources, workspace, database_url, stack)
        results: list[tuple[LintTarget, list[Diagnostic]]] = []
        for target in targets:
            if fix:
                target = _fix_target(target, least)
            results.append((target, lint_notetype(target.notetype, target.samples)))
    _report(results, least, output_format)
    if any(d.severity is Severity.ERROR for _, found in results for d in found):
        raise typer.Exit(1)


def _fix_target(target: LintTarget, least: Severity) -> LintTarget:
    """Fix ``target``, save it if anything changed, and say so on standard error."""
    from ..store.errors import StoreError

    fixed, count = fix_notetype(target.notetype, target.samples, least)
    if not count:
        typer.echo(f"{target.source}: nothing to fix", err=True)
        return target
    try:
        written = target.save(fixed)
    except (OSError, StoreError) as error:
        raise _input_error(f"{target.source}: the fixes cannot be saved ({error})") from None
    typer.echo(
        f"{target.source}: fixed {count} problem{'s' * (count != 1)} (wrote {', '.join(written)})",
        err=True,
    )
    return dataclasses.replace(target, notetype=fixed)


def _report(
    results: list[tuple[LintTarget, list[Diagnostic]]], least: Severity, output_format: LintFormat
) -> None:
    if output_format is LintFormat.json:
        rows = [_as_json(t, d) for t, found in results for d in found if _shown(d, least)]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.text import Text

    # Rich decides on colour: only when standard output is a terminal.
    console = Console(highlight=False, soft_wrap=True)
    for target, found in results:
        for d in (d for d in found if _shown(d, least)):
            where = d.location
            console.print(
                Text(f"{target.place(where)}:{where.line}:{where.column}: ", style="bold"),
                Text(d.severity.value, style=_STYLE[d.severity]),
                Text(f" {d.rule} {d.message}"),
                sep="",
            )
        shown = [d for d in found if _shown(d, least)]
        typer.echo(f"{target.source}: {_summary(shown)}", err=True)


def register(app: typer.Typer) -> None:
    """Add ``lint`` to the ``atd`` app."""
    app.command("lint")(lint_command)
