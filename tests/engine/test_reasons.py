"""Decisions name the statements and grants that decided them, with stable codes."""

from __future__ import annotations

import json

import pytest

from kmstrainer.engine import CATALOGUE, Layer, Reason, ReasonCode, Request, Simulator, explain, parse_world
KEY = "arn:aws:kms:us-east-1:111111111111:key/r1"


def world(*statements, principals=(), grants=()):
    return parse_world({
        "principals": list(principals),
        "keys": [{"arn": KEY, "policy": {"Version": "2012-10-17", "Statement": list(statements)},
                  "grants": list(grants)}],
    })


TRUST = {"Sid": "EnableIAM", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
         "Action": "kms:*", "Resource": "*"}


def run(w, principal, action="Decrypt", **kw):
    return Simulator(w).run(Request(principal, action, key=KEY, **kw))


def codes(result):
    return [(r.code, r.layer, r.statement, r.sid, r.grant) for r in result.reasons]


def test_every_reason_code_has_exactly_one_sentence():
    assert set(ReasonCode) == set(CATALOGUE)


def test_a_reason_carries_a_code_of_the_vocabulary():
    assert Reason("grant-allows").code is ReasonCode.GRANT_ALLOWS
    with pytest.raises(ValueError):
        Reason("grant-allowz")


def test_every_layer_that_can_deny_has_its_deny_and_condition_codes():
    for layer in Layer:
        if layer is Layer.GRANT:
            assert layer.deny_code is None and layer.condition_not_met_code is None
        else:
            assert layer.deny_code in CATALOGUE and layer.condition_not_met_code in CATALOGUE


def test_reason_codes_serialise_as_their_plain_strings():
    data = json.loads(json.dumps(Reason(ReasonCode.KEY_POLICY_DENIES, layer="key_policy").as_dict()))
    assert data == {"code": "key-policy-denies", "layer": "key_policy"}


def test_every_sentence_renders_with_a_reference():
    for code in CATALOGUE:
        text = explain(Reason(code, layer="key_policy", statement=2, sid="S", detail="x"))
        assert "{" not in text and "}" not in text and len(text) > 20


def test_an_explicit_deny_names_the_deny_statement():
    deny = {"Sid": "NoDecrypt", "Effect": "Deny", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}
    result = run(world(TRUST, deny), "arn:aws:iam::111111111111:root")
    assert result.decision == "ExplicitlyDenied"
    assert codes(result) == [("key-policy-denies", "key_policy", 2, "NoDecrypt", None)]
    assert "explicit deny in a resource-based policy" in result.message


def test_iam_delegation_names_the_trust_statement_and_the_identity_statement():
    alice = {"arn": "arn:aws:iam::111111111111:user/alice", "policies": [{"name": "Use", "document": {
        "Version": "2012-10-17", "Statement": [{"Sid": "UseKey", "Effect": "Allow", "Action": "kms:Decrypt",
                                               "Resource": KEY}]}}]}
    result = run(world(TRUST, principals=[alice]), "arn:aws:iam::111111111111:user/alice")
    assert result.outcome == "allow"
    assert codes(result) == [("key-policy-allows-account", "key_policy", 1, "EnableIAM", None),
                             ("identity-allows", "identity", 1, "UseKey", None)]


def test_a_missing_iam_allow_is_named_with_the_trust_statement():
    result = run(world(TRUST), "arn:aws:iam::111111111111:user/bob")
    assert codes(result) == [("key-policy-allows-account", "key_policy", 1, "EnableIAM", None),
                             ("no-identity-allow", "identity", None, None, None)]
    assert result.message.endswith("because no identity-based policy allows the kms:Decrypt action")


def test_an_iam_allow_without_account_trust_is_named_as_ineffective():
    erin = {"arn": "arn:aws:iam::111111111111:user/erin", "policies": [{"name": "All", "document": {
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:*", "Resource": "*"}]}}]}
    only_bob = {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:user/bob"}, "Action": "kms:*",
                "Resource": "*"}
    result = run(world(only_bob, principals=[erin]), "arn:aws:iam::111111111111:user/erin")
    assert codes(result) == [("key-policy-no-account-trust", "identity", 1, None, None)]
    assert "no resource-based policy allows" in result.message


def test_a_grant_decision_names_the_grant():
    grant = {"id": "g-7", "grantee": "arn:aws:iam::111111111111:role/App", "operations": ["Decrypt"]}
    result = run(world(TRUST, grants=[grant]), "arn:aws:iam::111111111111:role/App")
    assert codes(result) == [("grant-allows", "grant", None, None, "g-7")]


def test_a_grant_that_misses_its_constraint_is_named_in_the_denial():
    grant = {"id": "g-8", "grantee": "arn:aws:iam::111111111111:role/App", "operations": ["Decrypt"],
             "constraints": {"EncryptionContextEquals": {"a": "b"}}}
    result = run(world(TRUST, grants=[grant]), "arn:aws:iam::111111111111:role/App")
    assert ("grant-constraint-mismatch", "grant", None, None, "g-8") in codes(result)


def test_the_trace_lists_every_statement_with_what_matched():
    cond = {"Sid": "ViaS3", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:user/bob"},
            "Action": "kms:Decrypt", "Resource": "*",
            "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}}
    result = run(world(TRUST, cond), "arn:aws:iam::111111111111:user/bob")
    trace = result.as_dict()["trace"]
    assert [t["statement"] for t in trace] == [1, 2]
    assert trace[0]["principal"] == "account"
    assert trace[1]["principal"] == "direct" and trace[1]["action"] and trace[1]["resource"]
    assert trace[1]["conditions"] == [{"operator": "StringEquals", "key": "kms:ViaService",
                                       "values": ["s3.us-east-1.amazonaws.com"], "request_value": None,
                                       "matched_value": None, "matched": False}]
    assert trace[1]["applies"] is False


def test_statements_whose_action_does_not_match_are_traced_as_such():
    other = {"Sid": "Describe", "Effect": "Allow", "Principal": "*", "Action": "kms:DescribeKey", "Resource": "*"}
    trace = run(world(other), "arn:aws:iam::111111111111:user/bob").as_dict()["trace"]
    assert trace[0]["action"] is False and trace[0]["principal"] == "wildcard" and trace[0]["conditions"] is None


def test_results_serialise_to_the_contract_shape():
    data = run(world(TRUST), "arn:aws:iam::111111111111:user/bob").as_dict()
    assert {"outcome", "decision", "message", "reasons", "trace"} <= set(data)
    assert data["outcome"] == "deny" and data["decision"] == "ImplicitlyDenied"


def test_a_statement_kept_out_by_a_condition_is_named_in_the_denial():
    cond = {"Sid": "FinanceOnly", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:user/bob"},
            "Action": "kms:Decrypt", "Resource": "*",
            "Condition": {"StringEquals": {"kms:EncryptionContext:Department": "Finance"}}}
    result = run(world(cond), "arn:aws:iam::111111111111:user/bob", encryption_context={"Department": "HR"})
    near = [r for r in result.reasons if r.code == "key-policy-condition-not-met"]
    assert [(r.statement, r.sid, r.detail) for r in near] == [
        (1, "FinanceOnly", "StringEquals kms:EncryptionContext:Department")]


def test_a_denial_read_after_later_requests_changed_the_key_policy_still_names_the_policy_it_was_decided_on():
    cond = {"Sid": "FinanceOnly", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:user/bob"},
            "Action": "kms:Decrypt", "Resource": "*",
            "Condition": {"StringEquals": {"kms:EncryptionContext:Department": "Finance"}}}
    sim = Simulator(world(TRUST, cond))
    denied = sim.run(Request("arn:aws:iam::111111111111:user/bob", "Decrypt", key=KEY,
                             encryption_context={"Department": "HR"}))
    replaced = sim.run(Request("arn:aws:iam::111111111111:root", "PutKeyPolicy", key=KEY, params={
        "Policy": json.dumps({"Version": "2012-10-17", "Statement": [TRUST]})}))
    assert replaced.ok
    # the denial's reasons are named when first read, from what the decision saw
    assert [(r.code, r.statement, r.sid) for r in denied.reasons][:1] == [
        ("key-policy-condition-not-met", 2, "FinanceOnly")]
    assert denied.as_dict()["reasons"][0]["sid"] == "FinanceOnly"
