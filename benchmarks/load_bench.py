"""Load on ``atd serve``: many designer users at once against a workspace of many note types.

Builds a workspace of ``--notetypes`` varied note types (``load_workspace.py``, through the
store, before anything is timed), starts the real server on a free loopback port, and runs
``--users`` simulated users (``load_users.py``) for ``--duration`` seconds: keystroke
previews, lint, autosave, library listing, opening note types, history and exports, with a
pause to think between actions. Prints p50/p95/p99 per operation, request counts,
throughput, errors (save conflicts apart), the server's peak RSS, and PASS/MISS against the
targets. ``--compare-caches`` runs the same load again on a fresh server with its caches
off (``ATD_CACHE=off``, and ``--no-cache`` where ``atd serve`` has it) and prints the
speed-up. Exits non-zero only when the benchmark itself fails, never on a missed target.

    PYTHONPATH=src .venv/bin/python benchmarks/load_bench.py [--users 50] [--duration 120]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

from load_users import ACTIONS, OPERATIONS, Behaviour, User
from load_workspace import build_workspace
from serving import (
    SRC,
    ConnectionPool,
    Recorder,
    cpu_seconds,
    free_port,
    peak_rss_mb,
    percentile,
    serve_command,
    server_env,
    start_server,
    stop_server,
)

P95_FLOOR_MS = 100.0
PREVIEW_P95_MS = 25.0
RSS_LIMIT_MB = 200.0
LOG_LINES_SHOWN = 5


@dataclass
class OpStats:
    """One operation's request count and latency percentiles (ms)."""

    requests: int
    p50: float
    p95: float
    p99: float


@dataclass
class RunResult:
    """What one load run measured."""

    caches: bool
    cache_note: str
    users: int
    duration: float
    notetypes: int
    elapsed: float = 0.0
    cold_start_ms: float = 0.0
    peak_rss_mb: float = 0.0
    server_cpu_s: float = 0.0
    client_cpu_s: float = 0.0
    operations: dict[str, OpStats] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    conflicts: dict[str, int] = field(default_factory=dict)
    server_log: list[str] = field(default_factory=list)
    behaviour: str = ""

    @property
    def requests(self) -> int:
        """Every request answered (errors included where the server answered)."""
        return sum(op.requests for name, op in self.operations.items() if name in OPERATIONS)

    def rows(self) -> list[str]:
        """Operation names in report order: each operation, then its parts (export formats)."""
        names = []
        for name in OPERATIONS:
            names.append(name)
            names += sorted(n for n in self.operations if n.startswith(name + " "))
            names += sorted(n for n in self.operations if n.startswith(name + "~"))
        return names

    def targets(self) -> list[tuple[str, bool, str]]:
        """(target, met, what was measured) for each of the issue's targets."""
        found = []
        for name in OPERATIONS:
            op = self.operations.get(name)
            if op is None:
                continue
            limit = PREVIEW_P95_MS if name == "preview" else P95_FLOOR_MS
            found.append((f"{name} p95 < {limit:g} ms", op.p95 < limit, f"{op.p95:.1f} ms"))
        missing = [name for name in OPERATIONS if name not in self.operations]
        if missing:
            found.append(("every operation measured", False, "none: " + ", ".join(missing)))
        errors = sum(self.errors.values())
        found.append(("zero errors", errors == 0, str(errors)))
        if self.peak_rss_mb:
            rss = f"{self.peak_rss_mb:.0f} MB"
            found.append((f"peak RSS < {RSS_LIMIT_MB:g} MB", self.peak_rss_mb < RSS_LIMIT_MB, rss))
        return found


def cache_switch() -> tuple[list[str], str]:
    """The ``atd serve`` options that turn the caches off, and a note on what is known."""
    shown = subprocess.run(
        [*serve_command("--help")], capture_output=True, text=True, env=server_env(), check=False
    ).stdout
    if "--no-cache" in shown:
        return ["--no-cache"], "caches off: atd serve --no-cache and ATD_CACHE=off"
    reads_env = any("ATD_CACHE" in p.read_text() for p in SRC.rglob("*.py"))
    if reads_env:
        return [], "caches off: ATD_CACHE=off (atd serve has no --no-cache flag yet)"
    return [], (
        "ATD_CACHE=off passed, but this server neither has --no-cache nor reads ATD_CACHE: "
        "its caches were most likely ON in the 'off' run"
    )


async def simulate(port: int, args: argparse.Namespace) -> Recorder:
    """Run ``args.users`` users against the server on ``port``; answer what they recorded."""
    base = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient(base_url=base, headers={"Origin": base}, timeout=60) as client:
        listed = await client.get("/api/notetypes")
        listed.raise_for_status()
        ids = [summary["id"] for summary in listed.json()]
        if len(ids) < args.users + 1:
            raise SystemExit(f"{len(ids)} note types for {args.users} users: use more")
        rng = random.Random(args.seed)
        own = rng.sample(ids, args.users)
        documents = []
        for notetype_id in own:
            opened = await client.get(f"/api/notetypes/{notetype_id}")
            opened.raise_for_status()
            documents.append(opened.json())
    rec = Recorder(expected=frozenset({409}))
    behaviour = Behaviour(think=args.think, typing_rate=args.typing_rate, mix=args.mix)
    pools = [ConnectionPool(port, base) for _ in documents]
    loop = asyncio.get_running_loop()
    started = loop.time()
    until = started + args.duration
    users = [
        User(pool, doc, ids, rec, behaviour, random.Random(f"{args.seed}:{index}"))
        for index, (pool, doc) in enumerate(zip(pools, documents, strict=True))
    ]
    # Users arrive at random over the ramp, as a load tool's spawn rate has them arrive.
    start_within = min(args.ramp, args.duration / 4)
    try:
        await asyncio.gather(*(user.run(until, start_within) for user in users))
    finally:
        for pool in pools:
            pool.close()
    rec.elapsed = loop.time() - started
    return rec


def _run_loop(port: int, args: argparse.Namespace) -> Recorder:
    try:
        import uvloop  # the client's own overhead matters with 50 users on a small machine
    except ImportError:
        return asyncio.run(simulate(port, args))
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(simulate(port, args))


def _stats(values: list[float]) -> OpStats:
    return OpStats(
        len(values), percentile(values, 0.50), percentile(values, 0.95), percentile(values, 0.99)
    )


def run_load(
    args: argparse.Namespace,
    pristine: Path,
    scratch: Path,
    caches: bool,
    switch: tuple[list[str], str] = ([], ""),
) -> RunResult:
    """One run on a fresh server over a fresh copy of the workspace at ``pristine``.

    With ``caches`` False the server gets ``ATD_CACHE=off`` and the options in ``switch``
    (as ``cache_switch`` answers, with its note for the report).
    """
    workspace = scratch / ("workspace-caches-on" if caches else "workspace-caches-off")
    shutil.copytree(pristine, workspace)
    extra_args, cache_note = ([], "") if caches else switch
    env = {} if caches else {"ATD_CACHE": "off"}
    result = RunResult(caches, cache_note, args.users, args.duration, args.notetypes)
    mix = ",".join(f"{k}={v}" for k, v in args.mix.items())
    result.behaviour = (
        f"arrive within {min(args.ramp, args.duration / 4):g} s, think {args.think:g} s "
        f"(mean), typing {args.typing_rate:g} keys/s, mix {mix}, seed {args.seed}"
    )
    port = free_port()
    log_path = workspace.with_suffix(".log")
    with log_path.open("wb") as log:
        try:
            server, cold_start = start_server(
                workspace, port, extra_args=extra_args, env=env, stderr=log
            )
        except SystemExit:
            sys.stderr.write(log_path.read_text(errors="replace")[-4000:])
            raise
        try:
            cpu_before, client_before = cpu_seconds(server.pid), time.process_time()
            rec = _run_loop(port, args)
            result.server_cpu_s = cpu_seconds(server.pid) - cpu_before
            result.client_cpu_s = time.process_time() - client_before
            result.peak_rss_mb = peak_rss_mb(server.pid)
        finally:
            stop_server(server)
    result.server_log = log_path.read_text(errors="replace").splitlines()
    result.cold_start_ms = cold_start * 1000
    result.elapsed = rec.elapsed
    exports = [v for k, vs in rec.latencies.items() if k.startswith("export ") for v in vs]
    for name, values in [*rec.latencies.items(), ("export", exports)]:
        if values:
            result.operations[name] = _stats(values)
    result.errors = dict(rec.errors)
    result.conflicts = dict(rec.conflicts)
    return result


def report(result: RunResult) -> str:
    """The figures of one run as text."""
    state = "on" if result.caches else "OFF"
    lines = [
        f"load_bench: {result.users} users for {result.duration:g} s against "
        f"{result.notetypes} note types, caches {state} (client and server share this "
        f"machine's {os.cpu_count()} cores)",
    ]
    if result.behaviour:
        lines.append(f"users: {result.behaviour}")
    if result.cache_note:
        lines.append(result.cache_note)
    lines += [
        f"cold start to first page: {result.cold_start_ms:.0f} ms",
        f"{'operation':<10}{'request':<34}{'count':>7}{'req/s':>8}"
        f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}",
    ]
    for name in result.rows():
        op = result.operations.get(name)
        label, route = name, OPERATIONS.get(name, "")
        if not route and "~" in name:  # exports the server had ready, or wrote for them
            label, route = "", "  X-ATD-Export: " + name.partition("~")[2]
        elif not route:  # a part of an operation, such as one export format
            label, route = "", "  ?format=" + name.partition(" ")[2]
        if op is None:
            lines.append(f"{label:<10}{route:<34}{0:>7}   (no request answered)")
            continue
        rate = op.requests / result.elapsed
        lines.append(
            f"{label:<10}{route:<34}{op.requests:>7}{rate:>8.1f}"
            f"{op.p50:>9.1f}{op.p95:>9.1f}{op.p99:>9.1f}"
        )
    throughput = result.requests / result.elapsed if result.elapsed else 0.0
    lines.append(f"requests: {result.requests} in {result.elapsed:.1f} s ({throughput:.1f}/s)")
    for label, counts in (("errors", result.errors), ("save conflicts (409)", result.conflicts)):
        detail = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
        lines.append(f"{label}: {sum(counts.values())}" + (f" ({detail})" if detail else ""))
    lines.append(f"server peak RSS (VmHWM): {result.peak_rss_mb:.0f} MB")
    busy = result.server_cpu_s / result.elapsed * 100 if result.elapsed else 0.0
    lines.append(
        f"CPU: server {result.server_cpu_s:.1f} s ({busy:.0f}% of a core), "
        f"benchmark client {result.client_cpu_s:.1f} s"
    )
    if result.server_log:
        lines.append(f"server log: {len(result.server_log)} lines, the first few:")
        lines += [f"  {line[:160]}" for line in result.server_log[:LOG_LINES_SHOWN]]
    lines.append("targets:")
    for target, met, measured in result.targets():
        lines.append(f"  {'PASS' if met else 'MISS'}  {target:<28} measured {measured}")
    return "\n".join(lines)


def compare(on: RunResult, off: RunResult) -> str:
    """Per operation: how many times faster the run with caches was (off / on)."""
    lines = [
        "speed-up with caches (caches-off latency / caches-on latency; > 1: the caches help)",
        f"{'operation':<16}{'p50 off':>9}{'p50 on':>8}{'ratio':>7}"
        f"{'p95 off':>10}{'p95 on':>8}{'ratio':>7}",
    ]
    for name in on.rows():
        a, b = on.operations.get(name), off.operations.get(name)
        if a is None or b is None:
            lines.append(f"{name:<16}  (not measured in both runs)")
            continue
        lines.append(
            f"{name:<16}{b.p50:>9.1f}{a.p50:>8.1f}{b.p50 / max(a.p50, 1e-9):>7.2f}"
            f"{b.p95:>10.1f}{a.p95:>8.1f}{b.p95 / max(a.p95, 1e-9):>7.2f}"
        )
    return "\n".join(lines)


def as_json(runs: list[RunResult]) -> dict[str, Any]:
    """The runs (and, with two, the speed-up) as a JSON-ready dict."""
    docs = []
    for run in runs:
        doc = asdict(run)
        doc["requests"] = run.requests
        doc["throughput"] = run.requests / run.elapsed if run.elapsed else 0.0
        doc["targets"] = [{"target": t, "met": m, "measured": v} for t, m, v in run.targets()]
        docs.append(doc)
    result: dict[str, Any] = {"runs": docs, "load_average": os.getloadavg()}
    if len(runs) == 2:
        on, off = runs
        result["speedup"] = {
            name: {
                "p50": off.operations[name].p50 / max(on.operations[name].p50, 1e-9),
                "p95": off.operations[name].p95 / max(on.operations[name].p95, 1e-9),
            }
            for name in on.rows()
            if name in on.operations and name in off.operations
        }
    return result


def _mix(text: str) -> dict[str, int]:
    """``--mix``: the default weights with those given (``type=60,export=0``) changed."""
    mix = dict(ACTIONS)
    for part in filter(None, text.split(",")):
        name, _, weight = part.partition("=")
        if name.strip() not in mix or not weight.strip().isdigit():
            known = ", ".join(mix)
            raise argparse.ArgumentTypeError(
                f"{part!r}: write ACTION=WEIGHT, ACTION one of {known}"
            )
        mix[name.strip()] = int(weight)
    if not any(mix.values()):
        raise argparse.ArgumentTypeError("every weight is 0: users would only think")
    return mix


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line's options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help="concurrent users (default 50)")
    parser.add_argument("--duration", type=float, default=120.0, help="seconds of load")
    parser.add_argument("--notetypes", type=int, default=500, help="note types in the workspace")
    parser.add_argument("--seed", type=int, default=2026, help="seed for workspace and users")
    parser.add_argument(
        "--think", type=float, default=3.0, help="mean seconds a user pauses between actions"
    )
    parser.add_argument(
        "--ramp",
        type=float,
        default=30.0,
        help="users arrive at random within the first S seconds (default 30, at most a "
        "quarter of --duration; 3 has all 50 open the designer and export at once)",
    )
    parser.add_argument(
        "--typing-rate", type=float, default=6.0, help="mean keystrokes per second when typing"
    )
    parser.add_argument(
        "--mix",
        type=_mix,
        default=dict(ACTIONS),
        metavar="ACTION=WEIGHT,…",
        help="change how often users pick each action (default "
        + ",".join(f"{k}={v}" for k, v in ACTIONS.items())
        + "); 0 leaves it out, as in export=0 to see the load without exports",
    )
    parser.add_argument(
        "--compare-caches",
        action="store_true",
        help="run again on a fresh server with caches off; print the speed-up",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON only")
    args = parser.parse_args(argv)
    if args.users < 1 or args.duration <= 0 or args.notetypes <= args.users:
        parser.error("need --users >= 1, --duration > 0 and --notetypes > --users")
    return args


def main(argv: list[str] | None = None) -> int:
    """Build the workspace, run the load (twice with --compare-caches), print the figures."""
    args = parse_args(argv)
    say = (lambda text: print(text, file=sys.stderr)) if args.json else print
    with tempfile.TemporaryDirectory(prefix="atd-load-bench-") as tmp:
        scratch = Path(tmp)
        pristine = scratch / "pristine"
        started = time.perf_counter()
        build_workspace(pristine, args.notetypes, args.seed)
        say(f"workspace: {args.notetypes} note types in {time.perf_counter() - started:.1f} s")
        runs = [run_load(args, pristine, scratch, caches=True)]
        if args.compare_caches:
            runs.append(run_load(args, pristine, scratch, caches=False, switch=cache_switch()))
    if args.json:
        print(json.dumps(as_json(runs), indent=2))
        return 0
    for run in runs:
        print(report(run))
        print()
    if len(runs) == 2:
        print(compare(*runs))
    load = os.getloadavg()
    print(f"machine load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
