// The engine counts offsets in Unicode code points (Python strings); CodeMirror and the DOM in
// UTF-16 code units. They differ after any character outside the Basic Multilingual Plane
// (emoji, some CJK), so every offset crossing the boundary goes through these.

/** The UTF-16 offset of code point offset `points` in `text` (clamped to the text). */
export function utf16Offset(text: string, points: number): number {
  let units = 0;
  let seen = 0;
  while (seen < points && units < text.length) {
    const code = text.charCodeAt(units);
    units += code >= 0xd800 && code <= 0xdbff && units + 1 < text.length ? 2 : 1;
    seen++;
  }
  return units;
}

/** The code point offset of UTF-16 offset `units` in `text`. */
export function codePointOffset(text: string, units: number): number {
  let points = 0;
  for (let i = 0; i < units && i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) i++;
    points++;
  }
  return points;
}
