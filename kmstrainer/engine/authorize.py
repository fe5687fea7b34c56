"""The authorization decision: every layer evaluated, then combined in one commented rule.

Layers (kms-semantics.md §2.2): the key policy (a direct allow, or trust of the caller's account
that IAM policies then use), the caller's identity policies, permissions boundary and session
policy, SCPs on the caller's account path, RCPs on the key owner's path, a VPC endpoint policy,
and the key's grants. `authorize` never raises on policy semantics: it returns the decision, the
deciding reasons and a trace of every statement and grant it considered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from .catalog import CROSS_ACCOUNT_ACTIONS, IAM_ONLY_ACTIONS
from .evaluate import GrantCheck, TraceStep, near_misses, scan_policy
from .grants import child_within_parent, constraint_applies, constraint_met, grantee_match
from .policy import Policy, Statement
from .principals import Caller
from .reasons import Reason
from .vocabulary import Decision, Layer, ReasonCode, Via
from .world import Grant, Key, World

ALLOWED = Decision.ALLOWED
EXPLICITLY_DENIED = Decision.EXPLICITLY_DENIED
IMPLICITLY_DENIED = Decision.IMPLICITLY_DENIED

_DENY_CODES = {layer.value: layer.deny_code for layer in Layer if layer.deny_code}


@dataclass(slots=True)
class AuthzResult:
    decision: str
    _reasons: list[Reason] | _ImplicitDenial  # an implicit deny's reasons are worked out on first read
    trace: list[TraceStep]
    route: Via | None = None  # how an allow came about
    grant: Grant | None = None

    @property
    def allowed(self) -> bool:
        return self.decision == ALLOWED

    @property
    def reasons(self) -> list[Reason]:
        """The deciding reasons. Naming an implicit deny's near misses re-reads the trace, and most
        denials are only compared with a check's `expect`, never shown, so that waits until someone
        reads them: 13 % fewer instructions per evaluation and per check on `engine_bench`'s workload
        (bench/engine_icount.py, bench/check_runner_ab.py)."""
        reasons = self._reasons
        if reasons.__class__ is not list:
            reasons = self._reasons = reasons.explained(self.trace)
        return reasons


class Basis(NamedTuple):
    """What one route of the combining rule found: the reasons that allow the call and how (`via`),
    or, when nothing allows it, every missing piece. (A NamedTuple: built on every request.)"""

    allowed_by: list
    missing: list
    via: Via | None = None
    grant: Grant | None = None


# tuple.__new__ skips the NamedTuple's Python-level constructor (measured: bench/engine_icount.py)
def _allowed(reasons: list[Reason], via: Via, grant: Grant | None = None) -> Basis:
    return tuple.__new__(Basis, (reasons, [], via, grant))


def _missing(reasons: list[Reason]) -> Basis:
    return tuple.__new__(Basis, ([], reasons, None, None))


def _ref(code: str, layer: str, st: Statement, policy: str | None = None, **extra) -> Reason:
    return Reason(code, layer=layer, statement=st.index, sid=st.sid, policy=policy, **extra)


class _Layers:
    """What every layer said about one request."""

    __slots__ = ("key_allows", "identity_allows", "boundary", "session", "denies", "gates")

    def __init__(self) -> None:
        self.key_allows: list = []  # (Statement, principal match)
        self.identity_allows: list = []  # (policy name, Statement)
        self.boundary: bool | None = None  # None: no boundary applies
        self.session: bool | None = None
        self.denies: list = []  # Reason
        self.gates: list = []  # Reason: SCP / RCP / VPCE layers with no allow

    @property
    def identity_chain(self) -> bool:
        """IAM delegation holds: an identity allow, within the boundary and the session policy."""
        return bool(self.identity_allows) and self.boundary is not False and self.session is not False


def authorize(
    *,
    world: World,
    caller: Caller,
    action: str,
    key: Key | None,
    request,
    context: dict,
    now: float,
    tokens: frozenset[str] = frozenset(),
    key_policy: Policy | None = None,
    retire_target: Grant | None = None,
    encryption_context: dict[str, str] | None = None,
    explain: bool = True,
    iam_only: bool = False,
) -> AuthzResult:
    """Decide whether `caller` may call kms:`action` on `key` (None for IAM-only actions).
    `iam_only`: decide by IAM policies alone, whatever the action (the second half of an operation).
    `explain=False`: an implicit deny's reasons are what is missing, without the near misses (the
    access review's matrix names the first missing piece of a denied cell)."""
    trace: list = []
    layers = _scan_layers(world, caller, action, key, request, context, trace, key_policy)

    # 1. An explicit Deny in any layer wins over every allow, grants included.
    if layers.denies:
        return AuthzResult(EXPLICITLY_DENIED, layers.denies, trace)

    # 2. Find what would allow the call (key policy, IAM delegation, grant, or the special rules).
    if iam_only or action in IAM_ONLY_ACTIONS:
        # IAM policies alone decide (and the key policy plays no part): CreateKey and the like, and the
        # TagResource a CreateKey or ReplicateKey with Tags also needs
        basis = _iam_only(caller, layers)
    elif action == "RetireGrant":
        basis = _retire(world, caller, retire_target, layers, now, tokens, trace)
    elif caller.account != key.account and not caller.is_service and action not in CROSS_ACCOUNT_ACTIONS:
        # 3. Key management is never possible across accounts, whatever both sides allow.
        basis = _missing([Reason(ReasonCode.CROSS_ACCOUNT_OPERATION_NOT_SUPPORTED, detail=action)])
    else:
        basis = _use(world, caller, action, key, request, layers, now, tokens, trace, encryption_context)
    allow, missing = basis.allowed_by, basis.missing

    # 4. Guardrails (SCPs, RCPs, a VPC endpoint policy) must allow too; they never grant anything.
    if allow and layers.gates:
        return AuthzResult(IMPLICITLY_DENIED, layers.gates, trace)
    if allow:
        return AuthzResult(ALLOWED, allow, trace, basis.via, basis.grant)
    # 5. Nothing allowed it: an implicit deny, with every missing piece named, and the statements
    #    that would have allowed it but for a condition.
    if not explain:
        return AuthzResult(IMPLICITLY_DENIED, missing + layers.gates, trace)
    if key is not None and key.mr_type == "REPLICA" and all(match == "account" for _, match in layers.key_allows):
        # no statement of the replica's own policy names the caller: a primary's policy does not cover it
        missing = missing + [Reason(ReasonCode.REPLICA_OWN_KEY_POLICY, layer=Layer.KEY_POLICY, detail=key.mr_primary)]
    return AuthzResult(IMPLICITLY_DENIED, _ImplicitDenial(missing, layers.gates), trace)


class _ImplicitDenial(NamedTuple):
    """What an implicit deny found missing, named in full only when someone reads the reasons."""

    missing: list[Reason]
    gates: list[Reason]

    def explained(self, trace: list[TraceStep]) -> list[Reason]:
        """Every missing piece, and the statements of the decision's `trace` that would have allowed the
        call but for a condition (the trace holds the policies as they were read: never changed in place)."""
        missing, gates = self.missing, self.gates
        near = _near_miss_reasons(trace)
        if any(r.layer == "key_policy" for r in near):
            # a key-policy statement named the caller; its failed condition says more than "no statement"
            missing = [r for r in missing if r.code not in _KEY_POLICY_GAPS]
            near = sorted(near, key=lambda r: r.layer != "key_policy")
            return near[:1] + missing + gates + near[1:]
        return missing + gates + near


# -- layers -----------------------------------------------------------------------------------


def _scan_layers(world, caller, action, key, request, context, trace, key_policy) -> _Layers:
    out = _Layers()
    act = "kms:" + action
    resource = key.arn if key is not None else "*"
    org = world.organization
    pdef, scp_path = _caller_layers(world, caller)

    if key is not None and action != "RetireGrant" and action not in IAM_ONLY_ACTIONS:
        out.key_allows = _scan(key_policy or key.policy, "key_policy", "key policy", caller, act, resource,
                               context, trace, out)
    if pdef is not None:
        for name, policy in pdef.policies:
            allows, denies = scan_policy(policy, "identity", name, caller, act, resource, context, trace)
            for st, _ in allows:
                out.identity_allows.append((name, st))
            for st in denies:
                out.denies.append(_ref(ReasonCode.IDENTITY_DENIES, "identity", st, name))
        if pdef.boundary is not None:
            out.boundary = bool(_scan(pdef.boundary, "permissions_boundary", "permissions boundary", caller, act,
                                      resource, context, trace, out))
    if request.session_policy is not None and caller.kind in ("role", "federated"):
        out.session = bool(_scan(request.session_policy, "session_policy", "session policy", caller, act,
                                 resource, context, trace, out))
    if scp_path is not None:
        _gate(org.scps, scp_path, "scp", org.full_access, out, (caller, act, resource, context, trace))
    if (org is not None and org.rcps and key is not None and key.manager == "CUSTOMER" and action != "RetireGrant"
            and org.is_member(key.account)):
        # RCPFullAWSAccess cannot be detached (orgs_manage_policies_rcps): only RCP denies matter
        _gate(org.rcps, org.path_of(key.account), "rcp", True, out,
              (caller, act, resource, context, trace))
    if request.vpc_endpoint:
        policy = world.vpc_endpoints.get(request.vpc_endpoint)
        if policy is not None and not _scan(policy, "vpc_endpoint", request.vpc_endpoint, caller, act, resource,
                                            context, trace, out):
            out.gates.append(Reason(ReasonCode.VPCE_NO_ALLOW, layer="vpc_endpoint", policy=request.vpc_endpoint))
    return out


def _caller_layers(world: World, caller: Caller):
    """(the caller's IAM definition, the OU path its SCPs apply along or None), cached per world.

    SCPs apply to member accounts' principals, not to the management account, AWS service principals or
    service-linked roles (listed with `service_linked`, or recognised by their aws-service-role/ path)."""
    cache = world.context_cache
    who = ("layers", caller.principal_arn or caller.arn)
    hit = cache.get(who)
    if hit is None:
        pdef = None if caller.is_service else world.principal_def(caller.principal_arn)
        slr = pdef.service_linked if pdef is not None else "/aws-service-role/" in (caller.principal_arn or "")
        org = world.organization
        path = None
        if org is not None and not caller.is_service and not slr and org.is_member(caller.account):
            path = org.path_of(caller.account)
        hit = cache[who] = (pdef, path)
    return hit


def _scan(policy, layer, name, caller, act, resource, context, trace, out: _Layers):
    """Scan one policy; record its denies on `out`; return its allows."""
    allows, denies = scan_policy(policy, layer, name, caller, act, resource, context, trace)
    for st in denies:
        out.denies.append(_ref(_DENY_CODES[layer], layer, st, name))
    return allows


def _gate(attached, path, layer, full_access, out: _Layers, args) -> None:
    """SCPs / RCPs: every level from the root down to the account must allow (FullAWSAccess does,
    unless the organization sets `full_access: false`)."""
    caller, act, resource, context, trace = args
    for target in path:
        allowed = full_access
        for ap in attached:
            if target not in ap.attach:
                continue
            if _scan(ap.policy, layer, ap.name, caller, act, resource, context, trace, out):
                allowed = True
        if not allowed:
            out.gates.append(Reason(_NO_ALLOW_CODES[layer], layer=layer, detail=target))


# -- routes to an allow -----------------------------------------------------------------------


def _iam_only(caller: Caller, layers: _Layers) -> Basis:
    if caller.is_root:
        return _allowed([Reason(ReasonCode.ROOT_USER_IAM_ONLY)], Via.IAM)
    if layers.identity_chain:
        name, st = layers.identity_allows[0]
        return _allowed([_ref(ReasonCode.IAM_ONLY_ACTION_ALLOWED, "identity", st, name)], Via.IAM)
    return _missing([Reason(ReasonCode.NO_IAM_ONLY_ALLOW)] + _chain_gaps(layers))


#: Reason codes for a key policy that allows nothing here (sets built once: Enum member access is slow).
_KEY_POLICY_GAPS = frozenset({ReasonCode.NO_KEY_POLICY_ALLOW, ReasonCode.KEY_POLICY_NO_ACCOUNT_TRUST})
_NO_ALLOW_CODES = {"scp": ReasonCode.SCP_NO_ALLOW, "rcp": ReasonCode.RCP_NO_ALLOW}
_NEAR_MISS_CODES = {layer.value: layer.condition_not_met_code for layer in Layer if layer.condition_not_met_code}


def _near_miss_reasons(trace: list) -> list[Reason]:
    return [_ref(_NEAR_MISS_CODES[layer], layer, st, name, detail=f"{c.operator} {c.key}")
            for layer, name, st, c in near_misses(trace)]


def _chain_gaps(layers: _Layers) -> list[Reason]:
    """Which part of IAM delegation is missing."""
    gaps = []
    if not layers.identity_allows:
        gaps.append(Reason(ReasonCode.NO_IDENTITY_ALLOW, layer="identity"))
    if layers.boundary is False:
        gaps.append(Reason(ReasonCode.BOUNDARY_NO_ALLOW, layer="permissions_boundary"))
    if layers.session is False:
        gaps.append(Reason(ReasonCode.SESSION_POLICY_NO_ALLOW, layer="session_policy"))
    return gaps


def _use(world, caller, action, key, request, layers: _Layers, now, tokens, trace, encryption_context) -> Basis:
    cross = caller.account != key.account and not caller.is_service
    missing: list[Reason] = []
    account_trust: list[Reason] = []

    # (a) A key-policy statement naming the caller (or "*") allows it by itself, within the rules
    #     IAM applies to resource policies: a role ARN is limited by the role's boundary and the
    #     session policy (default D5); a caller in another account needs its own IAM allow too.
    for st, match in layers.key_allows:
        if match == "account":
            continue
        via_role_arn = match == "direct" and caller.kind == "role" and caller.arn not in st.principal.arns
        gaps = []
        if via_role_arn:
            gaps += [r for r in _chain_gaps(layers) if r.code != ReasonCode.NO_IDENTITY_ALLOW]
        if cross and not caller.is_root and not layers.identity_chain:
            gaps.append(Reason(ReasonCode.CROSS_ACCOUNT_NEEDS_IDENTITY_ALLOW, layer="identity"))
        allowed_by = _ref(ReasonCode.KEY_POLICY_ALLOWS, "key_policy", st)
        if not gaps:
            # a caller from another account also needed its own IAM allow: name it too
            return _allowed([allowed_by] + (_identity_refs(layers) if cross else []), Via.KEY_POLICY)
        missing = [allowed_by] + gaps

    # (b) A statement trusting the caller's account lets IAM policies there allow it; the account's
    #     root user is allowed by that statement directly (default D15).
    for st, match in layers.key_allows:
        if match != "account":
            continue
        if caller.is_root:
            return _allowed([_ref(ReasonCode.ROOT_USER_ACCOUNT_TRUST, "key_policy", st)], Via.ACCOUNT_TRUST)
        if layers.identity_chain:
            return _allowed([_ref(ReasonCode.KEY_POLICY_ALLOWS_ACCOUNT, "key_policy", st)] + _identity_refs(layers),
                            Via.ACCOUNT_TRUST)
        account_trust = [_ref(ReasonCode.KEY_POLICY_ALLOWS_ACCOUNT, "key_policy", st)] + _chain_gaps(layers)

    # (c) A grant allows its operations on its own: no policy is needed, even across accounts (D2).
    grant, grant_notes = _grants(caller, action, key, request, layers, now, tokens, trace, encryption_context,
                                 world.grant_propagation_seconds)
    if grant is not None:
        return _allowed([Reason(ReasonCode.GRANT_ALLOWS, layer="grant", grant=grant.id)], Via.GRANT, grant)

    # Nothing allows it: name what is missing, the closest route first.
    if missing:
        return _missing(missing + grant_notes)
    if account_trust:
        return _missing(account_trust + grant_notes)
    if layers.identity_allows and not cross:
        name, st = layers.identity_allows[0]
        return _missing([_ref(ReasonCode.KEY_POLICY_NO_ACCOUNT_TRUST, "identity", st, name)] + grant_notes)
    missing = [Reason(ReasonCode.NO_KEY_POLICY_ALLOW, layer="key_policy")]
    if not layers.identity_allows and not caller.is_root and not caller.is_service:
        missing.append(Reason(ReasonCode.NO_IDENTITY_ALLOW, layer="identity"))
    elif layers.identity_allows and cross:
        name, st = layers.identity_allows[0]
        missing = [_ref(ReasonCode.KEY_POLICY_NO_ACCOUNT_TRUST, "identity", st, name)]
    return _missing(missing + grant_notes)


def _identity_refs(layers: _Layers) -> list[Reason]:
    return [_ref(ReasonCode.IDENTITY_ALLOWS, "identity", st, name) for name, st in layers.identity_allows[:1]]


def _grants(caller, action, key, request, layers, now, tokens, trace, encryption_context, delay):
    """The first grant that allows the request, and notes on the grants that almost did."""
    notes: list[Reason] = []
    found = None
    for g in key.grants:
        if not g.visible_at(now, delay) and not (g.tokens & tokens):
            continue
        who = grantee_match(g.grantee, caller)
        op_ok = action in g.operations
        constraints_ok = None
        note = None
        if who and op_ok:
            if action == "CreateGrant":
                ops_ok, strict_ok = child_within_parent(g, request.params)
                constraints_ok = ops_ok and strict_ok
                if not ops_ok:
                    note = ReasonCode.GRANT_DELEGATION_OPERATIONS
                elif not strict_ok:
                    note = ReasonCode.GRANT_DELEGATION_CONSTRAINTS
            elif constraint_applies(g, action, key.key_class):
                constraints_ok = constraint_met(g, encryption_context)
                if not constraints_ok:
                    note = ReasonCode.GRANT_CONSTRAINT_MISMATCH
            if who == "account" and note is None and not (caller.is_root or layers.identity_allows):
                note = ReasonCode.GRANT_ACCOUNT_NEEDS_IDENTITY_ALLOW
        elif who:
            note = ReasonCode.GRANT_OPERATION_MISSING
        effective = g.usable_at(now, delay, tokens)
        applies = bool(who and op_ok and constraints_ok is not False and note is None and effective)
        if who and op_ok and note is None and not effective:
            note = ReasonCode.GRANT_NOT_YET_EFFECTIVE if g.removed_at is None else ReasonCode.GRANT_REMOVED
        trace.append(GrantCheck(g, bool(who), op_ok, constraints_ok, effective, applies, note))
        if applies and found is None:
            found = g
        elif note:
            notes.append(Reason(note, layer="grant", grant=g.id))
    return found, ([] if found else notes)


def _retire(world, caller, grant: Grant | None, layers: _Layers, now, tokens, trace) -> Basis:
    """RetireGrant has its own rules (grant-delete.html): the retiring principal, a grantee whose
    grant includes RetireGrant, or the issuing account through IAM. The key policy plays no part."""
    if grant is None:
        return _missing([Reason(ReasonCode.RETIRE_NOT_PERMITTED)])
    effective = grant.usable_at(now, world.grant_propagation_seconds, tokens)
    if grant.retiring:
        who = grantee_match(grant.retiring, caller)
        if who == "direct" or (who == "account" and (caller.is_root or layers.identity_chain)):
            return _allowed([Reason(ReasonCode.RETIRING_PRINCIPAL_RETIRES, layer="grant", grant=grant.id)], Via.RETIRE)
    if "RetireGrant" in grant.operations and effective:
        who = grantee_match(grant.grantee, caller)
        if who == "direct" or (who == "account" and (caller.is_root or layers.identity_chain)):
            return _allowed([Reason(ReasonCode.GRANTEE_RETIRES, layer="grant", grant=grant.id)], Via.RETIRE)
    if caller.account == grant.issuing_account and (caller.is_root or layers.identity_chain):
        refs = _identity_refs(layers)
        code_ref = refs[0] if refs else Reason(ReasonCode.ROOT_USER_IAM_ONLY)
        return _allowed([Reason(ReasonCode.ISSUING_ACCOUNT_RETIRES, layer="grant", grant=grant.id), code_ref], Via.RETIRE)
    trace.append(GrantCheck(grant, False, "RetireGrant" in grant.operations, None, effective, False,
                            ReasonCode.RETIRE_NOT_PERMITTED))
    return _missing([Reason(ReasonCode.RETIRE_NOT_PERMITTED, layer="grant", grant=grant.id)] + _chain_gaps(layers))
