"""An instructor creates a group, a learner joins with the code and solves an assigned scenario, and the
instructor's dashboard shows it."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group

from .conftest import log_in

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sign_in(page, live_server, username, password):
    log_in(page, f"{live_server.url}/accounts/login/", username, password)
    page.wait_for_url("**/scenarios/")


def instructor_creates_a_group(context, live_server, django_user_model, username: str, group: str):
    """An instructor signs in and creates `group`; the page is left on the group's page."""
    password = f"{username.title()}-pass-2026"
    teacher = django_user_model.objects.create_user(username, password=password, is_staff=True)
    teacher.groups.add(Group.objects.get_or_create(name="Instructors")[0])
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server, username, password)
    page.get_by_role("link", name="Groups").click()
    page.get_by_label("Group name").fill(group)
    page.get_by_role("button", name="Create group").click()
    return page


def test_a_group_from_invite_code_to_dashboard(browser, live_server, pack, django_user_model):
    django_user_model.objects.create_user("leo", password="Leo-pass-2026")
    instructor = browser.new_context()
    page = instructor_creates_a_group(instructor, live_server, django_user_model, "tara", "Friday cohort")
    code = page.locator("code.fs-5").inner_text()
    page.get_by_label("Title").fill("Week 1: the root statement")
    page.get_by_label("Solve: A key policy without account trust that still cannot lock you out").check()
    page.get_by_role("button", name="Create assignment").click()
    page.get_by_text("Week 1: the root statement").wait_for()
    group_url = page.url

    learner = browser.new_context(viewport={"width": 1366, "height": 900})
    lpage = learner.new_page()
    lpage.set_default_timeout(15_000)
    sign_in(lpage, live_server, "leo", "Leo-pass-2026")
    lpage.get_by_role("link", name="Groups").click()
    lpage.get_by_label("Invite code").fill(code)
    lpage.get_by_role("button", name="Join").click()
    lpage.get_by_role("link", name="A key policy without account trust that still cannot lock you out").click()
    policy = {"Version": "2012-10-17", "Statement": [
        {"Sid": "TokenKeyAdmins", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::707070707070:role/TokenKeyAdmins"},
         "Action": ["kms:Describe*", "kms:Enable*", "kms:Disable*", "kms:Get*", "kms:List*", "kms:Put*"],
         "Resource": "*"},
        {"Sid": "Tokenizer", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::707070707070:role/TokenizerApp"},
         "Action": ["kms:Encrypt", "kms:Decrypt"], "Resource": "*"}]}
    content = lpage.locator('[data-editor-for="editor-0"] .cm-content')
    content.click()
    lpage.keyboard.press("Control+A")
    lpage.keyboard.press("Delete")
    content.fill(json.dumps(policy, indent=2))
    lpage.get_by_role("button", name="Check").click()
    lpage.get_by_text("Solved: every check passes").wait_for()
    learner.close()

    page.goto(group_url)
    page.get_by_role("link", name="Dashboard").click()
    row = page.locator("tr", has_text="leo")
    assert "solved" in row.inner_text()
    assert "100 %" in page.locator("svg").inner_html()
    instructor.close()


def test_an_invite_link_survives_sign_up_and_names_the_group(browser, live_server, django_user_model):
    from studygroups.models import StudyGroup

    group = StudyGroup.objects.create(name="Tuesday cohort")
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/groups/join/{group.code.lower()}/")
    page.wait_for_url("**/accounts/login/**")
    page.get_by_role("main").get_by_role("link", name="sign up").click()
    page.wait_for_url("**/accounts/signup/?next=*")
    page.get_by_label("Username").fill("nia")
    page.locator("#id_password1").fill("Nia-pass-2026-long")
    page.locator("#id_password2").fill("Nia-pass-2026-long")
    page.get_by_role("button", name="Sign Up").click()
    page.get_by_role("heading", name="Join Tuesday cohort").wait_for()
    page.get_by_role("button", name="Join").click()
    page.get_by_text("You joined Tuesday cohort.").wait_for()
    assert group.memberships.filter(user__username="nia").exists()
    context.close()


def test_the_assignment_picker_filters_keeps_the_ticked_order_and_the_invite_link_copies(
        browser, live_server, pack, django_user_model):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = instructor_creates_a_group(context, live_server, django_user_model, "tess", "Monday cohort")

    page.get_by_role("button", name="Copy link").click()
    page.get_by_text("Copied.").wait_for()
    invite = page.locator("#invite-url").inner_text()
    assert page.evaluate("navigator.clipboard.readText()") == invite

    picker = page.get_by_role("group", name="Scenarios and questions")
    picker.get_by_label("Filter the scenarios and questions").fill("lockout")
    visible = picker.locator("[data-picker-option]:visible")
    assert 0 < visible.count() < picker.locator("[data-picker-option]").count()
    shown = visible.evaluate_all(
        "options => options.map(o => o.closest('fieldset').querySelector('legend').textContent + ' ' + o.textContent)")
    assert all("lockout" in text.lower() for text in shown)
    later, first = visible.nth(1), visible.nth(0)
    later_name, first_name = later.inner_text().strip(), first.inner_text().strip()
    later.get_by_role("checkbox").check()
    first.get_by_role("checkbox").check()
    chosen = picker.get_by_role("list", name="Chosen, in order")
    assert chosen.get_by_role("listitem").all_inner_texts() == [later_name, first_name]

    page.get_by_label("Title").fill("Week 1")
    page.get_by_role("button", name="Create assignment").click()
    page.get_by_text("Assignment created.").wait_for()
    links = page.locator("section.card", has_text="Week 1").get_by_role("link").all_inner_texts()
    assert links == [item_label(later_name), item_label(first_name)]
    context.close()


def item_label(option: str) -> str:
    """The assignment's name for a picker option: "Solve: T" is T, "Answer: T, question 2" is T · question 2."""
    kind, _, rest = option.partition(": ")
    if kind == "Solve":
        return rest
    title, _, number = rest.rpartition(", question ")
    return f"{title} · question {number}"
