"""Edits of a draft note type that follow Anki's rules, computed here so the editor need not.

``POST /api/draft/remove-field`` deletes a field the way Anki does when a note type is saved
without it: its tags leave every template (sections keep their content) and a question side
left without a field gets the first remaining one. The editor sends its current draft and
takes the answer as its new draft (autosave then saves it), so nothing is saved here.
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from ..core.field_removal import FieldRemovalError, remove_field_references
from .problems import Problem
from .schemas import Body, NoteTypeDoc

router = APIRouter(prefix="/api/draft", tags=["preview"])


class RemoveFieldRequest(Body):
    """A draft note type and the name of the field to delete from it."""

    notetype: NoteTypeDoc
    field: str


class RemoveFieldResponse(BaseModel):
    """The draft without the field, its templates rewritten as Anki rewrites them."""

    notetype: NoteTypeDoc


@router.post("/remove-field", summary="Delete a field from a draft as Anki does")
def remove_field(body: RemoveFieldRequest) -> RemoveFieldResponse:
    """The draft without ``field``: its references leave the templates as in Anki.

    ``{{Field}}``/``{{filter:Field}}`` disappear, ``{{#Field}}…{{/Field}}`` keeps its content,
    and a front without any field left gets ``{{First field}}`` appended (``{{cloze:…}}`` on a
    cloze note type). The sort field stays on the same field. Sample notes are the client's.
    """
    try:
        removed = remove_field_references(body.notetype.to_model(), body.field)
    except FieldRemovalError as error:
        raise Problem(400, "cannot-remove-field", "Cannot remove the field", str(error)) from None
    return RemoveFieldResponse(notetype=NoteTypeDoc.of(removed))
