from __future__ import annotations

import pytest
from django.urls import reverse

from scenarios.models import Attempt, Progress

pytestmark = pytest.mark.django_db


def test_signing_up_logs_the_learner_in(client):
    response = client.post(reverse("signup"), {"username": "newbie", "password1": "Strong-pass-2026!",
                                               "password2": "Strong-pass-2026!"})
    assert response.status_code == 302 and response["Location"] == reverse("scenarios:catalog")
    assert client.get(reverse("scenarios:catalog")).status_code == 200


def test_a_weak_password_is_refused_with_a_message(client):
    html = client.post(reverse("signup"), {"username": "n", "password1": "123", "password2": "123"}).content.decode()
    assert "This password is too short" in html


def test_log_in_and_log_out(client, learner):
    response = client.post(reverse("login"), {"username": "alice", "password": "pw-alice-123"})
    assert response.status_code == 302
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("scenarios:catalog")).status_code == 302


def test_password_change_page_works(learner_client):
    assert learner_client.get(reverse("password_change")).status_code == 200


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
                                           "solved": 1, "attempted": 0}]
    assert "solved" in html


def test_every_page_sends_a_content_security_policy_without_inline_scripts(learner_client, example):
    policy = learner_client.get(reverse("scenarios:catalog"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_repeated_failed_logins_are_throttled(client, learner, settings):
    settings.LOGIN_FAILURES_ALLOWED = 3
    for _ in range(3):
        assert client.post(reverse("login"), {"username": "alice", "password": "wrong"}).status_code == 200
    response = client.post(reverse("login"), {"username": "alice", "password": "pw-alice-123"})
    assert response.status_code == 429 and "Too many failed logins" in response.content.decode()


def test_a_successful_login_clears_the_failures(client, learner, settings):
    settings.LOGIN_FAILURES_ALLOWED = 3
    client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert client.post(reverse("login"), {"username": "alice", "password": "pw-alice-123"}).status_code == 302


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
