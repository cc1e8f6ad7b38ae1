// The Performance page's Caches section: every cache's fill, hit ratio, counters and health
// verdict (a thrashing cache stands out; the server raises its alert), and the work
// manager's queues per priority.
import { errorMessage } from "../api/client";
import { h, replaceChildren } from "../app/dom";
import { type CacheDoc, type CachesDoc, perfApi, type PriorityWorkDoc, type WorkDoc } from "./api";
import { formatMs, formatShare } from "./charts";
import { formatBytes, reasonCounts } from "./model";
import { virtualTable } from "./table";

const HEALTH_WORDS: Record<CacheDoc["health"], string> = {
  ok: "ok",
  thrashing: "thrashing",
  churn: "churn",
  idle: "idle",
  disabled: "off",
};

function nameCell(cache: CacheDoc): HTMLElement {
  return h(
    "span",
    { class: "perf-op", title: cache.name },
    h("code", {}, cache.name),
    cache.health === "thrashing" ? h("span", { class: "badge badge-over" }, "thrashing") : null,
  );
}

function sizeCell(cache: CacheDoc): string {
  return `${formatBytes(cache.bytes)} of ${formatBytes(cache.max_bytes)}`;
}

function healthCell(cache: CacheDoc): HTMLElement {
  return h(
    "span",
    { class: "perf-health", title: cache.health_message },
    h("span", { class: `health health-${cache.health}` }, HEALTH_WORDS[cache.health]),
    " ",
    h("span", { class: "perf-health-text" }, cache.health_message),
  );
}

function entriesCell(cache: CacheDoc): string {
  return `${cache.entries} / ${cache.max_entries}`;
}

/** The caches table, and the work manager's queues under it. */
export class CachesSection {
  readonly element: HTMLElement;
  private readonly status = h("p", { class: "muted", role: "status", testid: "perf-caches-status" });
  private readonly caches = virtualTable<CacheDoc>({
    label: "Caches",
    testid: "perf-caches",
    rowTestid: "perf-cache-row",
    rowHeight: 44,
    empty: "This server has no caches.",
    rowKey: (c) => c.name,
    rowClass: (c) => (c.health === "thrashing" ? "perf-row-alert" : null),
    columns: [
      { title: "Cache", width: "minmax(150px, 1.4fr)", cell: nameCell, spoken: (c) => c.name + (c.health === "thrashing" ? ", thrashing" : "") },
      { title: "Entries", width: "110px", numeric: true, cell: entriesCell },
      { title: "Bytes", width: "140px", numeric: true, cell: sizeCell },
      { title: "Hit ratio", width: "70px", numeric: true, cell: (c) => formatShare(c.hit_ratio) },
      { title: "Hits", width: "70px", numeric: true, cell: (c) => String(c.hits) },
      { title: "Misses", width: "70px", numeric: true, cell: (c) => String(c.misses) },
      { title: "Evictions", width: "76px", numeric: true, cell: (c) => String(c.evictions) },
      {
        title: "Health (recent lookups)",
        width: "minmax(220px, 3fr)",
        cell: healthCell,
        spoken: (c) => `${HEALTH_WORDS[c.health]}: ${c.health_message}`,
      },
    ],
  });
  private readonly workSummary = h("p", { class: "muted", testid: "perf-work-summary" });
  private readonly work = virtualTable<PriorityWorkDoc>({
    label: "Work queues by priority",
    testid: "perf-work",
    rowTestid: "perf-work-row",
    rowHeight: 30,
    empty: "No work manager.",
    rowKey: (p) => p.priority,
    columns: [
      { title: "Priority", width: "minmax(100px, 1fr)", cell: (p) => p.priority },
      { title: "Queued", width: "90px", numeric: true, cell: (p) => `${p.queued} / ${p.max_queued}` },
      { title: "Running", width: "70px", numeric: true, cell: (p) => String(p.running) },
      { title: "Budget", width: "70px", numeric: true, cell: (p) => (p.budget_ms === null ? "none" : formatMs(p.budget_ms)) },
      { title: "Coalesced", width: "80px", numeric: true, cell: (p) => String(p.coalesced) },
      { title: "Refused", width: "minmax(120px, 1fr)", cell: (p) => reasonCounts(p.refused) },
      { title: "Stopped", width: "minmax(120px, 1fr)", cell: (p) => reasonCounts(p.stopped) },
    ],
  });

  constructor() {
    this.element = h(
      "section",
      { class: "perf-section", "aria-labelledby": "perf-caches-title" },
      h("h3", { id: "perf-caches-title" }, "Caches"),
      h(
        "p",
        { class: "muted" },
        "Counters since the server started; health judges each cache's recent lookups. " +
          "A thrashing cache evicts what it is asked for again: give the caches more memory " +
          "(atd serve --cache-mb N, or ATD_CACHE_MB; the disk cache has its own cap).",
      ),
      this.status,
      this.caches.element,
      h("h3", { id: "perf-work-title" }, "Work queues"),
      this.workSummary,
      this.work.element,
    );
  }

  /** Fetch both documents and show them (failures shown in place, never thrown). */
  async refresh(): Promise<void> {
    const [caches, work] = await Promise.allSettled([perfApi.caches(), perfApi.work()]);
    if (caches.status === "fulfilled") this.showCaches(caches.value);
    else this.caches.showMessage(`The caches could not load: ${errorMessage(caches.reason)}`, "error");
    if (work.status === "fulfilled") this.showWork(work.value);
    else this.work.showMessage(`The work queues could not load: ${errorMessage(work.reason)}`, "error");
  }

  showCaches(doc: CachesDoc): void {
    this.caches.setItems(doc.caches);
    const thrashing = doc.caches.filter((c) => c.health === "thrashing").length;
    replaceChildren(
      this.status,
      doc.enabled
        ? thrashing
          ? `${thrashing} of ${doc.caches.length} caches thrashing.`
          : `${doc.caches.length} caches.`
        : "Caches are off on this server (ATD_CACHE=off or --no-cache): every request recomputes.",
    );
  }

  showWork(doc: WorkDoc): void {
    this.work.setItems(doc.priorities);
    this.workSummary.textContent =
      `${doc.workers} workers (${doc.reserved_for_interactive} kept for interactive work); ` +
      `${doc.flights} jobs under way, ${doc.streams} editor streams waiting.`;
  }
}
