"""The preview and check endpoints: a draft rendered as Anki renders it, nothing saved."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .helpers import REVERSED, problem

pytestmark = pytest.mark.anyio


async def test_preview_renders_every_card(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/preview",
        json={
            "notetype": REVERSED,
            "sample": {"fields": {"Front": "cat", "Back": "Katze [sound:cat.mp3]"}},
            "platform": "ankidroid",
            "night_mode": True,
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["platform"], body["night_mode"]) == ("ankidroid", True)
    cards = body["cards"]
    assert [(c["ord"], c["template"]) for c in cards] == [(0, "Forward"), (1, "Reverse")]
    assert cards[0]["question"] == "cat"
    assert cards[0]["answer"] == "cat<hr id=answer>Katze [anki:play:a:0]"
    assert cards[0]["answer_av"] == [{"type": "sound", "filename": "cat.mp3"}]
    assert cards[1]["question"] == "Katze [anki:play:q:0]"
    assert cards[0]["css"] == ".card { color: red; }"


async def test_preview_writes_nothing(client: httpx.AsyncClient) -> None:
    await client.post("/api/preview", json={"notetype": REVERSED})
    assert (await client.get("/api/notetypes")).json() == []


async def test_preview_one_card_and_cloze(client: httpx.AsyncClient) -> None:
    created = (await client.post("/api/notetypes", json={"name": "C", "kind": "cloze"})).json()
    sample = {"fields": {"Text": "{{c1::a}} {{c2::b::hint}}", "Gone": "ignored"}}
    body = {"notetype": created["notetype"], "sample": sample, "card_ord": 1}
    cards = (await client.post("/api/preview", json=body)).json()["cards"]
    assert len(cards) == 1 and cards[0]["ord"] == 1
    active = '<span class="cloze" data-cloze="b" data-ordinal="2">[hint]</span>'
    assert active in cards[0]["question"]
    every = (await client.post("/api/preview", json={**body, "card_ord": None})).json()
    assert [c["ord"] for c in every["cards"]] == [0, 1]


async def test_preview_shows_template_errors_as_anki(client: httpx.AsyncClient) -> None:
    broken = dict(REVERSED, card_types=[{"name": "A", "front": "{{#Front}}", "back": ""}])
    cards = (await client.post("/api/preview", json={"notetype": broken})).json()["cards"]
    assert "Front template has a problem" in cards[0]["question"]
    assert cards[0]["css"] == ""


async def test_preview_card_past_the_last_is_400(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/preview", json={"notetype": REVERSED, "card_ord": 2})
    assert "pick 0 to 1" in problem(response, 400)["detail"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"notetype": REVERSED, "platform": "palm-pilot"},
        {"notetype": REVERSED, "sample": {"flag": 8}},
        {"notetype": dict(REVERSED, card_types=[])},
    ],
    ids=["empty", "platform", "flag", "no-card-types"],
)
async def test_preview_invalid_body_is_422(client: httpx.AsyncClient, body: Any) -> None:
    problem(await client.post("/api/preview", json=body), 422)


async def test_preview_empty_name_is_400(client: httpx.AsyncClient) -> None:
    unnamed = dict(REVERSED, name="")
    response = await client.post("/api/preview", json={"notetype": unnamed})
    assert "name" in problem(response, 400)["detail"]


async def test_check_reports_line_and_column(client: httpx.AsyncClient) -> None:
    draft = dict(
        REVERSED,
        card_types=[{"name": "A", "front": "{{Front}}\n  {{Missing}}", "back": "{{#Back}}"}],
    )
    problems = (await client.post("/api/check", json={"notetype": draft})).json()["problems"]
    assert problems[0] == {
        "template": "A",
        "side": "front",
        "line": 2,
        "column": 3,
        "message": problems[0]["message"],
    }
    assert "Missing" in problems[0]["message"]
    assert problems[1]["side"] == "back" and "{{/Back}}" in problems[1]["message"]
    clean = (await client.post("/api/check", json={"notetype": REVERSED})).json()
    assert clean == {"problems": []}


async def test_preview_page_is_the_platform_shell(client: httpx.AsyncClient) -> None:
    body = {
        "notetype": REVERSED,
        "sample": {"fields": {"Front": "cat", "Back": "Katze"}},
        "card_ord": 1,
        "side": "answer",
        "platform": "ankidroid",
        "night_mode": True,
    }
    response = await client.post("/api/preview/page", json=body)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"] == "sandbox allow-scripts"
    page = response.text
    assert page.startswith("<!doctype html>") or page.lower().startswith("<!doctype html>")
    assert "android" in page and "card2" in page and "night_mode" in page
    assert "<style>.card { color: red; }</style>Katze<hr id=answer>cat" in page
    desktop = await client.post("/api/preview/page", json={"notetype": REVERSED})
    assert "isLin" in desktop.text and "night" not in desktop.text.split("<body", 1)[1][:80]
    problem(await client.post("/api/preview/page", json={**body, "side": "back"}), 422)
    problem(await client.post("/api/preview/page", json={**body, "card_ord": 5}), 400)
