// The lint routes: POST /api/lint (findings of a draft), POST /api/lint/fix (the draft with
// chosen fixes applied) and POST /api/draft/remove-field (a field deleted as Anki deletes it).
// Offsets in these bodies count Unicode code points (see editor/positions.ts for UTF-16).
import { ApiError, NetworkError } from "./client";
import type { NoteTypeDoc, ProblemDoc, SampleDoc } from "./types";

export type LintSeverity = "error" | "warning" | "info";
export type LintPart = "front" | "back" | "browser front" | "browser back" | "css";

export interface LintLocationDoc {
  part: LintPart;
  template: number | null;
  template_name: string | null;
  start: number;
  end: number;
  line: number;
  column: number;
}

export interface LintEditDoc {
  part: LintPart;
  template: number | null;
  start: number;
  end: number;
  replacement: string;
}

export interface LintFixDoc {
  description: string;
  edits: LintEditDoc[];
}

export interface LintDiagnosticDoc {
  rule: string;
  severity: LintSeverity;
  message: string;
  location: LintLocationDoc;
  explanation: string;
  docs_url: string;
  fix: LintFixDoc | null;
}

export interface LintCounts {
  error: number;
  warning: number;
  info: number;
}

export interface LintResponse {
  diagnostics: LintDiagnosticDoc[];
  counts: LintCounts;
}

export interface LintFixResponse extends LintResponse {
  notetype: NoteTypeDoc;
  fixed: number;
}

/** How /api/lint/fix names a finding: rule and location as /api/lint returned them. */
export interface DiagnosticRef {
  rule: string;
  part: LintPart;
  template: number | null;
  start: number;
  end: number;
}

async function post<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      signal,
    });
  } catch (error) {
    throw new NetworkError(error);
  }
  if (!response.ok) {
    const text = await response.text();
    let problem: ProblemDoc;
    try {
      problem = JSON.parse(text) as ProblemDoc;
    } catch {
      problem = { title: response.statusText, detail: text.slice(0, 300) };
    }
    throw new ApiError(response.status, problem);
  }
  return (await response.json()) as T;
}

/** The reference for `diagnostic` that /api/lint/fix takes. */
export function refOf(diagnostic: LintDiagnosticDoc): DiagnosticRef {
  const { part, template, start, end } = diagnostic.location;
  return { rule: diagnostic.rule, part, template, start, end };
}

/** Every finding of the draft (nothing is saved). */
export function lintDraft(
  notetype: NoteTypeDoc,
  samples: SampleDoc[],
  signal?: AbortSignal,
): Promise<LintResponse> {
  return post<LintResponse>("/api/lint", { notetype, samples }, signal);
}

/** The draft with the fixes of `diagnostics` applied; 409 `lint-stale` if one moved. */
export function fixDraft(
  notetype: NoteTypeDoc,
  samples: SampleDoc[],
  diagnostics: DiagnosticRef[],
): Promise<LintFixResponse> {
  return post<LintFixResponse>("/api/lint/fix", { notetype, samples, diagnostics });
}

/** The draft without `field`, its templates rewritten as Anki rewrites them. */
export function removeFieldFromDraft(
  notetype: NoteTypeDoc,
  field: string,
): Promise<{ notetype: NoteTypeDoc }> {
  return post<{ notetype: NoteTypeDoc }>("/api/draft/remove-field", { notetype, field });
}
