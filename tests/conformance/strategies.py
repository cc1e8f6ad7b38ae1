"""Hypothesis strategies for render requests: note types, templates and notes.

Templates are token lists from a grammar of Anki constructs (replacements with
filter chains, section openers and closers, comments, special and unknown
fields, stray braces, HTML, Unicode). Most note types get their sections
repaired into correct nesting; some keep them broken. Field values are token
lists too, mixing cloze openers (hints, several ordinals, nesting), furigana,
sound tags, HTML, entities and almost-empty text.

Tokens are drawn with one ``sampled_from`` each (a few thousand draws per
second matter: the suite runs 5,000 notes), and name slots ``\\x00N`` are
filled with the note type's field names afterwards.
"""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import strategies as st

# fmt: off
SPECIAL_FIELDS = ("FrontSide", "Tags", "Type", "Deck", "Subdeck", "CardFlag", "Card", "CardID")
FIELD_NAMES = ("Front", "Back", "Text", "Extra", "日本語", "Field 6", "Reading", "Notes")
# Names Anki renames on save, or that shadow special fields.
ODD_FIELD_NAMES = ("Tags", "Deck", "Card", "c1", "front", "Fr:ont", "#Hash", " Spaced ", "e\u0301")
MAX_FIELDS = 6
SLOTS = tuple(f"\x00{n}" for n in range(MAX_FIELDS))
NAME_CHOICES = SLOTS * 3 + SPECIAL_FIELDS + ("Missing", "", "c1", "c2", "c3", "front")
FILTER_CHAINS = (
    "", "", "", "", "text:", "hint:", "furigana:", "kana:", "kanji:", "cloze:", "cloze-only:",
    "type:", "type:cloze:", "type:nc:", "tts en_US:", "tts ja_JP voices=Alice,Bob speed=1.5:",
    "tts fr_FR cloze_blank=X:cloze:", "unknown:", ":", "text:kana:", "furigana:text:",
    "hint:cloze:", "cloze-only:text:", "unknown:text:", "text:unknown:", " text :",
    "tts en_US:text:", "kanji:cloze:", "nc:",
)
TEMPLATE_TEXT = (
    "x", " ", "\n", "<b>", "</b>", "<div>", "</div>", "<br>", "é", "e\u0301", "日本", "🙂",
    "{", "}", "{{", "}}", ":", "<!--", "-->", "&nbsp;", "&amp;", "[sound:t.mp3]",
    "[latex]x[/latex]", "[$]y[/$]", "<hr id=answer>", "'\"", "\t",
    "[anki:tts lang=en_US]hi[/anki:tts]", "{{{" + SLOTS[0] + "}}}", "{{ " + SLOTS[1] + " }}",
)
REPLACEMENTS = tuple("{{" + f + n + "}}" for f, n in itertools.product(FILTER_CHAINS, NAME_CHOICES))
OPENERS = tuple("{{" + kind + n + "}}" for kind in "##^" for n in NAME_CHOICES)
CLOSERS = tuple("{{/" + n + "}}" for n in NAME_CHOICES)
TEMPLATE_TOKENS = (
    TEMPLATE_TEXT * 8 + REPLACEMENTS + OPENERS * 8 + CLOSERS * 8
    + ("{{/ " + SLOTS[0] + "}}", "{{#" + SLOTS[0] + " }}", "{{=<% %>=}}")
)
_BROKEN_PARTS = ("Missing", "{{}}", "{{#}}", "{{^}}", "{{/}}", "FrontSide}}", "{{=")
_PSEUDO_ONLY_IN_SECTIONS = ("c1}}", "c2}}", "c3}}", "front}}")


def _well_formed(token: str) -> bool:
    if any(part in token for part in _BROKEN_PARTS):
        return False
    # {{c2}} is unknown on every card but the second; {{#c2}} is always fine.
    return token[2:3] in "#^/" or not token.endswith(_PSEUDO_ONLY_IN_SECTIONS)


WELL_FORMED_TOKENS = tuple(t for t in TEMPLATE_TOKENS if _well_formed(t))
_OPENER_SET = frozenset(OPENERS)
_CLOSER_SET = frozenset(CLOSERS)
VALUE_TEXT = (
    "a", "word", " ", "  ", "\n", "<br>", "<br/>", "<div></div>", "<div>x</div>", "&nbsp;",
    "&amp;", "&lt;b&gt;", "<b>bold</b>", "<i>", "é", "e\u0301", "Å", "日本語", "🙂", "\u3000",
    "漢字[かんじ]", " 日本[にほん]", "x[y]", "[sound:a.mp3]", "[sound:b c.ogg]", "::", "{{", "}}",
    "{", "}", "c1", "\\(x<b>y</b>\\)", "\\[a&lt;b\\]", "[latex]z[/latex]", "<!-- c -->",
    "<script>s</script>", "<style>p{}</style>", "<img src=\"p.jpg\">", "\x01", "\t", "'\"",
    "[anki:tts lang=de_DE]t[/anki:tts]", "\u00a0", "\\(", "\\)", "\\[", "\\]", "[$]", "[/$]",
    "<span class=\"cloze\">", "&#x41;", "&unknown;",
)
CLOZE_OPENERS = tuple(
    "{{c" + ords + "::"
    for ords in ("1", "1", "1", "2", "2", "3", "4", "1,2", "2,3", "0", "1,,3", "0,1",
                 "500", "501", "10")
)
VALUE_TOKENS = (
    VALUE_TEXT * 3 + CLOZE_OPENERS * 3 + ("}}",) * 12 + ("::hint", "::", "::<b>h</b>", "::h::i")
    + ("image-occlusion:rect:left=10:top=20:width=30:height=40",)
)
EMPTYISH = ("", " ", "<br>", "<div></div>", "&nbsp;", "<BR />", "\n", "<div><br></div>")
TAGS = ("a", "b", "B", "tag::sub", "日本", "e\u0301", "x y", "  ", "z::", "long_tag")
DECKS = ("Default", "Default", "A::B", "Lang::日本語::N5", "Top", "x::y::z", " Pad ", "default",
         "A::::B", "DEFAULT::sub", "x\x01y", "e\u0301::")
# Template names Anki changes on save (quotes dropped, case-insensitive duplicates get "+").
ODD_TEMPLATE_NAMES = ("Card 1", "card 1", 'Q"uote', "e\u0301", "Card 2+")
NAMES = ("Basic", "Cloze", "My Type", "Vocab 日本", 'Q"uote')
CSS = (".card { color: red; }", "", "b{}")
# fmt: on


# Built once: hypothesis labels a sampled_from by hashing all its elements.
_TEMPLATE_SIDE = st.lists(st.sampled_from(TEMPLATE_TOKENS), max_size=8)
_WELL_FORMED_SIDE = st.lists(st.sampled_from(WELL_FORMED_TOKENS), max_size=8)
_VALUE = st.lists(st.sampled_from(VALUE_TOKENS), min_size=1, max_size=8)
_EMPTYISH = st.sampled_from(EMPTYISH)
_TAGS = st.lists(st.sampled_from(TAGS), max_size=3)
_DECKS = st.sampled_from(DECKS)
_NAMES = st.sampled_from(NAMES)
_CSS = st.sampled_from(CSS)
_ODD_FIELD_NAMES = st.sampled_from(ODD_FIELD_NAMES)
_ODD_TEMPLATE_NAMES = st.sampled_from(ODD_TEMPLATE_NAMES)


def _section_name(token: str) -> str:
    return token[3:-2]


def repair_sections(tokens: list[str]) -> list[str]:
    """Drop stray closers and close every open section, innermost first."""
    repaired: list[str] = []
    open_names: list[str] = []
    for token in tokens:
        if token in _OPENER_SET:
            open_names.append(_section_name(token))
        elif token in _CLOSER_SET:
            if not open_names:
                continue
            token = "{{/" + open_names.pop() + "}}"
        repaired.append(token)
    repaired.extend("{{/" + name + "}}" for name in reversed(open_names))
    return repaired


def fill_slots(text: str, fields: list[str]) -> str:
    """Replace name slots with the note type's field names."""
    for index, slot in enumerate(SLOTS):
        if slot in text:
            text = text.replace(slot, fields[index % len(fields)])
    return text


def _template_side(draw: st.DrawFn, fields: list[str], well_formed: bool) -> str:
    tokens = draw(_WELL_FORMED_SIDE if well_formed else _TEMPLATE_SIDE)
    if well_formed:
        tokens = repair_sections(tokens)
    return fill_slots("".join(tokens), fields)


@st.composite
def notetype(draw: st.DrawFn, kind: int | None = None) -> dict[str, Any]:
    """A schema-11 note type: 1–6 fields, 1–4 templates, standard or cloze."""
    if kind is None:
        kind = draw(st.sampled_from((0, 1)))
    count = draw(st.integers(1, MAX_FIELDS))
    start = draw(st.integers(0, len(FIELD_NAMES) - 1))
    fields = [FIELD_NAMES[(start + i) % len(FIELD_NAMES)] for i in range(count)]
    well_formed = draw(st.integers(0, 4)) > 0
    if not well_formed and draw(st.booleans()):
        fields[-1] = draw(_ODD_FIELD_NAMES)
        fields = list(dict.fromkeys(fields))
    templates = []
    for index in range(draw(st.integers(1, 4))):
        front = _template_side(draw, fields, well_formed)
        back = _template_side(draw, fields, well_formed)
        if kind == 1 and draw(st.integers(0, 5)):
            front = "{{cloze:" + draw(st.sampled_from(fields)) + "}}" + front
        if draw(st.integers(0, 2)) == 0:
            back = "{{FrontSide}}<hr id=answer>" + back
        if draw(st.integers(0, 40)) == 0:
            front = "{{=<% %>=}}" + front.replace("{{", "<%").replace("}}", "%>")
        name = f"Card {index + 1}" if well_formed else draw(_ODD_TEMPLATE_NAMES)
        templates.append({"name": name, "qfmt": front, "afmt": back})
    return {
        "name": draw(_NAMES),
        "type": kind,
        "css": draw(_CSS),
        "flds": [{"name": name} for name in fields],
        "tmpls": templates,
    }


# Well-formed clozes: without them most generated cloze cards would only show Anki's
# "No cloze N found" message (loose openers and closers rarely pair up).
WELL_FORMED_ORDS = ("1", "1", "1", "2", "2", "3", "1,2", "2,3", "1,,3", "2,1")
HINTS = ("", "", "", "::hint", "::<b>h</b>", "::", "::a::b", '::"q" &amp;')
_CLOZE_BODY = st.lists(st.sampled_from(VALUE_TEXT), max_size=4)
_WELL_FORMED_ORDS = st.sampled_from(WELL_FORMED_ORDS)
_HINTS = st.sampled_from(HINTS)


@st.composite
def well_formed_cloze(draw: st.DrawFn, depth: int = 0) -> str:
    """``{{cN::…}}`` (or several ordinals), with an optional hint and nested clozes."""
    parts = draw(_CLOZE_BODY)
    if depth < 2 and draw(st.integers(0, 3)) == 0:
        parts.insert(draw(st.integers(0, len(parts))), draw(well_formed_cloze(depth + 1)))
    return "{{c" + draw(_WELL_FORMED_ORDS) + "::" + "".join(parts) + draw(_HINTS) + "}}"


@st.composite
def field_value(draw: st.DrawFn) -> str:
    """A field's text: empty-ish, plain, HTML, furigana, sounds, clozes."""
    choice = draw(st.integers(0, 5))
    if choice == 0:
        return draw(_EMPTYISH)
    if choice <= 2:
        # Text mixed with well-formed clozes.
        return "".join(
            draw(st.lists(st.one_of(st.sampled_from(VALUE_TEXT), well_formed_cloze()), max_size=6))
        )
    return "".join(draw(_VALUE))


@st.composite
def render_request(draw: st.DrawFn, kind: int | None = None) -> dict[str, Any]:
    """A complete render request for a generated note type and note."""
    nt = draw(notetype(kind))
    fields = {f["name"]: draw(field_value()) for f in nt["flds"] if draw(st.integers(0, 4))}
    return {
        "notetype": nt,
        "fields": fields,
        "tags": draw(_TAGS),
        "deck": draw(_DECKS),
        "flag": draw(st.integers(0, 7)),
    }


# Character soup: the characters the lexers care about, mixed with whole tags.
TEMPLATE_ALPHABET = "{}#^/:!<>-= %FBc1tx\n"
VALUE_ALPHABET = "{}c12,:[]<>/br &;nsp日ｘ\\()$"
TEMPLATE_SNIPPETS = (
    "{{F}}",
    "{{B}}",
    "{{#F}}",
    "{{/F}}",
    "{{^B}}",
    "{{/B}}",
    "{{cloze:F}}",
    "{{text:B}}",
    "<!--",
    "-->",
    "{{",
    "}}",
    "{{=<% %>=}}",
    "<%F%>",
)
VALUE_SNIPPETS = (
    "{{c1::",
    "{{c2::",
    "{{c1,2::",
    "}}",
    "::",
    "<br>",
    "&nbsp;",
    "[sound:a]",
    "漢[かん]",
    "\\(",
    "\\)",
)
_SOUP_TEMPLATE = st.lists(
    st.one_of(st.sampled_from(TEMPLATE_SNIPPETS), st.text(alphabet=TEMPLATE_ALPHABET, max_size=6)),
    max_size=8,
).map("".join)
_SOUP_VALUE = st.lists(
    st.one_of(st.sampled_from(VALUE_SNIPPETS), st.text(alphabet=VALUE_ALPHABET, max_size=6)),
    max_size=8,
).map("".join)


@st.composite
def soup_request(draw: st.DrawFn) -> dict[str, Any]:
    """A request whose templates and fields are character soup over fields F and B."""
    kind = draw(st.sampled_from((0, 1)))
    templates = [
        {"name": f"Card {i + 1}", "qfmt": draw(_SOUP_TEMPLATE), "afmt": draw(_SOUP_TEMPLATE)}
        for i in range(draw(st.integers(1, 2)))
    ]
    return {
        "notetype": {
            "name": "Soup",
            "type": kind,
            "css": "",
            "flds": [{"name": "F"}, {"name": "B"}],
            "tmpls": templates,
        },
        "fields": {"F": draw(_SOUP_VALUE), "B": draw(_SOUP_VALUE)},
    }
