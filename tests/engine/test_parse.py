"""Bad input gets a message that says what and where: JSON path, line:column, file, key."""

from __future__ import annotations

import pytest

from kmstrainer.engine import (
    EngineInputError, PolicyParseError, load_scenario_text, load_text, parse_policy, parse_requests,
    parse_world_document,
)

from .conftest import EXAMPLE as EXAMPLE_PATH


def parse_error(text: str, kind: str = "key_policy") -> PolicyParseError:
    with pytest.raises(PolicyParseError) as info:
        parse_policy(text, kind=kind)
    return info.value


def test_malformed_json_reports_json_line_and_column():
    with pytest.raises(EngineInputError) as info:
        parse_policy('{\n  "Statement": [\n    {"Effect": "Allow",}\n  ]\n}', kind="key_policy")
    assert (info.value.line, info.value.column) == (3, 24)
    assert info.value.code == "input.json_syntax"


def test_a_bad_effect_points_at_the_effect_element():
    error = parse_error('{"Statement": [\n {"Effect": "Permit", "Principal": "*", "Action": "kms:*", "Resource": "*"}]}')
    assert error.path == "Statement[0].Effect" and error.line == 2 and error.code == "policy.bad_effect"


def test_a_partial_wildcard_principal_is_refused():
    error = parse_error('{"Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:role/app-*"},'
                        ' "Action": "kms:*", "Resource": "*"}}')
    assert error.code == "policy.principal_wildcard" and error.path == "Statement.Principal.AWS"


def test_an_unknown_principal_form_is_refused():
    error = parse_error('{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "bob"}, "Action": "kms:*", '
                        '"Resource": "*"}]}')
    assert error.code == "policy.invalid_principal"
    assert "`bob` is not a valid AWS principal" in error.message


def test_a_key_policy_statement_needs_a_principal():
    assert parse_error('{"Statement": [{"Effect": "Allow", "Action": "kms:*", "Resource": "*"}]}').code == \
        "policy.missing_principal"


def test_an_identity_policy_may_not_name_a_principal():
    error = parse_error('{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*"}]}',
                        kind="identity")
    assert error.code == "policy.principal_not_allowed"


def test_unknown_operators_and_elements_are_named():
    assert parse_error('{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*", '
                       '"Condition": {"StringEqualz": {"a:b": "c"}}}]}').code == "policy.unknown_operator"
    error = parse_error('{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*", '
                        '"Condtion": {}}]}')
    assert error.code == "policy.unknown_element" and "`Condtion`" in error.message


def test_an_action_without_a_service_prefix_is_refused():
    assert parse_error('{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "Decrypt", '
                       '"Resource": "*"}]}').code == "policy.bad_action"


def test_a_statement_without_action_or_resource_parses_but_never_applies():
    policy = parse_policy({"Statement": [{"Effect": "Allow", "Principal": "*"}]}, kind="key_policy")
    statement = policy.statements[0]
    assert statement.actions is None and statement.resources is None
    assert not statement.match_action("kms:decrypt")


def test_policy_size_is_measured_on_the_text_as_given():
    text = '{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*"}]}'
    assert parse_policy(text, kind="key_policy").size == len(text)


SCENARIO = """id: bad-one
world:
  keys:
    - arn: arn:aws:kms:us-east-1:111111111111:key/k
      policy: {Statement: [{Effect: Allow, Principal: "*", Action: "kms:*", Resource: "*"}]}
      colour: blue
checks:
  - name: x
    request: {principal: "arn:aws:iam::111111111111:root", action: kms:Decrypt, key: alias/x}
    expect: allow
"""


def test_an_unknown_world_key_names_the_file_the_line_and_the_key():
    with pytest.raises(EngineInputError) as info:
        load_scenario_text(SCENARIO, file="bad.yaml")
    error = info.value
    assert (error.file, error.line) == ("bad.yaml", 6)
    assert "`colour`" in error.message and error.path == "world.keys[0].colour"
    assert str(error).startswith("bad.yaml:6:7: unknown key `colour`")


def test_an_unknown_top_level_key_is_an_error_not_ignored():
    with pytest.raises(EngineInputError) as info:
        load_scenario_text(SCENARIO.replace("      colour: blue\n", "") + "extra: 1\n", file="f.yaml")
    assert info.value.line == 10 and "`extra`" in info.value.message


def test_an_unknown_expect_value_is_refused():
    with pytest.raises(EngineInputError) as info:
        load_scenario_text(SCENARIO.replace("      colour: blue\n", "").replace("expect: allow", "expect: maybe"))
    assert info.value.path == "checks[0].expect"


def test_an_unknown_action_in_a_request_is_refused_with_its_line():
    with pytest.raises(EngineInputError) as info:
        load_scenario_text(SCENARIO.replace("      colour: blue\n", "").replace("kms:Decrypt", "kms:Decrpyt"))
    assert info.value.line == 8 and info.value.code == "request.unknown_action"


def test_a_policy_error_inside_the_world_carries_the_full_path():
    text = SCENARIO.replace("      colour: blue\n", "").replace('Effect: Allow', 'Effect: Alow')
    with pytest.raises(EngineInputError) as info:
        load_scenario_text(text, file="p.yaml")
    assert info.value.path == "world.keys[0].policy.Statement[0].Effect" and info.value.line == 5


def test_duplicate_yaml_keys_are_reported():
    with pytest.raises(EngineInputError) as info:
        load_scenario_text("id: a\nid: b\nworld: {}\nchecks: []\n")
    assert info.value.code == "input.duplicate_key" and info.value.line == 2


def test_a_template_referring_to_no_saved_step_is_refused():
    text = SCENARIO.replace("      colour: blue\n", "").replace(
        "key: alias/x}", 'key: alias/x, grant_tokens: ["{{ nothing.GrantToken }}"]}')
    with pytest.raises(EngineInputError) as info:
        load_scenario_text(text)
    assert "refers to no earlier step" in info.value.message


REQ = '{principal: "arn:aws:iam::111111111111:user/a", action: kms:Decrypt, key: "arn:aws:kms:us-east-1:111111111111:key/t"}'


@pytest.mark.parametrize("text, count", [
    ('principal: "arn:aws:iam::111111111111:user/a"\naction: kms:Decrypt\nkey: "arn:aws:kms:us-east-1:111111111111:key/t"\n', 1),
    (f"request: {REQ}", 1),
    (f"- {REQ}\n- {REQ}\n", 2),
    (f"steps:\n  - request: {REQ}\n  - {REQ}\n", 2),
])
def test_a_request_document_may_be_one_request_a_list_a_request_or_steps(text, count):
    requests = parse_requests(*load_text(text, file="r.yaml"))
    assert [r.action for r in requests] == ["Decrypt"] * count


def test_a_bad_step_is_named_by_its_place_in_the_steps():
    with pytest.raises(EngineInputError) as err:
        parse_requests(*load_text(f"steps:\n  - request: {REQ}\n  - 7\n", file="r.yaml"))
    assert "r.yaml:3" in str(err.value) and "a request must be a mapping" in str(err.value)


def test_steps_that_are_not_a_list_are_refused_with_their_line():
    with pytest.raises(EngineInputError) as err:
        parse_requests(*load_text("steps: 5\n", file="r.yaml"))
    assert "r.yaml:1" in str(err.value) and "`steps` must be a list" in str(err.value)


def test_a_world_document_may_hold_the_world_under_world():
    world = ('keys: [{arn: "arn:aws:kms:us-east-1:111111111111:key/t", policy: {Version: "2012-10-17",'
             ' Statement: [{Effect: Allow, Principal: {AWS: "111111111111"}, Action: "kms:*", Resource: "*"}]}}]')
    bare, wrapped = parse_world_document(*load_text(world)), parse_world_document(*load_text(f"world:\n  {world}"))
    assert list(bare.keys) == list(wrapped.keys) == ["arn:aws:kms:us-east-1:111111111111:key/t"]


CONCEPT = """
  - prompt: Which is true?
    choose: 1
    key: author
    answer: [1]
    sources: [https://docs.aws.amazon.com/kms/latest/developerguide/overview.html]
    options:
      - {text: A, why: no}
      - {text: B, why: yes}
"""


def test_a_concept_question_takes_the_authors_answer_and_sources():
    from kmstrainer.engine import load_scenario_text, question_key

    text = open(EXAMPLE_PATH, encoding="utf-8").read()
    text = text[:text.index("questions:")] + "questions:" + CONCEPT
    scenario = load_scenario_text(text)
    [question] = scenario.questions
    assert question_key(scenario, question).correct == [(1,)] and question.sources[0].startswith("https://")


@pytest.mark.parametrize(("change", "words"), [("answer: [1]", "answer: [1, 0]"), ("key: author", "key: engine"),
                                              ("sources: [https", "sources: [ftp")])
def test_a_malformed_concept_question_is_refused_with_its_line(change, words):
    from kmstrainer.engine import EngineInputError, load_scenario_text

    text = open(EXAMPLE_PATH, encoding="utf-8").read()
    text = text[:text.index("questions:")] + "questions:" + CONCEPT.replace(change, words)
    with pytest.raises(EngineInputError) as info:
        load_scenario_text(text, file="s.yaml")
    assert info.value.line is not None


@pytest.mark.parametrize(("key_fields", "words", "field"), [
    ("origin: AWS_KMS\n      material: {}\n", "only for keys whose origin is EXTERNAL", "material"),
    ("origin: EXTERNAL\n      state: Enabled\n", "cannot be Enabled", "state"),
    ("spec: RSA_2048\n      usage: SIGN_VERIFY\n      rotation: {enabled: true}\n", "rotation is not supported",
     "enabled"),
    ("rotation: {enabled: true, period_days: 30}\n", "90 to 2560", "period_days"),
    ("origin: AWS_CLOUDHSM\n", "add `custom_key_store`", "origin"),
    ("custom_key_store: {id: cks-1, type: AWS_CLOUDHSM}\n      spec: RSA_2048\n", "symmetric encryption keys only",
     "spec"),
])
def test_an_invalid_key_world_is_refused_with_the_line_of_the_field(key_fields, words, field):
    text = ("keys:\n  - arn: arn:aws:kms:us-east-1:111111111111:key/k\n      " .replace("\n      ", "\n    ")
            + key_fields.replace("\n      ", "\n    ") + "    policy: {Version: '2012-10-17', Statement: []}\n")
    with pytest.raises(EngineInputError) as info:
        parse_world_document(*load_text(text, file="w.yaml"))
    assert words in info.value.message and info.value.file == "w.yaml" and info.value.line is not None
    assert field in info.value.path


def test_a_replica_without_its_primary_is_refused_with_its_line():
    text = ("keys:\n  - arn: arn:aws:kms:eu-west-1:111111111111:key/mrk-1\n"
            "    multi_region: {type: REPLICA, primary: 'arn:aws:kms:us-east-1:111111111111:key/mrk-1'}\n"
            "    policy: {Version: '2012-10-17', Statement: []}\n")
    with pytest.raises(EngineInputError) as info:
        parse_world_document(*load_text(text, file="w.yaml"))
    assert "not a PRIMARY key of the world" in info.value.message and info.value.line == 3


def test_keys_of_one_store_must_agree_on_its_connection():
    key = ("  - arn: arn:aws:kms:us-east-1:111111111111:key/{n}\n"
           "    custom_key_store: {{id: cks-1, type: AWS_CLOUDHSM, connected: {c}}}\n"
           "    policy: {{Version: '2012-10-17', Statement: []}}\n")
    text = "keys:\n" + key.format(n="a", c="true") + key.format(n="b", c="false")
    with pytest.raises(EngineInputError) as info:
        parse_world_document(*load_text(text, file="w.yaml"))
    assert "disagree" in info.value.message and info.value.line == 6
