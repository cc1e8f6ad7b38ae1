// A long table on the virtual list: a sticky header row, then rows of grid cells.
import { h } from "../app/dom";
import { VirtualList } from "../app/virtualList";

export interface Column<T> {
  title: string;
  /** CSS grid track, e.g. "minmax(200px, 2fr)" or "70px". */
  width: string;
  /** Right-aligned (numbers). */
  numeric?: boolean;
  cell: (row: T) => Node | string;
  /** The cell's spoken text when it is not plain text (a chart). */
  spoken?: (row: T) => string;
}

/** A virtual grid with a header row; `rowTestid` marks each row for tests. */
export function virtualTable<T>(options: {
  label: string;
  testid: string;
  rowTestid: string;
  columns: Column<T>[];
  rowHeight: number;
  empty: string;
  rowKey?: (row: T) => string;
  /** An extra class for a row that must stand out (a thrashing cache). */
  rowClass?: (row: T) => string | null;
}): VirtualList<T> {
  const template = options.columns.map((c) => c.width).join(" ");
  // Column headers: a real header row of the grid, sticky above the rows (the list places it).
  const header = h(
    "div",
    { class: "perf-row perf-head", role: "row" },
    ...options.columns.map((c) =>
      h("div", { role: "columnheader", class: c.numeric ? "num" : null }, c.title),
    ),
  );
  header.style.gridTemplateColumns = template;
  return new VirtualList<T>({
    label: options.label,
    rowHeight: options.rowHeight,
    role: "grid",
    header,
    testid: options.testid,
    className: "perf-table",
    empty: options.empty,
    renderAllUpTo: 30,
    renderRow: (row) => {
      const element = h("div", { class: "perf-row", testid: options.rowTestid });
      element.style.gridTemplateColumns = template;
      if (options.rowKey) element.dataset.key = options.rowKey(row);
      const extra = options.rowClass?.(row);
      if (extra) element.classList.add(extra);
      for (const column of options.columns) {
        const spoken = column.spoken?.(row);
        element.append(
          h(
            "div",
            {
              role: "gridcell",
              class: column.numeric ? "num" : null,
              "aria-label": spoken ?? null,
            },
            column.cell(row),
          ),
        );
      }
      return element;
    },
  });
}
