// Pure: which templates use a field, for the warning before deleting it.
import type { NoteTypeDoc } from "../api/types";
import { referencesField } from "../editor/tags";

/**
 * "Card 1 front", "Card 1 back", "Card 1 browser front", … for every template side that uses
 * field `name`. The browser appearance sides count: deleting a field rewrites them too.
 */
export function fieldUses(notetype: NoteTypeDoc, name: string): string[] {
  const uses: string[] = [];
  for (const cardType of notetype.card_types) {
    if (referencesField(cardType.front, name)) uses.push(`${cardType.name} front`);
    if (referencesField(cardType.back, name)) uses.push(`${cardType.name} back`);
    if (referencesField(cardType.browser_front ?? "", name)) {
      uses.push(`${cardType.name} browser front`);
    }
    if (referencesField(cardType.browser_back ?? "", name)) {
      uses.push(`${cardType.name} browser back`);
    }
  }
  return uses;
}

/** A name not yet in `taken`: `base`, else `base 2`, `base 3`, … */
export function freshName(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n++) if (!taken.includes(`${base} ${n}`)) return `${base} ${n}`;
}

/** Move item `index` by `delta` (-1 up, +1 down); false when it cannot move. */
export function move<T>(items: T[], index: number, delta: number): boolean {
  const target = index + delta;
  if (index < 0 || target < 0 || index >= items.length || target >= items.length) return false;
  const [item] = items.splice(index, 1);
  if (item === undefined) return false;
  items.splice(target, 0, item);
  return true;
}
