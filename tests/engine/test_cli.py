"""The engine's command line: test, evaluate, validate, lint, with the contract's exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import CONFORMANCE, CONFORMANCE_NEXT, EXAMPLE, ROOT, require_conformance


def engine(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kmstrainer.engine", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def write(tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


GOOD = """id: tiny
world:
  keys:
    - arn: arn:aws:kms:us-east-1:111111111111:key/t
      policy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {AWS: "arn:aws:iam::111111111111:user/a"}, Action: "kms:Decrypt", Resource: "*"}]}
checks:
  - name: a decrypts
    request: {principal: "arn:aws:iam::111111111111:user/a", action: kms:Decrypt, key: "arn:aws:kms:us-east-1:111111111111:key/t"}
    expect: allow
"""


def test_test_passes_the_conformance_suite_and_ends_with_the_count():
    require_conformance()
    result = engine("test", CONFORMANCE)
    assert result.returncode == 0
    assert result.stdout.splitlines()[-1] == "45 passed, 0 failed"


def test_test_passes_the_conformance_suite_of_the_new_kms_features():
    require_conformance(CONFORMANCE_NEXT)
    result = engine("test", CONFORMANCE_NEXT)
    assert result.returncode == 0 and result.stdout.splitlines()[-1] == "23 passed, 0 failed"


def test_a_failing_check_exits_1_and_names_expected_and_actual(tmp_path):
    path = write(tmp_path, "f.yaml", GOOD.replace("expect: allow", "expect: explicit-deny"))
    result = engine("test", path)
    assert result.returncode == 1
    assert "FAIL" in result.stdout and "expected explicit-deny, got allow" in result.stdout
    assert result.stdout.splitlines()[-1] == "0 passed, 1 failed"


def test_an_invalid_file_exits_2_and_names_file_line_and_key(tmp_path):
    path = write(tmp_path, "bad.yaml", GOOD.replace("checks:", "chekcs:"))
    result = engine("test", path)
    assert result.returncode == 2
    assert f"{path}:1:1" in result.stdout or "`chekcs`" in result.stdout
    assert result.stdout.splitlines()[-1] == "0 passed, 0 failed"


def test_evaluate_json_prints_one_object_in_the_contract_shape(tmp_path):
    world = write(tmp_path, "w.yaml", GOOD)
    request = write(tmp_path, "r.yaml", 'principal: "arn:aws:iam::111111111111:user/b"\naction: kms:Decrypt\n'
                                        'key: "arn:aws:kms:us-east-1:111111111111:key/t"\n')
    result = engine("evaluate", "--world", world, "--request", request, "--json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["outcome"] == "deny" and data["decision"] == "ImplicitlyDenied"
    assert data["reasons"][0]["code"] == "no-key-policy-allow"
    assert data["trace"][0]["statement"] == 1


def test_evaluate_runs_a_steps_list(tmp_path):
    world = write(tmp_path, "w.yaml", GOOD)
    request = write(tmp_path, "r.yaml", """steps:
  - request: {principal: "arn:aws:iam::111111111111:user/a", action: kms:Decrypt, key: "arn:aws:kms:us-east-1:111111111111:key/t"}
  - request: {principal: "arn:aws:iam::111111111111:user/a", action: kms:Encrypt, key: "arn:aws:kms:us-east-1:111111111111:key/t"}
""")
    data = json.loads(engine("evaluate", "--world", world, "--request", request, "--json").stdout)
    assert [s["outcome"] for s in data["steps"]] == ["allow", "deny"]


def test_validate_accepts_the_example_scenario():
    result = engine("validate", EXAMPLE)
    assert result.returncode == 0 and "VALID" in result.stdout


def test_validate_refuses_a_scenario_whose_world_already_passes(tmp_path):
    path = write(tmp_path, "s.yaml", GOOD + """editable:
  - {kind: key_policy, key: "arn:aws:kms:us-east-1:111111111111:key/t"}
solution:
  - kind: key_policy
    key: "arn:aws:kms:us-east-1:111111111111:key/t"
    policy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {AWS: "arn:aws:iam::111111111111:user/a"}, Action: "kms:Decrypt", Resource: "*"}]}
""")
    result = engine("validate", path)
    assert result.returncode == 1 and "nothing to do" in result.stdout


def test_lint_exits_1_on_errors_and_0_on_a_clean_policy(tmp_path):
    bad = write(tmp_path, "bad.json", '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
                                      '"Principal": "*", "Action": "kms:ReEncrypt"}]}')
    result = engine("lint", bad)
    assert result.returncode == 1 and "unknown-action" in result.stdout and "missing-resource" in result.stdout
    clean = write(tmp_path, "ok.json", '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": '
                                       '{"AWS": "arn:aws:iam::111111111111:root"}, "Action": "kms:*", '
                                       '"Resource": "*"}]}')
    assert engine("lint", clean).returncode == 0
