"""A workspace of many varied note types for load benchmarks, written through the store.

Each note type is a copy of one of ``corpus.py``'s realistic types with its own name, a
colour theme in its stylesheet, a wrapper around its templates, sometimes an extra
``Notes`` field shown behind a conditional, and three sample notes from the type's own
generator. Written in one transaction (seconds for 500), before any server is started.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from anki_template_designer.core.model import Note
from anki_template_designer.core.schema11 import from_schema11
from anki_template_designer.formats.bundle import NoteTypeBundle
from anki_template_designer.store.workspace import Workspace
from corpus import TYPES, CorpusType

SAMPLES_PER_TYPE = 3
_TOPICS = (
    "Vocabulary",
    "Verbs",
    "Anatomy",
    "Pharmacology",
    "Capitals",
    "Kanji",
    "Grammar",
    "Dates",
    "Formulas",
    "Idioms",
    "Algorithms",
    "Chords",
)
_LEVELS = ("Beginner", "Intermediate", "Advanced", "Exam", "Review", "Daily")


def _variant(corpus_type: CorpusType, index: int, rng: random.Random) -> dict[str, Any]:
    """The corpus type as schema-11, made this copy's own (name, theme, wrapper, fields)."""
    data = corpus_type.schema11()
    topic, level = rng.choice(_TOPICS), rng.choice(_LEVELS)
    data["name"] = f"{corpus_type.name} · {topic} ({level}) #{index + 1}"
    theme = f"theme-{index}"
    colour = f"#{rng.randrange(0x1000000):06x}"
    data["css"] += (
        f"\n.{theme} {{ border-left: 4px solid {colour}; padding: {rng.randint(4, 24)}px; }}\n"
        f".nightMode .{theme} {{ border-color: {colour}80; }}\n"
    )
    with_notes = rng.random() < 0.35 and all(f["name"] != "Notes" for f in data["flds"])
    if with_notes:
        data["flds"].append({"name": "Notes"})
    for template in data["tmpls"]:
        template["qfmt"] = f'<div class="{theme}">\n{template["qfmt"]}\n</div>'
        back = template["afmt"]
        if with_notes:
            back += "\n{{#Notes}}<div class=notes>{{Notes}}</div>{{/Notes}}"
        template["afmt"] = f'<div class="{theme}">\n{back}\n</div>'
    return data


def bundles(count: int, seed: int) -> list[NoteTypeBundle]:
    """``count`` note types cycling through the corpus, each varied, with sample notes."""
    rng = random.Random(seed)
    made = []
    for index in range(count):
        corpus_type = TYPES[index % len(TYPES)]
        notetype = from_schema11(_variant(corpus_type, index, rng))
        samples = []
        for fields, tags in corpus_type.notes(SAMPLES_PER_TYPE, seed=seed + index):
            values = dict(fields)
            if "Notes" in notetype.field_names:
                values["Notes"] = rng.choice(("", "See chapter 3.", "<b>Often confused.</b>"))
            samples.append(Note(fields=values, tags=tuple(tags)))
        made.append(NoteTypeBundle(notetype=notetype, samples=tuple(samples)))
    return made


def build_workspace(folder: Path, count: int, seed: int) -> None:
    """Create a workspace at ``folder`` holding ``count`` varied note types."""
    workspace = Workspace.open(folder)
    try:
        workspace.import_bundles(bundles(count, seed), "load-bench", summary="create")
    finally:
        workspace.close()
