// fieldAutocomplete(getFields): inside `{{`, offer the note type's fields, Anki's special
// fields and filters; after `{{#`, `{{^` or `{{/`, fields only (the open section first for `/`).
import type { Completion, CompletionContext, CompletionResult } from "@codemirror/autocomplete";
import { EditorState, type Extension } from "@codemirror/state";
import { openSectionBefore, tagContext } from "./completionContext";
import { FILTERS, SPECIAL_FIELDS } from "./vocabulary";

function closing(context: CompletionContext, name: string): string {
  // Finish the tag unless the user already has its `}}` after the cursor.
  const after = context.state.sliceDoc(context.pos, context.pos + 2);
  return after === "}}" ? name : `${name}}}`;
}

function complete(
  getFields: () => readonly string[],
  context: CompletionContext,
): CompletionResult | null {
  const line = context.state.doc.lineAt(context.pos);
  const where = tagContext(line.text.slice(0, context.pos - line.from), context.pos);
  if (!where) return null;
  const fields = getFields();
  const options: Completion[] = [];
  if (where.place === "section") {
    const open =
      where.sigil === "/" ? openSectionBefore(context.state.sliceDoc(0, context.pos)) : null;
    for (const name of fields) {
      options.push({
        label: name,
        type: "variable",
        detail: "field",
        boost: name === open ? 10 : 0,
        apply: closing(context, name),
      });
    }
  } else {
    for (const name of fields) {
      options.push({
        label: name,
        type: "variable",
        detail: "field",
        apply: closing(context, name),
      });
    }
    for (const name of SPECIAL_FIELDS) {
      options.push({
        label: name,
        type: "constant",
        detail: "special field",
        boost: -1,
        apply: closing(context, name),
      });
    }
    for (const [name, info] of FILTERS) {
      options.push({ label: `${name}:`, type: "function", detail: "filter", info, boost: -2 });
    }
  }
  const result: CompletionResult = { from: where.from, options, validFor: /^[^{}:#^/]*$/ };
  return result;
}

/** Complete field names, special fields and filters inside Anki tags. */
export function fieldAutocomplete(getFields: () => readonly string[]): Extension {
  // Language data, not an autocompletion override: HTML's own completions keep working. The
  // source must be one stable function: the completion state tracks sources by identity.
  const source = (context: CompletionContext): CompletionResult | null =>
    complete(getFields, context);
  const data = [{ autocomplete: source }];
  return EditorState.languageData.of(() => data);
}
