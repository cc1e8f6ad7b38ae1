"""The starter gallery (list, thumbnail, media, create from a starter) and the lint rules list."""

from __future__ import annotations

import mimetypes
import re
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from ..core.lint import default_rules
from ..core.platforms import Platform, page_shell
from ..perf import NOT_MODIFIED_DOC, conditional_response
from ..services.gallery import Starter, UnknownStarter, starter, starter_bundle, starters
from ..store.errors import NotFound
from ..store.names import check_media_name
from .deps import SettingsDep, WorkspaceDep
from .preview_pages import render_preview_card
from .preview_reviewer import reviewer_side
from .problems import Problem
from .routes_notetypes import document
from .schemas import Body, Kind, NoteTypeDoc, NoteTypeDocument, SampleDoc

router = APIRouter(prefix="/api", tags=["gallery"])

_SCRIPT = re.compile(r"<script\b.*?(?:</script\s*>|\Z)", re.I | re.S)
_HANDLER = re.compile(r"""\s on[a-z]+ \s*=\s* (?:"[^"]*"|'[^']*'|[^\s>]+)""", re.I | re.X)


class StarterDoc(BaseModel):
    """A gallery entry as the "New" dialog lists it."""

    id: str
    name: str
    description: str
    kind: Kind
    field_names: list[str]
    card_type_names: list[str]
    sample_count: int
    thumbnail_url: str = Field(
        description="A page showing the front of the first sample's first card, for a "
        "sandboxed <iframe>."
    )

    @classmethod
    def of(cls, entry: Starter) -> StarterDoc:
        """The document for a starter."""
        notetype = entry.notetype
        return cls(
            id=entry.id,
            name=notetype.name,
            description=entry.description,
            kind=Kind.cloze if notetype.is_cloze else Kind.standard,
            field_names=list(notetype.field_names),
            card_type_names=[t.name for t in notetype.templates],
            sample_count=len(entry.bundle.samples),
            thumbnail_url=f"/api/gallery/{entry.id}/thumbnail",
        )


class StarterDetailDoc(StarterDoc):
    """A gallery entry with its whole note type and samples (for a full preview)."""

    notetype: NoteTypeDoc
    samples: list[SampleDoc]


class CreateFromStarterRequest(Body):
    """The name of the note type to create from a starter."""

    name: str = Field(min_length=1, description="Must not be taken in the workspace.")


class LintRuleDoc(BaseModel):
    """One lint rule: what it checks, why it matters, where the docs explain it."""

    id: str
    severity: str
    title: str
    explanation: str
    docs_url: str


def _starter(starter_id: str) -> Starter:
    try:
        return starter(starter_id)
    except UnknownStarter as error:
        raise Problem(404, "unknown-starter", "No such starter", str(error)) from None


@router.get("/gallery", summary="List the starter gallery")
def list_gallery() -> list[StarterDoc]:
    """Every starter note type, in the gallery's order."""
    return [StarterDoc.of(entry) for entry in starters()]


@router.get("/gallery/{starter_id}", summary="Get a starter")
def get_starter(starter_id: str) -> StarterDetailDoc:
    """One starter with its note type and sample notes."""
    entry = _starter(starter_id)
    return StarterDetailDoc(
        **dict(StarterDoc.of(entry)),
        notetype=NoteTypeDoc.of(entry.notetype),
        samples=[SampleDoc.of(note) for note in entry.bundle.samples],
    )


@router.get(
    "/gallery/{starter_id}/thumbnail",
    summary="A starter's thumbnail page",
    response_class=HTMLResponse,
)
def starter_thumbnail(
    starter_id: str,
    platform: Platform = Platform.DESKTOP_LINUX,
    night_mode: Annotated[bool, Query(description="show the card in night mode")] = False,
) -> HTMLResponse:
    """The front of the first sample's first card, as the preview shows it."""
    entry = _starter(starter_id)
    preview = render_preview_card(entry.notetype, entry.bundle.samples[0], 0)
    card = preview.card
    html = reviewer_side(card.question, platform, preview.type_answer, question=True)
    # A picture, not a card to use: no scripts or event handlers at all (a frame without
    # allow-scripts logs each one it blocks), and relative media from the starter.
    page = page_shell(
        platform,
        night_mode,
        _HANDLER.sub("", _SCRIPT.sub("", html)),
        card.css,
        card.ord,
        side="question",
    )
    base = f'<base href="/api/gallery/{entry.id}/media/">\n'
    head, found, rest = page.partition("<head>\n")
    page = head + found + base + rest if found else page
    return HTMLResponse(page, headers={"Content-Security-Policy": "sandbox; script-src 'none'"})


@router.get(
    "/gallery/{starter_id}/media/{name:path}",
    summary="A starter's media file",
    responses=NOT_MODIFIED_DOC,
)
def starter_media(starter_id: str, name: str, request: Request) -> Response:
    """A sample media file of a starter; served sandboxed, like a note type's media (ETag)."""
    entry = _starter(starter_id)
    check_media_name(name)
    if name not in entry.bundle.media:
        raise NotFound(f"the starter {entry.id!r} has no media file {name!r}")
    media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    headers = {"Content-Security-Policy": "sandbox", "X-Content-Type-Options": "nosniff"}
    return conditional_response(request, bytes(entry.bundle.media[name]), media_type, headers)


@router.post(
    "/gallery/{starter_id}/create",
    status_code=status.HTTP_201_CREATED,
    summary="Create a note type from a starter",
)
def create_from_starter(
    starter_id: str, body: CreateFromStarterRequest, workspace: WorkspaceDep, settings: SettingsDep
) -> NoteTypeDocument:
    """A note type named ``name`` from the starter, with its samples; 409 if the name is taken."""
    entry = _starter(starter_id)
    name = body.name.strip()
    if not name:
        raise Problem(400, "invalid-name", "Invalid name", "give the new note type a name")
    revision = workspace.create_notetype(starter_bundle(entry.id, name), settings.author)
    return document(workspace, revision.notetype_id)


@router.get("/lint/rules", summary="List the lint rules", tags=["lint"])
def lint_rules() -> list[LintRuleDoc]:
    """Every built-in lint rule with its severity, title, explanation and documentation link."""
    return [
        LintRuleDoc(
            id=rule.id,
            severity=str(rule.severity),
            title=rule.title,
            explanation=rule.explanation,
            docs_url=rule.docs_url,
        )
        for rule in default_rules()
    ]
