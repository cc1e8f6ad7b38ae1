// The grid of sandboxed frames: one row per platform, question and answer side by side; in the
// "All cards" layout one row per card and platform (grid.ts says which cells, in which order).
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
import type { CardChoice } from "../api/preview";
import type { Platform } from "../api/types";
import { cellCaption, cellKey, insertions, layoutCells, type Side } from "./grid";
import { platformLabel, type Viewport } from "./viewports";

export type { Side } from "./grid";

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
    public card: CardChoice | null,
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
    const caption = cellCaption(this.card, this.platform, this.side, night);
    if (this.caption.textContent !== caption) this.caption.textContent = caption;
  }

  /** The card's name changed (captions only: the frames stay). */
  rename(name: string): void {
    if (this.card && this.card.name !== name) this.card = { ord: this.card.ord, name };
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
    if (this.card) frame.dataset.card = String(this.card.ord);
    const title = `${platformLabel(this.platform)} ${this.side}`;
    frame.title = this.card ? `${this.card.name}, ${title}` : title;
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
  private cards: CardChoice[] | null = null;
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

  /** Keep one row per platform, in the given order (in the current card layout). */
  setPlatforms(platforms: readonly Platform[], night: boolean): void {
    this.setLayout(this.cards, platforms, night);
  }

  /**
   * Keep one row per platform (`cards` null: the single-card layout) or one row per card and
   * platform (the "All cards" layout), in the given order.
   */
  setLayout(
    cards: readonly CardChoice[] | null,
    platforms: readonly Platform[],
    night: boolean,
  ): void {
    this.cards = cards === null ? null : cards.map((c) => ({ ord: c.ord, name: c.name }));
    const wanted = new Map<string, FrameCell>();
    for (const spec of layoutCells(this.cards, platforms)) {
      let cell = this.cells.get(spec.key);
      // A card renamed (its card type's name edited) keeps its frames: only the caption changes.
      if (cell && spec.card) cell.rename(spec.card.name);
      cell ??= new FrameCell(spec.card, spec.platform, spec.side);
      cell.label(night);
      wanted.set(spec.key, cell);
    }
    for (const [key, cell] of this.cells) {
      if (!wanted.has(key)) cell.element.remove();
    }
    const present = [...this.cells.keys()];
    this.cells = wanted;
    // Insert new cells in place without moving the others: moving an iframe reloads it.
    for (const { key, before } of insertions(present, [...wanted.keys()])) {
      const next = before === null ? null : (wanted.get(before)?.element ?? null);
      this.element.insertBefore(wanted.get(key)!.element, next);
    }
  }

  /** Put pages into cells; `done` runs when every changed frame has loaded. */
  show(
    pages: { card?: number; platform: Platform; side: Side; html: string; scripted: boolean }[],
    done: () => void,
  ): void {
    let waiting = pages.length;
    const one = (): void => {
      waiting -= 1;
      if (waiting === 0) done();
    };
    if (waiting === 0) done();
    for (const page of pages) {
      const cell = this.cells.get(cellKey(page.card ?? null, page.platform, page.side));
      if (cell) cell.show(page.html, page.scripted, one);
      else one();
    }
  }

  /** True when `source` is the window of one of the grid's frames. */
  owns(source: MessageEventSource | null): boolean {
    return this.cellOf(source) !== null;
  }

  /** The card ord of the frame whose window is `source` (null: single-card layout or none). */
  cardOf(source: MessageEventSource | null): number | null {
    return this.cellOf(source)?.card?.ord ?? null;
  }

  /** Route a frame's "replaced" answer to its cell. */
  replaced(source: MessageEventSource | null, token: number): void {
    for (const cell of this.cells.values()) cell.replaced(source as Window, token);
  }

  destroy(): void {
    this.resizeObserver.disconnect();
    this.element.remove();
  }

  private cellOf(source: MessageEventSource | null): FrameCell | null {
    if (!source) return null;
    for (const cell of this.cells.values()) {
      if (cell.windows().includes(source as Window)) return cell;
    }
    return null;
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
