"""Hypothesis strategies for bundles: any note type the folder format must keep intact."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from hypothesis import strategies as st

from anki_template_designer.core.model import (
    CardTemplate,
    DeckId,
    Field,
    Note,
    NoteType,
    NotetypeId,
    NoteTypeKind,
)
from anki_template_designer.formats.bundle import NoteTypeBundle

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
names = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=15)
json_values: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False)
    | text,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(text, children, max_size=3),
    max_leaves=6,
)


def extras(reserved: frozenset[str]) -> st.SearchStrategy[MappingProxyType[str, Any]]:
    """Unknown schema-11 options, minus the keys the folder format reserves."""
    keys = text.filter(lambda k: k not in reserved)
    return st.dictionaries(keys, json_values, max_size=4).map(MappingProxyType)


fields = st.builds(Field, name=names, extra=extras(frozenset({"name", "json"})))
templates = st.builds(
    CardTemplate,
    name=names,
    front=text,
    back=text,
    browser_front=text,
    browser_back=text,
    deck_override=st.none() | st.integers(1, 2**40).map(DeckId),
    extra=extras(frozenset({"name", "deck_override", "json"})),
)


@st.composite
def bundles(draw: st.DrawFn) -> NoteTypeBundle:
    """A bundle with arbitrary names, texts, options, samples and media."""
    field_list = draw(st.lists(fields, min_size=1, max_size=4))
    notetype = NoteType(
        name=draw(names),
        fields=tuple(field_list),
        templates=tuple(draw(st.lists(templates, min_size=1, max_size=3))),
        css=draw(text),
        kind=draw(st.sampled_from(NoteTypeKind)),
        id=draw(st.none() | st.integers(1, 2**53).map(NotetypeId)),
        sort_field=draw(st.integers(0, 5)),
        latex_pre=draw(text),
        latex_post=draw(text),
        extra=draw(extras(frozenset({"json", "mod", "usn"}))),
    )
    field_names = [f.name for f in field_list]
    notes = draw(
        st.lists(
            st.builds(
                Note,
                fields=st.dictionaries(st.sampled_from(field_names) | names, text, max_size=4).map(
                    MappingProxyType
                ),
                tags=st.lists(names, max_size=3).map(tuple),
                deck=names,
                flag=st.integers(0, 7),
            ),
            max_size=3,
        )
    )
    media_names = st.from_regex(r"[a-z0-9_]{1,8}\.(png|mp3|woff)", fullmatch=True)
    media = draw(st.dictionaries(media_names, st.binary(max_size=20), max_size=3))
    return NoteTypeBundle(notetype, tuple(notes), MappingProxyType(media))
