"""Check round trip under load (a script, not a test).

Starts gunicorn (2 workers) on a fresh SQLite database, loads a generated 20-check scenario, and has
50 concurrent learners press Check (htmx POST) repeatedly, each reading the result for about two
seconds before the next Check (`--think 0` measures the saturated server instead). Prints p50 / p99 / max milliseconds, the
error count, and verifies afterwards that every Check the clients saw succeed is stored as an Attempt.
Targets: p50 <= 30 ms, p99 <= 100 ms, 0 errors.

Run: .venv/bin/python bench/grade_bench.py [--users 50] [--seconds 20]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _server import gunicorn, signed_in_sessions  # noqa: E402

ACCOUNT, OTHER = "111122223333", "444455556666"
KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e"
SLUG = "bench-twenty-checks"


def scenario_yaml() -> str:
    """A cross-account scenario with 20 checks (4 hidden)."""
    trust = {"Sid": "EnableIAMPolicies", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
             "Action": "kms:*", "Resource": "*"}
    solution = {"Version": "2012-10-17", "Statement": [trust, {
        "Sid": "Readers", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{OTHER}:role/Reader"},
        "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*",
        "Condition": {"StringEquals": {"kms:EncryptionContext:team": "finance"}}}]}
    checks = []
    for i in range(20):
        who = f"arn:aws:sts::{OTHER}:assumed-role/Reader/s{i}" if i % 4 else f"arn:aws:iam::{OTHER}:role/Intern"
        team = "finance" if i % 3 else "hr"
        ok = (i % 4 != 0) and team == "finance"
        checks.append({"name": f"Check {i + 1}: {'reader' if i % 4 else 'intern'} decrypts {team} data",
                       "hidden": i >= 16,
                       "request": {"principal": who, "action": "kms:Decrypt", "key": KEY,
                                   "encryption_context": {"team": team}},
                       "expect": "allow" if ok else "deny"})
    data = {
        "id": SLUG, "title": "Benchmark: twenty checks", "tip": "cross-account", "difficulty": 2,
        "story": "Benchmark scenario.", "task": "Let the Reader role decrypt finance data.", "explanation": "-",
        "world": {
            "principals": [
                {"arn": f"arn:aws:iam::{OTHER}:role/Reader", "policies": [{"name": "Read", "document": {
                    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt",
                                                            "Resource": KEY}]}}]},
                {"arn": f"arn:aws:iam::{OTHER}:role/Intern", "policies": [{"name": "All", "document": {
                    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:*", "Resource": "*"}]}}]},
            ],
            "keys": [{"arn": KEY, "aliases": ["alias/bench"], "policy": {"Version": "2012-10-17", "Statement": [trust]}}],
        },
        "editable": [{"kind": "key_policy", "key": "alias/bench"}],
        "solution": [{"kind": "key_policy", "key": "alias/bench", "policy": solution}],
        "checks": checks,
    }
    return json.dumps(data), json.dumps(solution, indent=2)


def setup(env: dict, users: int, folder: str) -> list[str]:
    """Migrate, load the scenario, create users and their sessions; returns session keys."""
    import django

    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "kmstrainer.settings"
    django.setup()
    from django.core.management import call_command

    from scenarios.loader import load_scenarios

    call_command("migrate", verbosity=0)
    text, _ = scenario_yaml()
    path = os.path.join(folder, "bench.yaml")
    with open(path, "w") as fh:
        fh.write(text)
    load_scenarios([path])
    return signed_in_sessions("bench", users)


def learner(port: int, session: str, body: bytes, stop: float, out: list, errors: list, ok: list,
            think: float = 0.0, seed: int = 0) -> None:
    """One learner: press Check, read the result for `think` seconds (+/- 50 %), repeat."""
    import random

    rng = random.Random(seed)
    csrf = secrets.token_hex(16)
    headers = {"Cookie": f"sessionid={session}; csrftoken={csrf}", "X-CSRFToken": csrf, "HX-Request": "true",
               "Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{port}/"}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    if think:
        time.sleep(rng.uniform(0, think))  # learners arrive at different moments, not all at once
    while time.monotonic() < stop:
        start = time.perf_counter()
        try:
            conn.request("POST", f"/scenarios/{SLUG}/check/", body=body, headers=headers)
            response = conn.getresponse()
            payload = response.read()
            elapsed = time.perf_counter() - start
            if response.status == 200 and b"Solved" in payload:
                out.append(elapsed)
                ok.append(1)
            else:
                errors.append(f"HTTP {response.status}")
        except (OSError, http.client.HTTPException) as exc:
            errors.append(type(exc).__name__)
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        if think:
            time.sleep(think * rng.uniform(0.5, 1.5))
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--think", type=float, default=2.0,
                        help="seconds a learner reads the result before pressing Check again (0: no pause)")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="kms-grade-bench-")
    env = {"DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3", "SECRET_KEY": secrets.token_hex(32),
           "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1,localhost", "KMSTRAINER_PLAIN_STATIC": "1"}
    sessions = setup(env, args.users, folder)
    access_log = os.environ.get("GRADE_BENCH_ACCESS_LOG")
    extra = ["--access-logfile", access_log, "--access-logformat", "%(D)s"] if access_log else []
    with gunicorn({**os.environ, **env}, args.workers, extra) as port:
        _, solution = scenario_yaml()
        body = urllib.parse.urlencode({"editor-0": solution}).encode()
        # warm up each worker
        warm: list = []
        learner(port, sessions[0], body, time.monotonic() + 1.0, warm, [], [])
        timings: list[float] = []
        errors: list[str] = []
        ok: list[int] = []
        stop = time.monotonic() + args.seconds
        threads = [threading.Thread(target=learner, args=(port, s, body, stop, timings, errors, ok, args.think, n))
                   for n, s in enumerate(sessions)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started

    from scenarios.models import Attempt

    stored = Attempt.objects.filter(scenario__slug=SLUG, passed=True).count() - len(warm)
    ms = sorted(t * 1000 for t in timings)
    print(f"Check round trip: {args.users} concurrent learners, gunicorn {args.workers} workers, SQLite (WAL), "
          f"20-check scenario, {args.seconds:.0f} s, think time {args.think:g} s (+/- 50 %)")
    print(f"checks completed:  {len(ms)} ({len(ms) / wall:.0f}/s)")
    if ms:
        print(f"p50 ms:            {statistics.median(ms):.1f}")
        print(f"p99 ms:            {ms[int(len(ms) * 0.99) - 1]:.1f}")
        print(f"max ms:            {ms[-1]:.1f}")
    print(f"errors:            {len(errors)} {sorted(set(errors))[:5]}")
    print(f"attempts stored:   {stored} of {len(ok)} successful checks ({'all stored' if stored == len(ok) else 'MISMATCH'})")


if __name__ == "__main__":
    main()
