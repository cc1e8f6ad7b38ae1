// The template syntax, as the help page explains it: each entry is an example and what it does.
export interface SyntaxEntry {
  code: string;
  text: string;
}

export interface SyntaxSection {
  id: string;
  title: string;
  intro: string;
  entries: SyntaxEntry[];
}

export const SYNTAX: SyntaxSection[] = [
  {
    id: "fields",
    title: "Fields",
    intro:
      "A template is HTML with field replacements in double braces. Field names are case-sensitive and may contain spaces.",
    entries: [
      {
        code: "{{Front}}",
        text: "The content of the field Front (HTML, images and sounds included).",
      },
      {
        code: '<div class="word">{{Word}}</div>',
        text: "Wrap fields in HTML to style them from the Styling tab.",
      },
    ],
  },
  {
    id: "sections",
    title: "Conditional sections",
    intro: "Show part of a template only when a field is filled in, or only when it is empty.",
    entries: [
      {
        code: "{{#Example}}<p>{{Example}}</p>{{/Example}}",
        text: "Shown only when Example is not empty.",
      },
      { code: "{{^Audio}}No recording yet{{/Audio}}", text: "Shown only when Audio is empty." },
      {
        code: "{{#Add Reverse}}{{Back}}{{/Add Reverse}}",
        text: "On a front: the card is made only for notes that fill Add Reverse (an empty front makes no card).",
      },
    ],
  },
  {
    id: "filters",
    title: "Filters",
    intro:
      "A filter changes how a field is shown. Write it before the field name; several filters apply from the field outwards.",
    entries: [
      { code: "{{text:Front}}", text: "The field without HTML formatting." },
      { code: "{{hint:Notes}}", text: "A link that reveals the field when clicked." },
      { code: "{{furigana:Reading}}", text: "猫[ねこ] shown as 猫 with ねこ above it (ruby)." },
      {
        code: "{{kana:Reading}} / {{kanji:Reading}}",
        text: "Only the reading, or only the base text.",
      },
      {
        code: "{{tts en_US voices=Apple_Samantha speed=1.2:Front}}",
        text: "Read the field aloud with the device's text-to-speech.",
      },
    ],
  },
  {
    id: "cloze",
    title: "Cloze deletion",
    intro:
      "On a cloze note type, {{cloze:Text}} goes on the front and the back. Each cloze number in the field makes one card.",
    entries: [
      {
        code: "{{c1::Paris}} is the capital of {{c2::France}}.",
        text: "Two cards: one hides Paris, one hides France.",
      },
      { code: "{{c1::Canberra::city}}", text: "A hint shown in place of the hidden text: [city]." },
      {
        code: "{{cloze:Text}}",
        text: "The field with the card's cloze hidden on the front and shown on the back.",
      },
    ],
  },
  {
    id: "type-in",
    title: "Type in the answer",
    intro:
      "Put the same tag on the front and the back: the front shows a text box, the back compares.",
    entries: [
      {
        code: "{{type:Back}}",
        text: "Type the content of Back; the back shows what was typed against the answer.",
      },
      { code: "{{type:cloze:Text}}", text: "Type the hidden text of a cloze card." },
      { code: "{{type:nc:Back}}", text: "Compare ignoring accents (nc: no combining characters)." },
    ],
  },
  {
    id: "frontside",
    title: "FrontSide and the answer line",
    intro: "Most backs show the question again, then the answer.",
    entries: [
      {
        code: "{{FrontSide}}",
        text: "On the back: the rendered front (empty on the front itself).",
      },
      {
        code: "<hr id=answer>",
        text: "Where the answer starts: Anki scrolls there when the answer is shown.",
      },
    ],
  },
  {
    id: "special",
    title: "Special fields",
    intro: "Names Anki fills in itself; they cannot be used as field names.",
    entries: [
      { code: "{{Tags}}", text: "The note's tags." },
      { code: "{{Type}}", text: "The note type's name." },
      {
        code: "{{Deck}} / {{Subdeck}}",
        text: "The card's deck, with or without its parent decks.",
      },
      { code: "{{Card}}", text: "The card type's name." },
      { code: "{{CardFlag}}", text: "flag1 … flag7 when the card is flagged, else empty." },
      { code: "{{CardID}}", text: "The card's id number." },
    ],
  },
  {
    id: "styling",
    title: "Styling",
    intro: "The Styling tab is one stylesheet shared by every card type.",
    entries: [
      {
        code: ".card { font-size: 22px; }",
        text: "The card itself; .card1, .card2 … select one card type.",
      },
      {
        code: ".card.nightMode { background-color: #1c1d20; }",
        text: "Night mode, in Anki desktop, AnkiDroid and AnkiMobile.",
      },
      {
        code: ".mobile .card, .iphone, .android",
        text: "Classes that tell phones and platforms apart.",
      },
      {
        code: '@font-face { src: url("_Inter.woff2"); }',
        text: "Template media start with _ so Check Media keeps them.",
      },
    ],
  },
];
