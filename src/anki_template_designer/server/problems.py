"""Errors as RFC 9457 ``application/problem+json``; the only place errors become status codes.

Problem                 raised by routes and middleware with a status of their own
store.NotFound          404  no such note type, revision, field or card type
store.Conflict          409  stale ``expected_revision``; carries ``current_revision``
store.DuplicateName     409  the name is taken
store.InvalidName       400  a name Anki refuses, or a media name with path tricks
store.InvalidContent    400  a note type the store cannot hold
store.StoreError        500  the workspace database failed
formats.FormatError     400  an uploaded or exported file could not be read or written
core.CoreError          400  a note type or template the engine rejects
perf.Superseded         409  a newer request on the same stream replaced this one
perf.Overloaded         503  the work queue is full, or background work was shed (Retry-After)
perf.OverBudget         503  the render ran past its budget and was stopped (Retry-After)
RequestValidationError  422  the body or parameters do not match the schema
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..core.errors import CoreError
from ..formats.errors import FormatError
from ..perf.work_job import OverBudget, Overloaded, Superseded, WorkError
from ..store.errors import (
    Conflict,
    DuplicateName,
    InvalidContent,
    InvalidName,
    NotFound,
    StoreError,
)

PROBLEM_TYPE = "application/problem+json"
_TYPE_BASE = "urn:atd:problem:"


class Problem(Exception):
    """An error the web layer reports as it is: status, short title, actionable detail, extras."""

    def __init__(
        self,
        status: int,
        kind: str,
        title: str,
        detail: str,
        *,
        headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.kind = kind
        self.title = title
        self.detail = detail
        self.headers = dict(headers or {})
        self.extra = extra


def problem_response(
    status: int,
    kind: str,
    title: str,
    detail: str,
    extra: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """A problem+json response."""
    body = {"type": _TYPE_BASE + kind, "title": title, "status": status, "detail": detail}
    body.update(extra or {})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_TYPE, headers=headers)


def _work_problem(error: WorkError) -> Problem:
    """The problem for work the work manager refused or stopped."""
    detail = str(error)
    if isinstance(error, Superseded):
        return Problem(409, "superseded", "A newer request replaced this one", detail)
    if isinstance(error, Overloaded):
        return Problem(
            503,
            "busy" if error.reason == "shed" else "overloaded",
            "The server is busy",
            detail,
            headers={"Retry-After": str(error.retry_after)},
            retry_after=error.retry_after,  # for clients that cannot read headers of errors
        )
    if isinstance(error, OverBudget):
        return Problem(
            503,
            "over-budget",
            "This took too long and was stopped",
            f"The work was {detail}.",
            headers={"Retry-After": "1"},
        )
    return Problem(503, "stopped", "The work was stopped", detail, headers={"Retry-After": "1"})


def as_problem(error: Exception) -> Problem:
    """The problem an exception from a lower layer stands for."""
    detail = str(error)
    if isinstance(error, Problem):
        return error
    if isinstance(error, WorkError):
        return _work_problem(error)
    if isinstance(error, NotFound):
        return Problem(404, "not-found", "Not found", detail)
    if isinstance(error, Conflict):
        return Problem(
            409,
            "stale-revision",
            "Someone saved this note type since you loaded it",
            detail,
            expected_revision=error.expected,
            current_revision=error.current,
        )
    if isinstance(error, DuplicateName):
        return Problem(409, "duplicate-name", "That name is taken", detail)
    if isinstance(error, InvalidName):
        return Problem(400, "invalid-name", "Invalid name", detail)
    if isinstance(error, InvalidContent):
        return Problem(400, "invalid-content", "The note type cannot be stored", detail)
    if isinstance(error, StoreError):
        return Problem(500, "workspace-error", "The workspace could not do that", detail)
    if isinstance(error, FormatError):
        return Problem(400, "unreadable-file", "The file could not be used", detail)
    if isinstance(error, CoreError):
        return Problem(400, "invalid-notetype", "The note type is not valid", detail)
    raise TypeError(f"no problem for {type(error).__name__}")


def _validation_detail(error: RequestValidationError) -> tuple[str, list[dict[str, Any]]]:
    errors = []
    for item in error.errors():
        location = ".".join(str(part) for part in item.get("loc", ()))
        errors.append({"location": location, "message": str(item.get("msg", ""))})
    first = errors[0] if errors else {"location": "body", "message": "invalid"}
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{first['location']}: {first['message']}{more}", errors


def install_problem_handlers(app: FastAPI) -> None:
    """Answer every error, ours and the framework's, as problem+json."""

    async def on_known(request: Request, error: Exception) -> JSONResponse:
        problem = as_problem(error)
        return problem_response(
            problem.status,
            problem.kind,
            problem.title,
            problem.detail,
            problem.extra,
            problem.headers or None,
        )

    async def on_validation(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        detail, errors = _validation_detail(error)
        return problem_response(
            422, "invalid-request", "The request does not match the API", detail, {"errors": errors}
        )

    async def on_http(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, StarletteHTTPException)
        titles = {404: "Not found", 405: "Method not allowed"}
        return problem_response(
            error.status_code,
            "http-" + str(error.status_code),
            titles.get(error.status_code, "Request failed"),
            f"{request.method} {request.url.path}: {error.detail}",
        )

    async def on_unexpected(request: Request, error: Exception) -> JSONResponse:
        # The traceback goes to the server's log (Starlette re-raises after answering);
        # the browser gets no internals, only what to do.
        return problem_response(
            500,
            "internal-error",
            "The server failed",
            f"{request.method} {request.url.path} failed unexpectedly "
            f"({type(error).__name__}); see the server's output, and report it if it recurs",
        )

    app.add_exception_handler(Exception, on_unexpected)
    for kind in (Problem, StoreError, FormatError, CoreError, WorkError):
        app.add_exception_handler(kind, on_known)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
