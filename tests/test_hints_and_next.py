"""The hint ladder (a nudge, where to look, the solution) and what comes after solving."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from scenarios.models import Progress

from .conftest import SLUG

pytestmark = pytest.mark.django_db

EMPTY_IAM = '{"Version": "2012-10-17", "Statement": []}'


def hint_url():
    return reverse("scenarios:hint", args=[SLUG])


def check_with_starting_policy(client):
    start = client.get(reverse("scenarios:lab", args=[SLUG])).context["editors"][0]["text"]
    client.post(reverse("scenarios:check", args=[SLUG]), {"editor-0": start, "editor-1": EMPTY_IAM})


def test_the_first_hint_is_the_nudge_of_the_scenarios_exam_tip(learner_client, example):
    html = learner_client.post(hint_url(), headers={"HX-Request": "true"}).content.decode()
    assert "Hint 1: A nudge" in html and "two allows" in html
    assert "Show where to look" in html


def test_the_second_hint_names_the_failing_check_and_where_to_look(learner_client, example):
    check_with_starting_policy(learner_client)
    learner_client.post(hint_url())
    html = learner_client.post(hint_url(), headers={"HX-Request": "true"}).content.decode()
    assert "Hint 2: Where to look" in html
    assert "“The Analyst can decrypt a Finance report” should be allowed but is refused." in html
    assert "Look at the key policy." in html or "Look at the IAM policy." in html
    assert "The Intern" not in html  # a hidden check never becomes a hint


def test_the_third_rung_opens_the_solution_before_three_attempts(learner_client, learner, example):
    solution = reverse("scenarios:solution", args=[SLUG])
    assert learner_client.get(solution).status_code == 403
    for _ in range(3):
        response = learner_client.post(hint_url(), headers={"HX-Request": "true"})
    assert 'id="solution-link" hx-swap-oob="true"' in response.content.decode()
    assert learner_client.get(solution).status_code == 200
    learner_client.post(hint_url())
    assert Progress.objects.get(user=learner).hints_open == 3  # the ladder ends at the solution


def test_without_javascript_a_hint_opens_on_the_lab_page(learner_client, example):
    response = learner_client.post(hint_url())
    assert response.status_code == 302 and response["Location"].endswith("#hints")
    assert "Hint 1: A nudge" in learner_client.get(response["Location"]).content.decode()


def test_an_authors_hint_replaces_the_tips_nudge(learner_client, example):
    example.spec = dict(example.spec, hint="Start from the `Department` encryption context.")
    example.save()
    html = learner_client.post(hint_url(), headers={"HX-Request": "true"}).content.decode()
    assert "<code>Department</code>" in html and "two allows" not in html


def test_solving_offers_the_question_and_the_next_scenario_of_the_same_tip(learner_client, pack, example,
                                                                          solution_post):
    response = learner_client.post(reverse("scenarios:check", args=[SLUG]), solution_post)
    html = response.content.decode()
    following = response.context["next_scenario"]
    assert "Solved" in html and "Answer its exam question" in html
    assert f"Next scenario: {escape(following.title)}" in html and following.tip == "cross-account"


def test_the_catalog_starts_with_the_basics(learner_client, pack):
    html = learner_client.get(reverse("scenarios:catalog")).content.decode()
    assert html.index("Key policy basics") < html.index("Cross-account access")
    assert "Start here" in html
