"""Hatch build hook: build ``frontend/`` into the package's static folder before packaging.

An installed wheel serves the designer without Node, so the bundle is built here. A source
distribution already carries the built folder; then Node is not needed to build the wheel.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

STATIC = Path("src/anki_template_designer/server/static")


class FrontendBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Run ``scripts/build-frontend`` when ``frontend/`` is present."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        static = root / STATIC
        if (root / "frontend" / "package.json").is_file():
            if shutil.which("npm") is None and (static / "index.html").is_file():
                self.app.display_warning("npm not found: packaging the UI built earlier")
            else:
                subprocess.run(["bash", "scripts/build-frontend"], cwd=root, check=True)
        if not (static / "index.html").is_file():
            raise RuntimeError(
                f"the designer's UI is not built ({static}/index.html is missing) and cannot "
                "be: install Node 20+ and npm, then build again"
            )
        # The folder is git-ignored (a build output), so hatch would leave it out unless told.
        build_data["artifacts"].append(f"/{STATIC.as_posix()}/")
