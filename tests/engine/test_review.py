"""The access review: over-broad answers are caught with a counterexample, references are solved."""

from __future__ import annotations

import copy
import glob
import json
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kmstrainer.engine import grade, load_scenario, load_scenario_text, review_scenario

from .conftest import EXAMPLE, ROOT

CASE = os.path.join(ROOT, "tests", "engine", "review", "payroll-decrypt-only.yaml")
PACK = sorted(glob.glob(os.path.join(ROOT, "scenarios", "content", "*.yaml")))
PAYROLL = "arn:aws:iam::111111111111:role/Payroll"
ADMIN = "arn:aws:iam::111111111111:role/KeyAdmin"


@pytest.fixture(scope="module")
def case():
    return load_scenario(CASE)


def with_statements(case, *changes):
    """The reference key policy with statements changed: (index, {field: value}) or a new statement."""
    edits = copy.deepcopy(case.solution)
    statements = edits[0]["policy"]["Statement"]
    for change in changes:
        if isinstance(change, tuple):
            index, fields = change
            statements[index].update(fields)
            for name, value in fields.items():
                if value is None:
                    del statements[index][name]
        else:
            statements.append(change)
    return edits


def short(principal: str) -> str:
    return principal.rsplit("/", 1)[-1].rsplit(":", 1)[-1]


def over(result) -> set[tuple[str, str]]:
    return {(short(f.principal), f.action) for f in result.review.over_grants}


def test_the_reference_graded_against_itself_is_solved_with_no_finding(case):
    result = grade(case, case.solution)
    assert result.solved and result.review.over_grants == () and result.review.under_grants == ()


@pytest.mark.parametrize("path", PACK + [EXAMPLE], ids=lambda p: os.path.basename(p))
def test_every_pack_reference_is_solved_by_the_review(path):
    scenario = load_scenario(path)
    result = grade(scenario, scenario.solution)
    assert result.solved and not result.review.over_grants and not result.review.under_grants


VIA_S3_ONLY = {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}


def test_not_action_encrypt_instead_of_decrypt_is_caught_as_escalation(case):
    result = grade(case, with_statements(case, (0, {"Action": None, "NotAction": "kms:Encrypt",
                                                    "Condition": VIA_S3_ONLY})))
    assert result.checks_pass and not result.solved
    assert {("Payroll", "PutKeyPolicy"), ("Payroll", "ScheduleKeyDeletion"), ("Payroll", "CreateGrant")} <= over(result)
    finding = next(f for f in result.review.over_grants if f.action == "PutKeyPolicy")
    assert finding.cls == "escalation"
    assert finding.allowed_by == {"layer": "key_policy", "statement": 1, "sid": "PayrollDecryptsThroughS3"}
    assert finding.request == {"principal": PAYROLL, "action": "kms:PutKeyPolicy", "key": case.world_data["keys"][0]["arn"],
                               "via_service": "s3.us-east-1.amazonaws.com"}


def test_an_administrator_keeping_put_or_create_grant_is_caught(case):
    result = grade(case, with_statements(case, (1, {"Action": ["kms:Describe*", "kms:Enable*", "kms:Disable*",
                                                               "kms:TagResource", "kms:UntagResource", "kms:Put*",
                                                               "kms:Create*"]})))
    assert {("KeyAdmin", "PutKeyPolicy"), ("KeyAdmin", "CreateGrant"), ("KeyAdmin", "CreateAlias")} <= over(result)
    assert ("KeyAdmin", "EnableKeyRotation") in over(result)  # Enable* reaches rotation too
    assert not result.solved


def test_dropping_the_via_service_condition_is_caught_with_a_direct_call_as_counterexample(case):
    conditions = {"StringEquals": {"kms:EncryptionContext:team": "payroll"}}
    result = grade(case, with_statements(case, (0, {"Condition": conditions})))
    [finding] = [f for f in result.review.over_grants if f.action == "Decrypt"]
    assert "via_service" not in finding.request and finding.request["encryption_context"] == {"team": "payroll"}
    assert finding.cls == "data" and not result.solved and not result.checks_pass  # the hidden check fails too


def test_account_trust_plus_an_iam_administrator_elsewhere_is_caught(case):
    trust = {"Sid": "EnableIAMPolicies", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
             "Action": "kms:*", "Resource": "*"}
    result = grade(case, with_statements(case, trust))
    assert {("Platform", "Decrypt"), ("Platform", "PutKeyPolicy"), ("root", "ScheduleKeyDeletion")} <= over(result)
    platform = next(f for f in result.review.over_grants if f.principal.endswith("Platform"))
    assert platform.allowed_by["sid"] == "EnableIAMPolicies"


def test_kms_star_to_everyone_is_caught_and_the_outsider_still_needs_its_own_iam_policy(case):
    everyone = {"Sid": "Everyone", "Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*"}
    result = grade(case, with_statements(case, everyone))
    assert {("KeyAdmin", "Decrypt"), ("KeyAdmin", "PutKeyPolicy"), ("Platform", "ScheduleKeyDeletion")} <= over(result)
    assert not any(p == "Outsider" for p, _ in over(result))  # cross-account: its own account must allow too


def test_read_over_grants_are_shown_but_do_not_block_in_sensitive_mode(case):
    result = grade(case, with_statements(case, (1, {"Action": ["kms:DescribeKey", "kms:EnableKey", "kms:DisableKey",
                                                               "kms:TagResource", "kms:UntagResource",
                                                               "kms:ListGrants", "kms:GetKeyPolicy"]})))
    assert {("KeyAdmin", "ListGrants"), ("KeyAdmin", "GetKeyPolicy")} <= over(result)
    assert result.review.blocking == () and result.solved


def test_strict_mode_blocks_read_over_grants_and_off_grades_by_checks_alone(case):
    text = open(CASE, encoding="utf-8").read()
    edits = with_statements(case, (1, {"Action": ["kms:DescribeKey", "kms:EnableKey", "kms:DisableKey",
                                                  "kms:TagResource", "kms:UntagResource", "kms:ListGrants"]}))
    strict = load_scenario_text(text + "access_review: {mode: strict}\n")
    assert not grade(strict, edits).solved
    off = load_scenario_text(text + "access_review: {mode: off}\n")
    broad = with_statements(case, (0, {"Action": None, "NotAction": "kms:Encrypt", "Condition": VIA_S3_ONLY}))
    assert grade(off, broad).solved and grade(off, broad).review.probes == 0


def test_a_tolerated_over_grant_is_reported_but_does_not_block(case):
    text = open(CASE, encoding="utf-8").read() + (
        "access_review:\n  tolerate:\n    - {principal: 'arn:aws:iam::111111111111:role/KeyAdmin', "
        "actions: ['kms:Create*']}\n")
    scenario = load_scenario_text(text)
    result = grade(scenario, with_statements(case, (1, {"Action": ["kms:DescribeKey", "kms:EnableKey",
                                                                   "kms:DisableKey", "kms:TagResource",
                                                                   "kms:UntagResource", "kms:CreateAlias"]})))
    [finding] = result.review.over_grants
    assert finding.tolerated and result.solved


def test_under_grants_are_reported_without_blocking(case):
    result = grade(case, with_statements(case, (1, {"Action": ["kms:DisableKey"]})))
    assert {(short(f.principal), f.action) for f in result.review.under_grants} >= {
        ("KeyAdmin", "EnableKey"), ("KeyAdmin", "TagResource")}
    assert result.solved


def test_an_unknown_review_setting_is_refused_with_its_line():
    from kmstrainer.engine import EngineInputError

    with pytest.raises(EngineInputError) as info:
        load_scenario_text(open(CASE, encoding="utf-8").read() + "access_review: {mode: lenient}\n", file="s.yaml")
    assert "mode" in info.value.message and info.value.line is not None


extra_statement = st.fixed_dictionaries({
    "Effect": st.sampled_from(["Allow", "Deny"]),
    "Principal": st.sampled_from(["*", {"AWS": PAYROLL}, {"AWS": ADMIN}, {"AWS": "arn:aws:iam::111111111111:root"}]),
    "Action": st.sampled_from(["kms:*", "kms:Decrypt", "kms:Create*", "kms:PutKeyPolicy", ["kms:Encrypt", "kms:Get*"]]),
    "Resource": st.just("*"),
})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(base=st.lists(extra_statement, max_size=2), added=extra_statement)
def test_an_allow_never_removes_an_over_grant_and_a_deny_never_adds_one(case, base, added):
    before = review_scenario(case, with_statements(case, *base))
    after = review_scenario(case, with_statements(case, *base, added))
    keys = {(f.principal, f.action) for f in before.over_grants}
    keys_after = {(f.principal, f.action) for f in after.over_grants}
    if added["Effect"] == "Allow":
        assert keys <= keys_after
    else:
        assert keys_after <= keys


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(base=st.lists(extra_statement, max_size=3))
def test_the_review_is_deterministic(case, base):
    edits = with_statements(case, *base)
    first = review_scenario(case, edits).as_dict()
    case.reviews.clear()  # asked afresh, not from the memo of identical edits
    assert review_scenario(case, edits).as_dict() == first


def test_identical_edits_are_answered_from_the_scenarios_memo(case):
    edits = with_statements(case, (1, {"Action": ["kms:DisableKey"]}))
    assert review_scenario(case, edits) is review_scenario(case, copy.deepcopy(edits))


def engine(*args):
    return subprocess.run([sys.executable, "-m", "kmstrainer.engine", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_grade_prints_the_contracts_json_and_exits_1_when_not_solved(case, tmp_path):
    edits = tmp_path / "edits.json"
    edits.write_text(json.dumps(with_statements(case, (0, {"Action": None, "NotAction": "kms:Encrypt",
                                                           "Condition": VIA_S3_ONLY}))))
    result = engine("grade", CASE, "--edits", str(edits), "--json")
    data = json.loads(result.stdout)
    assert result.returncode == 1 and data["solved"] is False
    assert data["checks"] == {"passed": 3, "failed": 0, "hidden_failed": 0}
    assert data["review"]["mode"] == "sensitive" and data["review"]["bounded"] is False
    finding = next(f for f in data["review"]["over_grants"] if f["action"] == "kms:PutKeyPolicy")
    assert finding["class"] == "escalation" and finding["allowed_by"]["sid"] == "PayrollDecryptsThroughS3"


def test_grade_exits_0_for_the_reference(case, tmp_path):
    edits = tmp_path / "edits.yaml"
    edits.write_text(json.dumps(case.solution))
    result = engine("grade", CASE, "--edits", str(edits))
    assert result.returncode == 0 and result.stdout.strip().endswith("SOLVED")


@pytest.mark.parametrize(("content", "words"), [
    ('[{"kind": "scp", "name": "x", "document": {}}]', "editable"),
    ('[{"kind": "key_policy", "key": "alias/nope", "policy": {}}]', "editable"),
    ('[{"kind": "colour", "key": "alias/payroll"}]', "kind"),
    ("[{oops", "invalid"),
])
def test_grade_refuses_bad_edits_with_exit_2_and_a_position(tmp_path, content, words):
    edits = tmp_path / "edits.json"
    edits.write_text(content)
    result = engine("grade", CASE, "--edits", str(edits))
    assert result.returncode == 2 and words in result.stderr and "edits.json:1" in result.stderr


def test_access_lists_who_can_do_what_and_refuses_an_unknown_key(tmp_path):
    result = engine("access", EXAMPLE, "--json")
    cells = json.loads(result.stdout)["cells"]
    assert result.returncode == 0
    assert any(c["allowed"] and c["principal"].endswith(":root") and c["action"] == "kms:PutKeyPolicy" for c in cells)
    assert all(not c["allowed"] for c in cells if c["principal"].endswith("role/Outsider"))
    missing = engine("access", EXAMPLE, "--key", "alias/nope")
    assert missing.returncode == 2 and "alias/nope" in missing.stderr


def test_validate_warns_about_vacuous_checks(tmp_path):
    text = open(CASE, encoding="utf-8").read() + """  - name: A stranger may not decrypt
    request: {principal: "arn:aws:iam::999999999999:role/Stranger", action: kms:Decrypt,
              key: "arn:aws:kms:us-east-1:111111111111:key/aaaaaaaa-1111-2222-3333-444444444444"}
    expect: deny
"""
    path = tmp_path / "s.yaml"
    path.write_text(text)
    result = engine("validate", str(path))
    assert result.returncode == 0 and "vacuous check `A stranger may not decrypt`" in result.stdout


@pytest.mark.parametrize("path", PACK, ids=lambda p: os.path.basename(p))
def test_no_check_of_the_pack_is_vacuous(path):
    from kmstrainer.engine import vacuous_checks

    assert vacuous_checks(load_scenario(path)) == []
