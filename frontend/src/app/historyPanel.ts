// History: every save is a revision; view its diff against now, or restore it. Autosave makes
// a revision every few seconds of editing, so the list is virtual (only the rows in view).
import { api, errorMessage } from "../api/client";
import type { RevisionDoc } from "../api/types";
import { type DesignerContext, serverChange } from "./context";
import { confirmDialog } from "./dialogs";
import { button, h, replaceChildren } from "./dom";
import { panel } from "./panel";
import { VirtualList } from "./virtualList";

function when(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** A unified diff as lines coloured by their first character. */
function diffView(diff: string): Node[] {
  if (!diff.trim())
    return [h("span", { class: "diff-same" }, "No differences from the current version.")];
  return diff.split("\n").map((line) => {
    const kind =
      line.startsWith("+++") || line.startsWith("---")
        ? "head"
        : line.startsWith("+")
          ? "add"
          : line.startsWith("-")
            ? "del"
            : line.startsWith("@@")
              ? "hunk"
              : "same";
    return h("span", { class: `diff-${kind}` }, `${line}\n`);
  });
}

/** The history panel; `refresh()` reloads the list (after saves). */
export function historyPanel(context: DesignerContext): {
  element: HTMLElement;
  refresh: () => void;
  destroy: () => void;
} {
  const { store } = context;
  const { element, body, tools } = panel("history-panel", "History");
  const list = new VirtualList<RevisionDoc>({
    label: "Revisions",
    testid: "revision-list",
    className: "rows revisions",
    role: "list",
    rowHeight: 28,
    measure: true, // a long summary wraps
    renderAllUpTo: 50,
    renderRow: (revision) => row(revision),
  });
  const view = h("pre", {
    testid: "revision-diff-view",
    class: "diff",
    hidden: true,
    "aria-live": "polite",
  });
  tools.append(button("↻", "Reload the history", "history-refresh", () => refresh()));
  body.append(list.element, view);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let generation = 0;

  async function showDiff(revision: RevisionDoc): Promise<void> {
    view.hidden = false;
    replaceChildren(view, `Loading the diff of revision ${revision.id}…`);
    try {
      const diff = await api.diff(revision.id);
      replaceChildren(view, ...diffView(diff.diff));
    } catch (error) {
      replaceChildren(view, `Could not load the diff: ${errorMessage(error)}`);
    }
  }

  async function restore(revision: RevisionDoc): Promise<void> {
    const message = `Restore revision ${revision.id} (${when(revision.created_at)})? The current version stays in the history.`;
    if (!(await confirmDialog(message, "Restore"))) return;
    const ok = await serverChange(
      context,
      (current) => api.restore(revision.id, current),
      `Restored revision ${revision.id}.`,
    );
    if (ok) view.hidden = true;
  }

  function row(revision: RevisionDoc): HTMLElement {
    return h(
      "li",
      { testid: "revision-item", class: "row", "data-revision-id": String(revision.id) },
      h(
        "span",
        { class: "row-name" },
        h("strong", {}, `#${revision.id}`),
        ` ${revision.summary || "save"} `,
        h("span", { class: "muted" }, `${revision.author} · ${when(revision.created_at)}`),
      ),
      h(
        "span",
        { class: "row-tools" },
        button(
          "Diff",
          `Diff revision ${revision.id} against now`,
          "revision-diff",
          () => void showDiff(revision),
        ),
        button(
          "Restore",
          `Restore revision ${revision.id}`,
          "revision-restore",
          () => void restore(revision),
        ),
      ),
    );
  }

  async function load(): Promise<void> {
    const mine = ++generation;
    try {
      const revisions = await api.revisions(store.id);
      if (mine !== generation) return;
      list.setItems(revisions);
    } catch (error) {
      if (mine === generation) list.showMessage(errorMessage(error));
    }
  }

  /** Reload soon; bursts of saves cause one request. */
  function refresh(): void {
    clearTimeout(timer);
    timer = setTimeout(() => void load(), 300);
  }

  void load();
  return {
    element,
    refresh,
    destroy: () => {
      clearTimeout(timer);
      list.destroy();
    },
  };
}
