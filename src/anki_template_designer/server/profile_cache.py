"""Workspace profiles (bottleneck measurements) kept in the disk cache across restarts.

A profile renders every card of a note type's samples several times: for a workspace scan of
hundreds of note types that is seconds. Its result depends on the note type's content, the
samples, how many times each card was rendered, and the engine's code, so the key is a hash
of exactly those (``code_version`` covers the package version and every module of ``core``
and ``perf``): a note type saved with any change, or an upgrade, never finds an old profile.
Timings measured once are timings of that content; ``fresh`` measures again (and stores it).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from pydantic import ValidationError

from ..core.model import Note, NoteType
from ..perf.cache import content_key
from ..perf.disk_cache import DiskCache
from ..perf.profiler import profile_notetype
from .lint_version import code_version
from .perf_docs import ProfileDoc, template_docs
from .schemas import NoteTypeDoc, SampleDoc

PROFILED_CODE = ("anki_template_designer.core", "anki_template_designer.perf")

_log = logging.getLogger(__name__)


def profile_key(notetype: NoteType, samples: Sequence[Note], repeat: int) -> str:
    """The disk cache key of a profile of ``notetype`` with ``samples``, each card ``repeat``×."""
    return "profile:" + content_key(
        code_version(*PROFILED_CODE),
        repeat,
        NoteTypeDoc.of(notetype).model_dump(mode="json"),
        [SampleDoc.of(note).model_dump(mode="json") for note in samples],
    )


def measure(notetype: NoteType, samples: Sequence[Note], repeat: int) -> ProfileDoc:
    """Profile now (no cache)."""
    found = profile_notetype(notetype, samples, repeat)
    return ProfileDoc(
        notetype=found.notetype,
        repeat=found.repeat,
        templates=template_docs(found),
        measured_at=time.time(),
    )


def cached_profile(
    disk: DiskCache | None,
    notetype: NoteType,
    samples: Sequence[Note],
    repeat: int,
    *,
    fresh: bool = False,
) -> ProfileDoc:
    """The profile stored for this exact content, else (or if ``fresh``) a new one, stored."""
    if disk is None:
        return measure(notetype, samples, repeat)
    key = profile_key(notetype, samples, repeat)
    if not fresh:
        found = disk.get(key)
        if found is not None:
            try:
                return ProfileDoc.model_validate(found).model_copy(update={"cached": True})
            except ValidationError as error:  # written by another shape of the document
                _log.info("disk cache: profile %s no longer reads (%s); measuring", key, error)
    doc = measure(notetype, samples, repeat)
    disk.put(key, doc.model_dump(mode="json"))
    return doc
