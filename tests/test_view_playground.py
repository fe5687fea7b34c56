from __future__ import annotations

import pytest
from django.urls import reverse

from .conftest import EXAMPLE, KEY_ARN

pytestmark = pytest.mark.django_db
URL = reverse("scenarios:playground")


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get(URL).status_code == 302


def test_the_playground_starts_with_a_working_example(learner_client):
    response = learner_client.get(URL)
    form = response.context["form"]
    response = learner_client.post(URL, {"world": form["world"].value(), "request": form["request"].value()})
    html = response.content.decode()
    assert "Allowed" in html and "Implicitly denied" in html  # the cross-account decrypt, then a constrained grant
    assert "grant" in html and "Every statement and grant" in html


def test_a_request_is_evaluated_with_the_full_trace(learner_client):
    world = open(EXAMPLE, encoding="utf-8").read()
    request = f"principal: arn:aws:iam::222222222222:role/Intern\naction: kms:Decrypt\nkey: {KEY_ARN}\n"
    html = learner_client.post(URL, {"world": world, "request": request},
                               headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in html and "Implicitly denied" in html and "EnableIAMPolicies" in html


def test_bad_world_yaml_gets_line_and_column(learner_client):
    html = learner_client.post(URL, {"world": "keys: [\n  - arn: x\n", "request": "principal: x"}).content.decode()
    assert "World:" in html and "invalid YAML" in html


def test_an_unknown_world_key_is_named(learner_client):
    html = learner_client.post(URL, {"world": "keyz: []\n", "request": "principal: x"}).content.decode()
    assert "unknown key `keyz`" in html


def test_a_bad_request_is_named(learner_client):
    world = open(EXAMPLE, encoding="utf-8").read()
    html = learner_client.post(URL, {"world": world, "request": "principal: bob\naction: kms:Decrypt\nkey: k"}
                               ).content.decode()
    assert "Request:" in html and "`bob` is not a principal" in html
    html = learner_client.post(URL, {"world": world, "request": "- 1\n- 2"}).content.decode()
    assert "a request must be a mapping" in html


def test_steps_that_are_not_a_list_are_named_in_the_request_box(learner_client):
    world = open(EXAMPLE, encoding="utf-8").read()
    response = learner_client.post(URL, {"world": world, "request": "steps: 5\n"})
    html = response.content.decode()
    assert response.status_code == 422 and "Request:" in html and "`steps` must be a list" in html
    assert "steps: 5" in html  # what the learner typed is kept


def test_who_can_use_these_keys_shows_the_matrix_with_what_decided(learner_client):
    world = open(EXAMPLE, encoding="utf-8").read()
    partial = learner_client.post(reverse("scenarios:playground-access"), {"world": world},
                                  headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and "Who can use" in partial and KEY_ARN in partial
    response = learner_client.post(reverse("scenarios:playground-access"), {"world": world})  # without JavaScript
    assert response.status_code == 200 and "Who can use" in response.content.decode()
    tables = response.context["tables"]
    [table] = tables
    cells = {(p, c.action): c for p, row in table.rows for c in row}
    admin = cells[("arn:aws:iam::111111111111:role/KeyAdmin", "Decrypt")]
    assert admin.allowed and admin.by["sid"] == "EnableIAMPolicies"  # the starting world: account trust
    analyst = cells[("arn:aws:iam::222222222222:role/Analyst", "Decrypt")]
    assert not analyst.allowed and analyst.by["code"] == "no-key-policy-allow"


def test_the_matrix_filters_by_class_of_operation(learner_client):
    world = open(EXAMPLE, encoding="utf-8").read()
    response = learner_client.post(reverse("scenarios:playground-access"), {"world": world, "class": "escalation"})
    [table] = response.context["tables"]
    assert "kms:PutKeyPolicy" in table.actions and "kms:Decrypt" not in table.actions


def test_the_matrix_of_a_broken_world_says_where(learner_client):
    response = learner_client.post(reverse("scenarios:playground-access"), {"world": "keys: [\n"})
    assert response.status_code == 422 and "invalid YAML" in response.content.decode()


def test_an_empty_request_gets_the_apps_own_message(learner_client):
    response = learner_client.post(URL, {"world": "keys: []\n", "request": ""}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 422 and "This field is required" in html
    assert "required" not in learner_client.get(URL).content.decode().split('name="request"')[1].split(">")[0]


@pytest.mark.parametrize("name", ["cross-account", "imported-material", "rotation", "multi-region",
                                  "custom-key-store", "algorithms", "org-wide"])
def test_every_example_world_loads_and_evaluates(learner_client, name):
    form = learner_client.get(URL, {"example": name}).context["form"]
    response = learner_client.post(URL, {"world": form["world"].value(), "request": form["request"].value()})
    result = response.context["result"]
    assert response.status_code == 200 and not result.error and result.results
    assert any(r["outcome"] == "allow" for r in result.results) and any(r["outcome"] != "allow" for r in result.results)
