// What the frame grid holds, without the DOM: which cells (card, platform, side) in which
// order, their captions, and what the "All cards" mode says above the frames. frames.ts builds
// the cells from this; index.ts takes the problems and the notice from here.
import type { CardChoice, RenderErrorDoc } from "../api/preview";
import type { Platform } from "../api/types";
import { platformLabel } from "./viewports";

export type Side = "question" | "answer";

export const SIDES: readonly Side[] = ["question", "answer"];

/** The cards the server shows at most in one grid (MAX_GRID_CARDS on the server). */
export const MAX_GRID_CARDS = 24;

/** One cell of the grid; `card` is null in the single-card layout (the card picker's card). */
export interface CellSpec {
  key: string;
  card: CardChoice | null;
  platform: Platform;
  side: Side;
}

/** The key of a cell: one per (card, platform, side); the single-card layout has no card. */
export function cellKey(card: number | null, platform: Platform, side: Side): string {
  return card === null ? `${platform}/${side}` : `${card}:${platform}/${side}`;
}

/**
 * The cells in screen order: one row (question, answer) per platform, or in the "All cards"
 * layout (`cards` not null) one row per card and platform, card by card. A card or platform
 * that comes or goes adds or removes its rows and leaves the others' order as it was.
 */
export function layoutCells(
  cards: readonly CardChoice[] | null,
  platforms: readonly Platform[],
): CellSpec[] {
  const cells: CellSpec[] = [];
  const seen = new Set<string>();
  for (const card of cards ?? [null]) {
    for (const platform of platforms) {
      for (const side of SIDES) {
        const key = cellKey(card?.ord ?? null, platform, side);
        if (seen.has(key)) continue; // a card or platform listed twice is one row
        seen.add(key);
        cells.push({ key, card, platform, side });
      }
    }
  }
  return cells;
}

/** An insertion into the grid: the cell `key` goes before the cell `before` (null: at the end). */
export interface Insertion {
  key: string;
  before: string | null;
  /** True when `key` was on screen already: inserting it moves its frames, which reloads them. */
  moves: boolean;
}

/**
 * How to turn the cells on screen (`present`, in screen order, the ones leaving already gone)
 * into `wanted`: cells that stay in the same order are never touched, new ones are inserted
 * where they belong. Moving an iframe in the DOM reloads it, so `moves` should stay false.
 */
export function insertions(present: readonly string[], wanted: readonly string[]): Insertion[] {
  const wantedSet = new Set(wanted);
  const onScreen = present.filter((key) => wantedSet.has(key));
  const there = new Set(onScreen);
  const moved = new Set<string>();
  const result: Insertion[] = [];
  let cursor = 0;
  const skipMoved = (): void => {
    while (cursor < onScreen.length && moved.has(onScreen[cursor]!)) cursor += 1;
  };
  for (const key of wanted) {
    skipMoved();
    if (onScreen[cursor] === key) {
      cursor += 1;
      continue;
    }
    result.push({ key, before: onScreen[cursor] ?? null, moves: there.has(key) });
    if (there.has(key)) moved.add(key);
  }
  return result;
}

/** The caption over a cell: "Card 2 · AnkiDroid · Question · light" (no card when single). */
export function cellCaption(
  card: CardChoice | null,
  platform: Platform,
  side: Side,
  night: boolean,
): string {
  const parts = [
    platformLabel(platform),
    side === "question" ? "Question" : "Answer",
    night ? "night" : "light",
  ];
  if (card) parts.unshift(card.name);
  return parts.join(" · ");
}

/** A template problem as the preview lists it. */
export function describeError(error: RenderErrorDoc): string {
  const side = error.side.charAt(0).toUpperCase() + error.side.slice(1);
  return `${side} template, line ${error.line}, column ${error.column}: ${error.message}`;
}

/** Every card's template problems, each line saying which card ("Card 2: Back template…"). */
export function gridProblems(
  cards: readonly { card_ord: number; errors: readonly RenderErrorDoc[] }[],
  totalCards: number,
): string[] {
  if (totalCards === 0) {
    return [
      "This sample generates no card: every front is empty, no cloze number is used, or " +
        "the templates have syntax errors (Anki generates no card from a template it cannot " +
        "read; the editor marks them). Anki would not add the note.",
    ];
  }
  return cards.flatMap((card) =>
    card.errors.map((error) => `Card ${card.card_ord + 1}: ${describeError(error)}`),
  );
}

/** What to say when the grid shows only some of the cards, else null. */
export function gridNotice(totalCards: number, shown: number): string | null {
  if (totalCards <= shown) return null;
  return `Showing the first ${shown} of ${totalCards} cards.`;
}
