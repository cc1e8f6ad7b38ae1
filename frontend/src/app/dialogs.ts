// Modal confirm and prompt dialogs (native <dialog>), and toasts. Each returns a promise so
// callers read top to bottom: `if (await confirmDialog(...)) ...`.
import { h } from "./dom";

function modal(dialog: HTMLDialogElement): void {
  document.body.append(dialog);
  dialog.showModal();
}

/** Ask a yes/no question; resolves true on OK. */
export function confirmDialog(message: string, okText = "OK", danger = false): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (answer: boolean): void => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    const ok = h(
      "button",
      {
        type: "button",
        testid: "confirm-ok",
        class: danger ? "danger" : "primary",
        onclick: () => finish(true),
      },
      okText,
    );
    const dialog = h(
      "dialog",
      { testid: "confirm-dialog", class: "dialog", "aria-labelledby": "confirm-message" },
      h(
        "p",
        { testid: "confirm-message", id: "confirm-message", class: "dialog-message" },
        message,
      ),
      h(
        "div",
        { class: "dialog-buttons" },
        h(
          "button",
          { type: "button", testid: "confirm-cancel", onclick: () => finish(false) },
          "Cancel",
        ),
        ok,
      ),
    );
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      finish(false);
    });
    modal(dialog);
    ok.focus();
  });
}

/** Ask for a line of text; resolves the trimmed text, or null when cancelled or empty. */
export function promptDialog(label: string, initial = "", okText = "OK"): Promise<string | null> {
  return new Promise((resolve) => {
    const input = h("input", {
      type: "text",
      testid: "prompt-input",
      id: "prompt-input",
      value: initial,
      autocomplete: "off",
    });
    const finish = (answer: string | null): void => {
      dialog.close();
      dialog.remove();
      resolve(answer && answer.trim() ? answer.trim() : null);
    };
    const form = h(
      "form",
      { method: "dialog" },
      h("label", { for: "prompt-input", class: "dialog-message" }, label),
      input,
      h(
        "div",
        { class: "dialog-buttons" },
        h(
          "button",
          { type: "button", testid: "prompt-cancel", onclick: () => finish(null) },
          "Cancel",
        ),
        h("button", { type: "submit", testid: "prompt-ok", class: "primary" }, okText),
      ),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      finish(input.value);
    });
    const dialog = h("dialog", { testid: "prompt-dialog", class: "dialog" }, form);
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      finish(null);
    });
    modal(dialog);
    input.select();
  });
}

let toastHost: HTMLElement | null = null;

/** Show a short message at the bottom; errors stay until clicked. */
export function toast(message: string, kind: "info" | "error" = "info"): void {
  if (!toastHost) {
    toastHost = h("div", { class: "toasts", "aria-live": "polite" });
    document.body.append(toastHost);
  }
  const item = h(
    "div",
    { testid: "toast", class: `toast toast-${kind}`, role: kind === "error" ? "alert" : "status" },
    message,
  );
  const remove = (): void => item.remove();
  item.addEventListener("click", remove);
  toastHost.append(item);
  setTimeout(remove, kind === "error" ? 12000 : 4000);
}
