"""Take the README's screenshots from a real server: the lab after a Check, the results of a practice
exam, and the progress page.

    .venv/bin/python -m docs.screenshots          # writes docs/screenshots/*.png

It sets up a throw-away SQLite database (migrate, the scenario pack, the demo logins), starts
`manage.py runserver` on a free port, and drives Debian's Chromium with Playwright as the demo learner.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.servers import free_port, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
LAB = "Let the security team read another account's CloudTrail logs"


def manage(*args: str, env: dict) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def set_editor(page, editor_id: str, document: dict) -> None:
    content = page.locator(f'[data-editor-for="{editor_id}"] .cm-content')
    content.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    content.fill(json.dumps(document, indent=2))


def lab_after_check(page, base: str) -> None:
    """A first Check that misses the IAM side (the screenshot), then the answer that solves the lab."""
    page.goto(f"{base}/scenarios/")
    page.get_by_role("link", name=LAB).click()
    policy = json.loads(page.locator("#editor-0").input_value())
    policy["Statement"].append({
        "Sid": "InvestigatorDecrypts", "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::345678901234:role/Investigator"}, "Action": "kms:Decrypt", "Resource": "*",
        "Condition": {"StringEquals": {
            "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:eu-west-1:210987654321:trail/org-trail"}}})
    set_editor(page, "editor-0", policy)
    page.get_by_role("button", name="Check").click()
    page.locator("#result-panel").get_by_text("Fail").first.wait_for()
    page.wait_for_timeout(400)  # the scroll into view
    page.screenshot(path=OUT / "lab-after-check.png", full_page=True)
    set_editor(page, "editor-1", {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "kms:Decrypt",
        "Resource": "arn:aws:kms:eu-west-1:210987654321:key/8b3f1c52-7d4e-4a9b-b0c1-2e5f6a7d8c9e"}]})
    page.get_by_role("button", name="Check").click()
    page.get_by_text("Solved: every check passes").wait_for()


def answer_keys(database: str) -> list[list[int]]:
    """The correct options of each question of the learner's running exam (read from the database,
    as an instructor's script would; the page never shows them before the end)."""
    with sqlite3.connect(database) as db:
        (items,) = db.execute("SELECT items FROM scenarios_examsession ORDER BY started_at DESC LIMIT 1").fetchone()
        keys = []
        for scenario_id, question in json.loads(items):
            (stored,) = db.execute("SELECT question_keys FROM scenarios_scenario WHERE id = ?", (scenario_id,)).fetchone()
            keys.append(json.loads(stored)[question])
    return keys


def exam_results(page, base: str, database: str, wrong: int, shot: str | None) -> None:
    """An exam with the first `wrong` answers wrong and the rest right: the results with their whys."""
    page.goto(f"{base}/exams/")
    page.get_by_label("Questions").fill("5")
    page.get_by_role("button", name="Start the exam").click()
    page.wait_for_url("**/exams/*/")
    for i, key in enumerate(answer_keys(database)):
        options = page.locator(f"#q-{i} .form-check-input[name=q{i}]")
        chosen = key if i >= wrong else [next(n for n in range(options.count()) if n not in key)]
        for option in chosen:
            page.locator(f"#q{i}-{option}").check()
        page.locator(f"#saved-{i}").get_by_text("Answer saved").wait_for()
    page.get_by_role("button", name="Review before submitting").click()
    page.get_by_role("button", name="Submit the exam").click()
    page.get_by_text("Your score").wait_for()
    if shot:
        page.screenshot(path=OUT / shot)


def progress(page, base: str) -> None:
    page.goto(f"{base}/progress/")
    page.screenshot(path=OUT / "progress.png")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/screenshots.sqlite3", "KMSTRAINER_DEV": "1",
               "DEBUG": "true"}
        manage("migrate", "--no-input", env=env)
        manage("createcachetable", env=env)
        manage("loadscenarios", env=env)
        manage("demousers", env=env)
        port = free_port()
        server = subprocess.Popen([sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                                  cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(f"{base}/accounts/login/")
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM)
                page = browser.new_page(viewport={"width": 1366, "height": 900})
                page.set_default_timeout(20_000)
                page.goto(f"{base}/accounts/login/")
                page.get_by_label("Username").fill("learner")
                page.get_by_label("Password").fill("learn-kms-2026")
                page.get_by_role("main").get_by_role("button", name="Sign In").click()
                page.wait_for_url("**/scenarios/")
                lab_after_check(page, base)
                exam_results(page, base, f"{tmp}/screenshots.sqlite3", wrong=2, shot=None)
                exam_results(page, base, f"{tmp}/screenshots.sqlite3", wrong=1, shot="exam-results.png")
                progress(page, base)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    for name in sorted(OUT.glob("*.png")):
        print(f"wrote {name.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
