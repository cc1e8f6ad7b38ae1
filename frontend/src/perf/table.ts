// A long table on the virtual list: a header that scrolls with the rows, rows of grid cells.
import { h } from "../app/dom";
import { VirtualList } from "../app/virtualList";

export interface Column<T> {
  title: string;
  /** CSS grid track, e.g. "minmax(200px, 2fr)" or "70px". */
  width: string;
  /** Right-aligned (numbers). */
  numeric?: boolean;
  cell: (row: T) => Node | string;
  /** The cell's spoken text when it is not plain text (a chart, a button). */
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
}): VirtualList<T> {
  const template = options.columns.map((c) => c.width).join(" ");
  const list = new VirtualList<T>({
    label: options.label,
    rowHeight: options.rowHeight,
    role: "grid",
    headerRows: 1,
    testid: options.testid,
    className: "perf-table",
    empty: options.empty,
    renderAllUpTo: 30,
    renderRow: (row) => {
      const element = h("div", { class: "perf-row", testid: options.rowTestid });
      element.style.gridTemplateColumns = template;
      if (options.rowKey) element.dataset.key = options.rowKey(row);
      for (const column of options.columns) {
        const content = column.cell(row);
        const spoken = column.spoken
          ? column.spoken(row)
          : typeof content === "string"
            ? content
            : (content.textContent ?? "");
        element.append(
          h(
            "div",
            {
              role: "gridcell",
              class: column.numeric ? "num" : null,
              "aria-label": `${column.title}: ${spoken}`,
            },
            content,
          ),
        );
      }
      return element;
    },
  });
  // The header scrolls with the rows (the list measures the rows' offset below it).
  const header = h(
    "div",
    { class: "perf-row perf-head", "aria-hidden": "true" },
    ...options.columns.map((c) => h("div", { class: c.numeric ? "num" : null }, c.title)),
  );
  header.style.gridTemplateColumns = template;
  list.element.insertBefore(header, list.rows);
  return list;
}
