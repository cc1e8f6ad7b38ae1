"""Template errors, worded and formatted exactly as Anki shows them.

    CoreError
    └── TemplateSyntaxError   parse or render problem in one template; ``span`` locates it

Anki wraps each quoted argument in Unicode isolation marks (U+2068 … U+2069),
escapes the message as HTML and shows it instead of the card on both sides.
"""

from __future__ import annotations

import enum
from html import escape

from ..errors import CoreError
from .nodes import Span

ERROR_LINK = "https://docs.ankiweb.net/templates/errors.html#template-syntax-error"
BLANK_FRONT_LINK = "https://docs.ankiweb.net/templates/errors.html#front-of-card-is-blank"
MISSING_CLOZE_LINK = (
    "https://docs.ankiweb.net/templates/errors.html#no-cloze-filter-on-cloze-note-type"
)
_FSI, _PDI = "\u2068", "\u2069"


class ErrorKind(enum.Enum):
    """Which of Anki's template errors occurred."""

    UNCLOSED_SECTION = "unclosed-section"
    MISMATCHED_CLOSE = "mismatched-close"
    ORPHAN_CLOSE = "orphan-close"
    NO_SUCH_FIELD = "no-such-field"


def _isolate(text: str) -> str:
    return f"{_FSI}{text}{_PDI}"


class TemplateSyntaxError(CoreError):
    """A template cannot be rendered: unclosed, mismatched or orphan section, or unknown field."""

    def __init__(self, kind: ErrorKind, span: Span, *args: str) -> None:
        self.kind = kind
        self.span = span
        self.args_ = args
        super().__init__(self.message(isolate=False))

    def message(self, isolate: bool = True) -> str:
        """Anki's English message; ``isolate`` adds the Unicode isolation marks Anki shows."""
        q = _isolate if isolate else (lambda text: text)
        a = self.args_
        if self.kind is ErrorKind.UNCLOSED_SECTION:
            return f"Missing '{q('{{/' + a[0] + '}}')}'"
        if self.kind is ErrorKind.MISMATCHED_CLOSE:
            return f"Found '{q('{{/' + a[0] + '}}')}', but expected '{q('{{/' + a[1] + '}}')}'"
        if self.kind is ErrorKind.ORPHAN_CLOSE:
            name = a[0]
            return (
                f"Found '{q('{{/' + name + '}}')}', but missing "
                f"'{q('{{#' + name + '}}')}' or '{q('{{^' + name + '}}')}'"
            )
        return f"Found '{q('{{' + a[0] + '}}')}', but there is no field called '{q(a[1])}'"

    def anki_html(self, front: bool) -> str:
        """The HTML Anki shows on the card in place of both sides."""
        header = "Front template has a problem:" if front else "Back template has a problem:"
        details = escape(self.message(), quote=True)
        return f"{header}<br>{details}<br><a href='{ERROR_LINK}'>More information</a>"
