// The "All cards" preview without the DOM (preview/grid.ts): which cells the frame grid holds
// and in which order, how a layout change inserts cells without moving the frames on screen
// (a moved iframe reloads), the captions, and what the preview says above the frames. Also
// the grid request (api/preview.ts fetchGrid) as the browser would send it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { STREAM_HEADER, fetchGrid, isSuperseded, type GridRequest } from "../src/api/preview";
import type { Platform } from "../src/api/types";
import {
  cellCaption,
  cellKey,
  gridNotice,
  gridProblems,
  insertions,
  layoutCells,
} from "../src/preview/grid";

const CARD1 = { ord: 0, name: "Card 1" };
const CARD2 = { ord: 1, name: "Card 2" };
const CARD3 = { ord: 2, name: "Card 3" };

/** Apply `insertions` to a list as the DOM applies insertBefore (a present key moves). */
function apply(present: string[], wanted: string[]): { order: string[]; moved: string[] } {
  const order = present.filter((key) => wanted.includes(key));
  const moved: string[] = [];
  for (const step of insertions(present, wanted)) {
    const at = order.indexOf(step.key);
    if (at >= 0) {
      order.splice(at, 1);
      moved.push(step.key);
    }
    assert.equal(step.moves, at >= 0, `${step.key}: moves says ${step.moves}`);
    const before = step.before === null ? order.length : order.indexOf(step.before);
    assert.ok(before >= 0, `${step.key} goes before ${step.before}, which is not there`);
    order.splice(before, 0, step.key);
  }
  return { order, moved };
}

const keys = (cards: (typeof CARD1)[] | null, platforms: Platform[]): string[] =>
  layoutCells(cards, platforms).map((cell) => cell.key);

test("the single-card layout keeps its keys: one row per platform, question then answer", () => {
  assert.deepEqual(keys(null, ["ankidroid", "desktop-linux"]), [
    "ankidroid/question",
    "ankidroid/answer",
    "desktop-linux/question",
    "desktop-linux/answer",
  ]);
  assert.ok(layoutCells(null, ["ankidroid"]).every((cell) => cell.card === null));
});

test("the all-cards layout has one row per card and platform, card by card", () => {
  const cells = layoutCells([CARD1, CARD2], ["desktop-linux", "ankidroid"]);
  assert.deepEqual(
    cells.map((c) => [c.card?.ord, c.platform, c.side]),
    [
      [0, "desktop-linux", "question"],
      [0, "desktop-linux", "answer"],
      [0, "ankidroid", "question"],
      [0, "ankidroid", "answer"],
      [1, "desktop-linux", "question"],
      [1, "desktop-linux", "answer"],
      [1, "ankidroid", "question"],
      [1, "ankidroid", "answer"],
    ],
  );
  // Every cell has a key of its own, and no card's key is a single-card layout key.
  const all = cells.map((c) => c.key);
  assert.equal(new Set(all).size, all.length);
  assert.equal(cellKey(1, "ankidroid", "answer"), "1:ankidroid/answer");
  assert.ok(!all.includes(cellKey(null, "ankidroid", "answer")));
  // A card listed twice is one row (and no card: no row at all).
  assert.deepEqual(keys([CARD2, CARD2], ["ankidroid"]), [
    "1:ankidroid/question",
    "1:ankidroid/answer",
  ]);
  assert.deepEqual(keys([], ["ankidroid"]), []);
});

test("a card that appears or disappears leaves the other cards' frames where they are", () => {
  const platforms: Platform[] = ["desktop-linux", "ankimobile-iphone"];
  const two = keys([CARD1, CARD3], platforms);
  const three = keys([CARD1, CARD2, CARD3], platforms);
  // Card 2 appears between the others: only its cells are inserted, nothing moves.
  const grown = apply(two, three);
  assert.deepEqual(grown.order, three);
  assert.deepEqual(grown.moved, []);
  assert.deepEqual(
    insertions(two, three).map((step) => step.key),
    three.filter((key) => key.startsWith("1:")),
  );
  // Card 1 disappears: nothing to insert at all.
  const shrunk = keys([CARD2, CARD3], platforms);
  assert.deepEqual(insertions(three, shrunk), []);
  assert.deepEqual(apply(three, shrunk).order, shrunk);
  // A platform added to every card: its rows go in, the others stay.
  const wider = keys([CARD1, CARD3], ["desktop-linux", "ankidroid", "ankimobile-iphone"]);
  const widened = apply(two, wider);
  assert.deepEqual(widened.order, wider);
  assert.deepEqual(widened.moved, []);
  // Switching between the layouts replaces every cell (no key in common).
  assert.deepEqual(apply(keys(null, platforms), two).order, two);
  assert.equal(insertions(keys(null, platforms), two).length, two.length);
});

test("a reordered row is reported as a move (it would reload), and still ends in order", () => {
  const before = ["a", "b", "c", "d"];
  const wanted = ["a", "c", "b", "d"];
  const result = apply(before, wanted);
  assert.deepEqual(result.order, wanted);
  assert.equal(result.moved.length, 1);
});

test("captions name the card only in the all-cards layout", () => {
  assert.equal(
    cellCaption(CARD2, "ankidroid", "question", false),
    "Card 2 · AnkiDroid · Question · light",
  );
  assert.equal(cellCaption(null, "desktop-linux", "answer", true), "Anki Linux · Answer · night");
});

test("problems say which card they are of; a sample without cards says so", () => {
  const error = (side: string, message: string) => ({ side, line: 1, column: 3, message });
  const problems = gridProblems(
    [
      { card_ord: 0, errors: [] },
      { card_ord: 1, errors: [error("front", "unclosed"), error("back", "unknown field")] },
    ],
    2,
  );
  assert.deepEqual(problems, [
    "Card 2: Front template, line 1, column 3: unclosed",
    "Card 2: Back template, line 1, column 3: unknown field",
  ]);
  assert.deepEqual(gridProblems([{ card_ord: 0, errors: [] }], 1), []);
  const none = gridProblems([], 0);
  assert.equal(none.length, 1);
  assert.match(none[0]!, /generates no card/);
});

test("the notice says when only the first cards are shown", () => {
  assert.equal(gridNotice(30, 24), "Showing the first 24 of 30 cards.");
  assert.equal(gridNotice(24, 24), null);
  assert.equal(gridNotice(2, 2), null);
  assert.equal(gridNotice(0, 0), null);
});

test("the grid request names its stream; a superseded answer is recognised", async () => {
  const request: GridRequest = {
    notetype: {} as GridRequest["notetype"],
    sample: { fields: { Front: "cat" } } as unknown as GridRequest["sample"],
    platforms: ["desktop-linux", "ankidroid"],
    night_mode: true,
    notetype_id: null,
  };
  let seen: { url: string; headers: Headers; body: unknown } | null = null;
  let status = 200;
  globalThis.fetch = (async (input: unknown, init?: RequestInit) => {
    const body: unknown = JSON.parse(String(init?.body));
    seen = { url: String(input), headers: new Headers(init?.headers), body };
    const answer =
      status === 200
        ? { night_mode: true, total_cards: 0, cards: [] }
        : { type: "urn:atd:problem:superseded", title: "Superseded" };
    return new Response(JSON.stringify(answer), { status });
  }) as typeof fetch;
  const response = await fetchGrid(request, "preview-7");
  assert.deepEqual(response, { night_mode: true, total_cards: 0, cards: [] });
  const sent = seen as unknown as { url: string; headers: Headers; body: unknown };
  assert.equal(sent.url, "/api/preview/grid");
  assert.equal(sent.headers.get(STREAM_HEADER), "preview-7");
  assert.deepEqual(sent.body, request);
  status = 409;
  await assert.rejects(fetchGrid(request, "preview-7"), (error: unknown) => isSuperseded(error));
});
