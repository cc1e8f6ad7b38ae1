"""Reading zip members of an untrusted package within size, ratio and name limits.

Packages come from shared-deck sites and strangers, so every byte unpacked is
counted: a zip bomb or a zstd bomb stops with :class:`PackageError` long before it
fills memory or disk. Members are only ever read by name into memory or into a
temp file this module names itself; no member name is used as a path.
"""

from __future__ import annotations

import os
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO

import zstandard

from .errors import PackageError

_CHUNK = 1 << 20
# Below this size a high ratio cannot hurt (an empty media list compresses 100:1).
_RATIO_FLOOR = 1 << 20


@dataclass(frozen=True)
class PackageLimits:
    """Caps on what reading one package may unpack (defaults suit the largest shared decks)."""

    max_unpacked_bytes: int = 2 << 30  # 2 GiB in total
    max_ratio: int = 200  # unpacked size / packed size, per member


DEFAULT_LIMITS = PackageLimits()

_DRIVE = re.compile(r"^[A-Za-z]:")


def unsafe_member_name(name: str) -> bool:
    """True if a zip member name could escape an extraction folder (zip slip)."""
    if not name or "\x00" in name or name.startswith(("/", "\\")) or _DRIVE.match(name):
        return True
    return any(part == ".." for part in re.split(r"[/\\]", name))


def unsafe_media_name(name: str) -> bool:
    """True if a media file name is not a plain file name (so writing it could escape a folder)."""
    return (
        not name
        or name in {".", ".."}
        or any(ch in name for ch in "/\\\x00")
        or _DRIVE.match(name) is not None
    )


class PackageReader:
    """An open package zip whose reads are checked against :class:`PackageLimits`."""

    def __init__(self, path: Path, limits: PackageLimits, on_bytes: Callable[[int], None]):
        self.path = path
        self._limits = limits
        self._on_bytes = on_bytes
        self._unpacked = 0
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise PackageError(
                f"{path}: not a readable Anki package - the zip archive is corrupt or "
                f"truncated ({exc}). Download or export the file again."
            ) from None
        self._members = {info.filename: info for info in self._zip.infolist()}
        for name in self._members:
            if unsafe_member_name(name):
                self._zip.close()
                raise PackageError(
                    f"{path}: member {name!r} has an unsafe path (absolute or with '..'); "
                    "the package may be malicious and was not read. Do not import it."
                )

    def close(self) -> None:
        self._zip.close()

    def has(self, name: str) -> bool:
        return name in self._members

    def packed_size(self, name: str) -> int:
        return self._members[name].compress_size

    def read(self, name: str, *, zstd: bool = False) -> bytes:
        """Return a member's bytes (zstd-decoded when asked), within the limits."""
        chunks: list[bytes] = []
        self._copy(name, chunks.append, zstd=zstd)
        return b"".join(chunks)

    def extract(self, name: str, target: Path, *, zstd: bool = False) -> None:
        """Write a member's bytes to ``target`` (a path this program chose), within the limits."""
        with open(target, "wb") as out:
            self._copy(name, out.write, zstd=zstd)

    def _copy(self, name: str, sink: Callable[[bytes], object], *, zstd: bool) -> None:
        info = self._members.get(name)
        if info is None:
            raise PackageError(
                f"{self.path}: member {name!r} is missing. Export the package again."
            )
        self._check_declared(info)
        try:
            with self._zip.open(info) as raw:
                stream: IO[bytes] | BinaryIO = raw
                if zstd:
                    stream = zstandard.ZstdDecompressor().stream_reader(
                        raw, read_across_frames=True
                    )
                self._pump(info, stream, sink)
        except PackageError:
            raise
        except (zipfile.BadZipFile, zlib.error, zstandard.ZstdError, EOFError, OSError) as exc:
            raise PackageError(
                f"{self.path}: member {name!r} is corrupt or truncated ({exc}). "
                "Download or export the package again."
            ) from None

    def _check_declared(self, info: zipfile.ZipInfo) -> None:
        limits = self._limits
        if self._unpacked + info.file_size > limits.max_unpacked_bytes:
            self._too_big(info.filename)
        if info.file_size > _RATIO_FLOOR and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            self._too_compressed(info.filename, info.file_size, info.compress_size)

    def _pump(
        self, info: zipfile.ZipInfo, stream: IO[bytes] | BinaryIO, sink: Callable[[bytes], object]
    ) -> None:
        limits = self._limits
        produced = 0
        while chunk := stream.read(_CHUNK):
            produced += len(chunk)
            self._unpacked += len(chunk)
            if self._unpacked > limits.max_unpacked_bytes:
                self._too_big(info.filename)
            if produced > _RATIO_FLOOR and produced > limits.max_ratio * max(info.compress_size, 1):
                self._too_compressed(info.filename, produced, info.compress_size)
            sink(chunk)
        self._on_bytes(info.compress_size)

    def _too_big(self, member: str) -> None:
        cap = self._limits.max_unpacked_bytes
        raise PackageError(
            f"{self.path}: unpacking member {member!r} would exceed the limit of {cap:,} bytes "
            "in total; the package may be a zip bomb. If you trust it, raise "
            "PackageLimits.max_unpacked_bytes."
        )

    def _too_compressed(self, member: str, unpacked: int, packed: int) -> None:
        raise PackageError(
            f"{self.path}: member {member!r} unpacks to {unpacked:,} bytes from {packed:,} "
            f"(more than {self._limits.max_ratio}:1); the package may be a zip bomb. "
            "If you trust it, raise PackageLimits.max_ratio."
        )


@contextmanager
def open_package(
    path: Path, limits: PackageLimits, on_bytes: Callable[[int], None]
) -> Iterator[PackageReader]:
    """Open ``path`` as a package zip for checked reading."""
    reader = PackageReader(path, limits, on_bytes)
    try:
        yield reader
    finally:
        reader.close()


def replace_atomically(temp: Path, target: Path) -> None:
    """Move a finished temp file over ``target`` in one step (same folder, so same file system)."""
    os.replace(temp, target)
