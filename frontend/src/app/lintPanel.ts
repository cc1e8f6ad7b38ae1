// The lint panel: every finding of the draft with its severity, message and place. Clicking a
// finding shows it in the editor; "Fix" applies its one-click fix to the draft; "Why?" shows
// the explanation and a link to the documentation. A template with hundreds of findings (an
// imported deck's) lists them virtually: only the rows in view are in the DOM.
import "./lint.css";
import type { LintDiagnosticDoc, LintSeverity } from "../api/lint";
import { utf16Offset } from "../editor/positions";
import { h } from "./dom";
import { type LintController, type LintResult, type LintView, partText } from "./lintState";
import { panel } from "./panel";
import { VirtualList } from "./virtualList";

const ICONS: Record<LintSeverity, string> = { error: "✖", warning: "▲", info: "ℹ" };
const PART_NAMES: Record<string, string> = {
  front: "front",
  back: "back",
  "browser front": "browser front",
  "browser back": "browser back",
  css: "Styling",
};

/** Where a finding is, as the panel says it: "Card 1 · front 2:4" or "Styling 3:1". */
export function placeOf(diagnostic: LintDiagnosticDoc): string {
  const where = diagnostic.location;
  const position = `${where.line}:${where.column}`;
  if (where.part === "css") return `Styling ${position}`;
  return `${where.template_name ?? `Card ${(where.template ?? 0) + 1}`} · ${PART_NAMES[where.part]} ${position}`;
}

/** Open the editor at a finding: card type, side and UTF-16 range. */
export type Jump = (card: number, side: "front" | "back" | "css", from: number, to: number) => void;

function counts(result: LintResult): string {
  const { error, warning, info } = result.counts;
  const parts = [
    error ? `${error} error${error === 1 ? "" : "s"}` : "",
    warning ? `${warning} warning${warning === 1 ? "" : "s"}` : "",
    info ? `${info} info` : "",
  ].filter(Boolean);
  return parts.length ? parts.join(" · ") : "No problems";
}

/** The lint panel; re-renders whenever the shared lint state changes. */
export function lintPanel(
  lint: LintController,
  jump: Jump,
): { element: HTMLElement; destroy: () => void } {
  const { element, body, tools } = panel("lint-panel", "Problems");
  const summary = h("span", { testid: "lint-counts", class: "lint-counts muted" }, "Checking…");
  let fixable: LintDiagnosticDoc[] = [];
  const fixAll = h(
    "button",
    {
      type: "button",
      testid: "lint-fix-all",
      title: "Apply every one-click fix",
      "aria-label": "Apply every one-click fix",
      hidden: true,
    },
    "Fix all",
  );
  fixAll.addEventListener("click", () => {
    fixAll.disabled = true;
    void lint.fixAll(fixable).finally(() => {
      fixAll.disabled = false;
    });
  });
  tools.append(summary, fixAll);
  /** Explanations the user opened stay open across re-renders (same rule and place). */
  const open = new Set<string>();
  let shown: LintResult | null = null;
  const empty = h("p", { testid: "lint-empty", class: "muted", hidden: true });
  const list = new VirtualList<LintDiagnosticDoc>({
    label: "Problems",
    testid: "lint-list",
    className: "lint-list",
    role: "list",
    rowHeight: 44,
    measure: true, // messages wrap, explanations open
    renderAllUpTo: 50,
    renderRow: (d) => item(d),
    // Click or Enter on a finding shows it in the editor.
    activate: (d) => {
      if (shown) reveal(shown, d);
    },
  });
  body.append(empty, list.element);

  function keyOf(d: LintDiagnosticDoc): string {
    const where = d.location;
    return `${d.rule}@${where.part}:${where.template ?? ""}:${where.start}`;
  }

  function reveal(result: LintResult, d: LintDiagnosticDoc): void {
    const where = d.location;
    if (where.part !== "front" && where.part !== "back" && where.part !== "css") return;
    const text = partText(result.notetype, where.part, where.template);
    jump(
      where.template ?? 0,
      where.part,
      utf16Offset(text, where.start),
      utf16Offset(text, where.end),
    );
  }

  function item(d: LintDiagnosticDoc): HTMLElement {
    const key = keyOf(d);
    const editable = ["front", "back", "css"].includes(d.location.part);
    const explanation = h(
      "div",
      { testid: "lint-explanation", class: "lint-explanation", hidden: !open.has(key) },
      h("p", {}, d.explanation),
      h(
        "a",
        { testid: "lint-docs", href: d.docs_url, target: "_blank", rel: "noopener noreferrer" },
        "Documentation",
      ),
    );
    const toggle = h(
      "button",
      {
        type: "button",
        testid: "lint-explain",
        class: "link",
        "aria-expanded": String(open.has(key)),
        title: "Why this matters and how to fix it",
      },
      "Why?",
    );
    toggle.addEventListener("click", (event) => {
      event.stopPropagation();
      const show = explanation.hidden;
      explanation.hidden = !show;
      toggle.setAttribute("aria-expanded", String(show));
      if (show) open.add(key);
      else open.delete(key);
    });
    const fixButton = d.fix
      ? h(
          "button",
          {
            type: "button",
            testid: "lint-fix",
            title: d.fix.description,
            "aria-label": d.fix.description,
          },
          "Fix",
        )
      : null;
    fixButton?.addEventListener("click", (event) => {
      event.stopPropagation();
      fixButton.disabled = true;
      void lint.fix(d).finally(() => {
        fixButton.disabled = false;
      });
    });
    const row = h(
      "li",
      {
        testid: "lint-item",
        class: `lint-item lint-${d.severity}${editable ? " jumpable" : ""}`,
        "data-rule": d.rule,
        "data-severity": d.severity,
        title: editable ? "Show in the editor" : "Browser appearance templates are edited in Anki",
      },
      h(
        "div",
        { class: "lint-line" },
        h("span", { class: "lint-icon", role: "img", "aria-label": d.severity }, ICONS[d.severity]),
        h("span", { class: "lint-message" }, d.message),
        h("span", { class: "lint-tools" }, fixButton, toggle),
      ),
      h("div", { class: "lint-place muted" }, `${placeOf(d)} · ${d.rule}`),
      explanation,
    );
    return row;
  }

  /** Show `text` in place of the list (no findings, or why there are none). */
  function message(text: string): void {
    empty.textContent = text;
    empty.hidden = false;
    list.element.hidden = true;
    list.setItems([]);
  }

  function render(view: LintView): void {
    if ("pending" in view) return;
    if ("error" in view) {
      summary.textContent = "Not checked";
      fixAll.hidden = true;
      shown = null;
      message(`Cannot check the note type: ${view.error}`);
      return;
    }
    const { result } = view;
    summary.textContent = counts(result);
    fixable = result.diagnostics.filter((d) => d.fix);
    fixAll.hidden = fixable.length < 2;
    shown = result;
    if (!result.diagnostics.length) {
      message("No problems found.");
      return;
    }
    empty.hidden = true;
    list.element.hidden = false;
    list.setItems(result.diagnostics);
  }

  render(lint.view);
  const stop = lint.subscribe(render);
  return {
    element,
    destroy: () => {
      stop();
      list.destroy();
    },
  };
}
