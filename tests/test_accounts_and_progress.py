from __future__ import annotations

import pytest
from django.urls import reverse

from scenarios.models import Attempt, Progress

pytestmark = pytest.mark.django_db


def test_signing_up_logs_the_learner_in(client):
    response = client.post(reverse("account_signup"), {"username": "newbie", "password1": "Strong-pass-2026!",
                                                       "password2": "Strong-pass-2026!"})
    assert response.status_code == 302 and response["Location"] == reverse("scenarios:catalog")
    assert client.get(reverse("scenarios:catalog")).status_code == 200


def test_a_weak_password_is_refused_with_a_message(client):
    html = client.post(reverse("account_signup"), {"username": "n", "password1": "123", "password2": "123"}
                       ).content.decode()
    assert "This password is too short" in html


def test_log_in_and_log_out(client, learner):
    response = client.post(reverse("account_login"), {"login": "alice", "password": "pw-alice-123"})
    assert response.status_code == 302
    assert client.post(reverse("account_logout")).status_code == 302
    assert client.get(reverse("scenarios:catalog")).status_code == 302


def test_password_change_page_works(learner_client):
    assert learner_client.get(reverse("account_change_password")).status_code == 200


def test_a_password_reset_sends_a_mail_with_a_link(client, learner, mailoutbox):
    learner.email = "alice@example.com"
    learner.save()
    client.post(reverse("account_reset_password"), {"email": "alice@example.com"})
    assert len(mailoutbox) == 1 and "/accounts/password/reset/key/" in mailoutbox[0].body


def test_the_home_page_describes_the_product_to_visitors(client):
    html = client.get(reverse("home")).content.decode()
    assert "Practise AWS KMS key policies and grants" in html


def test_progress_counts_solved_scenarios_per_tip(learner_client, learner, other_learner, example):
    Progress.objects.create(user=learner, scenario=example, status=Progress.SOLVED, attempts=2)
    Attempt.objects.create(user=learner, scenario=example, passed=True, visible_total=3, visible_passed=3)
    Attempt.objects.create(user=other_learner, scenario=example)
    response = learner_client.get(reverse("scenarios:progress"))
    html = response.content.decode()
    assert response.context["attempt_count"] == 1
    assert response.context["by_tip"] == [{"tip": "cross-account", "name": "Cross-account access", "total": 1,
                                           "solved": 1, "attempted": 0, "questions": "none yet",
                                           "exams": "none yet", "readiness": 100}]
    assert "solved" in html


def test_every_page_sends_a_content_security_policy_without_inline_scripts(learner_client, example):
    policy = learner_client.get(reverse("scenarios:catalog"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def log_in(client, name, password, address="198.51.100.7"):
    return client.post(reverse("account_login"), {"login": name, "password": password},
                       headers={"X-Forwarded-For": address})


@pytest.fixture
def three_failures_allowed(settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,3/900s/key"}


def test_repeated_failed_logins_lock_the_name(client, learner, three_failures_allowed):
    for _ in range(3):
        assert log_in(client, "alice", "wrong").status_code == 200
    html = log_in(client, "alice", "pw-alice-123").content.decode()
    assert "Too many failed login attempts" in html and "_auth_user_id" not in client.session


def test_a_fullwidth_spelling_of_a_locked_name_is_locked_too(client, learner, three_failures_allowed):
    for _ in range(3):
        log_in(client, "alice", "wrong")
    html = log_in(client, "\uff41\uff4c\uff49\uff43\uff45", "pw-alice-123").content.decode()
    assert "Too many failed login attempts" in html and "_auth_user_id" not in client.session


def test_a_successful_login_does_not_count_as_a_failure(client, learner, three_failures_allowed):
    log_in(client, "alice", "wrong")
    assert log_in(client, "alice", "pw-alice-123").status_code == 302


def test_behind_the_proxy_failures_count_per_client_not_for_everyone(client, learner, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(10):  # one client guesses ten names
        log_in(client, f"guess{n}", "wrong", address="203.0.113.1")
    assert "Too many failed login attempts" in log_in(client, "alice", "pw-alice-123",
                                                      address="203.0.113.1").content.decode()
    assert log_in(client, "alice", "pw-alice-123", address="203.0.113.2").status_code == 302


def test_a_client_cannot_choose_its_address_by_sending_x_forwarded_for(client, learner, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(10):  # the proxy appends the real address; the client's own value is ignored
        log_in(client, f"guess{n}", "wrong", address=f"10.9.9.{n}, 203.0.113.1")
    assert "Too many failed login attempts" in log_in(client, "alice", "pw-alice-123",
                                                      address="203.0.113.1").content.decode()


def test_the_admin_login_is_the_sites_rate_limited_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ["scenarios:catalog", "scenarios:playground", "scenarios:progress",
                                  "scenarios:exam-home", "scenarios:review", "studygroups:list"])
def test_pages_carry_no_inline_scripts(learner_client, example, name):
    import re

    html = learner_client.get(reverse(name)).content.decode()
    scripts = re.findall(r"<script\b([^>]*)>", html)
    assert scripts and all("src=" in attrs for attrs in scripts)


def test_the_lab_and_a_question_carry_no_inline_scripts(learner_client, example):
    import re

    for url in (reverse("scenarios:lab", args=[example.slug]), reverse("scenarios:question", args=[example.slug, 1])):
        html = learner_client.get(url).content.decode()
        assert all("src=" in attrs for attrs in re.findall(r"<script\b([^>]*)>", html))



def test_readiness_weighs_labs_questions_and_exams_and_says_how(learner_client, learner, example):
    from scenarios.models import Answer, ExamSession

    Progress.objects.create(user=learner, scenario=example, status=Progress.SOLVED)
    Answer.objects.create(user=learner, scenario=example, question=0, selected=[0], correct=False)
    ExamSession.objects.create(user=learner, items=[[example.id, 0]], finished_at="2026-11-30T10:00:00Z", score=1,
                               results=[{"tip": "cross-account", "right": True}])
    response = learner_client.get(reverse("scenarios:progress"))
    [row] = response.context["by_tip"]
    assert (row["questions"], row["exams"], row["readiness"]) == ("0 of 1", "1 of 1", 75)  # .5*1 + .25*0 + .25*1
    html = response.content.decode()
    assert "Readiness is the weighted mean" in html and "Recent exams" in html and "100 %" in html


def test_a_check_that_did_not_parse_is_not_shown_as_zero_of_zero(learner_client, learner, example):
    Attempt.objects.create(user=learner, scenario=example, error="invalid JSON")
    html = learner_client.get(reverse("scenarios:progress")).content.decode()
    assert "not graded: the policy did not parse" in html and "0 of 0 visible checks" not in html
