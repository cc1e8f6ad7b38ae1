// The builder's GrapesJS component types: Anki tags as chips, sections as a conditional
// container, and a locked "raw" box for everything edited only in code view.
import type { Component, Editor } from "grapesjs";
import { escapeText, sectionLabel, tagLabel } from "./adapter";

/** What the field selects offer, from the draft note type. */
export interface FieldOptions {
  fields(): string[];
  /** True for a cloze note type: conditionals may test a cloze number (`{{#c2}}`). */
  isCloze(): boolean;
}

/** Anki's built-in replacements, usable like fields. */
const SPECIAL_FIELDS = ["Tags", "Type", "Deck", "Subdeck", "Card", "CardFlag", "CardID"];

/** A field select: the note type's fields, Anki's special fields, and the current value. */
function fieldTrait(
  component: Component,
  options: FieldOptions,
  section: boolean,
): Record<string, unknown> {
  const choices = options.fields().map((name) => ({ id: name, label: name }));
  if (section && options.isCloze()) {
    for (let n = 1; n <= 10; n++) choices.push({ id: `c${n}`, label: `Cloze ${n} (c${n})` });
  }
  for (const name of SPECIAL_FIELDS) choices.push({ id: name, label: `${name} (Anki)` });
  const current = String(component.get("atdField") ?? "");
  if (current && !choices.some((c) => c.id === current))
    choices.unshift({ id: current, label: current });
  return {
    type: "select",
    name: "atdField",
    label: section ? "Field or cloze" : "Field",
    changeProp: true,
    options: choices,
  };
}

/** Set a component's traits (GrapesJS's typing of `set` does not cover trait lists). */
function setTraits(
  component: Component,
  traits: ReadonlyArray<string | Record<string, unknown>>,
): void {
  (component.set as (key: string, value: unknown) => void).call(component, "traits", traits);
}

/** Register the atd-* component types on `editor`. */
export function registerComponents(editor: Editor, fields: FieldOptions): void {
  const types = editor.Components;

  types.addType("atd-raw", {
    model: {
      defaults: {
        tagName: "span",
        draggable: false,
        droppable: false,
        copyable: false,
        removable: false,
        editable: false,
        highlightable: true,
        stylable: false,
        attributes: { class: "atd-raw-block" },
        traits: [],
      },
      init(this: Component) {
        const source = String(this.get("atdSource") ?? "");
        const reason = String(this.get("atdReason") ?? "");
        const preview = source.length > 240 ? `${source.slice(0, 240)}…` : source;
        this.set("name", `Code: ${reason}`);
        this.set(
          "content",
          `<span class="atd-raw-note">${escapeText(reason)} — edited in code view</span>` +
            `<code>${escapeText(preview)}</code>`,
        );
        this.set("attributes", { class: "atd-raw-block", title: `Read-only: ${reason}` });
      },
    },
  });

  // An element whose own tags stay as written (Anki tags or scripts in its attributes).
  types.addType("atd-locked", {
    extend: "default",
    model: {
      defaults: {
        draggable: false,
        removable: false,
        copyable: false,
        stylable: false,
        traits: [],
      },
      init(this: Component) {
        const reason = String(this.get("atdReason") ?? "");
        this.set("name", `<${String(this.get("tagName"))}> (attributes edited in code view)`);
        this.set("attributes", {
          title: `Its attributes are edited in code view: ${reason}`,
          "data-atd-locked": "",
        });
      },
    },
  });

  types.addType("atd-tag", {
    model: {
      defaults: {
        tagName: "span",
        droppable: false,
        editable: false,
        stylable: false,
        atdField: "",
        atdFilters: "",
      },
      init(this: Component) {
        const update = (): void => {
          const label = tagLabel(String(this.get("atdField")), String(this.get("atdFilters")));
          this.set("content", escapeText(label));
          this.set("name", label);
          this.set("attributes", { class: "atd-tag-chip", "data-atd-field": this.get("atdField") });
        };
        update();
        setTraits(this, [
          fieldTrait(this, fields, false),
          { type: "text", name: "atdFilters", label: "Filters", changeProp: true },
        ]);
        this.on("change:atdField change:atdFilters", update);
      },
    },
  });

  types.addType("atd-section", {
    model: {
      defaults: {
        tagName: "div",
        droppable: true,
        stylable: false,
        atdField: "",
        atdCondition: "filled",
      },
      init(this: Component) {
        const update = (): void => {
          const label = sectionLabel(
            String(this.get("atdField")),
            String(this.get("atdCondition")),
          );
          this.set("name", `Conditional: ${label}`);
          this.set("attributes", { class: "atd-section-box", "data-atd-label": label });
        };
        update();
        setTraits(this, [
          fieldTrait(this, fields, true),
          {
            type: "select",
            name: "atdCondition",
            label: "Show when",
            changeProp: true,
            options: [
              { id: "filled", label: "the field is filled" },
              { id: "empty", label: "the field is empty" },
            ],
          },
        ]);
        this.on("change:atdField change:atdCondition", update);
      },
    },
  });

  const elementTraits = (component: Component): Array<string | Record<string, unknown>> => {
    const tag = String(component.get("tagName"));
    const traits: Array<string | Record<string, unknown>> = ["id", "title"];
    if (tag === "img") traits.push("src", "alt");
    if (tag === "audio" || tag === "video" || tag === "source") traits.push("src");
    if (tag === "a") traits.push("href");
    return traits;
  };
  const named = (component: Component): void => {
    if (!component.get("name")) component.set("name", `<${String(component.get("tagName"))}>`);
  };
  types.addType("atd-element", {
    extend: "default",
    model: {
      init(this: Component) {
        named(this);
        setTraits(this, elementTraits(this));
      },
    },
  });
  types.addType("atd-text", {
    extend: "text",
    model: {
      init(this: Component) {
        named(this);
        setTraits(this, elementTraits(this));
      },
    },
  });
}
