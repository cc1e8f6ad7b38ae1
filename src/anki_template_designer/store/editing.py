"""Edits to a bundle that have rules of their own: renaming fields and card types."""

from __future__ import annotations

import dataclasses

from ..formats.bundle import NoteTypeBundle
from . import renaming
from .errors import DuplicateName, NotFound
from .names import check_card_type_name, check_field_name


def rename_field(bundle: NoteTypeBundle, old: str, new: str) -> NoteTypeBundle:
    """``bundle`` with field ``old`` renamed everywhere; NotFound, DuplicateName, InvalidName."""
    notetype = bundle.notetype
    names = notetype.field_names
    if old not in names:
        raise NotFound(
            f"note type {notetype.name!r} has no field {old!r}; its fields are {', '.join(names)}"
        )
    if new == old:
        return bundle
    check_field_name(new)
    if new in names:
        raise DuplicateName(f"note type {notetype.name!r} already has a field {new!r}")
    renamed, samples = renaming.rename_field(notetype, bundle.samples, old, new)
    return dataclasses.replace(bundle, notetype=renamed, samples=samples)


def rename_card_type(bundle: NoteTypeBundle, old: str, new: str) -> NoteTypeBundle:
    """``bundle`` with card type ``old`` called ``new``; NotFound, DuplicateName, InvalidName."""
    notetype = bundle.notetype
    names = [t.name for t in notetype.templates]
    if old not in names:
        raise NotFound(
            f"note type {notetype.name!r} has no card type {old!r}; "
            f"its card types are {', '.join(names)}"
        )
    if new == old:
        return bundle
    check_card_type_name(new)
    if new in names:
        raise DuplicateName(f"note type {notetype.name!r} already has a card type {new!r}")
    templates = tuple(
        dataclasses.replace(t, name=new) if t.name == old else t for t in notetype.templates
    )
    return dataclasses.replace(bundle, notetype=dataclasses.replace(notetype, templates=templates))
