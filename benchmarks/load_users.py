"""Simulated designer users for ``load_bench.py``: each edits its own note type as a person does.

A user opens the library, opens its note type (the editor then previews and lints it),
looks at its history, types a short edit and exports it, so every operation is exercised
early; then, until the deadline, it picks actions at random with a pause to think between
them: typing bursts into a template or the stylesheet (the most frequent), switching
platforms, night mode or the sample shown, listing or searching the library, opening
another note type, listing the history, and exporting. As in the designer, each edit asks
for a preview (at most one in flight, edits meanwhile folded into the next, 30 ms apart:
``frontend/src/preview/loop.ts``), a lint 300 ms after typing stops
(``frontend/src/app/lintState.ts``) and an autosave 400 ms after typing stops, one in
flight, expecting the revision the last save answered (``frontend/src/app/autosave.ts``).
GETs revalidate with ``If-None-Match`` as a browser does with ``Cache-Control: no-cache``.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from serving import Autosave, ConnectionPool, Recorder

# Operation name -> the request it times (for the report).
OPERATIONS = {
    "preview": "POST /api/preview/pages",
    "lint": "POST /api/lint",
    "autosave": "PUT /api/notetypes/{id}",
    "library": "GET /api/notetypes",
    "open": "GET /api/notetypes/{id}",
    "history": "GET /api/notetypes/{id}/revisions",
    "export": "GET /api/notetypes/{id}/export",
}
PREVIEW_GAP = 0.030  # preview/loop.ts DEBOUNCE_MS
LINT_DEBOUNCE = 0.300  # app/lintState.ts DEBOUNCE_MS
AUTOSAVE_DEBOUNCE = 0.400  # app/autosave.ts DEBOUNCE_MS
PLATFORMS = (
    "desktop-linux",
    "desktop-windows",
    "desktop-mac",
    "ankidroid",
    "ankimobile-iphone",
    "ankimobile-ipad",
)
_HTML_TYPED = (
    '<div class="hint">Remember the context.</div>',
    "<b>Mnemonic:</b> think of the first letter",
    '<span class="small">see also</span>',
    "<br>",
)
_CSS_TYPED = (
    "\n.hint { color: #555; font-size: 14px; }",
    "\n.small { opacity: 0.7; }",
    "\nb { color: darkred; }",
)
# How often each action is picked after the opening (relative weights; --mix changes them).
ACTIONS = {"type": 50, "options": 8, "library": 12, "open": 10, "history": 10, "export": 5}
_EXPORT_FORMATS = ("apkg", "apkg", "apkg", "crowdanki", "folder")


@dataclass(frozen=True)
class Behaviour:
    """How users behave: think time between actions and typing speed."""

    think: float = 3.0  # mean seconds between actions (uniform over half to 1.5 times)
    typing_rate: float = 6.0  # mean keystrokes per second within a burst
    burst: tuple[int, int] = (5, 40)  # keystrokes per burst, inclusive range
    mix: Mapping[str, int] = field(default_factory=lambda: dict(ACTIONS))


class PreviewLoop:
    """The preview's render loop: one request in flight; edits meanwhile go in the next."""

    def __init__(self, send: Callable[[], Awaitable[None]]) -> None:
        self._send = send
        self._pending = False
        self._in_flight: asyncio.Task[None] | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._last_sent = -1e9

    def request(self) -> None:
        """Something changed: render again (now, or 30 ms after the last send)."""
        self._pending = True
        self._schedule()

    def _schedule(self) -> None:
        if self._in_flight is not None or self._timer is not None or not self._pending:
            return
        loop = asyncio.get_running_loop()
        wait = max(0.0, self._last_sent + PREVIEW_GAP - loop.time())
        self._timer = loop.call_later(wait, self._fire)

    def _fire(self) -> None:
        self._timer = None
        self._pending = False
        self._last_sent = asyncio.get_running_loop().time()
        self._in_flight = asyncio.ensure_future(self._run())

    async def _run(self) -> None:
        try:
            await self._send()
        finally:
            self._in_flight = None
        self._schedule()

    async def drain(self) -> None:
        """Wait until nothing is pending or in flight."""
        while self._pending or self._in_flight is not None or self._timer is not None:
            await asyncio.sleep(PREVIEW_GAP)


class LintLater:
    """The lint panel: lint the latest draft once edits have paused for 300 ms."""

    def __init__(self, send: Callable[[], Awaitable[None]]) -> None:
        self._send = send
        self._timer: asyncio.TimerHandle | None = None
        self._running: set[asyncio.Task[None]] = set()

    def edited(self, delay: float = LINT_DEBOUNCE) -> None:
        """An edit: (re)start the pause."""
        if self._timer is not None:
            self._timer.cancel()
        self._timer = asyncio.get_running_loop().call_later(delay, self._fire)

    def _fire(self) -> None:
        self._timer = None
        task = asyncio.ensure_future(self._send())
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    async def drain(self) -> None:
        """Lint what is pending now and wait for every lint in flight."""
        if self._timer is not None:
            self._timer.cancel()
            self._fire()
        while self._running:
            await asyncio.gather(*self._running)


class User:
    """One person editing one note type (``document``, as GET /api/notetypes/{id} answers)."""

    def __init__(
        self,
        pool: ConnectionPool,
        document: dict[str, Any],
        others: list[str],
        rec: Recorder,
        behaviour: Behaviour,
        rng: random.Random,
    ) -> None:
        self._pool = pool
        self._id = document["id"]
        self._notetype: dict[str, Any] = document["notetype"]
        self._samples: list[dict[str, Any]] = document["samples"] or [{"fields": {}, "tags": []}]
        self._others = others
        self._rec = rec
        self._how = behaviour
        self._rng = rng
        self._etags: dict[str, str] = {}
        self._until = 0.0
        self._platforms = ["desktop-linux"]
        self._night = False
        self._sample = 0
        self._card_ord = 0
        self._preview = PreviewLoop(self._send_preview)
        self._lint = LintLater(self._send_lint)
        self._autosave = Autosave(
            pool.request, document, AUTOSAVE_DEBOUNCE, rec, samples=self._samples, route="autosave"
        )

    async def run(self, until: float, start_within: float) -> None:
        """Open the editor, try every operation once, then act at random until ``until``.

        An action the mix weighs 0 is left out of the opening too (to see the load without it).
        """
        loop = asyncio.get_running_loop()
        self._until = until
        mix = self._how.mix
        await asyncio.sleep(self._rng.uniform(0, start_within))
        if mix["library"]:
            await self._get("library", "/api/notetypes")
        await self._get("open", f"/api/notetypes/{self._id}")
        self._preview.request()
        self._lint.edited(0)
        if mix["history"]:
            await self._get("history", f"/api/notetypes/{self._id}/revisions")
        await self._type(self._rng.randint(3, 6))
        if mix["export"]:
            await self._export()
        actions, weights = list(mix), list(mix.values())
        while True:
            pause = self._how.think * self._rng.uniform(0.5, 1.5)
            if loop.time() + pause >= until:
                break
            await asyncio.sleep(pause)
            await self._act(self._rng.choices(actions, weights)[0])
        await self._preview.drain()
        await self._lint.drain()
        await self._autosave.flush()

    async def _act(self, action: str) -> None:
        if action == "type":
            await self._type(self._rng.randint(*self._how.burst))
        elif action == "options":
            self._change_options()
        elif action == "library":
            search = self._rng.choice(("", "", "", "cloze", "basic", "vocab"))
            await self._get("library", "/api/notetypes" + (f"?search={search}" if search else ""))
        elif action == "open":
            target = self._id if self._rng.random() < 0.3 else self._rng.choice(self._others)
            await self._get("open", f"/api/notetypes/{target}")
        elif action == "history":
            await self._get("history", f"/api/notetypes/{self._id}/revisions")
        else:
            await self._export()

    async def _get(self, op: str, path: str) -> None:
        etag = self._etags.get(path)
        headers = {"If-None-Match": etag} if etag else None
        response = await self._rec.timed(op, self._pool.request, "GET", path, None, headers)
        if response is not None and "etag" in response.headers:
            self._etags[path] = response.headers["etag"]

    async def _export(self) -> None:
        export_format = self._rng.choice(_EXPORT_FORMATS)
        path = f"/api/notetypes/{self._id}/export?format={export_format}"
        # Timed per format (their costs differ widely); the report also sums them as "export".
        started = time.perf_counter()
        response = await self._rec.timed(f"export {export_format}", self._pool.request, "GET", path)
        # And by whether the server had the file ready (kept) or wrote it for this request.
        source = response.headers.get("x-atd-export") if response is not None else None
        if source is not None and response.status_code == 200:
            elapsed = (time.perf_counter() - started) * 1000
            self._rec.latencies[f"export~{source}"].append(elapsed)

    def _change_options(self) -> None:
        """Another platform set, night mode or sample: the preview renders again."""
        choice = self._rng.random()
        if choice < 0.5:
            self._platforms = self._rng.sample(PLATFORMS, self._rng.choice((1, 1, 2, 3, 6)))
        elif choice < 0.7:
            self._night = not self._night
        elif choice < 0.85:
            self._sample = self._rng.randrange(len(self._samples))
        elif self._notetype["kind"] != "cloze":
            self._card_ord = self._rng.randrange(len(self._notetype["card_types"]))
        self._preview.request()

    async def _type(self, keystrokes: int) -> None:
        """Type ``keystrokes`` characters into one part; each is an edit of the draft."""
        cards = self._notetype["card_types"]
        where = self._rng.choices(("front", "back", "css"), (45, 35, 20))[0]
        index = self._card_ord if self._card_ord < len(cards) else 0
        if where == "css":
            text = self._rng.choice(_CSS_TYPED)
        elif self._rng.random() < 0.3:
            text = "{{" + self._rng.choice(self._notetype["fields"])["name"] + "}}"
        else:
            text = self._rng.choice(_HTML_TYPED)
        loop = asyncio.get_running_loop()
        for position in range(keystrokes):
            if position and loop.time() >= self._until:
                break  # the benchmark is over: the user stops mid-burst
            char = text[position % len(text)]
            if where == "css":
                self._notetype = dict(self._notetype, css=self._notetype["css"] + char)
            else:
                card = dict(cards[index], **{where: cards[index][where] + char})
                cards = [*cards[:index], card, *cards[index + 1 :]]
                self._notetype = dict(self._notetype, card_types=cards)
            self._preview.request()
            self._lint.edited()
            self._autosave.edited(self._notetype)
            await asyncio.sleep(self._rng.uniform(0.5, 1.5) / self._how.typing_rate)

    async def _send_preview(self) -> None:
        body = {
            "notetype": self._notetype,
            "sample": self._samples[self._sample],
            "card_ord": self._card_ord,
            "platforms": self._platforms,
            "night_mode": self._night,
            "notetype_id": self._id,
            "typed_answer": "",
        }
        await self._rec.timed("preview", self._pool.request, "POST", "/api/preview/pages", body)

    async def _send_lint(self) -> None:
        body = {"notetype": self._notetype, "samples": self._samples}
        await self._rec.timed("lint", self._pool.request, "POST", "/api/lint", body)
