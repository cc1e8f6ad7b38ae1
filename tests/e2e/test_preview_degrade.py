"""The preview under a busy server: stale pages show a notice, a superseded answer is dropped.

The server's own degradation is tested in tests/server/test_work_preview.py; here the page's
requests go to the real server, and the test marks one real answer stale, or answers one
with the server's 409 ``superseded``, to see what the designer does with each.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Page, Route, expect

from .helpers import (
    BrowserErrors,
    Server,
    by_testid,
    create_via_api,
    eventually,
    fill_sample,
    open_notetype,
    preview_frame,
    unique,
)

pytestmark = pytest.mark.e2e

NOTICE = "The server is busy; showing the last preview that rendered."
SUPERSEDED = {
    "type": "urn:atd:problem:superseded",
    "title": "A newer request replaced this one",
    "status": 409,
    "detail": "superseded by a newer request on stream 'preview-x'",
}


def test_stale_pages_show_a_notice_and_a_superseded_answer_is_dropped(
    page: Page, server: Server, browser_errors: BrowserErrors
) -> None:
    browser_errors.allow(r"409")  # the browser logs the refused request itself
    name = unique("E2E Stale")
    created = create_via_api(server, name)
    mode = {"answer": "fresh"}
    streams: list[str | None] = []
    answered: list[str] = []

    def handle(route: Route) -> None:
        streams.append(route.request.headers.get("x-atd-stream"))
        how = mode["answer"]
        if how == "superseded":
            route.fulfill(
                status=409, content_type="application/problem+json", body=json.dumps(SUPERSEDED)
            )
        elif how == "stale":
            response = route.fetch()
            answer: dict[str, Any] = response.json()
            answer.update(stale=True, notice=NOTICE)
            route.fulfill(response=response, json=answer)
        else:
            route.continue_()
        answered.append(how)

    page.route("**/api/preview/pages", handle)
    open_notetype(page, created["id"], name)
    question = preview_frame(page, "question")
    fill_sample(page, "Front", "first")
    expect(question.locator("body")).to_contain_text("first")
    stale = by_testid(page, "preview-stale")
    expect(stale).to_be_hidden()

    mode["answer"] = "stale"
    fill_sample(page, "Front", "second")
    expect(stale).to_be_visible()
    expect(stale).to_have_text(NOTICE)

    mode["answer"] = "superseded"
    before = len(answered)
    fill_sample(page, "Front", "third")
    eventually(lambda: page.evaluate("1") == 1 and "superseded" in answered[before:], "409 sent")
    error = by_testid(page, "preview").get_by_test_id("preview-error")
    expect(error).to_be_hidden()

    mode["answer"] = "fresh"
    fill_sample(page, "Front", "fourth")
    expect(question.locator("body")).to_contain_text("fourth")
    expect(stale).to_be_hidden()
    expect(error).to_be_hidden()
    # One stream for the whole preview, named by the designer.
    assert len(set(streams)) == 1 and (streams[0] or "").startswith("preview-"), streams
