// Fields: add, rename (the server rewrites every template, as Anki does), reorder, delete with a
// warning naming the template sides that use the field (the server removes its references from
// the draft's templates, as Anki does when a field is deleted).
import { api, errorMessage, NetworkError } from "../api/client";
import { removeFieldFromDraft } from "../api/lint";
import type { NoteTypeDoc } from "../api/types";
import { type DesignerContext, serverChange } from "./context";
import { confirmDialog, promptDialog, toast } from "./dialogs";
import { button, h, replaceChildren } from "./dom";
import { panel } from "./panel";
import { fieldUses, move } from "./references";

/** Keep `sort_field` on the same field while the list changes. */
function keepSortField(notetype: NoteTypeDoc, change: () => void): void {
  const sortName = notetype.fields[notetype.sort_field ?? 0]?.name;
  change();
  const index = notetype.fields.findIndex((field) => field.name === sortName);
  notetype.sort_field = index < 0 ? 0 : index;
}

/** The fields panel; re-renders on structural changes. */
export function fieldsPanel(context: DesignerContext): {
  element: HTMLElement;
  destroy: () => void;
} {
  const { store } = context;
  const { element, body, tools } = panel("fields-panel", "Fields");
  tools.append(button("+ Add", "Add a field", "field-add", () => void add()));

  async function add(): Promise<void> {
    const name = await promptDialog("New field name", "", "Add");
    if (!name) return;
    if (store.fieldNames().includes(name)) {
      toast(`A field named “${name}” already exists.`, "error");
      return;
    }
    store.edit("structure", (notetype, samples) => {
      notetype.fields.push({ name });
      for (const sample of samples) sample.fields[name] = "";
    });
  }

  async function rename(old: string): Promise<void> {
    const name = await promptDialog(`Rename field “${old}” to`, old, "Rename");
    if (!name || name === old) return;
    await serverChange(
      context,
      (revision) => api.renameField(store.id, old, name, revision),
      `Renamed field “${old}” to “${name}”; templates updated.`,
    );
  }

  function reorder(index: number, delta: number): void {
    store.edit("structure", (notetype) => {
      keepSortField(notetype, () => move(notetype.fields, index, delta));
    });
  }

  async function remove(name: string): Promise<void> {
    const uses = fieldUses(store.notetype, name);
    const where = uses.length
      ? `It is used in: ${uses.join(", ")}. As in Anki, those references are removed from the templates.`
      : "No template uses it.";
    if (
      !(await confirmDialog(
        `Delete field “${name}” and its sample values? ${where}`,
        "Delete",
        true,
      ))
    ) {
      return;
    }
    // The server rewrites the templates of the draft it is sent; an edit made while it does
    // so would be lost by taking its answer, so the answer is taken only for the same draft.
    for (let attempt = 0; attempt < 3; attempt++) {
      const version = store.version;
      let removed: NoteTypeDoc;
      try {
        removed = (await removeFieldFromDraft(store.notetype, name)).notetype;
      } catch (error) {
        if (error instanceof NetworkError) {
          removeLocally(name);
          toast(
            `Deleted “${name}”; the server is unreachable, so its references stay in the ` +
              "templates (they show as errors).",
            "error",
          );
        } else {
          toast(`Could not delete “${name}”: ${errorMessage(error)}`, "error");
        }
        return;
      }
      if (store.version !== version) continue;
      store.edit("structure", (notetype, samples) => {
        notetype.fields = removed.fields;
        notetype.sort_field = removed.sort_field;
        notetype.card_types.forEach((cardType, index) => {
          const source = removed.card_types[index];
          if (!source) return;
          cardType.front = source.front;
          cardType.back = source.back;
          cardType.browser_front = source.browser_front;
          cardType.browser_back = source.browser_back;
        });
        for (const sample of samples) delete sample.fields[name];
      });
      return;
    }
    toast(`The note type kept changing; delete “${name}” again.`, "error");
  }

  /** Without the server: drop the field and its sample values, leave the templates. */
  function removeLocally(name: string): void {
    store.edit("structure", (notetype, samples) => {
      keepSortField(notetype, () => {
        notetype.fields = notetype.fields.filter((field) => field.name !== name);
      });
      for (const sample of samples) delete sample.fields[name];
    });
  }

  function render(): void {
    const fields = store.notetype.fields;
    const last = fields.length - 1;
    replaceChildren(
      body,
      h(
        "ul",
        { class: "rows" },
        ...fields.map((field, index) =>
          h(
            "li",
            { testid: "field-item", class: "row", "data-field": field.name },
            h("span", { class: "row-name" }, field.name),
            index === (store.notetype.sort_field ?? 0)
              ? h("span", { class: "badge", title: "Sort field" }, "sort")
              : null,
            h(
              "span",
              { class: "row-tools" },
              button("↑", `Move ${field.name} up`, "field-up", () => reorder(index, -1), {
                disabled: index === 0,
              }),
              button("↓", `Move ${field.name} down`, "field-down", () => reorder(index, 1), {
                disabled: index === last,
              }),
              button(
                "Rename",
                `Rename ${field.name}`,
                "field-rename",
                () => void rename(field.name),
              ),
              button(
                "Delete",
                `Delete ${field.name}`,
                "field-delete",
                () => void remove(field.name),
                {
                  disabled: fields.length === 1,
                  class: "danger-text",
                },
              ),
            ),
          ),
        ),
      ),
    );
  }

  render();
  const stop = store.subscribe((kind) => {
    if (kind === "structure" || kind === "reset") render();
  });
  return { element, destroy: stop };
}
