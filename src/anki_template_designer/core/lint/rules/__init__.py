"""The default lint rules, registered in one place."""

from __future__ import annotations

from ..registry import RuleRegistry
from . import anki, css, templates


def default_rules() -> RuleRegistry:
    """A new registry holding every built-in rule (add or remove rules on your copy)."""
    return RuleRegistry(rule() for rule in (*anki.RULES, *templates.RULES, *css.RULES))
