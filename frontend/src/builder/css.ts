// The builder's part of the note type's stylesheet: one rule per managed class (`.atd-…`).
// Updating it rewrites only those rules' text; every other byte of the stylesheet (`.card`,
// `.cloze`, `#typeans`, `.nightMode …`, comments, at-rules) stays as it was.

/** Classes the builder creates and owns; the style panel writes only rules for these. */
export const MANAGED_PREFIX = "atd-";

export function isManagedClass(name: string): boolean {
  return new RegExp(`^${MANAGED_PREFIX}[a-z0-9-]+$`).test(name);
}

/** A top-level rule found in a stylesheet: its selector text and where it sits. */
interface FoundRule {
  selector: string;
  start: number;
  end: number;
  body: string;
}

/** Top-level rules (not inside at-rule blocks), skipping comments and strings. */
function topLevelRules(css: string): FoundRule[] {
  const rules: FoundRule[] = [];
  let depth = 0;
  let preludeStart = 0;
  let bodyStart = -1;
  let i = 0;
  while (i < css.length) {
    const c = css[i]!;
    if (c === "/" && css[i + 1] === "*") {
      const end = css.indexOf("*/", i + 2);
      i = end < 0 ? css.length : end + 2;
      if (depth === 0 && bodyStart < 0 && css.slice(preludeStart, i).trim().startsWith("/*")) {
        preludeStart = i;
      }
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < css.length && css[j] !== c) j += css[j] === "\\" ? 2 : 1;
      i = j + 1;
      continue;
    }
    if (c === "{") {
      if (depth === 0) bodyStart = i;
      depth++;
    } else if (c === "}") {
      depth = Math.max(0, depth - 1);
      if (depth === 0 && bodyStart >= 0) {
        const prelude = css.slice(preludeStart, bodyStart);
        const start = preludeStart + (prelude.length - prelude.trimStart().length);
        rules.push({
          selector: prelude.trim(),
          start,
          end: i + 1,
          body: css.slice(bodyStart + 1, i),
        });
        preludeStart = i + 1;
        bodyStart = -1;
      }
    } else if (c === ";" && depth === 0) {
      preludeStart = i + 1; // @import …; and the like
    }
    i++;
  }
  return rules;
}

/** Declarations of `.cls { … }` in the stylesheet (as one string), or "" when absent. */
export function managedRuleBody(css: string, cls: string): string {
  const found = topLevelRules(css).find((r) => r.selector === `.${cls}`);
  return found ? found.body.trim() : "";
}

/** Every managed class that has a rule in the stylesheet, with its declarations. */
export function managedRules(css: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const rule of topLevelRules(css)) {
    const match = /^\.([a-z0-9-]+)$/.exec(rule.selector);
    if (match && isManagedClass(match[1]!)) out.set(match[1]!, rule.body.trim());
  }
  return out;
}

/** Format declarations `{prop: value}` as the body the builder writes. */
export function formatDeclarations(style: Readonly<Record<string, string>>): string {
  return Object.entries(style)
    .filter(([, value]) => value !== "")
    .map(([prop, value]) => `${prop}: ${value};`)
    .join(" ");
}

/**
 * The stylesheet with `.cls`'s rule set to `declarations` (removed when empty): replaced in
 * place when it exists, appended at the end otherwise. Nothing else changes.
 */
export function setManagedRule(css: string, cls: string, declarations: string): string {
  if (!isManagedClass(cls))
    throw new Error(`the builder only writes .${MANAGED_PREFIX}… rules, not .${cls}`);
  const found = topLevelRules(css).find((r) => r.selector === `.${cls}`);
  const body = declarations.trim();
  if (found) {
    if (found.body.trim() === body) return css;
    if (!body) {
      // Take the rule and the line break that followed it; leading whitespace stays.
      const after = css[found.end] === "\n" ? found.end + 1 : found.end;
      return css.slice(0, found.start) + css.slice(after);
    }
    const rule = css.slice(found.start, found.end);
    const selectorText = rule.slice(0, rule.indexOf("{"));
    return `${css.slice(0, found.start)}${selectorText}{ ${body} }${css.slice(found.end)}`;
  }
  if (!body) return css;
  const separator = css === "" || css.endsWith("\n") ? "" : "\n";
  return `${css}${separator}.${cls} { ${body} }\n`;
}
