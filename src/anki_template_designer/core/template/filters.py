"""Anki's built-in field filters, applied nearest-the-field first.

With no add-ons installed, an unknown filter ends the chain: Anki hands it and
every filter after it to Python hooks, which leave the text as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from blake3 import blake3

from .cloze import cloze_filter, reveal_cloze_text_only
from .html import strip_html
from .ruby import RubyMatch, replace_ruby
from .text_rules import rust_trim


@dataclass(frozen=True, slots=True)
class FilterContext:
    """What filters may depend on: the card (1-based cloze ordinal) and the side."""

    cloze_ordinal: int
    question: bool


def _ruby_filter(text: str, build: Callable[[str, str], str]) -> str:
    def replace(match: RubyMatch) -> str:
        if match.reading.startswith("sound:"):
            return text_without_nbsp[match.start : match.end]
        return build(match.base, match.reading)

    text_without_nbsp = text.replace("&nbsp;", " ")
    return replace_ruby(text_without_nbsp, replace)


def furigana(text: str) -> str:
    """``kanji[reading]`` → ruby markup."""
    return _ruby_filter(text, lambda base, top: f"<ruby><rb>{base}</rb><rt>{top}</rt></ruby>")


def kanji(text: str) -> str:
    """``kanji[reading]`` → the base text only."""
    return _ruby_filter(text, lambda base, _: base)


def kana(text: str) -> str:
    """``kanji[reading]`` → the reading only."""
    return _ruby_filter(text, lambda _, top: top)


def hint(text: str, field_name: str) -> str:
    """A link that reveals the field; the element id is derived from text and field as Anki does."""
    if not rust_trim(text):
        return text
    # "surrogatepass": a lone surrogate (which Anki could never store) still gets an id.
    digest = blake3(text.encode("utf-8", "surrogatepass"))
    digest.update(field_name.encode("utf-8", "surrogatepass"))
    element_id = digest.digest(8).hex()
    return (
        '\n<a class=hint href="#"\n'
        "onclick=\"this.style.display='none';\n"
        f"document.getElementById('hint{element_id}').style.display='block';\n"
        f'return false;" draggable=false>\n{field_name}</a>\n'
        f'<div id="hint{element_id}" class=hint style="display: none">{text}</div>\n'
    )


def tts(options: str, text: str) -> str:
    """``{{tts en_US voices=…:F}}`` → an ``[anki:tts]`` tag the player reads."""
    return f"[anki:tts lang={options}]{text}[/anki:tts]"


def _builtin(name: str, text: str, field_name: str, context: FilterContext) -> str | None:
    """Apply one built-in filter; None if ``name`` is not one."""
    if name == "text":
        return strip_html(text)
    if name == "cloze":
        return cloze_filter(text, context.cloze_ordinal, context.question)
    if name == "hint":
        return hint(text, field_name)
    if name == "furigana":
        return furigana(text)
    if name == "kana":
        return kana(text)
    if name == "kanji":
        return kanji(text)
    if name == "cloze-only":
        return reveal_cloze_text_only(text, context.cloze_ordinal, context.question)
    if name == "":
        return text
    if name == "type":
        return f"[[type:{field_name}]]"
    if name == "type-cloze":
        return f"[[type:cloze:{field_name}]]"
    if name == "type-nc":
        return f"[[type:nc:{field_name}]]"
    if name.startswith("tts "):
        return tts(name[4:], text)
    return None


def apply_filters(
    text: str, filters: tuple[str, ...], field_name: str, context: FilterContext
) -> str:
    """Run ``filters`` (application order) over a field's text."""
    if filters and filters[-1] == "type":
        # Type-answer replaces the whole chain with a marker the reviewer fills in.
        if len(filters) == 2 and filters[0] == "cloze":
            return f"[[type:cloze:{field_name}]]"
        if len(filters) == 2 and filters[0] == "nc":
            return f"[[type:nc:{field_name}]]"
        return f"[[type:{field_name}]]"
    for name in filters:
        result = _builtin(name, text, field_name, context)
        if result is None:
            return text
        text = result
    return text
