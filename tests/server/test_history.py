"""History endpoints: list revisions, view one, diff it against now, restore it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .helpers import problem

pytestmark = pytest.mark.anyio


async def _save_front(client: httpx.AsyncClient, document: dict[str, Any], front: str) -> int:
    notetype = dict(document["notetype"])
    notetype["card_types"] = [dict(notetype["card_types"][0], front=front)]
    response = await client.put(
        f"/api/notetypes/{document['id']}",
        json={"expected_revision": document["revision"], "notetype": notetype},
    )
    assert response.status_code == 200, response.text
    revision: int = response.json()["revision"]
    return revision


async def test_revisions_newest_first(client: httpx.AsyncClient, basic: dict[str, Any]) -> None:
    second = await _save_front(client, basic, "second {{Front}}")
    revisions = (await client.get(f"/api/notetypes/{basic['id']}/revisions")).json()
    assert [r["id"] for r in revisions] == [second, basic["revision"]]
    assert revisions[0]["author"] == "tester"
    assert revisions[1]["summary"] == "create"
    assert len(revisions[0]["content_hash"]) >= 32


async def test_get_diff_restore(client: httpx.AsyncClient, basic: dict[str, Any]) -> None:
    first = basic["revision"]
    current = await _save_front(client, basic, "second {{Front}}")

    old = (await client.get(f"/api/revisions/{first}")).json()
    assert old["revision"]["id"] == first
    assert old["notetype"]["card_types"][0]["front"] == "{{Front}}"

    diff = (await client.get(f"/api/revisions/{first}/diff")).json()
    assert diff["current_revision"] == current
    assert "-{{Front}}" in diff["diff"] and "+second {{Front}}" in diff["diff"]

    restore = f"/api/revisions/{first}/restore"
    problem(await client.post(restore, json={"expected_revision": first}), 409)
    restored = (await client.post(restore, json={"expected_revision": current})).json()
    assert restored["revision"] > current
    assert restored["notetype"]["card_types"][0]["front"] == "{{Front}}"
    same = (await client.get(f"/api/revisions/{first}/diff")).json()
    assert same["diff"] == ""


async def test_unknown_revision_is_404(client: httpx.AsyncClient) -> None:
    for response in (
        await client.get("/api/revisions/999"),
        await client.get("/api/revisions/999/diff"),
        await client.post("/api/revisions/999/restore", json={}),
        await client.get("/api/notetypes/Nope/revisions"),
    ):
        problem(response, 404)


async def test_revision_id_must_be_a_number(client: httpx.AsyncClient) -> None:
    problem(await client.get("/api/revisions/latest"), 422)
