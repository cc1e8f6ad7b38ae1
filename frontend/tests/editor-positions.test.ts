// Offsets between the engine (Unicode code points) and the editor (UTF-16 code units), and the
// inline lint markers placed with them (editor/positions.ts, editor/lint.ts).
import assert from "node:assert/strict";
import { test } from "node:test";
import { Text } from "@codemirror/state";
import type { LintDiagnosticDoc, LintPart } from "../src/api/lint";
import { codePointOffset, utf16Offset } from "../src/editor/positions";
import { diagnosticsFor, isIn } from "../src/editor/lint";

test("without astral characters both offsets are the same", () => {
  const text = "{{Front}} é ü 漢字";
  for (let i = 0; i <= text.length; i++) {
    assert.equal(utf16Offset(text, i), i);
    assert.equal(codePointOffset(text, i), i);
  }
});

test("an emoji is one code point but two UTF-16 units", () => {
  const text = "a😀b🎌{{F}}";
  // code points: a=0 😀=1 b=2 🎌=3 {=4; UTF-16: a=0 😀=1..2 b=3 🎌=4..5 {=6
  assert.deepEqual(
    [0, 1, 2, 3, 4, 9].map((p) => utf16Offset(text, p)),
    [0, 1, 3, 4, 6, 11],
  );
  assert.deepEqual(
    [0, 1, 3, 4, 6, 11].map((u) => codePointOffset(text, u)),
    [0, 1, 2, 3, 4, 9],
  );
});

test("conversions round-trip at every character boundary", () => {
  const text = "x👍🏽 {{#Tags}}👨‍👩‍👧{{/Tags}} 𝔸";
  const points = [...text].length;
  for (let p = 0; p <= points; p++) {
    assert.equal(codePointOffset(text, utf16Offset(text, p)), p);
  }
});

test("offsets past the end are clamped; a lone surrogate counts as one character", () => {
  assert.equal(utf16Offset("a😀", 10), 3);
  assert.equal(codePointOffset("a😀", 10), 2);
  const lone = "a\ud83d"; // a high surrogate with nothing after it
  assert.equal(utf16Offset(lone, 2), 2);
  assert.equal(codePointOffset(lone, 2), 2);
});

function finding(
  part: LintPart,
  template: number | null,
  start: number,
  end: number,
  fixable = false,
): LintDiagnosticDoc {
  return {
    rule: "test-rule",
    severity: "warning",
    message: `${part} ${start}-${end}`,
    location: { part, template, template_name: null, start, end, line: 1, column: start + 1 },
    explanation: "",
    docs_url: "",
    fix: fixable ? { description: "Fix it", edits: [] } : null,
  };
}

test("isIn matches the card type and side, and the stylesheet whatever the card", () => {
  assert.ok(isIn(finding("front", 1, 0, 1), { card: 1, part: "front" }));
  assert.ok(!isIn(finding("front", 1, 0, 1), { card: 0, part: "front" }));
  assert.ok(!isIn(finding("back", 1, 0, 1), { card: 1, part: "front" }));
  assert.ok(!isIn(finding("browser front", 0, 0, 1), { card: 0, part: "front" }));
  assert.ok(isIn(finding("css", null, 0, 1), { card: 3, part: "css" }));
});

test("inline markers land on the right characters after an emoji", () => {
  const source = "😀 {{Frnt}}";
  const doc = Text.of([source]);
  // The engine marks `Frnt` at code points 4..8.
  const [marker] = diagnosticsFor(
    [finding("front", 0, 4, 8)],
    { card: 0, part: "front" },
    doc,
    () => {},
  );
  assert.ok(marker);
  assert.equal(source.slice(marker.from, marker.to), "Frnt");
  assert.equal(marker.severity, "warning");
  assert.equal(marker.source, "test-rule");
});

test("markers are limited to this editor's findings and clamped to its text", () => {
  const doc = Text.of(["{{A}}", "{{B}}"]);
  const found = [finding("back", 0, 0, 5), finding("front", 0, 6, 99), finding("front", 1, 0, 1)];
  const markers = diagnosticsFor(found, { card: 0, part: "front" }, doc, () => {});
  assert.deepEqual(
    markers.map((m) => [m.from, m.to]),
    [[6, 11]],
  );
  const beyond = diagnosticsFor(
    [finding("front", 0, 50, 60)],
    { card: 0, part: "front" },
    doc,
    () => {},
  );
  assert.deepEqual(
    beyond.map((m) => [m.from, m.to]),
    [[11, 11]],
  );
});

test("a fixable finding offers its fix as an action that reports the finding", () => {
  const doc = Text.of(["{{A}}"]);
  const fixed: LintDiagnosticDoc[] = [];
  const fixable = finding("front", 0, 0, 5, true);
  const [withFix] = diagnosticsFor([fixable], { card: 0, part: "front" }, doc, (d) =>
    fixed.push(d),
  );
  assert.deepEqual(
    withFix?.actions?.map((a) => a.name),
    ["Fix it"],
  );
  // The action ignores the view it is given; the designer applies the fix to the draft.
  withFix?.actions?.[0]?.apply(undefined as never, 0, 5);
  assert.deepEqual(fixed, [fixable]);
  const [plain] = diagnosticsFor(
    [finding("front", 0, 0, 5)],
    { card: 0, part: "front" },
    doc,
    () => {},
  );
  assert.deepEqual(plain?.actions, []);
});
