"""Page shells that wrap a rendered card the way each platform's reviewer does.

A template's CSS and JavaScript see the document the reviewer builds around the card: its
``<html>`` and ``<body>`` classes, the container element, Anki's CSS variables and the
platform's default styles. The shells here reproduce that document in its state after the
reviewer's own scripts have run (classes they add on load are written in statically), so a
preview needs none of the platforms' scripts. Where a platform is closed source (AnkiMobile)
the comments say what is documented and what is inferred.
"""

from __future__ import annotations

import enum
from typing import Literal

from . import platform_css as css

Side = Literal["question", "answer"]


class Platform(enum.Enum):
    """A reviewer whose page a preview reproduces."""

    DESKTOP_WINDOWS = "desktop-windows"
    DESKTOP_MAC = "desktop-mac"
    DESKTOP_LINUX = "desktop-linux"
    ANKIDROID = "ankidroid"
    ANKIMOBILE_IPHONE = "ankimobile-iphone"
    ANKIMOBILE_IPAD = "ankimobile-ipad"

    @property
    def is_desktop(self) -> bool:
        """True for the three Anki desktop platforms."""
        return self in _DESKTOP_OS

    @property
    def is_mobile(self) -> bool:
        """True for AnkiDroid and AnkiMobile."""
        return not self.is_desktop


# (class browser_selector.ts puts on <html>, class theme.py puts on <body>) per desktop OS.
_DESKTOP_OS: dict[Platform, tuple[str, str]] = {
    Platform.DESKTOP_WINDOWS: ("win", "isWin"),
    Platform.DESKTOP_MAC: ("mac", "isMac"),
    Platform.DESKTOP_LINUX: ("linux", "isLin"),
}

_DESKTOP_STANDARD_CSS: dict[Platform, str] = {
    Platform.DESKTOP_WINDOWS: css.DESKTOP_STANDARD_CSS_WINDOWS,
    Platform.DESKTOP_MAC: css.DESKTOP_STANDARD_CSS_MAC,
    Platform.DESKTOP_LINUX: css.DESKTOP_STANDARD_CSS_LINUX,
}

# The iOS viewport AnkiMobile's card page declares (as observed in AnkiMobile 2.0.88's page).
_IOS_VIEWPORT = "width=device-width, initial-scale=1.0, maximum-scale=10, user-scalable=1"
# AnkiDroid's card_template.html has no viewport meta, but its WebView leaves useWideViewPort
# off, which lays the page out at the device width: the same as this meta in a browser.
_ANDROID_VIEWPORT = "width=device-width, initial-scale=1"

# Both reviewers scroll the answer side to the element with id "answer" once it is shown:
# desktop's scrollToAnswer (ts/reviewer/index.ts), AnkiDroid's onload (assets/scripts/card.js).
_SCROLL_TO_ANSWER = (
    "<script>addEventListener('load', function () {"
    " var a = document.getElementById('answer'); if (a) { a.scrollIntoView(); } });</script>"
)


def html_classes(platform: Platform, night: bool) -> str:
    """The ``class`` attribute of ``<html>`` while the platform shows a card."""
    if platform.is_desktop:
        # webview.py stdHtml writes "night-mode" (or nothing); reviewer.js then runs
        # addBrowserClasses (ts/reviewer/browser_selector.ts), which appends the OS class
        # from Qt WebEngine's user agent and "chrome" (the UA has "Chrome/").
        os_class = _DESKTOP_OS[platform][0]
        return " ".join([*(["night-mode"] if night else []), os_class, "chrome"])
    if platform is Platform.ANKIDROID:
        # Fixed in assets/card_template.html; AnkiDroid's reviewer never marks <html> for
        # night mode (only <body>, see body_classes).
        return "mobile android linux js"
    # AnkiMobile (inference): the manual documents .mobile, .iphone and .ipad. The exact set
    # and order here are what Anki's shared browser_selector.ts gives for an iOS WKWebView
    # user agent (device, "ios", "mobile"; no "Safari/" in that UA, so no browser class),
    # and "night-mode" mirrors the desktop document, assuming AnkiMobile reuses that code.
    device = "iphone" if platform is Platform.ANKIMOBILE_IPHONE else "ipad"
    return " ".join([*(["night-mode"] if night else []), device, "ios", "mobile"])


def body_classes(platform: Platform, card_ord: int, night: bool) -> str:
    """The ``class`` attribute of ``<body>`` while the platform shows card ``card_ord``."""
    if card_ord < 0:
        raise ValueError(f"card ordinal must be 0 or more, got {card_ord}")
    card = f"card card{card_ord + 1}"
    if platform.is_desktop:
        # theme.py body_classes_for_card_ord(ord) = "card cardN " + body_class(reviewer=True):
        # OS class, "nightMode night_mode" in night mode (plus "macos-dark-mode" on a Mac,
        # where Anki turns the native dark appearance on), then "fancy" unless the
        # minimalist-mode preference is on (off by default). "reduce-motion" is never added
        # for the reviewer, and "no-blur" only under Qt < 5.15.
        night_classes = ["nightMode", "night_mode"] if night else []
        if night and platform is Platform.DESKTOP_MAC:
            night_classes.append("macos-dark-mode")
        return " ".join([card, _DESKTOP_OS[platform][1], *night_classes, "fancy"])
    if platform is Platform.ANKIDROID:
        # cardviewer/CardAppearance.kt getCardClass: "card cardN" + " night_mode nightMode"
        # under a night theme ("ankidroid_dark_mode" only for the Dark theme; the default
        # night theme is Black). On load assets/scripts/card.js appends "chrome" (the
        # WebView's UA has "Chrome") and then "mathjax-rendered".
        night_classes = ["night_mode", "nightMode"] if night else []
        return " ".join([card, *night_classes, "chrome", "mathjax-rendered"])
    # AnkiMobile: "card cardN" and "nightMode" on the same element are documented (the
    # manual's `.card.nightMode` example); "night_mode" is inferred from the other clients.
    return " ".join([card, *(["nightMode", "night_mode"] if night else [])])


def anki_variables_css() -> str:
    """Anki's CSS variables: light values on ``:root``, dark ones on ``:root.night-mode``."""
    light = "".join(f"  {name}: {value};\n" for name, value, _ in css.COLOR_VARIABLES)
    dark = "".join(f"  {name}: {value};\n" for name, _, value in css.COLOR_VARIABLES)
    props = "".join(f"  {name}: {value};\n" for name, value in css.PROP_VARIABLES)
    return (
        f":root {{\n{light}  color-scheme: light;\n}}\n"
        f":root.night-mode {{\n{dark}  color-scheme: dark;\n}}\n"
        f":root {{\n{props}}}\n"
    )


def platform_stylesheet(platform: Platform) -> str:
    """The CSS the platform's reviewer page applies before the card's own, in page order."""
    if platform.is_desktop:
        return (
            anki_variables_css()
            + css.DESKTOP_WEBVIEW_CSS
            + _DESKTOP_STANDARD_CSS[platform]
            + css.IMAGE_OCCLUSION_CSS
            + css.DESKTOP_REVIEWER_CSS
        )
    if platform is Platform.ANKIDROID:
        return css.ANKIDROID_FLASHCARD_CSS + css.IMAGE_OCCLUSION_CSS
    return anki_variables_css() + css.ANKIMOBILE_CSS + css.IMAGE_OCCLUSION_CSS


def page_shell(
    platform: Platform,
    night: bool,
    card_html: str,
    card_css: str,
    card_ord: int,
    *,
    side: Side,
) -> str:
    """A complete HTML document showing one side of a card as ``platform`` would."""
    if side not in ("question", "answer"):
        raise ValueError(f"side must be 'question' or 'answer', got {side!r}")
    # Every client puts the card's CSS in a <style> element just before the card's HTML,
    # inside the container (libanki's question()/answer() text, AnkiDroid's
    # questionAndStyle()), not in <head>: kept so that DOM-walking template scripts and
    # selectors like `#qa > :first-child` behave as on the device.
    card = f"<style>{card_css}</style>{card_html}"
    html_class = html_classes(platform, night)
    body_class = body_classes(platform, card_ord, night)
    scroll = _SCROLL_TO_ANSWER if side == "answer" else ""
    if platform.is_desktop:
        return _desktop(platform, night, html_class, body_class, card, scroll)
    if platform is Platform.ANKIDROID:
        return _ankidroid(html_class, body_class, card, scroll)
    return _ankimobile(html_class, body_class, card, scroll)


def _desktop(
    platform: Platform, night: bool, html_class: str, body_class: str, card: str, scroll: str
) -> str:
    # qt/aqt/webview.py stdHtml (webview.css, then standard_css, then the page's css) with
    # the reviewer's body from qt/aqt/reviewer.py revHtml; the card goes into #qa.
    theme = "dark" if night else "light"
    return (
        "<!doctype html>\n"
        f'<html class="{html_class}" dir="ltr" data-bs-theme="{theme}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        "<title>main webview</title>\n"
        f"<style>{anki_variables_css()}{css.DESKTOP_WEBVIEW_CSS}</style>\n"
        f"<style>{_DESKTOP_STANDARD_CSS[platform]}</style>\n"
        f"<style>{css.IMAGE_OCCLUSION_CSS}{css.DESKTOP_REVIEWER_CSS}</style>\n"
        f"{scroll}"
        "</head>\n"
        f'<body class="{body_class}">\n'
        '<div id="_mark" hidden>&#x2605;</div>\n'
        '<div id="_flag" hidden>&#x2691;</div>\n'
        f'<div id="qa" dir="auto">{card}</div>\n'
        "</body>\n"
        "</html>\n"
    )


def _ankidroid(html_class: str, body_class: str, card: str, scroll: str) -> str:
    # assets/card_template.html filled as cardviewer/CardTemplate.kt does: ::style:: holds
    # the reviewer's zoom and custom-font rules, empty with default settings; the card,
    # wrapped in <div id="qa"> by AndroidCardRenderContext.enrichWithQADiv, goes into
    # #content. No Anki CSS variables: this page does not load Anki's root-vars.css.
    return (
        "<!doctype html>\n"
        f'<html class="{html_class}">\n'
        "<head>\n"
        "<title>AnkiDroid Flashcard</title>\n"
        '<meta charset="utf-8">\n'
        f'<meta name="viewport" content="{_ANDROID_VIEWPORT}">\n'
        f"<style>{css.ANKIDROID_FLASHCARD_CSS}</style>\n"
        "<style></style>\n"
        f"<style>{css.IMAGE_OCCLUSION_CSS}</style>\n"
        f"{scroll}"
        "</head>\n"
        f'<body class="{body_class}">\n'
        '<div id="content" dir="auto">\n'
        f'<div id="qa">{card}</div>\n'
        "</div>\n"
        "</body>\n"
        "</html>\n"
    )


def _ankimobile(html_class: str, body_class: str, card: str, scroll: str) -> str:
    # Inference: AnkiMobile's card page is not published. The #qa container is seen in the
    # AnkiMobile 2.0.88 page; Anki's variables are included assuming its shared web code.
    return (
        "<!doctype html>\n"
        f'<html class="{html_class}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        f'<meta name="viewport" content="{_IOS_VIEWPORT}">\n'
        f"<style>{anki_variables_css()}{css.ANKIMOBILE_CSS}{css.IMAGE_OCCLUSION_CSS}</style>\n"
        f"{scroll}"
        "</head>\n"
        f'<body class="{body_class}">\n'
        f'<div id="qa">{card}</div>\n'
        "</body>\n"
        "</html>\n"
    )
