"""The server package's public names are exactly its ``__all__``."""

from __future__ import annotations

import anki_template_designer.server as server


def test_all_lists_the_public_names() -> None:
    public = {name for name in vars(server) if not name.startswith("_")}
    modules = {name for name in public if type(vars(server)[name]).__name__ == "module"}
    assert set(server.__all__) == public - modules
