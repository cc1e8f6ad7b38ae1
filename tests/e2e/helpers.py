"""What a user does in the designer, in the words of the UI contract (/tmp/atd/ui_contract.md).

Locators use only the contract's ``data-testid`` names, so a test failing here means the UI
and the contract disagree.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import httpx
from playwright.sync_api import ConsoleMessage, FrameLocator, Locator, Page, expect

ROOT = Path(__file__).resolve().parents[2]
STATIC_INDEX = ROOT / "src" / "anki_template_designer" / "server" / "static" / "index.html"
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
# Not a performance limit: how long a locator waits before reporting a missing element, long
# enough for 2 busy cores (Playwright's 5 s default is not).
UI_WAIT_MS = 30_000


@dataclass
class Server:
    """A running ``atd serve``: its URL, workspace folder, log, and an API client."""

    url: str  # with the trailing slash, as printed
    workspace: Path
    log: Path
    api: httpx.Client  # base_url is the server; sends the designer's Origin

    @property
    def origin(self) -> str:
        """The designer's origin (the URL without its trailing slash)."""
        return self.url.rstrip("/")


@dataclass
class BrowserErrors:
    """Console errors and uncaught exceptions seen in a test's pages (frames included)."""

    seen: list[str] = field(default_factory=list)
    allowed: list[re.Pattern[str]] = field(default_factory=list)

    def allow(self, pattern: str) -> None:
        """Expect errors matching ``pattern`` (e.g. the failed requests of an offline test)."""
        self.allowed.append(re.compile(pattern))

    def watch(self, page: Page) -> None:
        """Record ``page``'s console errors and uncaught exceptions."""
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.seen.append(f"uncaught: {error}"))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.seen.append(f"console error: {message.text} (at {message.location.get('url')})")

    def unexpected(self) -> list[str]:
        """The errors no ``allow`` pattern covers."""
        return [e for e in self.seen if not any(p.search(e) for p in self.allowed)]


Side = Literal["front", "back", "css"]
SaveState = Literal["saved", "dirty", "saving", "offline", "conflict"]


def eventually(check: Callable[[], bool], failure: str) -> None:
    """Wait until ``check()`` holds (as Playwright's ``expect`` waits), else fail.

    ``check`` must call into Playwright (e.g. ``evaluate``): the sync API delivers page events
    only then, never during the sleep between checks.
    """
    deadline = time.monotonic() + UI_WAIT_MS / 1000
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(failure)
        time.sleep(0.05)


def unique(name: str) -> str:
    """``name`` with a random suffix: tests share a workspace per worker."""
    return f"{name} {uuid.uuid4().hex[:8]}"


def by_testid(page: Page, name: str) -> Locator:
    """The element(s) with ``data-testid=name``."""
    return page.get_by_test_id(name)


def screenshot(page: Page, name: str) -> None:
    """Keep a screenshot of the page as a test artifact (test-artifacts/e2e/NAME.png)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


def create_via_api(server: Server, name: str, kind: str = "standard") -> dict[str, Any]:
    """A note type created through the API (for tests about something else than creating)."""
    response = server.api.post("/api/notetypes", json={"name": name, "kind": kind})
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def update_via_api(server: Server, notetype_id: str, **changes: Any) -> dict[str, Any]:
    """Save changes to a note type's document (``notetype`` keys, or ``samples``)."""
    document = get_via_api(server, notetype_id)
    notetype = {**document["notetype"], **changes.pop("notetype", {})}
    body = {
        "expected_revision": document["revision"],
        "notetype": notetype,
        "samples": changes.pop("samples", document["samples"]),
    }
    assert not changes, f"unknown changes: {changes}"
    response = server.api.put(f"/api/notetypes/{notetype_id}", json=body)
    assert response.status_code == 200, response.text
    return get_via_api(server, notetype_id)


def get_via_api(server: Server, notetype_id: str) -> dict[str, Any]:
    """The server's current document for a note type."""
    response = server.api.get(f"/api/notetypes/{notetype_id}")
    assert response.status_code == 200, response.text
    document: dict[str, Any] = response.json()
    return document


def open_library(page: Page) -> None:
    """Go to the designer's start page and wait for the library."""
    page.goto("/")
    expect(by_testid(page, "library")).to_be_visible()


def open_notetype(page: Page, notetype_id: str, name: str) -> None:
    """Open a note type from the library list, as a user clicks it."""
    open_library(page)
    item = by_testid(page, "library-item").and_(page.locator(f'[data-notetype-id="{notetype_id}"]'))
    expect(item).to_contain_text(name)
    item.click()
    expect(by_testid(page, "designer")).to_be_visible()
    expect(by_testid(page, "notetype-name")).to_contain_text(name)
    expect(page).to_have_url(re.compile(rf"#/notetype/{re.escape(notetype_id)}$"))


def editor_host(page: Page, side: Side) -> Locator:
    """The editor host while it shows ``side``."""
    return by_testid(page, "editor").and_(page.locator(f'[data-side="{side}"]'))


def editor(page: Page, side: Side) -> Locator:
    """Switch to a side's tab; its CodeMirror's editable content."""
    by_testid(page, f"tab-{side}").click()
    host = editor_host(page, side)
    expect(host).to_be_visible()
    return host.locator(".cm-editor .cm-content")


def set_editor_text(page: Page, side: Side, text: str) -> None:
    """Replace a side's text: click into the editor, select all, type the new text.

    The text goes in as one input event (like a paste), so the editor's bracket closing and
    autocomplete do not rewrite it; tests about those type key by key instead.
    """
    content = editor(page, side)
    content.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.insert_text(text)
    expect_editor_text(page, side, text)


def expect_editor_text(page: Page, side: Side, text: str) -> None:
    """The editor of ``side`` shows exactly ``text`` (line by line)."""
    # Switching tabs moves the focus to the tab, so only when another side is showing.
    content = (
        editor_host(page, side).locator(".cm-editor .cm-content")
        if editor_host(page, side).is_visible()
        else editor(page, side)
    )
    expect(content.locator(".cm-line")).to_have_text(text.split("\n"))


def save_status(page: Page) -> Locator:
    """The saved/unsaved indicator."""
    return by_testid(page, "save-status")


def expect_saved_state(page: Page, state: SaveState) -> None:
    """The indicator reaches ``state`` and says something to the user."""
    status = save_status(page)
    expect(status).to_have_attribute("data-state", state)
    expect(status).not_to_have_text("")


def preview_frame(page: Page, side: str, platform: str = "desktop-linux") -> FrameLocator:
    """The sandboxed preview frame of one platform and side."""
    selector = f'[data-testid="preview-frame"][data-platform="{platform}"][data-side="{side}"]'
    return page.frame_locator(selector)


def fill_sample(page: Page, field_name: str, value: str) -> None:
    """Type a value into the selected sample note's field."""
    box = by_testid(page, "sample-field").and_(page.locator(f'[data-field="{field_name}"]'))
    box.fill(value)


def answer_prompt(page: Page, value: str) -> None:
    """Fill the open prompt dialog and confirm it."""
    dialog = by_testid(page, "prompt-dialog")
    expect(dialog).to_be_visible()
    by_testid(dialog.page, "prompt-input").fill(value)
    by_testid(page, "prompt-ok").click()
    expect(dialog).to_be_hidden()


def field_row(page: Page, name: str) -> Locator:
    """The fields panel's row for field ``name``."""
    return by_testid(page, "field-item").and_(page.locator(f'[data-field="{name}"]'))
