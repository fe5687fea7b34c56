"""Condition operators: the registry, and what a condition says about the value it matched."""

from __future__ import annotations

import pytest

from kmstrainer.engine import OPERATORS, Request, Simulator, parse_world, trace_dicts
from kmstrainer.engine.policy import parse_policy

# Every base operator of the IAM policy language (IAM User Guide, "IAM JSON policy elements: Condition operators").
IAM_OPERATORS = {
    "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike",
    "StringNotLike", "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals",
    "NumericGreaterThan", "NumericGreaterThanEquals", "DateEquals", "DateNotEquals", "DateLessThan",
    "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals", "Bool", "BinaryEquals", "IpAddress",
    "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null",
}


def condition(operator: str, key: str, *values: str):
    policy = parse_policy({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*",
        "Condition": {operator: {key: list(values)}}}]}, kind="identity")
    return policy.statements[0].conditions[0]


def test_the_registry_has_every_iam_operator_and_no_other():
    assert set(OPERATORS) == IAM_OPERATORS


def test_an_operator_is_negated_exactly_when_its_name_says_not():
    for name, op in OPERATORS.items():
        assert op.negated == ("Not" in name), name


@pytest.mark.parametrize("operator, key, values, request_value, matched_on", [
    ("StringLike", "kms:ViaService", ("ec2.*.amazonaws.com", "s3.*.amazonaws.com"), "s3.us-east-1.amazonaws.com",
     "s3.*.amazonaws.com"),
    ("StringEqualsIgnoreCase", "aws:PrincipalTag/team", ("Payroll",), "PAYROLL", "Payroll"),
    ("NumericLessThanEquals", "kms:GrantConstraintType", ("10", "3"), "5", "10"),
    ("DateGreaterThan", "aws:CurrentTime", ("2020-01-01T00:00:00Z",), "2026-11-30T12:00:00Z", "2020-01-01T00:00:00Z"),
    ("IpAddress", "aws:SourceIp", ("10.0.0.0/8", "192.0.2.0/24"), "192.0.2.7", "192.0.2.0/24"),
    ("ArnLike", "aws:PrincipalArn", ("arn:aws:iam::*:role/Payroll*",), "arn:aws:iam::111122223333:role/PayrollApp",
     "arn:aws:iam::*:role/Payroll*"),
    ("Bool", "aws:ViaAWSService", ("true",), "TRUE", "true"),
])
def test_a_condition_says_which_policy_value_the_request_matched(operator, key, values, request_value, matched_on):
    explained = condition(operator, key, *values).explain({key.lower(): request_value})
    assert explained.matched
    assert explained.request_value == request_value
    assert explained.policy_value == matched_on


def test_a_negated_operator_holds_when_no_value_matches_and_names_none():
    c = condition("StringNotEquals", "kms:CallerAccount", "111122223333")
    assert c.explain({"kms:calleraccount": "444455556666"}) == (True, "444455556666", None)
    assert c.explain({"kms:calleraccount": "111122223333"}) == (False, "111122223333", "111122223333")


def test_a_value_that_cannot_be_read_as_the_operator_type_matches_nothing():
    assert not condition("NumericEquals", "aws:MultiFactorAuthAge", "3600").evaluate({"aws:multifactorauthage": "soon"})
    assert not condition("IpAddress", "aws:SourceIp", "10.0.0.0/8").evaluate({"aws:sourceip": "not-an-ip"})


def test_for_any_value_names_the_policy_value_one_request_value_matched():
    c = condition("ForAnyValue:StringEquals", "kms:EncryptionContextKeys", "Department", "Project")
    explained = c.explain({"kms:encryptioncontextkeys": ("Owner", "Project")})
    assert explained == (True, ["Owner", "Project"], "Project")


def test_the_trace_shows_the_value_a_condition_matched():
    key = "arn:aws:kms:us-east-1:111122223333:key/k1"
    world = parse_world({"principals": [{"arn": "arn:aws:iam::111122223333:role/App"}], "keys": [{
        "arn": key, "policy": {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
            "Action": "kms:Decrypt", "Resource": "*",
            "Condition": {"StringLike": {"kms:ViaService": ["ec2.*.amazonaws.com", "s3.*.amazonaws.com"]}}}]}}],
    })
    result = Simulator(world).run(Request("arn:aws:iam::111122223333:role/App", "Decrypt", key=key,
                                          via_service="s3.us-east-1.amazonaws.com"))
    assert result.outcome == "allow"
    [statement] = [t for t in trace_dicts(result.trace) if t["kind"] == "statement"]
    assert statement["conditions"][0]["matched_value"] == "s3.*.amazonaws.com"
