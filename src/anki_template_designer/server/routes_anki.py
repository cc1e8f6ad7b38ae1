"""A running Anki through AnkiConnect: list its note types, pull them in, push one back.

The AnkiConnect address and key come from the request, else ``ATD_ANKICONNECT_URL`` and
``ATD_ANKICONNECT_KEY`` (as for ``atd anki``), else 127.0.0.1:8765 without a key. The key
from the environment is only ever sent to the address from the environment, so a request
naming another address cannot make the server hand the key to it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Request
from pydantic import BaseModel, Field

from ..formats.ankiconnect import DEFAULT_URL, AnkiConnect
from ..formats.ankiconnect_push import PushPlan
from ..formats.errors import AnkiConnectError
from ..services.anki_bridge import (
    InvalidAddress,
    NotInAnki,
    connect,
    pull_into_workspace,
    push_from_workspace,
)
from .deps import SettingsDep, WorkspaceDep, WriteLockDep
from .problems import Problem
from .routes_transfer import ImportedDoc, ImportResult
from .schemas import Body

router = APIRouter(prefix="/api", tags=["anki"])

URL_ENV = "ATD_ANKICONNECT_URL"
KEY_ENV = "ATD_ANKICONNECT_KEY"
_ELSEWHERE = "If AnkiConnect listens on another address, give that address as the url."


class AnkiConnection(Body):
    """Where AnkiConnect listens and its API key; omitted: the server's defaults."""

    url: str | None = Field(default=None, description=f"default {DEFAULT_URL}")
    key: str | None = Field(default=None, description="the apiKey of AnkiConnect's config")


class AnkiImportRequest(AnkiConnection):
    """Which of the running Anki's note types to copy into the workspace."""

    names: Annotated[list[str], Field(min_length=1)] | Literal["all"] = Field(
        description='exact note type names in Anki, or "all"'
    )


class AnkiPushRequest(AnkiConnection):
    """Push a workspace note type to Anki; ``dry_run`` only plans and diffs."""

    dry_run: bool = False


class AnkiNoteTypeDoc(BaseModel):
    """A note type of the running Anki's open collection."""

    name: str
    anki_id: int


class PushPlanDoc(BaseModel):
    """What a push changes (or, on a dry run, would change) in Anki, with a unified diff."""

    notetype: str
    changed: bool
    applied: bool
    create: bool
    added_fields: list[str]
    added_card_types: list[str]
    updated_card_types: list[str]
    css_changed: bool
    diff: str
    warnings: list[str]

    @classmethod
    def of(cls, plan: PushPlan) -> PushPlanDoc:
        """The document for a push plan."""
        return cls(
            notetype=plan.notetype,
            changed=plan.changed,
            applied=plan.applied,
            create=plan.create,
            added_fields=list(plan.added_fields),
            added_card_types=list(plan.added_templates),
            updated_card_types=list(plan.updated_templates),
            css_changed=plan.css_changed,
            diff=plan.diff,
            warnings=list(plan.warnings),
        )


def _client(url: str | None, key: str | None) -> AnkiConnect:
    env_url = os.environ.get(URL_ENV) or DEFAULT_URL
    address = url or env_url
    if not key and address == env_url:
        key = os.environ.get(KEY_ENV) or None
    with _anki_problems():
        return connect(address, key)


# The client's messages for "nothing answered there"; they already say how to start Anki.
_UNREACHABLE = ("Anki is not running", "Could not reach AnkiConnect", "Anki did not answer")


@contextmanager
def _anki_problems() -> Iterator[None]:
    """AnkiConnect's failures as problems: 404 a name Anki lacks, 503 nothing answers, else 502."""
    try:
        yield
    except NotInAnki as error:
        raise Problem(404, "not-in-anki", "Anki has no such note type", str(error)) from None
    except InvalidAddress as error:
        raise Problem(400, "invalid-anki-url", "Not an AnkiConnect address", str(error)) from None
    except AnkiConnectError as error:
        detail = str(error)
        if detail.startswith(_UNREACHABLE):
            raise Problem(
                503, "anki-unreachable", "Anki is not reachable", f"{detail} {_ELSEWHERE}"
            ) from None
        raise Problem(502, "ankiconnect", "AnkiConnect refused or failed", detail) from None


def _same_origin_read(request: Request) -> None:
    """Refuse a read another site's page asked for: it would make this server reach out."""
    site = request.headers.get("sec-fetch-site")
    if site in ("cross-site", "same-site"):
        raise Problem(
            403,
            "cross-origin",
            "Request refused",
            "only the designer's own pages may ask this server to contact Anki",
        )


@router.get("/anki/notetypes", summary="List the running Anki's note types")
def list_anki_notetypes(
    request: Request,
    url: Annotated[
        str | None, Query(description=f"AnkiConnect's address; default {DEFAULT_URL}")
    ] = None,
    key: Annotated[
        str | None,
        Header(alias="X-AnkiConnect-Key", description="AnkiConnect's API key, if it has one"),
    ] = None,
) -> list[AnkiNoteTypeDoc]:
    """Every note type of the collection open in Anki, by name (ask Anki through AnkiConnect)."""
    _same_origin_read(request)
    client = _client(url, key)
    with _anki_problems():
        found = client.list_notetypes()
    ordered = sorted(found.items(), key=lambda item: item[0].casefold())
    return [AnkiNoteTypeDoc(name=name, anki_id=anki_id) for name, anki_id in ordered]


@router.post("/anki/import", summary="Import note types from the running Anki")
def import_from_anki(
    body: AnkiImportRequest,
    workspace: WorkspaceDep,
    settings: SettingsDep,
    writes: WriteLockDep,
) -> ImportResult:
    """Copy note types from Anki into the workspace, each as a new revision.

    A note type the workspace already has keeps its sample notes and media, which
    AnkiConnect does not provide. Nothing is saved unless every named note type was read.
    """
    client = _client(body.url, body.key)
    names = None if body.names == "all" else body.names
    with _anki_problems():
        outcomes = pull_into_workspace(workspace, client, names, settings.author, writes=writes)
    return ImportResult(imported=[ImportedDoc.of_outcome(outcome) for outcome in outcomes])


@router.post("/notetypes/{notetype_id}/anki/push", summary="Push a note type to the running Anki")
def push_to_anki(notetype_id: str, body: AnkiPushRequest, workspace: WorkspaceDep) -> PushPlanDoc:
    """Update (or create) the note type of the same name in Anki; ``dry_run`` changes nothing.

    AnkiConnect can add fields and card types and replace templates and styling; whatever
    else differs is listed in ``warnings``.
    """
    client = _client(body.url, body.key)
    with _anki_problems():
        plan = push_from_workspace(workspace, client, notetype_id, dry_run=body.dry_run)
    return PushPlanDoc.of(plan)
