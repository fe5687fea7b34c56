"""KMS operations as a state machine over a World (scenario-format.md §3, default D1).

`Simulator(world).run(request)` resolves the key, validates the parameters, authorizes, checks
the key state and type, applies the operation's own rules (lockout check, policy size, grant
delegation), and only then changes the world. Every request ends in a `Result` whose outcome is
`allow`, `deny`, or the name of the KMS exception. What a key's state and type allow is in
`key_rules`, the Result in `results`, the AccessDenied text in `denials`.
"""

from __future__ import annotations

import copy as _copy

from .algorithms import key_spec_problem, validation_problem
from .authorize import ALLOWED, AuthzResult, authorize
from .catalog import (
    ALIAS_ACCEPTING_ACTIONS, CRYPTO_ACTIONS, GRANT_OPERATIONS, IAM_ONLY_ACTIONS, KEY_SPECS, default_usage,
)
from .context import build_context, grant_request_context, valid_to_seconds
from .denials import DeniedMessage
from .errors import EngineInputError
from .key_rules import (
    create_key_problem, default_key_policy, key_metadata, rotation_problem, state_problem, tags_of, tags_problem,
    usage_problem,
)
from .policy import KEY_POLICY_MAX_BYTES, Policy, compact_json, parse_policy
from .principals import Caller, InvalidPrincipal, parse_caller
from .reasons import Reason
from .request import Request
from .results import Result
from .vocabulary import ReasonCode
from .world import ALIAS_ARN_RE, ALIAS_NAME_RE, KEY_ARN_RE, Grant, Key, World, show_available, show_unavailable
from .world_parser import grant_operation_problem, parse_constraints


class _Stop(Exception):
    """Ends a request early with its result."""

    def __init__(self, result: Result) -> None:
        self.result = result


#: Operations that never change the world (a property test runs every check with a shared world and
#: compares): a check made of them needs no copy of it.
READ_ONLY_ACTIONS = CRYPTO_ACTIONS | {
    "ReEncrypt", "DescribeKey", "GetKeyPolicy", "GetPublicKey", "ListGrants", "ListKeyPolicies", "ListResourceTags",
    "ListRetirableGrants", "GetKeyRotationStatus", "ListKeyRotations",
}


class Simulator:
    """Runs requests in order against one world, with a clock that only moves forward.

    `shared=True`: the world belongs to someone else (a scenario's world that every check starts
    from); it is copied before the first request that could change it (copy on write), so a check
    that only reads shares it."""

    def __init__(self, world: World, *, shared: bool = False) -> None:
        self.world = world
        self.now = 0.0
        self._shared = shared

    # -- entry point ----------------------------------------------------------------------

    def run(self, request: Request) -> Result:
        if request.at is not None:
            self.now = max(self.now, request.at)
        caller = self.world.callers.get(request.principal) or self.world.caller(request.principal)
        if self._shared:
            self._copy_before_a_change(request.action)
        if self.world.timers:
            self._advance()
        try:
            return self._dispatch(caller, request)
        except _Stop as stop:
            return stop.result

    def authorization(self, request: Request) -> AuthzResult:
        """Only the authorization decision for a request naming its key by ARN: no parameter, key
        state or key usage checks and no change to the world. What the access review asks."""
        caller = self.world.callers.get(request.principal) or self.world.caller(request.principal)
        action = request.action
        key = self.world.keys[request.key]
        ec = request.encryption_context if action in CRYPTO_ACTIONS else None
        grant_ctx = grant_request_context(request.params) if action == "CreateGrant" else None
        return self._authorize(caller, action, key, request, frozenset(), ec=ec, grant_ctx=grant_ctx, explain=False)

    def _advance(self) -> None:
        """Let time pass: keys whose deletion window ended are gone (with their grants);
        retired or revoked grants disappear once the removal has propagated."""
        world, now = self.world, self.now
        for arn in [a for a, k in world.keys.items() if k.state == "PendingDeletion"
                    and k.deletion_at is not None and now >= k.deletion_at]:
            del world.keys[arn]
        for key in world.keys.values():
            if key.state == "PendingReplicaDeletion" and not self._replicas_of(key):
                key.state, key.deletion_at = "PendingDeletion", now + key.pending_window_days * 86400
        delay = world.grant_propagation_seconds
        for key in world.keys.values():
            if any(g.removed_at is not None for g in key.grants):
                key.grants = [g for g in key.grants if g.visible_at(now, delay)]
            if key.material and key.material_expires_at is not None and now >= key.material_expires_at:
                # KMS deletes expired imported material: the key is PendingImport until it is imported again
                key.material, key.material_expires_at, key.pending_material = False, None, False
                key.material_expired = True
                if key.state != "PendingDeletion":
                    key.state = "PendingImport"
        world.timers = world.pending_timers()

    def _copy_before_a_change(self, action: str) -> None:
        """Take a private copy of a shared world before a request that could change it (a write, or
        time passing over a pending deletion, grant removal or material expiry)."""
        world = self.world
        if world.timers:  # True until someone looks: look once (the shared world does not change)
            world.timers = world.pending_timers()
        if world.timers or action not in READ_ONLY_ACTIONS:
            self.world, self._shared = world.copy(), False

    # -- helpers --------------------------------------------------------------------------

    def _fail(self, caller: Caller, action: str, outcome: str, code: str, message: str, *,
              detail: str | None = None, key: Key | None = None, trace=None) -> _Stop:
        return _Stop(Result(outcome, message, action, caller.arn, None, [Reason(code, detail=detail)],
                            trace or [], key.arn if key else None))

    def _resolve(self, caller: Caller, action: str, text: str | None, request: Request) -> tuple[Key, str | None]:
        """Find the key named by `text` as KMS does; returns (key, alias name if named by alias)."""
        world = self.world
        if not text:
            raise self._fail(caller, action, "ValidationException", ReasonCode.VALIDATION_ERROR,
                             "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: "
                             "Member must not be null", detail="the KeyId parameter is missing")
        key = world.keys.get(text)
        if key is not None:
            return key, None
        account = caller.account or request.source_account
        m = KEY_ARN_RE.match(text)
        if m:
            key = world.keys.get(text)
            if key is None:
                raise self._fail(caller, action, "NotFoundException", ReasonCode.KEY_NOT_FOUND,
                                 f"Key '{text}' does not exist", detail=text)
            return key, None
        m = ALIAS_ARN_RE.match(text)
        if m or ALIAS_NAME_RE.match(text):
            # Engine default E1 (docs/engine.md): an alias *name* in a check names the key for any
            # operation, as the contract's example does; an alias ARN is refused where KMS refuses it.
            if m and action not in ALIAS_ACCEPTING_ACTIONS:
                raise self._fail(caller, action, "InvalidArnException", ReasonCode.ALIAS_NOT_SUPPORTED,
                                 "Key Aliases are not supported for this operation.", detail=action)
            if m:
                region, account, alias = m.groups()
            else:
                region, alias = world.region, text
            key = world.find_alias(account or "", region, alias)
            if key is None:
                arn = f"arn:aws:kms:{region}:{account}:{alias}"
                raise self._fail(caller, action, "NotFoundException", ReasonCode.ALIAS_NOT_FOUND,
                                 f"Alias {arn} is not found.", detail=arn)
            return key, alias
        key = world.find_key_id(account or "", world.region, text) if account else None
        if key is None and account is None:
            key = next((k for k in world.keys.values() if k.key_id == text), None)
        if key is None:
            shown = f"arn:aws:kms:{world.region}:{account}:key/{text}"
            raise self._fail(caller, action, "NotFoundException", ReasonCode.KEY_NOT_FOUND,
                             f"Key '{shown}' does not exist", detail=shown)
        return key, None

    def _check_tokens(self, caller: Caller, action: str, request: Request) -> frozenset[str]:
        tokens = request.grant_tokens
        if not tokens:
            return frozenset()
        if len(tokens) > 10:
            raise self._fail(caller, action, "ValidationException", ReasonCode.VALIDATION_ERROR,
                             "A request takes at most 10 grant tokens.", detail="more than 10 grant tokens")
        for token in tokens:
            if token not in self.world.tokens:
                raise self._fail(caller, action, "InvalidGrantTokenException", ReasonCode.INVALID_GRANT_TOKEN,
                                 "The grant token is not valid.")
        return frozenset(tokens)

    def _validation(self, caller: Caller, action: str, detail: str, key: Key | None = None) -> _Stop:
        return self._fail(caller, action, "ValidationException", ReasonCode.VALIDATION_ERROR, detail[:1].upper() + detail[1:]
                          + ("" if detail.endswith(".") else "."), detail=detail, key=key)

    def _authorize(self, caller, action, key, request, tokens, *, ec=None, alias=None, grant_ctx=None,
                   key_policy=None, retire_target=None, explain=True, iam_only=False) -> AuthzResult:
        context = build_context(world=self.world, caller=caller, action=action, key=key, request=request,
                                now=self.now, encryption_context=ec, grant_context=grant_ctx,
                                key_named_by_alias=alias)
        return authorize(world=self.world, caller=caller, action=action, key=key, request=request,
                         context=context, now=self.now, tokens=tokens, key_policy=key_policy,
                         retire_target=retire_target, encryption_context=ec, explain=explain, iam_only=iam_only)

    def _denied(self, caller: Caller, action: str, key: Key | None, authz: AuthzResult, trace=None) -> _Stop:
        return _Stop(Result("deny", DeniedMessage(caller, action, key, authz), action, caller.arn,
                            authz.decision, authz, trace if trace is not None else authz.trace,
                            key.arn if key else None))

    def _check_state(self, caller: Caller, action: str, key: Key, trace, params: dict | None = None) -> None:
        problem = state_problem(key, action)
        if problem:
            outcome, code, message = problem
            raise self._fail(caller, action, outcome, code, message, key=key, trace=trace)
        problem = usage_problem(key, action)
        if problem:
            outcome, message = problem
            code = ReasonCode.INVALID_KEY_USAGE if outcome == "InvalidKeyUsageException" else ReasonCode.UNSUPPORTED_OPERATION
            raise self._fail(caller, action, outcome, code, message, detail=message, key=key, trace=trace)
        message = key_spec_problem(action, params, key.spec) if params or key.spec != "SYMMETRIC_DEFAULT" else None
        if message:
            raise self._fail(caller, action, "InvalidKeyUsageException", ReasonCode.ALGORITHM_NOT_SUPPORTED, message,
                             detail=message, key=key, trace=trace)

    def _allowed(self, caller, action, key, authz: AuthzResult, request, output=None, trace=None) -> Result:
        if request.dry_run:
            return Result("DryRunOperationException",
                          "The request would have succeeded, but the DryRun parameter was set.", action,
                          caller.arn, authz.decision, authz.reasons + [Reason(ReasonCode.DRY_RUN_WOULD_SUCCEED)],
                          trace if trace is not None else authz.trace, key.arn if key else None)
        return Result("allow", f"kms:{action} succeeded.", action, caller.arn, ALLOWED, authz.reasons,
                      trace if trace is not None else authz.trace, key.arn if key else None, output or {})

    # -- dispatch -------------------------------------------------------------------------

    def _dispatch(self, caller: Caller, request: Request) -> Result:
        action = request.action
        if request.vpc_endpoint and request.vpc_endpoint not in self.world.vpc_endpoints:
            raise self._validation(caller, action, f"no VPC endpoint `{request.vpc_endpoint}` in the world")
        if action in IAM_ONLY_ACTIONS:
            return self._iam_only(caller, request)
        if action == "ReEncrypt":
            return self._reencrypt(caller, request)
        if action == "RetireGrant":
            return self._retire_grant(caller, request)
        key, alias = self._resolve(caller, action, request.key, request)
        problem = validation_problem(action, request.params) if request.params else None
        if problem:
            raise self._validation(caller, action, problem, key)
        tokens = self._check_tokens(caller, action, request) if request.grant_tokens else frozenset()
        handler = _HANDLERS.get(action)
        if handler is not None:
            return handler(self, caller, request, key, alias, tokens)
        return self._simple(caller, request, key, alias, tokens)

    def _simple(self, caller, request, key, alias, tokens, output=None) -> Result:
        action = request.action
        ec = request.encryption_context if action in CRYPTO_ACTIONS else None
        authz = self._authorize(caller, action, key, request, tokens, ec=ec, alias=alias)
        if not authz.allowed:
            return self._denied(caller, action, key, authz).result  # the common denial, without raising
        self._check_state(caller, action, key, authz.trace, request.params)
        return self._allowed(caller, action, key, authz, request, output)

    def _authorized(self, caller, request, key, alias, tokens, **kw) -> AuthzResult:
        """Authorize, then check the key's state and type: the common first half of an operation."""
        action = request.action
        authz = self._authorize(caller, action, key, request, tokens, alias=alias, **kw)
        if not authz.allowed:
            raise self._denied(caller, action, key, authz)
        self._check_state(caller, action, key, authz.trace)
        return authz

    # -- operations with their own rules ---------------------------------------------------

    def _op_DescribeKey(self, caller, request, key, alias, tokens) -> Result:
        return self._simple(caller, request, key, alias, tokens, output={"KeyMetadata": key_metadata(key)})

    def _op_GetKeyPolicy(self, caller, request, key, alias, tokens) -> Result:
        return self._simple(caller, request, key, alias, tokens, output={"Policy": key.policy.document})

    def _op_ListGrants(self, caller, request, key, alias, tokens) -> Result:
        delay, now = self.world.grant_propagation_seconds, self.now
        grants = [g.listing() for g in key.grants if g.visible_at(now, delay)]
        return self._simple(caller, request, key, alias, tokens, output={"Grants": grants})

    def _op_EnableKey(self, caller, request, key, alias, tokens) -> Result:
        result = self._simple(caller, request, key, alias, tokens)
        if result.ok:
            key.state = "Enabled"
        return result

    def _op_DisableKey(self, caller, request, key, alias, tokens) -> Result:
        result = self._simple(caller, request, key, alias, tokens)
        if result.ok:
            key.state = "Disabled"
        return result

    def _op_ScheduleKeyDeletion(self, caller, request, key, alias, tokens) -> Result:
        days = request.params.get("PendingWindowInDays", 30)
        if isinstance(days, bool) or not isinstance(days, int) or not 7 <= days <= 30:
            raise self._validation(caller, "ScheduleKeyDeletion",
                                   f"PendingWindowInDays must be a whole number of days from 7 to 30, not {days}",
                                   key)
        result = self._simple(caller, request, key, alias, tokens)
        if result.ok:
            key.pending_window_days = days
            if key.mr_type == "PRIMARY" and self._replicas_of(key):
                # a primary waits for its replicas; its waiting period starts when the last one is deleted (§3.3)
                key.state, key.deletion_at = "PendingReplicaDeletion", None
            else:
                key.state, key.deletion_at = "PendingDeletion", self.now + days * 86400
            self.world.timers = True
            result.output = {"KeyId": key.arn, "KeyState": key.state, "PendingWindowInDays": days,
                             "DeletionDate": key.deletion_at}
        return result

    def _replicas_of(self, key: Key) -> list[Key]:
        return [k for k in self.world.keys.values() if k.mr_type == "REPLICA" and k.mr_primary == key.arn]

    def _op_CancelKeyDeletion(self, caller, request, key, alias, tokens) -> Result:
        result = self._simple(caller, request, key, alias, tokens)
        if result.ok:
            key.state = "Disabled"
            key.deletion_at = None
            result.output = {"KeyId": key.arn}
        return result

    # -- imported key material (kms-semantics §12, D21-D23) ----------------------------------

    def _op_GetParametersForImport(self, caller, request, key, alias, tokens) -> Result:
        for name in ("WrappingAlgorithm", "WrappingKeySpec"):
            if request.params.get(name) is None:
                raise self._validation(caller, request.action, f"the {name} parameter is required", key)
        authz = self._authorized_external(caller, request, key, alias, tokens)
        return self._allowed(caller, request.action, key, authz, request,
                             output={"KeyId": key.arn, "ParametersValidTo": self.now + 86400})

    def _op_ImportKeyMaterial(self, caller, request, key, alias, tokens) -> Result:
        params = request.params
        model = params.get("ExpirationModel", "KEY_MATERIAL_EXPIRES")
        valid_to = None
        if model == "KEY_MATERIAL_EXPIRES":
            if params.get("ValidTo") is None:
                raise self._validation(caller, request.action, "A validTo date must be set if the ExpirationModel "
                                                               "is KEY_MATERIAL_EXPIRES", key)
            valid_to = self._valid_to(caller, request, key)
        elif params.get("ValidTo") is not None:
            raise self._validation(caller, request.action, "ValidTo is not valid with KEY_MATERIAL_DOES_NOT_EXPIRE", key)
        authz = self._authorized_external(caller, request, key, alias, tokens)
        if request.dry_run:
            return self._allowed(caller, request.action, key, authz, request)
        if key.material and params.get("ImportType") == "NEW_KEY_MATERIAL":
            if key.pending_material:
                raise self._fail(caller, request.action, "KMSInvalidStateException", ReasonCode.MATERIAL_PENDING_ROTATION,
                                 f"{key.arn} cannot import new key material because another key material is pending "
                                 "rotation.", key=key)
            key.pending_material = True  # staged for RotateKeyOnDemand
        else:
            key.material, key.material_expires_at, key.material_expired = True, valid_to, False
            if key.state == "PendingImport":
                key.state = "Enabled"
            if valid_to is not None:
                self.world.timers = True
        return self._allowed(caller, request.action, key, authz, request)

    def _op_DeleteImportedKeyMaterial(self, caller, request, key, alias, tokens) -> Result:
        authz = self._authorized_external(caller, request, key, alias, tokens)
        if request.dry_run:
            return self._allowed(caller, request.action, key, authz, request)
        key.material, key.material_expires_at, key.pending_material = False, None, False
        key.material_expired = False
        if key.state != "PendingDeletion":
            key.state = "PendingImport"
        return self._allowed(caller, request.action, key, authz, request)

    def _authorized_external(self, caller, request, key, alias, tokens) -> AuthzResult:
        """Authorize, then: only EXTERNAL keys take imported material; a key pending deletion takes none."""
        authz = self._authorize(caller, request.action, key, request, tokens, alias=alias)
        if not authz.allowed:
            raise self._denied(caller, request.action, key, authz)
        if key.origin != "EXTERNAL":
            raise self._fail(caller, request.action, "UnsupportedOperationException", ReasonCode.UNSUPPORTED_OPERATION,
                             f"{key.arn} origin is {key.origin} which is not valid for this operation.",
                             detail=f"the key's origin is {key.origin}, not EXTERNAL", key=key, trace=authz.trace)
        if key.state in ("PendingDeletion", "PendingReplicaDeletion"):
            raise self._fail(caller, request.action, "KMSInvalidStateException", ReasonCode.KEY_PENDING_DELETION,
                             f"{key.arn} is pending deletion.", key=key, trace=authz.trace)
        return authz

    def _valid_to(self, caller, request, key) -> float:
        """ValidTo as simulation time (seconds, a duration, or ISO-8601 UTC: D21), in (now, now + 365 days] (D22)."""
        value = request.params.get("ValidTo")
        seconds = valid_to_seconds(value)
        if seconds is None:
            raise self._validation(caller, request.action, f"ValidTo `{value}` is not a time", key)
        if not self.now < seconds <= self.now + 365 * 86400:
            raise self._validation(caller, request.action, "ValidTo must be in the future and at most 365 days "
                                                           "from now", key)
        return seconds

    # -- rotation (kms-semantics §13, D25) ----------------------------------------------------

    def _op_EnableKeyRotation(self, caller, request, key, alias, tokens) -> Result:
        period = request.params.get("RotationPeriodInDays", 365)
        if isinstance(period, bool) or not isinstance(period, int) or not 90 <= period <= 2560:
            raise self._validation(caller, request.action,
                                   f"RotationPeriodInDays must be a whole number of days from 90 to 2560, not {period}",
                                   key)
        authz = self._rotation_authorized(caller, request, key, alias, tokens)
        if not request.dry_run:
            key.rotation_enabled, key.rotation_period_days = True, period
        return self._allowed(caller, request.action, key, authz, request)

    def _op_DisableKeyRotation(self, caller, request, key, alias, tokens) -> Result:
        authz = self._rotation_authorized(caller, request, key, alias, tokens)
        if not request.dry_run:
            key.rotation_enabled = False
        return self._allowed(caller, request.action, key, authz, request)

    def _op_GetKeyRotationStatus(self, caller, request, key, alias, tokens) -> Result:
        authz = self._rotation_authorized(caller, request, key, alias, tokens)
        enabled = key.rotation_enabled and key.state not in ("PendingDeletion", "PendingReplicaDeletion")
        return self._allowed(caller, request.action, key, authz, request, output={
            "KeyRotationEnabled": enabled, "RotationPeriodInDays": key.rotation_period_days})

    def _op_ListKeyRotations(self, caller, request, key, alias, tokens) -> Result:
        authz = self._rotation_authorized(caller, request, key, alias, tokens)
        return self._allowed(caller, request.action, key, authz, request,
                             output={"Rotations": key.on_demand_rotations})

    def _op_RotateKeyOnDemand(self, caller, request, key, alias, tokens) -> Result:
        authz = self._rotation_authorized(caller, request, key, alias, tokens)
        if key.origin == "EXTERNAL" and not key.pending_material:
            raise self._fail(caller, request.action, "KMSInvalidStateException", ReasonCode.NO_MATERIAL_PENDING_ROTATION,
                             f"No available key material pending rotation for the key: {key.arn}.", key=key)
        if key.on_demand_rotations >= 25:
            raise self._fail(caller, request.action, "LimitExceededException", ReasonCode.ROTATION_QUOTA,
                             f"{key.arn} has reached the limit of 25 on-demand rotations.", key=key)
        if not request.dry_run:
            key.on_demand_rotations += 1
            key.pending_material = False
        return self._allowed(caller, request.action, key, authz, request, output={"KeyId": key.arn})

    def _rotation_authorized(self, caller, request, key, alias, tokens) -> AuthzResult:
        """D25: authorize, then whether the key supports the operation, then the key state."""
        action = request.action
        authz = self._authorize(caller, action, key, request, tokens, alias=alias)
        if not authz.allowed:
            raise self._denied(caller, action, key, authz)
        problem = rotation_problem(key, action)
        if problem:
            raise self._fail(caller, action, "UnsupportedOperationException", ReasonCode.UNSUPPORTED_OPERATION, problem,
                             detail=problem, key=key, trace=authz.trace)
        if action in ("EnableKeyRotation", "DisableKeyRotation") and key.state in ("PendingDeletion",
                                                                                 "PendingReplicaDeletion"):
            raise self._fail(caller, action, "KMSInvalidStateException", ReasonCode.KEY_PENDING_DELETION,
                             f"{key.arn} is pending deletion.", key=key, trace=authz.trace)
        self._check_state(caller, action, key, authz.trace)
        return authz

    def _op_RevokeGrant(self, caller, request, key, alias, tokens) -> Result:
        grant = self._grant_by_id(caller, request, key)
        result = self._simple(caller, request, key, alias, tokens)
        if result.ok and grant.removed_at is None:
            grant.removed_at = self.now
            self.world.timers = True
        return result

    def _grant_by_id(self, caller, request, key) -> Grant:
        grant_id = request.params.get("GrantId")
        if not grant_id:
            raise self._validation(caller, request.action, "the GrantId parameter is required", key)
        grant = key.find_grant(str(grant_id))
        if grant is None or not grant.visible_at(self.now, self.world.grant_propagation_seconds):
            raise self._fail(caller, request.action, "InvalidGrantIdException", ReasonCode.INVALID_GRANT_ID,
                             f"Grant ID {grant_id} is not valid for this key.", detail=str(grant_id), key=key)
        return grant

    def _op_CreateGrant(self, caller, request, key, alias, tokens) -> Result:
        params = request.params
        self._validate_grant_params(caller, params, key)
        authz = self._authorized(caller, request, key, alias, tokens, grant_ctx=grant_request_context(params))
        if request.dry_run:
            return self._allowed(caller, "CreateGrant", key, authz, request)
        grant = self._find_same_named_grant(key, params)
        if grant is None:
            kind, constraint = (None, {})
            if params.get("Constraints"):
                kind, constraint = parse_constraints(params["Constraints"], lambda m, s=(): EngineInputError(m))
            grant = Grant(
                "g-" + self.world.new_id("grant")[:24], key.arn, str(params["GranteePrincipal"]),
                tuple(params["Operations"]), name=params.get("Name"), retiring=params.get("RetiringPrincipal"),
                constraint_kind=kind, constraint=constraint, created_at=self.now, issuing_account=caller.account,
            )
            key.grants.append(grant)
        token = self.world.issue_token(grant)
        return self._allowed(caller, "CreateGrant", key, authz, request,
                             output={"GrantId": grant.id, "GrantToken": token})

    def _validate_grant_params(self, caller, params: dict, key: Key) -> None:
        fail = lambda msg: self._validation(caller, "CreateGrant", msg, key)  # noqa: E731
        grantee = params.get("GranteePrincipal")
        if not isinstance(grantee, str) or not grantee:
            raise fail("the GranteePrincipal parameter is required")
        for name in ("GranteePrincipal", "RetiringPrincipal"):
            value = params.get(name)
            if value is None:
                continue
            try:
                who = parse_caller(str(value))
            except InvalidPrincipal as exc:
                raise fail(f"{name}: {exc}") from None
            if who.is_service:
                raise fail(f"{name} must be an account, user, role or session ARN, not a service principal")
        ops = params.get("Operations")
        if not isinstance(ops, list) or not ops:
            raise fail("the Operations parameter must list at least one grant operation")
        for op in ops:
            problem = grant_operation_problem(str(op), key)
            if problem:
                raise fail(problem)
        if params.get("Constraints") is not None:
            try:
                parse_constraints(params["Constraints"], lambda m, s=(): EngineInputError(m))
            except EngineInputError as exc:
                raise fail(exc.message) from None
        name = params.get("Name")
        if name is not None and (not isinstance(name, str) or not name):
            raise fail("Name must be a non-empty string")

    def _find_same_named_grant(self, key: Key, params: dict) -> Grant | None:
        """CreateGrant with a Name is idempotent: the same properties return the same grant."""
        name = params.get("Name")
        if not name:
            return None
        constraints = params.get("Constraints") or {}
        kind = next(iter(constraints), None)
        for g in key.grants:
            if (g.name == name and g.removed_at is None and g.grantee == params["GranteePrincipal"]
                    and set(g.operations) == set(params["Operations"])
                    and g.retiring == params.get("RetiringPrincipal")
                    and g.constraint_kind == kind and g.constraint == (constraints.get(kind) or {})):
                return g
        return None

    def _op_PutKeyPolicy(self, caller, request, key, alias, tokens) -> Result:
        params = request.params
        if params.get("Policy") is None:
            raise self._validation(caller, "PutKeyPolicy", "the Policy parameter is required", key)
        authz = self._authorized(caller, request, key, alias, tokens)
        policy = self._candidate_policy(caller, "PutKeyPolicy", params, key, authz.trace)
        if params.get("BypassPolicyLockoutSafetyCheck") is not True:
            self._lockout_check(caller, request, key, policy, tokens, authz.trace)
        if request.dry_run:
            return self._allowed(caller, "PutKeyPolicy", key, authz, request)
        key.policy = policy
        return self._allowed(caller, "PutKeyPolicy", key, authz, request)

    def _candidate_policy(self, caller, action, params, key, trace) -> Policy:
        raw = params["Policy"]
        text = raw if isinstance(raw, str) else compact_json(raw)
        size = len(text.encode("utf-8"))
        if size > KEY_POLICY_MAX_BYTES:
            raise self._fail(caller, action, "LimitExceededException", ReasonCode.POLICY_TOO_LARGE,
                             f"Policy document length ({size} bytes) exceeds the maximum of "
                             f"{KEY_POLICY_MAX_BYTES} bytes.", detail=str(size), key=key, trace=trace)
        try:
            policy = parse_policy(raw, kind="key_policy")
        except EngineInputError as exc:
            where = f" (line {exc.line}, column {exc.column})" if exc.line else ""
            raise self._fail(caller, action, "MalformedPolicyDocumentException", ReasonCode.MALFORMED_POLICY,
                             f"{exc.message}{where}", detail=f"{exc.message}{where}", key=key, trace=trace) from None
        for st in policy.statements:
            for c in st.conditions:
                if c.set_op == "ForAllValues" and c.key_lc.startswith("kms:encryptioncontext:"):
                    raise self._fail(caller, action, "MalformedPolicyDocumentException", ReasonCode.OVERLY_PERMISSIVE_CONDITION,
                                     "OverlyPermissiveCondition: ForAllValues cannot be used with "
                                     f"{c.key} (statement {st.index}).", key=key, trace=trace)
        return policy

    def _lockout_check(self, caller, request, key, policy, tokens, trace) -> None:
        """Default D12: the caller must be able to call PutKeyPolicy under the new policy."""
        probe = _copy.copy(request)
        probe.action = "PutKeyPolicy"
        probe.params = {}
        check = self._authorize(caller, "PutKeyPolicy", key, probe, tokens, key_policy=policy)
        if not check.allowed:
            raise self._fail(caller, request.action, "MalformedPolicyDocumentException", ReasonCode.LOCKOUT_SAFETY_CHECK,
                             "The new key policy will not allow you to update the key policy in the future.",
                             key=key, trace=trace + check.trace)

    # -- operations that are not "one key, one authorization" -------------------------------

    def _iam_only(self, caller, request) -> Result:
        action = request.action
        authz = self._authorize(caller, action, None, request, frozenset())
        if not authz.allowed:
            raise self._denied(caller, action, None, authz)
        if action in ("ConnectCustomKeyStore", "DisconnectCustomKeyStore"):
            return self._store_connection(caller, request, authz)
        if action != "CreateKey":
            output = {}
            if action == "ListKeys":
                output = {"Keys": [{"KeyArn": k.arn, "KeyId": k.key_id} for k in self.world.keys.values()
                                   if k.account == caller.account]}
            return self._allowed(caller, action, None, authz, request, output)
        return self._create_key(caller, request, authz)

    # -- custom key stores (kms-semantics §15, D29) ----------------------------------------

    def _store_connection(self, caller, request, authz) -> Result:
        action = request.action
        store_id = request.params.get("CustomKeyStoreId")
        store = self.world.key_stores.get(str(store_id))
        if store is None:
            raise self._fail(caller, action, "CustomKeyStoreNotFoundException", ReasonCode.KEY_STORE_NOT_FOUND,
                             f"Custom key store {store_id} does not exist.", detail=str(store_id))
        connect = action == "ConnectCustomKeyStore"
        if not connect and not store["connected"]:
            raise self._fail(caller, action, "CustomKeyStoreInvalidStateException", ReasonCode.KEY_STORE_DISCONNECTED,
                             f"Custom key store {store_id} is already disconnected.", detail=str(store_id))
        if not request.dry_run:
            store["connected"] = connect
            for key in self.world.keys.values():
                if key.store_id == store_id:
                    (show_available if connect else show_unavailable)(key)
        return self._allowed(caller, action, None, authz, request)

    # -- multi-Region keys (kms-semantics §14, D26) -------------------------------------------

    def _op_ReplicateKey(self, caller, request, key, alias, tokens) -> Result:
        region = request.params.get("ReplicaRegion")
        if not isinstance(region, str) or not region:
            raise self._validation(caller, "ReplicateKey", "the ReplicaRegion parameter is required", key)
        if region == key.region:
            raise self._validation(caller, "ReplicateKey", f"the replica Region {region} is the primary's Region", key)
        problem = tags_problem(request.params)
        if problem:
            raise self._validation(caller, "ReplicateKey", problem, key)
        authz = self._authorize(caller, "ReplicateKey", key, request, tokens, alias=alias)
        if not authz.allowed:
            raise self._denied(caller, "ReplicateKey", key, authz)
        # the other half: kms:CreateKey from IAM policies alone, in the replica Region (D26)
        create = Request(request.principal, "CreateKey", None, params={
            "KeySpec": key.spec, "KeyUsage": key.usage, "Origin": key.origin, "MultiRegion": True},
            context={"aws:RequestedRegion": region, "kms:MultiRegion": True, "kms:MultiRegionKeyType": "REPLICA",
                     "kms:KeySpec": key.spec, "kms:KeyUsage": key.usage, "kms:KeyOrigin": key.origin})
        created = self._authorize(caller, "CreateKey", None, create, frozenset())
        if not created.allowed:
            raise self._denied(caller, "CreateKey", None, created, authz.trace + created.trace)
        tags = tags_of(request.params)
        if tags:  # D26 (3): with Tags, kms:TagResource from IAM policies alone, in the replica Region
            tagging = Request(request.principal, "TagResource", None, params={"Tags": request.params["Tags"]},
                              context={"aws:RequestedRegion": region})
            tagged = self._authorize(caller, "TagResource", None, tagging, frozenset(), iam_only=True)
            if not tagged.allowed:
                raise self._denied(caller, "TagResource", None, tagged, authz.trace + created.trace + tagged.trace)
            created = AuthzResult(ALLOWED, created.reasons + tagged.reasons, created.trace + tagged.trace)
        if key.mr_type != "PRIMARY":
            raise self._fail(caller, "ReplicateKey", "UnsupportedOperationException", ReasonCode.UNSUPPORTED_OPERATION,
                             f"{key.arn} is not a multi-region primary key.", detail="only a primary is replicated",
                             key=key, trace=authz.trace)
        self._check_state(caller, "ReplicateKey", key, authz.trace)
        arn = f"arn:aws:kms:{region}:{key.account}:key/{key.key_id}"
        if arn in self.world.keys:
            raise self._fail(caller, "ReplicateKey", "AlreadyExistsException", ReasonCode.REPLICA_EXISTS,
                             f"A replica of {key.arn} already exists in {region}.", detail=region, key=key,
                             trace=authz.trace)
        both = AuthzResult(ALLOWED, authz.reasons + created.reasons, authz.trace + created.trace)
        replica = _copy.copy(key)
        replica.arn, replica.region, replica.mr_type, replica.mr_primary = arn, region, "REPLICA", key.arn
        replica.aliases, replica.grants, replica.deletion_at = [], [], None
        replica.tags = tags
        replica.policy = default_key_policy(key.account)
        if request.params.get("Policy") is not None:
            replica.policy = self._candidate_policy(caller, "ReplicateKey", request.params, key, authz.trace)
            if request.params.get("BypassPolicyLockoutSafetyCheck") is not True:  # D26 (4), D12
                self._lockout_check(caller, request, replica, replica.policy, frozenset(), both.trace)
        replica.state = "PendingImport" if key.origin == "EXTERNAL" else "Enabled"
        replica.material = key.origin != "EXTERNAL"
        if request.dry_run:
            return self._allowed(caller, "ReplicateKey", key, both, request)
        self.world.keys[arn] = replica
        self.world.forget_derived()
        return self._allowed(caller, "ReplicateKey", key, both, request,
                             output={"ReplicaKeyMetadata": key_metadata(replica)})

    def _op_UpdatePrimaryRegion(self, caller, request, key, alias, tokens) -> Result:
        region = request.params.get("PrimaryRegion")
        if not isinstance(region, str) or not region:
            raise self._validation(caller, "UpdatePrimaryRegion", "the PrimaryRegion parameter is required", key)
        first = self._authorize(caller, "UpdatePrimaryRegion", key, request, tokens, alias=alias)
        if not first.allowed:
            raise self._denied(caller, "UpdatePrimaryRegion", key, first)
        if key.mr_type != "PRIMARY":
            raise self._fail(caller, "UpdatePrimaryRegion", "UnsupportedOperationException", ReasonCode.UNSUPPORTED_OPERATION,
                             f"{key.arn} is not a multi-region primary key.", key=key, trace=first.trace)
        replica = self.world.keys.get(f"arn:aws:kms:{region}:{key.account}:key/{key.key_id}")
        if replica is None:
            raise self._fail(caller, "UpdatePrimaryRegion", "NotFoundException", ReasonCode.KEY_NOT_FOUND,
                             f"There is no replica of {key.arn} in {region}.", detail=region, key=key)
        second = self._authorize(caller, "UpdatePrimaryRegion", replica, request, tokens)
        if not second.allowed:
            raise self._denied(caller, "UpdatePrimaryRegion", replica, second, first.trace + second.trace)
        both = AuthzResult(ALLOWED, first.reasons + second.reasons, first.trace + second.trace)
        if request.dry_run:
            return self._allowed(caller, "UpdatePrimaryRegion", key, both, request)
        for other in self.world.keys.values():
            if other.mr_type and other.key_id == key.key_id and other.account == key.account:
                other.mr_type, other.mr_primary = ("PRIMARY", None) if other is replica else ("REPLICA", replica.arn)
        self.world.forget_derived()
        return self._allowed(caller, "UpdatePrimaryRegion", key, both, request)

    def _create_key(self, caller, request, authz) -> Result:
        """CreateKey (authorized by IAM policies alone): the key's type, origin, custom key store and
        multi-Region role from the parameters (kms-semantics §12, §14, §15; D29)."""
        params = request.params
        spec = str(params.get("KeySpec", "SYMMETRIC_DEFAULT"))
        if spec not in KEY_SPECS:
            raise self._validation(caller, "CreateKey", f"unknown KeySpec {spec}")
        usage = str(params.get("KeyUsage", default_usage(spec)))
        if usage not in KEY_SPECS[spec][1]:
            raise self._validation(caller, "CreateKey", f"a {spec} key cannot have KeyUsage {usage}")
        problem = create_key_problem(params, spec) or tags_problem(params)
        if problem:
            raise self._validation(caller, "CreateKey", problem)
        tags = tags_of(params)
        if tags:  # with Tags, kms:TagResource from IAM policies alone too
            tagged = self._authorize(caller, "TagResource", None, request, frozenset(), iam_only=True)
            if not tagged.allowed:
                raise self._denied(caller, "TagResource", None, tagged, authz.trace + tagged.trace)
            authz = AuthzResult(ALLOWED, authz.reasons + tagged.reasons, authz.trace + tagged.trace)
        store_id = params.get("CustomKeyStoreId")
        if store_id is not None:
            store = self.world.key_stores.get(str(store_id))
            if store is None:
                raise self._fail(caller, "CreateKey", "CustomKeyStoreNotFoundException", ReasonCode.KEY_STORE_NOT_FOUND,
                                 f"Custom key store {store_id} does not exist.", detail=str(store_id))
            if params.get("Origin") != store["type"]:
                raise self._validation(caller, "CreateKey", f"a key in custom key store {store_id} needs Origin "
                                                             f"{store['type']}")
            if not store["connected"]:
                raise self._fail(caller, "CreateKey", "CustomKeyStoreInvalidStateException",
                                 ReasonCode.KEY_STORE_NOT_CONNECTED, f"Custom key store {store_id} is not connected.",
                                 detail=str(store_id))
        origin = str(params.get("Origin", "AWS_KMS"))
        multi_region = params.get("MultiRegion") is True
        account = caller.account or "000000000000"
        digest = self.world.new_id("key")
        key_id = f"mrk-{digest[:32]}" if multi_region else _uuid_like(digest)
        arn = f"arn:aws:kms:{self.world.region}:{account}:key/{key_id}"
        key = Key(arn, self.world.region, account, key_id, default_key_policy(account), spec=spec, usage=usage,
                  origin=origin, tags=tags, description=str(params.get("Description") or ""),
                  store_id=str(store_id) if store_id is not None else None,
                  mr_type="PRIMARY" if multi_region else None)
        if origin == "EXTERNAL":  # the key waits for its material
            key.state, key.material = "PendingImport", False
        if params.get("Policy") is not None:
            key.policy = self._candidate_policy(caller, "CreateKey", params, None, authz.trace)
            if params.get("BypassPolicyLockoutSafetyCheck") is not True:
                self._lockout_check(caller, request, key, key.policy, frozenset(), authz.trace)
        if request.dry_run:
            return self._allowed(caller, "CreateKey", None, authz, request)
        self.world.keys[arn] = key
        return self._allowed(caller, "CreateKey", key, authz, request, output={"KeyId": arn, "KeyArn": arn})

    def _reencrypt(self, caller, request) -> Result:
        """ReEncrypt needs kms:ReEncryptFrom on the source key and kms:ReEncryptTo on the destination
        (default D17); each half sees its own encryption context."""
        source, source_alias = self._resolve(caller, "ReEncryptFrom", request.key, request)
        dest, dest_alias = self._resolve(caller, "ReEncryptTo", str(request.params["DestinationKeyId"]), request)
        for part in ("ReEncryptFrom", "ReEncryptTo"):
            problem = validation_problem(part, request.params)
            if problem:
                raise self._validation(caller, "ReEncrypt", problem, source)
        tokens = self._check_tokens(caller, "ReEncrypt", request)
        source_ec = request.source_encryption_context or request.encryption_context
        dest_ec = request.destination_encryption_context or request.encryption_context
        half = _copy.copy(request)
        first = self._authorize(caller, "ReEncryptFrom", source, half, tokens, ec=source_ec, alias=source_alias)
        second = self._authorize(caller, "ReEncryptTo", dest, half, tokens, ec=dest_ec, alias=dest_alias)
        trace = first.trace + second.trace
        for authz, key, part in ((first, source, "ReEncryptFrom"), (second, dest, "ReEncryptTo")):
            if not authz.allowed:
                raise self._denied(caller, part, key, authz, trace)
        self._check_state(caller, "ReEncryptFrom", source, trace, request.params)
        self._check_state(caller, "ReEncryptTo", dest, trace, request.params)
        both = AuthzResult(ALLOWED, first.reasons + second.reasons, trace)
        return self._allowed(caller, "ReEncrypt", source, both, request, trace=trace)

    def _retire_grant(self, caller, request) -> Result:
        params = request.params
        token = params.get("GrantToken")
        grant_id = params.get("GrantId")
        tokens = self._check_tokens(caller, "RetireGrant", request)
        key = grant = None
        if token:
            if token not in self.world.tokens:
                raise self._fail(caller, "RetireGrant", "InvalidGrantTokenException", ReasonCode.INVALID_GRANT_TOKEN,
                                 "The grant token is not valid.")
            key_arn, grant_id = self.world.tokens[token]
            key = self.world.keys.get(key_arn)
            tokens = tokens | {token}
            if key is None:
                raise self._fail(caller, "RetireGrant", "NotFoundException", ReasonCode.KEY_NOT_FOUND,
                                 f"Key '{key_arn}' does not exist", detail=key_arn)
            grant = key.find_grant(grant_id)
            if grant is None:
                raise self._fail(caller, "RetireGrant", "InvalidGrantIdException", ReasonCode.INVALID_GRANT_ID,
                                 f"Grant ID {grant_id} is not valid for this key.", detail=grant_id, key=key)
        else:
            if not grant_id or not request.key:
                raise self._validation(caller, "RetireGrant", "RetireGrant takes a GrantToken, or a KeyId "
                                                              "(key ARN) with a GrantId")
            key, _ = self._resolve(caller, "RetireGrant", request.key, request)
            grant = self._grant_by_id(caller, request, key)
        authz = self._authorize(caller, "RetireGrant", key, request, tokens, retire_target=grant)
        if not authz.allowed:
            raise self._denied(caller, "RetireGrant", key, authz)
        result = self._allowed(caller, "RetireGrant", key, authz, request)
        if result.ok and grant.removed_at is None:
            grant.removed_at = self.now
            self.world.timers = True
        return result


_HANDLERS = {name[4:]: fn for name, fn in vars(Simulator).items() if name.startswith("_op_")}


def _uuid_like(digest: str) -> str:
    return f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"


__all__ = ["Simulator", "GRANT_OPERATIONS"]
