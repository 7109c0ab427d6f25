"""``ecociv serve`` in a child process on a free port of 127.0.0.1.

For the live tests (a real server in front of a browser, or in front of ``/healthz`` probes
while heavy work runs) and for the load benchmark: both talk only to the loopback address.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from ecociv.settings import Settings

START_TIMEOUT_S = 40.0
STOP_TIMEOUT_S = 15.0


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served(settings: Settings, workers: int = 1) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Start ``ecociv serve`` for *settings* with *workers* processes; yield its URL and
    process once ``/healthz`` answers, and stop it afterwards.  Its output goes to
    ``server.log`` in the data folder, whose tail is in the error when the server does not
    start."""
    port = free_port()
    env = {
        **os.environ,
        "ECOCIV_DATA_DIR": str(settings.data_dir),
        "ECOCIV_DATABASE_URL": settings.database_url,
        "ECOCIV_SECRET_KEY": settings.secret_key,
    }
    log_path = Path(settings.data_dir) / "server.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ecociv",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(workers),
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while not _healthy(url):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"ecociv serve did not start:\n{log_path.read_text()[-2000:]}"
                    )
                time.sleep(0.2)
            yield url, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False
