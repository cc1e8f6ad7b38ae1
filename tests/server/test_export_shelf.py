"""Downloads kept and built ahead: never stale, dropped only for the note type that changed."""

from __future__ import annotations

import asyncio
import gc
import io
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from anki_template_designer.server import Settings, create_app
from anki_template_designer.server import export_shelf as shelf_module
from anki_template_designer.server.export_shelf import (
    SOURCE_HEADER,
    ExportShelf,
    Prebuilder,
    build_download,
)
from anki_template_designer.services.transfer import ExportFormat
from anki_template_designer.store import Workspace

from .conftest import BASE_URL, ORIGIN
from .helpers import until

pytestmark = pytest.mark.anyio


def shelf_of(app: FastAPI) -> ExportShelf:
    shelf: ExportShelf = app.state.export_shelf
    return shelf


def prebuilder_of(app: FastAPI) -> Prebuilder:
    prebuilder: Prebuilder = app.state.prebuilder
    return prebuilder


async def export(
    client: httpx.AsyncClient, notetype_id: str, export_format: str = "crowdanki"
) -> httpx.Response:
    response = await client.get(
        f"/api/notetypes/{notetype_id}/export", params={"format": export_format}
    )
    assert response.status_code == 200, response.text
    return response


def crowdanki_css(response: httpx.Response) -> str:
    """The stylesheet inside a zipped CrowdAnki export."""
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        [name] = [n for n in archive.namelist() if n.endswith(".json")]
        text = archive.read(name).decode()
    import json

    [model] = json.loads(text)["note_models"]
    css: str = model["css"]
    return css


async def edit_css(client: httpx.AsyncClient, notetype_id: str, css: str) -> None:
    url = f"/api/notetypes/{notetype_id}"
    current = (await client.get(url)).json()
    body = {
        "expected_revision": current["revision"],
        "notetype": dict(current["notetype"], css=css),
        "samples": current["samples"],
    }
    assert (await client.put(url, json=body)).status_code == 200


async def make(client: httpx.AsyncClient, name: str) -> str:
    response = await client.post("/api/notetypes", json={"name": name})
    assert response.status_code == 201, response.text
    notetype_id: str = response.json()["id"]
    return notetype_id


@pytest.mark.parametrize("export_format", ["apkg", "crowdanki", "folder"])
async def test_an_unchanged_note_type_is_answered_from_the_shelf(
    client: httpx.AsyncClient, export_format: str
) -> None:
    notetype_id = await make(client, "Vocab")
    first = await export(client, notetype_id, export_format)
    again = await export(client, notetype_id, export_format)
    assert first.headers[SOURCE_HEADER] == "built"
    assert again.headers[SOURCE_HEADER] == "kept"
    assert again.content == first.content
    assert again.headers["content-disposition"] == first.headers["content-disposition"]
    assert again.headers["content-type"] == first.headers["content-type"]
    # Each format is kept apart.
    for other in {"apkg", "crowdanki", "folder"} - {export_format}:
        different = await export(client, notetype_id, other)
        assert different.headers[SOURCE_HEADER] == "built"
        assert different.content != first.content


async def test_an_edit_is_in_the_next_download_and_other_note_types_stay_kept(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    edited, other = await make(client, "Vocab"), await make(client, "Other")
    await export(client, edited)
    await export(client, other)
    await edit_css(client, edited, ".card { color: teal; }")
    after = await export(client, edited)
    assert after.headers[SOURCE_HEADER] == "built"
    assert crowdanki_css(after) == ".card { color: teal; }"
    # The edit dropped the edited note type's download only.
    assert (await export(client, other)).headers[SOURCE_HEADER] == "kept"
    assert shelf_of(app).stats().invalidations == 1


async def test_a_changed_media_file_is_in_the_next_download(client: httpx.AsyncClient) -> None:
    notetype_id = await make(client, "Vocab")
    url = f"/api/notetypes/{notetype_id}"
    await client.put(f"{url}/media/_logo.png", content=b"first")
    await edit_css(client, notetype_id, '.card { background: url("_logo.png"); }')
    before = await export(client, notetype_id, "folder")
    await client.put(f"{url}/media/_logo.png", content=b"second")
    after = await export(client, notetype_id, "folder")
    assert after.headers[SOURCE_HEADER] == "built"
    with zipfile.ZipFile(io.BytesIO(after.content)) as archive:
        [logo] = [n for n in archive.namelist() if n.endswith("_logo.png")]
        assert archive.read(logo) == b"second"
    assert before.content != after.content


async def test_several_note_types_in_one_download_are_kept_by_content(
    client: httpx.AsyncClient,
) -> None:
    first, _ = await make(client, "Vocab"), await make(client, "Other")
    params = {"format": "folder"}
    built = await client.get("/api/export", params=params)
    kept = await client.get("/api/export", params=params)
    assert (built.headers[SOURCE_HEADER], kept.headers[SOURCE_HEADER]) == ("built", "kept")
    await edit_css(client, first, ".card { color: red; }")
    assert (await client.get("/api/export", params=params)).headers[SOURCE_HEADER] == "built"


async def test_a_kept_download_older_than_its_age_limit_is_built_again(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    notetype_id = await make(client, "Vocab")
    await export(client, notetype_id, "apkg")
    shelf_of(app).max_age = 0.0  # Anki replaces a note type only with a newer package
    assert (await export(client, notetype_id, "apkg")).headers[SOURCE_HEADER] == "built"


async def test_with_the_caches_off_every_download_is_built(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "workspace") as workspace:
        app = create_app(workspace, Settings(port=8730, author="tester", cache_enabled=False))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url=BASE_URL, headers=ORIGIN
        ) as client:
            notetype_id = await make(client, "Vocab")
            for _ in range(2):
                response = await export(client, notetype_id)
                assert response.headers[SOURCE_HEADER] == "built"
            assert shelf_of(app).wanted(notetype_id) == []  # nothing is built ahead either


@pytest.fixture
async def ahead(app: FastAPI) -> AsyncIterator[Prebuilder]:
    """The app's prebuilder, attached to the test's loop (as serving does), settling fast."""
    prebuilder = prebuilder_of(app)
    prebuilder.settle = 0.01
    prebuilder.attach(asyncio.get_running_loop())
    yield prebuilder
    await prebuilder.detach()


async def test_a_saved_note_type_exported_lately_is_built_ahead(
    client: httpx.AsyncClient, ahead: Prebuilder
) -> None:
    exported, never = await make(client, "Vocab"), await make(client, "Other")
    await export(client, exported, "crowdanki")
    await export(client, exported, "folder")
    await edit_css(client, exported, ".card { color: navy; }")
    await edit_css(client, never, ".card { color: olive; }")
    await until(lambda: ahead.built == 2, "both formats are built ahead")
    ready = await export(client, exported, "crowdanki")
    assert ready.headers[SOURCE_HEADER] == "kept"
    assert crowdanki_css(ready) == ".card { color: navy; }"
    assert (await export(client, exported, "folder")).headers[SOURCE_HEADER] == "kept"
    # Only what was exported is built ahead.
    assert (await export(client, never, "folder")).headers[SOURCE_HEADER] == "built"
    assert ahead.built == 2


async def test_saves_in_a_burst_wait_for_one_build_ahead(
    client: httpx.AsyncClient, ahead: Prebuilder
) -> None:
    notetype_id = await make(client, "Vocab")
    ahead.settle = 60.0  # the build is started by the test, not by a clock
    await export(client, notetype_id)
    for colour in ("red", "green", "blue"):
        await edit_css(client, notetype_id, f".card {{ color: {colour}; }}")
    await until(lambda: ahead.pending == [notetype_id], "one build waits for the saves to settle")
    assert ahead.built == 0
    assert await ahead.build(notetype_id) == 1
    ready = await export(client, notetype_id)
    assert crowdanki_css(ready) == ".card { color: blue; }"
    assert ready.headers[SOURCE_HEADER] == "kept"


async def test_building_ahead_gives_way_to_waiting_background_work(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    notetype_id = await make(client, "Vocab")
    await export(client, notetype_id)
    await edit_css(client, notetype_id, ".card { color: red; }")
    prebuilder = prebuilder_of(app)
    work = app.state.work
    real = work.snapshot

    def busy() -> Any:
        snapshot = real()
        snapshot.queued["background"] = 1
        return snapshot

    work.snapshot = busy
    try:
        assert await prebuilder.build(notetype_id) == 0
    finally:
        work.snapshot = real
    assert prebuilder.skipped == 1
    assert await prebuilder.build(notetype_id) == 1


async def test_a_deleted_note_type_is_no_longer_built_ahead(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    notetype_id = await make(client, "Vocab")
    await export(client, notetype_id)
    assert (await client.delete(f"/api/notetypes/{notetype_id}")).status_code == 204
    prebuilder = prebuilder_of(app)
    assert await prebuilder.build(notetype_id) == 0
    assert shelf_of(app).wanted(notetype_id) == []


async def test_a_download_too_large_to_keep_streams_from_a_file_deleted_after_use(
    client: httpx.AsyncClient, app: FastAPI, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    notetype_id = await make(client, "Vocab")
    monkeypatch.setattr(shelf_module, "MAX_KEPT_BYTES", 10)
    first = await export(client, notetype_id)
    again = await export(client, notetype_id)
    assert [first.headers[SOURCE_HEADER], again.headers[SOURCE_HEADER]] == ["built", "built"]
    assert again.content == first.content and len(first.content) > 10
    download = build_download([workspace.get_notetype(notetype_id)], ExportFormat.folder, None)
    assert download.data is None and download.path is not None
    path = download.path
    assert path.is_file()
    del download
    gc.collect()
    assert not path.exists() and not path.parent.exists()


def test_interest_is_bounded_and_expires() -> None:
    now = [0.0]
    shelf = ExportShelf(max_entries=2, watch=10.0, clock=lambda: now[0])
    shelf.exported("a", ExportFormat.apkg)
    shelf.exported("b", ExportFormat.folder)
    shelf.exported("c", ExportFormat.apkg)  # full: the oldest goes
    assert shelf.wanted("a") == []
    assert shelf.wanted("c") == [ExportFormat.apkg]
    now[0] = 11.0
    assert shelf.wanted("b") == []
