"""A small client for AnkiConnect (add-on 2055492159), protocol version 6.

Only the standard library (urllib) is used: httpx is not a dependency of the
project, and one local POST per action needs nothing more. Every failure becomes
an :class:`AnkiConnectError` that says what happened and how to fix it. urllib.request
(with http.client, email and ssl) loads on the first connection, not with ``DEFAULT_URL``:
``atd`` reads that default at start-up for every command.
"""

from __future__ import annotations

import json
from dataclasses import replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ..core.errors import NoteTypeFormatError
from ..core.model import CardTemplate, Field, NoteType, NotetypeId, NoteTypeKind
from ..core.schema11 import from_schema11
from .bundle import NoteTypeBundle
from .errors import AnkiConnectError

if TYPE_CHECKING:
    from .ankiconnect_push import PushPlan

__all__ = ["ADDON_CODE", "DEFAULT_URL", "MIN_VERSION", "AnkiConnect"]

DEFAULT_URL = "http://127.0.0.1:8765"
MIN_VERSION = 6
ADDON_CODE = "2055492159"
_INSTALL_HINT = (
    f"Start Anki and make sure the AnkiConnect add-on is installed (Tools > Add-ons > "
    f"Get Add-ons…, code {ADDON_CODE}, then restart Anki)."
)
_KEY_ERROR = "valid api key must be provided"
_UNSUPPORTED = "unsupported action"


class AnkiConnect:
    """A connection to AnkiConnect at ``url``, with an optional API key."""

    def __init__(self, url: str = DEFAULT_URL, key: str | None = None, timeout: float = 30.0):
        self.url = url
        self.key = key or None
        self.timeout = timeout
        import urllib.request

        # AnkiConnect is local: a system HTTP proxy must not intercept it.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        self._version: int | None = None

    def invoke(self, action: str, **params: Any) -> Any:
        """Run one action and return its result; raise AnkiConnectError on any failure."""
        body: dict[str, Any] = {"action": action, "version": MIN_VERSION, "params": params}
        if self.key:
            body["key"] = self.key
        reply = self._post(json.dumps(body).encode("utf-8"))
        error = reply["error"]
        if error is not None:
            raise self._reply_error(action, str(error))
        return reply["result"]

    def _post(self, data: bytes) -> dict[str, Any]:
        import urllib.error
        import urllib.request

        request = urllib.request.Request(
            self.url, data=data, headers={"Content-Type": "application/json"}, method="POST"
        )
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            raise AnkiConnectError(
                f"{self.url} answered with HTTP {exc.code}, which AnkiConnect never does: "
                f"another program uses that address. {_INSTALL_HINT} Or pass the right --url."
            ) from None
        except urllib.error.URLError as exc:
            raise self._connection_error(exc.reason) from None
        except (TimeoutError, ConnectionError) as exc:
            raise self._connection_error(exc) from None
        try:
            reply = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            reply = None
        if not isinstance(reply, dict) or not {"result", "error"} <= set(reply):
            raise AnkiConnectError(
                f"{self.url} answered, but not like AnkiConnect protocol version {MIN_VERSION} "
                f"(no 'result' and 'error' in the reply). {_INSTALL_HINT}"
            )
        return reply

    def _connection_error(self, reason: object) -> AnkiConnectError:
        if isinstance(reason, ConnectionRefusedError):
            return AnkiConnectError(
                f"Anki is not running or AnkiConnect is missing: nothing listens at {self.url} "
                f"(connection refused). {_INSTALL_HINT}"
            )
        if isinstance(reason, TimeoutError):
            return AnkiConnectError(
                f"Anki did not answer at {self.url} within {self.timeout:g} s. Close any open "
                "dialog in Anki (it blocks AnkiConnect) and try again."
            )
        return AnkiConnectError(f"Could not reach AnkiConnect at {self.url}: {reason}.")

    def _reply_error(self, action: str, error: str) -> AnkiConnectError:
        if error == _KEY_ERROR:
            state = "was wrong" if self.key else "is required but none was given"
            return AnkiConnectError(
                f"AnkiConnect refused the request: the API key {state}. Use the apiKey from "
                "Tools > Add-ons > AnkiConnect > Config, with --key or ATD_ANKICONNECT_KEY."
            )
        if error == _UNSUPPORTED:
            return AnkiConnectError(
                f"AnkiConnect does not know the action {action!r}: the add-on is too old. "
                "Update it (Tools > Add-ons > Check for Updates) and restart Anki."
            )
        return AnkiConnectError(f"AnkiConnect could not run {action!r}: {error}")

    def check_version(self) -> int:
        """AnkiConnect's protocol version; raise AnkiConnectError if it is below 6."""
        if self._version is None:
            version = self.invoke("version")
            if isinstance(version, bool) or not isinstance(version, int):
                raise AnkiConnectError(
                    f"{self.url} did not report a protocol version. {_INSTALL_HINT}"
                )
            if version < MIN_VERSION:
                raise AnkiConnectError(
                    f"AnkiConnect at {self.url} speaks protocol version {version}; version "
                    f"{MIN_VERSION} or later is needed. Update the add-on (Tools > Add-ons > "
                    "Check for Updates) and restart Anki."
                )
            self._version = version
        return self._version

    def list_notetypes(self) -> dict[str, int]:
        """Every note type in the open collection: name → id."""
        self.check_version()
        result = self.invoke("modelNamesAndIds")
        if not isinstance(result, dict):
            raise AnkiConnectError("AnkiConnect's modelNamesAndIds did not return an object.")
        return {str(name): int(id_) for name, id_ in result.items()}

    def find_model(self, name: str) -> dict[str, Any] | None:
        """The full schema-11 dict of note type ``name``, or None if AnkiConnect cannot give it."""
        try:
            found = self.invoke("findModelsByName", modelNames=[name])
        except AnkiConnectError as exc:
            if "does not know the action" in str(exc):
                return None
            raise
        if isinstance(found, list) and found and isinstance(found[0], dict):
            return found[0]
        return None

    def pull(self, name: str) -> NoteTypeBundle:
        """Read note type ``name`` from Anki (full options where AnkiConnect offers them)."""
        ids = self.list_notetypes()
        if name not in ids:
            known = ", ".join(repr(n) for n in sorted(ids)) or "none"
            raise AnkiConnectError(f"Anki has no note type called {name!r}. Note types: {known}.")
        full = self.find_model(name)
        if full is not None:
            try:
                return NoteTypeBundle(from_schema11(full))
            except NoteTypeFormatError as exc:
                raise AnkiConnectError(f"Anki's note type {name!r} is malformed: {exc}") from None
        return NoteTypeBundle(self._pull_basic(name, ids[name]))

    def _pull_basic(self, name: str, id_: int) -> NoteType:
        fields = self.invoke("modelFieldNames", modelName=name)
        templates = self.invoke("modelTemplates", modelName=name)
        styling = self.invoke("modelStyling", modelName=name)
        cards = tuple(
            CardTemplate(str(card), str(sides.get("Front", "")), str(sides.get("Back", "")))
            for card, sides in templates.items()
        )
        # Without findModelsByName the kind is not reported; a cloze front shows it.
        cloze = any("{{cloze:" in card.front for card in cards)
        return NoteType(
            name=name,
            fields=tuple(Field(str(f)) for f in fields),
            templates=cards,
            css=str(styling.get("css", "")),
            kind=NoteTypeKind.CLOZE if cloze else NoteTypeKind.STANDARD,
            id=NotetypeId(id_),
            extra=MappingProxyType({}),
        )

    def current(self, name: str) -> NoteType | None:
        """Note type ``name`` as Anki has it now, or None when it does not exist."""
        if name not in self.list_notetypes():
            return None
        return self.pull(name).notetype

    def push(self, bundle: NoteTypeBundle, dry_run: bool = False) -> PushPlan:
        """Bring Anki's note type in line with ``bundle``; with ``dry_run`` only plan and diff."""
        from .ankiconnect_push import apply_plan, plan_push

        current = self.current(bundle.notetype.name)
        plan = plan_push(current, bundle.notetype)
        if dry_run or not plan.changed:
            return plan
        apply_plan(self, plan, bundle.notetype, current)
        return replace(plan, applied=True)
