"""The installed ``atd`` console script, run as a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import EXAMPLES

ATD = Path(sys.executable).parent / "atd"


@pytest.mark.skipif(not ATD.exists(), reason="the package is not installed (pip install -e .)")
def test_installed_atd_streams_render_responses() -> None:
    requests = (EXAMPLES / "basic.jsonl").read_text(encoding="utf-8")
    process = subprocess.run(
        [str(ATD), "render"],
        input=(requests + "not json\n").encode("utf-8"),
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert process.returncode == 1, process.stderr.decode()
    responses = [json.loads(line) for line in process.stdout.decode("utf-8").splitlines()]
    assert len(responses) == len(requests.splitlines()) + 1
    assert all(r["error"] is None for r in responses[:-1])
    assert responses[-1]["error"].startswith(f"line {len(responses)}: not valid JSON")
    assert b"Traceback" not in process.stderr
