"""The "All cards" preview: one POST /api/preview/grid against one /api/preview/pages per card.

For note types of ``corpus.py`` with several cards per note, through the app in process (JSON
in and out, validation, the work manager): each round gives the note a new sample text, so
every card misses the caches, and asks for every card on all six platforms, once as one grid
request and once as the requests the single-card preview would make for the same cards (one
per card). Requests alternate which goes first. Prints the median per round of each and the
ratio (pages / grid; > 1: one pass is faster).
Never asserts; compare figures within one run.

    PYTHONPATH=src:benchmarks .venv/bin/python benchmarks/grid_bench.py [--rounds N]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from anki_template_designer.core import from_schema11
from anki_template_designer.core.platforms import Platform
from anki_template_designer.server import Settings, create_app
from anki_template_designer.server.schemas import NoteTypeDoc
from anki_template_designer.store import Workspace
from corpus import by_name

BASE_URL = "http://127.0.0.1:8730"
PLATFORMS = [platform.value for platform in Platform]
TYPES = ("Basic (and reversed card)", "AnKingOverhaul", "Image Occlusion", "Cloze (many per note)")


def draft(schema11: dict[str, Any]) -> dict[str, Any]:
    """The API's note type document for a corpus note type (schema 11)."""
    return NoteTypeDoc.of(from_schema11(schema11)).model_dump(mode="json")


async def one_round(
    client: httpx.AsyncClient, notetype: dict[str, Any], sample: dict[str, Any], grid_first: bool
) -> tuple[float, float, int]:
    """(grid ms, pages ms, cards) for one sample, each on a fresh variant of it."""

    async def grid(variant: dict[str, Any]) -> tuple[float, list[int]]:
        body = {"notetype": notetype, "sample": variant, "platforms": PLATFORMS}
        started = time.perf_counter()
        response = await client.post("/api/preview/grid", json=body)
        response.raise_for_status()
        ords = [card["card_ord"] for card in response.json()["cards"]]
        return (time.perf_counter() - started) * 1000, ords

    async def pages(variant: dict[str, Any], ords: list[int]) -> float:
        started = time.perf_counter()
        for card_ord in ords:
            body = {"notetype": notetype, "sample": variant, "platforms": PLATFORMS}
            response = await client.post("/api/preview/pages", json={**body, "card_ord": card_ord})
            response.raise_for_status()
        return (time.perf_counter() - started) * 1000

    def variant(mark: str) -> dict[str, Any]:
        fields = {name: f"{value} {mark}" for name, value in sample["fields"].items()}
        return {"fields": fields, "tags": sample.get("tags", [])}

    mark = f"{random.random():.12f}"
    if grid_first:
        grid_ms, ords = await grid(variant("g" + mark))
        pages_ms = await pages(variant("p" + mark), ords)
    else:
        _, ords = await grid(variant("o" + mark))  # which cards the sample makes
        pages_ms = await pages(variant("p" + mark), ords)
        grid_ms, ords = await grid(variant("g" + mark))
    return grid_ms, pages_ms, len(ords)


async def run(rounds: int) -> None:
    with (
        tempfile.TemporaryDirectory(prefix="atd-grid-bench-") as folder,
        Workspace.open(Path(folder) / "workspace") as workspace,
    ):
        app = create_app(workspace, Settings(port=8730, author="bench"))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url=BASE_URL, headers={"Origin": BASE_URL}
        ) as client:
            print(f"{'note type':<28}{'cards':>6}{'grid ms':>10}{'pages ms':>10}{'ratio':>8}")
            for corpus_type in by_name(list(TYPES)):
                notetype = draft(corpus_type.schema11())
                fields, tags = corpus_type.make_note(random.Random(7), 0)
                sample = {"fields": dict(fields), "tags": list(tags)}
                figures = [
                    await one_round(client, notetype, sample, index % 2 == 0)
                    for index in range(rounds)
                ]
                grid_ms = statistics.median(f[0] for f in figures)
                pages_ms = statistics.median(f[1] for f in figures)
                print(
                    f"{corpus_type.name:<28}{figures[-1][2]:>6}{grid_ms:>10.1f}"
                    f"{pages_ms:>10.1f}{pages_ms / grid_ms:>8.2f}"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10, help="rounds per note type")
    args = parser.parse_args()
    print(f"all cards x {len(PLATFORMS)} platforms, new sample text every round (caches miss)")
    asyncio.run(run(args.rounds))


if __name__ == "__main__":
    main()
