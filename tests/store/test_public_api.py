"""The store package's public names are exactly its ``__all__``."""

from __future__ import annotations

import anki_template_designer.store as store


def test_store_all_matches_public_names() -> None:
    public = {
        name
        for name in vars(store)
        if not name.startswith("_") and not isinstance(getattr(store, name), type(store))
    }
    assert set(store.__all__) == public
