// The grid of sandboxed frames: one row per platform, question and answer side by side.
//
// Each cell double-buffers: a new page loads into a hidden iframe that replaces the visible one
// on `load`, so the last good render stays on screen while the next one loads (no blank flash
// per keystroke). Only the visible frame carries data-testid="preview-frame". Frames are
// `sandbox="allow-scripts"` without allow-same-origin: card scripts run with an opaque origin
// and cannot reach the designer's DOM, storage or API.
//
// Loading a srcdoc is a navigation (tens of milliseconds, more on a busy machine). When neither
// the page on screen nor the new one has a card script, the new page is instead posted to the
// frame's bridge script, which swaps in the parsed document in place and answers "replaced":
// a script-free page looks the same either way, and a keystroke reaches the screen sooner.
// Pages with scripts always load afresh, so their scripts run in a clean window as on a device.
import type { Platform } from "../api/types";
import { platformLabel, type Viewport } from "./viewports";

export type Side = "question" | "answer";

const SIDES: readonly Side[] = ["question", "answer"];
const MIN_SIDE_BY_SIDE_SCALE = 0.4;

class FrameCell {
  readonly element: HTMLElement;
  private readonly stage: HTMLElement;
  private readonly caption: HTMLElement;
  private shown: HTMLIFrameElement | null = null;
  private pending: HTMLIFrameElement | null = null;
  private shownHtml: string | null = null;
  private pendingHtml: string | null = null;
  private shownScripted = true;
  private pendingScripted = true;
  private onLoaded: (() => void) | null = null;
  private token = 0;
  private replacing: { token: number; done: () => void } | null = null;

  constructor(
    readonly platform: Platform,
    readonly side: Side,
  ) {
    this.element = document.createElement("figure");
    this.element.className = "preview-cell";
    this.caption = document.createElement("figcaption");
    this.caption.className = "preview-caption";
    this.stage = document.createElement("div");
    this.stage.className = "preview-stage";
    this.element.append(this.caption, this.stage);
  }

  label(night: boolean): void {
    const side = this.side === "question" ? "Question" : "Answer";
    this.caption.textContent = `${platformLabel(this.platform)} · ${side} · ${night ? "night" : "light"}`;
  }

  /** Show `html`; `loaded` runs once it is on screen (at once when nothing changed). */
  show(html: string, scripted: boolean, loaded: () => void): void {
    const loading = this.pendingHtml !== null;
    if (loading && html === this.pendingHtml) {
      this.onLoaded = loaded;
      return;
    }
    if (!loading && html === this.shownHtml) {
      loaded();
      return;
    }
    const target = this.shown?.contentWindow;
    if (!loading && target && !scripted && !this.shownScripted) {
      this.replaceInPlace(target, html, loaded);
      return;
    }
    this.replacing = null;
    // Every load gets a fresh frame: a frame reused mid-navigation could pass the old page's
    // load event off as the new one's.
    this.pending?.remove();
    const frame = this.newFrame();
    this.pending = frame;
    this.pendingHtml = html;
    this.pendingScripted = scripted;
    this.onLoaded = loaded;
    frame.srcdoc = html;
    // Inserted only once it has a srcdoc, so its first load event is the page's.
    if (!frame.isConnected) this.stage.append(frame);
  }

  /** The windows of the cell's frames (to recognise their messages). */
  windows(): (Window | null)[] {
    return [this.shown?.contentWindow ?? null, this.pending?.contentWindow ?? null];
  }

  /** The frame's bridge replaced its page (message {atd: "replaced", token}). */
  replaced(source: Window, token: number): void {
    const waiting = this.replacing;
    if (!waiting || waiting.token !== token || source !== this.shown?.contentWindow) return;
    this.replacing = null;
    waiting.done();
  }

  private replaceInPlace(target: Window, html: string, loaded: () => void): void {
    this.token += 1;
    this.replacing = { token: this.token, done: loaded };
    this.shownHtml = html;
    const scroll = this.side === "answer";
    // The frame's origin is opaque, hence "*"; the page is the card, nothing secret.
    target.postMessage({ atd: "replace", html, scroll, token: this.token }, "*");
  }

  private newFrame(): HTMLIFrameElement {
    const frame = document.createElement("iframe");
    frame.setAttribute("sandbox", "allow-scripts");
    frame.className = "preview-frame is-pending";
    frame.dataset.platform = this.platform;
    frame.dataset.side = this.side;
    frame.title = `${platformLabel(this.platform)} ${this.side}`;
    frame.addEventListener("load", () => this.swapIn(frame));
    return frame;
  }

  private swapIn(frame: HTMLIFrameElement): void {
    if (frame === this.shown) {
      // The browser reloaded the visible frame from its srcdoc attribute (e.g. it was moved in
      // the DOM), undoing any in-place update: the next page must load afresh.
      this.shownHtml = frame.srcdoc;
      this.shownScripted = true;
      this.replacing = null;
      return;
    }
    if (frame !== this.pending) return;
    // The page it replaces goes, scripts, timers and all.
    this.shown?.remove();
    this.shown = frame;
    this.shownHtml = this.pendingHtml;
    this.shownScripted = this.pendingScripted;
    this.pending = null;
    this.pendingHtml = null;
    frame.classList.remove("is-pending");
    frame.dataset.testid = "preview-frame";
    const loaded = this.onLoaded;
    this.onLoaded = null;
    loaded?.();
  }
}

/** The frames for the chosen platforms, scaled to fit the column. */
export class FrameGrid {
  readonly element: HTMLElement;
  private cells = new Map<string, FrameCell>();
  private viewport: Viewport;
  private readonly resizeObserver: ResizeObserver;

  constructor(viewport: Viewport) {
    this.viewport = viewport;
    this.element = document.createElement("div");
    this.element.className = "preview-grid";
    this.resizeObserver = new ResizeObserver(() => this.fit());
    this.resizeObserver.observe(this.element);
    this.applyViewport();
  }

  setViewport(viewport: Viewport): void {
    this.viewport = viewport;
    this.applyViewport();
  }

  /** Keep one row per platform, in the given order. */
  setPlatforms(platforms: readonly Platform[], night: boolean): void {
    const wanted = new Map<string, FrameCell>();
    for (const platform of platforms) {
      for (const side of SIDES) {
        const key = `${platform}/${side}`;
        const cell = this.cells.get(key) ?? new FrameCell(platform, side);
        cell.label(night);
        wanted.set(key, cell);
      }
    }
    for (const [key, cell] of this.cells) {
      if (!wanted.has(key)) cell.element.remove();
    }
    this.cells = wanted;
    // Insert new cells in place without moving the others: moving an iframe reloads it.
    let cursor = this.element.firstElementChild;
    for (const cell of wanted.values()) {
      if (cell.element === cursor) {
        cursor = cursor.nextElementSibling;
      } else {
        this.element.insertBefore(cell.element, cursor);
      }
    }
  }

  /** Put pages into cells; `done` runs when every changed frame has loaded. */
  show(
    pages: { platform: Platform; side: Side; html: string; scripted: boolean }[],
    done: () => void,
  ): void {
    let waiting = pages.length;
    const one = (): void => {
      waiting -= 1;
      if (waiting === 0) done();
    };
    if (waiting === 0) done();
    for (const page of pages) {
      const cell = this.cells.get(`${page.platform}/${page.side}`);
      if (cell) cell.show(page.html, page.scripted, one);
      else one();
    }
  }

  /** True when `source` is the window of one of the grid's frames. */
  owns(source: MessageEventSource | null): boolean {
    if (!source) return false;
    for (const cell of this.cells.values()) {
      if (cell.windows().includes(source as Window)) return true;
    }
    return false;
  }

  /** Route a frame's "replaced" answer to its cell. */
  replaced(source: MessageEventSource | null, token: number): void {
    for (const cell of this.cells.values()) cell.replaced(source as Window, token);
  }

  destroy(): void {
    this.resizeObserver.disconnect();
    this.element.remove();
  }

  private applyViewport(): void {
    this.element.style.setProperty("--vw", `${this.viewport.width}px`);
    this.element.style.setProperty("--vh", `${this.viewport.height}px`);
    this.fit();
  }

  // Question and answer side by side, each frame scaled down to its column's width; when that
  // would shrink the card below legibility (a desktop viewport in a narrow column), the answer
  // goes under the question instead, at twice the size.
  private fit(): void {
    const style = getComputedStyle(this.element);
    const gap = parseFloat(style.columnGap) || 0;
    const border = 2; // the stage's 1px border on each side
    const width = this.element.clientWidth;
    const sideBySide = Math.min(1, ((width - gap) / 2 - border) / this.viewport.width);
    const stacked = sideBySide < MIN_SIDE_BY_SIDE_SCALE;
    const scale = stacked ? Math.min(1, (width - border) / this.viewport.width) : sideBySide;
    this.element.classList.toggle("is-stacked", stacked);
    this.element.style.setProperty("--scale", width > 0 ? scale.toFixed(4) : "1");
  }
}
