"""A corpus of realistic note types, each with a deterministic generator of varied notes.

Each :class:`CorpusType` is a schema-11 note type (as Anki's stock types and
popular shared decks write them) plus ``make_note(rng, index)``, which returns
field values and tags. Notes vary: empty optional fields, HTML markup, images,
sounds, non-breaking spaces, long and short text, many or few clozes.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass
from typing import Any

import corpus_notes as n
from corpus_notes import Fields, NoteMaker

STOCK_CSS = (
    ".card {\n    font-family: arial;\n    font-size: 20px;\n    line-height: 1.5;\n"
    "    text-align: center;\n    color: black;\n    background-color: white;\n}\n"
)
CLOZE_CSS = (
    STOCK_CSS + ".cloze {\n    font-weight: bold;\n    color: blue;\n}\n"
    ".nightMode .cloze {\n    color: lightblue;\n}\n"
)
BACK = "{{FrontSide}}\n\n<hr id=answer>\n\n"


@dataclass(frozen=True)
class CorpusType:
    """A note type and the generator of its notes."""

    name: str
    fields: tuple[str, ...]
    templates: tuple[tuple[str, str, str], ...]  # (name, front, back)
    make_note: NoteMaker
    css: str = STOCK_CSS
    cloze: bool = False

    def schema11(self) -> dict[str, Any]:
        """The note type as a minimal schema-11 dict."""
        return {
            "name": self.name,
            "type": 1 if self.cloze else 0,
            "css": self.css,
            "flds": [{"name": name} for name in self.fields],
            "tmpls": [
                {"name": name, "qfmt": front, "afmt": back} for name, front, back in self.templates
            ],
        }

    def notes(self, count: int, seed: int = 2026) -> list[tuple[Fields, list[str]]]:
        """``count`` notes, the same on every run for the same seed."""
        rng = random.Random(seed ^ zlib.crc32(self.name.encode()))
        return [self.make_note(rng, index) for index in range(count)]


# --- the corpus ---------------------------------------------------------------------------

_IO_FRONT = (
    '{{#Header}}<div>{{Header}}</div>{{/Header}}\n<div style="display: none">{{cloze:Occlusion}}'
    '</div>\n<div id="err"></div>\n<div id="image-occlusion-container">\n    {{Image}}\n'
    '    <canvas id="image-occlusion-canvas"></canvas>\n</div>\n<script>\ntry {\n'
    "    anki.imageOcclusion.setup();\n} catch (exc) {\n"
    '    document.getElementById("err").innerHTML = `Error loading image occlusion. '
    "Is your Anki version up to date?<br><br>${exc}`;\n}\n</script>\n"
)
_IO_BACK = (
    _IO_FRONT + '\n<div><button id="toggle">Toggle Masks</button></div>\n'
    "{{#Back Extra}}<div>{{Back Extra}}</div>{{/Back Extra}}\n"
)

# AnKing-style: many optional resource fields, each a hint button behind a conditional.
_ANKING_RESOURCES = (
    "Lecture Notes",
    "Missed Questions",
    "Pathoma",
    "Boards and Beyond",
    "First Aid",
    "Sketchy",
    "Pixorize",
    "Physeo",
    "Bootcamp",
    "Additional Resources",
)
_ANKING_HINTS = "\n".join(
    f'{{{{#{f}}}}}\n<span id="hint-{i}" class="hintBtn" data-name="{f}">{{{{hint:{f}}}}}</span>'
    f"\n{{{{/{f}}}}}"
    for i, f in enumerate(_ANKING_RESOURCES)
)
_ANKING_SCRIPT = """<script>
// Keyboard shortcuts reveal hints one by one; ported from a popular shared deck.
var ToggleNextButtonShortcut = "H";
var ToggleAllButtonsShortcut = "'";
var ButtonShortcuts = {"Lecture Notes": "Alt+1", "Missed Questions": "Alt+2", "Sketchy": "Alt+3"};
function revealNext() {
  var hints = document.querySelectorAll('.hintBtn a.hint');
  for (var i = 0; i < hints.length; i++) {
    if (hints[i].style.display !== 'none') { hints[i].click(); return; }
  }
}
document.addEventListener('keydown', function (e) {
  if (e.key.toUpperCase() === ToggleNextButtonShortcut) { revealNext(); }
});
</script>"""
_ANKING_FRONT = (
    '<div class="card-content">\n{{#Tags}}<div id="tags-container">{{clickable:Tags}}</div>'
    '{{/Tags}}\n<div id="text">{{cloze:Text}}</div>\n{{#One by one}}<div id="one-by-one" '
    'style="display:none">{{One by one}}</div>{{/One by one}}\n</div>\n' + _ANKING_SCRIPT
)
_ANKING_BACK = (
    '<div class="card-content">\n<div id="text">{{cloze:Text}}</div>\n'
    '{{#Extra}}<div id="extra">{{Extra}}</div>{{/Extra}}\n'
    '{{#Personal Notes}}<div class="personal">{{Personal Notes}}</div>{{/Personal Notes}}\n'
    + _ANKING_HINTS
    + "\n</div>\n"
    + _ANKING_SCRIPT
)
_ANKING_CSS = (
    CLOZE_CSS + "html { overflow: scroll; overflow-x: hidden; }\n"
    "#text { margin: 15px; font-size: 28px; }\n.hintBtn { display: block; margin: 8px; }\n"
    ".nightMode .cloze { color: #4297F9 !important; }\n#tags-container { position: fixed; }\n"
)

_JP_FRONT = (
    '<div class="jp">{{Expression}}</div>\n'
    "{{tts ja_JP voices=Apple_Otoya,Microsoft_Haruka speed=0.9:Expression}}"
)
_JP_BACK = (
    BACK + '<div class="jp">{{furigana:Reading}}</div>\n<div class="kana">{{kana:Reading}}</div>'
    "\n{{Meaning}}\n{{#Audio}}{{Audio}}{{/Audio}}\n{{#Notes}}<div class=notes>{{Notes}}</div>"
    "{{/Notes}}"
)

TYPES: tuple[CorpusType, ...] = (
    CorpusType("Basic", ("Front", "Back"), (("Card 1", "{{Front}}", BACK + "{{Back}}"),), n.basic),
    CorpusType(
        "Basic (and reversed card)",
        ("Front", "Back"),
        (("Card 1", "{{Front}}", BACK + "{{Back}}"), ("Card 2", "{{Back}}", BACK + "{{Front}}")),
        n.german,
    ),
    CorpusType(
        "Basic (optional reversed card)",
        ("Front", "Back", "Add Reverse"),
        (
            ("Card 1", "{{Front}}", BACK + "{{Back}}"),
            ("Card 2", "{{#Add Reverse}}{{Back}}{{/Add Reverse}}", BACK + "{{Front}}"),
        ),
        n.optional_reverse,
    ),
    CorpusType(
        "Basic (type in the answer)",
        ("Front", "Back"),
        (("Card 1", "{{Front}}\n\n{{type:Back}}", "{{Front}}\n\n<hr id=answer>\n\n{{type:Back}}"),),
        n.type_in,
    ),
    CorpusType(
        "Cloze",
        ("Text", "Back Extra"),
        (("Cloze", "{{cloze:Text}}", "{{cloze:Text}}<br>\n{{Back Extra}}"),),
        n.cloze,
        CLOZE_CSS,
        cloze=True,
    ),
    CorpusType(
        "Cloze (many per note)",
        ("Text", "Extra"),
        (("Cloze", "{{cloze:Text}}", "{{cloze:Text}}\n{{#Extra}}<hr>{{Extra}}{{/Extra}}"),),
        n.cloze_many,
        CLOZE_CSS,
        cloze=True,
    ),
    CorpusType(
        "Image Occlusion",
        ("Occlusion", "Image", "Header", "Back Extra", "Comments"),
        (("Image Occlusion", _IO_FRONT, _IO_BACK),),
        n.image_occlusion,
        CLOZE_CSS,
        cloze=True,
    ),
    CorpusType(
        "Japanese Vocab",
        ("Expression", "Reading", "Meaning", "Audio", "Notes"),
        (
            ("Recognition", _JP_FRONT, _JP_BACK),
            (
                "Production",
                "{{Meaning}}",
                BACK + '<div class="jp">{{furigana:Reading}}</div>\n'
                "{{Audio}}{{tts ja_JP:Expression}}",
            ),
            ("Reading", '<div class="jp">{{kanji:Reading}}</div>', BACK + "{{kana:Reading}}"),
        ),
        n.japanese,
        STOCK_CSS + '.jp { font-size: 40px; font-family: "Noto Serif JP"; }\n',
    ),
    CorpusType(
        "Japanese Sentence",
        ("Sentence", "Reading", "Translation", "Audio", "Hint"),
        (
            (
                "Listening",
                "{{Audio}}{{^Audio}}{{tts ja_JP:Sentence}}{{/Audio}}",
                BACK + "{{furigana:Reading}}<br>{{Translation}}",
            ),
            (
                "Reading",
                "{{kanji:Reading}}{{#Hint}}<br>{{hint:Hint}}{{/Hint}}",
                BACK + "{{furigana:Reading}}<br>{{Translation}}\n{{Audio}}",
            ),
        ),
        n.japanese_sentence,
    ),
    CorpusType(
        "Chinese (Hanzi + Pinyin)",
        ("Hanzi", "Pinyin", "English", "Audio", "Example"),
        (
            (
                "Recognise",
                '<div class="hanzi">{{Hanzi}}</div>',
                BACK + "<div class=pinyin>{{Pinyin}}</div>{{English}}\n{{Audio}}"
                "{{^Audio}}{{tts zh_CN voices=Apple_Tingting:Hanzi}}{{/Audio}}",
            ),
            (
                "Recall",
                "{{English}}{{#Example}}<br><i>{{text:Example}}</i>{{/Example}}",
                BACK + '<div class="hanzi">{{Hanzi}}</div>{{Pinyin}}{{Audio}}',
            ),
        ),
        n.chinese,
        STOCK_CSS + ".hanzi { font-size: 48px; }\n",
    ),
    CorpusType(
        "Spanish Sentences",
        ("Sentence", "Word", "Translation", "Audio", "Image"),
        (
            ("Comprehension", "{{Sentence}}", BACK + "{{Translation}}<br>{{Audio}}{{Image}}"),
            ("Listening", "{{Audio}}", BACK + "{{Sentence}}<br>{{Translation}}"),
            (
                "Production",
                "{{Translation}}\n\n{{type:Word}}",
                "{{Translation}}<hr id=answer>{{type:Word}}<br>{{Sentence}}{{tts es_ES:Sentence}}",
            ),
        ),
        n.spanish,
    ),
    CorpusType(
        "AnKingOverhaul",
        ("Text", "Extra", "Personal Notes", *_ANKING_RESOURCES, "One by one"),
        (("AnKing", _ANKING_FRONT, _ANKING_BACK),),
        n.anking,
        _ANKING_CSS,
        cloze=True,
    ),
    CorpusType(
        "AnKing Basic",
        ("Front", "Back", "Extra", "Personal Notes", "Lecture Notes", "Missed Questions"),
        (
            (
                "Card 1",
                '<div id="front">{{Front}}</div>',
                BACK + "{{Back}}\n{{#Extra}}<br>{{Extra}}{{/Extra}}\n"
                "{{#Personal Notes}}{{hint:Personal Notes}}{{/Personal Notes}}\n"
                "{{#Lecture Notes}}{{hint:Lecture Notes}}{{/Lecture Notes}}\n"
                "{{#Missed Questions}}{{hint:Missed Questions}}{{/Missed Questions}}"
                + _ANKING_SCRIPT,
            ),
            ("Card 2", "{{#Extra}}{{Back}}{{/Extra}}", BACK + "{{Front}}"),
        ),
        n.anking_basic,
    ),
    CorpusType(
        "Ultimate Geography",
        ("Country", "Country info", "Capital", "Capital info", "Flag", "Map", "Region"),
        (
            (
                "Country - Capital",
                "{{#Capital}}Capital of {{Country}}?{{/Capital}}",
                BACK + "{{Capital}}{{#Capital info}}<br><small>{{Capital info}}</small>"
                "{{/Capital info}}",
            ),
            (
                "Capital - Country",
                "{{#Capital}}{{Capital}} is the capital of?{{/Capital}}",
                BACK + "{{Country}}",
            ),
            ("Flag - Country", "{{#Flag}}{{Flag}}{{/Flag}}", BACK + "{{Country}}<br>{{Region}}"),
            (
                "Map - Country",
                "{{#Map}}{{Map}}{{/Map}}",
                BACK + "{{Country}}{{#Country info}}<br>{{Country info}}{{/Country info}}",
            ),
        ),
        n.geography,
    ),
    CorpusType(
        "Programming",
        ("Question", "Code", "Answer", "Explanation"),
        (
            (
                "Card 1",
                "{{Question}}<br>{{Code}}",
                BACK
                + "{{Answer}}\n{{#Explanation}}<details>{{Explanation}}</details>{{/Explanation}}"
                "\n<!-- plain copy for screen readers: {{text:Code}} -->",
            ),
            ("Output", "{{text:Code}}", BACK + "{{Answer}}"),
        ),
        n.code,
        STOCK_CSS + "pre { text-align: left; }\n",
    ),
    CorpusType(
        "Vocabulary (special fields)",
        ("Word", "Meaning", "Image", "Gender"),
        (
            (
                "Word",
                "{{Word}}{{^Image}}<div class=noimg>no picture</div>{{/Image}}",
                # No {{Deck}}: Anki's ephemeral cards show "(Deck)" there, real cards the deck name.
                BACK
                + "{{Meaning}}<br>{{Image}}<div class=meta>{{Card}} · {{CardFlag}} · {{Type}} · "
                "{{Tags}}</div>",
            ),
            (
                "Gender",
                "{{#Gender}}Gender of {{Word}}?{{/Gender}}",
                BACK + "{{Gender}}{{#Tags}}<br>{{Tags}}{{/Tags}}",
            ),
        ),
        n.vocab_special,
    ),
    CorpusType(
        "Math (MathJax and LaTeX)",
        ("Front", "Back", "Proof"),
        (("Card 1", "{{Front}}", BACK + "{{Back}}{{#Proof}}<br>{{Proof}}{{/Proof}}"),),
        n.math,
    ),
    CorpusType(
        "History Dates",
        ("Year", "Event", "Context"),
        (
            ("Year → Event", "What happened in {{Year}}?", BACK + "{{Event}}<br>{{Context}}"),
            ("Event → Year", "When: {{Event}}?", BACK + "{{Year}}"),
        ),
        n.history,
    ),
    CorpusType(
        "Minimal Pairs",
        ("Word 1", "Audio 1", "Word 2", "Audio 2", "Compare"),
        (
            ("Which one?", "{{Audio 1}}", BACK + "{{Word 1}} (not {{Word 2}})"),
            ("Which one? (2)", "{{Audio 2}}", BACK + "{{Word 2}} (not {{Word 1}})"),
            (
                "Compare",
                "{{#Compare}}{{Word 1}} vs {{Word 2}}{{/Compare}}",
                BACK + "{{Audio 1}}{{Audio 2}}",
            ),
        ),
        n.minimal_pairs,
    ),
    CorpusType(
        "Cloze (type the answer)",
        ("Text", "Extra"),
        (
            (
                "Cloze",
                "{{cloze:Text}}\n{{type:cloze:Text}}",
                "{{cloze:Text}}\n{{type:cloze:Text}}<br>{{Extra}}",
            ),
        ),
        n.type_cloze,
        CLOZE_CSS,
        cloze=True,
    ),
    CorpusType(
        "Poem (cloze-only)",
        ("Text", "Title", "Author"),
        (
            (
                "Line",
                "<h3>{{Title}}</h3>{{cloze:Text}}",
                "<h3>{{Title}}</h3>{{cloze:Text}}<hr>{{cloze-only:Text}} — {{Author}}",
            ),
        ),
        n.poem,
        CLOZE_CSS,
        cloze=True,
    ),
    CorpusType(
        "Scripted Basic",
        ("Front", "Back", "Source"),
        (
            (
                "Card 1",
                "<!-- front for {{Front}} -->\n<div id=front>{{Front}}</div>\n<script>\n"
                "var front = `{{text:Front}}`;\ndocument.title = front.slice(0, 20);\n</script>",
                BACK + '{{Back}}\n{{#Source}}<a href="{{text:Source}}">source</a>{{/Source}}',
            ),
        ),
        n.scripted,
    ),
)


def by_name(names: list[str] | None) -> list[CorpusType]:
    """The corpus types with the given names (all of them for ``None``)."""
    if not names:
        return list(TYPES)
    known = {t.name: t for t in TYPES}
    missing = [name for name in names if name not in known]
    if missing:
        raise KeyError(f"unknown corpus types {missing}; known: {', '.join(known)}")
    return [known[name] for name in names]
