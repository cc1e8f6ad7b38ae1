"""Load on ``atd serve``: simulated editors typing, each keystroke previewed and autosaved.

Starts the server (``atd serve``) on a free loopback port with a new workspace, measures the
cold start (process start to the first page), creates one note type per editor, then runs N
editors for D seconds. Each editor types K keystrokes a second; every keystroke sends a
preview (``POST /api/preview``) and an autosave (``PUT /api/notetypes/{id}``) together: more
saves than the designer sends, which waits for a pause in typing (``--autosave-debounce 400
--pause 1`` models that). Prints p50/p95/p99 latency per route, request and error counts,
keystrokes that fell behind schedule, and the server's peak RSS (VmHWM). Never asserts.

    PYTHONPATH=src .venv/bin/python benchmarks/serve_bench.py [--editors 20] [--duration 60]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from serving import (
    Autosave,
    RawConnection,
    Recorder,
    Send,
    cpu_seconds,
    free_port,
    peak_rss_mb,
    percentile,
    start_server,
    stop_server,
)

TYPED = "The quick brown fox jumps over the lazy dog. "
SAMPLE = {"fields": {"Front": "What is the capital of France?", "Back": "Paris"}, "tags": ["geo"]}


class EditorRecorder(Recorder):
    """Latencies and errors per route, with the keystrokes typed and the time taken."""

    def __init__(self) -> None:
        super().__init__()
        self.keystrokes = 0
        self.coalesced = 0
        self.server_cpu = 0.0
        self.client_cpu = 0.0


async def editor(
    send_preview: Send,
    send_save: Send,
    document: dict[str, Any],
    args: argparse.Namespace,
    until: float,
    rec: EditorRecorder,
) -> None:
    """Type into the front template at ``args.rate`` keystrokes/s until ``until``."""
    notetype = document["notetype"]
    autosave = Autosave(send_save, document, args.autosave_debounce / 1000, rec, samples=[SAMPLE])
    front = notetype["card_types"][0]["front"]
    interval = 1 / args.rate
    # Independent typists: each starts at its own moment within the first interval, rather
    # than all twenty hitting a key at the same instant every interval (--lockstep).
    offset = 0.0 if args.lockstep else random.Random(document["id"]).uniform(0, interval)
    next_key = time.perf_counter() + offset
    typed = 0
    while next_key < until:
        delay = next_key - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        # Keystrokes typed while the last requests were out go into the next ones, as the
        # designer sends the latest text rather than queueing one request per key.
        missed = max(0, int(-delay / interval)) if delay < 0 else 0
        rec.keystrokes += 1 + missed
        rec.coalesced += missed
        for _ in range(1 + missed):
            front += TYPED[typed % len(TYPED)]
            typed += 1
        card = dict(notetype["card_types"][0], front=front)
        draft = dict(notetype, card_types=[card])
        preview_body = {"notetype": draft, "sample": SAMPLE, "platform": "desktop-linux"}
        preview = rec.timed("POST /api/preview", send_preview, "POST", "/api/preview", preview_body)
        if args.autosave_debounce:
            autosave.edited(draft)
            await preview
        else:
            await asyncio.gather(preview, autosave.save_now(draft))
        next_key += interval * (1 + missed)
        if args.pause and typed % len(TYPED) < 1 + missed:
            next_key += args.pause  # the end of a sentence: the typist stops to think
    await autosave.flush()


async def run(port: int, args: argparse.Namespace) -> EditorRecorder:
    """Create one note type per editor, then let every editor type for ``duration`` seconds."""
    base = f"http://127.0.0.1:{port}"
    editors = args.editors
    limits = httpx.Limits(max_connections=editors * 2, max_keepalive_connections=editors * 2)
    async with httpx.AsyncClient(
        base_url=base, headers={"Origin": base}, limits=limits, timeout=60
    ) as client:
        documents = []
        # A server given with --port may hold note types from an earlier run.
        tag = format(int(time.time() * 1000) % 1_000_000, "06d")
        for index in range(editors):
            name = f"Editor {index + 1} ({tag})"
            created = await client.post("/api/notetypes", json={"name": name})
            created.raise_for_status()
            documents.append(created.json())

        async def send_httpx(method: str, path: str, body: Any) -> httpx.Response:
            return await client.request(method, path, json=body)

        rec = EditorRecorder()
        raw: list[RawConnection] = []
        senders: list[tuple[Send, Send]] = []
        for _ in documents:
            if args.client == "httpx":
                senders.append((send_httpx, send_httpx))
            else:
                # Two connections per editor, as a browser would use for two requests at once.
                pair = (RawConnection(port, base), RawConnection(port, base))
                raw.extend(pair)
                senders.append((pair[0].request, pair[1].request))
        started = time.perf_counter()
        until = started + args.duration
        try:
            await asyncio.gather(
                *(
                    editor(preview, save, document, args, until, rec)
                    for (preview, save), document in zip(senders, documents, strict=True)
                )
            )
        finally:
            for connection in raw:
                connection.close()
        rec.elapsed = time.perf_counter() - started
        rec.client_cpu = time.process_time()
        return rec


def report(rec: EditorRecorder, args: argparse.Namespace, cold_start: float, rss_mb: float) -> None:
    """Print the figures."""
    print(
        f"serve_bench: {args.editors} editors x {args.rate:g} keystrokes/s for "
        f"{args.duration:g} s on 127.0.0.1 (client and server share this machine's "
        f"{os.cpu_count()} cores)"
    )
    saving = (
        f"{args.autosave_debounce:g} ms after the last keystroke"
        if args.autosave_debounce
        else "with every keystroke"
    )
    pause = f", a {args.pause:g} s pause after each sentence" if args.pause else ""
    timing = "all in lockstep" if args.lockstep else "each editor on its own beat"
    print(f"each keystroke previewed; autosave {saving}{pause}; {timing}")
    print(f"cold start to first page: {cold_start * 1000:.0f} ms")
    print(f"{'route':<26}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for route, values in sorted(rec.latencies.items()):
        print(
            f"{route:<26}{len(values):>9}{len(values) / rec.elapsed:>8.1f}"
            f"{statistics.median(values):>9.1f}{percentile(values, 0.95):>9.1f}"
            f"{percentile(values, 0.99):>9.1f}"
        )
    errors = sum(rec.errors.values())
    detail = ", ".join(f"{k}: {v}" for k, v in sorted(rec.errors.items()))
    print(f"errors: {errors}" + (f" ({detail})" if detail else ""))
    print(
        f"keystrokes: {rec.keystrokes} in {rec.elapsed:.1f} s; {rec.coalesced} typed while "
        "the previous requests were still out (sent with the next keystroke)"
    )
    print(f"server peak RSS: {rss_mb:.0f} MB")
    if rec.server_cpu:
        busy = rec.server_cpu / rec.elapsed * 100
        print(
            f"server CPU: {rec.server_cpu:.1f} s over {rec.elapsed:.1f} s ({busy:.0f}% of a core)"
        )
    print(f"client ({args.client}) CPU: {rec.client_cpu:.1f} s, setup included")
    load = os.getloadavg()
    print(f"machine load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


def main() -> None:
    """Parse options, start the server, run the editors, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--editors", type=int, default=20, help="concurrent editors")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of typing")
    parser.add_argument("--rate", type=float, default=5.0, help="keystrokes per second each")
    parser.add_argument(
        "--port", type=int, default=None, help="use a server already running on this port"
    )
    parser.add_argument(
        "--client",
        choices=("raw", "httpx"),
        default="raw",
        help="raw: minimal keep-alive HTTP/1.1 (little client CPU); httpx: the httpx client",
    )
    parser.add_argument(
        "--autosave-debounce",
        type=float,
        default=0,
        metavar="MS",
        help="save MS ms after the last keystroke, one save in flight, as the designer does "
        "(0: save with every keystroke, the default and the harder load)",
    )
    parser.add_argument(
        "--lockstep",
        action="store_true",
        help="all editors type at the same instants (bursts of requests) instead of each "
        "starting at its own moment",
    )
    parser.add_argument(
        "--pause",
        type=float,
        default=0,
        metavar="S",
        help="seconds each editor pauses after every sentence typed (lets a debounce fire)",
    )
    args = parser.parse_args()
    if args.port is not None:
        rec = asyncio.run(run(args.port, args))
        report(rec, args, float("nan"), 0.0)
        return
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="atd-serve-bench-") as tmp:
        server, cold_start = start_server(Path(tmp) / "workspace", port)
        try:
            cpu_before = cpu_seconds(server.pid)
            rec = asyncio.run(run(port, args))
            rec.server_cpu = cpu_seconds(server.pid) - cpu_before
            rss_mb = peak_rss_mb(server.pid)
        finally:
            stop_server(server)
    report(rec, args, cold_start, rss_mb)


if __name__ == "__main__":
    main()
