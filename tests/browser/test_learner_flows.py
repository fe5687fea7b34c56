"""A learner in a real browser: the editor, grants, Check, questions, playground, keyboard only."""

from __future__ import annotations

import json
import os

import pytest

from .conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

KEY_ARN = "arn:aws:kms:us-east-1:555566667777:key/3c9e7a15-0b2d-4f6e-8a41-95d7c3b2e1f0"


def set_editor(page, editor_id: str, text: str) -> None:
    """Type into the CodeMirror editor that replaced the textarea (select all, then type)."""
    content = page.locator(f'[data-editor-for="{editor_id}"] .cm-content')
    content.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    content.fill(text)


def tab_until(page, focused_test: str, presses: int, what: str) -> None:
    """Press Tab until the focused element passes `focused_test` (a JS expression); fail after `presses`."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement && ({focused_test})"):
            return
    pytest.fail(f"{what} cannot be reached with Tab")


def test_sign_in_edit_the_key_policy_check_and_solve(logged_in, live_server):
    page = logged_in
    page.get_by_role("link", name="Let the security team read another account's CloudTrail logs").click()
    page.locator(".cm-editor").nth(1).wait_for()  # the editors start once the page has loaded
    assert page.locator(".cm-editor").count() == 2  # CodeMirror replaced both textareas
    page.get_by_role("button", name="Check").click()
    result = page.locator("#result-panel")
    result.get_by_text("Fail").first.wait_for()
    assert "hidden checks pass" in result.inner_text()

    key_policy = page.locator("#editor-0").input_value()
    policy = json.loads(key_policy)
    policy["Statement"].append({
        "Sid": "InvestigatorDecryptsTrailLogs", "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::345678901234:role/Investigator"}, "Action": "kms:Decrypt",
        "Resource": "*", "Condition": {"StringEquals": {
            "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:eu-west-1:210987654321:trail/org-trail"}}})
    set_editor(page, "editor-0", json.dumps(policy, indent=2))
    set_editor(page, "editor-1", json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "kms:Decrypt",
        "Resource": "arn:aws:kms:eu-west-1:210987654321:key/8b3f1c52-7d4e-4a9b-b0c1-2e5f6a7d8c9e"}]}))
    page.get_by_role("button", name="Check").click()
    page.get_by_text("Solved: every check passes").wait_for()
    assert "BuildAgent, whose IAM policy allows kms:* everywhere" in result.inner_text()
    # the deciding statement can be highlighted in the editor
    result.get_by_role("button", name="Show in editor").first.click()
    page.locator(".cm-deciding").first.wait_for()
    os.makedirs(ARTIFACTS, exist_ok=True)
    page.screenshot(path=os.path.join(ARTIFACTS, "lab.png"), full_page=True)


def test_lint_findings_appear_while_typing(logged_in):
    page = logged_in
    page.goto(page.url.replace("/scenarios/", "/scenarios/condition-keys-via-s3-only/"))
    set_editor(page, "editor-0", json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*"}]}, indent=2))
    page.locator("#findings-editor-0").get_by_text("wildcard-principal-without-condition").wait_for()
    page.locator(".cm-lint-marker, .cm-lintRange").first.wait_for()


def test_the_editor_completes_kms_actions_and_condition_keys(logged_in):
    page = logged_in
    page.goto(page.url.replace("/scenarios/", "/scenarios/condition-keys-via-s3-only/"))
    set_editor(page, "editor-0", '{"Action": ["')
    page.keyboard.type("kms:ReEnc")
    menu = page.locator(".cm-tooltip-autocomplete")
    menu.get_by_text("kms:ReEncrypt*").wait_for()  # the wildcard group is offered too
    menu.get_by_role("option", name="kms:ReEncryptFrom").click()
    page.keyboard.type('"], "Condition": {"StringEquals": {"kms:Via')
    # picked with the mouse: CodeMirror ignores Enter for a moment after the list opens (interactionDelay)
    menu.get_by_role("option", name="kms:ViaService").click()
    text = page.locator("#editor-0").input_value()
    assert '"kms:ReEncryptFrom"' in text and '"kms:ViaService' in text


def test_bad_json_is_reported_with_line_and_column_and_kept(logged_in):
    page = logged_in
    page.goto(page.url.replace("/scenarios/", "/scenarios/condition-keys-via-s3-only/"))
    set_editor(page, "editor-0", '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow",}\n  ]\n}')
    page.get_by_role("button", name="Check").click()
    page.get_by_text("Nothing was graded").wait_for()
    assert "line 4, column 24" in page.locator("#result-panel").inner_text()
    assert '"Effect": "Allow",}' in page.locator("#editor-0").input_value()


def test_add_a_grant_then_check_solves_the_grants_scenario(logged_in):
    page = logged_in
    page.get_by_role("link", name="Give the nightly settlement job temporary access with a grant").click()
    page.get_by_label("Grantee").fill("arn:aws:iam::555566667777:role/SettlementRunner")
    page.get_by_label("Retiring principal").fill("arn:aws:iam::555566667777:role/JobScheduler")
    page.get_by_label("Decrypt", exact=True).check()
    page.get_by_label("Constraint").select_option("EncryptionContextSubset")
    page.get_by_label("Encryption context pairs").fill("batch=nightly-settlement")
    page.get_by_label("Name").fill("nightly-settlement")
    page.get_by_role("button", name="Add grant").click()
    page.locator("#grants-editor-0 table").get_by_text("555566667777:role/SettlementRunner").wait_for()
    page.get_by_role("button", name="Check").click()
    result = page.locator("#result-panel")
    result.get_by_text("The runner decrypts a nightly settlement batch").wait_for()
    # the scheduler retires by grant id, which the learner's grant does not have: that check fails
    assert "Fail" in result.inner_text()
    assert "Pass" in result.inner_text()


def test_answer_an_exam_question(logged_in):
    page = logged_in
    page.goto(page.url.replace("/scenarios/", "/scenarios/cross-account-log-investigations/questions/1/"))
    page.get_by_label("In the Log Archive account, add a key policy statement that allows the Investigator role's ARN").check()
    page.get_by_label("In the Security Tooling account, attach an IAM policy to the Investigator role that allows kms:Decrypt on the key's ARN.").check()
    page.get_by_role("button", name="Answer").click()
    page.get_by_text("Right.").wait_for()
    assert "changes no policy, grant or setting" in page.locator("#answer-panel").inner_text()


def test_the_playground_evaluates_with_the_full_trace(logged_in):
    page = logged_in
    page.get_by_role("link", name="Playground").click()
    page.get_by_role("button", name="Evaluate").click()
    panel = page.locator("#playground-result")
    panel.get_by_text("Every statement and grant").first.wait_for()
    assert "Allowed" in panel.inner_text() and "Implicitly denied" in panel.inner_text()


def test_a_lab_can_be_done_with_the_keyboard_only(logged_in):
    page = logged_in
    page.goto(page.url.replace("/scenarios/", "/scenarios/organizations-protect-keys-with-scp/"))
    # focus the SCP editor with Tab from the top of the page
    tab_until(page, "document.activeElement.classList.contains('cm-content')", 60, "the editor")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Deny", "Action": ["kms:ScheduleKeyDeletion", "kms:DisableKey"], "Resource": "*",
        "Condition": {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/KeyRecovery"}}}]}))
    # leave the editor (Escape releases Tab from the editor) and Tab to the Check button
    page.keyboard.press("Escape")
    tab_until(page, "document.activeElement.textContent.trim().startsWith('Check')", 20, "the Check button")
    page.keyboard.press("Enter")
    page.get_by_text("Solved: every check passes").wait_for()


def test_a_question_reads_and_answers_on_a_phone(browser, live_server, pack, django_user_model):
    django_user_model.objects.create_user("pia", password="Pia-pass-2026")
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, f"{live_server.url}/accounts/login/", "pia", "Pia-pass-2026")
    page.wait_for_url("**/scenarios/")
    page.goto(f"{live_server.url}/scenarios/grants-nightly-settlement/questions/1/")
    page.get_by_label("Have the application call CreateGrant for each worker").check()
    page.get_by_role("button", name="Answer").click()
    page.get_by_text("Right.").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.goto(f"{live_server.url}/scenarios/grants-nightly-settlement/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    context.close()


def test_an_over_broad_answer_shows_its_over_grant_opens_in_the_playground_and_is_fixed(logged_in, live_server):
    page = logged_in
    page.get_by_role("link", name="Let the security team read another account's CloudTrail logs").click()
    policy = json.loads(page.locator("#editor-0").input_value())
    statement = {
        "Sid": "InvestigatorDecryptsTrailLogs", "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::345678901234:role/Investigator"}, "Action": ["kms:Decrypt", "kms:CreateGrant"],
        "Resource": "*", "Condition": {"StringEquals": {
            "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:eu-west-1:210987654321:trail/org-trail"}}}
    policy["Statement"].append(statement)
    key = "arn:aws:kms:eu-west-1:210987654321:key/8b3f1c52-7d4e-4a9b-b0c1-2e5f6a7d8c9e"
    set_editor(page, "editor-0", json.dumps(policy, indent=2))
    set_editor(page, "editor-1", json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": ["kms:Decrypt", "kms:CreateGrant"], "Resource": key}]}))
    page.get_by_role("button", name="Check").click()
    review = page.locator("#result-panel section.card")
    review.get_by_text("your edits also allow").wait_for()
    assert "kms:CreateGrant" in review.inner_text() and "escalation" in review.inner_text()
    assert "Solved" not in page.locator("#result-panel").inner_text()

    review.get_by_text("e.g. this request").first.click()
    review.get_by_role("button", name="Open in playground").first.click()
    page.wait_for_url("**/playground/")
    page.locator("#playground-result").get_by_text("Allowed").first.wait_for()
    assert "kms:CreateGrant" in page.locator("#playground-result").inner_text()

    page.go_back()
    statement["Action"] = "kms:Decrypt"
    policy["Statement"][-1] = statement
    set_editor(page, "editor-0", json.dumps(policy, indent=2))
    set_editor(page, "editor-1", json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "kms:Decrypt", "Resource": key}]}))
    page.get_by_role("button", name="Check").click()
    page.get_by_text("Solved: every check passes").wait_for()


def test_after_check_the_result_is_in_view_with_focus_and_the_attempts_counter_changes(logged_in):
    page = logged_in
    page.set_viewport_size({"width": 1366, "height": 900})
    page.get_by_role("link", name="Let the security team read another account's CloudTrail logs").click()
    assert "after 3 more attempts" in page.locator("#solution-link").inner_text()
    page.wait_for_load_state()  # the shortcut's handler is attached by a script at the end of the page
    page.keyboard.press("Control+Enter")  # runs Check
    page.locator("#result-panel").get_by_text("Fail").first.wait_for()
    page.wait_for_function("document.activeElement && document.activeElement.id === 'result-h'")
    page.wait_for_function("() => document.getElementById('result-h').getBoundingClientRect().top >= 0 && "
                           "document.getElementById('result-h').getBoundingClientRect().top < window.innerHeight")
    assert "after 2 more attempts" in page.locator("#solution-link").inner_text()  # no reload


def test_the_exam_review_screen_lists_an_unanswered_question_before_submitting(logged_in, live_server):
    page = logged_in
    page.goto(f"{live_server.url}/exams/")
    page.get_by_label("Questions").fill("3")
    page.get_by_role("button", name="Start the exam").click()
    page.locator("#q-0 .form-check-input").first.check()
    page.locator("#saved-0").get_by_text("Answer saved").wait_for()
    page.get_by_role("button", name="Review before submitting").click()
    page.get_by_role("heading", name="Unanswered").wait_for()
    assert "Question 2" in page.locator("main").inner_text()
    page.get_by_role("button", name="Submit the exam with 2 unanswered").click()
    page.get_by_text("Your score").wait_for()


def test_a_hint_ladder_from_a_nudge_to_where_to_look_to_the_solution(logged_in):
    page = logged_in
    page.get_by_role("link", name="Let the security team read another account's CloudTrail logs").click()
    page.get_by_role("button", name="Check").click()
    page.locator("#result-panel").get_by_text("Fail").first.wait_for()
    page.get_by_role("button", name="Show a hint").click()
    page.get_by_text("Hint 1: A nudge").wait_for()
    page.get_by_role("button", name="Show where to look").click()
    page.get_by_text("Hint 2: Where to look").wait_for()
    assert "should be allowed but is refused" in page.locator("#hints").inner_text()
    page.get_by_role("button", name="Open the solution").click()
    page.locator("#solution-link").get_by_role("link", name="Show solution").wait_for()  # opened without reload
    page.locator("#hints").get_by_role("link", name="show the solution").click()
    page.wait_for_url("**/solution/")
