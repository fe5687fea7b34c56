"""The access review: least privilege, decided by asking the engine (docs/scenario-format.md, "Access review").

Checks say what must and must not happen; they cannot list everything an answer must not allow.
The review asks both worlds — the learner's edits applied to the scenario's world, and the
reference solution applied to it — the same bounded, systematic set of *probe* requests, and
reports the difference:

* an **over-grant** is a probe the learner's world allows and the reference denies; it carries the
  probe (a counterexample to paste into the playground), the operation's class and the statement or
  grant of the learner's world that allowed it;
* an **under-grant** is the reverse.

Probes: for each reviewed key, every principal of either world (listed, named in a policy or grant,
or calling in a check), every account's root, and one outsider; every KMS operation that applies to
the key; and request variants built from the conditions of every policy in both worlds — each
literal value a condition compares a request key with, one value that matches none, and absent —
one condition key at a time around a baseline request, then pairwise while the budget lasts.
Only what a caller controls is varied (encryption context, the calling service, grant parameters,
source ARN and account, request-wide keys such as `aws:SourceIp`); who the caller is never is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import combinations

from .catalog import CRYPTO_ACTIONS, EC_ACTIONS, IAM_ONLY_ACTIONS, KMS_ACTIONS
from .errors import EngineInputError
from .key_rules import rotation_problem, usage_problem
from .operations import Simulator
from .policy import Policy
from .principals import InvalidPrincipal, parse_caller
from .request import Request
from .edits import allowed_edits
from .scenario import CheckOutcome, Scenario, run_check, run_checks, world_with
from .review_config import ReviewConfig
from .vocabulary import EditKind, Layer
from .world import World

DEFAULT_BUDGET = 12_000  # evaluations per review (both worlds); about 0.2 s at the engine's speed

ESCALATION = frozenset({
    "PutKeyPolicy", "CreateGrant", "RevokeGrant", "ScheduleKeyDeletion", "CancelKeyDeletion", "DisableKey",
    "EnableKey", "TagResource", "UntagResource", "CreateAlias", "DeleteAlias", "UpdateAlias",
    "EnableKeyRotation", "DisableKeyRotation", "RotateKeyOnDemand", "ReplicateKey", "UpdatePrimaryRegion",
    "ImportKeyMaterial", "DeleteImportedKeyMaterial", "UpdateKeyDescription",
})
#: Operations the review does not probe: RetireGrant is decided by the grant it retires, not by a
#: policy alone; the multi-Region operations need key features the engine does not model yet.
#: The import operations are probed on EXTERNAL keys only, rotation ones where the key supports them.
NOT_PROBED = frozenset({"RetireGrant", "ReplicateKey", "UpdatePrimaryRegion", "SynchronizeMultiRegionKey"})
IMPORT_ACTIONS = frozenset({"ImportKeyMaterial", "DeleteImportedKeyMaterial", "GetParametersForImport"})
OUTSIDER_ROLE = "Outsider"
_OTHER = "kms-trainer-other-value"
#: Request-wide condition keys a caller can set on its own request (varied through `context`).
_REQUEST_KEYS = frozenset({
    "aws:sourceip", "aws:currenttime", "aws:epochtime", "aws:securetransport", "aws:multifactorauthpresent",
    "aws:multifactorauthage", "aws:sourcevpc", "aws:sourcevpce", "aws:vpcsourceip", "aws:useragent",
    "aws:referer", "aws:requestedregion", "aws:tagkeys", "kms:requestalias",
})


def operation_class(action: str) -> str:
    """`escalation`, `data` (cryptographic) or `read` (Describe*, Get*, List*)."""
    if action in ESCALATION:
        return "escalation"
    if action in CRYPTO_ACTIONS:
        return "data"
    return "read"


# -- results --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Probe:
    principal: str
    action: str
    key: str
    encryption_context: tuple[tuple[str, str], ...] = ()
    via_service: str | None = None
    source_arn: str | None = None
    source_account: str | None = None
    params: str = "{}"  # JSON, so that a probe is hashable
    context: str = "{}"

    def request(self) -> Request:
        return Request(self.principal, self.action, self.key,
                       encryption_context=dict(self.encryption_context) if self.encryption_context else None,
                       via_service=self.via_service, source_arn=self.source_arn, source_account=self.source_account,
                       params=_parsed(self.params), context=_parsed(self.context))

    def as_dict(self) -> dict:
        """The probe in the scenario format's request shape (paste it into the playground)."""
        out: dict = {"principal": self.principal, "action": f"kms:{self.action}", "key": self.key}
        if self.encryption_context:
            out["encryption_context"] = dict(self.encryption_context)
        for name in ("via_service", "source_arn", "source_account"):
            if getattr(self, name):
                out[name] = getattr(self, name)
        for name in ("params", "context"):
            value = _parsed(getattr(self, name))
            if value:
                out[name] = value
        return out


@dataclass(frozen=True)
class AccessFinding:
    kind: str  # "over" | "under"
    cls: str  # escalation | data | read
    principal: str
    action: str
    key: str
    request: dict
    allowed_by: dict | None  # the statement or grant of the world that allowed it
    tolerated: bool = False

    def as_dict(self) -> dict:
        out = {"class": self.cls, "principal": self.principal, "action": f"kms:{self.action}", "key": self.key,
               "request": self.request, "allowed_by": self.allowed_by}
        if self.tolerated:
            out["tolerated"] = True
        return out


@dataclass(frozen=True)
class AccessReview:
    mode: str
    probes: int
    bounded: bool
    over_grants: tuple[AccessFinding, ...]
    under_grants: tuple[AccessFinding, ...]

    @property
    def blocking(self) -> tuple[AccessFinding, ...]:
        """The over-grants that keep a scenario from being solved in this mode."""
        if self.mode == "off":
            return ()
        return tuple(f for f in self.over_grants if not f.tolerated
                     and (self.mode == "strict" or f.cls in ("escalation", "data")))

    def as_dict(self) -> dict:
        return {"mode": self.mode, "probes": self.probes, "bounded": self.bounded,
                "over_grants": [f.as_dict() for f in self.over_grants],
                "under_grants": [f.as_dict() for f in self.under_grants]}


# -- probes ---------------------------------------------------------------------------------------


def _policies(world: World):
    for key in world.keys.values():
        yield key.policy
    for p in world.principals.values():
        for _, policy in p.policies:
            yield policy
        if p.boundary is not None:
            yield p.boundary
    if world.organization is not None:
        for attached in (*world.organization.scps, *world.organization.rcps):
            yield attached.policy
    yield from world.vpc_endpoints.values()


def _named_principals(policy: Policy) -> set[str]:
    out: set[str] = set()
    for st in policy.statements:
        spec = st.raw.get("Principal")
        if not isinstance(spec, dict):
            continue
        for kind in ("AWS", "Service"):
            values = spec.get(kind)
            for value in values if isinstance(values, list) else [values]:
                if isinstance(value, str) and "*" not in value and value:
                    out.add(value if ":" in value or kind == "Service" else f"arn:aws:iam::{value}:root")
    return out


def _account_of(arn: str) -> str | None:
    parts = arn.split(":")
    return parts[4] if len(parts) > 5 and parts[4].isdigit() else None


def probe_principals(worlds: list[World], extra: set[str] = frozenset()) -> list[str]:
    """Every principal of the worlds, every account's root, and one outsider."""
    names: set[str] = set(extra)
    accounts: set[str] = set()
    for world in worlds:
        names |= set(world.principals)
        for key in world.keys.values():
            accounts.add(key.account)
            names |= {g.grantee for g in key.grants} | {g.retiring for g in key.grants if g.retiring}
        for policy in _policies(world):
            names |= _named_principals(policy)
        if world.organization is not None:
            accounts |= set(world.organization.accounts)
        accounts |= set(world.account_names)
    callers = []
    for name in sorted(names):
        try:
            caller = parse_caller(name)
        except InvalidPrincipal:
            continue
        if caller.account:
            accounts.add(caller.account)
        callers.append(name)
    outsider = 123456789012
    while str(outsider) in accounts:
        outsider += 1
    roots = [f"arn:aws:iam::{a}:root" for a in sorted(accounts)]
    everyone = dict.fromkeys(callers + roots + [f"arn:aws:iam::{outsider}:role/{OUTSIDER_ROLE}"])
    return list(everyone)


def probe_actions(world: World, key_arn: str) -> list[str]:
    key = world.keys[key_arn]
    return [a for a in KMS_ACTIONS if a not in IAM_ONLY_ACTIONS and a not in NOT_PROBED
            and usage_problem(key, a) is None and rotation_problem(key, a) is None
            and (a not in IMPORT_ACTIONS or key.origin == "EXTERNAL")]


def _concrete(value: str) -> str | None:
    """A request value that a pattern matches (`*` and `?` filled in); None for policy variables."""
    if "${" in value:
        return None
    return value.replace("*", "x").replace("?", "x")


def _variant(key: str, value: str, region: str) -> dict | None:
    """The probe fields that make a request carry `key` = `value`; None for keys a caller cannot set."""
    lc = key.lower()
    if lc == "kms:viaservice":
        return {"via_service": value}
    if lc.startswith("kms:encryptioncontext:"):
        return {"encryption_context": ((key.split(":", 2)[2], value),)}
    if lc == "kms:encryptioncontextkeys":
        return {"encryption_context": ((value, "x"),)}
    if lc == "kms:grantisforawsresource":
        return {"via_service": f"ec2.{region}.amazonaws.com"} if value.lower() == "true" else {"via_service": None}
    if lc == "kms:grantoperations":
        return {"params": {"Operations": [value]}}
    if lc == "kms:granteeprincipal":
        return {"params": {"GranteePrincipal": value}}
    if lc == "kms:retiringprincipal":
        return {"params": {"RetiringPrincipal": value}}
    if lc == "kms:grantconstrainttype":
        return {"params": {"Constraints": {value: {"x": "x"}}}}
    if lc == "kms:schedulekeydeletionpendingwindowindays":
        return {"params": {"PendingWindowInDays": int(value)}} if value.isdigit() else None
    if lc == "kms:bypasspolicylockoutsafetycheck":
        return {"params": {"BypassPolicyLockoutSafetyCheck": value.lower() == "true"}}
    if lc == "aws:sourcearn":
        return {"source_arn": value}
    if lc == "aws:sourceaccount":
        return {"source_account": value}
    if lc in _REQUEST_KEYS or lc.startswith("aws:requesttag/"):
        return {"context": {key: value}}
    return None


def _for_action(fields: dict, action: str) -> dict | None:
    """The variant as `action` carries it, or None when the action cannot carry it. CreateGrant
    carries an encryption context as its grant constraint (kms:EncryptionContext:* on CreateGrant
    reads the constraint)."""
    if "encryption_context" in fields:
        if action in EC_ACTIONS:
            return fields
        if action == "CreateGrant":
            return {"params": {"Constraints": {"EncryptionContextSubset": dict(fields["encryption_context"])}}}
        return None
    params = fields.get("params") or {}
    if {"Operations", "GranteePrincipal", "RetiringPrincipal", "Constraints"} & set(params):
        return fields if action == "CreateGrant" else None
    if "PendingWindowInDays" in params:
        return fields if action == "ScheduleKeyDeletion" else None
    if "BypassPolicyLockoutSafetyCheck" in params:
        return fields if action == "PutKeyPolicy" else None
    return fields


def condition_variants(worlds: list[World], action: str | None = None) -> dict[str, list[dict]]:
    """Condition key (lower case) -> the probe fields of each literal value, of one value that
    matches none, and of absent (an empty dict), from the statements of every policy of the worlds
    (only those whose Action covers `action`, when it is given: a condition elsewhere cannot
    change that action's decision)."""
    region = worlds[0].region
    seen: dict[str, tuple[str, set[str]]] = {}
    for world in worlds:
        for policy in _policies(world):
            statements = policy.candidates(f"kms:{action}") if action else policy.statements
            for st in statements:
                for cond in st.conditions:
                    name, values = seen.setdefault(cond.key_lc, (cond.key, set()))
                    values.update(v for v in cond.values if isinstance(v, str))
    out: dict[str, list[dict]] = {}
    for lc, (key, values) in sorted(seen.items()):
        variants = []
        for value in sorted(values):
            concrete = _concrete(value)
            fields = _variant(key, concrete, region) if concrete is not None else None
            if fields is not None and fields not in variants:
                variants.append(fields)
        if not variants:
            continue
        other = _variant(key, f"{_OTHER}.{region}.amazonaws.com" if lc == "kms:viaservice" else _OTHER, region)
        if other is not None and other not in variants:
            variants.append(other)
        variants.append({})
        out[lc] = variants
    return out


def _merge(base: dict, fields: dict) -> dict:
    out = dict(base)
    for name, value in fields.items():
        if name == "params":
            params = {**out.get("params", {}), **value}
            if "Constraints" in value and "Constraints" in out.get("params", {}):
                merged = {**out["params"]["Constraints"].get("EncryptionContextSubset", {}),
                          **value["Constraints"].get("EncryptionContextSubset", {})}
                params["Constraints"] = {"EncryptionContextSubset": merged} if merged else value["Constraints"]
            out["params"] = params
        elif name == "context":
            out["context"] = {**out.get("context", {}), **value}
        elif name == "encryption_context":
            out["encryption_context"] = tuple(sorted({**dict(out.get("encryption_context", ())), **dict(value)}.items()))
        else:
            out[name] = value
    return out


def _baseline(world: World, principal: str, action: str, key_arn: str) -> dict:
    key = world.keys[key_arn]
    if action == "CreateGrant":
        ops = key.grant_operations or ("DescribeKey",)
        grantee = principal if principal.startswith("arn:") else f"arn:aws:iam::{key.account}:root"
        return {"params": {"GranteePrincipal": grantee, "Operations": [ops[0]]}}
    if action == "ScheduleKeyDeletion":
        return {"params": {"PendingWindowInDays": 30}}
    return {}


def _probe(principal: str, action: str, key_arn: str, fields: dict) -> Probe:
    return Probe(principal, action, key_arn, tuple(fields.get("encryption_context", ())), fields.get("via_service"),
                 fields.get("source_arn"), fields.get("source_account"),
                 _canonical(fields.get("params")), _canonical(fields.get("context")))


def _canonical(value: dict | None) -> str:
    return json.dumps(value, sort_keys=True) if value else "{}"


def _parsed(text: str) -> dict:
    return json.loads(text) if text != "{}" else {}


def plan_probes(worlds: list[World], keys: list[str], principals: list[str], budget: int) -> tuple[list[Probe], bool]:
    """The probes, baselines and single variants first, then pairs; and whether the budget cut them."""
    singles: list[Probe] = []
    pairs: list[Probe] = []
    for key_arn in keys:
        actions = probe_actions(worlds[0], key_arn)
        per_action = {}
        for action in actions:
            usable = {lc: [g for g in (_for_action(f, action) for f in fs if f) if g is not None]
                      for lc, fs in condition_variants(worlds, action).items()}
            per_action[action] = {lc: fs for lc, fs in usable.items() if fs}
        for principal in principals:
            for action in actions:
                base = _baseline(worlds[0], principal, action, key_arn)
                singles.append(_probe(principal, action, key_arn, base))
                usable = per_action[action]
                for fs in usable.values():
                    singles.extend(_probe(principal, action, key_arn, _merge(base, f)) for f in fs)
                for (_, f1s), (_, f2s) in combinations(sorted(usable.items()), 2):
                    pairs.extend(_probe(principal, action, key_arn, _merge(_merge(base, a), b))
                                 for a in f1s for b in f2s)
    probes = list(dict.fromkeys(singles + pairs))
    limit = max(budget // len(worlds), 1)
    return probes[:limit], len(probes) > limit


# -- deciding ---------------------------------------------------------------------------------------


_LAYER_OF_EDIT = {EditKind.KEY_POLICY: Layer.KEY_POLICY, EditKind.GRANTS: Layer.GRANT,
                  EditKind.IDENTITY_POLICY: Layer.IDENTITY, EditKind.SCP: Layer.SCP, EditKind.RCP: Layer.RCP}


def _allowed_by(authz, editable_layers: set[str]) -> dict | None:
    """The statement or grant that allowed: in a layer the learner edits when one did."""
    refs = [r for r in authz.reasons if r.statement is not None or r.grant is not None]
    if not refs:
        return None
    chosen = next((r for r in refs if r.layer in editable_layers), refs[0])
    out = {"layer": chosen.layer}
    for name in ("statement", "sid", "policy", "grant"):
        value = getattr(chosen, name)
        if value is not None:
            out[name] = value
    return out


_REMEMBERED_LIMIT = 200_000


def _ask_remembered(world: World, probes: list[Probe], requests: list[Request], memory: dict) -> dict[Probe, object]:
    """`_ask`, answering from `memory` what was asked before and remembering the rest."""
    if len(memory) > _REMEMBERED_LIMIT:
        memory.clear()
    new = [(p, r) for p, r in zip(probes, requests, strict=True) if p not in memory]
    if new:
        allowed = _ask(world, [p for p, _ in new], [r for _, r in new])
        for probe, _ in new:
            memory[probe] = allowed.get(probe)
    return {p: memory[p] for p in probes if memory[p] is not None}


def _ask(world: World, probes: list[Probe], requests: list[Request]) -> dict[Probe, object]:
    """The probes `world` allows, each with the authorization that allowed it."""
    sim = Simulator(world)
    out = {}
    for probe, request in zip(probes, requests, strict=True):
        authz = sim.authorization(request)
        if authz.allowed:
            out[probe] = authz
    return out


def compare(learner: World, reference: World, keys: list[str], principals: list[str], *,
            config: ReviewConfig | None = None, editable_layers: set[str] = frozenset(),
            budget: int = DEFAULT_BUDGET, reference_answers: dict | None = None) -> AccessReview:
    """Over- and under-grants of `learner` against `reference` on `keys`. `reference_answers`
    (probe -> authorization or None) remembers the reference world's answers between calls: the
    reference never changes, so each probe is asked of it once."""
    config = config or ReviewConfig()
    if config.mode == "off":
        return AccessReview("off", 0, False, (), ())
    probes, bounded = plan_probes([learner, reference], keys, principals, budget)
    requests = [p.request() for p in probes]  # built once: both worlds are asked the same requests
    mine = _ask(learner, probes, requests)
    theirs = _ask_remembered(reference, probes, requests, {} if reference_answers is None else reference_answers)
    over: dict[tuple, AccessFinding] = {}
    under: dict[tuple, AccessFinding] = {}
    for probe in probes:
        ident = (probe.principal, probe.action, probe.key)
        if probe in mine and probe not in theirs and ident not in over:
            over[ident] = AccessFinding("over", operation_class(probe.action), *ident, probe.as_dict(),
                                  _allowed_by(mine[probe], editable_layers),
                                  config.tolerates(probe.principal, probe.action))
        elif probe in theirs and probe not in mine and ident not in under:
            under[ident] = AccessFinding("under", operation_class(probe.action), *ident, probe.as_dict(),
                                   _allowed_by(theirs[probe], set()))
    order = {"escalation": 0, "data": 1, "read": 2}
    def ordered(findings):
        return tuple(sorted(findings.values(), key=lambda f: (order[f.cls], f.principal, f.action, f.key)))
    return AccessReview(config.mode, len(probes), bounded, ordered(over), ordered(under))


# -- scenarios ------------------------------------------------------------------------------------


def reviewed_keys(scenario: Scenario, world: World, config: ReviewConfig) -> list[str]:
    """`keys: editable`: the keys an editable key target names, and every key when an IAM policy,
    SCP or RCP is editable (those reach every key); `keys: all`: every key."""
    if config.keys == "all":
        return sorted(world.keys)
    out: list[str] = []
    for entry in scenario.editable:
        kind = EditKind(entry["kind"])
        if kind in (EditKind.KEY_POLICY, EditKind.GRANTS, EditKind.KEY_STATE):
            key = _find_key(world, entry["key"])
            if key and key not in out:
                out.append(key)
        else:
            return sorted(world.keys)
    return out


def _find_key(world: World, ref: str) -> str | None:
    if ref in world.keys:
        return ref
    for arn, key in world.keys.items():
        if ref in (key.key_id, *key.aliases) or ref in (key.alias_arn(a) for a in key.aliases):
            return arn
    return None


def check_principals(scenario: Scenario) -> set[str]:
    return {step.request.principal for check in scenario.checks for step in check.steps}


def review_scenario(scenario: Scenario, edits: list[dict], *, budget: int = DEFAULT_BUDGET,
                    learner: World | None = None) -> AccessReview:
    """The learner's `edits` against the scenario's reference solution (`learner`: the world with
    those edits, when the caller has it already)."""
    config = scenario.review
    if config.mode == "off" or scenario.solution is None:
        return AccessReview(config.mode, 0, False, (), ())
    memo_key = (json.dumps(edits, sort_keys=True, default=str), budget)
    known = scenario.reviews.get(memo_key)
    if known is not None:  # the same edits again (a re-Check, or another learner's identical answer)
        return known
    review = _review(scenario, edits, budget, learner)
    if len(scenario.reviews) >= _REVIEWS_KEPT:
        scenario.reviews.pop(next(iter(scenario.reviews)))  # the oldest
    scenario.reviews[memo_key] = review
    return review


_REVIEWS_KEPT = 256


def _review(scenario: Scenario, edits: list[dict], budget: int, learner: World | None) -> AccessReview:
    config = scenario.review
    learner = learner or world_with(scenario, allowed_edits(scenario, edits))
    reference = scenario.reference_world()
    keys = [k for k in reviewed_keys(scenario, reference, config) if k in learner.keys]
    principals = probe_principals([learner, reference], check_principals(scenario))
    layers = {_LAYER_OF_EDIT[EditKind(e["kind"])].value for e in scenario.editable
              if EditKind(e["kind"]) in _LAYER_OF_EDIT}
    return compare(learner, reference, keys, principals, config=config, editable_layers=layers, budget=budget,
                   reference_answers=scenario.reference_answers)


@dataclass(frozen=True)
class Grade:
    """A learner's edits graded as the web app grades them: every check, then the access review."""

    outcomes: tuple[CheckOutcome, ...]
    review: AccessReview

    @property
    def checks_pass(self) -> bool:
        return all(o.passed for o in self.outcomes)

    @property
    def solved(self) -> bool:
        return self.checks_pass and not self.review.blocking

    def as_dict(self) -> dict:
        failed = [o for o in self.outcomes if not o.passed]
        return {"solved": self.solved,
                "checks": {"passed": len(self.outcomes) - len(failed), "failed": len(failed),
                           "hidden_failed": sum(o.check.hidden for o in failed)},
                "review": self.review.as_dict()}


def grade(scenario: Scenario, edits: list[dict], *, budget: int = DEFAULT_BUDGET) -> Grade:
    edits = allowed_edits(scenario, edits)
    world = world_with(scenario, edits)
    outcomes = tuple(run_check(world, check) for check in scenario.checks)
    return Grade(outcomes, review_scenario(scenario, edits, budget=budget, learner=world))


# -- who can use a key ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccessCell:
    principal: str
    action: str
    key: str
    allowed: bool
    cls: str
    by: dict | None  # the statement or grant that allowed, or the reason it was denied
    request: dict


def access_matrix(world: World, keys: list[str] | None = None, *, budget: int = DEFAULT_BUDGET) -> list[AccessCell]:
    """For each key, each probe principal and operation: allowed or not, and by what. A cell is
    allowed when any probe allows it (a request with the context a condition asks for counts); its
    request is then that probe, else the plain request with the reason it was denied."""
    keys = keys if keys is not None else sorted(world.keys)
    for key in keys:
        if key not in world.keys:
            raise EngineInputError(f"no key `{key}` in the world")
    principals = probe_principals([world])
    probes, _ = plan_probes([world], keys, principals, budget)
    sim = Simulator(world)
    first_allow: dict[tuple, tuple[Probe, object]] = {}
    for probe in probes:
        ident = (probe.principal, probe.action, probe.key)
        if ident in first_allow:
            continue
        authz = sim.authorization(probe.request())
        if authz.allowed:
            first_allow[ident] = (probe, authz)
    cells = []
    for key_arn in keys:
        for principal in principals:
            for action in probe_actions(world, key_arn):
                hit = first_allow.get((principal, action, key_arn))
                if hit:
                    probe, authz = hit
                    by = _allowed_by(authz, set())
                else:
                    probe = _probe(principal, action, key_arn, _baseline(world, principal, action, key_arn))
                    authz = sim.authorization(probe.request())
                    first = authz.reasons[0] if authz.reasons else None
                    by = ({"code": first.code, **({"layer": first.layer} if first.layer else {})} if first else None)
                cells.append(AccessCell(principal, action, key_arn, hit is not None, operation_class(action), by,
                                        probe.as_dict()))
    return cells


# -- validation warnings ----------------------------------------------------------------------------


_ALLOW_ALL = {"Version": "2012-10-17", "Statement": [{"Sid": "ReviewAllowsEverything", "Effect": "Allow",
                                                       "Principal": "*", "Action": "kms:*", "Resource": "*"}]}
_ALLOW_ALL_RCP = {"Version": "2012-10-17", "Statement": [{"Sid": "ReviewAllowsEverything", "Effect": "Allow",
                                                           "Principal": "*", "Action": "*", "Resource": "*"}]}
_ALLOW_ALL_IAM = {"Version": "2012-10-17", "Statement": [{"Sid": "ReviewAllowsEverything", "Effect": "Allow",
                                                           "Action": "*", "Resource": "*"}]}


def _everything_edits(scenario: Scenario) -> list[dict]:
    out = []
    for entry in scenario.editable:
        kind = EditKind(entry["kind"])
        edit = dict(entry)
        if kind == EditKind.KEY_POLICY:
            edit["policy"] = _ALLOW_ALL
        elif kind == EditKind.RCP:
            edit["document"] = _ALLOW_ALL_RCP
        elif kind.is_policy:
            edit["document"] = _ALLOW_ALL_IAM
        else:
            continue  # grants and key state: the starting value (a policy allowing kms:* reaches further)
        out.append(edit)
    return out


def vacuous_checks(scenario: Scenario) -> list[str]:
    """Deny checks that still pass when every editable policy allows everything: they test nothing
    the learner writes (something the learner cannot edit denies the request already)."""
    edits = _everything_edits(scenario)
    if not edits:
        return []
    try:
        outcomes = run_checks(scenario, edits)
    except EngineInputError:
        return []
    return [o.check.name for o in outcomes
            if o.passed and any(s.step.expect not in ("allow",) and "deny" in s.step.expect for s in o.steps)]


def unexercised_allows(scenario: Scenario) -> int:
    """How many (principal, operation) pairs the reference allows on its reviewed keys that no check asks."""
    if scenario.solution is None:
        return 0
    reference = world_with(scenario, scenario.solution)
    keys = reviewed_keys(scenario, reference, scenario.review)
    asked = {(s.request.principal, s.request.action) for c in scenario.checks for s in c.steps}
    cells = access_matrix(reference, keys)
    allowed = {(c.principal, c.action) for c in cells if c.allowed}
    return len(allowed - asked)


def review_warnings(scenario) -> list[str]:
    """The access review's validation warnings: vacuous checks, allows no check exercises."""
    if scenario.solution is None or not scenario.editable:
        return []
    out = [f"vacuous check `{name}`: it still passes when every editable policy allows everything "
           "(something the learner cannot edit denies it already)" for name in vacuous_checks(scenario)]
    unasked = unexercised_allows(scenario)
    if unasked:
        out.append(f"{unasked} (principal, operation) pairs the reference allows are exercised by no check")
    return out
