// The running Anki, through AnkiConnect: pick note types to import, and push one back (after
// showing what would change).
import { api, errorMessage } from "../api/client";
import type { PushPlanDoc } from "../api/types";
import { confirmDialog, toast } from "./dialogs";
import { h, replaceChildren } from "./dom";

/** Let the user choose which of Anki's note types to import; resolves after the import. */
export async function importFromAnki(imported: () => void): Promise<void> {
  const list = h(
    "div",
    { class: "anki-list", role: "group", "aria-label": "Anki's note types" },
    "Asking Anki…",
  );
  const ok = h(
    "button",
    { type: "submit", testid: "anki-import-ok", class: "primary", disabled: true },
    "Import",
  );
  const close = (): void => {
    dialog.close();
    dialog.remove();
  };
  const form = h(
    "form",
    { method: "dialog", class: "form" },
    h("h2", {}, "Import from Anki"),
    h("p", { class: "muted" }, "Anki must be running with the AnkiConnect add-on (2055492159)."),
    list,
    h(
      "div",
      { class: "dialog-buttons" },
      h("button", { type: "button", onclick: close }, "Cancel"),
      ok,
    ),
  );
  const dialog = h(
    "dialog",
    { class: "dialog", testid: "anki-import-dialog", "aria-label": "Import from Anki" },
    form,
  );
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  try {
    const notetypes = await api.ankiNotetypes();
    const boxes = notetypes.map((notetype) =>
      h("input", { type: "checkbox", value: notetype.name, testid: "anki-notetype" }),
    );
    replaceChildren(
      list,
      ...(notetypes.length
        ? boxes.map((box) => h("label", { class: "check" }, box, ` ${box.value}`))
        : ["Anki's collection has no note types."]),
    );
    ok.disabled = notetypes.length === 0;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const names = boxes.filter((b) => b.checked).map((b) => b.value);
      if (names.length === 0) {
        toast("Tick the note types to import.", "error");
        return;
      }
      ok.disabled = true;
      api
        .ankiImport(names)
        .then((result) => {
          close();
          toast(`Imported from Anki: ${result.imported.map((s) => s.name).join(", ")}`);
          imported();
        })
        .catch((error: unknown) => {
          ok.disabled = false;
          toast(errorMessage(error), "error");
        });
    });
  } catch (error) {
    replaceChildren(list, h("p", { class: "error", role: "alert" }, errorMessage(error)));
  }
}

function planText(plan: PushPlanDoc): string {
  if (!plan.changed) return `Anki's “${plan.notetype}” already matches; nothing to send.`;
  const parts = [
    plan.create ? `Create “${plan.notetype}” in Anki.` : `Update “${plan.notetype}” in Anki.`,
  ];
  if (plan.added_fields.length) parts.push(`Add fields: ${plan.added_fields.join(", ")}.`);
  if (plan.added_card_types.length)
    parts.push(`Add card types: ${plan.added_card_types.join(", ")}.`);
  if (plan.updated_card_types.length)
    parts.push(`Replace templates of: ${plan.updated_card_types.join(", ")}.`);
  if (plan.css_changed) parts.push("Replace the styling.");
  for (const warning of plan.warnings) parts.push(`Note: ${warning}`);
  return parts.join("\n");
}

/** Show what a push would change, then push on confirmation. */
export async function pushToAnki(notetypeId: string): Promise<void> {
  try {
    const plan = await api.ankiPush(notetypeId, true);
    if (!plan.changed) {
      toast(planText(plan));
      return;
    }
    if (!(await confirmDialog(planText(plan), "Send to Anki"))) return;
    const done = await api.ankiPush(notetypeId, false);
    toast(done.applied ? `Sent “${done.notetype}” to Anki.` : planText(done));
  } catch (error) {
    toast(errorMessage(error), "error");
  }
}
