"""Render the corpus with our engine and with the anki package; print cards/s and the ratio.

Both engines run in this process on the same note types (as stored by Anki in a
temporary collection) and the same notes. Ours: ``render_note`` (card
generation plus both sides of every card: the engine call behind ``atd
render``, without JSON parsing). Anki's: ``note.ephemeral_card(ord,
custom_note_type=…, custom_template=…)`` then ``question()`` and ``answer()``
for the same cards, with pylib's LaTeX hook removed (ours leaves LaTeX as
text). A warm-up pass over a few notes of each type runs first.
It prints figures and never asserts; the target is ours/anki >= 1.0.

    PYTHONPATH=src python benchmarks/render_bench.py [--notes N] [--types NAME,…]
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from anki_template_designer.core.cards import generated_card_ords
from anki_template_designer.core.model import Note, NoteType
from anki_template_designer.core.normalize import as_saved_by_anki
from anki_template_designer.core.rendering import render_note
from anki_template_designer.core.schema11 import from_schema11
from corpus import CorpusType, by_name

WARM_UP_NOTES = 20


@dataclass
class Workload:
    """One corpus type ready for both engines: our notes and Anki's notes with their cards."""

    name: str
    stored: dict[str, Any]  # the note type as Anki stored it
    ours: list[tuple[NoteType, Note]] = field(default_factory=list)
    anki: list[tuple[Any, list[int]]] = field(default_factory=list)  # (anki note, card ords)

    @property
    def cards(self) -> int:
        """How many cards one pass renders."""
        return sum(len(ords) for _, ords in self.anki)


def prepare(col: Any, corpus_type: CorpusType, count: int) -> Workload:
    """Add the note type to ``col`` and build ``count`` notes for each engine."""
    models = col.models
    spec = corpus_type.schema11()
    notetype = models.new(spec["name"])
    notetype["type"], notetype["css"] = spec["type"], spec["css"]
    for fld in spec["flds"]:
        models.add_field(notetype, models.new_field(fld["name"]))
    for tmpl in spec["tmpls"]:
        template = models.new_template(tmpl["name"])
        template["qfmt"], template["afmt"] = tmpl["qfmt"], tmpl["afmt"]
        models.add_template(notetype, template)
    models.add(notetype)
    stored = models.get(notetype["id"])
    ours_type = from_schema11(stored)
    workload = Workload(corpus_type.name, stored)
    for fields, tags in corpus_type.notes(count):
        note = Note(fields=MappingProxyType(dict(fields)), tags=tuple(tags))
        saved_type, saved_note = as_saved_by_anki(ours_type, note)
        workload.ours.append((saved_type, saved_note))
        anki_note = col.new_note(stored)
        # Both engines get the note as Anki stores it (NFC text, canonical sorted tags).
        anki_note.fields = [saved_note.value(name) for name in saved_type.field_names]
        anki_note.tags = list(saved_note.tags)
        workload.anki.append((anki_note, generated_card_ords(saved_type, saved_note)))
    return workload


def run_ours(workload: Workload, limit: int | None = None) -> tuple[float, list[str]]:
    """Render every note with our engine; return the seconds taken and the outputs."""
    notes = workload.ours[:limit]
    outputs: list[str] = []
    gc.collect()
    start = time.perf_counter()
    for notetype, note in notes:
        for card in render_note(notetype, note):
            outputs.append(f"<style>{card.css}</style>{card.question}")
            outputs.append(f"<style>{card.css}</style>{card.answer}")
    return time.perf_counter() - start, outputs


def run_anki(workload: Workload, limit: int | None = None) -> tuple[float, list[str]]:
    """Render the same cards with the anki package; return the seconds taken and the outputs."""
    stored = workload.stored
    templates = stored["tmpls"]
    is_cloze = stored["type"] == 1
    notes = workload.anki[:limit]
    outputs: list[str] = []
    gc.collect()
    start = time.perf_counter()
    for note, ords in notes:
        for ordinal in ords:
            card = note.ephemeral_card(
                ordinal,
                custom_note_type=stored,
                custom_template=templates[0 if is_cloze else ordinal],
            )
            outputs.append(card.question())
            outputs.append(card.answer())
    return time.perf_counter() - start, outputs


def _rate(cards: int, seconds: float) -> str:
    return f"{cards / seconds:>12,.0f}" if seconds > 0 else f"{'-':>12}"


def main(argv: list[str] | None = None) -> None:
    """Parse options, build the workloads, time both engines and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, default=1000, help="notes per note type")
    parser.add_argument("--types", default="", help="comma-separated corpus type names")
    args = parser.parse_args(argv)
    try:
        corpus = by_name([n.strip() for n in args.types.split(",") if n.strip()])
    except KeyError as error:
        parser.error(str(error.args[0]))

    # anki.collection must be imported first: pylib has a circular import otherwise.
    from anki.collection import Collection

    # isort: split
    import anki.latex
    from anki import hooks

    # Our engine leaves [latex]/[$] as text (LaTeX images are the desktop's job); stop pylib's
    # hook from compiling them so that both engines do the same work.
    if anki.latex.on_card_did_render in hooks.card_did_render._hooks:
        hooks.card_did_render.remove(anki.latex.on_card_did_render)

    with tempfile.TemporaryDirectory(prefix="atd-render-bench-") as tmp:
        col = Collection(str(Path(tmp) / "collection.anki2"))
        try:
            workloads = [prepare(col, t, args.notes) for t in corpus]
            for workload in workloads:
                run_ours(workload, WARM_UP_NOTES)
                run_anki(workload, WARM_UP_NOTES)
            report(workloads, args.notes)
        finally:
            col.close(downgrade=False)


def report(workloads: list[Workload], notes: int) -> None:
    """Time both engines on every workload and print per-type and total figures."""
    total_cards = sum(w.cards for w in workloads)
    print(f"corpus: {len(workloads)} note types x {notes} notes = {total_cards:,} cards")
    print(f"python {sys.version.split()[0]}; ours = render_note, anki = ephemeral_card")
    print(f"{'note type':<34}{'cards':>8}{'ours c/s':>12}{'anki c/s':>12}{'ours/anki':>11}")
    ours_total = anki_total = 0.0
    same = compared = 0
    first_difference = ""
    for workload in workloads:
        ours_seconds, ours_out = run_ours(workload)
        anki_seconds, anki_out = run_anki(workload)
        ours_total += ours_seconds
        anki_total += anki_seconds
        cards = workload.cards
        ratio = anki_seconds / ours_seconds if ours_seconds else float("inf")
        print(
            f"{workload.name:<34}{cards:>8}{_rate(cards, ours_seconds)}"
            f"{_rate(cards, anki_seconds)}{ratio:>11.2f}"
        )
        for index, (ours_text, anki_text) in enumerate(zip(ours_out, anki_out, strict=False)):
            compared += 1
            if ours_text == anki_text:
                same += 1
            elif not first_difference:
                side = "answer" if index % 2 else "question"
                first_difference = f"{workload.name}, output {index // 2}, {side}"
        if len(ours_out) != len(anki_out):
            first_difference = first_difference or f"{workload.name}: card counts differ"
    print(
        f"{'total':<34}{total_cards:>8}{_rate(total_cards, ours_total)}"
        f"{_rate(total_cards, anki_total)}{anki_total / ours_total:>11.2f}"
    )
    print(
        f"ours {ours_total:.2f} s, anki {anki_total:.2f} s; ratio ours/anki (cards/s) "
        f"{anki_total / ours_total:.2f} (target >= 1.00)"
    )
    print(
        f"identical question+answer html: {same:,} of {compared:,} sides"
        + (f" (first difference: {first_difference})" if first_difference else "")
    )


if __name__ == "__main__":
    main()
