// Sample notes: choose one (the preview follows it), add, delete, edit field values and tags.
// The chooser is a virtual listbox: a note type with thousands of samples lists them as fast as
// one with three, and typing in a field repaints only the rows in view, once per frame.
import type { SampleDoc } from "../api/types";
import type { DesignerContext } from "./context";
import { confirmDialog } from "./dialogs";
import { button, h, replaceChildren } from "./dom";
import { panel } from "./panel";
import { VirtualList } from "./virtualList";

/** Height of one sample in the chooser; app.css gives .sample-item the same. */
const SAMPLE_ROW_HEIGHT = 24;

/** A short label for a sample: its number and the start of its first non-empty field. */
export function sampleLabel(sample: SampleDoc, index: number): string {
  const first = Object.values(sample.fields).find((value) => value.trim()) ?? "";
  const plain = first
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  // Cut by code points: a UTF-16 slice could end inside an emoji and show a broken character.
  return `${index + 1}: ${Array.from(plain).slice(0, 40).join("") || "(empty)"}`;
}

/** Tags as Anki stores them: split on whitespace, empty ones dropped. */
export function parseTags(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

/** The sample notes panel. */
export function samplesPanel(context: DesignerContext): {
  element: HTMLElement;
  destroy: () => void;
} {
  const { store } = context;
  const { element, body, tools } = panel("samples-panel", "Sample notes");
  const chooserList = new VirtualList<SampleDoc>({
    label: "Sample note",
    testid: "sample-select",
    className: "sample-list",
    rowHeight: SAMPLE_ROW_HEIGHT,
    empty: "(no samples yet)",
    activateOnFocus: true,
    renderRow: (sample, index) =>
      h("li", { testid: "sample-item", class: "sample-item" }, sampleLabel(sample, index)),
    activate: (_sample, index) => {
      if (index !== store.selectedSample) store.select(index);
    },
  });
  const deleteButton = button(
    "Delete",
    "Delete this sample note",
    "sample-delete",
    () => void remove(),
    {
      class: "danger-text",
    },
  );
  tools.append(button("+ Add", "Add a sample note", "sample-add", add), deleteButton);
  const chooser = h(
    "div",
    { class: "sample-row" },
    h("span", { class: "sample-label", "aria-hidden": "true" }, "Sample"),
    chooserList.element,
  );
  // Only the fields are rebuilt on a new selection: the chooser keeps its scroll and focus.
  const fieldsBox = h("div", { class: "sample-fields" });
  body.append(chooser, fieldsBox);

  function blank(): SampleDoc {
    return { fields: Object.fromEntries(store.fieldNames().map((n) => [n, ""])), tags: [] };
  }

  function add(): void {
    store.edit("sample", (_notetype, samples) => {
      samples.push(blank());
    });
    store.select(store.samples.length - 1);
  }

  async function remove(): Promise<void> {
    const index = store.selectedSample;
    const sample = store.samples[index];
    if (!sample) return;
    if (!(await confirmDialog(`Delete sample note ${sampleLabel(sample, index)}?`, "Delete", true)))
      return;
    store.edit("sample", (_notetype, samples) => {
      samples.splice(index, 1);
    });
    store.select(Math.max(0, index - 1));
  }

  /** Edit the selected sample, creating one first when the note type has none. */
  function editSample(change: (sample: SampleDoc) => void): void {
    store.edit("sample", (_notetype, samples) => {
      if (samples.length === 0) samples.push(blank());
      const sample = samples[store.selectedSample] ?? samples[0];
      if (sample) change(sample);
    });
    refreshOptions();
  }

  /** The chooser's rows (re-rendered in the next frame, only those in view). */
  function refreshOptions(): void {
    chooserList.setItems(store.samples);
    chooserList.setSelected(store.selectedSample);
    deleteButton.disabled = store.samples.length === 0;
  }

  function render(): void {
    refreshOptions();
    chooserList.scrollToIndex(store.selectedSample);
    const sample = store.sample();
    const rows = store.fieldNames().map((name) => {
      const id = `sample-field-${name.replace(/\W/g, "_")}`;
      const area = h("textarea", {
        id,
        testid: "sample-field",
        "data-field": name,
        rows: 2,
        spellcheck: "false",
      });
      area.value = sample.fields[name] ?? "";
      area.addEventListener("input", () =>
        editSample((s) => {
          s.fields[name] = area.value;
        }),
      );
      return h("div", { class: "sample-row" }, h("label", { for: id }, name), area);
    });
    const tags = h("input", {
      id: "sample-tags",
      testid: "sample-tags",
      type: "text",
      autocomplete: "off",
    });
    tags.value = sample.tags.join(" ");
    tags.addEventListener("input", () =>
      editSample((s) => {
        s.tags = parseTags(tags.value);
      }),
    );
    replaceChildren(
      fieldsBox,
      ...rows,
      h("div", { class: "sample-row" }, h("label", { for: "sample-tags" }, "Tags"), tags),
    );
  }

  render();
  // Not on "sample": re-rendering while typing would steal the focus.
  const stop = store.subscribe((kind) => {
    if (kind === "structure" || kind === "reset" || kind === "select") render();
  });
  return {
    element,
    destroy: () => {
      stop();
      chooserList.destroy();
    },
  };
}
