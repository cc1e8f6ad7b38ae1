"""The core package's public names are exactly its ``__all__``."""

from __future__ import annotations

import anki_template_designer.core as core
import anki_template_designer.core.template as template


def _public(module: object) -> set[str]:
    return {
        name
        for name in vars(module)
        if not name.startswith("_") and not isinstance(getattr(module, name), type(core))
    }


def test_core_all_matches_public_names() -> None:
    assert set(core.__all__) == _public(core)


def test_template_all_matches_public_names() -> None:
    assert set(template.__all__) == _public(template)
