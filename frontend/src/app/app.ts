// The page: library | designer | preview, with hash routing (`#/` and `#/notetype/<id>`).
import { api, errorMessage } from "../api/client";
import { helpPage, isHelpRoute, welcomeView } from "../help";
import { appNav, isPerformanceRoute, markCurrent, type PerformancePage, performancePage } from "../perf";
import { benchRows, syntheticSummaries } from "./benchRoute";
import { Designer } from "./designer";
import { h, replaceChildren } from "./dom";
import { Library } from "./library";

/** The note type id in a location hash, or null for the library. */
export function routeOf(hash: string): string | null {
  const match = /^#\/notetype\/([^/?#]+)/.exec(hash);
  if (!match?.[1]) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    // A hand-typed malformed escape: look it up as typed, so the user sees "not found".
    return match[1];
  }
}

export class App {
  private readonly library: Library;
  private readonly main: HTMLElement;
  private readonly previewColumn: HTMLElement;
  private designer: Designer | null = null;
  private opening = 0;
  private readonly nav = appNav();
  private performance: PerformancePage | null = null;

  constructor(root: HTMLElement) {
    this.library = new Library({ open: (id) => this.navigate(id) });
    this.main = h("main", { class: "center", "aria-label": "Designer" });
    this.previewColumn = h("aside", { class: "preview-column", "aria-label": "Preview" });
    this.library.element.prepend(this.nav);
    replaceChildren(
      root,
      h("div", { class: "layout" }, this.library.element, this.main, this.previewColumn),
    );
    window.addEventListener("hashchange", () => void this.route());
    const benchRowCount = benchRows(location.hash);
    if (benchRowCount === null) void this.library.refresh();
    else this.library.load(syntheticSummaries(benchRowCount));
    void this.route();
  }

  private navigate(id: string): void {
    const hash = `#/notetype/${encodeURIComponent(id)}`;
    if (location.hash === hash) void this.route();
    else location.hash = hash;
  }

  private welcome(): HTMLElement {
    if (isPerformanceRoute(location.hash)) {
      this.performance = performancePage();
      return this.performance.element;
    }
    return isHelpRoute(location.hash) ? helpPage() : welcomeView();
  }

  private async route(): Promise<void> {
    const id = routeOf(location.hash);
    const mine = ++this.opening;
    this.performance?.stop();
    this.performance = null;
    markCurrent(this.nav, location.hash);
    const previous = this.designer;
    this.designer = null;
    if (previous) void previous.close();
    replaceChildren(this.previewColumn);
    this.library.setActive(id);
    this.previewColumn.hidden = id === null;
    if (id === null) {
      replaceChildren(this.main, this.welcome());
      return;
    }
    replaceChildren(this.main, h("p", { class: "muted loading" }, "Loading…"));
    try {
      const doc = await api.get(id);
      if (mine !== this.opening) return;
      const designer = new Designer(doc, this.previewColumn, {
        libraryChanged: () => void this.library.refresh(),
        closed: () => {
          location.hash = "#/";
        },
      });
      this.designer = designer;
      replaceChildren(this.main, designer.element);
    } catch (error) {
      if (mine !== this.opening) return;
      replaceChildren(
        this.main,
        h(
          "div",
          { class: "welcome error", role: "alert" },
          h("h2", {}, "Cannot open this note type"),
          h("p", {}, errorMessage(error)),
          h("a", { href: "#/" }, "Back to the library"),
        ),
      );
    }
  }
}
