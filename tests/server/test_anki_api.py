"""The running-Anki routes against a local AnkiConnect server backed by a real anki Collection."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from anki.collection import Collection

from anki_template_designer.core.model import Note
from anki_template_designer.formats.bundle import NoteTypeBundle
from anki_template_designer.store import Workspace
from formats.ankiconnect_server import AnkiConnectServer
from formats.conftest import add_rich_notetype

from .helpers import problem

pytestmark = pytest.mark.anyio

KEY = "secret-key"


@pytest.fixture(autouse=True)
def no_ankiconnect_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Start every test without the AnkiConnect variables a developer may have set."""
    monkeypatch.delenv("ATD_ANKICONNECT_URL", raising=False)
    monkeypatch.delenv("ATD_ANKICONNECT_KEY", raising=False)


@pytest.fixture
def col(tmp_path: Path) -> Iterator[Collection]:
    """A real collection: Anki's stock note types and the rich test note type."""
    (tmp_path / "anki").mkdir()
    collection = Collection(str(tmp_path / "anki" / "collection.anki2"))
    add_rich_notetype(collection)
    yield collection
    collection.close()


@pytest.fixture
def anki(col: Collection) -> Iterator[AnkiConnectServer]:
    """AnkiConnect (protocol 6, with an API key) serving ``col`` on a loopback port."""
    with AnkiConnectServer(col, key=KEY) as server:
        yield server


@pytest.fixture
def closed_url() -> str:
    """An address on this machine where nothing listens (Anki is not running)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def connection(anki: AnkiConnectServer) -> dict[str, Any]:
    """The request fields naming the test AnkiConnect."""
    return {"url": anki.url, "key": KEY}


async def test_list_names_the_running_ankis_notetypes(
    client: httpx.AsyncClient, anki: AnkiConnectServer, col: Collection
) -> None:
    response = await client.get(
        "/api/anki/notetypes", params={"url": anki.url}, headers={"X-AnkiConnect-Key": KEY}
    )
    assert response.status_code == 200, response.text
    listed = {item["name"]: item["anki_id"] for item in response.json()}
    rich = col.models.by_name("ATD Rich")
    assert rich is not None and listed["ATD Rich"] == rich["id"]
    assert {"Basic", "Cloze"} <= set(listed)
    names = [item["name"] for item in response.json()]
    assert names == sorted(names, key=str.casefold)


async def test_import_named_notetypes_then_again_unchanged(
    client: httpx.AsyncClient, anki: AnkiConnectServer, col: Collection
) -> None:
    body = {"names": ["ATD Rich", "Cloze"], **connection(anki)}
    response = await client.post("/api/anki/import", json=body)
    assert response.status_code == 200, response.text
    imported = response.json()["imported"]
    assert [item["name"] for item in imported] == ["ATD Rich", "Cloze"]
    assert [item["status"] for item in imported] == ["created", "created"]
    assert imported[0]["field_names"] == ["Front", "Back", "Extra"]
    assert imported[1]["kind"] == "cloze"
    document = (await client.get(f"/api/notetypes/{imported[0]['id']}")).json()
    assert document["notetype"]["card_types"][0]["browser_front"] == "{{text:Front}}"
    rich = col.models.by_name("ATD Rich")
    assert rich is not None and document["notetype"]["anki_id"] == rich["id"]

    again = (await client.post("/api/anki/import", json=body)).json()["imported"]
    assert [item["revision"] for item in again] == [item["revision"] for item in imported]
    assert [item["status"] for item in again] == ["unchanged", "unchanged"]


async def test_import_all(
    client: httpx.AsyncClient, anki: AnkiConnectServer, col: Collection
) -> None:
    response = await client.post("/api/anki/import", json={"names": "all", **connection(anki)})
    assert response.status_code == 200, response.text
    names = {item["name"] for item in response.json()["imported"]}
    assert names == {entry.name for entry in col.models.all_names_and_ids()}


async def test_pull_keeps_the_workspaces_samples_and_media(
    client: httpx.AsyncClient, anki: AnkiConnectServer, workspace: Workspace
) -> None:
    await client.post("/api/anki/import", json={"names": ["ATD Rich"], **connection(anki)})
    stored = workspace.get_notetype("ATD Rich")
    sample = Note({"Front": "a sample"}, tags=("kept",))
    workspace.save_notetype(
        NoteTypeBundle(stored.notetype, (sample,), {"_logo.png": b"logo"}), "tester"
    )
    response = await client.post(
        "/api/anki/import", json={"names": ["ATD Rich"], **connection(anki)}
    )
    assert response.status_code == 200, response.text
    after = workspace.get_notetype("ATD Rich")
    assert after.samples == (sample,) and dict(after.media) == {"_logo.png": b"logo"}


async def test_import_of_a_name_anki_lacks_imports_nothing(
    client: httpx.AsyncClient, anki: AnkiConnectServer
) -> None:
    body = {"names": ["ATD Rich", "Nope"], **connection(anki)}
    body_problem = problem(await client.post("/api/anki/import", json=body), 404)
    assert body_problem["type"] == "urn:atd:problem:not-in-anki"
    assert "no note type called 'Nope'" in body_problem["detail"]
    assert "'ATD Rich'" in body_problem["detail"]  # the names Anki does have
    assert (await client.get("/api/notetypes")).json() == []


async def test_import_needs_at_least_one_name(
    client: httpx.AsyncClient, anki: AnkiConnectServer
) -> None:
    response = await client.post("/api/anki/import", json={"names": [], **connection(anki)})
    problem(response, 422)


async def test_anki_not_running_says_how_to_start_it(
    client: httpx.AsyncClient, closed_url: str
) -> None:
    listed = problem(await client.get("/api/anki/notetypes", params={"url": closed_url}), 503)
    assert listed["type"] == "urn:atd:problem:anki-unreachable"
    assert "Anki is not running" in listed["detail"] and "2055492159" in listed["detail"]
    assert closed_url in listed["detail"]
    body = {"names": "all", "url": closed_url}
    assert "2055492159" in problem(await client.post("/api/anki/import", json=body), 503)["detail"]


async def test_wrong_or_missing_key(client: httpx.AsyncClient, anki: AnkiConnectServer) -> None:
    wrong = await client.get(
        "/api/anki/notetypes", params={"url": anki.url}, headers={"X-AnkiConnect-Key": "nope"}
    )
    detail = problem(wrong, 502)["detail"]
    assert "API key was wrong" in detail and "Tools > Add-ons > AnkiConnect > Config" in detail
    missing = await client.post("/api/anki/import", json={"names": "all", "url": anki.url})
    assert "is required but none was given" in problem(missing, 502)["detail"]


async def test_another_program_at_the_address(client: httpx.AsyncClient) -> None:
    other = HTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)  # answers POST with 501
    thread = threading.Thread(target=other.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{other.server_address[1]}"
        response = await client.get("/api/anki/notetypes", params={"url": url})
    finally:
        other.shutdown()
        other.server_close()
        thread.join()
    body = problem(response, 502)
    assert body["type"] == "urn:atd:problem:ankiconnect"
    assert "another program uses that address" in body["detail"]


async def test_too_old_ankiconnect(client: httpx.AsyncClient, col: Collection) -> None:
    with AnkiConnectServer(col, version=5) as old:
        response = await client.get("/api/anki/notetypes", params={"url": old.url})
    assert "protocol version 5" in problem(response, 502)["detail"]


async def test_not_an_ankiconnect_address(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/anki/notetypes", params={"url": "file:///etc/passwd"})
    body = problem(response, 400)
    assert body["type"] == "urn:atd:problem:invalid-anki-url"
    assert "http://127.0.0.1:8765" in body["detail"]


async def test_environment_key_goes_only_to_the_environment_address(
    client: httpx.AsyncClient,
    anki: AnkiConnectServer,
    col: Collection,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ATD_ANKICONNECT_URL", anki.url)
    monkeypatch.setenv("ATD_ANKICONNECT_KEY", KEY)
    assert (await client.get("/api/anki/notetypes")).status_code == 200
    with AnkiConnectServer(col, key=KEY) as elsewhere:
        response = await client.get("/api/anki/notetypes", params={"url": elsewhere.url})
        assert "is required but none was given" in problem(response, 502)["detail"]
        assert "version" in elsewhere.calls  # reached, but without the key


async def test_another_sites_page_cannot_make_the_server_call_anki(
    client: httpx.AsyncClient, anki: AnkiConnectServer
) -> None:
    response = await client.get(
        "/api/anki/notetypes",
        params={"url": anki.url},
        headers={"Sec-Fetch-Site": "cross-site", "X-AnkiConnect-Key": KEY},
    )
    assert problem(response, 403)["type"] == "urn:atd:problem:cross-origin"
    assert anki.calls == []
    foreign = await client.post(
        "/api/anki/import",
        json={"names": "all", **connection(anki)},
        headers={"Origin": "https://evil.example"},
    )
    problem(foreign, 403)
    assert anki.calls == []


async def test_push_dry_run_then_create_then_up_to_date(
    client: httpx.AsyncClient, anki: AnkiConnectServer, col: Collection
) -> None:
    created = (await client.post("/api/notetypes", json={"name": "ATD Vocab"})).json()
    url = f"/api/notetypes/{created['id']}/anki/push"
    dry = await client.post(url, json={"dry_run": True, **connection(anki)})
    assert dry.status_code == 200, dry.text
    plan = dry.json()
    assert plan["create"] and plan["changed"] and not plan["applied"]
    assert "+++ b/ATD Vocab/Card_1.front.html" in plan["diff"]
    assert col.models.by_name("ATD Vocab") is None

    pushed = (await client.post(url, json=connection(anki))).json()
    assert pushed["applied"]
    stored = col.models.by_name("ATD Vocab")
    assert stored is not None
    assert [f["name"] for f in stored["flds"]] == [f["name"] for f in created["notetype"]["fields"]]
    again = (await client.post(url, json=connection(anki))).json()
    assert not again["changed"] and not again["applied"] and again["diff"] == ""


async def test_push_updates_a_pulled_notetype(
    client: httpx.AsyncClient, anki: AnkiConnectServer, col: Collection
) -> None:
    pulled = await client.post("/api/anki/import", json={"names": ["ATD Rich"], **connection(anki)})
    notetype_id = pulled.json()["imported"][0]["id"]
    document = (await client.get(f"/api/notetypes/{notetype_id}")).json()
    edited = dict(document["notetype"], css=".card { color: green; }")
    edited["card_types"][0]["front"] = "{{Front}} edited"
    save = {"expected_revision": document["revision"], "notetype": edited}
    assert (await client.put(f"/api/notetypes/{notetype_id}", json=save)).status_code == 200

    response = await client.post(f"/api/notetypes/{notetype_id}/anki/push", json=connection(anki))
    assert response.status_code == 200, response.text
    plan = response.json()
    assert plan["updated_card_types"] == ["Forward"] and plan["css_changed"]
    assert any("browser appearance" in warning for warning in plan["warnings"])
    stored = col.models.by_name("ATD Rich")
    assert stored is not None
    assert stored["tmpls"][0]["qfmt"] == "{{Front}} edited"
    assert stored["css"] == ".card { color: green; }"


async def test_push_errors(
    client: httpx.AsyncClient, anki: AnkiConnectServer, closed_url: str
) -> None:
    missing = await client.post("/api/notetypes/nope/anki/push", json=connection(anki))
    assert problem(missing, 404)["type"] == "urn:atd:problem:not-found"
    created = (await client.post("/api/notetypes", json={"name": "ATD Vocab"})).json()
    url = f"/api/notetypes/{created['id']}/anki/push"
    down = await client.post(url, json={"url": closed_url})
    assert "2055492159" in problem(down, 503)["detail"]
    wrong_key = await client.post(url, json={"url": anki.url, "key": "nope", "dry_run": True})
    assert "API key was wrong" in problem(wrong_key, 502)["detail"]
    unknown_key = await client.post(url, json={"url": anki.url, "typo": 1})
    problem(unknown_key, 422)
