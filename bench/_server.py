"""Shared by the load scripts: a free port and a gunicorn server started and awaited."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env: dict, workers: int, extra: list[str] | None = None):
    """Start `gunicorn kmstrainer.wsgi` on a free loopback port; yield the port once it accepts connections."""
    port = free_port()
    server = subprocess.Popen(
        [os.path.join(os.path.dirname(sys.executable), "gunicorn"), "kmstrainer.wsgi", "-w", str(workers),
         "-b", f"127.0.0.1:{port}", "--log-level", "warning", "--backlog", "512", *(extra or [])],
        cwd=ROOT, env=env,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=15)
