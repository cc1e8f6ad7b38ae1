"""The library listing kept between requests answers what a server without caches answers."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from anki_template_designer.server import Settings, create_app
from anki_template_designer.store import Workspace

from .conftest import BASE_URL, ORIGIN

pytestmark = pytest.mark.anyio
SEARCHES = ("", "basic", "CLO", "zzz")


@pytest.fixture
async def uncached(workspace: Workspace) -> AsyncIterator[httpx.AsyncClient]:
    """A second server over the same workspace with every cache off."""
    app = create_app(workspace, Settings(port=8730, author="tester", cache_enabled=False))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL, headers=ORIGIN) as http:
        yield http


async def _same(cached: httpx.AsyncClient, uncached: httpx.AsyncClient) -> None:
    for search in SEARCHES:
        url = f"/api/notetypes?search={search}"
        ours, reference = await cached.get(url), await uncached.get(url)
        assert ours.status_code == reference.status_code == 200
        assert ours.content == reference.content
        assert ours.headers["etag"] == reference.headers["etag"]


async def test_listing_follows_creates_saves_renames_and_deletes(
    client: httpx.AsyncClient, uncached: httpx.AsyncClient
) -> None:
    await _same(client, uncached)
    for name, kind in (("Basic", "standard"), ("Cloze words", "cloze"), ("Basic 2", "standard")):
        created = await client.post("/api/notetypes", json={"name": name, "kind": kind})
        assert created.status_code == 201, created.text
        await _same(client, uncached)
    doc = (await client.get("/api/notetypes/Basic")).json()
    notetype = {**doc["notetype"], "name": "Basic renamed", "css": ".card { color: red; }"}
    saved = await client.put(
        f"/api/notetypes/{doc['id']}",
        json={"expected_revision": doc["revision"], "notetype": notetype, "samples": []},
    )
    assert saved.status_code == 200, saved.text
    await _same(client, uncached)
    renamed = await client.post(
        f"/api/notetypes/{doc['id']}/fields/rename", json={"old": "Back", "new": "Answer"}
    )
    assert renamed.status_code == 200, renamed.text
    listed = (await client.get("/api/notetypes?search=renamed")).json()
    assert listed[0]["field_names"] == ["Front", "Answer"]
    await _same(client, uncached)
    deleted = await client.delete("/api/notetypes/Basic 2")
    assert deleted.status_code == 204
    await _same(client, uncached)


async def test_an_unchanged_listing_revalidates(client: httpx.AsyncClient) -> None:
    await client.post("/api/notetypes", json={"name": "Basic"})
    first = await client.get("/api/notetypes")
    again = await client.get("/api/notetypes", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    await client.post("/api/notetypes", json={"name": "Another"})
    stale = await client.get("/api/notetypes", headers={"If-None-Match": first.headers["etag"]})
    assert stale.status_code == 200
    assert [s["name"] for s in stale.json()] == ["Another", "Basic"]
