"""The core package's public names are exactly its ``__all__``.

``core`` loads the template engine, rendering and platforms only on first use of one of
their names (module ``__getattr__``), so its names are read with ``dir``/``getattr``: what
``vars`` holds depends on what ran before.
"""

from __future__ import annotations

import subprocess
import sys

import anki_template_designer.core as core
import anki_template_designer.core.template as template
from anki_template_designer.core import platforms, rendering


def _public(module: object) -> set[str]:
    return {
        name
        for name in dir(module)
        if not name.startswith("_") and not isinstance(getattr(module, name), type(core))
    }


def test_core_all_matches_public_names() -> None:
    assert set(core.__all__) == _public(core)


def test_template_all_matches_public_names() -> None:
    assert set(template.__all__) == _public(template)


def test_lazy_names_are_the_submodules_objects() -> None:
    assert core.render_note is rendering.render_note
    assert core.Platform is platforms.Platform
    assert core.parse is template.parse
    assert core.TemplateSyntaxError is template.TemplateSyntaxError


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        core.no_such_name  # noqa: B018
    except AttributeError as error:
        assert "no_such_name" in str(error)
    else:
        raise AssertionError("core.no_such_name resolved")


def test_importing_core_leaves_the_template_engine_unloaded_until_used() -> None:
    probe = (
        "import sys\n"
        "import anki_template_designer.core as core\n"
        "engine = 'anki_template_designer.core.template'\n"
        "print(engine in sys.modules)\n"
        "from anki_template_designer.core import render_note\n"
        "print(engine in sys.modules, render_note.__module__)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["False", "True", "anki_template_designer.core.rendering"]
