"""A study group under load (a script, not a test).

200 simulated learners browse the catalog, open labs, press Check and answer questions for 60 s against
gunicorn (2 workers), first on SQLite, then on PostgreSQL when a server is reachable. Each learner waits
about two seconds between actions, as a person reading a result would. Prints p50 / p99 per endpoint and
the errors, then verifies that every Check and every answer the clients saw succeed is stored.
Targets: 0 errors, nothing lost, Check p99 <= 250 ms.

Run: .venv/bin/python bench/load_bench.py [--users 200] [--seconds 60] [--databases sqlite,postgres]
PostgreSQL: --postgres-url postgres://kmstrainer:kmstrainer@127.0.0.1:5432/postgres (a role with CREATEDB).

More than one server: --servers 2 starts two gunicorn servers on the same database and, when
Debian's nginx is installed, nginx in front of both (round-robin, X-Forwarded-For appended, the
servers trusting one proxy); --cache-url redis://127.0.0.1:6379/0 shares the cache through Redis
instead of the database. The audit then checks that every Check and answer is stored exactly once.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import shutil
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _server import free_port, gunicorn, serving  # noqa: E402

SETUP = r"""
import json, os, sys
import django
django.setup()
from bench._server import signed_in_sessions
from django.core.management import call_command
from scenarios.models import Scenario
from kmstrainer.engine import edit_target
from scenarios.drafts import Draft
call_command("migrate", verbosity=0)
call_command("createcachetable", verbosity=0)
call_command("loadscenarios", verbosity=0)
users = int(sys.argv[1])
sessions = signed_in_sessions("load", users)
labs = []
for s in Scenario.objects.published():
    solution = {"|".join(edit_target(e)): e for e in s.spec.get("solution") or []}
    draft = Draft.of(s, solution)  # the reference answer, as a learner would type it
    form = {e.id: draft.text(e) for e in draft.editors if e.kind.is_policy}
    if form:
        choose = int((s.questions or [{}])[0].get("choose", 1))
        labs.append({"slug": s.slug, "form": form, "questions": len(s.questions), "choose": choose})
print(json.dumps({"sessions": sessions, "labs": labs}))
"""

COUNT = r"""
import django, json
django.setup()
from scenarios.models import Attempt, Answer
print(json.dumps({"attempts": Attempt.objects.count(), "answers": Answer.objects.count()}))
"""


def django_script(code: str, env: dict, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


class Learner(threading.Thread):
    def __init__(self, port, session, labs, stop, think, seed, record):
        super().__init__(daemon=True)
        self.port, self.session, self.labs, self.stop_at, self.think = port, session, labs, stop, think
        self.rng = random.Random(seed)
        self.record = record
        self.csrf = secrets.token_hex(16)
        self.checks = self.answers = 0

    def request(self, conn, method, path, body=None, name=""):
        headers = {"Cookie": f"sessionid={self.session}; csrftoken={self.csrf}", "X-CSRFToken": self.csrf,
                   "Referer": f"http://127.0.0.1:{self.port}/"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["HX-Request"] = "true"
        start = time.perf_counter()
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        payload = response.read()
        self.record(name, time.perf_counter() - start, response.status)
        return response.status, payload

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        time.sleep(self.rng.uniform(0, self.think))
        while time.monotonic() < self.stop_at:
            lab = self.rng.choice(self.labs)
            roll = self.rng.random()
            try:
                if roll < 0.3:
                    self.request(conn, "GET", "/scenarios/", name="catalog")
                elif roll < 0.55:
                    self.request(conn, "GET", f"/scenarios/{lab['slug']}/", name="lab")
                elif roll < 0.85:
                    status, body = self.request(conn, "POST", f"/scenarios/{lab['slug']}/check/",
                                                urllib.parse.urlencode(lab["form"]).encode(), name="check")
                    self.checks += status == 200 and b"result-panel" in body
                elif lab["questions"]:
                    options = [str(i) for i in range(lab["choose"])]
                    status, body = self.request(conn, "POST", f"/scenarios/{lab['slug']}/questions/1/",
                                                urllib.parse.urlencode({"option": options}, doseq=True).encode(),
                                                name="answer")
                    self.answers += status == 200 and (b"Right." in body or b"Not quite." in body)
            except (OSError, http.client.HTTPException) as exc:
                self.record("error", 0.0, type(exc).__name__)
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            time.sleep(self.think * self.rng.uniform(0.5, 1.5))
        conn.close()


def run(name: str, database_url: str, args) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": secrets.token_hex(32), "DEBUG": "false",
           "ALLOWED_HOSTS": "127.0.0.1,localhost", "KMSTRAINER_PLAIN_STATIC": "1",
           "DJANGO_SETTINGS_MODULE": "kmstrainer.settings"}
    env.pop("KMSTRAINER_DEV", None)
    data = django_script(SETUP, env, str(args.users))
    timings: dict[str, list[float]] = {}
    errors: list[str] = []
    lock = threading.Lock()

    def record(endpoint, seconds, status):
        with lock:
            if status == 200:
                timings.setdefault(endpoint, []).append(seconds * 1000)
            else:
                errors.append(f"{endpoint}: {status}")

    if args.cache_url:
        env["CACHE_URL"] = args.cache_url
    with contextlib.ExitStack() as stack:
        nginx_path = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
        if args.servers > 1 and nginx_path:
            env["TRUSTED_PROXY_COUNT"] = "1"
        ports = [stack.enter_context(gunicorn(env, args.workers)) for _ in range(args.servers)]
        port = stack.enter_context(nginx(nginx_path, ports)) if args.servers > 1 and nginx_path else ports[0]
        front = f"nginx on :{port} -> " if args.servers > 1 and nginx_path else ""
        print(f"\n{front}{args.servers} gunicorn server(s) on {', '.join(map(str, ports))}"
              f"{', cache ' + args.cache_url if args.cache_url else ', database cache'}")
        stop = time.monotonic() + args.seconds
        learners = [Learner(port, s, data["labs"], stop, args.think, n, record) for n, s in enumerate(data["sessions"])]
        for t in learners:
            t.start()
        for t in learners:
            t.join()
    stored = django_script(COUNT, env)
    checks = sum(t.checks for t in learners)
    answers = sum(t.answers for t in learners)
    print(f"\n== {name}: {args.users} learners, {args.seconds:.0f} s, {args.servers} x gunicorn {args.workers} workers, "
          f"think time {args.think:g} s")
    print(f"{'endpoint':10} {'requests':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for endpoint in ("catalog", "lab", "check", "answer"):
        ms = sorted(timings.get(endpoint, []))
        if ms:
            print(f"{endpoint:10} {len(ms):8d} {statistics.median(ms):8.1f} {ms[max(0, int(len(ms) * .99) - 1)]:8.1f} "
                  f"{ms[-1]:8.1f}")
    print(f"errors: {len(errors)} {sorted(set(errors))[:5]}")
    print(f"stored: {stored['attempts']} attempts for {checks} successful checks, {stored['answers']} answers for "
          f"{answers} successful answers -> {'nothing lost' if stored['attempts'] == checks and stored['answers'] == answers else 'MISMATCH'}")


@contextlib.contextmanager
def nginx(binary: str, upstream_ports: list[int]):
    """nginx on a free loopback port in front of the servers, as in deploy/nginx.conf (without TLS)."""
    port = free_port()
    prefix = tempfile.mkdtemp(prefix="kms-nginx-")
    servers = "\n".join(f"        server 127.0.0.1:{p};" for p in upstream_ports)
    conf = os.path.join(prefix, "nginx.conf")
    with open(conf, "w") as fh:
        fh.write(f"""worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {prefix};
    proxy_temp_path {prefix};
    upstream kmstrainer {{
{servers}
        keepalive 64;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://kmstrainer;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        }}
    }}
}}
""")
    with serving([binary, "-p", prefix, "-c", conf, "-g", "daemon off;"], port):
        yield port


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--think", type=float, default=2.0)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--servers", type=int, default=1, help="gunicorn servers on the same database (nginx in front)")
    parser.add_argument("--cache-url", default="", help="e.g. redis://127.0.0.1:6379/0 (default: the database cache)")
    parser.add_argument("--postgres-url", default="postgres://kmstrainer:kmstrainer@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    if "sqlite" in args.databases:
        folder = tempfile.mkdtemp(prefix="kms-load-")
        run("SQLite (WAL)", f"sqlite:///{folder}/load.sqlite3", args)
    if "postgres" in args.databases:
        import psycopg

        db = f"kms_load_{secrets.token_hex(3)}"
        try:
            with psycopg.connect(args.postgres_url, autocommit=True) as conn:
                conn.execute(f"CREATE DATABASE {db}")
        except psycopg.Error as exc:
            print(f"\n== PostgreSQL skipped: {exc}")
            return
        url = args.postgres_url.rsplit("/", 1)[0] + "/" + db
        try:
            run("PostgreSQL", url, args)
        finally:
            with psycopg.connect(args.postgres_url, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")


if __name__ == "__main__":
    main()
