// The Performance page's Caches section helpers: byte sizes, alert words, counts by reason.
import assert from "node:assert/strict";
import { test } from "node:test";
import { alertSummary, formatBytes, reasonCounts } from "../src/perf/model";

test("formatBytes counts in powers of 1024 with one decimal below 100", () => {
  assert.equal(formatBytes(0), "0 B");
  assert.equal(formatBytes(980), "980 B");
  assert.equal(formatBytes(1536), "1.5 KB");
  assert.equal(formatBytes(32 * 1024 * 1024), "32.0 MB");
  assert.equal(formatBytes(200 * 1024 * 1024), "200 MB");
  assert.equal(formatBytes(Number.NaN), "0 B");
});

test("alertSummary names crossed budgets and thrashing caches together", () => {
  assert.equal(alertSummary(0, 0), "no alerts");
  assert.equal(alertSummary(1, 0), "1 operation over its p95 budget");
  assert.equal(alertSummary(0, 1), "1 cache thrashing");
  assert.equal(alertSummary(2, 3), "2 operations over their p95 budget, 3 caches thrashing");
});

test("reasonCounts lists the largest first and skips zeros", () => {
  assert.equal(reasonCounts({}), "0");
  assert.equal(reasonCounts({ shed: 0 }), "0");
  assert.equal(reasonCounts({ "queue-full": 1, shed: 3 }), "shed 3, queue-full 1");
});
