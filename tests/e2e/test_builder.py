"""The visual block builder: lossless on Anki's stock templates, blocks, traits and styles."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import FrameLocator, Locator, Page, expect

from .helpers import (
    ROOT,
    BrowserErrors,
    Server,
    by_testid,
    create_via_api,
    editor,
    eventually,
    fill_sample,
    get_via_api,
    open_notetype,
    preview_frame,
    screenshot,
    set_editor_text,
    unique,
    update_via_api,
)

pytestmark = pytest.mark.e2e

FIXTURES = ROOT / "frontend" / "tests" / "fixtures"
STOCK: list[dict[str, Any]] = json.loads((FIXTURES / "stock-notetypes.json").read_text())
REAL_WORLD: list[dict[str, Any]] = json.loads((FIXTURES / "real-world.json").read_text())

# Field values that make every stock card generate and show something.
SAMPLE_VALUES = {
    "Text": "Paris is the {{c1::capital}} of {{c2::France}}.",
    "Back Extra": "Extra <b>info</b>",
    "Image": '<img src="_map.png">',
    "Occlusion": "{{c1::image-occlusion:rect:left=.1:top=.1:width=.2:height=.2}}",
    "Header": "Header",
    "Comments": "",
    "Add Reverse": "y",
}


def _sample(fields: list[str]) -> dict[str, Any]:
    """A sample note with a value for each field."""
    return {"fields": {f: SAMPLE_VALUES.get(f, f"Sample {f}") for f in fields}, "tags": ["t"]}


def _render(server: Server, notetype: dict[str, Any], sample: dict[str, Any]) -> Any:
    """The cards the server renders for one sample note (all card types)."""
    response = server.api.post("/api/preview", json={"notetype": notetype, "sample": sample})
    assert response.status_code == 200, response.text
    return response.json()


def _install(server: Server, name: str, stock: dict[str, Any]) -> dict[str, Any]:
    """A workspace note type with ``stock``'s fields, templates and CSS, and one sample."""
    kind = "cloze" if any("cloze:" in t["front"] for t in stock["templates"]) else "standard"
    created = create_via_api(server, name, kind)
    return update_via_api(
        server,
        created["id"],
        notetype={
            "fields": [{"name": f} for f in stock["fields"]],
            "card_types": [
                {"name": t["name"], "front": t["front"], "back": t["back"]}
                for t in stock["templates"]
            ],
            "css": stock["css"],
        },
        samples=[_sample(stock["fields"])],
    )


def _canvas(page: Page) -> FrameLocator:
    """The builder's canvas iframe (GrapesJS's frame)."""
    return page.frame_locator('[data-testid="builder"] iframe.gjs-frame')


def _block(page: Page, name: str) -> Locator:
    """A block in the builder's block panel."""
    return by_testid(page, "builder-block").and_(page.locator(f'[data-block="{name}"]'))


def _drag_block(page: Page, name: str, x: float, y: float) -> None:
    """Drag a block onto the canvas at (x, y) inside the canvas frame, as a user does.

    The pauses pace the mouse like a hand: Chromium's native drag and drop (which GrapesJS
    uses for blocks) drops a drag whose moves arrive all in one go. They bound nothing.
    """
    block = _block(page, name).bounding_box()
    frame = page.locator('[data-testid="builder"] iframe.gjs-frame').bounding_box()
    assert block is not None and frame is not None
    page.mouse.move(block["x"] + 10, block["y"] + 10)
    page.mouse.down()
    page.mouse.move(block["x"] + 20, block["y"] + 14, steps=3)
    page.wait_for_timeout(100)
    page.mouse.move(frame["x"] + x - 10, frame["y"] + y, steps=10)
    page.wait_for_timeout(100)
    page.mouse.move(frame["x"] + x, frame["y"] + y, steps=5)
    page.wait_for_timeout(100)
    page.mouse.up()


def _show_side(page: Page, card: int, side: str) -> None:
    """Pick a card type and side; the builder shows that template, editable."""
    by_testid(page, "card-type-select").select_option(str(card))
    by_testid(page, f"tab-{side}").click()
    builder = by_testid(page, "builder")
    expect(builder).to_be_visible()
    expect(builder).to_have_attribute("data-readonly", "false")
    expect(_canvas(page).locator('[data-gjs-type="wrapper"]')).to_be_attached()


EXAMPLES = [pytest.param(s, id=s["name"]) for s in STOCK] + [
    pytest.param(
        {
            "name": example["name"],
            "fields": ["Front", "Back", "Hint", "Header", "Extra", "Text", "Notes", "Reading"],
            "templates": [
                {"name": "Card 1", "front": example["template"], "back": "{{FrontSide}}<hr>"}
            ],
            "css": example["css"],
        },
        id=f"real-world {example['name']}",
    )
    for example in REAL_WORLD
]


def _through_the_builder(page: Page, server: Server, document: dict[str, Any]) -> None:
    """Show every card type's sides in the builder, then back to code: nothing may change."""
    before = [_render(server, document["notetype"], sample) for sample in document["samples"]]
    name = document["notetype"]["name"]
    open_notetype(page, document["id"], name)
    by_testid(page, "builder-toggle").click()
    for card, _ in enumerate(document["notetype"]["card_types"]):
        for side in ("front", "back"):
            _show_side(page, card, side)
            # Select something and let go: looking is not editing.
            _canvas(page).locator('[data-gjs-type="wrapper"]').click(position={"x": 8, "y": 8})
    by_testid(page, "builder-toggle").click()
    expect(editor(page, "front")).to_be_visible()
    expect(by_testid(page, "save-status")).to_have_attribute("data-state", "saved")
    after = get_via_api(server, document["id"])
    assert after["notetype"]["card_types"] == document["notetype"]["card_types"], name
    assert after["notetype"]["css"] == document["notetype"]["css"], name
    rendered = [_render(server, after["notetype"], sample) for sample in after["samples"]]
    assert rendered == before, name


@pytest.mark.parametrize("stock", EXAMPLES)
def test_templates_go_through_the_builder_unchanged(
    page: Page, server: Server, browser_errors: BrowserErrors, stock: dict[str, Any]
) -> None:
    # The examples name media files this note type does not have (the canvas asks for them).
    browser_errors.allow(r"404 \(Not Found\) \(at \S+/media/_")
    document = _install(server, unique(f"E2E Builder {stock['name']}"), stock)
    _through_the_builder(page, server, document)


def test_gallery_starters_go_through_the_builder_unchanged(page: Page, server: Server) -> None:
    starters = server.api.get("/api/gallery")
    assert starters.status_code == 200, starters.text
    assert starters.json(), "the gallery is empty"
    for starter in starters.json():
        name = unique(f"E2E Builder gallery {starter['name']}")
        created = server.api.post(f"/api/gallery/{starter['id']}/create", json={"name": name})
        assert created.status_code == 201, created.text
        _through_the_builder(page, server, created.json())


def test_drag_field_and_conditional_onto_an_empty_template(page: Page, server: Server) -> None:
    name = unique("E2E Builder blocks")
    created = create_via_api(server, name)
    update_via_api(
        server,
        created["id"],
        notetype={"card_types": [{"name": "Card 1", "front": "", "back": "{{FrontSide}}"}]},
    )
    open_notetype(page, created["id"], name)
    fill_sample(page, "Front", "Front value")
    fill_sample(page, "Back", "Back value")
    by_testid(page, "builder-toggle").click()
    _show_side(page, 0, "front")
    canvas = _canvas(page)

    _drag_block(page, "field", 60, 20)
    expect(canvas.locator('[data-gjs-type="atd-tag"]')).to_have_count(1)
    _drag_block(page, "conditional", 60, 200)
    section = canvas.locator('[data-gjs-type="atd-section"]')
    expect(section).to_have_count(1)
    # The conditional asks for Back; inside it goes a Back field (select the conditional,
    # click the Field block, pick its field).
    section.click()
    field_trait = by_testid(page, "builder-traits").locator("select").first
    field_trait.select_option("Back")
    expect(section).to_have_attribute("data-atd-label", "if Back is filled")
    _block(page, "field").click()
    expect(section.locator('[data-gjs-type="atd-tag"]')).to_have_count(1)
    field_trait.select_option("Back")

    question = preview_frame(page, "question")
    expect(question.locator("body")).to_contain_text("Front value")
    expect(question.locator("body")).to_contain_text("Back value")
    screenshot(page, "builder")

    def saved_front() -> str:
        front: str = get_via_api(server, created["id"])["notetype"]["card_types"][0]["front"]
        return front

    # Where a drop lands (before or after the field) is the sorter's call; both read the same.
    field, conditional = "{{Front}}", "{{#Back}}{{Back}}{{/Back}}"
    expected = (field + conditional, conditional + field)
    try:
        eventually(lambda: saved_front() in expected, "the builder's template was not saved")
    except AssertionError as error:
        raise AssertionError(f"{error}: {saved_front()!r} instead of {expected!r}") from None
    # The code view shows what the builder wrote.
    by_testid(page, "builder-toggle").click()
    expect(editor(page, "front")).to_have_text(saved_front())


def test_style_panel_font_size_writes_a_class_rule(page: Page, server: Server) -> None:
    name = unique("E2E Builder style")
    created = create_via_api(server, name)
    css_before = get_via_api(server, created["id"])["notetype"]["css"]
    open_notetype(page, created["id"], name)
    by_testid(page, "builder-toggle").click()
    _show_side(page, 0, "front")
    _block(page, "heading").click()
    heading = _canvas(page).locator("h2")
    expect(heading).to_have_count(1)
    size = page.locator('[data-testid="style-input"][data-property="font-size"]')
    size.fill("31px")
    size.press("Enter")
    expect(heading).to_have_css("font-size", "31px")
    expect(preview_frame(page, "question").locator("h2")).to_have_css("font-size", "31px")

    def saved() -> dict[str, Any]:
        notetype: dict[str, Any] = get_via_api(server, created["id"])["notetype"]
        return notetype

    eventually(lambda: ".atd-1 { font-size: 31px; }" in saved()["css"], "CSS not saved")
    # The stock rules (.card) stay byte for byte; the class rule is appended.
    assert saved()["css"] == css_before + ("" if css_before.endswith("\n") else "\n") + (
        ".atd-1 { font-size: 31px; }\n"
    )
    assert '<h2 class="atd-1">Heading</h2>' in saved()["card_types"][0]["front"]
    # A value that would break out of the rule is refused, with the reason, and not saved.
    colour = page.locator('[data-testid="style-input"][data-property="color"]')
    colour.fill("red} .card { color: blue")
    colour.press("Enter")
    expect(by_testid(page, "style-error")).to_contain_text("cannot contain { } or ;")
    expect(colour).to_have_attribute("aria-invalid", "true")
    # The code view shows the same stylesheet.
    by_testid(page, "builder-toggle").click()
    expect(editor(page, "css")).to_contain_text(".atd-1 { font-size: 31px; }")
    assert "blue" not in saved()["css"]


def test_code_only_parts_stay_read_only_and_views_stay_in_step(page: Page, server: Server) -> None:
    name = unique("E2E Builder raw")
    created = create_via_api(server, name)
    front = "<div>{{Front}}</div>\n<script>var shown = 1;</script>\n<!-- kept -->"
    update_via_api(
        server,
        created["id"],
        notetype={"card_types": [{"name": "Card 1", "front": front, "back": "{{Back}}"}]},
    )
    open_notetype(page, created["id"], name)
    by_testid(page, "builder-toggle").click()
    _show_side(page, 0, "front")
    expect(by_testid(page, "builder-notice")).to_contain_text("2 parts")
    raw = _canvas(page).locator('[data-gjs-type="atd-raw"]')
    expect(raw).to_have_count(2)
    expect(raw.first).to_contain_text("edited in code view")
    expect(raw.first).to_contain_text("var shown = 1;")
    # A read-only part cannot be deleted from the canvas.
    raw.first.click()
    page.keyboard.press("Delete")
    expect(raw).to_have_count(2)
    expect(by_testid(page, "save-status")).to_have_attribute("data-state", "saved")
    assert get_via_api(server, created["id"])["notetype"]["card_types"][0]["front"] == front

    # An edit in code view shows in the builder when switching back.
    by_testid(page, "builder-toggle").click()
    set_editor_text(page, "front", "<p>{{Back}}</p>")
    by_testid(page, "builder-toggle").click()
    chip = _canvas(page).locator('[data-gjs-type="atd-tag"][data-atd-field="Back"]')
    expect(chip).to_be_visible()
    expect(by_testid(page, "builder-notice")).to_have_text("")
