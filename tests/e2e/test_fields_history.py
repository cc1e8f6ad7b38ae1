"""Fields (add, rename with the templates following, delete with a warning) and history."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from anki_template_designer.core import Platform, body_classes
from anki_template_designer.core.field_removal import remove_field_references
from anki_template_designer.server.schemas import NoteTypeDoc

from .helpers import (
    Server,
    answer_prompt,
    by_testid,
    create_via_api,
    eventually,
    expect_editor_text,
    expect_saved_state,
    field_row,
    get_via_api,
    open_notetype,
    preview_frame,
    screenshot,
    set_editor_text,
    unique,
)

pytestmark = pytest.mark.e2e

BACK = "{{FrontSide}}\n<hr id=answer>\n{{Back}}<br>{{Extra}}"


def test_add_rename_and_delete_a_field(page: Page, server: Server) -> None:
    name = unique("E2E Fields")
    created = create_via_api(server, name)
    open_notetype(page, created["id"], name)

    by_testid(page, "field-add").click()
    answer_prompt(page, "Extra")
    expect(field_row(page, "Extra")).to_be_visible()
    expect(by_testid(page, "field-item")).to_have_count(3)
    set_editor_text(page, "back", BACK)

    # Renaming updates every template that uses the field, as Anki does.
    field_row(page, "Extra").get_by_test_id("field-rename").click()
    answer_prompt(page, "Notes")
    expect(field_row(page, "Notes")).to_be_visible()
    expect(field_row(page, "Extra")).to_have_count(0)
    expect_editor_text(page, "back", BACK.replace("{{Extra}}", "{{Notes}}"))

    field_row(page, "Front").get_by_test_id("field-rename").click()
    answer_prompt(page, "Question")
    expect_editor_text(page, "front", "{{Question}}")
    expect_saved_state(page, "saved")
    saved = get_via_api(server, created["id"])["notetype"]
    assert [f["name"] for f in saved["fields"]] == ["Question", "Back", "Notes"]
    assert saved["card_types"][0]["front"] == "{{Question}}"
    assert saved["card_types"][0]["back"] == BACK.replace("{{Extra}}", "{{Notes}}")
    screenshot(page, "designer-fields")

    # Deleting warns with the card types and sides that use the field.
    field_row(page, "Notes").get_by_test_id("field-delete").click()
    dialog = by_testid(page, "confirm-dialog")
    expect(dialog).to_be_visible()
    message = by_testid(page, "confirm-message")
    expect(message).to_contain_text("Card 1")
    expect(message).to_contain_text("back", ignore_case=True)
    expect(message).not_to_contain_text("front", ignore_case=True)
    by_testid(page, "confirm-cancel").click()
    expect(dialog).to_be_hidden()
    expect(field_row(page, "Notes")).to_be_visible()

    # As in Anki, deleting removes the field's references from the templates (the engine's
    # remove_field_references says how).
    before = NoteTypeDoc(**get_via_api(server, created["id"])["notetype"]).to_model()
    expected_back = remove_field_references(before, "Notes").templates[0].back
    assert "Notes" not in expected_back
    field_row(page, "Notes").get_by_test_id("field-delete").click()
    by_testid(page, "confirm-ok").click()
    expect(field_row(page, "Notes")).to_have_count(0)
    expect(by_testid(page, "field-item")).to_have_count(2)
    expect_editor_text(page, "back", expected_back)
    expect_saved_state(page, "saved")
    saved = get_via_api(server, created["id"])["notetype"]
    assert [f["name"] for f in saved["fields"]] == ["Question", "Back"]
    assert saved["card_types"][0]["back"] == expected_back


def test_restore_an_older_revision(page: Page, server: Server) -> None:
    name = unique("E2E History")
    created = create_via_api(server, name)
    open_notetype(page, created["id"], name)

    set_editor_text(page, "front", "version one {{Front}}")
    expect_saved_state(page, "saved")
    # Saves in one burst of typing fold into one revision (store/saving.py); a rename is a
    # revision of its own, so the next edit starts a new one.
    field_row(page, "Front").get_by_test_id("field-rename").click()
    answer_prompt(page, "Question")
    expect_editor_text(page, "front", "version one {{Question}}")
    expect_saved_state(page, "saved")
    set_editor_text(page, "front", "version two {{Question}}")
    expect_saved_state(page, "saved")
    assert _front(server, created["id"]) == "version two {{Question}}"

    # The revision that saved "version one", found through the API.
    revisions = server.api.get(f"/api/notetypes/{created['id']}/revisions")
    assert revisions.status_code == 200, revisions.text
    older = [
        r["id"]
        for r in revisions.json()
        if _revision_front(server, r["id"]) == "version one {{Front}}"
    ]
    assert len(older) == 1, revisions.text

    panel = by_testid(page, "history-panel")
    expect(panel).to_be_visible()
    expect(panel.get_by_test_id("revision-item")).to_have_count(len(revisions.json()))
    row = panel.get_by_test_id("revision-item").and_(
        page.locator(f'[data-revision-id="{older[0]}"]')
    )
    row.get_by_test_id("revision-diff").click()
    diff = by_testid(page, "revision-diff-view")
    expect(diff).to_contain_text("version one {{Front}}")
    expect(diff).to_contain_text("version two {{Question}}")
    screenshot(page, "history")

    row.get_by_test_id("revision-restore").click()
    expect(by_testid(page, "confirm-dialog")).to_be_visible()
    by_testid(page, "confirm-ok").click()
    expect_editor_text(page, "front", "version one {{Front}}")
    expect(field_row(page, "Front")).to_be_visible()
    expect(field_row(page, "Question")).to_have_count(0)
    expect_saved_state(page, "saved")
    assert _front(server, created["id"]) == "version one {{Front}}"


def _front(server: Server, notetype_id: str) -> str:
    """The first card type's front template as saved on the server."""
    front: str = get_via_api(server, notetype_id)["notetype"]["card_types"][0]["front"]
    return front


def _revision_front(server: Server, revision_id: int) -> str:
    """The first card type's front template in a revision."""
    response = server.api.get(f"/api/revisions/{revision_id}")
    assert response.status_code == 200, response.text
    front: str = response.json()["notetype"]["card_types"][0]["front"]
    return front


def test_add_edit_rename_reorder_and_delete_a_card_type(page: Page, server: Server) -> None:
    name = unique("E2E Card types")
    created = create_via_api(server, name)
    open_notetype(page, created["id"], name)
    rows = by_testid(page, "cardtype-item")

    by_testid(page, "cardtype-add").click()
    answer_prompt(page, "Reverse")
    expect(rows).to_have_count(2)
    by_testid(page, "card-type-select").select_option(index=1)
    set_editor_text(page, "front", "reverse: {{Back}}")

    # The sample note now makes two cards; the second asks with the Back field.
    picker = by_testid(page, "preview-card-select")
    expect(picker.locator("option")).to_have_count(2)
    picker.select_option(index=1)
    question = preview_frame(page, "question")
    expect(question.locator("#qa")).to_have_text("reverse: Paris")
    expect(question.locator("body")).to_have_attribute(
        "class", body_classes(Platform.DESKTOP_LINUX, 1, False)
    )

    rows.and_(page.locator('[data-cardtype="Reverse"]')).get_by_test_id("cardtype-rename").click()
    answer_prompt(page, "Backwards")
    backwards = rows.and_(page.locator('[data-cardtype="Backwards"]'))
    backwards.get_by_test_id("cardtype-up").click()
    order = "rs => rs.map(r => r.dataset.cardtype)"
    eventually(
        lambda: rows.evaluate_all(order) == ["Backwards", "Card 1"],
        "moving Backwards up does not put it first",
    )
    expect_saved_state(page, "saved")
    saved = get_via_api(server, created["id"])["notetype"]["card_types"]
    assert [(c["name"], c["front"]) for c in saved] == [
        ("Backwards", "reverse: {{Back}}"),
        ("Card 1", "{{Front}}"),
    ]

    backwards.get_by_test_id("cardtype-delete").click()
    expect(by_testid(page, "confirm-message")).to_contain_text("Backwards")
    by_testid(page, "confirm-ok").click()
    expect(rows).to_have_count(1)
    expect(rows).to_have_attribute("data-cardtype", "Card 1")
    expect_saved_state(page, "saved")
    assert [c["name"] for c in get_via_api(server, created["id"])["notetype"]["card_types"]] == [
        "Card 1"
    ]
