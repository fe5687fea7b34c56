from __future__ import annotations

import pytest
from django.urls import reverse

from scenarios.models import Answer

from .conftest import SLUG

pytestmark = pytest.mark.django_db


def url(n=1):
    return reverse("scenarios:question", args=[SLUG, n])


def test_anonymous_visitors_are_sent_to_log_in(client, example):
    assert client.get(url()).status_code == 302


def test_a_select_two_question_shows_checkboxes(learner_client, example):
    html = learner_client.get(url()).content.decode()
    assert "Select TWO" in html and 'type="checkbox"' in html and "Resource Access Manager" in html


def test_the_engine_computed_key_marks_the_right_answer(learner_client, learner, example):
    html = learner_client.post(url(), {"option": ["0", "1"]}).content.decode()
    assert "Right." in html
    assert Answer.objects.get(user=learner).correct


def test_a_wrong_answer_is_recorded_and_every_option_explained(learner_client, learner, example):
    html = learner_client.post(url(), {"option": ["1", "2"]}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in html and "Not quite." in html
    assert "changes no policy, grant or setting" in html  # the RAM option (default D20)
    assert html.count("Part of the answer") == 2
    assert not Answer.objects.get(user=learner).correct


def test_choosing_the_wrong_number_of_options_is_an_error_not_a_500(learner_client, example):
    response = learner_client.post(url(), {"option": ["0"]})
    assert response.status_code == 200 and "select exactly 2 options" in response.content.decode()
    response = learner_client.post(url(), {"option": ["0", "99"]})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


def test_an_unknown_question_number_is_404(learner_client, example):
    assert learner_client.get(url(5)).status_code == 404


def test_code_in_explanations_is_shown_as_code_and_escaped():
    from scenarios.templatetags.scenario_extras import codeticks

    assert codeticks("condition `StringEquals kms:ViaService` <b>") == \
        "condition <code>StringEquals kms:ViaService</code> &lt;b&gt;"


def test_a_concept_question_uses_the_authors_key_and_says_so(learner_client):
    from django.core.management import call_command

    call_command("loadscenarios", verbosity=0)
    url = reverse("scenarios:question", args=["best-practices-separation-of-duties", 1])
    html = learner_client.post(url, {"option": ["0", "1"]}).content.decode()
    assert "Right." in html and "concept question" in html and "includes kms:PutKeyPolicy" in html
    html = learner_client.post(url, {"option": ["0", "2"]}).content.decode()
    assert "Not quite." in html


def test_options_are_shown_in_a_per_learner_order_with_letters_after_shuffling(client, django_user_model):
    from django.core.management import call_command

    call_command("loadscenarios", verbosity=0)
    url = reverse("scenarios:question", args=["grants-nightly-settlement", 1])
    orders = []
    for n in range(6):
        client.force_login(django_user_model.objects.create_user(f"learner{n}", password="x"))
        choices = client.get(url).context["form"].fields["option"].choices
        assert [label[:2] for _, label in choices] == [f"{chr(65 + i)}." for i in range(len(choices))]
        orders.append([value for value, _ in choices])
        assert [v for v, _ in client.get(url).context["form"].fields["option"].choices] == orders[-1]  # stable
    assert len({tuple(o) for o in orders}) > 1  # learners see different orders


def test_an_answer_is_graded_by_the_option_not_by_its_position(learner_client, learner):
    from django.core.management import call_command

    from scenarios.models import Scenario

    call_command("loadscenarios", verbosity=0)
    scenario = Scenario.objects.get(slug="grants-nightly-settlement")
    url = reverse("scenarios:question", args=[scenario.slug, 1])
    [right] = scenario.question_keys[0]
    html = learner_client.post(url, {"option": str(right)}).content.decode()
    assert "Right." in html and Answer.objects.get(user=learner).selected == [right]
