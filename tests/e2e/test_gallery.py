"""The starter gallery, the first-run screens and the help page, as a user meets them."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from anki_template_designer.core.lint import default_rules

from .helpers import (
    BrowserErrors,
    Server,
    by_testid,
    open_library,
    preview_frame,
    screenshot,
    unique,
)

pytestmark = pytest.mark.e2e

# Per starter: an element of the first sample's first card front, and the text it shows.
FRONTS = {
    "basic": (".prompt", "What is the capital of Australia?"),
    "basic-reversed": (".prompt", "la bibliothèque"),
    "basic-optional-reversed": (".prompt", "der Schmetterling"),
    "type-in": (".prompt", "Spell the Spanish word for cheese."),
    "cloze": (".cloze", "[...]"),
    "vocabulary": (".word", "猫"),
    "image-labels": (".prompt", "Name the numbered parts of the plant cell."),
    "definition": (".term", "ephemeral"),
}


def open_new_dialog(page: Page) -> None:
    """Open the "New" dialog and wait until the gallery lists every starter."""
    by_testid(page, "new-notetype").click()
    expect(by_testid(page, "gallery")).to_be_visible()
    expect(by_testid(page, "gallery-item")).to_have_count(len(FRONTS))


def gallery_item(page: Page, starter_id: str) -> Locator:
    """The gallery card of one starter."""
    return by_testid(page, "gallery-item").and_(page.locator(f'[data-starter-id="{starter_id}"]'))


@pytest.mark.parametrize("starter_id", list(FRONTS))
def test_create_from_each_gallery_entry_and_see_its_preview(page: Page, starter_id: str) -> None:
    name = unique(f"Gallery {starter_id}")
    open_library(page)
    open_new_dialog(page)
    by_testid(page, "new-notetype-name").fill(name)
    gallery_item(page, starter_id).get_by_test_id("gallery-use").click()

    expect(by_testid(page, "designer")).to_be_visible()
    expect(by_testid(page, "notetype-name")).to_contain_text(name)
    expect(page).to_have_url(re.compile(r"#/notetype/[^/]+$"))
    expect(by_testid(page, "library-item").filter(has_text=name)).to_have_count(1)
    selector, text = FRONTS[starter_id]
    expect(preview_frame(page, "question").locator(selector).first).to_contain_text(text)
    expect(by_testid(page, "preview").get_by_test_id("preview-error")).to_be_hidden()


def test_use_without_a_name_takes_a_free_name_from_the_starter(page: Page) -> None:
    open_library(page)
    names: list[str] = []
    for _ in range(2):
        open_new_dialog(page)
        gallery_item(page, "definition").get_by_test_id("gallery-use").click()
        expect(by_testid(page, "new-notetype-dialog")).to_have_count(0)
        header = by_testid(page, "notetype-name")
        expect(header).to_contain_text("Definition with examples")
        if names:
            expect(header).not_to_have_text(names[0])
        names.append(header.inner_text())
    # The first free name, then the next number: "Definition with examples", "… 2".
    assert names[0] != names[1]
    assert re.fullmatch(r"Definition with examples \d+", names[1].strip()), names


def test_gallery_shows_thumbnails_and_descriptions(page: Page) -> None:
    open_library(page)
    open_new_dialog(page)
    basic = gallery_item(page, "basic")
    expect(basic).to_contain_text("A question on the front")
    thumb = page.frame_locator('[data-starter-id="image-labels"] iframe')
    expect(thumb.locator("img")).to_have_attribute("alt", re.compile("plant cell"))
    expect(page.frame_locator('[data-starter-id="basic"] iframe').locator(".prompt")).to_have_text(
        "What is the capital of Australia?"
    )
    screenshot(page, "gallery")
    # The blank note types stay in the same dialog.
    expect(by_testid(page, "new-notetype-kind")).to_be_visible()
    expect(by_testid(page, "new-notetype-create")).to_be_visible()


def test_a_taken_name_is_reported_and_nothing_is_created(
    page: Page, server: Server, browser_errors: BrowserErrors
) -> None:
    browser_errors.allow(r"status of 409 \(Conflict\).*/api/gallery/cloze/create")
    name = unique("Gallery taken")
    response = server.api.post("/api/gallery/basic/create", json={"name": name})
    assert response.status_code == 201, response.text
    open_library(page)
    open_new_dialog(page)
    by_testid(page, "new-notetype-name").fill(name)
    gallery_item(page, "cloze").get_by_test_id("gallery-use").click()
    expect(by_testid(page, "toast").filter(has_text="taken")).to_be_visible()
    expect(by_testid(page, "new-notetype-dialog")).to_be_visible()
    expect(by_testid(page, "library-item").filter(has_text=name)).to_have_count(1)


def test_empty_state_says_what_to_do_next(page: Page) -> None:
    open_library(page)
    empty = by_testid(page, "empty-state")
    expect(empty).to_contain_text("Create from the gallery")
    expect(empty).to_contain_text("Import an .apkg")
    expect(empty).to_contain_text("Import from Anki")
    by_testid(page, "empty-create").click()
    expect(by_testid(page, "new-notetype-dialog")).to_be_visible()
    expect(by_testid(page, "gallery")).to_be_visible()


def test_help_page_lists_syntax_and_every_lint_rule(page: Page) -> None:
    open_library(page)
    by_testid(page, "help-link").click()
    expect(page).to_have_url(re.compile(r"#/help$"))
    help_page = by_testid(page, "help-page")
    expect(help_page).to_be_visible()
    for text in ("{{#Example}}", "{{cloze:Text}}", "{{type:Back}}", "{{FrontSide}}", "{{Tags}}"):
        expect(help_page).to_contain_text(text)
    rules = [rule.id for rule in default_rules()]
    expect(by_testid(page, "lint-rule")).to_have_count(len(rules))
    expect(help_page.locator('[data-rule-id="unknown-field"]')).to_contain_text("Unknown field")
    screenshot(page, "help-page")


def test_question_mark_opens_the_shortcut_sheet(page: Page) -> None:
    open_library(page)
    page.locator("body").press("?")
    sheet = by_testid(page, "shortcut-sheet")
    expect(sheet).to_be_visible()
    expect(sheet).to_contain_text("Front template")
    page.keyboard.press("Escape")
    expect(sheet).to_be_hidden()
    # While typing, "?" is just a character.
    search = by_testid(page, "library-search")
    search.press("?")
    expect(search).to_have_value("?")
    expect(sheet).to_be_hidden()
    by_testid(page, "shortcut-button").click()
    expect(sheet).to_be_visible()
    by_testid(page, "shortcut-close").click()
    expect(sheet).to_be_hidden()


def test_tour_runs_once_and_is_remembered(page: Page) -> None:
    # Under automation the tour stays away unless asked for with ?tour=1.
    open_library(page)
    expect(by_testid(page, "library")).to_be_visible()
    expect(by_testid(page, "tour")).to_have_count(0)

    page.goto("/?tour=1#/")
    tour = by_testid(page, "tour")
    expect(tour).to_contain_text("Welcome")
    by_testid(page, "tour-next").click()
    expect(tour).to_contain_text("The library")
    expect(by_testid(page, "library")).to_have_class(re.compile("tour-ring"))
    while by_testid(page, "tour-next").inner_text() != "Done":
        by_testid(page, "tour-next").click()
    by_testid(page, "tour-next").click()
    expect(tour).to_have_count(0)
    assert page.evaluate("localStorage.getItem('atd:tour-done')") == "1"

    # Asked for again (a reload of the same address), it starts again; Skip closes it.
    page.reload()
    expect(by_testid(page, "tour")).to_be_visible()
    by_testid(page, "tour-close").click()
    expect(by_testid(page, "tour")).to_have_count(0)
