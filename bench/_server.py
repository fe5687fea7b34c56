"""Shared by the load scripts: a free port, a gunicorn server started and awaited, signed-in learners."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tests.servers import free_port  # noqa: E402  (re-exported for the load scripts)


def wait_for_port(port: int, tries: int = 100) -> None:
    """Wait until something accepts connections on the loopback port (about 10 s at most)."""
    for _ in range(tries):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)


@contextlib.contextmanager
def gunicorn(env: dict, workers: int, extra: list[str] | None = None):
    """Start `gunicorn kmstrainer.wsgi` on a free loopback port; yield the port once it accepts connections."""
    port = free_port()
    command = [os.path.join(os.path.dirname(sys.executable), "gunicorn"), "kmstrainer.wsgi", "-w", str(workers),
               "-b", f"127.0.0.1:{port}", "--log-level", "warning", "--backlog", "512", *(extra or [])]
    with serving(command, port, cwd=ROOT, env=env):
        yield port


@contextlib.contextmanager
def serving(command: list[str], port: int, **popen):
    """Run a server process until the block ends, once it accepts connections on `port`."""
    server = subprocess.Popen(command, **popen)
    try:
        wait_for_port(port)
        yield
    finally:
        server.terminate()
        server.wait(timeout=15)


def signed_in_sessions(prefix: str, count: int) -> list[str]:
    """Create `count` learners and a database session for each; returns the session keys (Django set up)."""
    import secrets

    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    User = get_user_model()
    sessions = []
    for n in range(count):
        user = User.objects.create_user(f"{prefix}{n}", password=secrets.token_hex(8))
        store = SessionStore()
        store["_auth_user_id"] = str(user.pk)
        store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        store["_auth_user_hash"] = user.get_session_auth_hash()
        store.create()
        sessions.append(store.session_key)
    return sessions
