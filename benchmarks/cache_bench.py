"""Preview and lint time with the caches warm against the caches off; prints the ratio.

Two servers over new workspaces in this process, one made with caches on and one with
``cache_enabled=False`` (what ``ATD_CACHE=off`` / ``atd serve --no-cache`` make). For each of
``corpus.py``'s 22 note types it builds the requests a preview grid makes while a user looks
around (both card types, one platform and all six, light and night), then times:

- ``repeat``: the same requests again (switching platform, mode or card back and forth):
  the caches are warm, every page is a hit;
- ``css edit``: each request with a different stylesheet (typing in the CSS editor): the
  rendered card still hits, every page misses;
- ``template edit``: each request with a different front template (typing in a template):
  everything misses, so this shows what keys and bookkeeping cost;
- ``lint``: the same drafts linted again (the disk cache).

Requests alternate between the two servers (which goes first alternates too), so a busy
machine slows both alike. Each scenario is timed two ways: ``build_pages`` called directly
(the preview work alone), and ``POST /api/preview/pages`` through the app in process (JSON
in and out, validation, the work manager). Prints the mean and p50 per request for each
server and the ratio off/on.
Never asserts; compare figures within one run.

    PYTHONPATH=src:benchmarks .venv/bin/python benchmarks/cache_bench.py [--passes N] [--types A,B]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import tempfile
import time
import zlib
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from anki_template_designer.core.platforms import Platform
from anki_template_designer.core.template.parser import set_parse_cache
from anki_template_designer.perf.parse_cache import ParseCache
from anki_template_designer.server import Settings, create_app
from anki_template_designer.server.preview_cache import current_preview_caches
from anki_template_designer.server.preview_pages import PagesRequest, build_pages
from anki_template_designer.server.routes_preview import _draft
from anki_template_designer.store import Workspace
from corpus import CorpusType, by_name

ALL_PLATFORMS = [platform.value for platform in Platform]
BASE_URL = "http://127.0.0.1:8730"
Timings = tuple[list[float], list[float]]  # (caches on, caches off)
HEADERS = {"Origin": BASE_URL}


def notetype_doc(corpus_type: CorpusType) -> dict[str, Any]:
    """The corpus type as the API's note type document."""
    return {
        "name": corpus_type.name,
        "kind": "cloze" if corpus_type.cloze else "standard",
        "fields": [{"name": name} for name in corpus_type.fields],
        "card_types": [
            {"name": name, "front": front, "back": back}
            for name, front, back in corpus_type.templates
        ],
        "css": corpus_type.css,
    }


def grid_requests(corpus_type: CorpusType) -> list[dict[str, Any]]:
    """What a preview grid asks for one note type while a user looks around."""
    fields, tags = corpus_type.notes(1)[0]
    sample = {"fields": fields, "tags": tags}
    notetype = notetype_doc(corpus_type)
    ords = [0] if corpus_type.cloze else list(range(min(2, len(corpus_type.templates))))
    return [
        {
            "notetype": notetype,
            "sample": sample,
            "card_ord": card_ord,
            "platforms": platforms,
            "night_mode": night,
            "notetype_id": f"bench{zlib.crc32(corpus_type.name.encode())}",
        }
        for card_ord in ords
        for platforms in (["desktop-linux"], ALL_PLATFORMS)
        for night in (False, True)
    ]


def css_edited(request: dict[str, Any], step: int) -> dict[str, Any]:
    notetype = dict(request["notetype"], css=request["notetype"]["css"] + f"\n/* {step} */")
    return dict(request, notetype=notetype)


def template_edited(request: dict[str, Any], step: int) -> dict[str, Any]:
    card_types = [dict(ct) for ct in request["notetype"]["card_types"]]
    card_types[0]["front"] += f"<!-- {step} -->"
    return dict(request, notetype=dict(request["notetype"], card_types=card_types))


@contextmanager
def server(folder: Path, enabled: bool) -> Iterator[FastAPI]:
    settings = Settings(port=8730, author="bench", cache_enabled=enabled)
    with Workspace.open(folder) as workspace:
        yield create_app(workspace, settings)


def direct(request: dict[str, Any]) -> None:
    """The preview work alone: the draft converted, the card rendered, the pages built."""
    body = PagesRequest.model_validate(request)
    notetype, note = _draft(body.notetype, body.sample)
    build_pages(notetype, note, body)


def time_direct(apps: tuple[FastAPI, FastAPI], requests: list[dict[str, Any]]) -> Timings:
    """Each request on each app in turn (alternating which goes first), timed."""
    timings: Timings = ([], [])
    for index, request in enumerate(requests):
        for side in (0, 1) if index % 2 == 0 else (1, 0):
            app = apps[side]
            # The parse seam is process-wide: give it this app's parse cache for the call.
            set_parse_cache(ParseCache(app.state.parse_cache))
            token = current_preview_caches.set(app.state.preview_caches)
            try:
                started = time.perf_counter()
                direct(request)
                timings[side].append(time.perf_counter() - started)
            finally:
                current_preview_caches.reset(token)
    return timings


async def time_http(
    clients: tuple[tuple[FastAPI, httpx.AsyncClient], ...], route: str, requests: list[Any]
) -> Timings:
    """Each request to each app in turn (alternating which goes first), timed."""
    timings: Timings = ([], [])
    for index, request in enumerate(requests):
        for side in (0, 1) if index % 2 == 0 else (1, 0):
            app, http = clients[side]
            set_parse_cache(ParseCache(app.state.parse_cache))
            started = time.perf_counter()
            response = await http.post(route, json=request)
            timings[side].append(time.perf_counter() - started)
            if response.status_code != 200:
                raise SystemExit(f"{route} answered {response.status_code}: {response.text}")
    return timings


def scenarios(types: list[CorpusType], passes: int) -> dict[str, tuple[list[Any], list[Any]]]:
    """Per scenario: (warm-up requests, timed requests)."""
    grid = [request for t in types for request in grid_requests(t)]
    steps = range(passes * len(grid))
    return {
        "repeat": (grid, grid * passes),
        "css edit": (grid, [css_edited(grid[i % len(grid)], i) for i in steps]),
        "template edit": (grid, [template_edited(grid[i % len(grid)], i) for i in steps]),
    }


def describe(seconds: list[float]) -> tuple[float, float]:
    return statistics.fmean(seconds) * 1000, statistics.median(seconds) * 1000


async def run(types: list[CorpusType], passes: int) -> None:
    scratch = Path(tempfile.mkdtemp(prefix="atd-cache-bench-"))
    with server(scratch / "on", True) as on, server(scratch / "off", False) as off:
        apps = (on, off)
        plans = scenarios(types, passes)
        lint = [{"notetype": notetype_doc(t)} for t in types]
        rows: list[tuple[str, Timings]] = []
        for name, (warm, timed) in plans.items():
            time_direct(apps, warm)
            rows.append((f"{name} (build_pages)", time_direct(apps, timed)))
        async with client(on) as on_http, client(off) as off_http:
            clients = ((on, on_http), (off, off_http))
            for name, (warm, timed) in plans.items():
                await time_http(clients, "/api/preview/pages", warm)
                rows.append(
                    (f"{name} (HTTP)", await time_http(clients, "/api/preview/pages", timed))
                )
            await time_http(clients, "/api/lint", lint)
            rows.append(
                ("lint repeat (HTTP)", await time_http(clients, "/api/lint", lint * passes))
            )
        print(f"{len(types)} note types; ms per request: mean / p50; ratio = off / on (mean)")
        print(f"{'scenario':<28}{'caches on':>17}{'caches off':>17}{'ratio':>8}")
        for label, (cached, uncached) in rows:
            on_mean, on_p50 = describe(cached)
            off_mean, off_p50 = describe(uncached)
            print(
                f"{label:<28}{on_mean:>9.3f} /{on_p50:>6.3f}{off_mean:>10.3f} /{off_p50:>6.3f}"
                f"{off_mean / on_mean:>7.1f}x"
            )
        print()
        for cache in on.state.caches:
            stats, health = cache.stats(), cache.health()
            print(
                f"{stats.name:<18} entries {stats.entries:>5}  bytes {stats.bytes:>9}  "
                f"hit ratio {stats.hit_ratio:6.1%}  evictions {stats.evictions:>5}  "
                f"{health.status}"
            )
    set_parse_cache(None)
    shutil.rmtree(scratch, ignore_errors=True)


@asynccontextmanager
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL, headers=HEADERS) as http:
        yield http


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=3, help="timed passes over the requests")
    parser.add_argument("--types", help="comma-separated corpus type names (default: all)")
    args = parser.parse_args()
    types = by_name(args.types.split(",") if args.types else None)
    asyncio.run(run(types, args.passes))


if __name__ == "__main__":
    main()
