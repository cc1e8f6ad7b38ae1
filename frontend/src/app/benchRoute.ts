// The frame benchmark's library (benchmarks/frame_bench.py, tests/e2e/test_virtual_scroll.py):
// `#/bench/library?rows=100000` fills the real library list with that many made-up entries,
// so its scrolling is measured in the page a user sees without a server holding 100,000 note
// types (listing that many costs the server seconds, which is not what the frame budget is about).
import type { SummaryDoc } from "../api/types";

const ROUTE = /^#\/bench\/library\?rows=(\d{1,7})$/;

/** The number of rows `hash` asks the benchmark library for, or null when it is not that page. */
export function benchRows(hash: string): number | null {
  const match = ROUTE.exec(hash);
  return match?.[1] ? Number(match[1]) : null;
}

/** `count` library entries named "Bench 000001"…, alternately standard and cloze. */
export function syntheticSummaries(count: number): SummaryDoc[] {
  const width = String(count).length;
  return Array.from({ length: count }, (_, index) => {
    const number = String(index + 1).padStart(width, "0");
    const cloze = index % 2 === 1;
    return {
      id: `bench-${number}`,
      name: `Bench ${number}`,
      kind: cloze ? "cloze" : "standard",
      revision: 1,
      field_names: cloze ? ["Text", "Back Extra"] : ["Front", "Back"],
      card_type_names: cloze ? ["Cloze"] : ["Card 1"],
      created_at: "2026-01-01T00:00:00Z",
      updated_at: "2026-01-01T00:00:00Z",
    };
  });
}
