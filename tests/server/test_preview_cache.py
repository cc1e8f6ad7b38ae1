"""The preview caches: what each edit invalidates, and that a stale result is never served."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import MappingProxyType
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from anki_template_designer.core.model import CardTemplate, Field, Note, NoteType, NoteTypeKind
from anki_template_designer.core.template.parser import set_parse_cache
from anki_template_designer.server import Settings, create_app
from anki_template_designer.server.preview_cache import (
    FIELD_KEYED,
    NOTE_KEYED,
    NOTETYPE_PARTS,
    TEMPLATE_KEYED,
    PreviewCaches,
    card_key,
)
from anki_template_designer.store import Workspace

from .conftest import BASE_URL, ORIGIN
from .helpers import REVERSED

pytestmark = pytest.mark.anyio

SAMPLE: dict[str, Any] = {"fields": {"Front": "cat", "Back": "Katze"}, "tags": ["animal"]}


def caches(app: FastAPI) -> PreviewCaches:
    found: PreviewCaches = app.state.preview_caches
    return found


def fill(app: FastAPI) -> tuple[int, int]:
    """How many cards and pages the app's preview caches hold."""
    return caches(app).cards.stats().entries, caches(app).pages.stats().entries


async def post_pages(client: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    request = {"notetype": REVERSED, "sample": SAMPLE, **body}
    response = await client.post("/api/preview/pages", json=request)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


@pytest.fixture
def builtin_parse_cache_afterwards() -> Iterator[None]:
    """Leave the engine's parse seam as the engine alone has it (apps here install theirs)."""
    yield
    set_parse_cache(None)


@pytest.fixture
async def uncached(
    tmp_path: Path, builtin_parse_cache_afterwards: None
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """A second server, with every cache off (as ``ATD_CACHE=off`` makes it)."""
    settings = Settings(port=8730, author="tester", cache_enabled=False)
    with Workspace.open(tmp_path / "uncached") as workspace:
        app = create_app(workspace, settings)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url=BASE_URL, headers=ORIGIN
        ) as http:
            yield app, http


async def test_the_same_request_is_answered_from_the_caches(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    first = await post_pages(client, platforms=["desktop-linux", "ankidroid"])
    assert fill(app) == (1, 4)
    again = await post_pages(client, platforms=["desktop-linux", "ankidroid"])
    assert again == first
    cards, pages = caches(app).cards.stats(), caches(app).pages.stats()
    assert (cards.hits, cards.misses) == (1, 1)
    assert (pages.hits, pages.misses) == (4, 4)


async def test_a_css_edit_keeps_the_card_and_renders_new_pages(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await post_pages(client, notetype_id="nt1")
    edited = dict(REVERSED, css=".card { color: blue; }")
    body = await post_pages(client, notetype=edited, notetype_id="nt1")
    assert ".card { color: blue; }" in body["pages"][0]["question"]
    assert "color: red" not in body["pages"][0]["question"]
    cards, pages = caches(app).cards.stats(), caches(app).pages.stats()
    assert (cards.hits, cards.misses) == (1, 1)  # the rendered card did not depend on CSS
    assert (pages.hits, pages.misses) == (0, 4)
    assert fill(app) == (1, 2)  # the old CSS's pages went; only the new ones remain


async def test_a_css_edit_drops_only_that_notetypes_pages(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await post_pages(client, notetype_id="nt1")
    await post_pages(client, notetype_id="nt2", card_ord=1)
    await post_pages(client, sample={"fields": {"Front": "x"}})  # not in the workspace: untagged
    assert fill(app) == (3, 6)
    await post_pages(client, notetype=dict(REVERSED, css="b {}"), notetype_id="nt1")
    assert fill(app) == (3, 6)  # nt1's two old pages out, its two new ones in
    unchanged = await post_pages(client, notetype_id="nt2", card_ord=1)
    assert caches(app).pages.stats().hits == 2
    assert unchanged["pages"][0]["question"].count("color: red") == 1


async def test_a_template_error_card_takes_no_css_even_from_the_cache(
    client: httpx.AsyncClient,
) -> None:
    broken = copy.deepcopy(REVERSED)
    broken["card_types"][0]["front"] = "{{#Front}} unclosed"
    first = await post_pages(client, notetype=broken)
    again = await post_pages(client, notetype=dict(broken, css=".card { color: green }"))
    for body in (first, again):
        assert "<style>.card" not in body["pages"][0]["question"]
        assert body["errors"]


@pytest.mark.parametrize("operation", ["save", "rename-field", "rename-card", "restore", "delete"])
async def test_a_workspace_change_drops_that_notetypes_entries(
    app: FastAPI, client: httpx.AsyncClient, basic: dict[str, Any], operation: str
) -> None:
    notetype_id, revision = basic["id"], basic["revision"]
    other = (await client.post("/api/notetypes", json={"name": "Other"})).json()
    await post_pages(client, notetype=basic["notetype"], notetype_id=notetype_id)
    await post_pages(client, notetype=other["notetype"], notetype_id=other["id"])
    await post_pages(client)  # untagged
    assert fill(app) == (3, 6)
    base = f"/api/notetypes/{notetype_id}"
    edited = copy.deepcopy(basic["notetype"])
    edited["card_types"][0]["front"] = "Q: {{Front}}"
    if operation == "save":
        body = {"expected_revision": revision, "notetype": edited}
        response = await client.put(base, json=body)
    elif operation == "rename-field":
        body = {"old": "Back", "new": "Answer", "expected_revision": revision}
        response = await client.post(f"{base}/fields/rename", json=body)
    elif operation == "rename-card":
        body = {"old": "Card 1", "new": "Forward", "expected_revision": revision}
        response = await client.post(f"{base}/card-types/rename", json=body)
    elif operation == "restore":
        saved = await client.put(base, json={"expected_revision": revision, "notetype": edited})
        await post_pages(client, notetype=basic["notetype"], notetype_id=notetype_id)
        body = {"expected_revision": saved.json()["revision"]}
        response = await client.post(f"/api/revisions/{revision}/restore", json=body)
    else:
        response = await client.delete(base)
    assert response.status_code < 300, response.text
    assert fill(app) == (2, 4)  # the other note type's and the untagged entries stay
    assert caches(app).cards.invalidate_tag(f"notetype:{other['id']}") == 1


async def test_stale_results_are_never_served(
    app: FastAPI, client: httpx.AsyncClient, uncached: tuple[FastAPI, httpx.AsyncClient]
) -> None:
    """Every answer of the cached server equals a cache-free server's, across every kind of edit.

    The edits run in an order that returns to earlier states, so an entry that should have
    been keyed by an input it ignores would be found and served here.
    """
    _, fresh = uncached
    templates = copy.deepcopy(REVERSED)
    templates["card_types"][0]["back"] = "{{FrontSide}}<hr id=answer>{{type:Back}}"
    renamed = copy.deepcopy(REVERSED)
    renamed["name"] = "Renamed"
    renamed["card_types"][0]["front"] = "{{Type}}: {{Card}} {{Front}} {{Tags}} {{Deck}}"
    cloze = {
        "name": "Cloze",
        "kind": "cloze",
        "fields": [{"name": "Text"}],
        "card_types": [{"name": "Cloze", "front": "{{cloze:Text}}", "back": "{{cloze:Text}}"}],
        "css": ".card { color: red; }",
    }
    variants: list[dict[str, Any]] = [
        {},
        {"notetype": dict(REVERSED, css=".card { color: blue; }")},
        {"notetype": templates},
        {"notetype": templates, "typed_answer": "Katz"},
        {"notetype": templates, "typed_answer": "Katze"},
        {"notetype": renamed},
        {"notetype": renamed, "sample": dict(SAMPLE, tags=["other"])},
        {"notetype": renamed, "sample": dict(SAMPLE, deck="Deutsch")},
        {"sample": {"fields": {"Front": "dog", "Back": "Hund"}}},
        {"card_ord": 1},
        {"night_mode": True},
        {"platforms": ["ankidroid", "ankimobile-ipad"]},
        {"notetype_id": "nt1"},
        {"notetype_id": "nt2"},
        {"notetype": cloze, "sample": {"fields": {"Text": "{{c1::a}} {{c2::b}}"}}, "card_ord": 1},
        {"notetype": cloze, "sample": {"fields": {"Text": "{{c1::a}} {{c2::c}}"}}, "card_ord": 1},
    ]
    for round_ in range(2):
        for variant in variants + variants[::-1]:
            request = {"notetype": REVERSED, "sample": SAMPLE, **variant}
            for route in ("/api/preview/pages", "/api/preview/compare"):
                if route.endswith("compare"):
                    request = {"typed_answer": "", **request}
                cached = await client.post(route, json=request)
                expected = await fresh.post(route, json=request)
                assert cached.status_code == expected.status_code == 200, cached.text
                assert cached.json() == expected.json(), (round_, variant, route)
    # The comparison meant something: the cached server did answer from its caches.
    assert caches(app).cards.stats().hits > 50
    assert caches(app).pages.stats().hits > 50


async def test_with_caches_off_nothing_is_kept(uncached: tuple[FastAPI, httpx.AsyncClient]) -> None:
    app, http = uncached
    for _ in range(3):
        await post_pages(http, notetype_id="nt1")
    cards, pages = caches(app).cards.stats(), caches(app).pages.stats()
    assert (cards.entries, cards.hits, cards.misses) == (0, 0, 3)
    assert (pages.entries, pages.hits, pages.misses) == (0, 0, 6)
    listing = (await http.get("/api/perf/caches")).json()
    assert listing["enabled"] is False
    assert {c["health"] for c in listing["caches"]} == {"disabled"}


def test_card_keys_cover_every_model_attribute() -> None:
    """A new attribute of the models must be keyed (or named here as not read by rendering)."""
    assert {f.name for f in dataclasses.fields(NoteType)} == set(NOTETYPE_PARTS)
    assert {f.name for f in dataclasses.fields(Field)} == set(FIELD_KEYED)
    assert {f.name for f in dataclasses.fields(CardTemplate)} == set(TEMPLATE_KEYED)
    assert {f.name for f in dataclasses.fields(Note)} == set(NOTE_KEYED)


def test_card_keys_change_with_what_renders_and_not_with_css() -> None:
    notetype = NoteType(
        "Basic",
        (Field("Front"), Field("Back")),
        (CardTemplate("Card 1", "{{Front}}", "{{Back}}"),),
        css=".card {}",
    )
    note = Note(fields=MappingProxyType({"Front": "a", "Back": "b"}), tags=("t",))
    key = card_key(notetype, note, 0)
    assert card_key(dataclasses.replace(notetype, css="b {}"), note, 0) == key
    template = notetype.templates[0]
    changes = [
        (dataclasses.replace(notetype, name="Other"), note, 0),
        (dataclasses.replace(notetype, kind=NoteTypeKind.CLOZE), note, 0),
        (dataclasses.replace(notetype, fields=(Field("Front"), Field("Answer"))), note, 0),
        (
            dataclasses.replace(notetype, templates=(dataclasses.replace(template, name="C"),)),
            note,
            0,
        ),
        (
            dataclasses.replace(notetype, templates=(dataclasses.replace(template, back="x"),)),
            note,
            0,
        ),
        (dataclasses.replace(notetype, extra=MappingProxyType({"x": {"y": 1}})), note, 0),
        (notetype, dataclasses.replace(note, tags=("u",)), 0),
        (notetype, dataclasses.replace(note, deck="Deutsch"), 0),
        (notetype, dataclasses.replace(note, fields=MappingProxyType({"Front": "a"})), 0),
        (notetype, dataclasses.replace(note, card_ids=MappingProxyType({0: 5})), 0),
        (notetype, note, 1),
    ]
    keys = {card_key(*change) for change in changes}
    assert key not in keys and len(keys) == len(changes)
