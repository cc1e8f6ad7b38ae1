// When the preview asks the server for a render (preview/loop.ts), and the viewport and
// platform names it shows (preview/viewports.ts). RenderLoop's timers are Node's own; a test
// waits for the render it expects, never for a length of time.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Platform } from "../src/api/types";

// RenderLoop schedules with window.setTimeout: in Node the global object has them.
Object.defineProperty(globalThis, "window", { value: globalThis, configurable: true });
const { DEBOUNCE_MS, RenderLoop, SUPERSEDE_AFTER_MS } = await import("../src/preview/loop");
type RenderJob = import("../src/preview/loop").RenderJob;
const { PLATFORMS, VIEWPORTS, platformLabel, viewportNamed } = await import(
  "../src/preview/viewports"
);

/** A render the test finishes by hand, as a slow server would. */
interface Running {
  job: RenderJob;
  finish: () => void;
}

/** A RenderLoop whose renders wait for the test; `next()` resolves with the next one started. */
function harness(): {
  loop: InstanceType<typeof RenderLoop>;
  started: Running[];
  next: () => Promise<Running>;
} {
  const started: Running[] = [];
  const waiters: Array<(running: Running) => void> = [];
  const loop = new RenderLoop(
    (job) =>
      new Promise<void>((resolve) => {
        const running = { job, finish: resolve };
        started.push(running);
        waiters.shift()?.(running);
      }),
  );
  const next = (): Promise<Running> => new Promise((resolve) => waiters.push(resolve));
  return { loop, started, next };
}

test("an edit starts a full render that remembers when the edit happened", async () => {
  const { loop, next } = harness();
  const first = next();
  loop.request("pages", 5);
  const { job, finish } = await first;
  assert.deepEqual(job, { kind: "pages", seq: 1, since: 5 });
  finish();
  loop.stop();
});

test("a burst of edits costs one render", async () => {
  const { loop, next } = harness();
  const first = next();
  loop.request("compare", 1);
  loop.request("compare", 2);
  loop.request("compare", 3);
  const running = await first;
  assert.deepEqual(running.job, { kind: "compare", seq: 1, since: 1 });
  const second = next();
  running.finish();
  loop.request("compare", 10);
  // Had the burst cost more than one render, this one would not be number 2.
  assert.deepEqual((await second).job, { kind: "compare", seq: 2, since: 10 });
  loop.stop();
});

test("edits during a render fold into the next one: a full render wins over a comparison", async () => {
  const { loop, started, next } = harness();
  const first = next();
  loop.request("compare", 1);
  const one = await first;
  loop.request("compare", 2);
  loop.request("pages", 3);
  loop.request("compare", 4);
  assert.equal(started.length, 1, "at most one render in flight");
  const second = next();
  one.finish();
  const two = await second;
  assert.deepEqual(two.job, { kind: "pages", seq: 2, since: 2 }, "since the oldest waiting edit");
  two.finish();
  loop.stop();
});

test("only comparisons asked meanwhile stay a comparison", async () => {
  const { loop, next } = harness();
  const first = next();
  loop.request("pages", 1);
  const one = await first;
  loop.request("compare", 2);
  const second = next();
  one.finish();
  assert.equal((await second).job.kind, "compare");
  loop.stop();
});

test("a slow render is replaced: edits since are sent on the stream without waiting", async () => {
  const { loop, started, next } = harness();
  const first = next();
  loop.request("pages", 1);
  const slow = await first;
  const second = next();
  loop.request("pages", 2);
  loop.request("compare", 3);
  const replacing = await second; // after SUPERSEDE_AFTER_MS, with the first still out
  assert.deepEqual(replacing.job, { kind: "pages", seq: 2, since: 2 });
  assert.equal(started.length, 2);
  // At most two out: a third edit waits while both are.
  loop.request("pages", 4);
  await new Promise((resolve) => setTimeout(resolve, SUPERSEDE_AFTER_MS + DEBOUNCE_MS));
  assert.equal(started.length, 2);
  // The first answers (409 superseded, say): the third may now replace the second.
  const third = next();
  slow.finish();
  assert.deepEqual((await third).job, { kind: "pages", seq: 3, since: 4 });
  replacing.finish();
  started[2]?.finish();
  loop.stop();
});

test("a comparison never replaces a full render in flight", async () => {
  const { loop, started, next } = harness();
  const first = next();
  loop.request("pages", 1);
  const full = await first;
  loop.request("compare", 2);
  await new Promise((resolve) => setTimeout(resolve, SUPERSEDE_AFTER_MS + DEBOUNCE_MS));
  assert.equal(started.length, 1, "the question side must not be lost");
  const second = next();
  full.finish();
  assert.deepEqual((await second).job, { kind: "compare", seq: 2, since: 2 });
  loop.stop();
});

test("a render that lands before the supersede delay sends what waits at the debounce", async () => {
  const { loop, next } = harness();
  const first = next();
  loop.request("pages", 1);
  const quick = await first;
  loop.request("pages", 2); // timer set for the supersede delay
  const second = next();
  quick.finish();
  // Node runs timers in order of due time: the render must come before this one does.
  const order: string[] = [];
  const half = new Promise((resolve) =>
    setTimeout(() => resolve(order.push("half the supersede delay")), SUPERSEDE_AFTER_MS / 2),
  );
  await second;
  order.push("render");
  await half;
  assert.deepEqual(order, ["render", "half the supersede delay"]);
  loop.stop();
});

test("a response older than the one shown is dropped", () => {
  const { loop } = harness();
  assert.equal(loop.claim(2), true);
  assert.equal(loop.claim(1), false, "older than what is on screen");
  assert.equal(loop.claim(2), false, "already shown");
  assert.equal(loop.claim(3), true);
  loop.stop();
});

test("after stop nothing more is rendered, even an edit already waiting", async () => {
  const { loop, started, next } = harness();
  const first = next();
  loop.request("pages", 1);
  const one = await first;
  loop.request("pages", 2); // waits for the render in flight
  loop.stop();
  one.finish();
  loop.request("pages", 3);
  // Once the finished render's continuation has run (setImmediate comes after promise jobs),
  // any timer the loop set is due within DEBOUNCE_MS, and Node runs timers in order of due time.
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setTimeout(resolve, DEBOUNCE_MS + 1));
  assert.equal(started.length, 1);
});

test("viewports are looked up by name; an unknown name falls back to desktop", () => {
  assert.deepEqual(
    VIEWPORTS.map((v) => v.name),
    ["phone", "tablet", "desktop"],
  );
  for (const viewport of VIEWPORTS) {
    assert.equal(viewportNamed(viewport.name), viewport);
    assert.ok(viewport.label.includes(`${viewport.width}×${viewport.height}`));
  }
  assert.equal(viewportNamed("watch" as never).name, "desktop");
});

test("every platform has one label; an unknown id is shown as it is", () => {
  const ids = PLATFORMS.map((p) => p.id);
  assert.equal(new Set(ids).size, 6);
  assert.equal(platformLabel("ankidroid"), "AnkiDroid");
  assert.equal(platformLabel("desktop-mac"), "Anki macOS");
  assert.equal(platformLabel("future-platform" as Platform), "future-platform");
});
