"""Best practices for the template HTML: what works in Anki but goes wrong for learners."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...template.nodes import Replacement, iter_nodes
from ..context import LintContext
from ..diagnostics import Diagnostic, Fix, Part, Severity, TextEdit
from ..registry import ANKI_MANUAL, Rule

STYLING_DOCS = f"{ANKI_MANUAL}/templates/styling.html"
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_HR_ANSWER = re.compile(r"<hr\b[^>]*\bid\s*=\s*[\"']?answer\b", re.I)
_IMG = re.compile(r"<img\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.I)
_ALT = re.compile(r"\salt\s*=", re.I)
# Elements that load what their src/href names (an <a href> only links, it loads nothing).
_LOADING_ATTRIBUTE = re.compile(
    r"<(?P<tag>img|script|link|audio|video|source|iframe|embed|track|input)\b"
    r"(?:[^>\"']|\"[^\"]*\"|'[^']*')*?\s(?:src|href|poster)\s*=\s*"
    r"(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+))",
    re.I,
)
_CSS_URL = re.compile(
    r"url\(\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^)\s]*))\s*\)", re.I
)
_SOUND = re.compile(r"\[sound:(?P<name>[^\]]+)\]")
_SCRIPT = re.compile(r"<script\b[^>]*>(?P<body>.*?)(?:</script\s*>|\Z)", re.I | re.S)
_EXTERNAL = re.compile(r"^(?:https?:)?//", re.I)
_NOT_A_FILE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|#|/|\{\{)", re.I)
_HUGE_DATA_URI = 32 * 1024


def masked(text: str) -> str:
    """``text`` with HTML comments blanked out (same length, so offsets stay valid)."""
    return _COMMENT.sub(lambda m: " " * len(m.group()), text)


def resource_urls(text: str) -> Iterator[tuple[str, int, int]]:
    """(url, start, end) for what the HTML loads: src/href of loading elements, CSS url()."""
    plain = masked(text)
    for match in _LOADING_ATTRIBUTE.finditer(plain):
        group = next(g for g in ("dq", "sq", "bare") if match.group(g) is not None)
        yield match.group(group), match.start(group), match.end(group)
    for match in _CSS_URL.finditer(plain):
        group = next(g for g in ("dq", "sq", "bare") if match.group(g) is not None)
        yield match.group(group), match.start(group), match.end(group)


class FrontSideOnFront(Rule):
    """``{{FrontSide}}`` on a front template renders nothing."""

    id = "frontside-on-front"
    severity = Severity.WARNING
    title = "{{FrontSide}} on the front"
    explanation = (
        "{{FrontSide}} shows the rendered front on the back of the card; on the front "
        "itself it is always empty. Remove it from the front."
    )
    docs_url = f"{ANKI_MANUAL}/templates/fields.html#special-fields"

    def check(self, context: LintContext) -> Iterator[Diagnostic]:
        for side in context.sides:
            if side.part is not Part.FRONT or side.parsed is None:
                continue
            for node in iter_nodes(side.parsed.nodes):
                if isinstance(node, Replacement) and node.key == "FrontSide":
                    s = node.span
                    yield self.diagnostic(
                        side.location(s.start, s.end),
                        "{{FrontSide}} is always empty on the front of a card.",
                        Fix(
                            "Remove {{FrontSide}}",
                            (TextEdit(side.part, side.template, s.start, s.end, ""),),
                        ),
                    )


class BackWithoutFrontSide(Rule):
    """A back with neither ``{{FrontSide}}`` nor ``<hr id=answer>``."""

    id = "back-without-frontside"
    severity = Severity.INFO
    title = "Back without {{FrontSide}} or <hr id=answer>"
    explanation = (
        "Most backs repeat the question with {{FrontSide}} and mark where the answer starts "
        "with <hr id=answer>: Anki scrolls to that line when the answer is shown. A back "
        "without either shows the answer alone, which is fine if that is the intent."
    )
    docs_url = f"{ANKI_MANUAL}/templates/intro.html"

    def check(self, context: LintContext) -> Iterator[Diagnostic]:
        if context.notetype.is_cloze:
            return  # a cloze back reveals the answer in place, as Anki's stock Cloze does
        for side in context.review_sides():
            if side.part is not Part.BACK or side.parsed is None:
                continue
            uses_front = any(
                isinstance(n, Replacement) and n.key == "FrontSide"
                for n in iter_nodes(side.parsed.nodes)
            )
            if uses_front or _HR_ANSWER.search(masked(side.text)):
                continue
            yield self.diagnostic(
                side.location(0, 0),
                "The back shows neither {{FrontSide}} nor <hr id=answer>.",
                Fix(
                    "Start the back with {{FrontSide}} and <hr id=answer>",
                    (
                        TextEdit(
                            side.part, side.template, 0, 0, "{{FrontSide}}\n\n<hr id=answer>\n\n"
                        ),
                    ),
                ),
            )


class ImageWithoutAlt(Rule):
    """``<img>`` without an ``alt`` attribute."""

    id = "img-alt"
    severity = Severity.WARNING
    title = "Image without alt text"
    explanation = (
        "Screen readers (TalkBack on AnkiDroid, VoiceOver on AnkiMobile) read an image's alt "
        'text; without one they read the file name. Describe the image, or use alt="" for '
        "a decorative one."
    )
    docs_url = "https://www.w3.org/WAI/tutorials/images/"

    def check(self, context: LintContext) -> Iterator[Diagnostic]:
        for side in context.review_sides():
            for match in _IMG.finditer(masked(side.text)):
                if _ALT.search(match.group()):
                    continue
                at = match.start() + len("<img")
                yield self.diagnostic(
                    side.location(match.start(), match.end()),
                    "This image has no alt attribute.",
                    Fix('Add alt=""', (TextEdit(side.part, side.template, at, at, ' alt=""'),)),
                )


class ExternalResource(Rule):
    """A template or stylesheet loads something from the internet."""

    id = "external-resource"
    severity = Severity.WARNING
    title = "Resource loaded from the internet"
    explanation = (
        "Reviews often happen offline (on a train, in airplane mode): a script, font, image "
        "or stylesheet loaded over http(s) is then missing and the card breaks or looks "
        "different. Put the file in the collection's media folder with a name starting "
        "with an underscore, and refer to it by that name."
    )
    docs_url = f"{STYLING_DOCS}#installing-fonts"

    def check(self, context: LintContext) -> Iterator[Diagnostic]:
        for side in context.review_sides():
            for url, start, end in resource_urls(side.text):
                if _EXTERNAL.match(url):
                    yield self.diagnostic(
                        side.location(start, end), f"'{url}' is loaded from the internet."
                    )
        for reference in context.stylesheet.urls:
            if _EXTERNAL.match(reference.url):
                yield self.diagnostic(
                    context.css_location(reference.start, reference.end),
                    f"'{reference.url}' is loaded from the internet.",
                )


def _is_local_file(url: str) -> bool:
    return bool(url) and not _NOT_A_FILE.match(url) and "{{" not in url


class MediaWithoutUnderscore(Rule):
    """A media file named in a template or the stylesheet without a leading underscore."""

    id = "media-underscore"
    severity = Severity.WARNING
    title = "Template media without a leading underscore"
    explanation = (
        "Tools → Check Media only counts files referenced from notes' fields; a file used "
        "only by a template or the styling is reported unused and can be deleted, unless "
        "its name starts with an underscore. Rename the file (and the reference) to start "
        "with '_'."
    )
    docs_url = f"{STYLING_DOCS}#installing-fonts"

    def check(self, context: LintContext) -> Iterator[Diagnostic]:
        for side in context.review_sides():
            found = list(resource_urls(side.text))
            plain = masked(side.text)
            found += [
                (m.group("name"), m.start("name"), m.end("name")) for m in _SOUND.finditer(plain)
            ]
            for url, start, end in sorted(found, key=lambda item: item[1]):
                if _is_local_file(url) and not url.startswith("_"):
                    yield self.diagnostic(side.location(start, end), _underscore_message(url))
        for reference in context.stylesheet.urls:
            if _is_local_file(reference.url) and not reference.url.startswith("_"):
                yield self.diagnostic(
                    context.css_location(reference.start, reference.end),
                    _underscore_message(reference.url),
                )


def _underscore_message(name: str) -> str:
    return f"'{name}' does not start with '_': Check Media may delete it as unused."


# (pattern, what it is, where it exists)
_PLATFORM_APIS = (
    (re.compile(r"\bpycmd\s*\("), "pycmd()", "Anki desktop only"),
    (re.compile(r"\bbridgeCommand\s*\("), "bridgeCommand()", "Anki desktop only"),
    (re.compile(r"\bAnkiDroidJS\b"), "AnkiDroidJS", "AnkiDroid only"),
)


class PlatformJavaScript(Rule):
    """A card script calls an API that only one Anki client has."""

    id = "platform-javascript"
    severity = Severity.WARNING
    title = "JavaScript another Anki client lacks"
    explanation = (
        "Card scripts run in each client's web view, and each client exposes its own "
        "functions: pycmd() and bridgeCommand() exist only in Anki desktop, the AnkiDroidJS "
        "API only in AnkiDroid. Elsewhere the call throws and the rest of the script stops. "
        "Check that the function exists (typeof pycmd === 'function') before calling it."
    )
    docs_url = f"{STYLING_DOCS}#javascript"

    def check(self, context: LintContext) -> Iterator[Diagnostic]:
        for side in context.review_sides():
            for script in _SCRIPT.finditer(masked(side.text)):
                body_start = script.start("body")
                for pattern, name, where in _PLATFORM_APIS:
                    for use in pattern.finditer(script.group("body")):
                        guarded = f"typeof {name.rstrip('()')}" in script.group("body")
                        if guarded:
                            continue
                        start = body_start + use.start()
                        yield self.diagnostic(
                            side.location(start, body_start + use.end()),
                            f"{name} exists in {where}; on other clients this script throws.",
                        )


class HugeInlineData(Rule):
    """A large ``data:`` URI inside a template or the stylesheet."""

    id = "huge-inline-data"
    severity = Severity.WARNING
    title = "Large inline image or font"
    explanation = (
        "A data: URI is stored in the note type and parsed again for every card shown; a "
        "large one slows down every review, most on phones. Put the file in the media "
        "folder (name starting with '_') and refer to it by name."
    )
    docs_url = f"{STYLING_DOCS}#installing-fonts"

    def check(self, context: LintContext) -> Iterator[Diagnostic]:
        for side in context.review_sides():
            for url, start, end in resource_urls(side.text):
                if url[:5].lower() == "data:" and len(url) > _HUGE_DATA_URI:
                    yield self.diagnostic(side.location(start, end), _data_message(url))
        for reference in context.stylesheet.urls:
            url = reference.url
            if url[:5].lower() == "data:" and len(url) > _HUGE_DATA_URI:
                yield self.diagnostic(
                    context.css_location(reference.start, reference.end), _data_message(url)
                )


def _data_message(url: str) -> str:
    return f"An inline data: URI of {len(url) // 1024} KB is parsed for every card shown."


RULES: tuple[type[Rule], ...] = (
    FrontSideOnFront,
    BackWithoutFrontSide,
    ImageWithoutAlt,
    ExternalResource,
    MediaWithoutUnderscore,
    PlatformJavaScript,
    HugeInlineData,
)
