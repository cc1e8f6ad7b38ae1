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
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

SRC = Path(__file__).resolve().parents[1] / "src"
TYPED = "The quick brown fox jumps over the lazy dog. "
SAMPLE = {"fields": {"Front": "What is the capital of France?", "Back": "Paris"}, "tags": ["geo"]}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _peak_rss_mb(pid: int) -> float:
    """The process's peak resident set (Linux VmHWM), in MB; 0 where /proc is missing."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc); 0 where missing."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_server(workspace: Path, port: int) -> tuple[subprocess.Popen[bytes], float]:
    """Start ``atd serve``; return the process and seconds from start to the first page."""
    env = dict(os.environ, PYTHONPATH=f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    env.pop("ATD_DATABASE_URL", None)
    command = [sys.executable, "-m", "anki_template_designer.cli.main", "serve", "--no-browser"]
    started = time.perf_counter()
    server = subprocess.Popen(
        [*command, "--port", str(port), "--workspace", str(workspace)],
        stdout=subprocess.DEVNULL,
        env=env,
    )
    deadline = started + 60
    while time.perf_counter() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=1).status_code == 200:
                return server, time.perf_counter() - started
        except httpx.TransportError:
            pass
        if server.poll() is not None:
            raise SystemExit(f"the server exited with code {server.returncode}")
        time.sleep(0.005)
    server.kill()
    raise SystemExit("the server did not answer within 60 s")


class RawConnection:
    """One keep-alive HTTP/1.1 connection speaking just what the benchmark needs.

    httpx costs about a millisecond of client CPU per request; 200 requests a second from
    one process would then load the client's event loop enough that its own queueing shows
    up as server latency. This sends the same requests at a fraction of the cost.
    """

    def __init__(self, port: int, origin: str) -> None:
        self._port = port
        self._origin = origin
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def request(self, method: str, path: str, body: Any) -> RawResponse:
        """Send one JSON request and read the whole response.

        A kept-alive connection the server closed while idle (uvicorn does after 5 s) fails
        before any answer; the request is then sent again on a new one, as browsers do.
        """
        payload = json.dumps(body, separators=(",", ":")).encode()
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{self._port}\r\n"
            f"Origin: {self._origin}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(payload)}\r\n\r\n"
        ).encode()
        reused = self._streams is not None
        try:
            return await self._exchange(head + payload)
        except (OSError, asyncio.IncompleteReadError) as error:
            self.close()
            answered = isinstance(error, asyncio.IncompleteReadError) and error.partial
            if not reused or answered:
                raise httpx.TransportError(f"{method} {path}: {error!r}") from error
        try:
            return await self._exchange(head + payload)
        except (OSError, asyncio.IncompleteReadError) as error:
            self.close()
            raise httpx.TransportError(f"{method} {path}: {error!r}") from error

    async def _exchange(self, request: bytes) -> RawResponse:
        if self._streams is None:
            self._streams = await asyncio.open_connection("127.0.0.1", self._port)
        reader, writer = self._streams
        writer.write(request)
        status_line, *header_lines = (
            (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        )
        headers = dict(line.lower().split(": ", 1) for line in header_lines if ": " in line)
        length = headers.get("content-length")
        if length is None:
            self.close()
            raise httpx.TransportError(f"no Content-Length in the answer: {status_line}")
        content = await reader.readexactly(int(length))
        if headers.get("connection") == "close":
            self.close()
        return RawResponse(int(status_line.split()[1]), content)

    def close(self) -> None:
        """Close the connection."""
        if self._streams is not None:
            self._streams[1].close()
            self._streams = None


class RawResponse:
    """A status and body, shaped like the parts of httpx.Response the editors read."""

    def __init__(self, status_code: int, content: bytes) -> None:
        self.status_code = status_code
        self.content = content

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.content)


class Recorder:
    """Latencies (ms) per route, and errors by route and status."""

    def __init__(self) -> None:
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.keystrokes = 0
        self.coalesced = 0
        self.elapsed = 0.0
        self.server_cpu = 0.0
        self.client_cpu = 0.0

    async def timed(self, route: str, call: Any, *args: Any, **kwargs: Any) -> Any:
        """Await ``call``; record its latency under ``route``, or the error."""
        started = time.perf_counter()
        try:
            response = await call(*args, **kwargs)
        except httpx.HTTPError as error:
            self.errors[f"{route} {type(error).__name__}"] += 1
            return None
        self.latencies[route].append((time.perf_counter() - started) * 1000)
        if response.status_code >= 400:
            self.errors[f"{route} {response.status_code}"] += 1
        return response


Send = Callable[[str, str, Any], Awaitable[Any]]
"""Send one JSON request (method, path, body); answer a response with status_code and json()."""


class Autosave:
    """The designer's autosave: a save ``debounce`` s after the last keystroke, one in flight.

    As ``frontend/src/app/autosave.ts``: each save sends the latest draft and expects the
    revision the previous save answered; edits made while a save is out go in the next one.
    """

    def __init__(self, send: Send, document: dict[str, Any], debounce: float, rec: Recorder):
        self._send = send
        self._url = f"/api/notetypes/{document['id']}"
        self._revision = document["revision"]
        self._debounce = debounce
        self._rec = rec
        self._draft: dict[str, Any] | None = None
        self._version = self._saved = 0
        self._timer: asyncio.TimerHandle | None = None
        self._in_flight: asyncio.Task[None] | None = None

    async def save_now(self, draft: dict[str, Any]) -> None:
        """Per-keystroke mode: save this draft at once."""
        self._draft = draft
        self._version += 1
        await self._save()

    def edited(self, draft: dict[str, Any]) -> None:
        """Debounced mode: remember the draft; save once typing pauses."""
        self._draft = draft
        self._version += 1
        self._schedule()

    def _schedule(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = asyncio.get_running_loop().call_later(self._debounce, self._start)

    def _start(self) -> None:
        if self._in_flight is None:
            self._in_flight = asyncio.ensure_future(self._save())

    async def _save(self) -> None:
        version, draft = self._version, self._draft
        body = {"expected_revision": self._revision, "notetype": draft, "samples": [SAMPLE]}
        route = "PUT /api/notetypes/{id}"
        saved = await self._rec.timed(route, self._send, "PUT", self._url, body)
        if saved is not None and saved.status_code == 200:
            self._revision = saved.json()["revision"]
            self._saved = version
        self._in_flight = None
        if self._debounce and self._saved != self._version:
            self._schedule()  # edited while the save was out

    async def flush(self) -> None:
        """Save what is unsaved (the user stops typing: the debounce would fire)."""
        if self._timer is not None:
            self._timer.cancel()
        if self._in_flight is not None:
            await self._in_flight
        if self._saved != self._version:
            await self._save()


async def editor(
    send_preview: Send,
    send_save: Send,
    document: dict[str, Any],
    args: argparse.Namespace,
    until: float,
    rec: Recorder,
) -> None:
    """Type into the front template at ``args.rate`` keystrokes/s until ``until``."""
    notetype = document["notetype"]
    autosave = Autosave(send_save, document, args.autosave_debounce / 1000, rec)
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


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def run(port: int, args: argparse.Namespace) -> Recorder:
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

        rec = Recorder()
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


def report(rec: Recorder, args: argparse.Namespace, cold_start: float, rss_mb: float) -> None:
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
            f"{statistics.median(values):>9.1f}{_percentile(values, 0.95):>9.1f}"
            f"{_percentile(values, 0.99):>9.1f}"
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
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="atd-serve-bench-") as tmp:
        server, cold_start = start_server(Path(tmp) / "workspace", port)
        try:
            cpu_before = _cpu_seconds(server.pid)
            rec = asyncio.run(run(port, args))
            rec.server_cpu = _cpu_seconds(server.pid) - cpu_before
            rss_mb = _peak_rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
    report(rec, args, cold_start, rss_mb)


if __name__ == "__main__":
    main()
