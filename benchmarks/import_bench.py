"""Time the ``atd import`` command against Anki's own import of the same package.

Builds once, and caches, a 50,000-note package with ~200 MB of media using the anki
package. Then, in one run, it times two commands, each a fresh process that pays for its
interpreter start and its imports:

- ours: ``atd import PACKAGE --to DIR`` (note types + 20 samples each, written as note
  type folders), the installed console script (``python -m anki_template_designer.cli.main``
  when it is not installed);
- Anki's: a Python process that imports ``anki``, creates an empty collection and runs
  ``import_anki_package`` on the package.

It prints both wall times, their ratio (target <= 0.25) and each process's peak RSS
(target for ours < 300 MB), and, as an extra line, ``read_package`` alone timed inside its
process. It prints figures; it never asserts.

    PYTHONPATH=src python benchmarks/import_bench.py [--cache DIR] [--notes N] [--media-mb M]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MEDIA_FILE_BYTES = 100_000
SRC = Path(__file__).resolve().parent.parent / "src"


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


# Anki's side: what a user of the anki package runs to import the package, from a cold start.
_ANKI = """
import sys
from pathlib import Path
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
col = Collection(str(Path(sys.argv[2]) / "collection.anki2"))
col.import_anki_package(ImportAnkiPackageRequest(
    package_path=sys.argv[1], options=ImportAnkiPackageOptions()))
print(col.note_count())
col.close()
"""

# The extra line: the reader alone, timed inside its process (no start-up, no writing).
_READER = """
import json, sys, time
from pathlib import Path
start = time.perf_counter()
from anki_template_designer.formats.apkg_read import read_package
bundles = read_package(Path(sys.argv[1]), samples=20)
print(json.dumps({"seconds": time.perf_counter() - start,
                  "samples": sum(len(b.samples) for b in bundles),
                  "media": sum(len(b.media) for b in bundles)}))
"""


def child_env() -> dict[str, str]:
    """This checkout's ``src`` first on the path, so ``python -m`` runs the code under test."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def atd_command() -> list[str]:
    """The installed ``atd`` console script next to this Python, else ``python -m``."""
    script = Path(sys.executable).parent / "atd"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "anki_template_designer.cli.main"]


def timed(command: list[str]) -> tuple[float, int, str]:
    """Run ``command``; its wall time, its own peak RSS in bytes and its standard output.

    ``os.wait4`` gives this child's rusage alone. Linux carries the peak RSS of the process
    that started a child across exec, so this process stays small (it never loads anki:
    the package is built in a child too) and the figure is the child's.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, env=child_env())
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode:
            raise SystemExit(
                f"{' '.join(command)} failed ({process.returncode}):\n{err.read().decode()}"
            )
        return elapsed, usage.ru_maxrss * 1024, out.read().decode()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "atd-bench-cache"
    )
    parser.add_argument("--notes", type=int, default=50_000)
    parser.add_argument("--media-mb", type=int, default=200)
    parser.add_argument("--build-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_only:
        build_package(args.build_only, args.notes, args.media_mb)
        return
    args.cache.mkdir(parents=True, exist_ok=True)
    package = args.cache / f"bench-{args.notes}-notes-{args.media_mb}mb.apkg"
    if not package.exists():
        print(f"building {package} (once) ...", flush=True)
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--notes",
                str(args.notes),
                "--media-mb",
                str(args.media_mb),
                "--build-only",
                str(package),
            ],
            check=True,
        )
        print(f"  built in {time.perf_counter() - start:.1f} s", flush=True)
    size_mb = package.stat().st_size / 1e6
    print(f"package: {package} ({size_mb:.0f} MB, {args.notes:,} notes)")
    mb = 1024 * 1024
    with tempfile.TemporaryDirectory(prefix="atd-import-bench-") as tmp:
        ours_cmd = [*atd_command(), "import", str(package), "--to", str(Path(tmp) / "ours")]
        ours_s, ours_rss, ours_out = timed(ours_cmd)
        folders = len(ours_out.split())
        anki_dir = Path(tmp) / "anki"
        anki_dir.mkdir()
        anki_s, anki_rss, anki_out = timed(
            [sys.executable, "-c", _ANKI, str(package), str(anki_dir)]
        )
        shutil.rmtree(anki_dir)  # removing the copied media is not part of either time
        _, _, reader_out = timed([sys.executable, "-c", _READER, str(package)])
    reader = json.loads(reader_out.splitlines()[-1])
    print(f"$ {' '.join(ours_cmd[:-1])} DIR")
    print(
        f"ATD  atd import --to (20 samples): {ours_s:.2f} s, peak RSS {ours_rss / mb:.0f} MB "
        f"({folders} note type folder{'s' * (folders != 1)})"
    )
    print(
        f"anki import_anki_package:         {anki_s:.2f} s, peak RSS {anki_rss / mb:.0f} MB "
        f"({int(anki_out.split()[-1]):,} notes into an empty collection)"
    )
    print(f"ratio ATD / anki: {ours_s / anki_s:.3f} (target <= 0.25)")
    print(f"ATD peak RSS: {ours_rss / mb:.0f} MB (target < 300 MB)")
    print(
        f"(read_package alone, in-process: {reader['seconds']:.2f} s, "
        f"{reader['samples']} samples, {reader['media']} media)"
    )
    print(
        f"(this process: peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}"
        f" MB; load average {os.getloadavg()[0]:.2f})"
    )


if __name__ == "__main__":
    main()
