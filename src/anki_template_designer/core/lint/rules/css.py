"""Stylesheet rules: night mode, colour contrast on every platform, CSS that is slow on phones."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ...platforms import Platform
from ..cascade import CardStyle, Element, matches, parse_colour
from ..context import LintContext
from ..css import Declaration, StyleRule
from ..diagnostics import Diagnostic, Fix, Part, Severity, TextEdit
from ..registry import ANKI_MANUAL, Rule

STYLING_DOCS = f"{ANKI_MANUAL}/templates/styling.html"
_NIGHT_MARKERS = ("nightmode", "night_mode", "night-mode", "prefers-color-scheme")
_COLOUR_PROPERTIES = ("color", "background-color", "background")
_WCAG_AA = 4.5
_PLATFORM_NAMES = {
    Platform.DESKTOP_WINDOWS: "Anki on Windows",
    Platform.DESKTOP_MAC: "Anki on macOS",
    Platform.DESKTOP_LINUX: "Anki on Linux",
    Platform.ANKIDROID: "AnkiDroid",
    Platform.ANKIMOBILE_IPHONE: "AnkiMobile on iPhone",
    Platform.ANKIMOBILE_IPAD: "AnkiMobile on iPad",
}


def _mentions_night(text: str) -> bool:
    folded = text.casefold()
    return any(marker in folded for marker in _NIGHT_MARKERS)


def _sets_fixed_colour(declaration: Declaration) -> bool:
    """A literal colour (a ``var()`` may follow the theme, so it is not counted)."""
    return (
        declaration.name in _COLOUR_PROPERTIES
        and "var(" not in declaration.value
        and parse_colour(declaration.value) is not None
    )


def _is_card_selector(selector: str) -> bool:
    """Whether the selector styles the card element itself (the clients' night rules win there)."""
    html = Element("html", frozenset({"night-mode"}))
    body = Element("body", frozenset({"card", "card1", "nightMode", "night_mode"}))
    return matches(selector, body, (html,))


class NoNightMode(Rule):
    """Colours are set for elements inside the card, and nothing adapts them to night mode."""

    id = "no-night-mode"
    severity = Severity.WARNING
    title = "No night-mode styling"
    explanation = (
        "In night mode every Anki client darkens the card itself, but colours the styling "
        "sets on elements inside it stay as they are: dark text on a dark background. Add "
        "rules under .nightMode (on the card in night mode in Anki desktop, AnkiDroid and "
        "AnkiMobile) for each coloured element."
    )
    docs_url = f"{STYLING_DOCS}#night-mode"

    def check(self, context: LintContext) -> Iterator[Diagnostic]:
        sheet = context.stylesheet
        if _mentions_night(sheet.source):
            return
        coloured: list[tuple[StyleRule, Declaration]] = []
        for rule in sheet.rules:
            inner = [s for s in rule.selectors if not _is_card_selector(s)]
            for declaration in rule.declarations:
                if inner and _sets_fixed_colour(declaration):
                    coloured.append((rule, declaration))
        if not coloured:
            return
        rule, first = coloured[0]
        yield self.diagnostic(
            context.css_location(first.start, first.end),
            f"'{', '.join(rule.selectors)}' sets {first.name}: {first.value}, and nothing "
            "changes it in night mode.",
            self._fix(context.notetype.css, coloured),
        )

    @staticmethod
    def _fix(css: str, coloured: list[tuple[StyleRule, Declaration]]) -> Fix:
        blocks: dict[tuple[str, ...], list[str]] = {}
        for rule, declaration in coloured:
            inner = tuple(s for s in rule.selectors if not _is_card_selector(s))
            reset = "inherit" if declaration.name == "color" else "transparent"
            name = "background-color" if declaration.name == "background" else declaration.name
            # An !important day colour beats any night rule that is not !important itself.
            important = " !important" if declaration.important else ""
            line = f"  {name}: {reset}{important};"
            if line not in blocks.setdefault(inner, []):
                blocks[inner].append(line)
        text = "\n/* Night mode: Anki puts .nightMode on the card in every client. */\n"
        for selectors, lines in blocks.items():
            text += f".nightMode :is({', '.join(selectors)}) {{\n" + "\n".join(lines) + "\n}\n"
        prefix = "" if not css or css.endswith("\n") else "\n"
        edit = TextEdit(Part.CSS, None, len(css), len(css), prefix + text)
        return Fix("Add night-mode rules that let these elements follow the theme", (edit,))


def _blend(
    top: tuple[float, float, float, float], under: tuple[float, float, float]
) -> tuple[float, float, float]:
    alpha = top[3]
    return (
        top[0] * alpha + under[0] * (1 - alpha),
        top[1] * alpha + under[1] * (1 - alpha),
        top[2] * alpha + under[2] * (1 - alpha),
    )


def _luminance(rgb: tuple[float, float, float]) -> float:
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: tuple[float, float, float], second: tuple[float, float, float]) -> float:
    """The WCAG 2 contrast ratio of two sRGB colours (1 to 21)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(c * 255):02x}" for c in rgb)


@dataclass(frozen=True, slots=True)
class _Finding:
    declaration: Declaration
    night: bool
    ratio: float
    text: str
    background: str


class Contrast(Rule):
    """The card's text colour against its background, computed per platform and mode."""

    id = "contrast"
    severity = Severity.WARNING
    title = "Low text contrast"
    explanation = (
        "Text needs a contrast ratio of at least 4.5:1 against its background to be "
        "readable (WCAG 2 level AA), in light and in night mode. The colours are computed "
        "the way each client's reviewer page applies its own styles and the note type's."
    )
    docs_url = "https://www.w3.org/WAI/WCAG21/Understanding/contrast-minimum.html"

    def check(self, context: LintContext) -> Iterator[Diagnostic]:
        if not context.notetype.css.strip():
            return
        grouped: dict[tuple[int, bool], tuple[_Finding, list[Platform]]] = {}
        for night in (False, True):
            for platform in Platform:
                finding = self._card(context.notetype.css, platform, night)
                if finding is not None:
                    key = (finding.declaration.start, night)
                    grouped.setdefault(key, (finding, []))[1].append(platform)
        for finding, platforms in grouped.values():
            mode = "night" if finding.night else "light"
            where = ", ".join(_PLATFORM_NAMES[p] for p in platforms)
            yield self.diagnostic(
                context.css_location(finding.declaration.start, finding.declaration.end),
                f"Text contrast {finding.ratio:.1f}:1 ({finding.text} on {finding.background}) "
                f"in {mode} mode on {where}; readable text needs {_WCAG_AA}:1.",
            )
        yield from self._pairs(context)

    @staticmethod
    def _card(css: str, platform: Platform, night: bool) -> _Finding | None:
        style = CardStyle(platform, night, css)
        text = style.winner("body", ("color",)) or style.winner("html", ("color",))
        back = style.winner("body", ("background-color", "background"))
        back_colour = parse_colour(style.resolve(back.value)) if back else None
        if back_colour is None or back_colour[3] == 0:
            back = style.winner("html", ("background-color", "background"))
            back_colour = parse_colour(style.resolve(back.value)) if back else None
        canvas = (
            (0.0, 0.0, 0.0) if night and platform is not Platform.DESKTOP_LINUX else (1.0, 1.0, 1.0)
        )
        base = _blend(back_colour, canvas) if back_colour else canvas
        text_colour = parse_colour(style.resolve(text.value)) if text else (0.0, 0.0, 0.0, 1.0)
        if text_colour is None:
            return None
        ours = [w for w in (text, back) if w is not None and w.from_notetype and w.declaration]
        if not ours:
            return None
        foreground = _blend(text_colour, base)
        ratio = contrast_ratio(foreground, base)
        if ratio >= _WCAG_AA:
            return None
        declaration = ours[0].declaration
        assert declaration is not None
        return _Finding(declaration, night, ratio, _hex(foreground), _hex(base))

    def _pairs(self, context: LintContext) -> Iterator[Diagnostic]:
        """Rules that set both a text and a background colour on an inner element."""
        style = CardStyle(Platform.DESKTOP_LINUX, False, context.notetype.css)
        for rule in context.stylesheet.rules:
            if rule.conditions or all(_is_card_selector(s) for s in rule.selectors):
                continue
            colours = {d.name: d for d in rule.declarations if d.name in _COLOUR_PROPERTIES}
            text = colours.get("color")
            back = colours.get("background-color") or colours.get("background")
            if text is None or back is None:
                continue
            text_colour = parse_colour(style.resolve(text.value))
            back_colour = parse_colour(style.resolve(back.value))
            if text_colour is None or back_colour is None or back_colour[3] < 1:
                continue
            base = back_colour[:3]
            foreground = _blend(text_colour, base)
            ratio = contrast_ratio(foreground, base)
            if ratio < _WCAG_AA:
                yield self.diagnostic(
                    context.css_location(text.start, text.end),
                    f"Text contrast {ratio:.1f}:1 ({_hex(foreground)} on {_hex(base)}) in "
                    f"'{', '.join(rule.selectors)}'; readable text needs {_WCAG_AA}:1.",
                )


_IMPORTANT_BUDGET = 10
_ARGUMENTS = re.compile(r"\((?:[^()]|\([^()]*\))*\)")
_DEEP_CHAIN = 4


class ExpensiveCss(Rule):
    """Selectors and declarations that cost time in phones' web views."""

    id = "expensive-css"
    severity = Severity.INFO
    title = "CSS that is slow on phones"
    explanation = (
        "Phones restyle the card for every review. Universal selectors (*) match every "
        "element, long descendant chains are checked against every ancestor, and many "
        "!important declarations usually mean rules fighting each other. Prefer a class "
        "on the element you style."
    )
    docs_url = f"{STYLING_DOCS}"

    def check(self, context: LintContext) -> Iterator[Diagnostic]:
        sheet = context.stylesheet
        important = [d for rule in sheet.rules for d in rule.declarations if d.important]
        for rule in sheet.rules:
            for selector in rule.selectors:
                bare = selector.replace("*=", "").replace("*|", "")
                # Arguments of :is()/:not()/:where() are matched per element, not as a chain.
                outer = _ARGUMENTS.sub("()", selector)
                compounds = [p for p in outer.replace(">", " ").split() if p not in "+~"]
                if "*" in bare and ":root" not in selector:
                    yield self.diagnostic(
                        context.css_location(rule.selector_start, rule.selector_end),
                        f"'{selector}' uses the universal selector *, which matches every element.",
                    )
                elif len(compounds) >= _DEEP_CHAIN:
                    yield self.diagnostic(
                        context.css_location(rule.selector_start, rule.selector_end),
                        f"'{selector}' is a chain of {len(compounds)} selectors; a class on the "
                        "element is cheaper.",
                    )
        if len(important) > _IMPORTANT_BUDGET:
            first = important[0]
            yield self.diagnostic(
                context.css_location(first.start, first.end),
                f"The styling uses !important {len(important)} times.",
            )


RULES: tuple[type[Rule], ...] = (NoNightMode, Contrast, ExpensiveCss)
