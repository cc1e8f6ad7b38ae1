"""A local AnkiConnect stand-in: the add-on's model actions over HTTP, on a real anki Collection.

Written from AnkiConnect's documented behaviour (protocol version 6): POST a JSON
``{action, version, params, key}``, get ``{result, error}``; a wrong key gives the
error ``valid api key must be provided``, an unknown action ``unsupported action``.
Requests are handled one at a time in a server thread, as Anki's main loop does.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

from anki.collection import Collection


class AnkiConnectServer:
    """Serve AnkiConnect's model actions for ``col`` on 127.0.0.1 at a random port."""

    def __init__(
        self,
        col: Collection,
        *,
        version: int = 6,
        key: str | None = None,
        find_models: bool = True,
        failures: dict[str, str] | None = None,
    ) -> None:
        self.col = col
        self.version = version
        self.key = key
        self.failures = failures or {}
        self.lock = threading.Lock()
        self.calls: list[str] = []
        self.actions: dict[str, Callable[..., Any]] = {
            "version": lambda: self.version,
            "modelNames": lambda: [e.name for e in col.models.all_names_and_ids()],
            "modelNamesAndIds": lambda: {e.name: e.id for e in col.models.all_names_and_ids()},
            "modelFieldNames": lambda modelName: [
                f["name"] for f in self._model(modelName)["flds"]
            ],
            "modelTemplates": lambda modelName: {
                t["name"]: {"Front": t["qfmt"], "Back": t["afmt"]}
                for t in self._model(modelName)["tmpls"]
            },
            "modelStyling": lambda modelName: {"css": self._model(modelName)["css"]},
            "createModel": self._create_model,
            "updateModelTemplates": self._update_templates,
            "updateModelStyling": self._update_styling,
            "modelTemplateAdd": self._add_template,
            "modelFieldAdd": self._add_field,
            "modelTemplateRemove": self._remove_template,
            "modelFieldRemove": self._remove_field,
            "multi": lambda actions: [self.handle(a) for a in actions],
        }
        if find_models:
            self.actions["findModelsByName"] = lambda modelNames: [
                self._model(n) for n in modelNames
            ]
            self.actions["findModelsById"] = lambda modelIds: [self._by_id(i) for i in modelIds]
        self._server = HTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The server's address."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> AnkiConnectServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        """Answer one request as AnkiConnect does."""
        action = request.get("action", "")
        self.calls.append(action)
        try:
            if request.get("key") != self.key:
                raise RuntimeError("valid api key must be provided")
            if action in self.failures:
                raise RuntimeError(self.failures[action])
            method = self.actions.get(action)
            if method is None:
                raise RuntimeError("unsupported action")
            with self.lock:
                return {"result": method(**request.get("params", {})), "error": None}
        except Exception as exc:  # AnkiConnect turns every exception into an error reply
            return {"result": None, "error": str(exc)}

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                reply = server.handle(json.loads(self.rfile.read(length)))
                body = json.dumps(reply).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        return Handler

    def _model(self, name: str) -> dict[str, Any]:
        model = self.col.models.by_name(name)
        if model is None:
            raise RuntimeError(f"model was not found: {name}")
        return dict(model)

    def _by_id(self, model_id: int) -> dict[str, Any]:
        model = self.col.models.get(model_id)  # type: ignore[arg-type]
        if model is None:
            raise RuntimeError(f"model was not found: {model_id}")
        return dict(model)

    def _create_model(
        self,
        modelName: str,
        inOrderFields: list[str],
        cardTemplates: list[dict[str, str]],
        css: str | None = None,
        isCloze: bool = False,
    ) -> dict[str, Any]:
        mm = self.col.models
        if mm.by_name(modelName) is not None:
            raise RuntimeError("Model name already exists")
        model = mm.new(modelName)
        model["type"] = 1 if isCloze else 0
        for name in inOrderFields:
            mm.add_field(model, mm.new_field(name))
        if css is not None:
            model["css"] = css
        for number, card in enumerate(cardTemplates, start=1):
            template = mm.new_template(card.get("Name", f"Card {number}"))
            template["qfmt"], template["afmt"] = card["Front"], card["Back"]
            mm.add_template(model, template)
        mm.add(model)
        return self._model(modelName)

    def _update_templates(self, model: dict[str, Any]) -> None:
        stored = self._model(model["name"])
        for template in stored["tmpls"]:
            wanted = model["templates"].get(template["name"])
            if wanted:
                # AnkiConnect skips empty sides rather than clearing them.
                if wanted.get("Front"):
                    template["qfmt"] = wanted["Front"]
                if wanted.get("Back"):
                    template["afmt"] = wanted["Back"]
        self.col.models.update_dict(stored)  # type: ignore[arg-type]

    def _update_styling(self, model: dict[str, Any]) -> None:
        stored = self._model(model["name"])
        stored["css"] = model["css"]
        self.col.models.update_dict(stored)  # type: ignore[arg-type]

    def _add_template(self, modelName: str, template: dict[str, str]) -> None:
        mm = self.col.models
        stored = self._model(modelName)
        new = mm.new_template(template["Name"])
        new["qfmt"], new["afmt"] = template["Front"], template["Back"]
        mm.add_template(stored, new)  # type: ignore[arg-type]
        mm.update_dict(stored)  # type: ignore[arg-type]

    def _add_field(self, modelName: str, fieldName: str) -> None:
        mm = self.col.models
        stored = self._model(modelName)
        mm.add_field(stored, mm.new_field(fieldName))  # type: ignore[arg-type]
        mm.update_dict(stored)  # type: ignore[arg-type]

    def _remove_template(self, modelName: str, templateName: str) -> None:
        mm = self.col.models
        stored = self._model(modelName)
        template = next((t for t in stored["tmpls"] if t["name"] == templateName), None)
        if template is None:
            raise RuntimeError(f"template was not found: {templateName}")
        mm.remove_template(stored, template)  # type: ignore[arg-type]
        mm.update_dict(stored)  # type: ignore[arg-type]

    def _remove_field(self, modelName: str, fieldName: str) -> None:
        mm = self.col.models
        stored = self._model(modelName)
        field = next((f for f in stored["flds"] if f["name"] == fieldName), None)
        if field is None:
            raise RuntimeError(f"field was not found: {fieldName}")
        mm.remove_field(stored, field)  # type: ignore[arg-type]
        mm.update_dict(stored)  # type: ignore[arg-type]
