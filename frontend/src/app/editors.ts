// The template editors: card type select, Front/Back/Styling tabs (Ctrl+1/2/3 as in Anki) and
// one CodeMirror view whose state is swapped per side, so each side keeps its own undo history.
import { forceLinting } from "@codemirror/lint";
import { EditorState } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import type { LintDiagnosticDoc } from "../api/lint";
import { fieldAutocomplete } from "../editor/autocomplete";
import { ankiLint, type LintSource, type LintTarget } from "../editor/lint";
import { sectionMatching } from "../editor/sectionMatching";
import { baseEditor } from "../editor/setup";
import { ankiSyntax } from "../editor/syntax";
import { h, replaceChildren } from "./dom";
import type { DraftStore } from "./store";

export type Side = "front" | "back" | "css";
const SIDES: ReadonlyArray<readonly [Side, string, string]> = [
  ["front", "Front template", "tab-front"],
  ["back", "Back template", "tab-back"],
  ["css", "Styling", "tab-css"],
];

export class EditorPane {
  readonly element: HTMLElement;
  private readonly view: EditorView;
  private readonly select: HTMLSelectElement;
  private readonly tabs = new Map<Side, HTMLButtonElement>();
  private readonly host: HTMLElement;
  private readonly states = new Map<string, EditorState>();
  private card = 0;
  private side: Side = "front";
  private shape = "";
  private ready = false;
  /** True while the view is being brought in line with the draft (not an edit to store). */
  private syncing = false;
  private readonly stops: Array<() => void> = [];

  constructor(
    private readonly store: DraftStore,
    private readonly lint: LintSource,
    private readonly onFix: (diagnostic: LintDiagnosticDoc) => void,
  ) {
    this.select = h("select", { testid: "card-type-select", "aria-label": "Card type" });
    this.select.addEventListener("change", () => this.show(Number(this.select.value), this.side));
    const tabBar = h("div", { class: "tabs", role: "tablist", "aria-label": "Template side" });
    SIDES.forEach(([side, label, testid], index) => {
      const tab = h(
        "button",
        {
          type: "button",
          role: "tab",
          testid,
          title: `${label} (Ctrl+${index + 1})`,
          onclick: () => this.show(this.card, side),
        },
        label,
      );
      this.tabs.set(side, tab);
      tabBar.append(tab);
    });
    this.host = h("div", { testid: "editor", class: "editor-host", role: "tabpanel" });
    this.element = h(
      "section",
      { class: "editors", "aria-label": "Template editors" },
      h(
        "div",
        { class: "editor-bar" },
        h("label", { class: "inline" }, "Card type ", this.select),
        tabBar,
      ),
      this.host,
    );
    this.view = new EditorView({ parent: this.host });
    this.shape = this.shapeOf();
    this.fillSelect();
    this.show(0, "front");
    this.stops.push(store.subscribe((kind) => this.changed(kind)));
    const keys = (event: KeyboardEvent): void => this.shortcut(event);
    document.addEventListener("keydown", keys, true);
    this.stops.push(() => document.removeEventListener("keydown", keys, true));
  }

  destroy(): void {
    for (const stop of this.stops) stop();
    this.view.destroy();
  }

  /** Focus the editor (after a tab switch, as in Anki). */
  focus(): void {
    this.view.focus();
  }

  private shortcut(event: KeyboardEvent): void {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
    const side = ({ "1": "front", "2": "back", "3": "css" } as const)[event.key as "1" | "2" | "3"];
    if (!side) return;
    event.preventDefault();
    event.stopPropagation();
    this.show(this.card, side);
    this.focus();
  }

  /** Card types' names in order: when it changes, cached states may point at the wrong one. */
  private shapeOf(): string {
    return JSON.stringify(this.store.notetype.card_types.map((c) => c.name));
  }

  private changed(kind: string): void {
    if (kind === "reset") {
      this.states.clear();
      this.shape = this.shapeOf();
      this.fillSelect();
      this.show(Math.min(this.card, this.store.notetype.card_types.length - 1), this.side, true);
    } else if (kind === "structure") {
      const shape = this.shapeOf();
      if (shape !== this.shape) {
        this.shape = shape;
        // Indexes moved: rebuild from the store (undo history of templates is dropped).
        for (const key of [...this.states.keys()]) if (key !== "css") this.states.delete(key);
        this.fillSelect();
        this.show(Math.min(this.card, this.store.notetype.card_types.length - 1), this.side, true);
      }
      this.syncView();
      // New or renamed fields change what is unknown.
      forceLinting(this.view);
    } else if (kind === "text") {
      this.syncView();
    }
  }

  /**
   * A change to the draft that did not come from this view (a lint fix, a deleted field):
   * replace the differing middle of the shown text, so the cursor and undo history survive.
   */
  private syncView(): void {
    const want = this.textOf(this.card, this.side);
    const have = this.view.state.doc.toString();
    if (want === have) return;
    let start = 0;
    while (start < have.length && start < want.length && have[start] === want[start]) start++;
    let endHave = have.length;
    let endWant = want.length;
    while (endHave > start && endWant > start && have[endHave - 1] === want[endWant - 1]) {
      endHave--;
      endWant--;
    }
    this.syncing = true;
    try {
      this.view.dispatch({
        changes: { from: start, to: endHave, insert: want.slice(start, endWant) },
      });
    } finally {
      this.syncing = false;
    }
  }

  /** Show card type `card`'s `side` with `from`–`to` (UTF-16 offsets) selected and in view. */
  reveal(card: number, side: Side, from: number, to: number): void {
    this.show(card, side);
    const length = this.view.state.doc.length;
    const anchor = Math.min(from, length);
    const head = Math.min(Math.max(to, anchor), length);
    this.view.dispatch({
      selection: { anchor, head },
      effects: EditorView.scrollIntoView(anchor, { y: "center" }),
    });
    this.view.focus();
  }

  private fillSelect(): void {
    replaceChildren(
      this.select,
      ...this.store.notetype.card_types.map((cardType, index) =>
        h("option", { value: String(index) }, `${index + 1}: ${cardType.name}`),
      ),
    );
    this.select.value = String(this.card);
  }

  /** Show card type `card`'s `side` (or the CSS). */
  show(card: number, side: Side, force = false): void {
    const clamped = Math.max(0, card);
    if (this.ready && !force && clamped === this.card && side === this.side) return;
    // Remember the outgoing side's state (undo history, selection).
    if (this.ready) this.states.set(this.key(this.card, this.side), this.view.state);
    this.ready = true;
    this.card = clamped;
    this.side = side;
    this.select.value = String(clamped);
    const key = this.key(clamped, side);
    let state = force ? undefined : this.states.get(key);
    if (!state || state.doc.toString() !== this.textOf(clamped, side)) {
      state = this.createState(clamped, side);
    }
    this.states.set(key, state);
    this.view.setState(state);
    this.host.dataset.side = side;
    for (const [tabSide, tab] of this.tabs) {
      tab.setAttribute("aria-selected", String(tabSide === side));
      tab.classList.toggle("active", tabSide === side);
    }
    this.select.disabled = side === "css";
  }

  private key(card: number, side: Side): string {
    return side === "css" ? "css" : `${card}:${side}`;
  }

  private textOf(card: number, side: Side): string {
    const notetype = this.store.notetype;
    if (side === "css") return notetype.css;
    const cardType = notetype.card_types[card];
    return cardType ? cardType[side] : "";
  }

  private createState(card: number, side: Side): EditorState {
    const lintTarget = (): LintTarget => ({ card, part: side });
    const write = EditorView.updateListener.of((update) => {
      if (!update.docChanged || this.syncing) return;
      const text = update.state.doc.toString();
      this.store.edit("text", (notetype) => {
        if (side === "css") notetype.css = text;
        else {
          const cardType = notetype.card_types[card];
          if (cardType) cardType[side] = text;
        }
      });
    });
    const template =
      side === "css"
        ? []
        : [ankiSyntax(), sectionMatching(), fieldAutocomplete(() => this.store.fieldNames())];
    return EditorState.create({
      doc: this.textOf(card, side),
      extensions: [
        baseEditor(side === "css" ? "css" : "html"),
        template,
        ankiLint(this.lint, lintTarget, this.onFix),
        write,
        EditorView.contentAttributes.of({
          "aria-label": side === "css" ? "Styling" : `${side} template`,
        }),
      ],
    });
  }
}
