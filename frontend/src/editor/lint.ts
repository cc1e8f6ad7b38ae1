// ankiLint(source, target, onFix): as you type, ask the lint engine (POST /api/lint, through the
// designer's shared LintSource) about the whole draft and mark this editor's findings with
// their severity; a finding with a one-click fix offers it as the diagnostic's action.
import { type Diagnostic, linter } from "@codemirror/lint";
import type { Extension, Text } from "@codemirror/state";
import type { LintDiagnosticDoc } from "../api/lint";
import type { NoteTypeDoc } from "../api/types";
import { utf16Offset } from "./positions";

/** Which text an editor shows: card type ordinal and side, or the stylesheet. */
export interface LintTarget {
  card: number;
  part: "front" | "back" | "css";
}

/** The findings of the draft as it is now, and the note type they were computed on. */
export interface LintSnapshot {
  notetype: NoteTypeDoc;
  diagnostics: LintDiagnosticDoc[];
}

export interface LintSource {
  current(): Promise<LintSnapshot>;
}

/** Whether `diagnostic` lies in the text `target` names. */
export function isIn(diagnostic: LintDiagnosticDoc, target: LintTarget): boolean {
  const where = diagnostic.location;
  if (where.part !== target.part) return false;
  return target.part === "css" || where.template === target.card;
}

/** CodeMirror diagnostics for the findings in `target`, with UTF-16 ranges of `doc`. */
export function diagnosticsFor(
  found: readonly LintDiagnosticDoc[],
  target: LintTarget,
  doc: Text,
  onFix: (diagnostic: LintDiagnosticDoc) => void,
): Diagnostic[] {
  const text = doc.toString();
  return found
    .filter((d) => isIn(d, target))
    .map((d) => {
      const from = Math.min(utf16Offset(text, d.location.start), text.length);
      const to = Math.max(from, Math.min(utf16Offset(text, d.location.end), text.length));
      const fix = d.fix;
      return {
        from,
        to,
        severity: d.severity,
        source: d.rule,
        message: d.message,
        actions: fix ? [{ name: fix.description, apply: () => onFix(d) }] : [],
      };
    });
}

function textOf(notetype: NoteTypeDoc, target: LintTarget): string | undefined {
  if (target.part === "css") return notetype.css;
  return notetype.card_types[target.card]?.[target.part];
}

/** Lint this editor's text with the engine's findings; `target` null disables it. */
export function ankiLint(
  source: LintSource,
  target: () => LintTarget | null,
  onFix: (diagnostic: LintDiagnosticDoc) => void,
): Extension {
  return linter(
    async (view) => {
      const where = target();
      if (!where) return [];
      try {
        const snapshot = await source.current();
        // Offsets are only meaningful in the text they were computed on.
        if (textOf(snapshot.notetype, where) !== view.state.doc.toString()) return [];
        return diagnosticsFor(snapshot.diagnostics, where, view.state.doc, onFix);
      } catch {
        // Offline or a server error: the lint panel and save status say so; keep quiet here.
        return [];
      }
    },
    { delay: 300 },
  );
}
