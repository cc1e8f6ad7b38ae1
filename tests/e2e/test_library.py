"""The library (search, delete with confirmation) and cloze note types in the designer."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from anki_template_designer.core import Platform, body_classes

from .helpers import (
    Server,
    by_testid,
    create_via_api,
    editor,
    fill_sample,
    open_library,
    open_notetype,
    preview_frame,
    unique,
)

pytestmark = pytest.mark.e2e


def test_search_and_delete_with_confirmation(page: Page, server: Server) -> None:
    keep, gone = unique("E2E Keep"), unique("E2E Gone")
    create_via_api(server, keep)
    doomed = create_via_api(server, gone)
    open_library(page)
    items = by_testid(page, "library-item")

    by_testid(page, "library-search").fill(gone)
    expect(items).to_have_count(1)
    expect(items).to_contain_text(gone)
    items.click()
    expect(by_testid(page, "notetype-name")).to_contain_text(gone)

    by_testid(page, "delete-notetype").click()
    dialog = by_testid(page, "confirm-dialog")
    expect(by_testid(page, "confirm-message")).to_contain_text(gone)
    by_testid(page, "confirm-cancel").click()
    expect(dialog).to_be_hidden()
    assert server.api.get(f"/api/notetypes/{doomed['id']}").status_code == 200

    by_testid(page, "delete-notetype").click()
    by_testid(page, "confirm-ok").click()
    expect(dialog).to_be_hidden()
    expect(by_testid(page, "designer")).to_be_hidden()
    expect(items.filter(has_text=gone)).to_have_count(0)
    assert server.api.get(f"/api/notetypes/{doomed['id']}").status_code == 404

    by_testid(page, "library-search").fill(keep)
    expect(items).to_have_count(1)
    expect(items).to_contain_text(keep)


def test_cloze_cards_and_editor_shortcuts(page: Page, server: Server) -> None:
    name = unique("E2E Cloze")
    created = create_via_api(server, name, kind="cloze")
    open_notetype(page, created["id"], name)
    fill_sample(page, "Text", "{{c1::Canberra}} is the capital of {{c2::Australia}}")

    picker = by_testid(page, "preview-card-select")
    expect(picker.locator("option")).to_have_count(2)
    expect(picker.locator("option")).to_contain_text(["Cloze 1", "Cloze 2"])
    picker.select_option(label=picker.locator("option").nth(1).inner_text())
    question = preview_frame(page, "question")
    # Card 2 asks for c2 and shows c1's text, in a body with card 2's classes.
    expect(question.locator(".cloze")).to_have_text("[...]")
    expect(question.locator("#qa")).to_contain_text("Canberra is the capital of")
    expect(question.locator("body")).to_have_attribute(
        "class", body_classes(Platform.DESKTOP_LINUX, 1, False)
    )

    # Ctrl+1/2/3 switch between front, back and styling, as in Anki.
    editor(page, "front").click()
    for key, side in (("2", "back"), ("3", "css"), ("1", "front")):
        page.keyboard.press(f"Control+{key}")
        expect(
            by_testid(page, "editor").and_(page.locator(f'[data-side="{side}"]'))
        ).to_be_visible()
