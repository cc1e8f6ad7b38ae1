"""The library and editor endpoints: list, create, get, save, delete, rename."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from anki_template_designer.server import Settings, create_app
from anki_template_designer.store import Workspace

from .conftest import BASE_URL, ORIGIN
from .helpers import problem

pytestmark = pytest.mark.anyio


def _edited(document: dict[str, Any], front: str) -> dict[str, Any]:
    notetype = dict(document["notetype"])
    notetype["card_types"] = [dict(notetype["card_types"][0], front=front)]
    return {
        "expected_revision": document["revision"],
        "notetype": notetype,
        "samples": document["samples"],
    }


async def test_create_standard_is_anki_basic(basic: dict[str, Any]) -> None:
    notetype = basic["notetype"]
    assert notetype["kind"] == "standard"
    assert [f["name"] for f in notetype["fields"]] == ["Front", "Back"]
    assert notetype["card_types"][0]["front"] == "{{Front}}"
    assert basic["revision"] >= 1 and len(basic["id"]) == 32
    assert basic["samples"][0]["fields"]["Front"]


async def test_create_cloze(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/notetypes", json={"name": "My Cloze", "kind": "cloze"})
    assert response.status_code == 201
    notetype = response.json()["notetype"]
    assert notetype["kind"] == "cloze"
    assert notetype["card_types"][0]["front"] == "{{cloze:Text}}"
    assert ".cloze" in notetype["css"]


async def test_create_duplicate_name_is_409(
    client: httpx.AsyncClient, basic: dict[str, Any]
) -> None:
    body = problem(await client.post("/api/notetypes", json={"name": "Basic"}), 409)
    assert "Basic" in body["detail"]


async def test_list_and_search(client: httpx.AsyncClient, basic: dict[str, Any]) -> None:
    await client.post("/api/notetypes", json={"name": "Vocabulary", "kind": "cloze"})
    listed = (await client.get("/api/notetypes")).json()
    assert [n["name"] for n in listed] == ["Basic", "Vocabulary"]
    assert listed[0]["revision"] == basic["revision"]
    assert listed[0]["field_names"] == ["Front", "Back"]
    found = (await client.get("/api/notetypes", params={"search": "VOCAB"})).json()
    assert [n["name"] for n in found] == ["Vocabulary"]
    assert (await client.get("/api/notetypes", params={"search": "nothing"})).json() == []


async def test_get_by_id_and_by_name(client: httpx.AsyncClient, basic: dict[str, Any]) -> None:
    by_id = (await client.get(f"/api/notetypes/{basic['id']}")).json()
    by_name = (await client.get("/api/notetypes/Basic")).json()
    assert by_id == by_name == basic


async def test_get_unknown_is_404(client: httpx.AsyncClient) -> None:
    body = problem(await client.get("/api/notetypes/Nope"), 404)
    assert "Nope" in body["detail"]


async def test_save_makes_a_revision(client: httpx.AsyncClient, basic: dict[str, Any]) -> None:
    response = await client.put(
        f"/api/notetypes/{basic['id']}", json=_edited(basic, "Q: {{Front}}")
    )
    assert response.status_code == 200, response.text
    saved = response.json()
    assert saved["revision"] > basic["revision"]
    again = (await client.get(f"/api/notetypes/{basic['id']}")).json()
    assert again["notetype"]["card_types"][0]["front"] == "Q: {{Front}}"
    assert again["revision"] == saved["revision"]


async def test_save_unchanged_keeps_revision(
    client: httpx.AsyncClient, basic: dict[str, Any]
) -> None:
    body = _edited(basic, basic["notetype"]["card_types"][0]["front"])
    saved = (await client.put(f"/api/notetypes/{basic['id']}", json=body)).json()
    assert saved["revision"] == basic["revision"]


async def test_stale_save_is_409_with_current_revision(
    client: httpx.AsyncClient, basic: dict[str, Any]
) -> None:
    first_tab = await client.put(f"/api/notetypes/{basic['id']}", json=_edited(basic, "tab 1"))
    current = first_tab.json()["revision"]
    second_tab = await client.put(f"/api/notetypes/{basic['id']}", json=_edited(basic, "tab 2"))
    body = problem(second_tab, 409)
    assert body["current_revision"] == current
    assert body["expected_revision"] == basic["revision"]
    assert "reload" in body["detail"]
    kept = (await client.get(f"/api/notetypes/{basic['id']}")).json()
    assert kept["notetype"]["card_types"][0]["front"] == "tab 1"


async def test_autosaves_fold_into_one_revision_but_each_answers_a_new_one(
    client: httpx.AsyncClient, basic: dict[str, Any]
) -> None:
    url = f"/api/notetypes/{basic['id']}"
    first = (await client.put(url, json=_edited(basic, "Q"))).json()
    second = (await client.put(url, json=_edited(dict(basic, **first), "Q:"))).json()
    third = (await client.put(url, json=_edited(dict(basic, **second), "Q: {{Front}}"))).json()
    assert basic["revision"] < first["revision"] < second["revision"] < third["revision"]
    history = (await client.get(f"{url}/revisions")).json()
    assert [r["id"] for r in history] == [third["revision"], basic["revision"]]
    assert [r["summary"] for r in history] == ["edit", "create"]
    # A tab still holding an earlier save of the burst is told someone saved since.
    stale = await client.put(url, json=_edited(dict(basic, **second), "tab 2"))
    assert problem(stale, 409)["current_revision"] == third["revision"]
    assert (await client.get(f"/api/revisions/{second['revision']}")).status_code == 404


async def test_save_keeps_media(client: httpx.AsyncClient, basic: dict[str, Any]) -> None:
    url = f"/api/notetypes/{basic['id']}"
    put = await client.put(f"{url}/media/_font.woff", content=b"font")
    body = _edited(basic, "{{Front}}!")
    body["expected_revision"] = put.json()["revision"]
    assert (await client.put(url, json=body)).status_code == 200
    assert (await client.get(url)).json()["media"] == [{"name": "_font.woff", "size": 4}]


async def test_save_keeps_media_read_from_the_workspace(
    client: httpx.AsyncClient, basic: dict[str, Any], workspace: Workspace, settings: Settings
) -> None:
    put = await client.put(f"/api/notetypes/{basic['id']}/media/_a.css", content=b"a{}")
    body = _edited(basic, "{{Front}}?")
    body["expected_revision"] = put.json()["revision"]
    # A second server over the same workspace has not seen the media upload.
    transport = httpx.ASGITransport(app=create_app(workspace, settings))
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL, headers=ORIGIN) as other:
        saved = await other.put(f"/api/notetypes/{basic['id']}", json=body)
        assert saved.json() == {"id": basic["id"], "revision": saved.json()["revision"]}
        document = (await other.get(f"/api/notetypes/{basic['id']}")).json()
    assert document["media"] == [{"name": "_a.css", "size": 3}]
    assert document["revision"] > body["expected_revision"]


async def test_save_rejects_invalid_field_name(
    client: httpx.AsyncClient, basic: dict[str, Any]
) -> None:
    body = _edited(basic, "{{Front}}")
    body["notetype"]["fields"][0]["name"] = "Fr:ont"
    problem(await client.put(f"/api/notetypes/{basic['id']}", json=body), 400)


@pytest.mark.parametrize(
    "change",
    [
        lambda body: body.pop("expected_revision"),
        lambda body: body["notetype"].update(fields=[]),
        lambda body: body["notetype"].update(kind="triangle"),
        lambda body: body.update(unexpected=1),
        lambda body: body["samples"].append({"flag": 9}),
    ],
    ids=["no-revision", "no-fields", "bad-kind", "unknown-key", "bad-flag"],
)
async def test_invalid_body_is_422(
    client: httpx.AsyncClient, basic: dict[str, Any], change: Any
) -> None:
    body = _edited(basic, "{{Front}}")
    change(body)
    result = problem(await client.put(f"/api/notetypes/{basic['id']}", json=body), 422)
    assert result["errors"] and result["errors"][0]["location"]


async def test_delete(client: httpx.AsyncClient, basic: dict[str, Any]) -> None:
    url = f"/api/notetypes/{basic['id']}"
    stale = basic["revision"] + 100
    problem(await client.delete(url, params={"expected_revision": stale}), 409)
    response = await client.delete(url, params={"expected_revision": basic["revision"]})
    assert response.status_code == 204
    problem(await client.get(url), 404)
    problem(await client.delete(url), 404)


async def test_rename_field_updates_templates(
    client: httpx.AsyncClient, basic: dict[str, Any]
) -> None:
    response = await client.post(
        f"/api/notetypes/{basic['id']}/fields/rename",
        json={"old": "Back", "new": "Answer", "expected_revision": basic["revision"]},
    )
    assert response.status_code == 200, response.text
    renamed = response.json()
    assert [f["name"] for f in renamed["notetype"]["fields"]] == ["Front", "Answer"]
    assert "{{Answer}}" in renamed["notetype"]["card_types"][0]["back"]
    assert "Answer" in renamed["samples"][0]["fields"]
    assert renamed["revision"] > basic["revision"]


@pytest.mark.parametrize(
    ("old", "new", "status"),
    [("Nope", "X", 404), ("Back", "Front", 409), ("Back", "Ba:ck", 400)],
)
async def test_rename_field_errors(
    client: httpx.AsyncClient, basic: dict[str, Any], old: str, new: str, status: int
) -> None:
    url = f"/api/notetypes/{basic['id']}/fields/rename"
    problem(await client.post(url, json={"old": old, "new": new}), status)


async def test_rename_card_type(client: httpx.AsyncClient, basic: dict[str, Any]) -> None:
    url = f"/api/notetypes/{basic['id']}/card-types/rename"
    response = await client.post(url, json={"old": "Card 1", "new": "Recognition"})
    assert response.json()["notetype"]["card_types"][0]["name"] == "Recognition"
    stale = {"old": "Recognition", "new": "R", "expected_revision": basic["revision"]}
    problem(await client.post(url, json=stale), 409)
