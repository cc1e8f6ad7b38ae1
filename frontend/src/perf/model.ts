// Pure helpers of the Performance page: its route, the budget editor's checks, trend series.
import type { BudgetDoc, TrendPointDoc } from "./api";

/** Whether a location hash is the Performance page's route (#/performance). */
export function isPerformanceRoute(hash: string): boolean {
  return /^#\/performance(?:[/?]|$)/.test(hash);
}

/** One row of the budget editor, as typed. */
export interface BudgetInput {
  operation: string;
  ms: string;
}

/** The editor's rows as budgets to save, or the first problem in words. */
export function budgetRows(rows: readonly BudgetInput[]): {
  budgets: BudgetDoc[];
  error: string | null;
} {
  const budgets: BudgetDoc[] = [];
  const seen = new Set<string>();
  for (const [index, row] of rows.entries()) {
    const operation = row.operation.trim();
    const ms = Number(row.ms);
    const where = `Budget ${index + 1}`;
    if (!operation) return { budgets, error: `${where}: name an operation, e.g. "GET /api/notetypes" or "*"` };
    if (!Number.isFinite(ms) || ms <= 0)
      return { budgets, error: `${where}: the p95 budget must be a positive number of milliseconds` };
    if (seen.has(operation)) return { budgets, error: `${where}: "${operation}" is listed twice` };
    seen.add(operation);
    budgets.push({ operation, p95_ms: ms });
  }
  return { budgets, error: null };
}

/** Trend points of one kind as one series per operation over the same steps (null: idle). */
export function trendSeries(
  points: readonly TrendPointDoc[],
  kind: string,
  field: "p50_ms" | "p95_ms" | "p99_ms",
): { starts: number[]; series: Map<string, (number | null)[]> } {
  const chosen = points.filter((p) => p.kind === kind);
  const starts = [...new Set(chosen.map((p) => p.start))].sort((a, b) => a - b);
  const column = new Map(starts.map((start, index) => [start, index]));
  const series = new Map<string, (number | null)[]>();
  for (const point of chosen) {
    let values = series.get(point.operation);
    if (!values) {
      values = starts.map(() => null);
      series.set(point.operation, values);
    }
    values[column.get(point.start) ?? 0] = point[field];
  }
  return { starts, series };
}

/** Bytes for people: "0 B", "980 B", "12.3 KB", "4.0 MB" (powers of 1024). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1024) return `${Math.max(0, Math.round(bytes || 0))} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

/** The header indicator's words for budget alerts and thrashing caches together. */
export function alertSummary(budgets: number, caches: number): string {
  const parts: string[] = [];
  if (budgets) parts.push(budgets === 1 ? "1 operation over its p95 budget" : `${budgets} operations over their p95 budget`);
  if (caches) parts.push(caches === 1 ? "1 cache thrashing" : `${caches} caches thrashing`);
  return parts.join(", ") || "no alerts";
}

/** Counts by reason ("shed 3, queue-full 1"), or "0" when there are none. */
export function reasonCounts(counts: Readonly<Record<string, number>>): string {
  const shown = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return shown.length ? shown.map(([reason, n]) => `${reason} ${n}`).join(", ") : "0";
}
