"""POST /api/preview/grid: every card of a sample on several platforms, in one pass.

The app gets one worker and a short interactive queue (as in ``test_work_preview``), so the
coalescing, superseding and refusing tests decide what queues by holding the worker with a
gated job of their own, never by timing.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from anki_template_designer.perf.work import Priority, WorkConfig
from anki_template_designer.server.preview_cache import PreviewCaches
from anki_template_designer.server.preview_pages import MAX_GRID_CARDS

from .helpers import CLOZE, REVERSED, ok_json, problem, work_of

pytestmark = pytest.mark.anyio

UI = Priority.INTERACTIVE
PLATFORMS = ["ankidroid", "desktop-mac"]
SAMPLE = {"fields": {"Front": "cat [sound:cat.mp3]", "Back": "Katze"}}


def sample(app: FastAPI, name: str, **labels: str) -> float:
    return app.state.metrics.registry.get_sample_value(name, labels) or 0.0


def fill(app: FastAPI) -> tuple[int, int]:
    """How many cards and pages the app's preview caches hold."""
    caches: PreviewCaches = app.state.preview_caches
    return caches.cards.stats().entries, caches.pages.stats().entries


def clozes(count: int) -> dict[str, Any]:
    return {"fields": {"Text": " ".join(f"{{{{c{n}::w{n}}}}}" for n in range(1, count + 1))}}


async def grid(client: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    """The grid for ``body`` (REVERSED and SAMPLE unless given), checked for 200."""
    request = {"notetype": REVERSED, "sample": SAMPLE, **body}
    return ok_json(await client.post("/api/preview/grid", json=request))


async def pages(client: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    request = {"notetype": REVERSED, "sample": SAMPLE, **body}
    response = await client.post("/api/preview/pages", json=request)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def assert_cards_match_pages(
    client: httpx.AsyncClient, answer: dict[str, Any], **body: Any
) -> None:
    """Each card of the grid is, byte for byte, what /api/preview/pages answers for it."""
    for card in answer["cards"]:
        single = await pages(client, card_ord=card["card_ord"], **body)
        assert card["pages"] == single["pages"]
        for key in ("question_av", "answer_av", "errors", "scripted"):
            assert card[key] == single[key], key
        assert {"ord": card["card_ord"], "name": card["name"]} in single["cards"]


async def test_every_card_on_every_platform_as_pages_answers_it(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    answer = await grid(client, platforms=PLATFORMS)
    assert (answer["total_cards"], answer["night_mode"]) == (2, False)
    assert [(c["card_ord"], c["name"]) for c in answer["cards"]] == [
        (0, "Forward"),
        (1, "Reverse"),
    ]
    forward, reverse = answer["cards"]
    assert [p["platform"] for p in forward["pages"]] == PLATFORMS
    assert "card1" in forward["pages"][0]["question"] and "cat" in forward["pages"][0]["question"]
    assert "Katze<hr id=answer>cat" in reverse["pages"][0]["answer"]
    assert forward["question_av"] == [{"type": "sound", "filename": "cat.mp3"}]
    assert reverse["answer_av"] == [{"type": "sound", "filename": "cat.mp3"}]
    # Two cards rendered, each wrapped in 2 platforms x 2 sides; one timed render.
    assert fill(app) == (2, 8)
    assert sample(app, "atd_preview_render_seconds_count", notetype="Reversed") == 1
    await assert_cards_match_pages(client, answer, platforms=PLATFORMS)
    assert fill(app) == (2, 8)  # the pages requests found every card and page in the caches


async def test_platforms_asked_twice_come_once_in_request_order(
    client: httpx.AsyncClient,
) -> None:
    answer = await grid(client, platforms=["desktop-mac", "ankidroid", "desktop-mac"])
    for card in answer["cards"]:
        assert [p["platform"] for p in card["pages"]] == ["desktop-mac", "ankidroid"]


async def test_cloze_cards_come_with_their_ordinals(client: httpx.AsyncClient) -> None:
    sample_note = {"fields": {"Text": "{{c1::a}} {{c3::b}} {{c5::c}}"}}
    answer = await grid(client, notetype=CLOZE, sample=sample_note)
    assert answer["total_cards"] == 3
    assert [(c["card_ord"], c["name"]) for c in answer["cards"]] == [
        (0, "Cloze 1"),
        (2, "Cloze 3"),
        (4, "Cloze 5"),
    ]
    assert 'data-ordinal="3">[...]</span>' in answer["cards"][1]["pages"][0]["question"]
    await assert_cards_match_pages(client, answer, notetype=CLOZE, sample=sample_note)


async def test_a_grid_shows_the_first_24_cards_and_counts_them_all(
    client: httpx.AsyncClient,
) -> None:
    answer = await grid(client, notetype=CLOZE, sample=clozes(30))
    assert answer["total_cards"] == 30
    assert [c["card_ord"] for c in answer["cards"]] == list(range(MAX_GRID_CARDS))
    assert MAX_GRID_CARDS == 24
    last = answer["cards"][-1]
    assert last["name"] == "Cloze 24" and 'data-ordinal="24">[...]' in last["pages"][0]["question"]
    exactly = await grid(client, notetype=CLOZE, sample=clozes(24))
    assert (exactly["total_cards"], len(exactly["cards"])) == (24, 24)


@pytest.mark.parametrize(
    ("notetype", "fields"),
    [
        (REVERSED, {"Front": "", "Back": ""}),
        (REVERSED, {"Front": "<br>", "Back": " "}),
        (CLOZE, {"Text": "no cloze here"}),
    ],
    ids=["empty", "blank-html", "no-cloze"],
)
async def test_a_sample_that_generates_no_card_has_an_empty_grid(
    client: httpx.AsyncClient, notetype: dict[str, Any], fields: dict[str, str]
) -> None:
    answer = await grid(client, notetype=notetype, sample={"fields": fields})
    assert answer == {
        "night_mode": False,
        "total_cards": 0,
        "cards": [],
        "stale": False,
        "notice": None,
    }


async def test_only_the_cards_the_sample_generates(client: httpx.AsyncClient) -> None:
    answer = await grid(client, sample={"fields": {"Front": "only front"}})
    assert answer["total_cards"] == 1
    assert [c["card_ord"] for c in answer["cards"]] == [0]
    assert "blank" not in answer["cards"][0]["pages"][0]["question"]


async def test_template_errors_are_per_card(client: httpx.AsyncClient) -> None:
    notetype = dict(
        REVERSED,
        card_types=[
            {"name": "Good", "front": "{{Front}}", "back": "{{Back}}"},
            {"name": "Bad", "front": "{{Back}}{{#Front}}", "back": "{{Front}}"},
        ],
    )
    good, *rest = (await grid(client, notetype=notetype))["cards"]
    assert good["errors"] == [] and rest == []  # a front with a syntax error generates no card
    scripted = dict(
        REVERSED,
        card_types=[
            {"name": "A", "front": "{{Front}}", "back": "{{Back}}<script>1</script>"},
            {"name": "B", "front": "{{Back}}", "back": "{{Front}}{{Nope}}"},
        ],
    )
    first, second = (await grid(client, notetype=scripted))["cards"]
    assert first["scripted"] == {"question": False, "answer": True} and first["errors"] == []
    assert [e["side"] for e in second["errors"]] == ["back"]
    assert "Nope" in second["errors"][0]["message"]


async def test_night_mode_and_media_base_as_in_pages(
    client: httpx.AsyncClient, basic: dict[str, Any]
) -> None:
    body = {"platforms": ["desktop-linux", "ankidroid"], "night_mode": True}
    answer = await grid(client, notetype_id=basic["id"], **body)
    assert answer["night_mode"] is True
    base = f'<base href="/api/notetypes/{basic["id"]}/media/">'
    for card in answer["cards"]:
        for page in card["pages"]:
            assert base in page["question"] and base in page["answer"]
    android = answer["cards"][1]["pages"][1]
    assert '<body class="card card2 night_mode nightMode chrome' in android["answer"]
    await assert_cards_match_pages(client, answer, notetype_id=basic["id"], **body)
    light = await grid(client, **body | {"night_mode": False})
    assert "<base" not in light["cards"][0]["pages"][0]["question"]
    assert '<body class="card card2 chrome' in light["cards"][1]["pages"][1]["answer"]


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"platforms": []}, "platforms"),
        ({"platforms": ["palm-pilot"]}, "platforms"),
        ({"platforms": ["ankidroid"] * 7}, "platforms"),
        ({"notetype_id": "../../etc"}, "notetype_id"),
        ({"card_ord": 0}, "card_ord"),
        ({"typed_answer": "x"}, "typed_answer"),
    ],
    ids=["no-platform", "unknown-platform", "too-many", "id", "card-ord", "typed"],
)
async def test_invalid_grid_requests_are_422(
    client: httpx.AsyncClient, change: dict[str, Any], where: str
) -> None:
    body = {"notetype": REVERSED, **change}
    answer = problem(await client.post("/api/preview/grid", json=body), 422)
    assert where in answer["detail"]


async def test_an_unnamed_note_type_is_400_and_a_foreign_origin_403(
    client: httpx.AsyncClient,
) -> None:
    unnamed = {"notetype": dict(REVERSED, name="")}
    problem(await client.post("/api/preview/grid", json=unnamed), 400)
    foreign = {"Origin": "http://evil.example"}
    body = {"notetype": REVERSED}
    problem(await client.post("/api/preview/grid", json=body, headers=foreign), 403)


async def test_the_grid_is_in_the_api_schema(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    route = schema["paths"]["/api/preview/grid"]["post"]
    assert {"409", "503"} <= set(route["responses"])
    assert route["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/GridAnswer"
    )


async def test_a_grid_over_its_budget_answers_the_last_good_grid_marked_stale(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    body = {"notetype": REVERSED, "sample": SAMPLE, "platforms": PLATFORMS}
    good = await client.post("/api/preview/grid", json=body)
    assert good.status_code == 200 and good.json()["stale"] is False
    work_of(app).config = WorkConfig(workers=1, budgets={UI: 0.0})  # every render overruns
    edited = {**body, "sample": {"fields": {"Front": "dog", "Back": "Hund"}}}
    response = await client.post("/api/preview/grid", json=edited)
    assert response.status_code == 200
    answer = response.json()
    assert answer["stale"] is True and "0 s preview budget" in answer["notice"]
    assert answer["cards"] == good.json()["cards"]
    # Another platform set has no good grid yet: nothing to fall back on.
    other = await client.post("/api/preview/grid", json={**edited, "platforms": ["ankidroid"]})
    assert problem(other, 503)["type"] == "urn:atd:problem:over-budget"
