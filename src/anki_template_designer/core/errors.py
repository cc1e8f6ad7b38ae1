"""Errors raised by the core package.

    CoreError                      root of everything ``core`` raises
    ├── NoteTypeFormatError        a note type dict (schema 11) is malformed
    ├── NotUnicodeError            text holds a lone surrogate, which Anki cannot store
    └── TemplateSyntaxError        a template cannot be parsed (unclosed or
                                   mismatched section); carries the span

Rendering never raises for a bad template: Anki shows the problem on the card,
and so does :func:`anki_template_designer.core.rendering.render_card`.
"""

from __future__ import annotations


class CoreError(Exception):
    """Root of the core package's exceptions."""


class NoteTypeFormatError(CoreError, ValueError):
    """A note type given as an Anki schema-11 dict is missing keys or has wrong types."""


class NotUnicodeError(CoreError, ValueError):
    """Text holds a lone surrogate (from a JSON ``\\udXXX`` escape): not Unicode, so Anki
    cannot store it (the anki package fails to add such a note or note type)."""
