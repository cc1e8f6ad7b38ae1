"""What the load benchmarks share: start ``atd serve``, talk to it cheaply, record latencies.

``start_server`` runs the real server (uvicorn) as a child process on a loopback port;
``RawConnection`` and ``ConnectionPool`` are a minimal keep-alive HTTP/1.1 client;
``Recorder`` keeps latencies and failures per operation; ``Autosave`` sends saves as the
designer's autosave does. ``peak_rss_mb`` and ``cpu_seconds`` read a process from /proc.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import httpx

SRC = Path(__file__).resolve().parents[1] / "src"
EDIT_ROUTE = "PUT /api/notetypes/{id}"
_BODILESS = frozenset({204, 304})


def free_port() -> int:
    """A loopback TCP port nobody listens on (now)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set (Linux VmHWM), in MB; 0 where /proc is missing."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc); 0 where missing."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: Sequence[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def serve_command(*extra: str) -> list[str]:
    """The command line of ``atd serve`` run by this interpreter (with ``extra`` options)."""
    return [sys.executable, "-m", "anki_template_designer.cli.main", "serve", *extra]


def server_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment for the server: the source tree first, no database URL."""
    env = dict(os.environ, PYTHONPATH=f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    env.pop("ATD_DATABASE_URL", None)  # the workspace folder given must be the one served
    env.update(extra or {})
    return env


def start_server(
    workspace: Path,
    port: int,
    *,
    extra_args: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
    stderr: IO[bytes] | None = None,
) -> tuple[subprocess.Popen[bytes], float]:
    """Start ``atd serve``; return the process and seconds from start to the first page.

    ``env`` adds to (or overrides) this process's environment for the server; its log goes
    to ``stderr`` (default: this process's).
    """
    command = serve_command("--no-browser", *extra_args)
    started = time.perf_counter()
    server = subprocess.Popen(
        [*command, "--port", str(port), "--workspace", str(workspace)],
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        env=server_env(env),
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


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """Ask the server to stop; kill it if it has not within 30 s."""
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


class RawResponse:
    """A status, headers (lower-case names) and body, shaped like the parts of httpx.Response."""

    def __init__(
        self, status_code: int, content: bytes, headers: Mapping[str, str] | None = None
    ) -> None:
        self.status_code = status_code
        self.content = content
        self.headers = dict(headers or {})

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.content)


class RawConnection:
    """One keep-alive HTTP/1.1 connection speaking just what the benchmarks need.

    httpx costs about a millisecond of client CPU per request; 200 requests a second from
    one process would then load the client's event loop enough that its own queueing shows
    up as server latency. This sends the same requests at a fraction of the cost.
    """

    def __init__(self, port: int, origin: str) -> None:
        self._port = port
        self._origin = origin
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> RawResponse:
        """Send one request (``body`` as JSON unless None) and read the whole response.

        A kept-alive connection the server closed while idle (uvicorn does after 5 s) fails
        before any answer; the request is then sent again on a new one, as browsers do.
        """
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: 127.0.0.1:{self._port}",
            f"Origin: {self._origin}",
            *(f"{name}: {value}" for name, value in (headers or {}).items()),
        ]
        payload = b""
        if body is not None:
            payload = json.dumps(body, separators=(",", ":")).encode()
            lines += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
        message = ("\r\n".join(lines) + "\r\n\r\n").encode() + payload
        reused = self._streams is not None
        try:
            return await self._exchange(message, method)
        except (OSError, asyncio.IncompleteReadError) as error:
            self.close()
            answered = isinstance(error, asyncio.IncompleteReadError) and error.partial
            if not reused or answered:
                raise httpx.TransportError(f"{method} {path}: {error!r}") from error
        try:
            return await self._exchange(message, method)
        except (OSError, asyncio.IncompleteReadError) as error:
            self.close()
            raise httpx.TransportError(f"{method} {path}: {error!r}") from error

    async def _exchange(self, message: bytes, method: str) -> RawResponse:
        if self._streams is None:
            self._streams = await asyncio.open_connection("127.0.0.1", self._port)
        reader, writer = self._streams
        writer.write(message)
        status_line, *header_lines = (
            (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        )
        headers: dict[str, str] = {}
        for line in header_lines:
            if ": " in line:
                name, value = line.split(": ", 1)
                headers[name.lower()] = value
        status = int(status_line.split()[1])
        if status in _BODILESS or method == "HEAD":
            content = b""
        elif "content-length" in headers:
            content = await reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding") == "chunked":
            content = await _read_chunks(reader)
        else:
            self.close()
            raise httpx.TransportError(f"no length in the answer: {status_line}")
        if headers.get("connection") == "close":
            self.close()
        return RawResponse(status, content, headers)

    def close(self) -> None:
        """Close the connection."""
        if self._streams is not None:
            self._streams[1].close()
            self._streams = None


async def _read_chunks(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        if size == 0:
            await reader.readuntil(b"\r\n")  # no trailers are expected
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)


class ConnectionPool:
    """Up to ``size`` keep-alive connections to one server, as a browser keeps per host."""

    def __init__(self, port: int, origin: str, size: int = 6) -> None:
        self._port = port
        self._origin = origin
        self._slots = asyncio.Semaphore(size)
        self._idle: list[RawConnection] = []

    async def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> RawResponse:
        """Send on an idle connection (opening one if none is), as RawConnection.request."""
        async with self._slots:
            connection = self._idle.pop() if self._idle else RawConnection(self._port, self._origin)
            try:
                return await connection.request(method, path, body, headers)
            finally:
                self._idle.append(connection)

    def close(self) -> None:
        """Close every connection."""
        for connection in self._idle:
            connection.close()
        self._idle.clear()


class Recorder:
    """Latencies (ms) per operation; failures by operation and status.

    A status in ``expected`` (such as 409 for a save conflict) is counted in ``conflicts``
    rather than ``errors``; 2xx and 304 are successes.
    """

    def __init__(self, expected: frozenset[int] = frozenset()) -> None:
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.conflicts: dict[str, int] = defaultdict(int)
        self.expected = expected
        self.elapsed = 0.0

    async def timed(self, route: str, call: Any, *args: Any, **kwargs: Any) -> Any:
        """Await ``call``; record its latency under ``route``, or the error."""
        started = time.perf_counter()
        try:
            response = await call(*args, **kwargs)
        except httpx.HTTPError as error:
            self.errors[f"{route} {type(error).__name__}"] += 1
            return None
        self.latencies[route].append((time.perf_counter() - started) * 1000)
        status = response.status_code
        if status in self.expected:
            self.conflicts[f"{route} {status}"] += 1
        elif status >= 400 or (300 <= status < 400 and status != 304):
            self.errors[f"{route} {status}"] += 1
        return response


Send = Callable[[str, str, Any], Awaitable[Any]]
"""Send one JSON request (method, path, body); answer a response with status_code and json()."""


class Autosave:
    """The designer's autosave: a save ``debounce`` s after the last edit, one in flight.

    As ``frontend/src/app/autosave.ts``: each save sends the latest draft and expects the
    revision the previous save answered; edits made while a save is out go in the next one.
    """

    def __init__(
        self,
        send: Send,
        document: dict[str, Any],
        debounce: float,
        rec: Recorder,
        *,
        samples: list[dict[str, Any]] | None = None,
        route: str = EDIT_ROUTE,
    ):
        self._send = send
        self._url = f"/api/notetypes/{document['id']}"
        self._revision = document["revision"]
        self._debounce = debounce
        self._rec = rec
        self._samples = document.get("samples", []) if samples is None else samples
        self._route = route
        self._draft: dict[str, Any] | None = None
        self._version = self._saved = 0
        self._timer: asyncio.TimerHandle | None = None
        self._in_flight: asyncio.Task[None] | None = None
        self.conflicted = False

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
        if self.conflicted:
            return  # the designer waits for the user to choose whose edit wins
        if self._timer is not None:
            self._timer.cancel()
        self._timer = asyncio.get_running_loop().call_later(self._debounce, self._start)

    def _start(self) -> None:
        if self._in_flight is None:
            self._in_flight = asyncio.ensure_future(self._save())

    async def _save(self) -> None:
        version, draft = self._version, self._draft
        body = {"expected_revision": self._revision, "notetype": draft, "samples": self._samples}
        saved = await self._rec.timed(self._route, self._send, "PUT", self._url, body)
        ok = saved is not None and saved.status_code == 200
        if ok:
            self._revision = saved.json()["revision"]
            self._saved = version
        elif saved is not None and saved.status_code == 409:
            self.conflicted = True
        self._in_flight = None
        if ok and self._debounce and self._saved != self._version:
            self._schedule()  # edited while the save was out; a failed save waits for an edit

    async def flush(self) -> None:
        """Save what is unsaved (the user stops typing: the debounce would fire)."""
        if self._timer is not None:
            self._timer.cancel()
        if self._in_flight is not None:
            await self._in_flight
        if self._saved != self._version and not self.conflicted:
            await self._save()
