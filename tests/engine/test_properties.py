"""Properties of the decision that must hold for any policy and request (hypothesis)."""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kmstrainer.engine import EngineInputError, Request, Simulator, parse_world

ACCOUNT, OTHER = "111111111111", "222222222222"
KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/prop-1"
PRINCIPALS = [f"arn:aws:iam::{ACCOUNT}:role/App", f"arn:aws:iam::{ACCOUNT}:user/alice",
              f"arn:aws:sts::{ACCOUNT}:assumed-role/App/s1", f"arn:aws:iam::{OTHER}:role/Ext",
              f"arn:aws:iam::{ACCOUNT}:root", "cloudtrail.amazonaws.com"]
ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey", "kms:ReEncryptFrom",
           "kms:CreateGrant", "kms:ListGrants"]
OPERATORS = ["StringEquals", "StringNotEquals", "StringLike", "StringNotLikeIfExists", "ForAnyValue:StringEquals",
             "ForAllValues:StringLike", "Bool", "BoolIfExists", "Null", "ArnLike", "ArnNotLike", "NumericLessThan",
             "IpAddress", "DateGreaterThan", "StringEqualsIgnoreCase", "BinaryEquals", "NotIpAddress"]
KEYS = ["kms:EncryptionContext:dept", "kms:EncryptionContextKeys", "kms:ViaService", "kms:CallerAccount",
        "aws:PrincipalArn", "aws:SecureTransport", "aws:SourceIp", "aws:CurrentTime", "aws:PrincipalTag/team",
        "kms:GrantIsForAWSResource", "kms:GrantOperations", "aws:username"]
VALUES = ["IT", "it", "*", "dept", "true", "false", "10", "203.0.113.0/24", "arn:aws:iam::111111111111:*",
          "2026-01-01T00:00:00Z", "s3.us-east-1.amazonaws.com", ACCOUNT, "${aws:PrincipalTag/team}", "aGk="]

principal_values = st.sampled_from(["*", f"arn:aws:iam::{ACCOUNT}:root", ACCOUNT, f"arn:aws:iam::{OTHER}:root",
                                    f"arn:aws:iam::{ACCOUNT}:role/App", f"arn:aws:iam::{ACCOUNT}:user/alice",
                                    f"arn:aws:sts::{ACCOUNT}:assumed-role/App/s1", f"arn:aws:iam::{OTHER}:role/Ext"])
conditions = st.dictionaries(
    st.sampled_from(OPERATORS),
    st.dictionaries(st.sampled_from(KEYS), st.lists(st.sampled_from(VALUES), min_size=1, max_size=2), min_size=1,
                    max_size=2),
    max_size=2,
)


@st.composite
def statements(draw, resource_policy: bool, effect=None):
    statement = {
        "Effect": effect or draw(st.sampled_from(["Allow", "Deny"])),
        "Action": draw(st.lists(st.sampled_from(ACTIONS + ["kms:*", "kms:Gen*", "kms:*crypt"]), min_size=1,
                                max_size=3)),
        "Resource": draw(st.sampled_from(["*", KEY, f"arn:aws:kms:*:{ACCOUNT}:key/*", "arn:aws:kms:us-east-1:1:key/x"])),
    }
    if resource_policy:
        if draw(st.booleans()):
            statement["Principal"] = {"AWS": draw(st.lists(principal_values, min_size=1, max_size=2))}
        else:
            statement["Principal"] = draw(st.sampled_from(["*", {"Service": "cloudtrail.amazonaws.com"}]))
    cond = draw(conditions)
    if cond:
        statement["Condition"] = cond
    return statement


@st.composite
def worlds(draw):
    key_statements = draw(st.lists(statements(True), min_size=0, max_size=4))
    identity = draw(st.lists(statements(False), min_size=0, max_size=3))
    if draw(st.booleans()):  # often enough, a world where things are allowed
        key_statements.insert(0, {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                                  "Action": "kms:*", "Resource": "*"})
        identity.insert(0, {"Effect": "Allow", "Action": "kms:*", "Resource": "*"})
    return {
        "settings": {"region": "us-east-1"},
        "principals": [
            {"arn": f"arn:aws:iam::{ACCOUNT}:role/App", "tags": {"team": "IT"},
             "policies": [{"name": "p", "document": {"Version": "2012-10-17", "Statement": identity}}]},
            {"arn": f"arn:aws:iam::{OTHER}:role/Ext",
             "policies": [{"name": "p", "document": {"Version": "2012-10-17", "Statement": identity}}]},
        ],
        "keys": [{
            "arn": KEY,
            "policy": {"Version": "2012-10-17", "Statement": key_statements},
            "grants": draw(st.lists(st.fixed_dictionaries({
                "grantee": principal_values.filter(lambda p: p != "*"),
                "operations": st.lists(st.sampled_from(["Decrypt", "Encrypt", "DescribeKey", "CreateGrant"]),
                                       min_size=1, max_size=2, unique=True),
            }), max_size=2)),
        }],
    }


@st.composite
def requests(draw):
    action = draw(st.sampled_from(ACTIONS))
    params = {}
    if action == "kms:CreateGrant":
        params = {"GranteePrincipal": f"arn:aws:iam::{ACCOUNT}:role/W", "Operations": ["Decrypt"]}
    return Request(
        principal=draw(st.sampled_from(PRINCIPALS)),
        action=action.split(":", 1)[1],
        key=KEY,
        encryption_context=draw(st.sampled_from([None, {"dept": "IT"}, {"dept": "HR", "x": "y"}])),
        via_service=draw(st.sampled_from([None, "s3.us-east-1.amazonaws.com"])),
        context=draw(st.sampled_from([{}, {"aws:SecureTransport": False}, {"aws:SourceIp": "203.0.113.9"}])),
        params=params,
    )


def evaluate(world_data, request):
    try:
        world = parse_world(copy.deepcopy(world_data))
    except EngineInputError:
        return None
    result = Simulator(world).run(request)
    return result.outcome, result.decision


COMMON = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@COMMON
@given(worlds(), requests())
def test_evaluation_never_raises_anything_but_an_input_error(world_data, request):
    outcome = evaluate(world_data, request)
    if outcome is not None:
        assert outcome[0] in ("allow", "deny") or outcome[0].endswith("Exception")


def with_statement(world_data, extra, to_identity):
    """The world with one more statement, in the key policy or in the App role's identity policy."""
    changed = copy.deepcopy(world_data)
    if to_identity:
        extra = {k: v for k, v in extra.items() if k != "Principal"}
        changed["principals"][0]["policies"][0]["document"]["Statement"].append(extra)
    else:
        changed["keys"][0]["policy"]["Statement"].append(extra)
    return changed


@COMMON
@given(worlds(), requests(), statements(True, effect="Allow"), st.booleans())
def test_adding_an_allow_never_turns_allowed_into_a_denial(world_data, request, extra, to_identity):
    before = evaluate(world_data, request)
    if before is None or before[0] != "allow":
        return
    after = evaluate(with_statement(world_data, extra, to_identity), request)
    assert after is not None and after[0] == "allow"


@COMMON
@given(worlds(), requests(), statements(True, effect="Deny"), st.booleans())
def test_adding_a_deny_never_turns_a_denial_into_allowed(world_data, request, extra, to_identity):
    before = evaluate(world_data, request)
    if before is None or before[0] != "deny":
        return
    after = evaluate(with_statement(world_data, extra, to_identity), request)
    assert after is not None and after[0] == "deny"


@COMMON
@given(worlds(), requests(), st.randoms(use_true_random=False))
def test_statement_order_never_changes_the_result(world_data, request, rnd):
    before = evaluate(world_data, request)
    if before is None:
        return
    shuffled = copy.deepcopy(world_data)
    rnd.shuffle(shuffled["keys"][0]["policy"]["Statement"])
    rnd.shuffle(shuffled["principals"][0]["policies"][0]["document"]["Statement"])
    assert evaluate(shuffled, request) == before


KEYS_OF_MATERIAL = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/byok-prop"


def material_world(expires_at: int, rotation: bool) -> dict:
    return {"keys": [
        {"arn": KEYS_OF_MATERIAL, "origin": "EXTERNAL", "material": {"expires_at": expires_at},
         "policy": {"Version": "2012-10-17", "Statement": [
             {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "kms:*", "Resource": "*"},
             {"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*"}]}},
        {"arn": KEY, "rotation": {"enabled": rotation}, "policy": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "kms:*", "Resource": "*"},
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/App"}, "Action": "kms:Decrypt",
             "Resource": "*"}]}}]}


@settings(max_examples=60, deadline=None)
@given(expires=st.integers(min_value=1, max_value=10**7), after=st.integers(min_value=0, max_value=10**7),
       principal=st.sampled_from(PRINCIPALS),
       action=st.sampled_from(["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom"]))
def test_a_key_whose_material_expired_never_allows_a_cryptographic_operation(expires, after, principal, action):
    sim = Simulator(parse_world(material_world(expires, False)))
    result = sim.run(Request(principal, action.split(":")[1], KEYS_OF_MATERIAL, at=float(expires + after)))
    assert result.outcome != "allow"
    if result.outcome == "KMSInvalidStateException":  # authorized, then stopped by the missing material
        assert [r.code for r in result.reasons] == ["key-material-expired"]


@settings(max_examples=60, deadline=None)
@given(principal=st.sampled_from(PRINCIPALS), action=st.sampled_from(ACTIONS))
def test_rotation_never_changes_a_decision_about_access(principal, action):
    outcomes = []
    for rotation in (False, True):
        result = Simulator(parse_world(material_world(10**6, rotation))).run(
            Request(principal, action.split(":")[1], KEY))
        outcomes.append((result.outcome, result.decision))
    assert outcomes[0] == outcomes[1]
