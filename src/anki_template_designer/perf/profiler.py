"""Bottleneck detection: which filter chain or section dominates a template's render time.

The engine's render probe reports the seconds each filtered replacement took. A profile
renders every card of a note type for each sample, a few times over, and sums those seconds
by the replacement's place in its template (card type, side, span), and by each enclosing
section of the parsed template. Time the probe does not see (literal text, unfiltered
fields, building the card) stays with the template as "other".

A section's time is the sum of the filtered replacements inside it, so it is never less than
any one of them; the bottleneck is the hotspot with the most time, except that a replacement
holding nearly all of its enclosing section's time is named instead of the section (it is
the more precise answer).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from ..core.cards import generated_card_ords
from ..core.model import Note, NoteType
from ..core.rendering import render_card, template_for_card
from ..core.template.errors import TemplateSyntaxError
from ..core.template.nodes import Conditional, Replacement, Template, iter_nodes
from ..core.template.parser import parse

# A replacement with this share of its section's time stands for the section.
PRECISE_ENOUGH = 0.9
MAX_CARDS_PER_SAMPLE = 20
MAX_REPEAT = 50


class _Probe:
    """Collects filter seconds by (side, replacement offset) for one card type."""

    def __init__(self) -> None:
        self.seconds: dict[tuple[bool, int], float] = {}
        self.nodes: dict[tuple[bool, int], Replacement] = {}

    def check(self) -> None:
        """Never stops a render."""

    def replacement(self, node: Replacement, question: bool, seconds: float) -> None:
        """Add the filter chain's seconds to its place."""
        key = (question, node.span.start)
        self.seconds[key] = self.seconds.get(key, 0.0) + seconds
        self.nodes[key] = node


@dataclass(frozen=True, slots=True)
class Hotspot:
    """A filter chain or a section and the share of its template's render time it took."""

    kind: str  # "filter" or "section"
    side: str  # "front" or "back"
    line: int
    column: int
    tag: str  # the tag as written: "{{furigana:Reading}}" or "{{#Reading}}"
    filters: tuple[str, ...]
    milliseconds: float  # per render of the card
    share: float  # of the template's render time, 0..1


@dataclass(frozen=True, slots=True)
class TemplateProfile:
    """One card type: its mean render time and where that time went, slowest first."""

    template: str
    renders: int
    milliseconds: float  # mean per card render, both sides
    filter_share: float  # of the render time spent in filter chains
    bottleneck: Hotspot | None
    hotspots: tuple[Hotspot, ...]


@dataclass(frozen=True, slots=True)
class NoteTypeProfile:
    """Every card type of a note type, slowest first."""

    notetype: str
    repeat: int
    templates: tuple[TemplateProfile, ...]

    @property
    def milliseconds(self) -> float:
        """The slowest card type's mean render time."""
        return max((t.milliseconds for t in self.templates), default=0.0)


@dataclass(frozen=True, slots=True)
class _Placed:
    """A hotspot and the offsets of its source (a section: from its opening to its closing tag)."""

    spot: Hotspot
    start: int
    end: int


@dataclass
class _Totals:
    renders: int = 0
    seconds: float = 0.0
    probe: _Probe = field(default_factory=_Probe)


def profile_notetype(
    notetype: NoteType, samples: Sequence[Note], repeat: int = 5
) -> NoteTypeProfile:
    """Render every card of each sample ``repeat`` times and attribute the time."""
    repeat = max(1, min(repeat, MAX_REPEAT))
    totals: dict[int, _Totals] = {}
    for note in samples or (Note(fields=MappingProxyType({})),):
        ords = generated_card_ords(notetype, note)[:MAX_CARDS_PER_SAMPLE]
        for card_ord in ords:
            template_ord = 0 if notetype.is_cloze else card_ord
            entry = totals.setdefault(template_ord, _Totals())
            for _ in range(repeat):
                started = time.perf_counter()
                render_card(notetype, note, card_ord, entry.probe)
                entry.seconds += time.perf_counter() - started
                entry.renders += 1
    profiles = [
        _template_profile(notetype, template_ord, entry)
        for template_ord, entry in sorted(totals.items())
    ]
    profiles.sort(key=lambda p: -p.milliseconds)
    return NoteTypeProfile(notetype.name, repeat, tuple(profiles))


def _template_profile(notetype: NoteType, template_ord: int, totals: _Totals) -> TemplateProfile:
    template = template_for_card(notetype, template_ord)
    total = totals.seconds or 1e-12
    per_render = 1000.0 / totals.renders
    spots: list[_Placed] = []
    filter_seconds = 0.0
    for question, source in ((True, template.front), (False, template.back)):
        side = "front" if question else "back"
        seconds = {s: v for (q, s), v in totals.probe.seconds.items() if q == question}
        filter_seconds += sum(seconds.values())
        for start, spent in seconds.items():
            node = totals.probe.nodes[(question, start)]
            spot = Hotspot(
                "filter",
                side,
                node.span.line,
                node.span.column,
                source[node.span.start : node.span.end],
                node.filters,
                spent * per_render,
                spent / total,
            )
            spots.append(_Placed(spot, node.span.start, node.span.end))
        for section, spent in _sections(source, seconds):
            spot = Hotspot(
                "section",
                side,
                section.span.line,
                section.span.column,
                source[section.span.start : section.span.end],
                (),
                spent * per_render,
                spent / total,
            )
            spots.append(_Placed(spot, section.span.start, section.close_span.end))
    spots.sort(key=lambda placed: (-placed.spot.milliseconds, placed.end - placed.start))
    hotspots = tuple(placed.spot for placed in spots)
    return TemplateProfile(
        template=template.name,
        renders=totals.renders,
        milliseconds=totals.seconds * per_render,
        filter_share=min(1.0, filter_seconds / total),
        bottleneck=_bottleneck(spots),
        hotspots=hotspots,
    )


def _sections(source: str, seconds: dict[int, float]) -> list[tuple[Conditional, float]]:
    """Each section of ``source`` with the filter seconds spent inside it (none if no time)."""
    if not seconds:
        return []
    try:
        parsed: Template = parse(source)
    except TemplateSyntaxError:
        return []
    found = []
    for node in iter_nodes(parsed.nodes):
        if isinstance(node, Conditional):
            inside = sum(
                spent
                for start, spent in seconds.items()
                if node.span.end <= start < node.close_span.start
            )
            if inside > 0:
                found.append((node, inside))
    return found


def _bottleneck(spots: list[_Placed]) -> Hotspot | None:
    """The hotspot with the most time, narrowed to one inside it that holds nearly all of it."""
    if not spots:
        return None
    best = spots[0]
    for placed in spots[1:]:
        inside = best.start <= placed.start and placed.end <= best.end
        nearly_all = placed.spot.milliseconds >= PRECISE_ENOUGH * best.spot.milliseconds
        if placed.spot.side == best.spot.side and inside and nearly_all and placed != best:
            best = placed
    return best.spot
