"""The no-night-mode fix must win over the colours it resets, !important ones included."""

from __future__ import annotations

from anki_template_designer.core.lint import apply_fixes, lint_notetype
from anki_template_designer.core.model import CardTemplate, Field, NoteType


def _notetype(css: str) -> NoteType:
    return NoteType(
        name="Night",
        fields=(Field("Front"), Field("Back")),
        templates=(CardTemplate("Card 1", "{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}"),),
        css=css,
    )


def test_an_important_colour_gets_an_important_night_reset() -> None:
    notetype = _notetype(".hint { color: #333 !important; background: #eee; }")
    found = [d for d in lint_notetype(notetype) if d.rule == "no-night-mode"]
    fixed, count = apply_fixes(notetype, found)
    assert count == 1
    assert "  color: inherit !important;\n" in fixed.css
    assert "  background-color: transparent;\n" in fixed.css
    assert not [d for d in lint_notetype(fixed) if d.rule == "no-night-mode"]
