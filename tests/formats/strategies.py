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


# Note types Anki itself accepts and stores: the start of apkg -> folder -> apkg -> folder.
_plain = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters='{}:"#/^[]\x1f')
_anki_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="{}\x00\x1f"), max_size=30
)
_anki_name = st.text(_plain, min_size=1, max_size=12).map(str.strip).filter(bool)
_json_option: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | _anki_text,
    lambda children: st.lists(children, max_size=2),
    max_leaves=4,
)


def _unique(names: list[str]) -> bool:
    return len({n.casefold() for n in names}) == len(names)


@st.composite
def anki_bundles(draw: st.DrawFn) -> NoteTypeBundle:
    """A note type with every option Anki keeps set arbitrarily, samples and template media."""
    cloze = draw(st.booleans())
    field_names = draw(st.lists(_anki_name, min_size=1, max_size=4).filter(_unique))
    fields = tuple(
        Field(
            name,
            MappingProxyType(
                {
                    "sticky": draw(st.booleans()),
                    "rtl": draw(st.booleans()),
                    "font": draw(st.sampled_from(["Arial", "Georgia", "Noto Sans JP"])),
                    "size": draw(st.integers(1, 200)),
                    "description": draw(_anki_text),
                    "plainText": draw(st.booleans()),
                    "collapsed": draw(st.booleans()),
                    "excludeFromSearch": draw(st.booleans()),
                    "preventDeletion": draw(st.booleans()),
                    "tag": draw(st.none() | st.integers(0, 2**31)),
                    "media": [],
                }
            ),
        )
        for name in field_names
    )
    first = field_names[0]
    media_names = draw(st.lists(st.sampled_from(["_a.png", "b.png", "_c.mp3"]), unique=True))
    tags = "".join(f'<img src="{name}">' for name in media_names)
    card_names = draw(st.lists(_anki_name, min_size=1, max_size=1 if cloze else 3).filter(_unique))
    templates = tuple(
        CardTemplate(
            name=name,
            front=("{{cloze:%s}}" if cloze else "{{%s}}") % first + draw(_anki_text) + tags,
            back="{{FrontSide}}<hr id=answer>" + draw(_anki_text),
            browser_front=draw(st.just("") | st.just("{{" + first + "}}")),
            browser_back=draw(st.just("") | _anki_text),
            deck_override=draw(st.none() | st.integers(2, 2**40).map(DeckId)),
            extra=MappingProxyType(
                {
                    "bfont": draw(st.sampled_from(["", "Courier"])),
                    "bsize": draw(st.integers(0, 255)),
                }
            ),
        )
        for name in card_names
    )
    css = draw(_anki_text) + (
        "\n@font-face { src: url('_f.woff'); }" if draw(st.booleans()) else ""
    )
    notetype = NoteType(
        name=draw(_anki_name),
        fields=fields,
        templates=templates,
        css=css,
        kind=NoteTypeKind.CLOZE if cloze else NoteTypeKind.STANDARD,
        sort_field=draw(st.integers(0, len(fields) - 1)),
        latex_pre=draw(_anki_text),
        latex_post=draw(_anki_text),
        extra=MappingProxyType(
            {
                "latexsvg": draw(st.booleans()),
                "originalStockKind": draw(st.integers(0, 5)),
                "atdOption": draw(_json_option),
            }
        ),
    )
    value = ("{{c1::%s}}" if cloze else "%s") % draw(_anki_text.filter(str.strip))
    notes = draw(
        st.lists(
            st.builds(
                Note,
                fields=st.just(
                    MappingProxyType({n: value if n == first else "" for n in field_names})
                ),
                tags=st.lists(
                    st.from_regex(r"[a-z0-9_]{1,8}", fullmatch=True), max_size=3, unique=True
                ).map(tuple),
                deck=st.sampled_from(["Default", "Lang", "Lang::Words"]),
                flag=st.integers(0, 7),
            ),
            min_size=1,  # without samples a package gets a placeholder note
            max_size=3,
        )
    )
    used = {*media_names} | ({"_f.woff"} if "_f.woff" in css else set())
    media = {name: name.encode() * 3 for name in sorted(used)}
    return NoteTypeBundle(notetype, tuple(notes), MappingProxyType(media))
