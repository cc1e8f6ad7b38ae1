// The fields and card types panels' pure helpers (app/references.ts).
import assert from "node:assert/strict";
import { test } from "node:test";
import type { NoteTypeDoc } from "../src/api/types";
import { fieldUses, freshName, move } from "../src/app/references";

function notetype(cardTypes: NoteTypeDoc["card_types"]): NoteTypeDoc {
  return {
    name: "Basic",
    kind: "standard",
    fields: [{ name: "Front" }, { name: "Back" }, { name: "Extra" }],
    card_types: cardTypes,
    css: "",
  };
}

test("fieldUses lists every template side that uses a field", () => {
  const basic = notetype([
    { name: "Card 1", front: "{{Front}}", back: "{{FrontSide}}<hr id=answer>{{Back}}" },
    { name: "Card 2", front: "{{#Back}}{{Back}}{{/Back}}", back: "{{text:Front}}" },
  ]);
  assert.deepEqual(fieldUses(basic, "Front"), ["Card 1 front", "Card 2 back"]);
  assert.deepEqual(fieldUses(basic, "Back"), ["Card 1 back", "Card 2 front"]);
  assert.deepEqual(fieldUses(basic, "Extra"), []);
});

test("fieldUses ignores a field named only in a comment or in plain text", () => {
  const basic = notetype([
    { name: "Card 1", front: "Extra: <!-- {{Extra}} -->{{Front}}", back: "{{Back}}" },
  ]);
  assert.deepEqual(fieldUses(basic, "Extra"), []);
});

test("fieldUses includes the browser appearance templates (deleting the field rewrites them too)", () => {
  const basic = notetype([
    {
      name: "Card 1",
      front: "{{Front}}",
      back: "{{Back}}",
      browser_front: "{{Extra}}",
      browser_back: "{{text:Extra}}",
    },
  ]);
  assert.deepEqual(fieldUses(basic, "Extra"), ["Card 1 browser front", "Card 1 browser back"]);
  assert.deepEqual(fieldUses(basic, "Front"), ["Card 1 front"]);
});

test("freshName picks the first free numbered name", () => {
  assert.equal(freshName("Card 3", ["Card 1", "Card 2"]), "Card 3");
  assert.equal(freshName("Field", ["Field"]), "Field 2");
  assert.equal(freshName("Field", ["Field", "Field 2", "Field 3"]), "Field 4");
  assert.equal(freshName("Field", ["Field", "Field 3"]), "Field 2");
});

test("move shifts one item up or down and refuses to leave the list", () => {
  const items = ["a", "b", "c"];
  assert.equal(move(items, 0, 1), true);
  assert.deepEqual(items, ["b", "a", "c"]);
  assert.equal(move(items, 2, -1), true);
  assert.deepEqual(items, ["b", "c", "a"]);
  assert.equal(move(items, 0, -1), false);
  assert.equal(move(items, 2, 1), false);
  assert.equal(move(items, 5, -1), false);
  assert.equal(move(items, -1, 1), false);
  assert.deepEqual(items, ["b", "c", "a"], "a refused move changes nothing");
});
