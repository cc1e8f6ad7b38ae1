// The virtual list's arithmetic (app/virtualWindow.ts) and per-frame batching (app/frame.ts):
// which rows are in the DOM for a scroll offset, with overscan, after a resize or a measured
// row, with the focused row far outside the window; and that a burst of requests renders once.
import assert from "node:assert/strict";
import { test } from "node:test";
import { FrameBatch, perFrame } from "../src/app/frame";
import {
  RowHeights,
  moveFocus,
  renderedRows,
  scrollToShow,
  visibleRange,
  withOverscan,
} from "../src/app/virtualWindow";

const ROW = 20;

function rendered(
  count: number,
  scrollTop: number,
  height: number,
  overscan: number,
  pinned: number | null = null,
): number[] {
  const heights = new RowHeights(count, ROW);
  const range = withOverscan(visibleRange(heights, scrollTop, height), overscan, count);
  return renderedRows(range, [pinned], count);
}

test("a scroll offset shows the rows under the viewport, overscan on each side", () => {
  const heights = new RowHeights(100_000, ROW);
  assert.equal(heights.total(), 2_000_000);
  // 200 px tall at 1,000 px: rows 50..59 are visible.
  assert.deepEqual(visibleRange(heights, 1_000, 200), { start: 50, end: 60 });
  // Half a row scrolled: row 50 is partly visible, and so is row 60.
  assert.deepEqual(visibleRange(heights, 1_010, 200), { start: 50, end: 61 });
  assert.deepEqual(rendered(100_000, 1_000, 200, 5), Array.from({ length: 20 }, (_, i) => 45 + i));
});

test("overscan stops at both ends of the list", () => {
  assert.deepEqual(rendered(100_000, 0, 100, 3), [0, 1, 2, 3, 4, 5, 6, 7]);
  const last = rendered(100_000, 100_000 * ROW - 100, 100, 3);
  assert.deepEqual(last, [99_992, 99_993, 99_994, 99_995, 99_996, 99_997, 99_998, 99_999]);
  // Scrolled past the end (an overscrolling touchpad) still shows the last rows, never beyond.
  assert.equal(Math.max(...rendered(100_000, 5_000_000, 100, 3)), 99_999);
  assert.deepEqual(rendered(0, 0, 100, 3), []);
  assert.deepEqual(rendered(3, 0, 500, 3), [0, 1, 2]);
});

test("the window follows the viewport's height (a resize)", () => {
  assert.equal(rendered(1_000, 0, 100, 0).length, 5);
  assert.equal(rendered(1_000, 0, 400, 0).length, 20);
  // A list not laid out yet (height 0) renders one row, not all of them.
  assert.deepEqual(rendered(1_000, 0, 0, 0), [0]);
});

test("the focused row stays rendered however far the list scrolls from it", () => {
  const rows = rendered(100_000, 50_000 * ROW, 100, 2, 7);
  assert.equal(rows[0], 7);
  assert.deepEqual(
    rows.slice(1),
    [49_998, 49_999, 50_000, 50_001, 50_002, 50_003, 50_004, 50_005, 50_006],
  );
  // A focused row inside the window is not doubled.
  assert.deepEqual(rendered(100, 0, 60, 0, 1), [0, 1, 2]);
  // Out of range (a deleted row) is ignored.
  assert.deepEqual(rendered(10, 0, 40, 0, 42), [0, 1]);
});

test("measured rows move the offsets of the rows after them", () => {
  const heights = new RowHeights(10, ROW);
  assert.equal(heights.offsetOf(5), 100);
  assert.equal(heights.set(2, 50), true);
  assert.equal(heights.set(2, 50.2), false); // sub-pixel noise is no change
  assert.equal(heights.offsetOf(5), 130);
  assert.equal(heights.total(), 230);
  assert.equal(heights.indexAt(69), 2);
  assert.equal(heights.indexAt(90), 3);
  // Resizing keeps the measured rows; new rows count at the estimate.
  heights.resize(12);
  assert.equal(heights.heightOf(2), 50);
  assert.equal(heights.total(), 270);
  heights.resize(2);
  assert.equal(heights.total(), 40);
  assert.throws(() => new RowHeights(1, 0), /positive/);
});

test("scrolling a row into view moves as little as possible", () => {
  const heights = new RowHeights(1_000, ROW);
  assert.equal(scrollToShow(heights, 10, 0, 100), 120); // below: its bottom at the bottom edge
  assert.equal(scrollToShow(heights, 2, 100, 100), 40); // above: its top at the top edge
  assert.equal(scrollToShow(heights, 6, 100, 100), 100); // in view: stay
});

test("keys move the focus within the list", () => {
  assert.equal(moveFocus("ArrowDown", -1, 10, 5), 0);
  assert.equal(moveFocus("ArrowUp", -1, 10, 5), 0);
  assert.equal(moveFocus("ArrowDown", 9, 10, 5), 9);
  assert.equal(moveFocus("ArrowUp", 0, 10, 5), 0);
  assert.equal(moveFocus("End", 3, 100_000, 5), 99_999);
  assert.equal(moveFocus("Home", 500, 100_000, 5), 0);
  assert.equal(moveFocus("PageDown", 0, 100, 10), 9);
  assert.equal(moveFocus("PageUp", 5, 100, 10), 0);
  assert.equal(moveFocus("ArrowDown", 0, 0, 10), -1);
});

test("a burst of scheduled updates runs once per frame", () => {
  const waiting: Array<() => void> = [];
  const batch = new FrameBatch((callback) => waiting.push(callback));
  let renders = 0;
  let other = 0;
  const render = perFrame(() => (renders += 1), batch);
  for (let i = 0; i < 50; i++) render(); // 50 scroll events in one frame
  batch.schedule(() => (other += 1));
  assert.equal(waiting.length, 1, "one frame asked for");
  assert.equal(renders, 0, "nothing written before the frame");
  waiting.shift()?.();
  assert.deepEqual([renders, other, batch.frames], [1, 1, 1]);
  render();
  render();
  waiting.shift()?.();
  assert.deepEqual([renders, batch.frames], [2, 2]);
});

test("a cancelled task does not run, and a failing one does not stop the rest", () => {
  const waiting: Array<() => void> = [];
  const batch = new FrameBatch((callback) => waiting.push(callback));
  const ran: string[] = [];
  const gone = (): void => void ran.push("gone");
  batch.schedule(gone);
  batch.schedule(() => {
    throw new Error("broken row");
  });
  batch.schedule(() => void ran.push("kept"));
  batch.cancel(gone);
  const logged: unknown[] = [];
  const original = console.error;
  console.error = (error: unknown) => void logged.push(error);
  try {
    waiting.shift()?.();
  } finally {
    console.error = original;
  }
  assert.deepEqual(ran, ["kept"]);
  assert.equal(logged.length, 1);
});
