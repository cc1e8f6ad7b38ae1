"""Never losing an edit: autosave, edits made offline, and two tabs on one note type."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from .helpers import (
    BrowserErrors,
    Server,
    by_testid,
    create_via_api,
    expect_editor_text,
    expect_saved_state,
    get_via_api,
    open_notetype,
    screenshot,
    set_editor_text,
    unique,
)

pytestmark = pytest.mark.e2e


def _front(server: Server, notetype_id: str) -> str:
    front: str = get_via_api(server, notetype_id)["notetype"]["card_types"][0]["front"]
    return front


def test_autosave_survives_a_reload(page: Page, server: Server) -> None:
    name = unique("E2E Autosave")
    created = create_via_api(server, name)
    open_notetype(page, created["id"], name)
    expect_saved_state(page, "saved")

    set_editor_text(page, "front", "autosaved {{Front}}")
    expect_saved_state(page, "saved")
    assert _front(server, created["id"]) == "autosaved {{Front}}"

    page.reload()
    expect_editor_text(page, "front", "autosaved {{Front}}")
    expect_saved_state(page, "saved")


def test_an_offline_edit_is_saved_when_back_online(
    page: Page, context: BrowserContext, server: Server, browser_errors: BrowserErrors
) -> None:
    # The failed saves while offline are the point of this test.
    browser_errors.allow(r"net::ERR_INTERNET_DISCONNECTED")
    name = unique("E2E Offline")
    created = create_via_api(server, name)
    open_notetype(page, created["id"], name)
    expect_saved_state(page, "saved")

    context.set_offline(True)
    set_editor_text(page, "front", "typed offline {{Front}}")
    expect_saved_state(page, "offline")
    assert _front(server, created["id"]) == "{{Front}}"

    context.set_offline(False)
    expect_saved_state(page, "saved")
    assert _front(server, created["id"]) == "typed offline {{Front}}"
    expect_editor_text(page, "front", "typed offline {{Front}}")


def test_two_tabs_are_told_instead_of_overwriting(
    context: BrowserContext, server: Server, browser_errors: BrowserErrors
) -> None:
    # The second tab's save is refused (409 Conflict); the browser logs the refused request.
    browser_errors.allow(r"status of 409 \(Conflict\)")
    name = unique("E2E Tabs")
    created = create_via_api(server, name)
    first, second = context.new_page(), context.new_page()
    for tab in (first, second):
        open_notetype(tab, created["id"], name)
        expect_saved_state(tab, "saved")

    # The user switches to each tab in turn (a background tab's timers are throttled).
    first.bring_to_front()
    set_editor_text(first, "front", "first tab {{Front}}")
    expect_saved_state(first, "saved")

    second.bring_to_front()
    set_editor_text(second, "front", "second tab {{Front}}")
    expect_saved_state(second, "conflict")
    banner = by_testid(second, "conflict-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("another tab")
    screenshot(second, "conflict-banner")
    # Not silently overwritten: the server keeps the first tab's edit.
    assert _front(server, created["id"]) == "first tab {{Front}}"

    # The second tab takes the saved version: the banner goes, the editor shows the first edit.
    by_testid(second, "conflict-load-theirs").click()
    expect(banner).to_be_hidden()
    expect_editor_text(second, "front", "first tab {{Front}}")
    expect_saved_state(second, "saved")
    assert _front(server, created["id"]) == "first tab {{Front}}"


def test_an_offline_edit_survives_closing_the_tab(
    context: BrowserContext, server: Server, browser_errors: BrowserErrors
) -> None:
    browser_errors.allow(r"net::ERR_INTERNET_DISCONNECTED")
    name = unique("E2E Kept")
    created = create_via_api(server, name)
    page = context.new_page()
    open_notetype(page, created["id"], name)
    expect_saved_state(page, "saved")

    context.set_offline(True)
    set_editor_text(page, "front", "kept in the browser {{Front}}")
    expect_saved_state(page, "offline")
    page.close()
    context.set_offline(False)
    assert _front(server, created["id"]) == "{{Front}}"

    # The next visit finds the edit in the browser and saves it.
    again = context.new_page()
    open_notetype(again, created["id"], name)
    expect_editor_text(again, "front", "kept in the browser {{Front}}")
    expect_saved_state(again, "saved")
    assert _front(server, created["id"]) == "kept in the browser {{Front}}"
