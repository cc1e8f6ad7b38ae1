"""Time ``read_package`` (note types + 20 samples) against Anki's own import of the same package.

Builds once, and caches, a 50,000-note package with ~200 MB of media using the
anki package, then in one run times each reader in its own child process and
prints both times, their ratio (target <= 0.25) and each child's peak RSS
(target for ours < 300 MB). It prints figures; it never asserts.

    PYTHONPATH=src python benchmarks/import_bench.py [--cache DIR] [--notes N] [--media-mb M]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MEDIA_FILE_BYTES = 100_000


def build_package(target: Path, notes: int, media_mb: int) -> None:
    """Write a package of ``notes`` notes referring to ``media_mb`` MB of incompressible media."""
    from anki.collection import AddNoteRequest, Collection, ExportAnkiPackageOptions

    with tempfile.TemporaryDirectory(prefix="atd-bench-build-") as tmp:
        col = Collection(str(Path(tmp) / "collection.anki2"))
        mm = col.models
        nt = mm.new("Bench Vocabulary")
        for name in ("Word", "Meaning", "Picture", "Audio"):
            mm.add_field(nt, mm.new_field(name))
        card = mm.new_template("Recognise")
        card["qfmt"] = '<div class="word">{{Word}}</div>{{Picture}}<img src="_bench_logo.png">'
        card["afmt"] = "{{FrontSide}}<hr id=answer>{{Meaning}}{{Audio}}"
        mm.add_template(nt, card)
        nt["css"] = ".card { font-family: serif; }"
        mm.add(nt)
        stored = mm.by_name("Bench Vocabulary")
        assert stored is not None
        media_dir = Path(col.media.dir())
        files = max(1, media_mb * 1_000_000 // MEDIA_FILE_BYTES)
        for i in range(files):
            (media_dir / f"bench_{i:05}.jpg").write_bytes(os.urandom(MEDIA_FILE_BYTES))
        (media_dir / "_bench_logo.png").write_bytes(os.urandom(2_000))
        deck = col.decks.id("Bench")
        assert deck is not None  # id() creates the deck when missing
        requests = []
        for i in range(notes):
            note = col.new_note(stored)
            note["Word"] = f"word {i}"
            note["Meaning"] = f"meaning of word {i} " * 3
            note["Picture"] = f'<img src="bench_{i % files:05}.jpg">'
            note["Audio"] = ""
            note.tags = ["bench", f"group{i % 50}"]
            requests.append(AddNoteRequest(note=note, deck_id=deck))
        col.add_notes(requests)
        temp = target.with_suffix(".partial")
        col.export_anki_package(
            out_path=str(temp),
            options=ExportAnkiPackageOptions(with_media=True),
            limit=None,
        )
        col.close()
        temp.replace(target)


# Linux keeps ru_maxrss across exec (so a child would report its parent's peak);
# VmHWM belongs to the new address space, so it is the child's own peak.
_PEAK_RSS = """
import resource
def peak_rss():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
"""

_OURS = (
    _PEAK_RSS
    + """
import json, sys, time
from pathlib import Path
start = time.perf_counter()
from anki_template_designer.formats.apkg import read_package
bundles = read_package(Path(sys.argv[1]), samples=20)
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "peak_rss": peak_rss(),
                  "notetypes": len(bundles), "samples": sum(len(b.samples) for b in bundles),
                  "media": sum(len(b.media) for b in bundles)}))
"""
)

_ANKI = (
    _PEAK_RSS
    + """
import json, sys, tempfile, time
from pathlib import Path
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
with tempfile.TemporaryDirectory() as tmp:
    col = Collection(str(Path(tmp) / "collection.anki2"))
    start = time.perf_counter()
    col.import_anki_package(ImportAnkiPackageRequest(
        package_path=sys.argv[1], options=ImportAnkiPackageOptions()))
    elapsed = time.perf_counter() - start
    notes = col.note_count()
    col.close()
print(json.dumps({"seconds": elapsed, "peak_rss": peak_rss(), "notes": notes}))
"""
)


def run_child(code: str, package: Path) -> dict[str, float]:
    """Run one reader in a fresh interpreter so its peak RSS is its own."""
    env = dict(os.environ)
    src = str(Path(__file__).resolve().parent.parent / "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    out = subprocess.run(
        [sys.executable, "-c", code, str(package)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "atd-bench-cache"
    )
    parser.add_argument("--notes", type=int, default=50_000)
    parser.add_argument("--media-mb", type=int, default=200)
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    package = args.cache / f"bench-{args.notes}-notes-{args.media_mb}mb.apkg"
    if not package.exists():
        print(f"building {package} (once) ...", flush=True)
        start = time.perf_counter()
        build_package(package, args.notes, args.media_mb)
        print(f"  built in {time.perf_counter() - start:.1f} s", flush=True)
    size_mb = package.stat().st_size / 1e6
    print(f"package: {package} ({size_mb:.0f} MB, {args.notes:,} notes)")
    ours = run_child(_OURS, package)
    anki = run_child(_ANKI, package)
    mb = 1024 * 1024
    print(
        f"ATD read_package(samples=20): {ours['seconds']:.2f} s, "
        f"peak RSS {ours['peak_rss'] / mb:.0f} MB ({ours['notetypes']:.0f} note types, "
        f"{ours['samples']:.0f} samples, {ours['media']:.0f} media)"
    )
    print(
        f"anki import_anki_package:     {anki['seconds']:.2f} s, "
        f"peak RSS {anki['peak_rss'] / mb:.0f} MB ({anki['notes']:.0f} notes)"
    )
    print(f"ratio ATD / anki: {ours['seconds'] / anki['seconds']:.3f} (target <= 0.25)")
    print(f"ATD peak RSS: {ours['peak_rss'] / mb:.0f} MB (target < 300 MB)")


if __name__ == "__main__":
    main()
