"""Virtual lists: only a window of rows is in the DOM, yet every row is reachable.

The library test runs on its own server: its 320 note types would push the shared workspace's
list past the length rendered whole, and other tests look their note types up by text. The
100,000-row list is the library filled by ``#/bench/library?rows=N`` (the frame benchmark's
page): a server listing 100,000 real note types would spend seconds on the request, which is
not what this checks.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import Locator, Page, expect

from .helpers import (
    Server,
    by_testid,
    create_via_api,
    fill_sample,
    open_notetype,
    preview_frame,
    unique,
    update_via_api,
)
from .launch import running_server

pytestmark = pytest.mark.e2e

NOTETYPES = 320  # more than the library renders whole (200)
BENCH_ROWS = 100_000


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server whose workspace holds NOTETYPES note types, "Crowd 0001"…"Crowd 0320"."""
    with running_server(tmp_path_factory.mktemp("e2e-crowded")) as started:
        names = [f"Crowd {number:04d}" for number in range(1, NOTETYPES + 1)]
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(lambda name: create_via_api(started, name), names))
        yield started


@pytest.fixture
def crowded_page(page: Page, crowded: Server) -> Page:
    """The test's page, pointed at the crowded server instead of the shared one."""
    page.goto(crowded.url)
    expect(by_testid(page, "library")).to_be_visible()
    return page


def rendered_rows(page: Page) -> int:
    """How many library entries are in the DOM now."""
    return by_testid(page, "library-item").count()


def scroll_to(scroller: Locator, where: str) -> None:
    """Scroll ``scroller`` to "top", "bottom" or a pixel offset, as a user dragging the thumb."""
    script = {
        "top": "el => { el.scrollTop = 0; }",
        "bottom": "el => { el.scrollTop = el.scrollHeight; }",
    }.get(where, f"el => {{ el.scrollTop = {where}; }}")
    scroller.evaluate(script)


def test_library_renders_a_window_and_scrolls_to_the_last_note_type(crowded_page: Page) -> None:
    page = crowded_page
    items = by_testid(page, "library-item")
    first = items.and_(page.locator('[aria-posinset="1"]'))
    expect(first).to_contain_text("Crowd 0001")
    expect(first).to_have_attribute("aria-setsize", str(NOTETYPES))
    count = rendered_rows(page)
    assert 5 <= count <= 60, f"{count} library rows in the DOM for a list of {NOTETYPES}"
    listbox = by_testid(page, "library-list").get_by_role("listbox", name="Note types")
    expect(listbox).to_be_visible()

    scroll_to(by_testid(page, "library-list"), "bottom")
    last = items.filter(has_text=f"Crowd {NOTETYPES:04d}")
    expect(last).to_be_in_viewport()
    expect(last).to_have_attribute("aria-posinset", str(NOTETYPES))
    expect(items.filter(has_text="Crowd 0001")).to_have_count(0)
    assert rendered_rows(page) <= 60


def test_keyboard_reaches_the_end_and_opens_it(crowded_page: Page) -> None:
    page = crowded_page
    items = by_testid(page, "library-item")
    items.filter(has_text="Crowd 0001").focus()
    page.keyboard.press("End")
    last = items.filter(has_text=f"Crowd {NOTETYPES:04d}")
    expect(last).to_be_focused()
    expect(last).to_be_in_viewport()
    page.keyboard.press("ArrowUp")
    expect(items.filter(has_text=f"Crowd {NOTETYPES - 1:04d}")).to_be_focused()
    page.keyboard.press("Enter")
    expect(by_testid(page, "notetype-name")).to_have_text(f"Crowd {NOTETYPES - 1:04d}")
    chosen = items.filter(has_text=f"Crowd {NOTETYPES - 1:04d}")
    expect(chosen).to_have_attribute("aria-selected", "true")

    # Scrolled far away, the focused entry stays in the DOM (the browser would drop its focus
    # otherwise), and the window moves on without it.
    chosen.focus()
    scroll_to(by_testid(page, "library-list"), "top")
    expect(items.filter(has_text="Crowd 0001")).to_be_in_viewport()
    expect(chosen).to_be_focused()
    expect(chosen).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Home")
    expect(items.filter(has_text="Crowd 0001")).to_be_focused()


def test_search_filters_the_whole_list_not_only_the_window(crowded_page: Page) -> None:
    page = crowded_page
    by_testid(page, "library-search").fill("crowd 0317")
    items = by_testid(page, "library-item")
    expect(items).to_have_count(1)
    expect(items).to_have_attribute("aria-setsize", "1")
    by_testid(page, "library-search").fill("no such note type")
    expect(items).to_have_count(0)
    expect(by_testid(page, "library-list")).to_contain_text("No note type matches.")


def test_a_100000_row_list_keeps_a_small_dom_and_reaches_its_last_row(
    page: Page, server: Server
) -> None:
    page.goto(f"{server.url}#/bench/library?rows={BENCH_ROWS}")
    items = by_testid(page, "library-item")
    expect(items.first).to_have_attribute("aria-setsize", str(BENCH_ROWS))
    scroller = by_testid(page, "library-list")
    for offset in ("1000000", "2500000", "bottom"):
        scroll_to(scroller, offset)
        expect(items.first).not_to_contain_text("Bench 000001")
        assert rendered_rows(page) <= 60
    last = items.filter(has_text=f"Bench {BENCH_ROWS}")
    expect(last).to_be_in_viewport()
    expect(last).to_have_attribute("aria-posinset", str(BENCH_ROWS))
    # Scrolling by the wheel from the bottom moves the window up, row by row.
    scroller.hover()
    page.mouse.wheel(0, -2000)
    expect(last).to_have_count(0)
    assert rendered_rows(page) <= 60


def test_many_samples_list_virtually_and_the_preview_updates_in_place(
    page: Page, server: Server
) -> None:
    name = unique("E2E Samples Virtual")
    created = create_via_api(server, name)
    samples = [
        {"fields": {"Front": f"Sample question {n:04d}", "Back": f"Answer {n}"}, "tags": []}
        for n in range(1, 1001)
    ]
    update_via_api(server, created["id"], samples=samples)
    open_notetype(page, created["id"], name)
    chooser = by_testid(page, "sample-select")
    rows = chooser.get_by_test_id("sample-item")
    expect(rows.first).to_have_attribute("aria-setsize", "1000")
    assert rows.count() <= 40, "only a window of the 1,000 samples is rendered"

    # Arrow keys choose as they move (the preview follows); End reaches the last sample.
    rows.first.focus()
    page.keyboard.press("End")
    last = rows.filter(has_text="1000: Sample question 1000")
    expect(last).to_be_focused()
    expect(last).to_have_attribute("aria-selected", "true")
    question = preview_frame(page, "question")
    expect(question.locator("#qa")).to_contain_text("Sample question 1000")

    # Only a field value changes: the frame on screen is updated in place, not rebuilt.
    frame = page.locator('[data-testid="preview-frame"][data-side="question"]')
    frame.evaluate("el => { el.dataset.probe = 'kept'; }")
    fill_sample(page, "Front", "Edited in place")
    expect(question.locator("#qa")).to_contain_text("Edited in place")
    expect(frame).to_have_attribute("data-probe", "kept")
    # The chooser's label follows the edit.
    expect(rows.filter(has_text="1000: Edited in place")).to_have_count(1)
