"""Lint a note type: Anki's own checks and best practices, each with a location and a fix.

``lint_notetype(notetype, samples)`` runs every rule of :func:`default_rules` (or the
registry given) and returns :class:`Diagnostic` objects in reading order; ``apply_fixes``
applies the one-click fixes that do not overlap.
"""

from __future__ import annotations

from .context import LintContext, TemplateSide
from .diagnostics import (
    Diagnostic,
    Fix,
    FixConflictError,
    Location,
    Part,
    Severity,
    TextEdit,
    apply_edits,
    apply_fixes,
)
from .registry import DuplicateRuleError, Rule, RuleRegistry, lint_notetype
from .rules import default_rules

__all__ = [
    "Diagnostic",
    "DuplicateRuleError",
    "Fix",
    "FixConflictError",
    "LintContext",
    "Location",
    "Part",
    "Rule",
    "RuleRegistry",
    "Severity",
    "TemplateSide",
    "TextEdit",
    "apply_edits",
    "apply_fixes",
    "default_rules",
    "lint_notetype",
]
