"""A small CSS cascade for the card element: enough to know its text and background colours.

Only what decides the colours of the card itself is modelled: rules whose selector ends on
the element carrying ``.card`` (``<body>`` in every client), with ``<html>`` as its only
ancestor; specificity, ``!important`` and source order; inheritance of ``color`` and custom
properties from ``<html>``; ``var()`` with fallbacks. Rules under ``@media`` and the like are
left out, as are selectors that depend on state (``:hover``) or siblings.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

import tinycss2
import tinycss2.color4

from ..platforms import Platform, body_classes, html_classes, platform_stylesheet
from .css import Declaration, StyleRule, parse_stylesheet

_TOKEN = re.compile(r"\*|\.[\w-]+|#[\w-]+|[a-zA-Z][\w-]*|::?[\w-]+(?:\([^)]*\))?|\[[^\]]*\]")
_COMBINATOR = re.compile(r"\s*>\s*|\s+")
_CLASS_ATTRIBUTE = re.compile(r"""\[\s*class\s*([*~^$|]?=)\s*["']?([^"'\]\s]*)["']?\s*\]""")
_VAR = re.compile(r"var\(\s*(--[\w-]+)\s*(?:,\s*([^()]*(?:\([^()]*\)[^()]*)*))?\)")


@dataclass(frozen=True, slots=True)
class Element:
    """An element as selectors see it: tag name and classes."""

    tag: str
    classes: frozenset[str]


def _attribute_matches(token: str, element: Element) -> bool:
    match = _CLASS_ATTRIBUTE.fullmatch(token)
    if match is None:
        return False
    operator, value = match.groups()
    joined = " ".join(sorted(element.classes))
    if operator == "~=":
        return value in element.classes
    if operator == "*=":
        return any(value in c for c in element.classes) or value in joined
    if operator == "^=":
        return any(c.startswith(value) for c in element.classes)
    if operator == "$=":
        return any(c.endswith(value) for c in element.classes)
    return operator == "=" and element.classes == {value}


def _token_matches(token: str, element: Element) -> bool:
    if token == "*":
        return True
    if token.startswith("."):
        return token[1:] in element.classes
    if token.startswith("["):
        return _attribute_matches(token, element)
    if token.startswith(":"):
        # :root is <html>; :is/:where/:not and state pseudo-classes are not modelled.
        return token == ":root" and element.tag == "html"
    if token.startswith("#"):
        return False
    return token.lower() == element.tag


def _compound(text: str) -> list[str] | None:
    tokens = _TOKEN.findall(text)
    return tokens if "".join(tokens) == text else None


def specificity(selector: str) -> tuple[int, int, int]:
    """(ids, classes/attributes/pseudo-classes, types) of a selector."""
    ids = classes = types = 0
    for token in _TOKEN.findall(selector):
        if token.startswith("#"):
            ids += 1
        elif token.startswith((".", "[")) or (token.startswith(":") and not token.startswith("::")):
            classes += 1
        elif token != "*" and not token.startswith("::"):
            types += 1
    return ids, classes, types


def matches(selector: str, target: Element, ancestors: tuple[Element, ...]) -> bool:
    """Whether ``selector`` selects ``target`` whose ancestors (outermost first) are given."""
    if any(c in selector for c in "+~,"):
        return False
    parts = [p for p in _COMBINATOR.split(selector.strip()) if p]
    compounds = [_compound(p) for p in parts]
    if not compounds or any(c is None for c in compounds):
        return False
    *outer, last = compounds
    assert last is not None
    if not all(_token_matches(t, target) for t in last):
        return False
    available = list(ancestors)
    for compound in reversed(outer):
        assert compound is not None
        while available and not all(_token_matches(t, available[-1]) for t in compound):
            available.pop()
        if not available:
            return False
        available.pop()
    return True


@dataclass(frozen=True, slots=True)
class Winner:
    """The declaration that sets a property, and whether it is the note type's own."""

    value: str
    declaration: Declaration | None
    from_notetype: bool


def _candidates(
    rules: Iterable[StyleRule], element: Element, ancestors: tuple[Element, ...]
) -> list[tuple[StyleRule, str]]:
    found = []
    for rule in rules:
        if rule.conditions:
            continue
        best = [s for s in rule.selectors if matches(s, element, ancestors)]
        if best:
            found.append((rule, max(best, key=specificity)))
    return found


def _elements(platform: Platform, night: bool, card_ord: int) -> tuple[Element, Element]:
    html = Element("html", frozenset(html_classes(platform, night).split()))
    body = Element("body", frozenset(body_classes(platform, card_ord, night).split()))
    return html, body


Candidates = tuple[tuple[StyleRule, str], ...]


@functools.lru_cache(maxsize=64)
def _platform_candidates(
    platform: Platform, night: bool, card_ord: int
) -> tuple[Candidates, Candidates]:
    """The client's own rules that reach ``<html>`` and the card (the same for every note type).

    Matching every selector of the client's stylesheet was nearly all of a lint's time
    (13 of 14 ms, done 13 times per note type), and lint runs on every pause in typing.
    """
    html, body = _elements(platform, night, card_ord)
    rules = parse_stylesheet(platform_stylesheet(platform)).rules
    return tuple(_candidates(rules, html, ())), tuple(_candidates(rules, body, (html,)))


class CardStyle:
    """The computed colours of the card element for one platform, light or night."""

    def __init__(self, platform: Platform, night: bool, notetype_css: str, card_ord: int = 0):
        html, body = _elements(platform, night, card_ord)
        platform_html, platform_body = _platform_candidates(platform, night, card_ord)
        own_rules = parse_stylesheet(notetype_css).rules
        self._custom: dict[str, str | None] = {}
        self._layers: dict[str, tuple[Candidates, Candidates]] = {
            "html": (platform_html, tuple(_candidates(own_rules, html, ()))),
            "body": (platform_body, tuple(_candidates(own_rules, body, (html,)))),
        }

    def winner(self, element: str, names: tuple[str, ...]) -> Winner | None:
        """The winning declaration among ``names`` (a longhand and its shorthand) on ``element``."""
        best: tuple[tuple[object, ...], Winner] | None = None
        for origin, layer in enumerate(self._layers[element]):
            for rule, selector in layer:
                for declaration in rule.declarations:
                    if declaration.name not in names:
                        continue
                    key = (
                        declaration.important,
                        specificity(selector),
                        origin,
                        rule.order,
                        declaration.start,
                    )
                    if best is None or key > best[0]:
                        best = (key, Winner(declaration.value, declaration, origin == 1))
        return best[1] if best else None

    def custom_property(self, name: str) -> str | None:
        """A custom property's value on the card (inherited from ``<html>``)."""
        if name not in self._custom:
            found = self.winner("body", (name,)) or self.winner("html", (name,))
            self._custom[name] = found.value if found else None
        return self._custom[name]

    def resolve(self, value: str, depth: int = 0) -> str:
        """``value`` with ``var()`` references replaced (fallbacks used; cycles cut off)."""
        if depth > 8 or "var(" not in value:
            return value

        def replace(match: re.Match[str]) -> str:
            found = self.custom_property(match.group(1))
            if found is None:
                return match.group(2) or ""
            return self.resolve(found, depth + 1)

        return self.resolve(_VAR.sub(replace, value), depth + 1)


def parse_colour(value: str) -> tuple[float, float, float, float] | None:
    """sRGB (0–1) and alpha of a colour value, or of the first colour in a shorthand."""
    tokens = tinycss2.parse_component_value_list(value)
    for token in tokens:
        if token.type == "whitespace":
            continue
        colour = tinycss2.color4.parse_color(token)
        if colour is None or colour == "currentcolor":
            continue
        red, green, blue = colour.to("srgb").coordinates
        return (
            min(max(red, 0.0), 1.0),
            min(max(green, 0.0), 1.0),
            min(max(blue, 0.0), 1.0),
            colour.alpha,
        )
    return None
