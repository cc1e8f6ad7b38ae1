// A virtual list: 100,000 rows scroll like 20, because only the rows in view (plus a few on
// each side) are in the DOM, absolutely placed in a spacer as tall as the whole list (so the
// scrollbar is true). Scrolls, resizes and data changes render once per animation frame.
//
//   const list = new VirtualList<Row>({
//     label: "Note types", rowHeight: 46, testid: "library-list",
//     renderRow: (row) => h("li", { testid: "library-item" }, row.name),
//     activate: (row) => open(row.id), // click, Enter or Space
//   });
//   parent.append(list.element); // give it a height (flex: 1, max-height…)
//   list.setItems(rows); list.setSelected(index);
//
// Accessibility: role listbox (or list) on the rows' container; rows get option or listitem
// and aria-setsize + aria-posinset ("12 of 100000" though only a window exists). A table:
// role "grid" on the scroller with aria-rowcount, an optional sticky `header` row, rowgroups,
// aria-rowindex on rows. Focus is a roving tabindex: arrows, Home, End, PageUp and PageDown
// move it, and the focused row stays in the DOM when scrolled away.
import "./virtualList.css";
import { FrameBatch, frames } from "./frame";
import {
  RowHeights,
  type RowRange,
  isNavigationKey,
  moveFocus,
  renderedRows,
  scrollToShow,
  visibleRange,
  withOverscan,
} from "./virtualWindow";

export type VirtualRole = "listbox" | "list" | "grid";

export interface VirtualListOptions<T> {
  /** The accessible name of the list. */
  label: string;
  /** Row height in px: exact, or the estimate until a row is measured (`measure`). */
  rowHeight: number;
  /** The element of one row (the list adds role, aria, tabindex and position). */
  renderRow: (item: T, index: number) => HTMLElement;
  /** Click, Enter or Space on a row (not on a button or link inside it). */
  activate?: (item: T, index: number) => void;
  /** listbox (default): choose one; list: rows with their own buttons; grid: table rows. */
  role?: VirtualRole;
  /** Measure rendered rows (rows of different heights); otherwise every row is rowHeight. */
  measure?: boolean;
  /** Rows rendered beyond each edge of the view (default 6). */
  overscan?: number;
  /** Lists this short are rendered whole (browser find works on them); default 0. */
  renderAllUpTo?: number;
  /** Arrow keys also activate (choose a sample as you move); default false. */
  activateOnFocus?: boolean;
  /** data-testid of the scrolling element. */
  testid?: string;
  /** Extra class names of the scrolling element. */
  className?: string;
  /** Shown instead of rows when there are none. */
  empty?: string;
  /** A grid's column headers (a role=row element): sticky above the rows, aria-rowindex 1. */
  header?: HTMLElement;
  /** Header rows the caller puts above the rows itself (for aria-rowindex); default 0. */
  headerRows?: number;
  /** The frame batch to render in (tests pass their own). */
  batch?: FrameBatch;
}

const INTERACTIVE = "button, a, input, select, textarea, [contenteditable]";

export class VirtualList<T> {
  /** The scrolling element: put it in the page and give it a height. */
  readonly element: HTMLElement;
  /** The element holding the rows (role listbox/list/grid). */
  readonly rows: HTMLElement;
  private readonly message: HTMLElement;
  private items: readonly T[] = [];
  private readonly heights: RowHeights;
  private readonly shown = new Map<number, HTMLElement>();
  private readonly batch: FrameBatch;
  private readonly resizeObserver: ResizeObserver | null;
  /** Measured rows are watched: a row that grows (an explanation opened) moves the ones below. */
  private readonly rowObserver: ResizeObserver | null;
  private readonly role: VirtualRole;
  private selected = -1;
  private focusIndex = -1;
  private focusWanted = false;
  private scrollWanted: number | null = null;
  private range: RowRange = { start: 0, end: 0 };
  /** The scroll offset of the last render (to tell a jump from a scroll). */
  private lastTop = 0;
  /** Bumped by setItems: rows rendered for older items are rebuilt. */
  private generation = 0;
  private readonly rowGeneration = new WeakMap<HTMLElement, number>();
  private readonly task = (): void => this.render();

  constructor(private readonly options: VirtualListOptions<T>) {
    this.role = options.role ?? "listbox";
    this.batch = options.batch ?? frames;
    this.heights = new RowHeights(0, options.rowHeight);
    const tag = this.role === "grid" ? "div" : "ul";
    this.rows = document.createElement(tag);
    this.rows.className = "vlist-rows";
    this.element = document.createElement("div");
    if (this.role === "grid") {
      this.element.setAttribute("role", "grid");
      this.element.setAttribute("aria-label", options.label);
      this.rows.setAttribute("role", "rowgroup");
    } else {
      this.rows.setAttribute("role", this.role);
      this.rows.setAttribute("aria-label", options.label);
    }
    this.message = document.createElement("p");
    this.message.className = "vlist-message muted";
    this.message.hidden = true;
    this.element.className = `vlist ${options.className ?? ""}`.trim();
    if (options.testid) this.element.dataset.testid = options.testid;
    if (options.header) {
      const head = document.createElement("div");
      head.className = "vlist-header";
      head.setAttribute("role", "rowgroup");
      options.header.setAttribute("aria-rowindex", "1");
      head.append(options.header);
      this.element.append(head);
    }
    this.element.append(this.message, this.rows);
    this.element.addEventListener("scroll", () => this.schedule(), { passive: true });
    this.rows.addEventListener("keydown", (event) => this.keydown(event));
    this.rows.addEventListener("click", (event) => this.click(event));
    this.rows.addEventListener("focusin", (event) => this.focusin(event));
    this.resizeObserver =
      typeof ResizeObserver === "undefined" ? null : new ResizeObserver(() => this.schedule());
    this.resizeObserver?.observe(this.element);
    this.rowObserver =
      options.measure && this.resizeObserver ? new ResizeObserver(() => this.schedule()) : null;
  }

  /** The rows' data, as last given. */
  get data(): readonly T[] {
    return this.items;
  }

  /** Replace the rows (re-rendered in the next frame; scroll position and focus are kept). */
  setItems(items: readonly T[]): void {
    this.items = items;
    this.generation += 1;
    this.heights.resize(items.length);
    if (this.options.measure) this.heights.reset();
    if (this.selected >= items.length) this.selected = -1;
    if (this.focusIndex >= items.length) this.focusIndex = items.length - 1;
    this.showMessage(null);
    this.schedule();
  }

  /** Show `text` instead of the rows (an error, "loading…"); null shows the rows again. */
  showMessage(text: string | null, kind: "muted" | "error" = "muted"): void {
    const empty = text === null && this.items.length === 0 ? (this.options.empty ?? "") : "";
    const shown = text ?? empty;
    this.message.textContent = shown;
    this.message.className = `vlist-message ${kind}`;
    this.message.hidden = !shown;
    if (text !== null) this.message.dataset.kind = kind;
    this.rows.hidden = text !== null;
  }

  /** The chosen row (aria-selected), or -1; it becomes the tabbable row. */
  setSelected(index: number): void {
    const next = index >= 0 && index < this.items.length ? index : -1;
    if (next === this.selected) return;
    this.selected = next;
    if (next >= 0 && !this.hasFocus()) this.focusIndex = next;
    this.schedule();
  }

  get selectedIndex(): number {
    return this.selected;
  }

  /** Scroll so row `index` is in view (rendered in the next frame). */
  scrollToIndex(index: number): void {
    if (index < 0 || index >= this.items.length) return;
    this.scrollWanted = index;
    this.schedule();
  }

  /** Move the keyboard focus to row `index` (scrolling it into view). */
  focusRow(index: number): void {
    if (index < 0 || index >= this.items.length) return;
    this.focusIndex = index;
    this.focusWanted = true;
    this.scrollToIndex(index);
  }

  /** Re-render the rows in view (their data changed in place). */
  refresh(): void {
    this.generation += 1;
    this.schedule();
  }

  /** Rows now in the DOM (first and last index, excluded end), for tests and benchmarks. */
  renderedRange(): RowRange {
    return { ...this.range };
  }

  /** Render now instead of in the next frame (e.g. before a caller reads the rows). */
  flush(): void {
    this.batch.cancel(this.task);
    this.render();
  }

  destroy(): void {
    this.batch.cancel(this.task);
    this.resizeObserver?.disconnect();
    this.rowObserver?.disconnect();
    this.element.remove();
  }

  private schedule(): void {
    this.batch.schedule(this.task);
  }

  private hasFocus(): boolean {
    return this.rows.contains(document.activeElement);
  }

  /** The list's top inside the scroller (a header above the rows scrolls with them). */
  private origin(): number {
    return this.rows.offsetTop;
  }

  /** The part of the scroller the rows show in, in the rows' coordinates. */
  private viewport(): { top: number; height: number } {
    // A sticky header covers the top of the scroller.
    const header = this.options.header ? this.rows.offsetTop : 0;
    return {
      top: this.element.scrollTop - this.origin() + header,
      height: Math.max(0, this.element.clientHeight - header),
    };
  }

  private render(): void {
    const count = this.items.length;
    this.rows.style.height = `${this.heights.total()}px`;
    this.updateContainerAria(count);
    if (this.scrollWanted !== null) {
      const { top, height } = this.viewport();
      const wanted = scrollToShow(this.heights, this.scrollWanted, top, height);
      if (wanted !== top) this.element.scrollTop += wanted - top;
      this.scrollWanted = null;
    }
    const all = count <= (this.options.renderAllUpTo ?? 0);
    const { top, height } = this.viewport();
    const view = visibleRange(this.heights, top, height);
    // A jump of more than a screen (a flung scrollbar) renders only what shows; the overscan
    // follows in the next frame, when the scrolling has slowed down.
    const jumped = Math.abs(top - this.lastTop) > height;
    this.lastTop = top;
    if (jumped) this.schedule();
    const overscan = jumped ? 0 : (this.options.overscan ?? 6);
    this.range = all ? { start: 0, end: count } : withOverscan(view, overscan, count);
    const wanted = renderedRows(this.range, [this.focusIndex], count);
    this.place(wanted);
    if (this.options.measure && this.measure(view.start)) {
      // Heights changed under the rows: place them again at their true offsets.
      this.rows.style.height = `${this.heights.total()}px`;
      for (const [index, row] of this.shown) {
        row.style.transform = `translateY(${this.heights.offsetOf(index)}px)`;
      }
    }
    if (this.focusWanted) {
      this.focusWanted = false;
      this.shown.get(this.focusIndex)?.focus({ preventScroll: true });
    }
  }

  /** Make exactly `indexes` rendered, reusing rows already in the DOM for the same data. */
  private place(indexes: number[]): void {
    const keep = new Set(indexes);
    for (const [index, row] of this.shown) {
      if (!keep.has(index) || this.rowGeneration.get(row) !== this.generation) {
        // A rebuilt row takes the focus over from the one it replaces.
        if (index === this.focusIndex && row.contains(document.activeElement)) {
          this.focusWanted = true;
        }
        row.remove();
        this.rowObserver?.unobserve(row);
        this.shown.delete(index);
      }
    }
    const tabbable = this.tabbableIndex();
    let previous: HTMLElement | null = null;
    for (const index of indexes) {
      let row = this.shown.get(index);
      if (!row) {
        row = this.createRow(index);
        this.shown.set(index, row);
        this.rowObserver?.observe(row);
        // In index order, so the DOM (and Tab) follow the visual order.
        this.rows.insertBefore(row, previous ? previous.nextSibling : this.rows.firstChild);
      }
      this.decorate(row, index, tabbable);
      previous = row;
    }
  }

  private createRow(index: number): HTMLElement {
    const item = this.items[index] as T;
    const row = this.options.renderRow(item, index);
    row.classList.add("vlist-row");
    row.dataset.index = String(index);
    const role = { listbox: "option", list: "listitem", grid: "row" }[this.role];
    row.setAttribute("role", role);
    if (this.role === "grid") {
      row.setAttribute("aria-rowindex", String(index + 1 + this.headerRows()));
    } else {
      row.setAttribute("aria-setsize", String(this.items.length));
      row.setAttribute("aria-posinset", String(index + 1));
    }
    this.rowGeneration.set(row, this.generation);
    return row;
  }

  private decorate(row: HTMLElement, index: number, tabbable: number): void {
    row.style.transform = `translateY(${this.heights.offsetOf(index)}px)`;
    if (!this.options.measure) row.style.height = `${this.heights.heightOf(index)}px`;
    row.tabIndex = index === tabbable ? 0 : -1;
    const selected = index === this.selected;
    row.classList.toggle("selected", selected);
    if (this.role === "listbox") row.setAttribute("aria-selected", String(selected));
  }

  private updateContainerAria(count: number): void {
    if (this.role === "grid")
      this.element.setAttribute("aria-rowcount", String(count + this.headerRows()));
  }

  private headerRows(): number {
    return this.options.header ? 1 : (this.options.headerRows ?? 0);
  }

  /** The row Tab lands on: the focused one, else the selected one, else the first. */
  private tabbableIndex(): number {
    if (this.focusIndex >= 0) return this.focusIndex;
    if (this.selected >= 0) return this.selected;
    return this.items.length ? Math.max(0, this.range.start) : -1;
  }

  /** Read rendered rows' heights; true when any differed from what was assumed. */
  private measure(firstVisible: number): boolean {
    let changed = false;
    let above = 0;
    for (const [index, row] of this.shown) {
      const before = this.heights.heightOf(index);
      if (this.heights.set(index, row.offsetHeight)) {
        changed = true;
        // Rows above the view grew or shrank: keep what the user looks at in place.
        if (index < firstVisible) above += this.heights.heightOf(index) - before;
      }
    }
    if (above) this.element.scrollTop += above;
    return changed;
  }

  private indexOf(target: EventTarget | null): number {
    if (!(target instanceof Element)) return -1;
    const row = target.closest<HTMLElement>(".vlist-row");
    if (!row || row.parentElement !== this.rows) return -1;
    return Number(row.dataset.index);
  }

  private focusin(event: FocusEvent): void {
    const index = this.indexOf(event.target);
    if (index >= 0 && index !== this.focusIndex) {
      this.focusIndex = index;
      this.schedule(); // move the roving tabindex
    }
  }

  private click(event: MouseEvent): void {
    const index = this.indexOf(event.target);
    if (index < 0) return;
    if (event.target instanceof Element && event.target.closest(INTERACTIVE)) return;
    this.focusIndex = index;
    this.activate(index);
  }

  private keydown(event: KeyboardEvent): void {
    // Keys in a row's own button or input are theirs.
    const target = event.target;
    if (!(target instanceof HTMLElement) || !target.classList.contains("vlist-row")) return;
    const index = this.indexOf(event.target);
    if (isNavigationKey(event.key)) {
      event.preventDefault();
      const page = Math.max(1, Math.floor(this.element.clientHeight / this.options.rowHeight));
      const next = moveFocus(event.key, index, this.items.length, page);
      this.focusRow(next);
      if (this.options.activateOnFocus && next !== index) this.activate(next);
    } else if ((event.key === "Enter" || event.key === " ") && index >= 0) {
      event.preventDefault();
      this.activate(index);
    }
  }

  private activate(index: number): void {
    const item = this.items[index];
    if (item === undefined || !this.options.activate) return;
    if (this.role === "listbox") this.setSelected(index);
    this.options.activate(item, index);
  }
}
