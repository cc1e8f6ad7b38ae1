"""The profiler names the filter chain or section that dominates a template's render time."""

from __future__ import annotations

from types import MappingProxyType

from anki_template_designer.core import CardTemplate, Field, Note, NoteType, NoteTypeKind
from anki_template_designer.perf.profiler import profile_notetype

LONG_READING = " ".join(["日本語[にほんご]を 勉強[べんきょう]する"] * 400)


def note(**fields: str) -> Note:
    return Note(fields=MappingProxyType(fields))


def vocab(front: str, back: str = "{{FrontSide}}<hr id=answer>{{Meaning}}") -> NoteType:
    return NoteType(
        name="Vocab",
        kind=NoteTypeKind.STANDARD,
        fields=(Field("Word"), Field("Reading"), Field("Meaning")),
        templates=(CardTemplate("Recognition", front, back),),
    )


def test_furigana_over_a_long_field_is_the_bottleneck() -> None:
    front = "{{text:Word}}<br>\n<div class=r>{{furigana:Reading}}</div>\n{{hint:Meaning}}"
    notetype = vocab(front)
    sample = note(Word="日本語", Reading=LONG_READING, Meaning="Japanese")
    profile = profile_notetype(notetype, [sample], repeat=5)
    (template,) = profile.templates
    assert template.template == "Recognition"
    assert template.renders == 5
    bottleneck = template.bottleneck
    assert bottleneck is not None
    assert (bottleneck.kind, bottleneck.side, bottleneck.tag) == (
        "filter",
        "front",
        "{{furigana:Reading}}",
    )
    assert (bottleneck.line, bottleneck.column) == (2, 14)
    assert bottleneck.filters == ("furigana",)
    # Relative shares within one run, never wall-clock limits.
    others = [s for s in template.hotspots if s.tag in ("{{text:Word}}", "{{hint:Meaning}}")]
    assert others and all(s.milliseconds * 5 < bottleneck.milliseconds for s in others)
    assert bottleneck.share > 0.3
    assert 0 < template.filter_share <= 1


def test_a_section_with_time_spread_over_many_replacements_is_named() -> None:
    inner = "".join(f"{{{{kana:Reading}}}}{{{{kanji:Reading}}}}{i}" for i in range(6))
    front = f"{{{{Word}}}}\n{{{{#Reading}}}}{inner}{{{{/Reading}}}}\n{{{{text:Word}}}}"
    profile = profile_notetype(vocab(front), [note(Word="w", Reading=LONG_READING)], repeat=2)
    bottleneck = profile.templates[0].bottleneck
    assert bottleneck is not None
    assert (bottleneck.kind, bottleneck.tag, bottleneck.line, bottleneck.column) == (
        "section",
        "{{#Reading}}",
        2,
        1,
    )


def test_a_replacement_holding_its_section_is_named_instead_of_it() -> None:
    front = "{{#Reading}}<ruby>{{furigana:Reading}}</ruby>{{/Reading}}"
    back = "{{FrontSide}}<hr id=answer>{{text:Meaning}}"
    profile = profile_notetype(vocab(front, back), [note(Reading=LONG_READING, Meaning="m")])
    template = profile.templates[0]
    assert template.bottleneck is not None
    assert template.bottleneck.kind == "filter"
    kinds = {(s.kind, s.tag) for s in template.hotspots}
    assert ("section", "{{#Reading}}") in kinds
    assert ("filter", "{{text:Meaning}}") in kinds


def test_every_card_type_is_profiled_slowest_first() -> None:
    notetype = NoteType(
        name="Two",
        kind=NoteTypeKind.STANDARD,
        fields=(Field("Front"), Field("Back")),
        templates=(
            CardTemplate("Plain", "{{Front}}", "{{Back}}"),
            CardTemplate("Heavy", "{{furigana:Back}}", "{{kanji:Back}}"),
        ),
    )
    profile = profile_notetype(notetype, [note(Front="f", Back=LONG_READING)], repeat=2)
    # Sorted by measured time (which one is slower is timing, left to the attribution tests).
    times = [t.milliseconds for t in profile.templates]
    assert times == sorted(times, reverse=True)
    by_name = {t.template: t for t in profile.templates}
    assert set(by_name) == {"Heavy", "Plain"}
    assert by_name["Plain"].bottleneck is None  # no filters: nothing to attribute
    heavy = by_name["Heavy"].bottleneck
    assert heavy is not None and heavy.kind == "filter"
    assert profile.milliseconds == max(times)


def test_no_samples_profiles_an_empty_note() -> None:
    profile = profile_notetype(vocab("{{Word}}"), [], repeat=1)
    assert profile.templates[0].renders == 1
