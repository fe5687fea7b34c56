from __future__ import annotations

import json

import pytest
from django.urls import reverse

from scenarios.models import Attempt, Progress, Scenario

from .conftest import EXAMPLE, SLUG
from .factories import make_scenario

pytestmark = pytest.mark.django_db


def lab_url(slug=SLUG):
    return reverse("scenarios:lab", args=[slug])


def check_url(slug=SLUG):
    return reverse("scenarios:check", args=[slug])


def test_anonymous_visitors_are_sent_to_log_in(client, example):
    assert client.get(lab_url()).status_code == 302
    assert client.post(check_url(), {}).status_code == 302


def test_the_lab_shows_story_world_and_an_editor_per_editable_policy(learner_client, example):
    html = learner_client.get(lab_url()).content.decode()
    assert "Let Analytics read the Finance reports" in html
    assert 'id="editor-0"' in html and 'id="editor-1"' in html and 'data-editor="json"' in html
    assert "alias/monthly-reports" in html and "arn:aws:iam::222222222222:role/Intern" in html
    assert "EnableIAMPolicies" in html  # the starting key policy is in the editor


def test_unknown_and_unpublished_scenarios_are_404(learner_client, example):
    make_scenario(slug="hidden-draft", published=False)
    assert learner_client.get(lab_url("nope")).status_code == 404
    assert learner_client.get(lab_url("hidden-draft")).status_code == 404


def test_instructors_may_preview_a_draft(client, instructor, example):
    make_scenario(slug="hidden-draft", published=False)
    client.force_login(instructor)
    assert client.get(lab_url("hidden-draft")).status_code == 200


def test_an_empty_policy_is_named_not_graded(learner_client, example):
    response = learner_client.post(check_url(), {"editor-0": "", "editor-1": ""})
    assert "The policy is empty" in response.content.decode()


def test_a_wrong_answer_reports_each_visible_check_and_counts_hidden_ones(learner_client, example):
    response = learner_client.get(lab_url())
    key_policy = response.context["editors"][0]["text"]
    html = learner_client.post(check_url(), {"editor-0": key_policy, "editor-1": '{"Version": "2012-10-17", '
                                                                               '"Statement": []}'}).content.decode()
    assert "The Analyst can decrypt a Finance report" in html and "Fail" in html
    assert "hidden checks pass" in html or "hidden check" in html
    assert "The Intern, whose IAM policy" not in html  # hidden checks are never revealed before solving
    assert "because no" in html  # the AWS-style message


def test_solving_records_the_attempt_and_shows_the_explanation(learner_client, learner, example, solution_post):
    html = learner_client.post(check_url(), solution_post).content.decode()
    assert "Solved" in html and "Neither is enough alone" in html
    assert "The Intern, whose IAM policy" in html  # revealed once solved
    attempt = Attempt.objects.get(user=learner)
    assert attempt.passed and attempt.hidden_passed == attempt.hidden_total == 2
    progress = Progress.objects.get(user=learner, scenario=example)
    assert progress.status == Progress.SOLVED and progress.attempts == 1


def test_the_deciding_statement_can_be_shown_in_the_editor(learner_client, example, solution_post):
    html = learner_client.post(check_url(), solution_post).content.decode()
    assert 'data-show-lines-in="editor-0"' in html and 'data-show-lines="' in html


def test_malformed_json_gets_line_and_column_and_the_text_is_kept(learner_client, learner, example):
    bad = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow",}\n  ]\n}'
    response = learner_client.post(check_url(), {"editor-0": bad, "editor-1": "{}"})
    html = response.content.decode()
    assert response.status_code == 422
    assert "line 4, column 24" in html and "Nothing was graded" in html
    assert '"Effect": "Allow",}' in html.replace("&quot;", '"')  # still in the editor
    progress = Progress.objects.get(user=learner)
    assert progress.draft["key_policy|alias/monthly-reports"]["policy"] == bad
    assert learner_client.get(lab_url()).context["editors"][0]["text"] == bad  # restored on return


def test_a_key_policy_over_32_kb_is_refused_with_a_clear_message(learner_client, example):
    statement = {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": "kms:*",
                 "Resource": "*", "Sid": "x" * 40}
    big = json.dumps({"Version": "2012-10-17", "Statement": [dict(statement, Sid=f"S{i}" + "x" * 40)
                                                             for i in range(400)]})
    html = learner_client.post(check_url(), {"editor-0": big, "editor-1": "{}"}).content.decode()
    assert "LimitExceededException" in html and "32,768 bytes" in html


def test_an_unknown_principal_form_is_named_with_its_path(learner_client, example):
    policy = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "Analyst"}, ' \
             '"Action": "kms:Decrypt", "Resource": "*"}]}'
    html = learner_client.post(check_url(), {"editor-0": policy, "editor-1": "{}"}).content.decode()
    assert "Statement[0].Principal.AWS" in html and "is not a valid AWS principal" in html


def test_the_htmx_check_returns_only_the_result_panel(learner_client, example, solution_post):
    html = learner_client.post(check_url(), solution_post, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in html and 'id="result-panel"' in html


def test_drafts_are_private_to_each_learner(learner_client, client, other_learner, example):
    learner_client.post(check_url(), {"editor-0": "{ mine", "editor-1": "{}"})
    client.force_login(other_learner)
    assert client.get(lab_url()).context["editors"][0]["text"] != "{ mine"


def test_reset_returns_to_the_starting_policies(learner_client, example):
    learner_client.post(check_url(), {"editor-0": "{ mine", "editor-1": "{}"})
    learner_client.post(reverse("scenarios:reset", args=[SLUG]))
    assert "EnableIAMPolicies" in learner_client.get(lab_url()).context["editors"][0]["text"]


def test_the_solution_opens_only_after_solving_or_three_attempts(learner_client, example):
    url = reverse("scenarios:solution", args=[SLUG])
    assert learner_client.get(url).status_code == 403
    for _ in range(3):
        learner_client.post(check_url(), {"editor-0": "{}", "editor-1": "{}"})
    response = learner_client.get(url)
    assert response.status_code == 200 and "AnalystReadsFinanceReports" in response.content.decode()


def test_the_solution_shows_where_the_last_check_differs_from_the_reference(learner_client, example):
    for _ in range(3):
        learner_client.post(check_url(), {"editor-0": "{}", "editor-1": '{"Version": "2012-10-17", "Statement": []}'})
    response = learner_client.get(reverse("scenarios:solution", args=[SLUG]))
    parts = response.context["parts"]
    assert [p.label for p in parts][0].startswith("Key policy of")
    assert all(not p.same for p in parts)
    added = [line.text for line in parts[0].diff if line.sign == "+"]
    assert any("AnalystReadsFinanceReports" in text for text in added)
    assert "Differs from your last Check" in response.content.decode()


def test_a_solved_answer_laid_out_differently_is_the_same_as_the_reference(learner_client, example):
    solution = {e["kind"]: e for e in example.spec["solution"]}
    typed = {"editor-0": json.dumps(solution["key_policy"]["policy"]),  # one line, not the reference's layout
             "editor-1": json.dumps(solution["identity_policy"]["document"], indent=4)}
    learner_client.post(check_url(), typed)
    parts = learner_client.get(reverse("scenarios:solution", args=[SLUG])).context["parts"]
    assert parts and all(p.same for p in parts)


def test_before_any_check_the_solution_is_shown_alone(instructor, example):
    from scenarios.solutions import solution_parts

    parts = solution_parts(example, instructor)
    assert parts and all(p.yours is None and not p.same for p in parts)


def test_lint_findings_come_back_as_a_partial(learner_client, example):
    url = reverse("scenarios:lint", args=[SLUG, "editor-0"])
    policy = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:*", ' \
             '"Resource": "*"}]}'
    html = learner_client.post(url, {"editor-0": policy}, headers={"HX-Request": "true"}).content.decode()
    assert "wildcard-principal-without-condition" in html and "<html" not in html
    assert 'data-findings-for="editor-0"' in html
    assert learner_client.post(reverse("scenarios:lint", args=[SLUG, "editor-9"]), {}).status_code == 404


def test_the_lab_takes_the_same_queries_whatever_the_number_of_attempts(learner_client, learner, example,
                                                                      django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    learner_client.post(check_url(), {"editor-0": "{}", "editor-1": "{}"})
    with CaptureQueriesContext(connection) as ctx:
        learner_client.get(lab_url())
    for _ in range(15):
        Attempt.objects.create(user=learner, scenario=example)
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        learner_client.get(lab_url())


def test_every_statement_of_a_check_loads_on_demand(learner_client, example, solution_post):
    learner_client.post(check_url(), solution_post)
    url = reverse("scenarios:check-trace", args=[SLUG, 1])
    partial = learner_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and "AnalystFinance" in partial and "EnableIAMPolicies" in partial
    page = learner_client.get(url).content.decode()
    assert "<html" in page and "The Analyst can decrypt a Finance report" in page


def test_a_hidden_checks_trace_stays_hidden_until_solved(learner_client, example):
    start = learner_client.get(lab_url()).context["editors"]
    learner_client.post(check_url(), {"editor-0": start[0]["text"], "editor-1": start[1]["text"]})
    assert learner_client.get(reverse("scenarios:check-trace", args=[SLUG, 1])).status_code == 200
    assert learner_client.get(reverse("scenarios:check-trace", args=[SLUG, 4])).status_code == 404
    assert learner_client.get(reverse("scenarios:check-trace", args=[SLUG, 99])).status_code == 404


def test_staff_who_are_not_instructors_cannot_preview_drafts(client, django_user_model, example):
    Scenario.objects.filter(pk=example.pk).update(published=False)
    client.force_login(django_user_model.objects.create_user("sam", password="x", is_staff=True))
    assert client.get(lab_url()).status_code == 404
    assert client.get(reverse("scenarios:solution", args=[SLUG])).status_code == 404


def test_a_source_that_is_not_a_web_address_is_refused_by_the_engine():
    from kmstrainer.engine import EngineInputError, load_scenario_text

    with pytest.raises(EngineInputError) as info:
        load_scenario_text(open(EXAMPLE, encoding="utf-8").read().replace(
            "  - https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html",
            "  - javascript:alert(1)"), file="s.yaml")
    assert "http(s)" in info.value.message and info.value.line == 10


def test_a_missing_page_and_a_locked_solution_get_friendly_pages_in_the_layout(learner_client, example):
    missing = learner_client.get("/scenarios/no-such-scenario/")
    assert missing.status_code == 404 and "This page does not exist" in missing.content.decode()
    locked = learner_client.get(reverse("scenarios:solution", args=[SLUG]))
    html = locked.content.decode()
    assert locked.status_code == 403 and "The solution opens after" in html and "Back to the scenarios" in html
    assert learner_client.get("/favicon.ico").status_code == 301


def test_the_world_picture_shows_origin_material_rotation_region_role_and_store():
    from django.template.loader import render_to_string

    world = {"keys": [
        {"arn": "arn:aws:kms:eu-west-1:111111111111:key/mrk-1", "origin": "EXTERNAL", "material": {"expires_at": "30d"},
         "multi_region": {"type": "REPLICA", "primary": "arn:aws:kms:us-east-1:111111111111:key/mrk-1"},
         "policy": {}},
        {"arn": "arn:aws:kms:us-east-1:111111111111:key/k", "rotation": {"enabled": True, "period_days": 180},
         "custom_key_store": {"id": "cks-1", "type": "AWS_CLOUDHSM", "connected": False}, "policy": {}}]}
    html = render_to_string("scenarios/includes/world.html", {"world": world})
    for words in ("origin EXTERNAL", "material expires at 30d", "multi-Region replica of",
                  "arn:aws:kms:us-east-1:111111111111:key/mrk-1", "rotates every 180 days",
                  "AWS_CLOUDHSM store cks-1, disconnected"):
        assert words in html


def test_an_htmx_check_also_updates_the_solved_badge_and_the_solution_link(learner_client, example, solution_post):
    bad = dict(solution_post, **{"editor-1": "{}"})
    first = learner_client.post(check_url(), bad, headers={"HX-Request": "true"}).content.decode()
    assert 'id="solution-link" hx-swap-oob="true"' in first and "after 2 more attempts" in first
    assert 'id="lab-status" hx-swap-oob="true"' in first and "Solved" not in first.split('id="lab-status"')[1]
    solved = learner_client.post(check_url(), solution_post, headers={"HX-Request": "true"}).content.decode()
    assert "Show solution" in solved.split('id="solution-link"')[1]
    assert "Solved" in solved.split('id="lab-status"')[1]


def test_the_editor_completions_are_the_simulators_vocabulary(client):
    from kmstrainer.engine.catalog import CONDITION_KEYS, KMS_ACTIONS

    response = client.get(reverse("editor-completions"))
    assert response.status_code == 200 and "max-age" in response["Cache-Control"]
    labels = {c["label"]: c for c in response.json()["completions"]}
    assert all(f"kms:{action}" in labels for action in KMS_ACTIONS)
    assert labels["aws:PrincipalOrgID"]["detail"] == "String condition key"
    assert labels["kms:EncryptionContextKeys"]["detail"] == "String condition key, multi-valued"
    assert {c.lower() for c in labels if c.lower() in CONDITION_KEYS} == set(CONDITION_KEYS)
    assert "ForAnyValue:StringEquals" in labels and "StringLikeIfExists" in labels
