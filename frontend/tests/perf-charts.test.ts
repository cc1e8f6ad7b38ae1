// The Performance page's pure helpers: chart paths, axis bounds, number formats.
import assert from "node:assert/strict";
import { test } from "node:test";
import { formatMs, formatShare, linePath, niceMax } from "../src/perf/charts";
import { budgetRows, isPerformanceRoute } from "../src/perf/model";

test("linePath spaces points evenly, 0 at the bottom, max at the top", () => {
  assert.equal(linePath([0, 5, 10], 100, 20, 10), "M0 20 L50 10 L100 0");
});

test("linePath breaks at gaps and draws a lone point as a dash", () => {
  assert.equal(linePath([1, null, 2, 2], 30, 10, 2), "M0 5 L4 5 M20 0 L30 0");
  assert.equal(linePath([null, 2], 30, 10, 2), "M26 0 L30 0");
  assert.equal(linePath([], 30, 10, 2), "");
  assert.equal(linePath([null, null], 30, 10, 2), "");
});

test("linePath clips values above the axis", () => {
  assert.equal(linePath([4, 1], 10, 10, 2), "M0 0 L10 5");
});

test("niceMax rounds up to 1, 2, 2.5 or 5 times a power of ten, budget included", () => {
  assert.equal(niceMax([3, 7.2]), 10);
  assert.equal(niceMax([0.013]), 0.02);
  assert.equal(niceMax([12], 100), 100);
  assert.equal(niceMax([210]), 250);
  assert.equal(niceMax([null]), 1);
});

test("formatMs and formatShare", () => {
  assert.equal(formatMs(0.4234), "0.42");
  assert.equal(formatMs(12.34), "12.3");
  assert.equal(formatMs(1234.4), "1 234");
  assert.equal(formatMs(null), "–");
  assert.equal(formatShare(0.834), "83 %");
});

test("isPerformanceRoute", () => {
  assert.equal(isPerformanceRoute("#/performance"), true);
  assert.equal(isPerformanceRoute("#/performance?days=7"), true);
  assert.equal(isPerformanceRoute("#/performances"), false);
  assert.equal(isPerformanceRoute("#/"), false);
});

test("budgetRows checks the editor's rows before saving", () => {
  assert.deepEqual(budgetRows([{ operation: " * ", ms: "80" }]), {
    budgets: [{ operation: "*", p95_ms: 80 }],
    error: null,
  });
  assert.match(budgetRows([{ operation: "", ms: "5" }]).error ?? "", /operation/);
  assert.match(budgetRows([{ operation: "GET /a", ms: "0" }]).error ?? "", /positive/);
  assert.match(
    budgetRows([
      { operation: "*", ms: "5" },
      { operation: "*", ms: "6" },
    ]).error ?? "",
    /twice/,
  );
});
