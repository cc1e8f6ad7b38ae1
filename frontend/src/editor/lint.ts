// ankiLint(getDraft, target, check): as you type, ask the engine (POST /api/check) about the
// whole draft and underline this side's problems with Anki's own message.
import type { Extension, Text } from "@codemirror/state";
import { type Diagnostic, linter } from "@codemirror/lint";
import type { CheckResponse, NoteTypeDoc, TemplateProblemDoc } from "../api/types";
import { offsetOf, scanTags } from "./tags";

/** Which template an editor shows: card type name and side as the engine names them. */
export interface LintTarget {
  cardType: string;
  side: "front" | "back";
}

export type CheckFn = (notetype: NoteTypeDoc) => Promise<CheckResponse>;

/** Diagnostics for one side's problems, each spanning the tag it points into. */
export function diagnosticsFor(
  problems: readonly TemplateProblemDoc[],
  target: LintTarget,
  doc: Text,
): Diagnostic[] {
  const text = doc.toString();
  const tags = scanTags(text);
  return problems
    .filter((p) => p.template === target.cardType && p.side === target.side)
    .map((problem) => {
      const from = offsetOf(text, problem.line, problem.column);
      const tag = tags.find((t) => t.from <= from && from < t.to);
      const to = tag ? tag.to : Math.min(text.length, Math.max(from + 1, doc.lineAt(from).to));
      return { from: tag ? tag.from : from, to, severity: "error", message: problem.message };
    });
}

/** Lint this editor's template against the engine; `target` null disables it (CSS). */
export function ankiLint(
  getDraft: () => NoteTypeDoc,
  target: () => LintTarget | null,
  check: CheckFn,
): Extension {
  return linter(
    async (view) => {
      const where = target();
      if (!where) return [];
      try {
        const { problems } = await check(getDraft());
        return diagnosticsFor(problems, where, view.state.doc);
      } catch {
        // Offline or a server error: the save status already says so; keep the editor quiet.
        return [];
      }
    },
    { delay: 300 },
  );
}
