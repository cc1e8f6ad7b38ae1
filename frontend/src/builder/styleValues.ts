// Pure helpers of the style panel: reading the declarations of a managed rule and checking a
// typed value before it goes into the stylesheet.

/** Declarations body `a: b; c: d` → ordered map. Managed rules are the builder's own writing. */
export function parseDeclarations(body: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of body.split(";")) {
    const colon = part.indexOf(":");
    if (colon < 0) continue;
    const name = part.slice(0, colon).trim();
    if (name) out.set(name, part.slice(colon + 1).trim());
  }
  return out;
}

/**
 * Why a typed value cannot go into a rule (it would end the declaration or the rule and
 * change what follows in the stylesheet), or null when it can.
 */
export function valueProblem(value: string): string | null {
  if (/[{};]/.test(value)) return "A value cannot contain { } or ; (one value per box).";
  if (value.includes("/*") || value.includes("*/")) return "A value cannot contain a comment.";
  if (
    /["']/.test(value) &&
    (value.split('"').length % 2 === 0 || value.split("'").length % 2 === 0)
  ) {
    return "A value has an unclosed quote.";
  }
  if (/[<>]/.test(value)) return "A value cannot contain < or >.";
  return null;
}
