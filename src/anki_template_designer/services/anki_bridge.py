"""A running Anki and the workspace: list, pull into the workspace, push a workspace note type.

NotInAnki (an AnkiConnectError)        a pulled name is not a note type of the open collection
InvalidAddress (an AnkiConnectError)   the AnkiConnect address is not an http(s) URL
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any
from urllib.parse import urlsplit

from ..formats.ankiconnect import DEFAULT_URL, AnkiConnect
from ..formats.ankiconnect_push import PushPlan
from ..formats.bundle import NoteTypeBundle
from ..formats.errors import AnkiConnectError
from ..store.workspace import Workspace
from .workspace_transfer import (
    ImportOutcome,
    find_notetype,
    import_bundles,
    keep_workspace_extras,
)

PULL_SUMMARY = "pull from Anki"


class NotInAnki(AnkiConnectError):
    """Raised when a note type asked for by name is not in the running Anki's collection."""


class InvalidAddress(AnkiConnectError):
    """Raised when the AnkiConnect address given is not an http:// or https:// URL."""


def connect(url: str | None = None, key: str | None = None) -> AnkiConnect:
    """A client for AnkiConnect at ``url`` (default 127.0.0.1:8765); only http(s) addresses."""
    address = (url or DEFAULT_URL).strip()
    parts = urlsplit(address)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidAddress(
            f"{address!r} is not an AnkiConnect address; give one like {DEFAULT_URL}"
        )
    return AnkiConnect(address, key or None)


def pull_bundles(client: AnkiConnect, names: Sequence[str] | None) -> list[NoteTypeBundle]:
    """Note types ``names`` (None: every one) from the running Anki, checked before any is read."""
    available = client.list_notetypes()
    wanted = sorted(available, key=str.casefold) if names is None else list(dict.fromkeys(names))
    missing = [name for name in wanted if name not in available]
    if missing:
        known = ", ".join(repr(n) for n in sorted(available, key=str.casefold)) or "none"
        raise NotInAnki(
            f"Anki has no note type called {', '.join(repr(n) for n in missing)}; "
            f"its note types: {known}. Names must match exactly (letter case too)."
        )
    return [client.pull(name) for name in wanted]


def pull_into_workspace(
    workspace: Workspace,
    client: AnkiConnect,
    names: Sequence[str] | None,
    author: str,
    *,
    writes: AbstractContextManager[Any] | None = None,
) -> list[ImportOutcome]:
    """Copy note types from Anki into the workspace (keeping the workspace's samples and media)."""
    bundles = keep_workspace_extras(workspace, pull_bundles(client, names))
    return import_bundles(workspace, bundles, author, summary=PULL_SUMMARY, writes=writes)


def push_from_workspace(
    workspace: Workspace, client: AnkiConnect, name_or_id: str, *, dry_run: bool = False
) -> PushPlan:
    """Bring Anki's note type of the same name in line with the workspace's (dry run: plan only)."""
    summary = find_notetype(workspace, name_or_id)
    return client.push(workspace.get_notetype(summary.id), dry_run=dry_run)


def describe_plan(plan: PushPlan, dry_run: bool) -> str:
    """One line saying what a push did (or, on a dry run, would do)."""
    if not plan.changed:
        return f"{plan.notetype}: already up to date"
    parts = ["create the note type"] if plan.create else []
    parts += [f"add field {n!r}" for n in plan.added_fields]
    parts += [f"add card type {n!r}" for n in plan.added_templates]
    parts += [f"update card type {n!r}" for n in plan.updated_templates]
    parts += ["update the styling"] if plan.css_changed else []
    return f"{plan.notetype}: " + ("would " if dry_run else "did: ") + ", ".join(parts)
