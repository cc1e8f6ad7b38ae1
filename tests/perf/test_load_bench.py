"""benchmarks/load_bench.py, tiny: real ``atd serve`` subprocesses, every operation, no errors.

Only that the benchmark works end to end is checked; its timings are never asserted.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
TINY = ["--users", "2", "--duration", "2", "--notetypes", "3", "--think", "0.2"]

pytestmark = pytest.mark.slow


@pytest.fixture
def load_bench(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    return importlib.import_module("load_bench")


def test_a_tiny_run_prints_every_operation_without_errors(
    load_bench: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    assert load_bench.main(TINY) == 0

    out = capsys.readouterr().out
    rows = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    for operation, request in load_bench.OPERATIONS.items():
        assert operation in rows, out
        assert request in rows[operation]
        assert "no request answered" not in rows[operation], out
    assert "\nerrors: 0\n" in out
    assert "save conflicts (409): 0" in out
    assert "peak RSS" in out
    assert "PASS" in out or "MISS" in out


def test_comparing_caches_runs_twice_and_reports_speedups_as_json(
    load_bench: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    assert load_bench.main([*TINY, "--users", "1", "--compare-caches", "--json"]) == 0

    result = json.loads(capsys.readouterr().out)
    on, off = result["runs"]
    assert (on["caches"], off["caches"]) == (True, False)
    for run in (on, off):
        assert run["errors"] == {}
        assert run["conflicts"] == {}
        assert set(load_bench.OPERATIONS) <= set(run["operations"])
        assert all(target["measured"] for target in run["targets"])
    assert set(load_bench.OPERATIONS) <= set(result["speedup"])
    assert "ATD_CACHE=off" in off["cache_note"]


def test_the_benchmark_refuses_fewer_note_types_than_users(
    load_bench: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        load_bench.parse_args(["--users", "5", "--notetypes", "5"])

    assert exited.value.code == 2
    assert "--notetypes > --users" in capsys.readouterr().err
