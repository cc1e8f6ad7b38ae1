"""Rules are small objects registered in one place; ``lint_notetype`` runs them all."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import ClassVar

from ..model import Note, NoteType
from .context import LintContext
from .diagnostics import Diagnostic, Fix, Location, Severity

ANKI_MANUAL = "https://docs.ankiweb.net"


class Rule:
    """One check. Subclasses set the class attributes and implement :meth:`check`.

    ``explanation`` says why the finding matters and what to do; ``docs_url`` points at the
    section of the Anki manual (or of these docs) that explains it.
    """

    id: ClassVar[str]
    severity: ClassVar[Severity]
    title: ClassVar[str]
    explanation: ClassVar[str]
    docs_url: ClassVar[str]

    def check(self, context: LintContext) -> Iterable[Diagnostic]:
        """Every finding of this rule in ``context``."""
        raise NotImplementedError

    def diagnostic(
        self,
        location: Location,
        message: str,
        fix: Fix | None = None,
        severity: Severity | None = None,
    ) -> Diagnostic:
        """A finding of this rule at ``location``."""
        return Diagnostic(
            rule=self.id,
            severity=severity or self.severity,
            message=message,
            location=location,
            explanation=self.explanation,
            docs_url=self.docs_url,
            fix=fix,
        )


class DuplicateRuleError(ValueError):
    """A rule id is registered twice."""


class RuleRegistry:
    """The rules a lint run applies, by id, in registration order."""

    def __init__(self, rules: Iterable[Rule] = ()) -> None:
        self._rules: dict[str, Rule] = {}
        for rule in rules:
            self.register(rule)

    def register(self, rule: Rule) -> Rule:
        """Add ``rule``; its id must be new."""
        if rule.id in self._rules:
            raise DuplicateRuleError(f"a lint rule with id {rule.id!r} is already registered")
        self._rules[rule.id] = rule
        return rule

    def unregister(self, rule_id: str) -> None:
        """Remove the rule with ``rule_id`` (KeyError if there is none)."""
        del self._rules[rule_id]

    def __iter__(self) -> Iterator[Rule]:
        return iter(list(self._rules.values()))

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._rules

    def __getitem__(self, rule_id: str) -> Rule:
        return self._rules[rule_id]

    def copy(self) -> RuleRegistry:
        """A registry with the same rules, to add to or remove from without touching this one."""
        return RuleRegistry(self)


_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def sort_key(diagnostic: Diagnostic) -> tuple[int, int, int, int, str]:
    """Diagnostics in reading order: card type by card type, the stylesheet last."""
    where = diagnostic.location
    template = where.template if where.template is not None else 1 << 30
    return (
        template,
        list(type(where.part)).index(where.part),
        where.start,
        _ORDER[diagnostic.severity],
        diagnostic.rule,
    )


def lint_notetype(
    notetype: NoteType,
    samples: Iterable[Note] = (),
    *,
    rules: RuleRegistry | None = None,
) -> list[Diagnostic]:
    """Every finding of every rule (the default set unless ``rules`` is given), in reading order."""
    from .rules import default_rules

    context = LintContext(notetype, tuple(samples))
    found = [d for rule in (rules or default_rules()) for d in rule.check(context)]
    return sorted(found, key=sort_key)
