// Card types: add, rename (server-side, like fields), reorder, delete. A cloze note type has
// exactly one card type in Anki, so adding is offered for standard note types only.
import { api } from "../api/client";
import type { CardTypeDoc } from "../api/types";
import { type DesignerContext, serverChange } from "./context";
import { confirmDialog, promptDialog, toast } from "./dialogs";
import { button, h, replaceChildren } from "./dom";
import { panel } from "./panel";
import { freshName, move } from "./references";

/** A new card type showing the first field, as Anki's "Add card type" does. */
function newCardType(name: string, firstField: string): CardTypeDoc {
  return {
    name,
    front: `{{${firstField}}}`,
    back: `{{FrontSide}}\n\n<hr id=answer>\n\n{{${firstField}}}`,
  };
}

/** The card types panel; re-renders on structural changes. */
export function cardTypesPanel(context: DesignerContext): {
  element: HTMLElement;
  destroy: () => void;
} {
  const { store } = context;
  const { element, body, tools } = panel("cardtypes-panel", "Card types");
  const addButton = button("+ Add", "Add a card type", "cardtype-add", () => void add());
  tools.append(addButton);

  async function add(): Promise<void> {
    const taken = store.notetype.card_types.map((c) => c.name);
    const suggested = freshName(`Card ${taken.length + 1}`, taken);
    const name = await promptDialog("New card type name", suggested, "Add");
    if (!name) return;
    if (taken.includes(name)) {
      toast(`A card type named “${name}” already exists.`, "error");
      return;
    }
    store.edit("structure", (notetype) => {
      notetype.card_types.push(newCardType(name, notetype.fields[0]?.name ?? "Front"));
    });
  }

  async function rename(old: string): Promise<void> {
    const name = await promptDialog(`Rename card type “${old}” to`, old, "Rename");
    if (!name || name === old) return;
    await serverChange(
      context,
      (revision) => api.renameCardType(store.id, old, name, revision),
      `Renamed card type “${old}” to “${name}”.`,
    );
  }

  async function remove(index: number): Promise<void> {
    const name = store.notetype.card_types[index]?.name ?? "";
    const message = `Delete card type “${name}” with its front and back templates? Cards of this type will no longer be generated.`;
    if (!(await confirmDialog(message, "Delete", true))) return;
    store.edit("structure", (notetype) => {
      notetype.card_types.splice(index, 1);
    });
  }

  function render(): void {
    const cardTypes = store.notetype.card_types;
    const last = cardTypes.length - 1;
    addButton.hidden = store.notetype.kind === "cloze";
    replaceChildren(
      body,
      h(
        "ul",
        { class: "rows" },
        ...cardTypes.map((cardType, index) =>
          h(
            "li",
            { testid: "cardtype-item", class: "row", "data-cardtype": cardType.name },
            h("span", { class: "row-name" }, `${index + 1}. ${cardType.name}`),
            h(
              "span",
              { class: "row-tools" },
              button("↑", `Move ${cardType.name} up`, "cardtype-up", () => reorder(index, -1), {
                disabled: index === 0,
              }),
              button("↓", `Move ${cardType.name} down`, "cardtype-down", () => reorder(index, 1), {
                disabled: index === last,
              }),
              button(
                "Rename",
                `Rename ${cardType.name}`,
                "cardtype-rename",
                () => void rename(cardType.name),
              ),
              button(
                "Delete",
                `Delete ${cardType.name}`,
                "cardtype-delete",
                () => void remove(index),
                {
                  disabled: cardTypes.length === 1,
                  class: "danger-text",
                },
              ),
            ),
          ),
        ),
      ),
    );
  }

  function reorder(index: number, delta: number): void {
    store.edit("structure", (notetype) => {
      move(notetype.card_types, index, delta);
    });
  }

  render();
  const stop = store.subscribe((kind) => {
    if (kind === "structure" || kind === "reset") render();
  });
  return { element, destroy: stop };
}
