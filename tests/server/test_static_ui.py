"""The designer page, its hashed assets, and the offline API docs page."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from anki_template_designer.server.static_ui import install_static_ui

pytestmark = pytest.mark.anyio


async def test_index_names_assets_that_are_served_with_long_caching(
    client: httpx.AsyncClient,
) -> None:
    index = await client.get("/")
    assert index.status_code == 200
    assert index.headers["cache-control"] == "no-cache"
    scripts = re.findall(r'src="(/assets/[^"]+\.js)"', index.text)
    assert scripts, "the built page loads its bundle from /assets"
    for script in scripts:
        asset = await client.get(script)
        assert asset.status_code == 200
        assert "immutable" in asset.headers["cache-control"]
    assert (await client.get("/assets/not-there.js")).status_code == 404


async def test_docs_page_uses_packaged_swagger_not_a_cdn(client: httpx.AsyncClient) -> None:
    docs = await client.get("/docs")
    assert docs.status_code == 200
    assert "/swagger/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()
    bundle = await client.get("/swagger/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and len(bundle.content) > 100_000
    assert (await client.get("/redoc")).status_code == 404


async def test_unbuilt_ui_explains_how_to_build_it(tmp_path: Path) -> None:
    app = FastAPI(docs_url=None, redoc_url=None)
    install_static_ui(app, tmp_path / "static")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as http:
        page = await http.get("/")
    assert page.status_code == 503
    assert "scripts/build-frontend" in page.text
