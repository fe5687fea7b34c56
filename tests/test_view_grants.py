from __future__ import annotations

import pytest
from django.urls import reverse

from scenarios.loader import load_scenarios
from scenarios.models import Progress

pytestmark = pytest.mark.django_db

GRANTS_SCENARIO = """id: grant-lab
title: Give the worker a grant
tip: grant-basics
difficulty: 1
story: A batch worker needs to decrypt.
task: Give it a grant for Decrypt only.
explanation: Grants allow their operations without any policy.
world:
  keys:
    - arn: arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555
      aliases: [alias/batch]
      policy: {Version: "2012-10-17", Statement: [{Sid: EnableIAM, Effect: Allow, Principal: {AWS: "arn:aws:iam::111111111111:root"}, Action: "kms:*", Resource: "*"}]}
editable:
  - {kind: grants, key: alias/batch}
solution:
  - kind: grants
    key: alias/batch
    grants: [{grantee: "arn:aws:iam::111111111111:role/Worker", operations: [Decrypt]}]
checks:
  - name: The worker decrypts
    request: {principal: "arn:aws:iam::111111111111:role/Worker", action: kms:Decrypt, key: alias/batch}
    expect: allow
  - name: The worker cannot encrypt
    hidden: true
    request: {principal: "arn:aws:iam::111111111111:role/Worker", action: kms:Encrypt, key: alias/batch}
    expect: deny
"""


@pytest.fixture
def grant_lab(tmp_path):
    path = tmp_path / "grant-lab.yaml"
    path.write_text(GRANTS_SCENARIO)
    return load_scenarios([str(path)])[0][0]


def add_url():
    return reverse("scenarios:grant-add", args=["grant-lab", "editor-0"])


def test_the_grant_form_offers_only_operations_the_key_type_supports(learner_client, grant_lab):
    html = learner_client.get(reverse("scenarios:lab", args=["grant-lab"])).content.decode()
    assert 'value="Decrypt"' in html and 'value="Sign"' not in html and 'value="ReEncrypt"' not in html


def test_adding_a_grant_in_place_with_htmx(learner_client, learner, grant_lab):
    response = learner_client.post(add_url(), {"grantee": "arn:aws:iam::111111111111:role/Worker",
                                               "operations": ["Decrypt"]}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and 'id="grants-editor-0"' in html and "111111111111:role/Worker" in html
    draft = Progress.objects.get(user=learner).draft["grants|alias/batch"]["grants"]
    assert draft == [{"grantee": "arn:aws:iam::111111111111:role/Worker", "operations": ["Decrypt"],
                      "id": "g-mine-1"}]


def test_a_grant_then_check_solves_the_scenario(learner_client, grant_lab):
    learner_client.post(add_url(), {"grantee": "arn:aws:iam::111111111111:role/Worker", "operations": ["Decrypt"]})
    html = learner_client.post(reverse("scenarios:check", args=["grant-lab"]), {}).content.decode()
    assert "Solved" in html


def test_an_unsupported_operation_is_refused_by_the_form(learner_client, grant_lab):
    html = learner_client.post(add_url(), {"grantee": "arn:aws:iam::111111111111:role/Worker",
                                           "operations": ["Sign"]}, headers={"HX-Request": "true"}).content.decode()
    assert "Select a valid choice" in html and "Sign is not one of the available choices" in html


def test_an_unknown_grantee_form_is_refused(learner_client, grant_lab):
    html = learner_client.post(add_url(), {"grantee": "Worker", "operations": ["Decrypt"]}).content.decode()
    assert "is not a principal" in html


def test_a_constraint_needs_pairs(learner_client, grant_lab):
    html = learner_client.post(add_url(), {"grantee": "arn:aws:iam::111111111111:role/Worker",
                                           "operations": ["Decrypt"],
                                           "constraint_kind": "EncryptionContextEquals"}).content.decode()
    assert "a constraint needs at least one key=value pair" in html


def test_editing_and_removing_a_grant(learner_client, learner, grant_lab):
    learner_client.post(add_url(), {"grantee": "arn:aws:iam::111111111111:role/Worker", "operations": ["Decrypt"]})
    edit = learner_client.get(reverse("scenarios:grant-edit", args=["grant-lab", "editor-0", 0]),
                              headers={"HX-Request": "true"})
    assert "Edit grant 1" in edit.content.decode()
    learner_client.post(reverse("scenarios:grant-update", args=["grant-lab", "editor-0", 0]),
                        {"grantee": "arn:aws:iam::111111111111:role/Worker", "operations": ["Decrypt", "Encrypt"],
                         "constraint_kind": "EncryptionContextSubset", "constraint_pairs": "team=batch"})
    grant = Progress.objects.get(user=learner).draft["grants|alias/batch"]["grants"][0]
    assert grant["operations"] == ["Decrypt", "Encrypt"]
    assert grant["constraints"] == {"EncryptionContextSubset": {"team": "batch"}}
    learner_client.post(reverse("scenarios:grant-remove", args=["grant-lab", "editor-0", 0]))
    assert Progress.objects.get(user=learner).draft["grants|alias/batch"]["grants"] == []


def test_a_guessed_grant_index_is_404(learner_client, grant_lab):
    assert learner_client.post(reverse("scenarios:grant-remove", args=["grant-lab", "editor-0", 5])).status_code == 404
    assert learner_client.post(reverse("scenarios:grant-add", args=["grant-lab", "editor-7"]), {}).status_code == 404
