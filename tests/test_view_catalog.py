from __future__ import annotations

import pytest
from django.urls import reverse

from scenarios.models import Attempt, Progress

from .factories import make_scenario

pytestmark = pytest.mark.django_db
URL = reverse("scenarios:catalog")


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_the_catalog_groups_scenarios_by_tip_with_status(learner_client, learner, example):
    make_scenario(slug="orgs-1", title="SCPs and keys", tip="organizations")
    Progress.objects.create(user=learner, scenario=example, status=Progress.SOLVED)
    html = learner_client.get(URL).content.decode()
    assert "Cross-account access" in html and "AWS Organizations" in html
    assert "Let Analytics read the Finance reports" in html and "Solved" in html
    assert "1 of 2 solved" in html


def test_filters_by_tip_and_status(learner_client, learner, example):
    make_scenario(slug="orgs-1", title="SCPs and keys", tip="organizations")
    html = learner_client.get(URL, {"tip": "organizations"}).content.decode()
    assert "SCPs and keys" in html and "Let Analytics read" not in html
    Progress.objects.create(user=learner, scenario=example, status=Progress.SOLVED)
    html = learner_client.get(URL, {"status": "solved"}).content.decode()
    assert "Let Analytics read" in html and "SCPs and keys" not in html


def test_unpublished_scenarios_are_not_listed(learner_client, example):
    make_scenario(slug="draft-1", title="A draft", published=False)
    assert "A draft" not in learner_client.get(URL).content.decode()


def test_another_learners_progress_does_not_show(learner_client, other_learner, example):
    Progress.objects.create(user=other_learner, scenario=example, status=Progress.SOLVED)
    assert "0 of 1 solved" in learner_client.get(URL).content.decode()


def test_the_htmx_request_gets_only_the_list(learner_client, example):
    response = learner_client.get(URL, {"tip": "cross-account"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and 'id="catalog-list"' in html


def test_the_catalog_takes_the_same_queries_for_1_or_20_scenarios(learner_client, learner, example,
                                                                 django_assert_max_num_queries):
    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            learner_client.get(URL)
        return len(ctx.captured_queries)

    few = count()
    for n in range(20):
        s = make_scenario(slug=f"more-{n}", tip="organizations" if n % 2 else "condition-keys")
        Progress.objects.create(user=learner, scenario=s, status=Progress.ATTEMPTED)
        Attempt.objects.create(user=learner, scenario=s)
    assert count() == few
    with django_assert_max_num_queries(few):
        learner_client.get(URL)


def test_the_page_and_its_htmx_list_are_cached_apart(learner_client, example):
    for headers in ({}, {"HX-Request": "true"}):
        vary = learner_client.get(URL, headers=headers)["Vary"]
        assert "HX-Request" in vary and "Cookie" in vary
