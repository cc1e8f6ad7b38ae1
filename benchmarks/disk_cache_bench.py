"""What the disk cache saves, artifact by artifact: profiles, gallery thumbnails, imports.

- ``profiles``: the Performance page's workspace scan (``GET /api/perf/templates``) over
  ``corpus.py``'s 22 note types with their samples, through the app in process: the first
  scan (every profile measured), a rescan (every profile from the disk cache) and one in a
  restarted app over the same workspace (the cache file survives); then one stored note
  type's ``POST /api/perf/profile/notetypes/{id}`` measured against from the cache.
- ``thumbnails``: each starter's thumbnail page rendered (the first in this process, then
  warm) against what a disk-cache hit would cost (its key's hash plus the SQLite read),
  to show whether caching them on disk would pay.
- ``full cache``: a write into a full cache of 30,000 rows (each evicts the least recently
  used) against one into an empty cache: eviction reads a few rows by the ``used`` index and
  the totals from one row, so the ratio stays near 1 however many rows the file holds.
- ``imports``: the 22 note types exported as one ``.apkg`` and read back (``read_upload``,
  what an import does before writing), against a disk-cache hit of the note types and
  samples as JSON (media would still have to come from the package).

Prints milliseconds (median of ``--repeat`` runs where it repeats) and the ratios.
Never asserts; compare figures within one run.

    PYTHONPATH=src:benchmarks .venv/bin/python benchmarks/disk_cache_bench.py [--repeat N]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from anki_template_designer.core.platforms import Platform
from anki_template_designer.perf.cache import content_key
from anki_template_designer.perf.disk_cache import DiskCache
from anki_template_designer.server import Settings, create_app
from anki_template_designer.server.routes_gallery import starter_thumbnail
from anki_template_designer.server.schemas import NoteTypeDoc, SampleDoc
from anki_template_designer.services.gallery import starters
from anki_template_designer.services.transfer import read_upload
from anki_template_designer.store import Workspace
from cache_bench import BASE_URL, HEADERS, notetype_doc
from corpus import by_name


def median_ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


async def timed(http: httpx.AsyncClient, method: str, url: str) -> tuple[float, Any]:
    started = time.perf_counter()
    response = await http.request(method, url)
    elapsed = (time.perf_counter() - started) * 1000
    response.raise_for_status()
    return elapsed, response.json()


async def profiles(folder: Path, repeat: int) -> None:
    settings = Settings(port=8730, author="bench")
    with Workspace.open(folder / "workspace") as workspace:
        app = create_app(workspace, settings)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url=BASE_URL, headers=HEADERS
        ) as http:
            first_id = ""
            for corpus_type in by_name(None):
                created = await http.post("/api/notetypes", json={"name": corpus_type.name})
                doc = created.json()
                first_id = first_id or doc["id"]
                samples = [
                    {"fields": fields, "tags": tags} for fields, tags in corpus_type.notes(5)
                ]
                saved = await http.put(
                    f"/api/notetypes/{doc['id']}",
                    json={
                        "expected_revision": doc["revision"],
                        "notetype": notetype_doc(corpus_type),
                        "samples": samples,
                    },
                )
                saved.raise_for_status()
            cold, scan = await timed(http, "GET", "/api/perf/templates")
            warm, again = await timed(http, "GET", "/api/perf/templates")
            one = f"/api/perf/profile/notetypes/{first_id}"
            measured = [(await timed(http, "POST", one + "?fresh=true"))[0] for _ in range(repeat)]
            cached = [(await timed(http, "POST", one))[0] for _ in range(repeat)]
        restarted = create_app(workspace, settings)
        transport = httpx.ASGITransport(app=restarted)
        async with httpx.AsyncClient(
            transport=transport, base_url=BASE_URL, headers=HEADERS
        ) as http:
            after, later = await timed(http, "GET", "/api/perf/templates")
    print(f"profiles: workspace scan of {scan['scanned']} note types (5 samples each)")
    print(f"  first scan (measured)      {cold:8.1f} ms   from cache: {scan['cached']}")
    print(f"  rescan                     {warm:8.1f} ms   from cache: {again['cached']}")
    print(f"  after a restart            {after:8.1f} ms   from cache: {later['cached']}")
    print(f"  speed-up                   {cold / warm:8.1f}x  (after restart {cold / after:.1f}x)")
    m, c = statistics.median(measured), statistics.median(cached)
    print(f"  one note type, repeat=5: measured {m:.1f} ms, cached {c:.1f} ms ({m / c:.1f}x)")


def thumbnails(folder: Path, repeat: int) -> None:
    ids = [entry.id for entry in starters()]
    page = Platform.DESKTOP_LINUX
    first = {}
    for starter_id in ids:
        started = time.perf_counter()
        starter_thumbnail(starter_id, page, False)
        first[starter_id] = (time.perf_counter() - started) * 1000
    disk = DiskCache(folder / "thumbs.sqlite3")
    for starter_id in ids:
        html = bytes(starter_thumbnail(starter_id, page, False).body).decode()
        disk.put(content_key("thumb", starter_id, False), html)
    print("thumbnails: render (first in process, warm) against a disk-cache hit (key + read)")
    renders, hits = [], []
    for starter_id in ids:
        warm = median_ms(lambda s=starter_id: starter_thumbnail(s, page, False), repeat)  # type: ignore[misc]
        hit = median_ms(
            lambda s=starter_id: disk.get(content_key("thumb", s, False)),  # type: ignore[misc]
            repeat,
        )
        renders.append(warm)
        hits.append(hit)
        print(
            f"  {starter_id:24} first {first[starter_id]:6.3f}  warm {warm:6.3f}  hit {hit:6.3f} ms"
        )
    print(
        f"  median: warm render {statistics.median(renders):.3f} ms, "
        f"disk hit {statistics.median(hits):.3f} ms"
    )


def imports(folder: Path, repeat: int) -> None:
    from anki_template_designer.formats.apkg import write_package
    from anki_template_designer.formats.bundle import NoteTypeBundle

    bundles = []
    for corpus_type in by_name(None):
        notetype = NoteTypeDoc.model_validate(notetype_doc(corpus_type)).to_model()
        notes = tuple(
            SampleDoc(fields=fields, tags=tags).to_model() for fields, tags in corpus_type.notes(20)
        )
        bundles.append(NoteTypeBundle(notetype, notes))
    package = folder / "corpus.apkg"
    write_package(bundles, package)
    read = median_ms(lambda: read_upload(package), repeat)
    extract = [
        {
            "notetype": NoteTypeDoc.of(b.notetype).model_dump(mode="json"),
            "samples": [SampleDoc.of(n).model_dump(mode="json") for n in b.samples],
        }
        for b in read_upload(package)
    ]
    disk = DiskCache(folder / "imports.sqlite3")
    disk.put("import", extract)

    def hit() -> None:
        found = disk.get("import")
        [NoteTypeDoc.model_validate(e["notetype"]).to_model() for e in found]

    cached = median_ms(hit, repeat)
    size = package.stat().st_size // 1024
    print(f"imports: {len(bundles)} note types x 20 notes as one .apkg ({size} KiB, no media)")
    print(f"  read_upload {read:.1f} ms; disk-cache hit of the extract {cached:.1f} ms")


def full_cache(folder: Path, rows: int = 30_000) -> None:
    """A write into an empty cache against one into a full cache of ``rows`` lint results."""
    value = {"diagnostics": [{"rule": "contrast", "line": 3, "message": "x" * 1500}]}
    cache = DiskCache(folder / "full.sqlite3", max_entries=rows)
    counter = iter(range(10**9))

    def write() -> None:
        cache.put(f"k{next(counter)}", value)

    empty = median_ms(write, 200)
    while cache.stats().entries < rows:
        write()
    full = median_ms(write, 200)
    print(f"full cache: a write into an empty cache {empty:.3f} ms, into a full one of {rows:,}")
    print(f"  rows (evicting the least recently used) {full:.3f} ms; ratio {full / empty:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="runs per median")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="atd-disk-bench-") as scratch:
        folder = Path(scratch)
        full_cache(folder)
        thumbnails(folder, args.repeat)
        imports(folder, max(3, args.repeat // 4))
        asyncio.run(profiles(folder, max(3, args.repeat // 4)))


if __name__ == "__main__":
    main()
