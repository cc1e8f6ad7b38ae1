// What may appear inside `{{…}}` besides field names: Anki's special fields and filters.

/** Special fields Anki fills in for every card. */
export const SPECIAL_FIELDS = [
  "FrontSide",
  "Tags",
  "Type",
  "Deck",
  "Subdeck",
  "Card",
  "CardFlag",
  "CardID",
] as const;

/** Built-in filters, with what each one does (shown in the completion list). */
export const FILTERS: ReadonlyArray<readonly [string, string]> = [
  ["text", "field without HTML"],
  ["hint", "click to reveal"],
  ["type", "type-in answer box"],
  ["cloze", "cloze deletions"],
  ["cloze-only", "only the cloze text (for TTS)"],
  ["furigana", "ruby text from Japanese readings"],
  ["kana", "only the readings"],
  ["kanji", "only the kanji"],
  ["tts", "text to speech (tts lang_code:Field)"],
];
