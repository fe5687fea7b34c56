"""Every learner page, in light and dark mode, passes axe-core with no serious or critical
violation, and fits a 390 px phone without sideways scrolling.

axe-core is vendored under frontend/vendor/axe-core (tests only; never served)."""

from __future__ import annotations

import os

import pytest

from .conftest import log_in

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AXE = os.path.join(ROOT, "frontend", "vendor", "axe-core", "axe.min.js")
LAB = "/scenarios/cross-account-log-investigations/"
GRANTS_LAB = "/scenarios/grant-basics-equals-or-subset/"

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def serious_violations(page) -> list[str]:
    page.add_script_tag(path=AXE)
    found = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.filter(v => ['serious', 'critical'].includes(v.impact))
            .map(v => v.id + ': ' + v.help + ' -> ' + v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ('
                + ((n.any[0] || {}).message || '').slice(0, 120) + ')').join(' | '));
    }""")
    return found


def wider_than_the_viewport(page) -> dict:
    """How far the page scrolls sideways, and the outermost elements that stick out."""
    return page.evaluate("""() => {
        const over = document.documentElement.scrollWidth - window.innerWidth;
        if (over <= 0) return {};
        const out = [...document.body.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= window.innerWidth + 1)
            .slice(0, 4).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '.' + [...e.classList].join('.'));
        return {over, out};
    }""")


def visit_every_page(page, base: str):
    """Yield (name, page) at each page of a learner's tour, the interactive states included."""
    for name, path in [("catalog", "/scenarios/"), ("lab", LAB), ("grants lab", GRANTS_LAB),
                       ("question", LAB + "questions/1/"), ("progress", "/progress/"), ("review", "/review/"),
                       ("exams", "/exams/"), ("groups", "/groups/"), ("playground", "/playground/")]:
        page.goto(base + path)
        yield name, page
        if name == "lab":
            page.get_by_role("button", name="Check").click()
            page.locator("#result-panel").get_by_text("Fail").first.wait_for()
            yield "lab after Check", page
            for _ in range(2):  # three failed Checks open the solution, shown against the last one
                with page.expect_response(lambda r: r.url.endswith("/check/")):
                    page.get_by_role("button", name="Check").click()
            page.goto(base + LAB + "solution/")
            page.get_by_text("Differs from your last Check").first.wait_for()
            yield "solution beside the last Check", page
        if name == "playground":
            page.get_by_role("button", name="Evaluate").click()
            page.locator("#playground-result").get_by_text("Every statement and grant").first.wait_for()
            yield "playground after Evaluate", page
    page.goto(base + "/exams/")
    page.get_by_role("button", name="Start the exam").click()
    page.wait_for_url("**/exams/*/")
    yield "exam", page


@pytest.fixture
def learner_page(browser, live_server, django_user_model, pack, request):
    scheme, width = request.param
    django_user_model.objects.create_user("ada", password="Ada-pass-2026")
    # bypass_csp lets the test inject axe-core; the site's CSP is tested on its own (test_deployment)
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, f"{live_server.url}/accounts/login/", "ada", "Ada-pass-2026")
    page.wait_for_url("**/scenarios/")
    yield page
    context.close()


@pytest.mark.parametrize("learner_page", [("light", 1366), ("dark", 1366)], indirect=True,
                         ids=["light", "dark"])
def test_axe_finds_no_serious_or_critical_violation_on_any_page(learner_page, live_server):
    problems = {}
    for name, page in visit_every_page(learner_page, live_server.url):
        found = serious_violations(page)
        if found:
            problems[name] = found
    assert problems == {}


@pytest.mark.parametrize("learner_page", [("light", 390)], indirect=True, ids=["phone"])
def test_no_page_is_wider_than_a_390_px_phone(learner_page, live_server):
    too_wide = {name: overflow for name, page in visit_every_page(learner_page, live_server.url)
                if (overflow := wider_than_the_viewport(page))}
    assert too_wide == {}
