// The Performance page's slower sections: bottlenecks (profiles), history, budgets.
import { errorMessage } from "../api/client";
import { button, h, replaceChildren } from "../app/dom";
import {
  type BudgetDoc,
  type HistoryDoc,
  type HotspotDoc,
  perfApi,
  type TemplateProfileDoc,
  type TrendPointDoc,
} from "./api";
import { formatMs, formatShare, trendChart } from "./charts";
import { type BudgetInput, budgetRows, trendSeries } from "./model";
import { virtualTable } from "./table";

/** "{{furigana:Reading}} · front 3:14 · 82 %" */
export function describeHotspot(spot: HotspotDoc | null): string {
  if (!spot) return "no filter or section stands out";
  return `${spot.tag} (${spot.kind}, ${spot.side} line ${spot.line}, column ${spot.column}) · ${formatShare(spot.share)}`;
}

function hotspotCell(spot: HotspotDoc | null): HTMLElement {
  if (!spot) return h("span", { class: "muted" }, "no filter or section stands out");
  return h(
    "span",
    { class: "hotspot", title: describeHotspot(spot) },
    h("code", {}, spot.tag),
    h("span", { class: "muted" }, ` ${spot.side} ${spot.line}:${spot.column} `),
    h("strong", {}, formatShare(spot.share)),
  );
}

/** A table of card types with their render time and bottleneck. */
export function templateTable(testid: string): ReturnType<typeof virtualTable<TemplateProfileDoc>> {
  return virtualTable<TemplateProfileDoc>({
    label: "Slowest templates and their bottleneck",
    testid,
    rowTestid: "perf-template-row",
    rowHeight: 30,
    empty: "Nothing profiled yet.",
    columns: [
      { title: "Note type", width: "minmax(120px, 1fr)", cell: (t) => t.notetype },
      { title: "Card type", width: "minmax(100px, 1fr)", cell: (t) => t.template },
      { title: "ms / card", width: "80px", numeric: true, cell: (t) => formatMs(t.milliseconds) },
      {
        title: "Bottleneck",
        width: "minmax(220px, 3fr)",
        cell: (t) => hotspotCell(t.bottleneck),
        spoken: (t) => describeHotspot(t.bottleneck),
      },
    ],
  });
}

/** The history: a chart of the busiest operations' p95 per day, and every point in a table. */
export class HistorySection {
  readonly element: HTMLElement;
  private readonly chart = h("div", { class: "perf-chart", testid: "perf-history-chart" });
  private readonly table = virtualTable<TrendPointDoc>({
    label: "History by day",
    testid: "perf-history",
    rowTestid: "perf-history-row",
    rowHeight: 28,
    empty: "No history yet: the server stores a sample of each busy operation every minute.",
    columns: [
      {
        title: "Day",
        width: "100px",
        cell: (p) => new Date(p.start * 1000).toISOString().slice(0, 10),
      },
      { title: "Operation", width: "minmax(200px, 3fr)", cell: (p) => p.operation },
      { title: "Count", width: "70px", numeric: true, cell: (p) => String(p.count) },
      { title: "Errors", width: "60px", numeric: true, cell: (p) => String(p.errors) },
      { title: "p50", width: "60px", numeric: true, cell: (p) => formatMs(p.p50_ms) },
      { title: "p95", width: "60px", numeric: true, cell: (p) => formatMs(p.p95_ms) },
      { title: "p99", width: "60px", numeric: true, cell: (p) => formatMs(p.p99_ms) },
      { title: "Worst p95", width: "80px", numeric: true, cell: (p) => formatMs(p.worst_p95_ms) },
    ],
  });

  constructor() {
    this.element = h(
      "section",
      { class: "perf-section", "aria-labelledby": "perf-history-title" },
      h("h3", { id: "perf-history-title" }, "History (p95 per day, ms)"),
      this.chart,
      this.table.element,
    );
  }

  show(doc: HistoryDoc): void {
    const requests = doc.points.filter((p) => p.kind === "request");
    const busiest = topOperations(requests, 5);
    const { series } = trendSeries(requests, "request", "p95_ms");
    const lines = busiest.map((name, index) => ({
      name,
      values: series.get(name) ?? [],
      className: `chart-line chart-line-${index}`,
    }));
    const legend = h(
      "ul",
      { class: "chart-legend" },
      ...lines.map((line) => h("li", { class: line.className }, line.name)),
    );
    replaceChildren(
      this.chart,
      lines.length
        ? trendChart(lines, `p95 per day of the ${lines.length} busiest operations`)
        : null,
      lines.length ? legend : null,
    );
    this.table.setItems([...doc.points].sort((a, b) => b.start - a.start || b.count - a.count));
  }

  fail(error: unknown): void {
    this.table.showMessage(`The history could not load: ${errorMessage(error)}`, "error");
  }
}

function topOperations(points: readonly TrendPointDoc[], top: number): string[] {
  const totals = new Map<string, number>();
  for (const p of points) totals.set(p.operation, (totals.get(p.operation) ?? 0) + p.count);
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name]) => name);
}

/** The budgets editor: one row per operation or pattern, saved to the workspace. */
export class BudgetsSection {
  readonly element: HTMLElement;
  private readonly rows = h("div", { class: "budget-rows", role: "group", "aria-label": "Budgets" });
  private readonly status = h("p", { class: "muted", role: "status", testid: "budget-status" });
  private inputs: { operation: HTMLInputElement; ms: HTMLInputElement; row: HTMLElement }[] = [];

  constructor(private readonly saved: () => void) {
    this.element = h(
      "section",
      { class: "perf-section", "aria-labelledby": "perf-budgets-title" },
      h("h3", { id: "perf-budgets-title" }, "Budgets (p95, ms)"),
      h(
        "p",
        { class: "muted" },
        "An operation (\"GET /api/notetypes\") or a prefix ending in * (\"POST /api/preview*\"; " +
          "* alone is every operation). The longest match applies. Crossing a budget raises an alert here, " +
          "in the header and in the server's log.",
      ),
      this.rows,
      h(
        "div",
        { class: "budget-actions" },
        button("+ Add budget", "Add a budget", "budget-add", () => this.add("", "")),
        button("Save budgets", "Save the budgets", "budget-save", () => void this.save(), {
          class: "primary",
        }),
        button("Restore defaults", "Restore the default budgets", "budget-defaults", () =>
          void this.store([]),
        ),
      ),
      this.status,
    );
  }

  async load(): Promise<void> {
    try {
      this.fill((await perfApi.budgets()).budgets);
    } catch (error) {
      this.status.textContent = `The budgets could not load: ${errorMessage(error)}`;
    }
  }

  private fill(budgets: readonly BudgetDoc[]): void {
    replaceChildren(this.rows);
    this.inputs = [];
    for (const budget of budgets) this.add(budget.operation, String(budget.p95_ms));
  }

  private add(operation: string, ms: string): void {
    const index = this.inputs.length + 1;
    const name = h("input", {
      type: "text",
      value: operation,
      testid: "budget-operation",
      "aria-label": `Budget ${index}: operation`,
      placeholder: "GET /api/notetypes or *",
    });
    const value = h("input", {
      type: "number",
      min: "0.001",
      step: "any",
      value: ms,
      testid: "budget-ms",
      "aria-label": `Budget ${index}: p95 in milliseconds`,
    });
    const row = h("div", { class: "budget-row", testid: "budget-row" }, name, value);
    const entry = { operation: name, ms: value, row };
    row.append(
      button("Remove", `Remove budget ${index}`, "budget-remove", () => {
        this.inputs = this.inputs.filter((e) => e !== entry);
        row.remove();
        this.inputs[0]?.operation.focus();
      }),
    );
    this.inputs.push(entry);
    this.rows.append(row);
    if (!operation) name.focus();
  }

  private async save(): Promise<void> {
    const typed: BudgetInput[] = this.inputs.map((e) => ({
      operation: e.operation.value,
      ms: e.ms.value,
    }));
    const { budgets, error } = budgetRows(typed);
    if (error) {
      this.status.textContent = error;
      return;
    }
    await this.store(budgets);
  }

  private async store(budgets: BudgetDoc[]): Promise<void> {
    try {
      const doc = await perfApi.saveBudgets(budgets);
      this.fill(doc.budgets);
      this.status.textContent = doc.defaults ? "Default budgets restored." : "Budgets saved.";
      this.saved();
    } catch (error) {
      this.status.textContent = `Not saved: ${errorMessage(error)}`;
    }
  }
}
