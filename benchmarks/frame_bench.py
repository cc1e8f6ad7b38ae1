"""Frame times in the designer: scrolling a 100,000-row list, and typing with the preview open.

Starts ``atd serve`` on a free loopback port with a new workspace and drives Debian's chromium
(headless, through Playwright) over it. Two measures per frame:

- busy: the page's main-thread time between one frame's rAF callbacks and the next, from a
  Chrome trace (every task counts: input, timers, network callbacks, style, layout, paint).
  The 16 ms budget (p95) is about this: a frame whose main thread stays under it is on time;
- interval: the time between consecutive ``requestAnimationFrame`` callbacks, collected in
  the page; at 60 Hz it is 16.7 ms when no frame is dropped, so "> 16.7 ms" there counts
  mostly vsync jitter and "dropped" (> 25 ms, a refresh missed) is the jank figure.

Scenarios: ``scroll-wheel`` (mouse wheel over the library's 100,000 entries, the page
``#/bench/library?rows=100000``), ``scroll-jump`` (one screenful per frame: every frame brings
in only new rows, the worst case for a virtual list), ``typing`` (keystrokes into the front
template with the preview beside it; each keystroke renders on the server and updates the
frame). Prints p50/p95/p99 of both measures and the counts; never asserts. The machine's
load average is printed too: on shared cores it moves every figure.

Then the issue #4 target, keystroke to preview: single keystrokes a quarter second apart
(so each renders on its own), on one platform and on the grid of all six platforms (twelve
frames); for each, the time from the edit reaching the editor to every changed frame showing
it (the preview's ``data-last-update-ms``, recorded per update by a MutationObserver).
Target: p95 < 100 ms.

    PYTHONPATH=src .venv/bin/python benchmarks/frame_bench.py [--seconds 5] [--rows 100000]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Browser, Page, sync_playwright

from serving import free_port, percentile, start_server, stop_server

CHROMIUM = "/usr/bin/chromium"
BUDGET_MS = 16.7
DROPPED_MS = 25.0
TYPED = "<div class=card>{{Front}} is asked, {{Back}} is answered.</div> "

# Collects, per frame, its interval since the previous one.
COLLECTOR = """() => {
  const state = { on: false, intervals: [], last: null };
  function tick(now) {
    if (state.on && state.last !== null) state.intervals.push(now - state.last);
    state.last = now;
    requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);
  window.__frames = state;
}"""


START = "() => { Object.assign(window.__frames, { intervals: [], on: true }); }"
STOP = "() => { const s = window.__frames; s.on = false; return s; }"


TRACE_CATEGORIES = ["toplevel", "blink", "devtools.timeline"]
# Once per frame on the page's thread: the page always has a rAF callback (the collector).
FRAME_EVENT = "FrameRequestCallbackCollection::ExecuteFrameCallbacks"
# The main thread's tasks (named either way, by Chromium version and categories).
TASK_EVENTS = {"RunTask", "ThreadControllerImpl::RunTask"}


def merged(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The union of ``spans`` (nested or overlapping tasks count once)."""
    union: list[tuple[float, float]] = []
    for start, end in sorted(spans):
        if union and start <= union[-1][1]:
            union[-1] = (union[-1][0], max(union[-1][1], end))
        else:
            union.append((start, end))
    return union


def busy_per_frame(trace: bytes) -> list[float]:
    """Main-thread time (ms) between consecutive frames of the page, from a Chrome trace.

    Every task the renderer's main thread ran counts (input, timers, network callbacks, the
    preview frames' updates, style, layout, paint): what competes with the next frame.
    """
    loaded = json.loads(trace)
    events: list[dict[str, Any]] = loaded["traceEvents"] if isinstance(loaded, dict) else loaded
    mains = {
        (e["pid"], e["tid"])
        for e in events
        if e.get("name") == "thread_name" and e["args"].get("name") == "CrRendererMain"
    }
    frames: dict[tuple[int, int], list[float]] = {}
    tasks: dict[tuple[int, int], list[tuple[float, float]]] = {}
    for e in events:
        key = (e.get("pid"), e.get("tid"))
        if key not in mains or e.get("ph") != "X":
            continue
        if e["name"] == FRAME_EVENT:
            frames.setdefault(key, []).append(e["ts"] / 1000)
        elif e["name"] in TASK_EVENTS:
            start = e["ts"] / 1000
            tasks.setdefault(key, []).append((start, start + e.get("dur", 0) / 1000))
    if not frames:
        return []
    # The page's thread is the one running the most rAF callbacks (the preview frames, in
    # their own renderer, run few or none).
    thread = max(frames, key=lambda k: len(frames[k]))
    # Several documents in one renderer (the builder's canvas frame) each run their callbacks
    # in the same frame: markers closer than half a frame are one frame.
    starts: list[float] = []
    for at in sorted(frames[thread]):
        if not starts or at - starts[-1] > BUDGET_MS / 2:
            starts.append(at)
    spans = merged(tasks.get(thread, []))
    busy: list[float] = []
    first = 0
    for begin, end in itertools.pairwise(starts):
        total = 0.0
        while first < len(spans) and spans[first][1] <= begin:
            first += 1
        for task_start, task_end in spans[first:]:
            if task_start >= end:
                break
            total += min(end, task_end) - max(begin, task_start)
        busy.append(total)
    return busy


def traced(browser: Browser, page: Page, scenario: Any, *args: Any) -> dict[str, list[float]]:
    """Run ``scenario(page, *args)`` under a Chrome trace; its frames plus "busy"."""
    browser.start_tracing(page=page, categories=TRACE_CATEGORIES)
    frames: dict[str, list[float]] = scenario(page, *args)
    frames["busy"] = busy_per_frame(browser.stop_tracing())
    return frames


def start(page: Page) -> None:
    """Begin recording frames (after the page settled)."""
    page.evaluate(START)


def stop(page: Page) -> dict[str, list[float]]:
    """Stop recording; the frames recorded."""
    result: dict[str, list[float]] = page.evaluate(STOP)
    return result


def scroll_wheel(page: Page, seconds: float) -> dict[str, list[float]]:
    """Wheel down the library, 100 px a notch, as fast as input arrives."""
    page.locator('[data-testid="library-list"]').hover()
    start(page)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        page.mouse.wheel(0, 100)
    return stop(page)


def scroll_jump(page: Page, seconds: float) -> dict[str, list[float]]:
    """One screenful per frame (a flung scrollbar): every frame shows only new rows."""
    page.evaluate(
        """(ms) => new Promise((done) => {
      const list = document.querySelector('[data-testid="library-list"]');
      const until = performance.now() + ms;
      function step() {
        list.scrollTop += list.clientHeight;
        if (list.scrollTop + list.clientHeight >= list.scrollHeight) list.scrollTop = 0;
        if (performance.now() < until) requestAnimationFrame(step); else done();
      }
      Object.assign(window.__frames, { intervals: [], on: true });
      requestAnimationFrame(step);
    })""",
        seconds * 1000,
    )
    return stop(page)


def typing(page: Page, seconds: float) -> dict[str, list[float]]:
    """Type into the front template, 12 keystrokes a second, the preview updating beside."""
    page.locator('[data-testid="tab-front"]').click()
    page.locator('[data-testid="editor"] .cm-content').click()
    page.keyboard.press("ControlOrMeta+End")
    start(page)
    end = time.monotonic() + seconds
    index = 0
    while time.monotonic() < end:
        page.keyboard.type(TYPED[index % len(TYPED)])
        index += 1
        page.wait_for_timeout(80)
    frames = stop(page)
    frames["keystrokes"] = [float(index)]
    return frames


# Records every value the preview writes to data-last-update-ms (one per finished update).
LATENCY_RECORDER = """() => {
  const host = document.querySelector('[data-testid="preview"]');
  window.__updates = [];
  window.__updateObserver?.disconnect();
  window.__updateObserver = new MutationObserver(() => {
    window.__updates.push(Number(host.dataset.lastUpdateMs));
  });
  window.__updateObserver.observe(host, {
    attributes: true, attributeFilter: ["data-last-update-ms"],
  });
}"""


def set_platforms(page: Page, wanted: set[str]) -> None:
    """Tick exactly the ``wanted`` platform toggles; wait for the grid to show them."""
    toggles = page.locator('[data-testid="platform-toggle"]')
    for index in range(toggles.count()):
        toggle = toggles.nth(index)
        if (toggle.get_attribute("value") in wanted) != toggle.is_checked():
            toggle.click()
    page.wait_for_function(
        "n => document.querySelectorAll('[data-testid=\"preview-frame\"]').length === n",
        arg=2 * len(wanted),
    )
    page.wait_for_timeout(500)


def keystroke_latency(page: Page, keystrokes: int) -> list[float]:
    """Type ``keystrokes`` single characters apart; each one's time to the preview, in ms."""
    page.locator('[data-testid="tab-front"]').click()
    page.locator('[data-testid="editor"] .cm-content').click()
    page.keyboard.press("ControlOrMeta+End")
    page.evaluate(LATENCY_RECORDER)
    for index in range(keystrokes):
        page.keyboard.type("xyz"[index % 3])
        page.wait_for_timeout(250)
    updates: list[float] = page.evaluate("() => window.__updates")
    return updates


def figures(values: list[float]) -> str:
    """n, p50, p95, p99 and the frames over budget, in ms."""
    return (
        f"n={len(values)} p50={percentile(values, 0.5):.1f} p95={percentile(values, 0.95):.1f} "
        f"p99={percentile(values, 0.99):.1f} ms, >16.7ms={sum(v > BUDGET_MS for v in values)}"
    )


def summary(name: str, frames: dict[str, list[float]]) -> str:
    """One scenario's figures: main-thread time per frame, then intervals between frames."""
    if "latency" in frames:
        values = frames["latency"]
        if not values:
            return f"{name}: no preview update recorded"
        return (
            f"{name} (target p95 < 100 ms)\n    n={len(values)} p50={percentile(values, 0.5):.1f}"
            f" p95={percentile(values, 0.95):.1f} p99={percentile(values, 0.99):.1f}"
            f" max={max(values):.1f} ms"
        )
    intervals, busy = frames["intervals"], frames["busy"]
    if not intervals:
        return f"{name}: no frames recorded"
    dropped = sum(v > DROPPED_MS for v in intervals)
    lines = [
        name,
        f"    busy      {figures(busy)}" if busy else "    busy      (no frames in the trace)",
        f"    interval  {figures(intervals)}, dropped (>25ms)={dropped}",
    ]
    if "keystrokes" in frames:
        lines.append(f"    keystrokes typed: {int(frames['keystrokes'][0])}")
    return "\n".join(lines)


def run(url: str, api: httpx.Client, args: argparse.Namespace) -> list[tuple[str, dict[str, Any]]]:
    """Every scenario in one browser; (name, frames) per scenario."""
    results: list[tuple[str, dict[str, Any]]] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        page = context.new_page()
        page.add_init_script(f"({COLLECTOR})()")

        page.goto(f"{url}#/bench/library?rows={args.rows}")
        page.locator('[data-testid="library-item"]').first.wait_for()
        page.wait_for_timeout(500)
        results.append(("scroll-wheel", traced(browser, page, scroll_wheel, args.seconds)))
        results.append(("scroll-jump", traced(browser, page, scroll_jump, args.seconds)))
        rendered = page.locator('[data-testid="library-item"]').count()
        print(f"library rows in the DOM after scrolling {args.rows:,} entries: {rendered}")

        created = api.post("/api/notetypes", json={"name": "Frame bench", "kind": "standard"})
        created.raise_for_status()
        notetype_id = created.json()["id"]
        page.goto(f"{url}#/notetype/{notetype_id}")
        page.locator('[data-testid="preview-frame"][data-side="question"]').wait_for()
        page.wait_for_timeout(500)
        results.append(("typing", traced(browser, page, typing, args.seconds)))
        toggles = page.locator('[data-testid="platform-toggle"]')
        every = {toggles.nth(i).get_attribute("value") or "" for i in range(toggles.count())}
        first = toggles.first.get_attribute("value") or ""
        for name, platforms in (("1 platform", {first}), (f"{len(every)} platforms", every)):
            set_platforms(page, platforms)
            results.append(
                (f"keystroke to preview, {name}", {"latency": keystroke_latency(page, 40)})
            )
        browser.close()
    return results


def main() -> None:
    """Parse options, start the server, run the scenarios, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per scenario")
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the scrolled list")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install chromium")
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with tempfile.TemporaryDirectory(prefix="atd-frame-bench-") as tmp:
        server, _ = start_server(Path(tmp) / "workspace", port)
        try:
            with httpx.Client(base_url=url, headers={"Origin": url.rstrip("/")}) as api:
                results = run(url, api, args)
        finally:
            stop_server(server)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"frame times, headless chromium, {os.cpu_count()} cores, load average {load}")
    print("target: busy p95 < 16 ms (interval: 16.7 ms at 60 Hz when no frame is dropped)")
    for name, frames in results:
        print("  " + summary(name, frames))


if __name__ == "__main__":
    main()
