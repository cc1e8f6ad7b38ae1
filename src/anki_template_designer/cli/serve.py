"""``atd serve``: open a workspace and serve the designer on this machine."""

from __future__ import annotations

import socket
import threading
import webbrowser
from pathlib import Path
from typing import Annotated

import typer

SERVE_HELP = "Serve the designer (a JSON API and the web UI) and open it in the browser."


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket, so that port 0 gets a free port and the URL printed is the real one."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        typer.echo(
            f"atd: cannot listen on {host}:{port} ({error.strerror}); "
            "pick another --port, or 0 for any free port",
            err=True,
        )
        raise typer.Exit(1) from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def serve(
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            "-w",
            help="Workspace folder; default: the user data folder (env ATD_WORKSPACE).",
            file_okay=False,
            show_default=False,
        ),
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="A database URL instead of a folder, e.g. postgresql+psycopg://… "
            "(env ATD_DATABASE_URL).",
            show_default=False,
        ),
    ] = None,
    host: Annotated[
        str | None,
        typer.Option("--host", help="Address to listen on (env ATD_HOST; default 127.0.0.1)."),
    ] = None,
    port: Annotated[
        int | None,
        typer.Option("--port", "-p", help="Port; 0 picks a free one (env ATD_PORT; default 8730)."),
    ] = None,
    max_upload: Annotated[
        int | None,
        typer.Option(
            "--max-upload",
            help="Largest upload in bytes (env ATD_MAX_UPLOAD_BYTES; default 200 MB).",
            show_default=False,
        ),
    ] = None,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Do not open the browser.")
    ] = False,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Keep no caches: every preview and lint recomputes (env ATD_CACHE=off).",
        ),
    ] = False,
    cache_mb: Annotated[
        float | None,
        typer.Option(
            "--cache-mb",
            help="Megabytes the in-memory caches may hold together (env ATD_CACHE_MB; default 56).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Serve the designer on this machine and print its URL."""
    import dataclasses

    import uvicorn

    from ..server import SettingsError, create_app, load_settings
    from ..services.workspace_transfer import WorkspaceUnavailable, open_workspace

    try:
        settings = load_settings(
            workspace=workspace,
            database_url=database_url,
            host=host,
            port=port,
            max_upload_bytes=max_upload,
            cache_enabled=False if no_cache else None,
            cache_mb=cache_mb,
        )
    except SettingsError as error:
        typer.echo(f"atd: {error}", err=True)
        raise typer.Exit(2) from None
    try:
        opened = open_workspace(settings.workspace_location)
    except WorkspaceUnavailable as error:
        typer.echo(f"atd: {error}", err=True)
        raise typer.Exit(1) from None
    with opened:
        sock = _listen(settings.host, settings.port)
        settings = dataclasses.replace(settings, port=sock.getsockname()[1])
        app = create_app(opened, settings)
        config = uvicorn.Config(app, log_level="warning", access_log=False)
        server = uvicorn.Server(config)
        typer.echo(f"Workspace: {opened.url}")
        typer.echo(f"Serving the designer at {settings.url}  (Ctrl+C to stop)")
        if not no_browser:
            # Open once the server is accepting; the socket already listens, so a short delay
            # is only to let the event loop start.
            threading.Timer(0.5, webbrowser.open, args=(settings.url,)).start()
        server.run(sockets=[sock])


def register(app: typer.Typer) -> None:
    """Add ``atd serve`` to the command line."""
    app.command("serve", help=SERVE_HELP)(serve)
