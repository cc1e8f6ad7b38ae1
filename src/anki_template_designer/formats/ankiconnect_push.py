"""Plan and apply a push of a note type to Anki through AnkiConnect, with a unified diff.

AnkiConnect changes note types by name and only in these ways: create one
(names of fields and card types, front/back, CSS, cloze or not), add fields,
add card types, replace existing card types' front/back, replace the CSS. A push
does exactly those; anything else that differs is listed as a warning.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..core.model import NoteType
from .errors import AnkiConnectError
from .folder_layout import STYLE, template_file_names

if TYPE_CHECKING:
    from .ankiconnect import AnkiConnect


@dataclass(frozen=True)
class PushPlan:
    """What a push changes in Anki, as actions and as a unified diff of the folder files."""

    notetype: str
    create: bool
    added_fields: tuple[str, ...]
    added_templates: tuple[str, ...]
    updated_templates: tuple[str, ...]
    css_changed: bool
    diff: str
    warnings: tuple[str, ...] = ()
    applied: bool = False

    @property
    def changed(self) -> bool:
        """Whether the push changes anything in Anki."""
        return bool(
            self.create
            or self.added_fields
            or self.added_templates
            or self.updated_templates
            or self.css_changed
        )


def _texts(notetype: NoteType | None, wanted: NoteType) -> dict[str, str]:
    """The pushed parts of ``notetype`` as folder files, named after ``wanted``'s card types."""
    if notetype is None:
        return {}
    texts = {STYLE: notetype.css}
    current = {t.name: t for t in notetype.templates}
    for template, names in zip(wanted.templates, template_file_names(wanted), strict=True):
        if template.name in current:
            texts[names["front"]] = current[template.name].front
            texts[names["back"]] = current[template.name].back
    return texts


def unified_diff(before: dict[str, str], after: dict[str, str], folder: str) -> str:
    """A git-style unified diff between two sets of files (absent = /dev/null)."""
    chunks: list[str] = []
    for name in sorted(set(before) | set(after), key=lambda n: (n != STYLE, n)):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        lines = difflib.unified_diff(
            (old or "").splitlines(keepends=True),
            (new or "").splitlines(keepends=True),
            fromfile=f"a/{folder}/{name}" if old is not None else "/dev/null",
            tofile=f"b/{folder}/{name}",
        )
        # Template texts rarely end with a newline; mark it the way git does.
        chunks.extend(
            line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
            for line in lines
        )
    return "".join(chunks)


def plan_push(current: NoteType | None, wanted: NoteType) -> PushPlan:
    """Compare Anki's note type (None: absent) with ``wanted`` and list the actions to take."""
    after = _texts(wanted, wanted)
    diff = unified_diff(_texts(current, wanted), after, wanted.name)
    warnings = _unpushable(wanted)
    if current is None:
        return PushPlan(wanted.name, True, (), (), (), False, diff, tuple(warnings))
    have_fields = set(current.field_names)
    added_fields = tuple(f for f in wanted.field_names if f not in have_fields)
    have = {t.name: t for t in current.templates}
    added = tuple(t.name for t in wanted.templates if t.name not in have)
    updated = []
    for template in wanted.templates:
        old = have.get(template.name)
        if old is None or (old.front, old.back) == (template.front, template.back):
            continue
        updated.append(template.name)
        for side, text in (("front", template.front), ("back", template.back)):
            if not text and getattr(old, side):
                warnings.append(
                    f"card type {template.name!r}: AnkiConnect ignores an empty {side} "
                    "template, so Anki keeps its current one."
                )
    wanted_templates = {t.name for t in wanted.templates}
    warnings += [
        f"card type {name!r} is in Anki but not in the folder; a push does not remove card "
        "types (remove it in Anki: Tools > Manage Note Types > Cards)."
        for name in have
        if name not in wanted_templates
    ]
    warnings += [
        f"field {name!r} is in Anki but not in the folder; a push does not remove fields."
        for name in current.field_names
        if name not in set(wanted.field_names)
    ]
    if current.kind != wanted.kind:
        warnings.append(
            f"Anki's note type is {current.kind.name.lower()}, the folder's is "
            f"{wanted.kind.name.lower()}; AnkiConnect cannot change that."
        )
    return PushPlan(
        notetype=wanted.name,
        create=False,
        added_fields=added_fields,
        added_templates=added,
        updated_templates=tuple(updated),
        css_changed=current.css != wanted.css,
        diff=diff,
        warnings=tuple(warnings),
    )


def _unpushable(wanted: NoteType) -> list[str]:
    if any(t.browser_front or t.browser_back for t in wanted.templates):
        return [
            "browser appearance (browser front/back) is not pushed: AnkiConnect has no action "
            "for it. Export an .apkg (atd export --format apkg) to carry every option."
        ]
    return []


def apply_plan(
    client: AnkiConnect, plan: PushPlan, wanted: NoteType, current: NoteType | None = None
) -> None:
    """Run the AnkiConnect actions of ``plan`` (fields first: templates may use them).

    ``current`` is Anki's note type before the push. If an action fails, the actions that
    already ran are undone with their inverse actions (remove what was added, put back the
    old templates and CSS), so Anki is left as it was; the error says whether that worked.
    """
    name = wanted.name
    if plan.create:
        client.invoke(
            "createModel",
            modelName=name,
            inOrderFields=list(wanted.field_names),
            css=wanted.css,
            isCloze=wanted.is_cloze,
            cardTemplates=[
                {"Name": t.name, "Front": t.front, "Back": t.back} for t in wanted.templates
            ],
        )
        return
    undo: list[tuple[str, dict[str, Any]]] = []
    try:
        _apply_changes(client, plan, wanted, current, undo)
    except AnkiConnectError as exc:
        raise _undone(client, exc, undo, name) from None


def _apply_changes(
    client: AnkiConnect,
    plan: PushPlan,
    wanted: NoteType,
    current: NoteType | None,
    undo: list[tuple[str, dict[str, Any]]],
) -> None:
    name = wanted.name
    for field in plan.added_fields:
        client.invoke("modelFieldAdd", modelName=name, fieldName=field)
        undo.append(("modelFieldRemove", {"modelName": name, "fieldName": field}))
    by_name = {t.name: t for t in wanted.templates}
    for card in plan.added_templates:
        template = by_name[card]
        client.invoke(
            "modelTemplateAdd",
            modelName=name,
            template={"Name": card, "Front": template.front, "Back": template.back},
        )
        undo.append(("modelTemplateRemove", {"modelName": name, "templateName": card}))
    old = {t.name: t for t in current.templates} if current is not None else {}
    if plan.updated_templates:
        client.invoke(
            "updateModelTemplates",
            model={
                "name": name,
                "templates": {
                    card: {"Front": by_name[card].front, "Back": by_name[card].back}
                    for card in plan.updated_templates
                },
            },
        )
        restore = {
            card: {"Front": old[card].front, "Back": old[card].back}
            for card in plan.updated_templates
            if card in old
        }
        undo.append(("updateModelTemplates", {"model": {"name": name, "templates": restore}}))
    if plan.css_changed:
        client.invoke("updateModelStyling", model={"name": name, "css": wanted.css})


def _undone(
    client: AnkiConnect,
    error: AnkiConnectError,
    undo: list[tuple[str, dict[str, Any]]],
    name: str,
) -> AnkiConnectError:
    if not undo:
        return AnkiConnectError(f"{error} Nothing was changed in Anki.")
    failed = []
    for action, params in reversed(undo):
        try:
            client.invoke(action, **params)
        except AnkiConnectError as exc:
            failed.append(f"{action}: {exc}")
    if not failed:
        return AnkiConnectError(
            f"{error} The steps already done were undone, so Anki's note type {name!r} is "
            "as it was."
        )
    return AnkiConnectError(
        f"{error} Undoing the steps already done failed too ({'; '.join(failed)}): check "
        f"the note type {name!r} in Anki (Tools > Manage Note Types) before pushing again."
    )
