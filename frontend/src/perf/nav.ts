// The header's page links, with the budget alert indicator next to "Performance".
import { h } from "../app/dom";
import { type AlertDoc, type CacheAlertDoc, perfApi } from "./api";
import { alertSummary } from "./model";

const POLL_MS = 15_000;
let indicator: HTMLElement | null = null;

/** Show `alerts` (crossed budgets) and `cacheAlerts` (thrashing caches) on the header's
 * indicator; the Performance page calls it on each refresh. */
export function showAlerts(
  alerts: readonly AlertDoc[],
  cacheAlerts: readonly CacheAlertDoc[] = [],
): void {
  if (!indicator) return;
  const count = alerts.length + cacheAlerts.length;
  indicator.hidden = count === 0;
  const text = alertSummary(alerts.length, cacheAlerts.length);
  indicator.textContent = String(count);
  indicator.title = [...alerts, ...cacheAlerts].map((a) => a.message).join("\n") || text;
  indicator.setAttribute("aria-label", text);
}

async function poll(): Promise<void> {
  if (document.visibilityState === "visible") {
    try {
      const doc = await perfApi.alerts();
      showAlerts(doc.alerts, doc.cache_alerts ?? []);
    } catch {
      // The server is away: the next poll tries again; the indicator keeps its last state.
    }
  }
  setTimeout(() => void poll(), POLL_MS);
}

/** The header navigation: the library and the Performance page, with its alert count. */
export function appNav(): HTMLElement {
  indicator = h("span", { class: "perf-alert-dot", testid: "perf-alert", role: "status" });
  indicator.hidden = true;
  void poll();
  return h(
    "nav",
    { class: "app-nav", "aria-label": "Pages" },
    h("a", { href: "#/", testid: "nav-library" }, "Library"),
    h(
      "a",
      { href: "#/performance", testid: "nav-performance" },
      "Performance",
      indicator,
    ),
  );
}

/** Mark the link of the page shown (aria-current). */
export function markCurrent(nav: HTMLElement, hash: string): void {
  const performance = /^#\/performance(?:[/?]|$)/.test(hash);
  for (const link of nav.querySelectorAll("a")) {
    const on = link.getAttribute("href") === (performance ? "#/performance" : "#/");
    if (on) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}
