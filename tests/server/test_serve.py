"""``atd serve`` for real: uvicorn on a free loopback port in a subprocess."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

SRC = Path(__file__).resolve().parents[2] / "src"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.mark.e2e
def test_atd_serve_answers_on_loopback(tmp_path: Path) -> None:
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    env.pop("ATD_DATABASE_URL", None)
    command = [sys.executable, "-m", "anki_template_designer.cli.main", "serve"]
    args = ["--no-browser", "--port", str(port), "--workspace", str(tmp_path / "ws")]
    server = subprocess.Popen(
        [*command, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    try:
        assert server.stdout is not None
        lines = [server.stdout.readline() for _ in range(2)]
        url = f"http://127.0.0.1:{port}/"
        assert f"Serving the designer at {url}" in lines[1], lines
        # The socket listens before the URL is printed, so the first request may connect now.
        response = httpx.get(f"{url}api/notetypes", timeout=30)
        assert response.status_code == 200 and response.json() == []
        created = httpx.post(
            f"{url}api/notetypes", json={"name": "Basic"}, headers={"Origin": url[:-1]}
        )
        assert created.status_code == 201
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    assert server.returncode in (0, -15)


def test_port_in_use_is_a_clear_error(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(SRC))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = [sys.executable, "-m", "anki_template_designer.cli.main", "serve"]
        args = ["--no-browser", "--port", str(port), "--workspace", str(tmp_path / "ws")]
        result = subprocess.run(
            [*command, *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
