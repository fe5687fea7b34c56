"""Check grades least privilege too: an over-broad answer is not solved, and the learner sees why."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from scenarios.models import Attempt, Progress

from .conftest import SLUG

pytestmark = pytest.mark.django_db


def over_broad(solution_post: dict) -> dict:
    """The reference answer, but the Analyst may also create grants (with the Finance constraint)."""
    policy = json.loads(solution_post["editor-0"])
    policy["Statement"][1]["Action"] = ["kms:Decrypt", "kms:CreateGrant"]
    identity = json.loads(solution_post["editor-1"])
    identity["Statement"][0]["Action"] = ["kms:Decrypt", "kms:CreateGrant"]
    return {"editor-0": json.dumps(policy, indent=2), "editor-1": json.dumps(identity, indent=2)}


def test_an_over_broad_answer_passes_every_check_but_is_not_solved(learner_client, learner, example, solution_post):
    response = learner_client.post(reverse("scenarios:check", args=[SLUG]), over_broad(solution_post))
    html = response.content.decode()
    grade = response.context["grade"]
    assert grade.checks_pass and not grade.solved
    assert "allow more than they need to" in html and "kms:CreateGrant" in html and "escalation" in html
    assert "statement 2 (AnalystFinance) of the key policy" in html and "Open in playground" in html
    assert Progress.objects.get(user=learner).status != Progress.SOLVED
    attempt = Attempt.objects.get(user=learner)
    assert not attempt.passed
    assert {"principal": "arn:aws:iam::222222222222:role/Analyst", "action": "kms:CreateGrant",
            "class": "escalation"} in attempt.review["over"]


def test_the_reference_answer_is_solved_with_no_over_grant(learner_client, learner, example, solution_post):
    response = learner_client.post(reverse("scenarios:check", args=[SLUG]), solution_post)
    assert response.context["grade"].solved and "your edits allow nothing the reference" in response.content.decode()
    assert Attempt.objects.get(user=learner).review["over"] == []


def test_the_counterexample_opens_in_the_playground_and_is_allowed_there(learner_client, example, solution_post):
    grade = learner_client.post(reverse("scenarios:check", args=[SLUG]), over_broad(solution_post)).context["grade"]
    [grant] = [g for g in grade.review.over["arn:aws:iam::222222222222:role/Analyst"] if g.action == "kms:CreateGrant"]
    response = learner_client.post(reverse("scenarios:playground"),
                                   {"world": grade.review.world_yaml, "request": grant.request_yaml})
    assert response.status_code == 200 and "Allowed" in response.content.decode()
