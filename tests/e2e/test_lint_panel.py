"""The lint panel and inline markers: an unknown field is marked, listed, explained and fixed."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .helpers import (
    Server,
    by_testid,
    create_via_api,
    editor,
    eventually,
    expect_editor_text,
    expect_saved_state,
    field_row,
    get_via_api,
    open_notetype,
    screenshot,
    set_editor_text,
    unique,
)

pytestmark = pytest.mark.e2e

# The emoji is one code point for the engine but two UTF-16 units for the editor: the marker,
# the selection and the fix must all still land on the tag after it.
BROKEN_FRONT = "😀 {{Front}}\n<p>{{Frnt}}</p>"
FIXED_FRONT = "😀 {{Front}}\n<p>{{Front}}</p>"


def test_unknown_field_is_marked_listed_and_fixed(page: Page, server: Server) -> None:
    name = unique("E2E Lint")
    created = create_via_api(server, name)
    open_notetype(page, created["id"], name)
    lint_panel = by_testid(page, "lint-panel")
    # Anki's stock Basic note type lints clean.
    expect(lint_panel.get_by_test_id("lint-empty")).to_be_visible()

    set_editor_text(page, "front", BROKEN_FRONT)
    marker = by_testid(page, "editor").locator(".cm-lintRange-error")
    expect(marker).to_have_count(1)
    expect(marker).to_have_text("{{Frnt}}")
    item = lint_panel.get_by_test_id("lint-item")
    expect(item).to_have_count(1)
    expect(item).to_have_attribute("data-rule", "unknown-field")
    expect(item).to_have_attribute("data-severity", "error")
    expect(item).to_contain_text("there is no field called 'Frnt'")
    expect(item).to_contain_text("front 2:4")

    # The explanation opens with a link to the documentation.
    item.get_by_test_id("lint-explain").click()
    expect(item.get_by_test_id("lint-explanation")).to_be_visible()
    expect(item.get_by_test_id("lint-docs")).to_have_attribute(
        "href", r"https://docs.ankiweb.net/templates/errors.html#template-syntax-error"
    )
    screenshot(page, "lint-panel")

    # Clicking the finding shows it in the editor, from another tab.
    editor(page, "back")
    item.locator(".lint-message").click()
    host = by_testid(page, "editor")
    expect(host).to_have_attribute("data-side", "front")
    eventually(
        lambda: page.evaluate("() => getSelection()?.toString()") == "{{Frnt}}",
        "the finding's range is not selected in the editor",
    )

    item.get_by_test_id("lint-fix").click()
    expect_editor_text(page, "front", FIXED_FRONT)
    expect(lint_panel.get_by_test_id("lint-item")).to_have_count(0)
    expect(lint_panel.get_by_test_id("lint-empty")).to_be_visible()
    expect(marker).to_have_count(0)
    expect_saved_state(page, "saved")
    assert get_via_api(server, created["id"])["notetype"]["card_types"][0]["front"] == FIXED_FRONT
    screenshot(page, "lint-panel-fixed")


def test_the_fix_is_offered_in_the_editor_too(page: Page, server: Server) -> None:
    name = unique("E2E Lint action")
    created = create_via_api(server, name)
    open_notetype(page, created["id"], name)
    set_editor_text(page, "front", BROKEN_FRONT)
    marker = by_testid(page, "editor").locator(".cm-lintRange-error")
    expect(marker).to_have_text("{{Frnt}}")
    marker.hover()
    tooltip = page.locator(".cm-tooltip-lint")
    expect(tooltip).to_contain_text("there is no field called 'Frnt'")
    tooltip.get_by_role("button", name="Use the field 'Front'").click()
    expect_editor_text(page, "front", FIXED_FRONT)
    expect(by_testid(page, "lint-panel").get_by_test_id("lint-empty")).to_be_visible()
    expect_saved_state(page, "saved")


def test_deleting_a_field_removes_its_references_as_anki_does(page: Page, server: Server) -> None:
    name = unique("E2E Delete field")
    created = create_via_api(server, name)
    open_notetype(page, created["id"], name)
    set_editor_text(page, "front", "{{Front}}{{#Back}} ({{Back}}){{/Back}}")

    field_row(page, "Back").get_by_test_id("field-delete").click()
    expect(by_testid(page, "confirm-message")).to_contain_text("removed from the templates")
    by_testid(page, "confirm-ok").click()
    expect(field_row(page, "Back")).to_have_count(0)
    expect_editor_text(page, "front", "{{Front}} ()")
    expect_editor_text(page, "back", "{{FrontSide}}\n\n<hr id=answer>\n\n")
    expect(by_testid(page, "lint-panel").get_by_test_id("lint-item")).to_have_count(0)
    expect_saved_state(page, "saved")
    saved = get_via_api(server, created["id"])["notetype"]
    assert [f["name"] for f in saved["fields"]] == ["Front"]
    assert saved["card_types"][0]["front"] == "{{Front}} ()"


def test_fix_all_applies_every_fix(page: Page, server: Server) -> None:
    name = unique("E2E Lint all")
    created = create_via_api(server, name)
    open_notetype(page, created["id"], name)
    set_editor_text(page, "front", "{{front}} {{back}}")
    lint_panel = by_testid(page, "lint-panel")
    expect(lint_panel.get_by_test_id("lint-item")).to_have_count(2)
    expect(lint_panel.get_by_test_id("lint-counts")).to_have_text("2 errors")
    lint_panel.get_by_test_id("lint-fix-all").click()
    expect_editor_text(page, "front", "{{Front}} {{Back}}")
    expect(lint_panel.get_by_test_id("lint-counts")).to_have_text("No problems")
    expect(lint_panel.get_by_test_id("lint-fix-all")).to_be_hidden()
