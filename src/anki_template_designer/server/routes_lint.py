"""Lint a draft note type, and apply the one-click fixes the designer's lint panel offers.

Both routes take the draft as it is in the editor (nothing is read from or saved to the
workspace), so a fix is always computed against the text it is applied to: the client sends
its current draft with the findings it wants fixed, the server lints that draft again, finds
them, and answers the fixed draft. A finding that is no longer there (the text changed
since the panel was drawn) is a 409 ``lint-stale``; the client lints again and retries.

Offsets (``start``, ``end``) count Unicode code points, as Python does; ``line`` and
``column`` are 1-based. Browsers count UTF-16 code units, so a client converts.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ..core.lint import Diagnostic, Part, Severity, apply_fixes, default_rules, lint_notetype
from ..core.model import Note
from ..perf.cache import content_key
from ..perf.disk_cache import DiskCache
from ..perf.work import Priority
from .lint_version import lint_rules_version
from .problems import Problem
from .scheduling import BUSY_DOC, schedule
from .schemas import Body, NoteTypeDoc, SampleDoc

router = APIRouter(prefix="/api", tags=["lint"])

PartName = Literal["front", "back", "browser front", "browser back", "css"]


class LintRequest(Body):
    """A draft note type and its sample notes (for the checks that look at field values)."""

    notetype: NoteTypeDoc
    samples: list[SampleDoc] = Field(default_factory=list)


class LocationDoc(BaseModel):
    """Where a finding is: the part (and card type ordinal and name, for templates) and range."""

    part: PartName
    template: int | None
    template_name: str | None
    start: int
    end: int
    line: int
    column: int


class EditDoc(BaseModel):
    """Replace ``text[start:end]`` of one part with ``replacement``."""

    part: PartName
    template: int | None
    start: int
    end: int
    replacement: str


class FixDoc(BaseModel):
    """A one-click repair: what the button says, and the edits it makes."""

    description: str
    edits: list[EditDoc]


class DiagnosticDoc(BaseModel):
    """One finding: rule id, severity, message, location, why it matters, and its fix if any."""

    rule: str
    severity: Severity
    message: str
    location: LocationDoc
    explanation: str
    docs_url: str
    fix: FixDoc | None


class LintCounts(BaseModel):
    """How many findings of each severity."""

    error: int
    warning: int
    info: int


class LintResponse(BaseModel):
    """Every finding of every rule, in reading order (card type by card type, CSS last)."""

    diagnostics: list[DiagnosticDoc]
    counts: LintCounts


class DiagnosticRef(Body):
    """A finding to fix, named by its rule and the location ``/api/lint`` gave it."""

    rule: str
    part: PartName
    template: int | None = None
    start: int
    end: int


class FixRequest(LintRequest):
    """The draft, and what to fix: chosen findings, every finding of some rules, or both."""

    diagnostics: list[DiagnosticRef] = Field(default_factory=list)
    rules: list[str] = Field(default_factory=list)


class FixResponse(BaseModel):
    """The fixed draft, how many fixes were applied, and what the fixed draft still has."""

    notetype: NoteTypeDoc
    fixed: int
    diagnostics: list[DiagnosticDoc]
    counts: LintCounts


def diagnostic_doc(diagnostic: Diagnostic) -> DiagnosticDoc:
    """The API's form of a finding."""
    where = diagnostic.location
    fix = diagnostic.fix
    return DiagnosticDoc(
        rule=diagnostic.rule,
        severity=diagnostic.severity,
        message=diagnostic.message,
        location=LocationDoc(
            part=where.part.value,
            template=where.template,
            template_name=where.template_name,
            start=where.start,
            end=where.end,
            line=where.line,
            column=where.column,
        ),
        explanation=diagnostic.explanation,
        docs_url=diagnostic.docs_url,
        fix=None
        if fix is None
        else FixDoc(
            description=fix.description,
            edits=[
                EditDoc(
                    part=e.part.value,
                    template=e.template,
                    start=e.start,
                    end=e.end,
                    replacement=e.replacement,
                )
                for e in fix.edits
            ],
        ),
    )


def _counts(diagnostics: list[Diagnostic]) -> LintCounts:
    return LintCounts(
        **{s.value: sum(d.severity is s for d in diagnostics) for s in Severity},
    )


def _samples(docs: list[SampleDoc]) -> list[Note]:
    return [doc.to_model() for doc in docs]


def _lint(body: LintRequest) -> LintResponse:
    found = lint_notetype(body.notetype.to_model(), _samples(body.samples))
    return LintResponse(diagnostics=[diagnostic_doc(d) for d in found], counts=_counts(found))


@router.post(
    "/lint", summary="Lint a draft note type", response_model=LintResponse, responses=BUSY_DOC
)
async def lint(body: LintRequest, request: Request) -> Response:
    """Anki's own checks and best practices, each located, explained and (where possible) fixable.

    Nothing is saved. Severity ``error`` means Anki refuses the note type (or the cards break).
    Results are kept in the workspace's disk cache by a hash of the draft, its samples and the
    lint rules' code, so the same draft is linted once, even across restarts.

    Runs at lint priority, after previews: while previews wait for the server, it answers 503
    ``busy`` with ``Retry-After``. ``X-ATD-Stream`` works as for previews.
    """
    return await schedule(request, Priority.LINT, lambda job: _lint_answer(body, request))


def _lint_answer(body: LintRequest, request: Request) -> Response:
    disk: DiskCache | None = getattr(request.app.state, "disk_cache", None)
    if disk is None:
        return JSONResponse(_lint(body).model_dump(mode="json"))
    key = "lint:" + content_key(lint_rules_version(), body.model_dump(mode="json"))
    found = disk.get_or_compute(key, lambda: _lint(body).model_dump(mode="json"))
    return JSONResponse(found)


def _matches(diagnostic: Diagnostic, ref: DiagnosticRef) -> bool:
    where = diagnostic.location
    template = where.template if where.part is not Part.CSS else None
    ref_template = ref.template if ref.part != Part.CSS.value else None
    return (diagnostic.rule, where.part.value, template, where.start, where.end) == (
        ref.rule,
        ref.part,
        ref_template,
        ref.start,
        ref.end,
    )


def _chosen(found: list[Diagnostic], body: FixRequest) -> list[Diagnostic]:
    if not body.diagnostics and not body.rules:
        raise Problem(
            400,
            "nothing-to-fix",
            "Nothing chosen to fix",
            "Name the findings to fix in 'diagnostics' (rule, part, template, start, end as "
            "/api/lint returned them) or whole rules in 'rules'.",
        )
    known = {rule.id for rule in default_rules()}
    unknown = sorted(set(body.rules) - known)
    if unknown:
        raise Problem(
            400,
            "unknown-rule",
            "Unknown lint rule",
            f"There is no lint rule {unknown[0]!r}; the rules are {', '.join(sorted(known))}.",
        )
    chosen = [d for d in found if d.rule in body.rules]
    for ref in body.diagnostics:
        match = next((d for d in found if _matches(d, ref)), None)
        if match is None:
            raise Problem(
                409,
                "lint-stale",
                "The finding is no longer there",
                f"This draft has no {ref.rule!r} finding in the {ref.part} at "
                f"{ref.start}–{ref.end}: the text changed since it was linted. "
                "Lint the current draft again and choose from its findings.",
            )
        if match.fix is None:
            raise Problem(
                400,
                "no-fix",
                "This finding has no fix",
                f"The {ref.rule!r} finding at {ref.start}–{ref.end} has no one-click fix; "
                "change the template by hand (its explanation says how).",
            )
        if match not in chosen:
            chosen.append(match)
    return chosen


@router.post("/lint/fix", summary="Apply lint fixes to a draft note type")
def fix(body: FixRequest) -> FixResponse:
    """The draft with the chosen findings' fixes applied (nothing is saved).

    Fixes that overlap one applied before them are skipped (``fixed`` says how many were
    applied); the response's ``diagnostics`` are those of the fixed draft.
    """
    notetype = body.notetype.to_model()
    samples = _samples(body.samples)
    found = lint_notetype(notetype, samples)
    fixed, count = apply_fixes(notetype, _chosen(found, body))
    remaining = lint_notetype(fixed, samples)
    return FixResponse(
        notetype=NoteTypeDoc.of(fixed),
        fixed=count,
        diagnostics=[diagnostic_doc(d) for d in remaining],
        counts=_counts(remaining),
    )
