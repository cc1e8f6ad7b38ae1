// Small hand-written SVG charts: a sparkline per operation and a trend line over days. No chart
// library: two kinds of line do not justify a dependency. The path maths is pure (tested).

const SVG = "http://www.w3.org/2000/svg";

/** A number of milliseconds for a table cell: "0.42", "12.3", "1 234"; "–" when unknown. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "–";
  if (ms < 1) return ms.toFixed(2);
  if (ms < 100) return ms.toFixed(1);
  return Math.round(ms).toLocaleString("en-US").replace(/,/g, " ");
}

/** A share 0..1 as a percentage: "83 %". */
export function formatShare(share: number): string {
  return `${Math.round(share * 100)} %`;
}

/** A round upper bound for a chart's axis: at least every value and the budget. */
export function niceMax(values: readonly (number | null)[], floor = 0): number {
  let max = floor;
  for (const value of values) if (value !== null && value > max) max = value;
  if (max <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * magnitude >= max) return step * magnitude;
  }
  return 10 * magnitude;
}

/**
 * The `d` of an SVG path through `values`, evenly spaced across `width`, 0 at the bottom and
 * `max` at the top of `height`. A null value breaks the line (no data in that step); a lone
 * point between gaps is drawn as a short dash so it stays visible.
 */
export function linePath(
  values: readonly (number | null)[],
  width: number,
  height: number,
  max: number,
): string {
  if (values.length === 0 || max <= 0) return "";
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const y = (value: number): number => height - (Math.min(value, max) / max) * height;
  const parts: string[] = [];
  let open = false;
  values.forEach((value, index) => {
    if (value === null) {
      open = false;
      return;
    }
    const x = index * step;
    const next = values[index + 1];
    const lone = !open && (next === null || next === undefined);
    if (lone) {
      // A short dash centred on the point (kept inside the chart at either edge).
      const from = Math.max(0, Math.min(x - 2, width - 4));
      parts.push(`M${round(from)} ${round(y(value))} L${round(from + 4)} ${round(y(value))}`);
    } else {
      parts.push(`${open ? "L" : "M"}${round(x)} ${round(y(value))}`);
    }
    open = true;
  });
  return parts.join(" ");
}

function round(value: number): string {
  return String(Math.round(value * 10) / 10);
}

function svg(width: number, height: number, label: string): SVGSVGElement {
  const element = document.createElementNS(SVG, "svg");
  element.setAttribute("viewBox", `0 0 ${width} ${height}`);
  element.setAttribute("width", String(width));
  element.setAttribute("height", String(height));
  element.setAttribute("role", "img");
  element.setAttribute("aria-label", label);
  return element;
}

function path(d: string, className: string): SVGPathElement {
  const element = document.createElementNS(SVG, "path");
  element.setAttribute("d", d);
  element.setAttribute("class", className);
  element.setAttribute("fill", "none");
  return element;
}

/** A sparkline of p50 and p95 with the budget as a dashed line; the label says it in words. */
export function sparkline(
  p50: readonly (number | null)[],
  p95: readonly (number | null)[],
  budget: number | null,
  label: string,
  width = 120,
  height = 28,
): SVGSVGElement {
  const highest = niceMax([...p95, ...p50]);
  // The budget sets the scale only when it is near the figures; far above, it would flatten them.
  const max = budget !== null && budget < 2 * highest ? niceMax([budget], highest) : highest;
  const chart = svg(width, height, label);
  if (budget !== null && budget <= max) {
    const y = height - (budget / max) * height;
    chart.append(path(`M0 ${round(y)} L${width} ${round(y)}`, "chart-budget"));
  }
  chart.append(path(linePath(p50, width, height, max), "chart-p50"));
  chart.append(path(linePath(p95, width, height, max), "chart-p95"));
  return chart;
}

/** A trend chart: one line per series over the same x steps, with the axis maximum written. */
export function trendChart(
  series: { name: string; values: (number | null)[]; className: string }[],
  label: string,
  width = 560,
  height = 140,
): SVGSVGElement {
  const max = niceMax(series.flatMap((s) => s.values));
  const chart = svg(width, height + 14, label);
  chart.classList.add("trend-chart");
  const axis = document.createElementNS(SVG, "text");
  axis.setAttribute("x", "2");
  axis.setAttribute("y", "10");
  axis.setAttribute("class", "chart-axis");
  axis.textContent = `${formatMs(max)} ms`;
  const base = path(`M0 ${height + 13} L${width} ${height + 13}`, "chart-base");
  chart.append(axis, base);
  for (const line of series) {
    const drawn = path(linePath(line.values, width, height, max), line.className);
    drawn.setAttribute("transform", "translate(0 14)");
    chart.append(drawn);
  }
  return chart;
}
