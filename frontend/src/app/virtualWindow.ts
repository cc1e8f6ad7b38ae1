// The arithmetic of a virtual list, without the DOM: where each row is, which rows a scroll
// offset shows, and where the keyboard moves. virtualList.ts puts it on the page; the unit
// tests drive it directly.

/** Rows `start` (included) to `end` (excluded). */
export interface RowRange {
  start: number;
  end: number;
}

/**
 * Row heights and their running offsets. Unmeasured rows count at the estimate; offsets are
 * recomputed lazily from the first changed row, so 100,000 rows cost one pass per change.
 */
export class RowHeights {
  private heights: Float64Array;
  private offsets: Float64Array;
  /** offsets[i] is valid for every i <= validUpTo. */
  private validUpTo = 0;

  constructor(
    count: number,
    readonly estimate: number,
  ) {
    if (!(estimate > 0)) throw new RangeError(`row height must be positive, got ${estimate}`);
    this.heights = new Float64Array(count).fill(estimate);
    this.offsets = new Float64Array(count + 1);
  }

  get count(): number {
    return this.heights.length;
  }

  /** Change the number of rows; rows kept keep their measured heights. */
  resize(count: number): void {
    if (count === this.count) return;
    const heights = new Float64Array(count).fill(this.estimate);
    heights.set(this.heights.subarray(0, Math.min(count, this.count)));
    this.heights = heights;
    this.offsets = new Float64Array(count + 1);
    this.validUpTo = 0;
  }

  /** Forget every measurement (the rows' content changed). */
  reset(): void {
    this.heights.fill(this.estimate);
    this.validUpTo = 0;
  }

  heightOf(index: number): number {
    return this.heights[index] ?? this.estimate;
  }

  /** Record a measured height; true when it differs from what was assumed. */
  set(index: number, height: number): boolean {
    if (index < 0 || index >= this.count || !(height >= 0)) return false;
    if (Math.abs((this.heights[index] ?? 0) - height) < 0.5) return false;
    this.heights[index] = height;
    this.validUpTo = Math.min(this.validUpTo, index);
    return true;
  }

  /** The top of row `index` (offsetOf(count) is the total height). */
  offsetOf(index: number): number {
    const target = Math.max(0, Math.min(index, this.count));
    let i = this.validUpTo;
    while (i < target) {
      this.offsets[i + 1] = (this.offsets[i] ?? 0) + (this.heights[i] ?? 0);
      i += 1;
    }
    if (target > this.validUpTo) this.validUpTo = target;
    return this.offsets[target] ?? 0;
  }

  total(): number {
    return this.offsetOf(this.count);
  }

  /** The row under offset `y` (clamped to the first and last rows; 0 when there are none). */
  indexAt(y: number): number {
    if (this.count === 0 || y <= 0) return 0;
    if (y >= this.total()) return this.count - 1;
    // Every offset is valid after total(): binary search for the last row starting at or above y.
    let low = 0;
    let high = this.count - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.offsets[middle] ?? 0) <= y) low = middle;
      else high = middle - 1;
    }
    return low;
  }
}

/** The rows a viewport of `height` px scrolled to `scrollTop` shows, without overscan. */
export function visibleRange(heights: RowHeights, scrollTop: number, height: number): RowRange {
  if (heights.count === 0) return { start: 0, end: 0 };
  const top = Math.max(0, scrollTop);
  const start = heights.indexAt(top);
  let end = heights.indexAt(top + Math.max(0, height));
  // indexAt gives the row containing the bottom edge; it is shown unless it starts there.
  if (heights.offsetOf(end) < top + height || end === start) end += 1;
  return { start, end: Math.min(end, heights.count) };
}

/** `range` widened by `overscan` rows on each side, within 0..count. */
export function withOverscan(range: RowRange, overscan: number, count: number): RowRange {
  return {
    start: Math.max(0, range.start - overscan),
    end: Math.min(count, range.end + overscan),
  };
}

/**
 * The rows to have in the DOM: the window, plus `pinned` rows outside it (the focused row must
 * stay, or the browser drops its focus when it scrolls away), in index order.
 */
export function renderedRows(
  range: RowRange,
  pinned: Iterable<number | null>,
  count: number,
): number[] {
  const rows: number[] = [];
  for (let i = range.start; i < range.end; i++) rows.push(i);
  const extra = new Set<number>();
  for (const index of pinned) {
    if (index === null || index < 0 || index >= count) continue;
    if (index < range.start || index >= range.end) extra.add(index);
  }
  return extra.size ? [...rows, ...extra].sort((a, b) => a - b) : rows;
}

/** The scrollTop that brings row `index` fully into view, moving as little as possible. */
export function scrollToShow(
  heights: RowHeights,
  index: number,
  scrollTop: number,
  height: number,
): number {
  const top = heights.offsetOf(index);
  const bottom = top + heights.heightOf(index);
  if (top < scrollTop) return top;
  if (bottom > scrollTop + height) return Math.max(0, bottom - height);
  return scrollTop;
}

export type NavigationKey = "ArrowDown" | "ArrowUp" | "Home" | "End" | "PageDown" | "PageUp";

/** True for the keys a list moves its focus with. */
export function isNavigationKey(key: string): key is NavigationKey {
  return ["ArrowDown", "ArrowUp", "Home", "End", "PageDown", "PageUp"].includes(key);
}

/** Where `key` moves the focus from `current` (-1: none yet) in `count` rows of `page` per page. */
export function moveFocus(
  key: NavigationKey,
  current: number,
  count: number,
  page: number,
): number {
  if (count === 0) return -1;
  const step = Math.max(1, page - 1);
  const from = current < 0 ? -1 : current;
  const next = {
    ArrowDown: from + 1,
    ArrowUp: current < 0 ? 0 : from - 1,
    Home: 0,
    End: count - 1,
    PageDown: from + step,
    PageUp: from - step,
  }[key];
  return Math.max(0, Math.min(count - 1, next));
}
