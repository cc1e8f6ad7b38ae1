// What the designer's panels share: the draft, its autosave, and a way to run server-side
// changes (renames, restores) that must first save pending edits.
import { ApiError, errorMessage } from "../api/client";
import type { NoteTypeDocument } from "../api/types";
import type { Autosave } from "./autosave";
import { toast } from "./dialogs";
import type { DraftStore } from "./store";

export interface DesignerContext {
  store: DraftStore;
  autosave: Autosave;
  /** Called after a change the server made, e.g. to refresh the history list. */
  onServerChange: () => void;
}

/**
 * Save pending edits, run `change` against the saved revision, and take the server's result.
 * Returns false (after telling the user why) when it could not run.
 */
export async function serverChange(
  context: DesignerContext,
  change: (revision: number) => Promise<NoteTypeDocument>,
  done: string,
): Promise<boolean> {
  const { store, autosave } = context;
  if (!(await autosave.flush())) {
    toast(
      autosave.state === "conflict"
        ? "Resolve the conflict first (Load theirs or Keep mine)."
        : "Your latest edits are not saved yet; try again once the status says saved.",
      "error",
    );
    return false;
  }
  try {
    const doc = await change(store.revision);
    store.reset(doc);
    autosave.synced();
    context.onServerChange();
    toast(done);
    return true;
  } catch (error) {
    toast(
      error instanceof ApiError ? `${error.title}. ${error.detail}` : errorMessage(error),
      "error",
    );
    return false;
  }
}
