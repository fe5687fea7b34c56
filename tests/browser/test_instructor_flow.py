"""An instructor breaks a solution, sees the engine's error, fixes it, publishes; a learner sees it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from scenarios.models import Scenario

from .conftest import log_in

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SLUG = "lockout-key-policy-review"


def sign_in(page, live_server, username, password, admin=False):
    path = "/admin/login/?next=/admin/" if admin else "/accounts/login/"
    log_in(page, f"{live_server.url}{path}", username, password)


def editor_text(page, field_id):
    return page.locator(f"#{field_id}").input_value()


def set_editor(page, field_id, text):
    content = page.locator(f'[data-editor-for="{field_id}"] .cm-content')
    content.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    content.fill(text)


def test_an_instructor_fixes_a_broken_solution_publishes_and_a_learner_sees_it(browser, live_server, pack,
                                                                            django_user_model):
    instructor = django_user_model.objects.create_user("ines", password="Ines-pass-2026", is_staff=True)
    instructor.groups.add(Group.objects.get_or_create(name="Instructors")[0])
    django_user_model.objects.create_user("lee", password="Lee-pass-2026")
    obj = Scenario.objects.get(slug=SLUG)

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server, "ines", "Ines-pass-2026", admin=True)
    page.goto(f"{live_server.url}/admin/scenarios/scenario/{obj.pk}/change/")
    page.locator(".cm-editor").first.wait_for()

    solution = editor_text(page, "id_solution_yaml")
    set_editor(page, "id_solution_yaml", solution.replace("table: customers", "table: orders"))
    page.get_by_role("button", name="Save", exact=True).click()
    error = page.locator(".errorlist").filter(has_text="the solution fails check").first
    error.wait_for()
    assert "The customer API reads and writes customer records" in error.inner_text()

    set_editor(page, "id_solution_yaml", solution)
    page.get_by_label("Title").fill("Fix a key policy that locks everyone out")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("was changed successfully").wait_for()
    context.close()

    learner = browser.new_context()
    page = learner.new_page()
    sign_in(page, live_server, "lee", "Lee-pass-2026")
    page.wait_for_url("**/scenarios/")
    page.get_by_role("link", name="Fix a key policy that locks everyone out").wait_for()
    learner.close()
