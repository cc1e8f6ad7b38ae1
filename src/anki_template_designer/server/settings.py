"""The server's settings: read once from ``ATD_*`` environment variables, then CLI flags."""

from __future__ import annotations

import dataclasses
import getpass
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from ..perf.cache import DEFAULT_MEMORY_MB
from ..perf.work_job import Priority, WorkConfig

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8730
DEFAULT_MAX_UPLOAD_BYTES = 200 * 1024 * 1024
ENV_PREFIX = "ATD_"
# Host names that always mean this machine; a request naming any other host is refused
# (unless the server listens on every interface) so a DNS-rebinding page cannot reach it.
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
_ANY_INTERFACE = frozenset({"0.0.0.0", "::", ""})


class SettingsError(ValueError):
    """A setting has a value the server cannot use; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    """Where the workspace is, where the server listens, and its limits."""

    workspace: Path | None = None
    database_url: str | None = None
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    author: str = "designer"
    allowed_hosts: frozenset[str] = frozenset()
    work: WorkConfig = field(default_factory=WorkConfig)
    """Worker threads, queue depths and budgets of the work manager (previews, lint, exports)."""
    cache_enabled: bool = True
    """Whether the in-process and disk caches keep anything (off: every lookup recomputes)."""
    cache_mb: float = DEFAULT_MEMORY_MB
    """Megabytes the in-memory caches may hold together (previews, parses, kept exports)."""
    export_process: bool = True
    """Whether .apkg exports are written by a child process (off: in the server, loading anki)."""

    @property
    def workspace_location(self) -> str | None:
        """What ``Workspace.open`` takes: the database URL, else the folder, else None."""
        if self.database_url:
            return self.database_url
        return str(self.workspace) if self.workspace is not None else None

    @property
    def url(self) -> str:
        """The address a browser on this machine opens."""
        host = "127.0.0.1" if self.host in _ANY_INTERFACE else self.host
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"
        return f"http://{host}:{self.port}/"

    def host_allowed(self, hostname: str) -> bool:
        """Whether a request's ``Host`` names this server."""
        if self.host in _ANY_INTERFACE:
            return True
        return hostname in LOOPBACK_HOSTS or hostname == self.host or hostname in self.allowed_hosts


N = TypeVar("N", int, float)


def _number(
    environ: Mapping[str, str], name: str, default: N, parse: Callable[[str], N], what: str
) -> N:
    """``ATD_<name>`` read with ``parse`` (``what`` names the kind in the error), else default."""
    text = environ.get(ENV_PREFIX + name)
    if text is None or not text.strip():
        return default
    try:
        return parse(text)
    except ValueError:
        raise SettingsError(f"{ENV_PREFIX}{name}={text!r} is not {what}") from None


def _int(environ: Mapping[str, str], name: str, default: int) -> int:
    return _number(environ, name, default, int, "a whole number")


def _megabytes(environ: Mapping[str, str], name: str, default: float) -> float:
    return _number(environ, name, default, float, "a number of megabytes")


_ON = frozenset({"on", "1", "true", "yes"})
_OFF = frozenset({"off", "0", "false", "no"})


def _switch(environ: Mapping[str, str], name: str, default: bool) -> bool:
    text = environ.get(ENV_PREFIX + name)
    if text is None or not text.strip():
        return default
    word = text.strip().lower()
    if word in _ON or word in _OFF:
        return word in _ON
    raise SettingsError(f"{ENV_PREFIX}{name}={text!r} is neither on nor off")


def _work(environ: Mapping[str, str]) -> WorkConfig:
    """ATD_WORK_THREADS, ATD_PREVIEW_BUDGET_MS and ATD_LINT_BUDGET_MS (0: no budget)."""
    default = WorkConfig()
    workers = _int(environ, "WORK_THREADS", default.workers)
    if workers < 1:
        raise SettingsError(f"{ENV_PREFIX}WORK_THREADS={workers} must be at least 1")
    budgets = dict(default.budgets)
    for priority, name in ((Priority.INTERACTIVE, "PREVIEW"), (Priority.LINT, "LINT")):
        seconds = budgets.get(priority)
        ms = _int(environ, f"{name}_BUDGET_MS", round(seconds * 1000) if seconds else 0)
        if ms < 0:
            raise SettingsError(f"{ENV_PREFIX}{name}_BUDGET_MS={ms} cannot be negative")
        budgets[priority] = ms / 1000 if ms else None
    return WorkConfig(workers=workers, depths=default.depths, budgets=budgets)


def _author(environ: Mapping[str, str]) -> str:
    given = environ.get(ENV_PREFIX + "AUTHOR")
    if given:
        return given
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "designer"


def load_settings(environ: Mapping[str, str] | None = None, **flags: object) -> Settings:
    """Settings from ``ATD_*`` variables, overridden by the CLI flags that were given (not None)."""
    env = os.environ if environ is None else environ
    workspace = env.get(ENV_PREFIX + "WORKSPACE")
    hosts = env.get(ENV_PREFIX + "ALLOWED_HOSTS", "")
    settings = Settings(
        workspace=Path(workspace).expanduser() if workspace else None,
        database_url=env.get(ENV_PREFIX + "DATABASE_URL") or None,
        host=env.get(ENV_PREFIX + "HOST") or DEFAULT_HOST,
        port=_int(env, "PORT", DEFAULT_PORT),
        max_upload_bytes=_int(env, "MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES),
        author=_author(env),
        allowed_hosts=frozenset(h.strip() for h in hosts.split(",") if h.strip()),
        work=_work(env),
        cache_enabled=_switch(env, "CACHE", True),
        cache_mb=_megabytes(env, "CACHE_MB", DEFAULT_MEMORY_MB),
        export_process=_switch(env, "EXPORT_PROCESS", True),
    )
    given = {key: value for key, value in flags.items() if value is not None}
    if "workspace" in given and "database_url" not in given:
        given["database_url"] = None  # a folder on the command line beats ATD_DATABASE_URL
    settings = dataclasses.replace(settings, **given)  # type: ignore[arg-type]
    if not 0 <= settings.port <= 65535:
        raise SettingsError(f"port {settings.port} is not between 0 and 65535")
    if settings.max_upload_bytes <= 0:
        raise SettingsError("the upload limit must be a positive number of bytes")
    if not settings.cache_mb > 0:
        raise SettingsError(f"the cache budget must be more than 0 MB, not {settings.cache_mb:g}")
    return settings
