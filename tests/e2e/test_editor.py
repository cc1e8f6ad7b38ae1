"""The template editor's everyday keys: find/replace, undo and redo."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .helpers import (
    Server,
    create_via_api,
    editor,
    expect_editor_text,
    open_notetype,
    set_editor_text,
    unique,
)

pytestmark = pytest.mark.e2e


def test_find_replace_undo_redo(page: Page, server: Server) -> None:
    name = unique("E2E Keys")
    created = create_via_api(server, name)
    open_notetype(page, created["id"], name)
    set_editor_text(page, "front", "{{Front}} one\none")

    editor(page, "front").click()
    page.keyboard.press("Control+f")
    search = page.locator(".cm-search")
    expect(search).to_be_visible()
    search.locator("input[name=search]").press_sequentially("one")
    search.locator("input[name=replace]").press_sequentially("two")
    search.locator("button[name=replaceAll]").click()
    expect_editor_text(page, "front", "{{Front}} two\ntwo")

    editor(page, "front").click()
    page.keyboard.press("Control+z")
    expect_editor_text(page, "front", "{{Front}} one\none")
    # KeyZ with Shift, as a keyboard sends it ("Z"); Ctrl+Y redoes too.
    page.keyboard.press("Control+Shift+KeyZ")
    expect_editor_text(page, "front", "{{Front}} two\ntwo")
    page.keyboard.press("Control+z")
    expect_editor_text(page, "front", "{{Front}} one\none")
    page.keyboard.press("Control+y")
    expect_editor_text(page, "front", "{{Front}} two\ntwo")
