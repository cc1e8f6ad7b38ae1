"""Conditional GETs: API reads carry a strong ETag, ``If-None-Match`` answers 304 only if current.

The invariant every test checks through ``assert_honest``: a request holding an ETag gets a
304 exactly when a fresh read would answer 200 with that same ETag, and a bodiless 304 then.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .helpers import problem

pytestmark = pytest.mark.anyio


async def tagged(client: httpx.AsyncClient, url: str) -> tuple[str, httpx.Response]:
    """A 200 read of ``url`` and its ETag, checked to be strong and to ask for revalidation."""
    response = await client.get(url)
    assert response.status_code == 200, response.text
    etag = response.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"') and len(etag) > 10
    assert response.headers["cache-control"] == "no-cache"
    return etag, response


async def assert_not_modified(client: httpx.AsyncClient, url: str, etag: str) -> None:
    """``url`` read with ``If-None-Match: etag`` is a bodiless 304 naming the same ETag."""
    response = await client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304, response.text
    assert response.content == b""
    assert response.headers["etag"] == etag
    assert "content-length" not in response.headers or response.headers["content-length"] == "0"


async def assert_honest(client: httpx.AsyncClient, url: str, etag: str) -> int:
    """A 304 for ``etag`` exactly when a fresh read still carries it; the fresh status."""
    fresh = await client.get(url)
    conditional = await client.get(url, headers={"If-None-Match": etag})
    if fresh.status_code == 200 and fresh.headers["etag"] == etag:
        assert conditional.status_code == 304
        assert conditional.content == b""
    else:
        assert conditional.status_code == fresh.status_code != 304
        assert conditional.content == fresh.content
    return fresh.status_code


async def assert_stale(client: httpx.AsyncClient, url: str, etag: str) -> None:
    """``etag`` is out of date for ``url``: never answered 304, and the read changed."""
    status = await assert_honest(client, url, etag)
    fresh = await client.get(url)
    assert status != 200 or fresh.headers["etag"] != etag


async def save_front(client: httpx.AsyncClient, notetype_id: str, front: str) -> int:
    """Save the note type with a new front template; the new revision."""
    current = (await client.get(f"/api/notetypes/{notetype_id}")).json()
    notetype = dict(current["notetype"])
    notetype["card_types"] = [dict(notetype["card_types"][0], front=front)]
    body = {"expected_revision": current["revision"], "notetype": notetype}
    response = await client.put(f"/api/notetypes/{notetype_id}", json=body)
    assert response.status_code == 200, response.text
    revision: int = response.json()["revision"]
    return revision


def reads(notetype_id: str) -> list[str]:
    """The cacheable reads that change with a note type."""
    return [
        f"/api/notetypes/{notetype_id}",
        "/api/notetypes",
        "/api/notetypes?search=bas",
        f"/api/notetypes/{notetype_id}/revisions",
    ]


async def etags(client: httpx.AsyncClient, urls: list[str]) -> dict[str, str]:
    """The current ETag of each URL."""
    return {url: (await tagged(client, url))[0] for url in urls}


async def test_a_note_type_read_is_unchanged_and_tagged(
    client: httpx.AsyncClient, basic: dict[str, Any]
) -> None:
    url = f"/api/notetypes/{basic['id']}"
    etag, response = await tagged(client, url)
    assert response.json() == basic
    assert response.headers["content-type"] == "application/json"
    assert (await tagged(client, url))[0] == etag  # the same content, the same tag
    await assert_not_modified(client, url, etag)


async def test_every_read_answers_304_while_unchanged(
    client: httpx.AsyncClient, basic: dict[str, Any]
) -> None:
    urls = [*reads(basic["id"]), f"/api/revisions/{basic['revision']}"]
    for url, etag in (await etags(client, urls)).items():
        await assert_not_modified(client, url, etag)


@pytest.mark.parametrize(
    ("header", "modified"),
    [
        ("{etag}", False),
        ('"elsewhere", {etag}', False),
        ("W/{etag}", False),
        ("*", False),
        ('"elsewhere"', True),
        ("", True),
        ("{unquoted}", True),
    ],
)
async def test_if_none_match_forms(
    client: httpx.AsyncClient, basic: dict[str, Any], header: str, modified: bool
) -> None:
    url = f"/api/notetypes/{basic['id']}"
    etag, _ = await tagged(client, url)
    value = header.format(etag=etag, unquoted=etag.strip('"'))
    response = await client.get(url, headers={"If-None-Match": value})
    assert response.status_code == (200 if modified else 304)
    assert response.headers["etag"] == etag


async def test_a_save_makes_every_old_tag_stale(
    client: httpx.AsyncClient, basic: dict[str, Any]
) -> None:
    before = await etags(client, reads(basic["id"]))
    await save_front(client, basic["id"], "new {{Front}}")
    for url, etag in before.items():
        await assert_stale(client, url, etag)
    for url, etag in (await etags(client, reads(basic["id"]))).items():
        await assert_not_modified(client, url, etag)


async def test_saves_folded_into_one_revision_each_make_tags_stale(
    client: httpx.AsyncClient, basic: dict[str, Any]
) -> None:
    await save_front(client, basic["id"], "one {{Front}}")
    before = await etags(client, reads(basic["id"]))
    await save_front(client, basic["id"], "two {{Front}}")
    for url, etag in before.items():
        await assert_stale(client, url, etag)


async def test_a_save_of_the_same_content_answers_honestly(
    client: httpx.AsyncClient, basic: dict[str, Any]
) -> None:
    before = await etags(client, reads(basic["id"]))
    await save_front(client, basic["id"], basic["notetype"]["card_types"][0]["front"])
    for url, etag in before.items():
        # Whether the store keeps or bumps the revision, a 304 means the bytes are the same.
        await assert_honest(client, url, etag)


@pytest.mark.parametrize(
    ("path", "old", "new"),
    [("fields/rename", "Front", "Question"), ("card-types/rename", "Card 1", "Forward")],
)
async def test_a_rename_makes_every_old_tag_stale(
    client: httpx.AsyncClient, basic: dict[str, Any], path: str, old: str, new: str
) -> None:
    before = await etags(client, reads(basic["id"]))
    renamed = await client.post(
        f"/api/notetypes/{basic['id']}/{path}", json={"old": old, "new": new}
    )
    assert renamed.status_code == 200, renamed.text
    for url, etag in before.items():
        await assert_stale(client, url, etag)


async def test_renaming_the_note_type_makes_the_list_stale(
    client: httpx.AsyncClient, basic: dict[str, Any]
) -> None:
    list_etag, _ = await tagged(client, "/api/notetypes")
    notetype = dict(basic["notetype"], name="Basic renamed")
    body = {"expected_revision": basic["revision"], "notetype": notetype}
    assert (await client.put(f"/api/notetypes/{basic['id']}", json=body)).status_code == 200
    await assert_stale(client, "/api/notetypes", list_etag)


async def test_a_restore_makes_every_old_tag_stale(
    client: httpx.AsyncClient, basic: dict[str, Any]
) -> None:
    await save_front(client, basic["id"], "changed {{Front}}")
    before = await etags(client, reads(basic["id"]))
    restored = await client.post(f"/api/revisions/{basic['revision']}/restore", json={})
    assert restored.status_code == 200, restored.text
    for url, etag in before.items():
        await assert_stale(client, url, etag)


async def test_a_saved_revision_keeps_its_tag_while_its_content_stays(
    client: httpx.AsyncClient, basic: dict[str, Any]
) -> None:
    url = f"/api/revisions/{basic['revision']}"
    etag, _ = await tagged(client, url)
    await save_front(client, basic["id"], "later {{Front}}")
    assert await assert_honest(client, url, etag) == 200


async def test_a_delete_makes_every_old_tag_stale(
    client: httpx.AsyncClient, basic: dict[str, Any]
) -> None:
    urls = [*reads(basic["id"]), f"/api/revisions/{basic['revision']}"]
    before = await etags(client, urls)
    assert (await client.delete(f"/api/notetypes/{basic['id']}")).status_code == 204
    for url, etag in before.items():
        await assert_stale(client, url, etag)
    gone = await client.get(urls[0], headers={"If-None-Match": before[urls[0]]})
    problem(gone, 404)
    assert "etag" not in gone.headers


async def test_a_note_type_recreated_under_its_name_is_not_the_old_one(
    client: httpx.AsyncClient, basic: dict[str, Any]
) -> None:
    url = "/api/notetypes/Basic"
    etag, _ = await tagged(client, url)
    assert (await client.delete(f"/api/notetypes/{basic['id']}")).status_code == 204
    assert (await client.post("/api/notetypes", json={"name": "Basic"})).status_code == 201
    await assert_stale(client, url, etag)


async def test_media_reads_are_tagged_and_follow_their_bytes(
    client: httpx.AsyncClient, basic: dict[str, Any]
) -> None:
    url = f"/api/notetypes/{basic['id']}/media/_picture.svg"
    assert (await client.put(url, content=b"<svg/>")).status_code == 200
    etag, response = await tagged(client, url)
    assert response.content == b"<svg/>"
    assert response.headers["content-security-policy"] == "sandbox"
    await assert_not_modified(client, url, etag)
    assert (await client.put(url, content=b"<svg></svg>")).status_code == 200
    await assert_stale(client, url, etag)
    assert (await client.delete(url)).status_code == 200
    await assert_stale(client, url, etag)


async def test_starter_media_are_tagged(client: httpx.AsyncClient) -> None:
    url = "/api/gallery/image-labels/media/plant-cell.svg"
    etag, _ = await tagged(client, url)
    await assert_not_modified(client, url, etag)
    problem(
        await client.get(url.replace("plant-cell", "nope"), headers={"If-None-Match": "*"}), 404
    )


async def test_the_schema_documents_the_304_and_keeps_the_bodies(
    client: httpx.AsyncClient,
) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]
    document = paths["/api/notetypes/{notetype_id}"]["get"]["responses"]
    assert "304" in document
    schema = document["200"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("/NoteTypeDocument")
    listing = paths["/api/notetypes"]["get"]["responses"]["200"]["content"]
    assert listing["application/json"]["schema"]["items"]["$ref"].endswith("/SummaryDoc")
