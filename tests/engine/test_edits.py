"""The engine's editors: what a scenario lets the learner change, found the way the engine finds keys."""

from __future__ import annotations

from kmstrainer.engine import EditKind, Layer, load_scenario_text

KEY_ARN = "arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555"
SCENARIO = f"""id: editors
title: Editors
tip: grant-basics
difficulty: 1
story: s
task: t
explanation: e
world:
  keys:
    - arn: {KEY_ARN}
      aliases: [alias/batch]
      policy: {{Version: "2012-10-17", Statement: [{{Sid: Root, Effect: Allow, Principal: {{AWS: "arn:aws:iam::111111111111:root"}}, Action: "kms:*", Resource: "*"}}]}}
    - arn: arn:aws:kms:us-east-1:111111111111:key/mrk-1
      spec: HMAC_256
      usage: GENERATE_VERIFY_MAC
      policy: {{Version: "2012-10-17", Statement: []}}
  principals:
    - arn: arn:aws:iam::111111111111:role/Worker
editable:
  - {{kind: key_policy, key: "arn:aws:kms:us-east-1:111111111111:alias/batch"}}
  - {{kind: grants, key: mrk-1}}
  - {{kind: identity_policy, principal: "arn:aws:iam::111111111111:role/Worker", name: Reads}}
checks:
  - name: the root decrypts
    request: {{principal: "arn:aws:iam::111111111111:root", action: kms:Decrypt, key: alias/batch}}
    expect: allow
"""


def editors():
    return load_scenario_text(SCENARIO).editors()


def test_an_editor_named_by_alias_arn_finds_the_key_and_its_starting_policy():
    policy = editors()[0]
    assert (policy.id, policy.kind, policy.key_arn) == ("editor-0", EditKind.KEY_POLICY, KEY_ARN)
    assert policy.start["Statement"][0]["Sid"] == "Root"
    assert policy.label == "Key policy of arn:aws:kms:us-east-1:111111111111:alias/batch"


def test_a_grants_editor_named_by_key_id_offers_only_what_the_key_type_supports():
    grants = editors()[1]
    assert grants.kind == EditKind.GRANTS and grants.start == []
    assert set(grants.grant_operations) >= {"GenerateMac", "VerifyMac"}
    assert "Decrypt" not in grants.grant_operations


def test_a_missing_iam_policy_starts_empty_and_its_edit_is_in_the_contract_form():
    identity = editors()[2]
    assert identity.start == {"Version": "2012-10-17", "Statement": []}
    assert identity.edit("{}") == {"kind": "identity_policy", "principal": "arn:aws:iam::111111111111:role/Worker",
                                   "name": "Reads", "document": "{}"}
    assert identity.target == ("identity_policy", "arn:aws:iam::111111111111:role/Worker", "Reads")


def test_an_editor_knows_which_statements_are_its_own():
    policy, grants, identity = editors()
    assert policy.holds(Layer.KEY_POLICY, None, KEY_ARN) and not policy.holds(Layer.GRANT, None, KEY_ARN)
    assert grants.holds(Layer.GRANT, None, "arn:aws:kms:us-east-1:111111111111:key/mrk-1")
    assert identity.holds(Layer.IDENTITY, "Reads", None) and not identity.holds(Layer.IDENTITY, "Other", None)


def test_editors_are_worked_out_once_per_scenario():
    scenario = load_scenario_text(SCENARIO)
    assert scenario.editors() is scenario.editors()
