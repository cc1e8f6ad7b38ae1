"""The Performance page: live rows per operation, a budget set from the page raises an alert,
the caches and the work queues are listed."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from .helpers import Server, by_testid, create_via_api, screenshot, unique
from .launch import running_server

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def quiet_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server of its own: on the shared one, other tests' requests cross budgets too."""
    with running_server(tmp_path_factory.mktemp("e2e-perf")) as started:
        yield started


def test_performance_page_shows_operations_and_budget_alerts(
    page: Page, quiet_server: Server
) -> None:
    server = quiet_server
    created = create_via_api(server, unique("E2E Perf"))
    for _ in range(5):
        assert server.api.get("/api/notetypes").status_code == 200
    for _ in range(2):  # a miss, then a hit, in the disk cache (lint) and the preview caches
        draft = {"notetype": created["notetype"]}
        assert server.api.post("/api/lint", json=draft).status_code == 200
        assert server.api.post("/api/preview/pages", json=draft).status_code == 200
        assert server.api.get(f"/api/notetypes/{created['id']}").status_code == 200

    page.goto(server.url)
    by_testid(page, "nav-performance").click()
    expect(page).to_have_url(re.compile(r"#/performance$"))
    expect(by_testid(page, "perf-page")).to_be_visible()
    rows = by_testid(page, "perf-operation-row")
    # The server is shared with other e2e tests: .../revisions and others have rows of their own.
    opened = re.compile(r"GET /api/notetypes/\{notetype_id\}(?!/)")
    expect(rows.filter(has_text=opened)).to_have_count(1)
    listing = rows.filter(has_text="GET /api/notetypes").first
    expect(listing).to_be_visible()
    expect(by_testid(page, "nav-performance")).to_have_attribute("aria-current", "page")

    # The caches: one row each, with fill, hit ratio and a health verdict; the work queues.
    caches = by_testid(page, "perf-cache-row")
    for name in ("parsed_templates", "preview_cards", "preview_pages", "disk"):
        expect(caches.filter(has_text=name)).to_have_count(1)
    disk = caches.filter(has_text="disk").first
    expect(disk).to_contain_text(" of 64.0 MB")
    # Hit ratio: our second identical lint hit (other tests on the shared server lint too).
    expect(disk.get_by_role("gridcell").nth(3)).to_have_text(re.compile(r"^[1-9][0-9]* %$"))
    expect(by_testid(page, "perf-caches").locator(".perf-row-alert")).to_have_count(0)
    work = by_testid(page, "perf-work-row")
    expect(work).to_have_count(3)
    expect(work.first).to_contain_text("interactive")
    expect(by_testid(page, "perf-work-summary")).to_contain_text("workers")
    by_testid(page, "perf-caches").evaluate("t => t.closest('section').scrollIntoView()")
    screenshot(page, "performance-caches")

    # A budget no request can meet, typed into the editor with the keyboard.
    by_testid(page, "budget-add").click()
    operation = by_testid(page, "budget-operation").last
    expect(operation).to_be_focused()
    page.keyboard.type("GET /api/notetypes")
    page.keyboard.press("Tab")
    page.keyboard.type("0.001")
    by_testid(page, "budget-save").click()
    expect(by_testid(page, "budget-status")).to_have_text("Budgets saved.")
    try:
        for _ in range(25):
            server.api.get("/api/notetypes")
        banner = by_testid(page, "perf-banner")
        expect(banner).to_contain_text("GET /api/notetypes", timeout=15_000)
        expect(by_testid(page, "perf-alert")).to_be_visible()
        expect(rows.filter(has_text="over budget").first).to_be_visible()
        # The page scrolls inside the main column: show its top (banner, live table).
        by_testid(page, "perf-page").evaluate("page => page.closest('main').scrollTo(0, 0)")
        screenshot(page, "performance-page")
    finally:
        by_testid(page, "budget-defaults").click()
        expect(by_testid(page, "budget-status")).to_have_text("Default budgets restored.")
    expect(by_testid(page, "perf-banner")).to_be_hidden(timeout=15_000)


@pytest.fixture
def thrashing_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server whose cache budget is so small that one preview page fills the page cache.

    Asked for before ``page``, so it outlives the page (whose polling it answers).
    """
    with running_server(tmp_path_factory.mktemp("e2e-thrash"), env={"ATD_CACHE_MB": "0.05"}) as s:
        yield s


def test_a_thrashing_cache_stands_out_and_raises_the_alert(
    thrashing_server: Server, page: Page
) -> None:
    server = thrashing_server
    created = create_via_api(server, unique("E2E Thrash"))
    draft = {"notetype": created["notetype"]}
    # Three platforms in turn: each page evicts the one asked for next.
    for _ in range(20):
        for platform in ("desktop-linux", "ankidroid", "ankimobile-iphone"):
            body = {**draft, "platforms": [platform]}
            assert server.api.post("/api/preview/pages", json=body).status_code == 200
    page.goto(server.url)
    by_testid(page, "nav-performance").click()
    caches = by_testid(page, "perf-cache-row")
    pages = caches.filter(has_text="preview_pages")
    expect(pages).to_contain_text("thrashing")
    expect(pages).to_have_class(re.compile(r"\bperf-row-alert\b"))
    # Only that one: the rendered card and the parsed templates hit every time.
    expect(by_testid(page, "perf-caches").locator(".perf-row-alert")).to_have_count(1)
    expect(by_testid(page, "perf-alert")).to_be_visible()
    expect(page.get_by_text("atd serve --cache-mb N")).to_be_visible()
    by_testid(page, "perf-caches").evaluate("t => t.closest('section').scrollIntoView()")
    screenshot(page, "performance-cache-thrashing")
