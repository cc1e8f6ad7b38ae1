"""The gallery API: list starters, thumbnails and their media, create from a starter; lint rules."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from anki_template_designer.core.lint import default_rules
from anki_template_designer.services.gallery import starters

from .helpers import problem

pytestmark = pytest.mark.anyio

STARTER_IDS = [s.id for s in starters()]


async def test_list_describes_every_starter(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/gallery")
    assert response.status_code == 200
    listed = response.json()
    assert [s["id"] for s in listed] == STARTER_IDS
    by_id = {s["id"]: s for s in listed}
    vocabulary = by_id["vocabulary"]
    assert vocabulary["field_names"] == ["Word", "Reading", "Meaning", "Audio", "Example"]
    assert vocabulary["card_type_names"] == ["Recognition", "Recall"]
    assert vocabulary["kind"] == "standard" and by_id["cloze"]["kind"] == "cloze"
    assert all(s["description"] and s["sample_count"] >= 2 for s in listed)
    assert vocabulary["thumbnail_url"] == "/api/gallery/vocabulary/thumbnail"


async def test_get_one_starter_with_its_samples(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/gallery/definition")
    assert response.status_code == 200
    body = response.json()
    assert body["notetype"]["name"] == "Definition with examples"
    assert body["samples"][0]["fields"]["Term"] == "ephemeral"


@pytest.mark.parametrize("starter_id", STARTER_IDS)
async def test_thumbnail_is_the_first_cards_front(
    client: httpx.AsyncClient, starter_id: str
) -> None:
    response = await client.get(f"/api/gallery/{starter_id}/thumbnail")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "sandbox" in response.headers["content-security-policy"]
    assert "<script" not in response.text.lower() and "onkeypress" not in response.text
    page = response.text
    assert '<body class="card card1' in page
    assert f'<base href="/api/gallery/{starter_id}/media/">' in page
    assert "The front of this card is blank" not in page


async def test_thumbnail_in_night_mode_on_a_phone(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/api/gallery/basic/thumbnail", params={"night_mode": "true", "platform": "ankidroid"}
    )
    assert response.status_code == 200
    assert "nightMode" in response.text and "What is the capital of Australia?" in response.text


async def test_thumbnail_of_an_unknown_platform_is_422(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/gallery/basic/thumbnail", params={"platform": "palm-os"})
    assert response.status_code == 422


async def test_starter_media_is_served_sandboxed(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/gallery/image-labels/media/plant-cell.svg")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    assert response.headers["content-security-policy"] == "sandbox"
    assert response.content.startswith(b"<svg")


async def test_missing_starter_media_is_404(client: httpx.AsyncClient) -> None:
    body = problem(await client.get("/api/gallery/image-labels/media/nope.png"), 404)
    assert "nope.png" in body["detail"] and "image-labels" in body["detail"]


async def test_starter_media_with_a_path_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/gallery/image-labels/media/..%2Fnotetype.toml")
    assert response.status_code in (400, 404)
    assert b"atd_format" not in response.content


@pytest.mark.parametrize(
    "path",
    [
        "/api/gallery/nope",
        "/api/gallery/nope/thumbnail",
        "/api/gallery/nope/media/a.png",
    ],
)
async def test_unknown_starter_is_404_naming_the_known_ones(
    client: httpx.AsyncClient, path: str
) -> None:
    body = problem(await client.get(path), 404)
    assert "'nope'" in body["detail"] and "basic-reversed" in body["detail"]


@pytest.mark.parametrize("starter_id", STARTER_IDS)
async def test_create_from_each_starter(client: httpx.AsyncClient, starter_id: str) -> None:
    name = f"Mine from {starter_id}"
    response = await client.post(f"/api/gallery/{starter_id}/create", json={"name": name})
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    starter = (await client.get(f"/api/gallery/{starter_id}")).json()
    assert created["notetype"]["name"] == name
    assert created["notetype"]["card_types"] == starter["notetype"]["card_types"]
    assert created["notetype"]["css"] == starter["notetype"]["css"]
    assert created["samples"] == starter["samples"]
    listed = (await client.get("/api/notetypes")).json()
    assert [n["name"] for n in listed] == [name]


async def test_created_note_type_keeps_the_starters_media(client: httpx.AsyncClient) -> None:
    created = (
        await client.post("/api/gallery/vocabulary/create", json={"name": "Japanese"})
    ).json()
    assert {m["name"] for m in created["media"]} == {"neko.wav", "toshokan.wav"}
    media = await client.get(f"/api/notetypes/{created['id']}/media/neko.wav")
    assert media.status_code == 200 and media.content.startswith(b"RIFF")


async def test_create_with_a_taken_name_is_409(client: httpx.AsyncClient) -> None:
    first = await client.post("/api/gallery/basic/create", json={"name": "Taken"})
    assert first.status_code == 201
    body = problem(await client.post("/api/gallery/cloze/create", json={"name": "Taken"}), 409)
    assert "Taken" in body["detail"]


async def test_create_with_a_blank_name_is_400(client: httpx.AsyncClient) -> None:
    body = problem(await client.post("/api/gallery/basic/create", json={"name": "   "}), 400)
    assert "name" in body["detail"]


async def test_create_without_a_name_is_422(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/gallery/basic/create", json={})
    assert response.status_code == 422


async def test_create_from_an_unknown_starter_is_404(client: httpx.AsyncClient) -> None:
    body = problem(await client.post("/api/gallery/nope/create", json={"name": "X"}), 404)
    assert "basic" in body["detail"]
    assert (await client.get("/api/notetypes")).json() == []


async def test_create_needs_the_designers_origin(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/gallery/basic/create",
        json={"name": "Forged"},
        headers={"Origin": "http://evil.example"},
    )
    assert response.status_code == 403
    assert (await client.get("/api/notetypes")).json() == []


async def test_lint_rules_lists_every_rule_with_docs(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/lint/rules")
    assert response.status_code == 200
    rules = response.json()
    assert [r["id"] for r in rules] == [rule.id for rule in default_rules()]
    for rule in rules:
        assert rule["severity"] in ("error", "warning", "info")
        assert rule["title"] and rule["explanation"]
        assert rule["docs_url"].startswith("https://")
