"""Anki packages in and out: the public API of .apkg/.colpkg reading and .apkg writing."""

from __future__ import annotations

from .apkg_read import read_package
from .apkg_write import write_package
from .package_safety import DEFAULT_LIMITS, PackageLimits

__all__ = ["DEFAULT_LIMITS", "PackageLimits", "read_package", "write_package"]
