"""The linter reports each risk with a severity, a code and a JSON path (Access Analyzer style)."""

from __future__ import annotations

import json

import pytest

from kmstrainer.engine import lint_document, lint_policy_text

ROOT = {"Sid": "EnableIAM", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
        "Action": "kms:*", "Resource": "*"}
APP = {"AWS": "arn:aws:iam::111111111111:role/App"}


def findings(*statements, kind="key_policy", version=True):
    doc = {"Statement": list(statements)}
    if version:
        doc = {"Version": "2012-10-17", **doc}
    return {(f.severity, f.code, f.path) for f in lint_document(doc, kind=kind)}


def test_the_default_key_policy_is_clean():
    assert findings(ROOT) == set()


def test_no_statement_trusting_the_account_is_a_warning():
    assert ("WARNING", "no-account-trust", "") in findings(
        {"Effect": "Allow", "Principal": APP, "Action": "kms:Decrypt", "Resource": "*"})


def test_a_wildcard_principal_without_conditions_is_a_security_warning():
    assert ("SECURITY_WARNING", "wildcard-principal-without-condition", "Statement[1].Principal") in findings(
        ROOT, {"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"})


def test_a_wildcard_principal_with_a_condition_is_not_flagged():
    result = findings(ROOT, {"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
                             "Condition": {"StringEquals": {"kms:CallerAccount": "111111111111"}}})
    assert not any(code == "wildcard-principal-without-condition" for _, code, _ in result)


def test_kms_star_for_a_non_administrator_is_a_security_warning():
    assert ("SECURITY_WARNING", "kms-star-for-principal", "Statement[1].Action") in findings(
        ROOT, {"Effect": "Allow", "Principal": APP, "Action": "kms:*", "Resource": "*"})


def test_grant_management_without_grant_is_for_aws_resource_is_a_warning():
    assert ("WARNING", "grant-without-aws-resource-condition", "Statement[1].Action") in findings(
        ROOT, {"Effect": "Allow", "Principal": APP, "Action": ["kms:CreateGrant", "kms:ListGrants"], "Resource": "*"})


def test_listing_grants_alone_is_not_grant_management():
    result = findings(ROOT, {"Effect": "Allow", "Principal": APP, "Action": ["kms:Describe*", "kms:List*"],
                             "Resource": "*"})
    assert not any(code == "grant-without-aws-resource-condition" for _, code, _ in result)


def test_replicating_a_key_into_any_region_is_a_warning_unless_the_regions_are_named():
    loose = findings(ROOT, {"Effect": "Allow", "Principal": APP, "Action": "kms:ReplicateKey", "Resource": "*"})
    assert ("WARNING", "replicate-key-to-any-region", "Statement[1].Action") in loose
    named = findings(ROOT, {"Effect": "Allow", "Principal": APP, "Action": "kms:ReplicateKey", "Resource": "*",
                            "Condition": {"StringEquals": {"kms:ReplicaRegion": ["eu-west-1"]}}})
    assert not any(code == "replicate-key-to-any-region" for _, code, _ in named)


def test_forallvalues_without_a_null_guard_is_a_security_warning():
    path = "Statement[1].Condition.ForAllValues:StringEquals.kms:EncryptionContextKeys"
    assert ("SECURITY_WARNING", "forallvalues-without-null", path) in findings(
        ROOT, {"Effect": "Allow", "Principal": APP, "Action": "kms:Decrypt", "Resource": "*",
               "Condition": {"ForAllValues:StringEquals": {"kms:EncryptionContextKeys": ["a"]}}})


def test_a_single_valued_operator_on_a_multi_valued_key_is_a_warning():
    assert any(code == "single-valued-operator-on-multivalued-key" for _, code, _ in findings(
        ROOT, {"Effect": "Allow", "Principal": APP, "Action": "kms:CreateGrant", "Resource": "*",
               "Condition": {"StringEquals": {"kms:GrantOperations": "Decrypt"},
                             "Bool": {"kms:GrantIsForAWSResource": "true"}}}))


def test_forallvalues_on_an_encryption_context_key_is_an_error():
    assert any(sev == "ERROR" and code == "forallvalues-on-single-valued-key" for sev, code, _ in findings(
        ROOT, {"Effect": "Allow", "Principal": APP, "Action": "kms:Decrypt", "Resource": "*",
               "Condition": {"ForAllValues:StringEquals": {"kms:EncryptionContext:Dept": "IT"}}}))


def test_a_key_policy_resource_other_than_star_is_a_warning():
    assert ("WARNING", "key-policy-resource-not-star", "Statement[1].Resource") in findings(
        ROOT, {"Effect": "Allow", "Principal": APP, "Action": "kms:Decrypt",
               "Resource": "arn:aws:kms:us-east-1:111111111111:key/x"})


def test_missing_resource_and_action_are_errors():
    result = findings(ROOT, {"Effect": "Allow", "Principal": APP})
    assert ("ERROR", "missing-resource", "Statement[1]") in result
    assert ("ERROR", "missing-action", "Statement[1]") in result


def test_unknown_kms_actions_are_errors_with_a_hint_for_reencrypt():
    result = lint_document({"Version": "2012-10-17", "Statement": [ROOT, {
        "Effect": "Allow", "Principal": APP, "Action": ["kms:ReEncrypt", "kms:Decrpyt"], "Resource": "*"}]},
        kind="key_policy")
    unknown = [f for f in result if f.code == "unknown-action"]
    assert [f.path for f in unknown] == ["Statement[1].Action[0]", "Statement[1].Action[1]"]
    assert "ReEncryptFrom" in unknown[0].message


def test_unknown_condition_keys_are_warnings():
    assert any(code == "unknown-condition-key" for _, code, _ in findings(
        ROOT, {"Effect": "Allow", "Principal": APP, "Action": "kms:Decrypt", "Resource": "*",
               "Condition": {"StringEquals": {"kms:EncryptionContex:Dept": "IT"}}}))


def test_unknown_operators_are_errors():
    result = lint_document({"Statement": [{"Effect": "Allow", "Principal": APP, "Action": "kms:Decrypt",
                                           "Resource": "*", "Condition": {"StringEqualz": {"a:b": "c"}}}]},
                           kind="key_policy")
    assert [(f.severity, f.code) for f in result] == [("ERROR", "policy.unknown_operator")]


def test_notprincipal_with_allow_is_a_security_warning():
    assert ("SECURITY_WARNING", "notprincipal-with-allow", "Statement[1].NotPrincipal") in findings(
        ROOT, {"Effect": "Allow", "NotPrincipal": APP, "Action": "kms:Decrypt", "Resource": "*"})


def test_duplicate_sids_are_errors():
    assert ("ERROR", "duplicate-sid", "Statement[1].Sid") in findings(ROOT, dict(ROOT))


def test_a_statement_that_can_never_match_is_a_warning():
    assert ("WARNING", "statement-never-matches", "Statement[1].Action") in findings(
        ROOT, {"Effect": "Allow", "Principal": APP, "Action": "s3:GetObject", "Resource": "*"})
    assert any(code == "statement-never-matches" for _, code, _ in findings(
        ROOT, {"Effect": "Allow", "Principal": APP, "Action": "kms:DescribeKey", "Resource": "*",
               "Condition": {"StringEquals": {"kms:EncryptionContext:Dept": "IT"}}}))


def test_an_alias_arn_in_an_identity_policy_resource_is_a_warning():
    assert ("WARNING", "alias-arn-in-resource", "Statement[0].Resource") in findings(
        {"Effect": "Allow", "Action": "kms:Encrypt", "Resource": "arn:aws:kms:us-east-1:111111111111:alias/app"},
        kind="identity")


@pytest.mark.parametrize("code", ["missing-version"])
def test_a_missing_version_is_a_warning(code):
    assert ("WARNING", code, "") in findings(ROOT, version=False)


def test_findings_from_text_carry_line_and_column():
    text = json.dumps({"Version": "2012-10-17", "Statement": [ROOT, {
        "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}]}, indent=2)
    finding = next(f for f in lint_policy_text(text) if f.code == "wildcard-principal-without-condition")
    assert finding.line == text.splitlines().index('      "Principal": "*",') + 1
