"""Guards: own host names only, same-origin writes only, problem+json for every refusal."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from anki_template_designer.server import Settings, create_app
from anki_template_designer.store import Workspace

from .conftest import BASE_URL
from .helpers import problem

pytestmark = pytest.mark.anyio

CREATE = {"name": "Basic"}


async def test_write_without_origin_is_403(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/notetypes", json=CREATE, headers={"Origin": ""})
    body = problem(response, 403)
    assert "Origin" in body["detail"] and BASE_URL in body["detail"]
    assert (await client.get("/api/notetypes")).json() == []


@pytest.mark.parametrize(
    "origin", ["http://evil.example", "http://127.0.0.1:9999", "https://127.0.0.1:8730", "null"]
)
async def test_write_from_another_origin_is_403(client: httpx.AsyncClient, origin: str) -> None:
    for response in (
        await client.post("/api/notetypes", json=CREATE, headers={"Origin": origin}),
        await client.delete("/api/notetypes/Basic", headers={"Origin": origin}),
        await client.post("/api/import?filename=a.apkg", content=b"", headers={"Origin": origin}),
    ):
        problem(response, 403)
    assert (await client.get("/api/notetypes")).json() == []


async def test_opaque_origin_is_refused_even_with_the_designers_referer(
    client: httpx.AsyncClient,
) -> None:
    # A sandboxed preview frame sends "Origin: null" and the designer page as its Referer.
    headers = {"Origin": "null", "Referer": f"{BASE_URL}/"}
    body = problem(await client.post("/api/notetypes", json=CREATE, headers=headers), 403)
    assert "opaque origin" in body["detail"]
    assert (await client.get("/api/notetypes")).json() == []


async def test_referer_stands_in_for_a_missing_origin(client: httpx.AsyncClient) -> None:
    headers = {"Origin": "", "Referer": f"{BASE_URL}/editor?x=1"}
    assert (await client.post("/api/notetypes", json=CREATE, headers=headers)).status_code == 201
    foreign = {"Origin": "", "Referer": "http://evil.example/page"}
    problem(await client.post("/api/notetypes", json={"name": "X"}, headers=foreign), 403)


async def test_reads_need_no_origin(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/notetypes", headers={"Origin": "http://evil.example"})
    assert response.status_code == 200


async def test_foreign_host_is_403(client: httpx.AsyncClient) -> None:
    # A DNS-rebinding page: its own origin and Host agree, but the host is not ours.
    rebound = {"Host": "evil.example:8730", "Origin": "http://evil.example:8730"}
    body = problem(await client.get("/api/notetypes", headers=rebound), 403)
    assert "ATD_ALLOWED_HOSTS" in body["detail"]
    problem(await client.post("/api/notetypes", json=CREATE, headers=rebound), 403)


async def test_localhost_names_are_accepted(app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=app)
    for base in ("http://localhost:8730", "http://[::1]:8730"):
        async with httpx.AsyncClient(transport=transport, base_url=base) as http:
            response = await http.post(
                "/api/notetypes", json={"name": base}, headers={"Origin": base}
            )
            assert response.status_code == 201, response.text


async def test_allowed_hosts_setting(workspace: Workspace) -> None:
    settings = Settings(allowed_hosts=frozenset({"designer.lan"}))
    transport = httpx.ASGITransport(app=create_app(workspace, settings))
    base = "http://designer.lan:8730"
    async with httpx.AsyncClient(transport=transport, base_url=base) as http:
        assert (await http.get("/api/notetypes")).status_code == 200


async def test_unknown_route_and_method_are_problems(client: httpx.AsyncClient) -> None:
    problem(await client.get("/api/nothing-here"), 404)
    problem(await client.patch("/api/notetypes"), 405)


async def test_index_and_openapi(client: httpx.AsyncClient) -> None:
    index = await client.get("/")
    assert index.status_code == 200 and '<div id="app">' in index.text
    schema = (await client.get("/openapi.json")).json()
    paths = set(schema["paths"])
    assert {
        "/api/notetypes",
        "/api/notetypes/{notetype_id}",
        "/api/notetypes/{notetype_id}/revisions",
        "/api/revisions/{revision_id}/diff",
        "/api/preview",
        "/api/check",
        "/api/import",
        "/api/notetypes/{notetype_id}/export",
    } <= paths
    upload = schema["paths"]["/api/import"]["post"]["requestBody"]["content"]
    assert "application/octet-stream" in upload
    info = (await client.get("/api/info")).json()
    assert info["max_upload_bytes"] == 64 * 1024 and info["workspace"].startswith("sqlite")


async def test_unexpected_failure_is_a_500_problem(workspace: Workspace, app: FastAPI) -> None:
    with workspace.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE revisions")
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        response = await http.get("/api/revisions/1")
    body = problem(response, 500)
    assert "GET /api/revisions/1" in body["detail"] and "revisions" not in body["title"]
