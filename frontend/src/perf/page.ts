// The Performance page (#/performance): live p50/p95/p99 per operation with sparklines, the
// slowest note types and templates with their bottleneck, the history over days, budgets and
// alerts, export. Live figures refresh every few seconds while the page is shown and visible.
import { errorMessage } from "../api/client";
import { button, h, replaceChildren } from "../app/dom";
import {
  type AlertDoc,
  type CacheAlertDoc,
  exportUrl,
  type LiveDoc,
  type NoteTypeTimingDoc,
  type OperationDoc,
  perfApi,
} from "./api";
import { CachesSection } from "./caches";
import { formatMs, sparkline } from "./charts";
import { showAlerts } from "./nav";
import { BudgetsSection, HistorySection, templateTable } from "./sections";
import { virtualTable } from "./table";

const REFRESH_MS = 3_000;
const HISTORY_REFRESH_MS = 60_000;

function operationCell(op: OperationDoc): HTMLElement {
  return h(
    "span",
    { class: "perf-op", title: op.operation },
    h("code", {}, op.operation),
    op.over_budget ? h("span", { class: "badge badge-over" }, "over budget") : null,
  );
}

function chartCell(op: OperationDoc): SVGSVGElement {
  const p50 = op.series.map((p) => p.p50_ms);
  const p95 = op.series.map((p) => p.p95_ms);
  return sparkline(p50, p95, op.budget_ms, chartWords(op));
}

function chartWords(op: OperationDoc): string {
  const busy = op.series.filter((p) => p.p95_ms !== null);
  if (!busy.length) return "no recent requests";
  const worst = Math.max(...busy.map((p) => p.p95_ms ?? 0));
  return `p95 over the last minutes: worst ${formatMs(worst)} ms, latest ${formatMs(busy[busy.length - 1]?.p95_ms)} ms`;
}

export class PerformancePage {
  readonly element: HTMLElement;
  private readonly banner = h("div", { class: "perf-banner", role: "alert", testid: "perf-banner" });
  private readonly updated = h("span", { class: "muted", testid: "perf-updated" });
  private readonly operations = virtualTable<OperationDoc>({
    label: "Latency per operation",
    testid: "perf-operations",
    rowTestid: "perf-operation-row",
    rowHeight: 34,
    empty: "No requests in the window yet. Use the designer and the figures appear here.",
    rowKey: (op) => op.operation,
    columns: [
      { title: "Operation", width: "minmax(220px, 3fr)", cell: operationCell, spoken: (op) => op.operation + (op.over_budget ? ", over budget" : "") },
      { title: "Count", width: "64px", numeric: true, cell: (op) => String(op.count) },
      { title: "Errors", width: "56px", numeric: true, cell: (op) => String(op.errors) },
      { title: "p50", width: "60px", numeric: true, cell: (op) => formatMs(op.p50_ms) },
      { title: "p95", width: "60px", numeric: true, cell: (op) => formatMs(op.p95_ms) },
      { title: "p99", width: "60px", numeric: true, cell: (op) => formatMs(op.p99_ms) },
      { title: "Budget", width: "64px", numeric: true, cell: (op) => formatMs(op.budget_ms) },
      { title: "Recent p50 / p95", width: "128px", cell: chartCell, spoken: chartWords },
    ],
  });
  private readonly notetypes = virtualTable<NoteTypeTimingDoc>({
    label: "Slowest note types by preview render time",
    testid: "perf-notetypes",
    rowTestid: "perf-notetype-row",
    rowHeight: 32,
    empty: "No previews rendered in the window yet.",
    columns: [
      { title: "Note type", width: "minmax(160px, 3fr)", cell: (n) => n.notetype },
      { title: "Renders", width: "70px", numeric: true, cell: (n) => String(n.count) },
      { title: "p50", width: "60px", numeric: true, cell: (n) => formatMs(n.p50_ms) },
      { title: "p95", width: "60px", numeric: true, cell: (n) => formatMs(n.p95_ms) },
      { title: "p99", width: "60px", numeric: true, cell: (n) => formatMs(n.p99_ms) },
      {
        title: "Bottleneck",
        width: "90px",
        cell: (n) =>
          button("Profile", `Find the bottleneck of ${n.notetype}`, "perf-profile", () =>
            void this.profile(n.notetype),
          ),
      },
    ],
  });
  private readonly templates = templateTable("perf-templates");
  private readonly templatesStatus = h("p", { class: "muted", role: "status", testid: "perf-templates-status" });
  private readonly caches = new CachesSection();
  private readonly history = new HistorySection();
  private readonly budgets = new BudgetsSection(() => void this.refresh());
  private readonly days: HTMLSelectElement;
  private readonly exports: HTMLElement;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastHistory = 0;
  private refreshes = 0;

  constructor() {
    this.days = h(
      "select",
      { testid: "perf-days", "aria-label": "History and export: how many days" },
      ...[7, 30, 90].map((d) => h("option", { value: String(d), selected: d === 30 }, `${d} days`)),
    );
    this.days.addEventListener("change", () => {
      this.updateExports();
      void this.loadHistory();
    });
    this.exports = h("span", { class: "perf-exports" });
    this.updateExports();
    this.banner.hidden = true;
    this.element = h(
      "div",
      { class: "perf-page", testid: "perf-page" },
      h(
        "header",
        { class: "perf-head" },
        h("h2", {}, "Performance"),
        this.updated,
        h("span", { class: "perf-spacer" }),
        h("label", {}, "History ", this.days),
        this.exports,
      ),
      this.banner,
      h(
        "section",
        { class: "perf-section", "aria-labelledby": "perf-live-title" },
        h("h3", { id: "perf-live-title" }, "Live: latency per operation (ms, last 5 minutes)"),
        this.operations.element,
      ),
      h(
        "section",
        { class: "perf-section", "aria-labelledby": "perf-notetypes-title" },
        h("h3", { id: "perf-notetypes-title" }, "Slowest note types (preview render, ms)"),
        this.notetypes.element,
      ),
      this.caches.element,
      h(
        "section",
        { class: "perf-section", "aria-labelledby": "perf-templates-title" },
        h("h3", { id: "perf-templates-title" }, "Slowest templates and their bottleneck"),
        h(
          "p",
          { class: "muted" },
          "The filter chain or section that takes most of a card type's render time, " +
            "measured by rendering its sample notes.",
        ),
        h(
          "div",
          { class: "budget-actions" },
          button("Scan the workspace", "Profile every stored note type", "perf-scan", () =>
            void this.scan(),
          ),
        ),
        this.templatesStatus,
        this.templates.element,
      ),
      this.history.element,
      this.budgets.element,
    );
    document.addEventListener("visibilitychange", this.onVisibility);
    void this.budgets.load();
    void this.refresh();
  }

  private readonly onVisibility = (): void => {
    if (document.visibilityState === "visible" && this.element.isConnected) void this.refresh();
  };

  private updateExports(): void {
    const days = Number(this.days.value);
    replaceChildren(
      this.exports,
      h("a", { class: "button", href: exportUrl("csv", days), download: "", testid: "perf-export-csv" }, "Export CSV"),
      h("a", { class: "button", href: exportUrl("json", days), download: "", testid: "perf-export-json" }, "Export JSON"),
    );
  }

  /** Fetch the live figures (and the history when due), then schedule the next refresh. */
  async refresh(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    // Left without stop() (the first refresh runs before the page is attached): stop now.
    if (this.refreshes++ > 0 && !this.element.isConnected) {
      this.stop();
      return;
    }
    const caches = this.caches.refresh();
    try {
      this.show(await perfApi.live());
    } catch (error) {
      this.operations.showMessage(`The figures could not load: ${errorMessage(error)}`, "error");
    }
    await caches;
    if (Date.now() - this.lastHistory > HISTORY_REFRESH_MS) void this.loadHistory();
    if (document.visibilityState === "visible") {
      this.timer = setTimeout(() => void this.refresh(), REFRESH_MS);
    }
  }

  /** Stop refreshing (the page was left). */
  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    document.removeEventListener("visibilitychange", this.onVisibility);
  }

  private show(live: LiveDoc): void {
    this.operations.setItems(live.operations);
    this.notetypes.setItems(live.notetypes);
    const cacheAlerts = live.cache_alerts ?? [];
    this.showBanner(live.alerts, cacheAlerts);
    showAlerts(live.alerts, cacheAlerts);
    this.updated.textContent = `Updated ${new Date().toLocaleTimeString()}`;
  }

  private showBanner(alerts: readonly AlertDoc[], cacheAlerts: readonly CacheAlertDoc[]): void {
    const count = alerts.length + cacheAlerts.length;
    this.banner.hidden = count === 0;
    const title =
      alerts.length && cacheAlerts.length
        ? "Budgets are crossed and caches thrash: "
        : alerts.length
          ? alerts.length === 1
            ? "A budget is crossed: "
            : "Budgets are crossed: "
          : cacheAlerts.length === 1
            ? "A cache is thrashing: "
            : "Caches are thrashing: ";
    replaceChildren(
      this.banner,
      count ? h("strong", {}, title) : null,
      count
        ? h(
            "ul",
            {},
            ...alerts.map((a) => h("li", { testid: "perf-alert-item" }, a.message)),
            ...cacheAlerts.map((a) => h("li", { testid: "perf-cache-alert-item" }, a.message)),
          )
        : null,
    );
  }

  private async loadHistory(): Promise<void> {
    this.lastHistory = Date.now();
    try {
      this.history.show(await perfApi.history(Number(this.days.value), "day"));
    } catch (error) {
      this.history.fail(error);
    }
  }

  private async profile(notetype: string): Promise<void> {
    this.templatesStatus.textContent = `Profiling ${notetype}…`;
    try {
      const doc = await perfApi.profileStored(notetype);
      this.templates.setItems(doc.templates);
      const when = new Date(doc.measured_at * 1000).toLocaleString();
      this.templatesStatus.textContent =
        `${doc.notetype}: each card rendered ${doc.repeat} times per sample note` +
        (doc.cached ? `, measured ${when} (unchanged since; from the disk cache).` : ".");
    } catch (error) {
      this.templatesStatus.textContent = `Could not profile ${notetype}: ${errorMessage(error)} (only saved note types can be profiled here).`;
    }
  }

  private async scan(): Promise<void> {
    this.templatesStatus.textContent = "Scanning the workspace…";
    try {
      const doc = await perfApi.slowestTemplates();
      this.templates.setItems(doc.templates);
      const cached = doc.cached ? ` (${doc.cached} unchanged since their last scan, from the disk cache)` : "";
      this.templatesStatus.textContent = `${doc.scanned} note types scanned${cached}; the slowest card types first.`;
    } catch (error) {
      this.templatesStatus.textContent = `The scan failed: ${errorMessage(error)}`;
    }
  }
}

/** The page for the route; the caller stops the previous one when leaving. */
export function performancePage(): PerformancePage {
  return new PerformancePage();
}
