"""Browser tests: Playwright driving Debian's Chromium against Django's live server.

Without /usr/bin/chromium they are skipped locally and fail in CI (CI=true)."""

from __future__ import annotations

import os

import pytest

CHROMIUM = os.environ.get("KMSTRAINER_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage"]
ARTIFACTS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                         "test-artifacts")

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


@pytest.fixture
def pack(db):
    """The shipped scenario pack, loaded."""
    from django.core.management import call_command

    call_command("loadscenarios", verbosity=0)


def log_in(page, url: str, username: str, password: str) -> None:
    """Sign in through the site's log-in page (the admin's log-in sends people there too)."""
    page.goto(url)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=False).first.fill(password)
    page.get_by_role("button", name="Sign In").click()


@pytest.fixture
def logged_in(page, live_server, django_user_model, pack):
    django_user_model.objects.create_user("maya", password="Maya-pass-2026")
    log_in(page, f"{live_server.url}/accounts/login/", "maya", "Maya-pass-2026")
    page.wait_for_url("**/scenarios/")
    return page
