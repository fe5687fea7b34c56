"""The request context: every condition key the engine derives for one authorization.

Keys are lower-cased (condition key names are case-insensitive); values are strings, or tuples
of strings for multi-valued keys. Absent keys are simply not in the dict. The request's own
`context` overrides anything derived here. Presence rules: kms-semantics.md §5.
"""

from __future__ import annotations

import zlib
from functools import lru_cache
from datetime import datetime, timezone

from .algorithms import algorithm_context
from .conditions import parse_date
from .catalog import ALIAS_ACCEPTING_ACTIONS, default_usage, is_multivalued
from .errors import EngineInputError
from .principals import Caller
from .world import Key, World
from .world_parser import parse_duration

#: Simulation time 0 is this instant (aws:CurrentTime / aws:EpochTime).
EPOCH_BASE = datetime(2026, 1, 1, tzinfo=timezone.utc).timestamp()


def context_value(value: object) -> str | tuple[str, ...]:
    """A value from a request's `context` in the engine's form."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return tuple(context_value(v) for v in value)  # type: ignore[misc]
    return str(value)


ALGORITHM_ACTIONS = frozenset({
    "Encrypt", "Decrypt", "ReEncryptFrom", "ReEncryptTo", "Sign", "Verify", "GenerateMac", "VerifyMac",
    "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext",
})


#: Condition keys read from request parameters (kms-semantics §12.3, §13.1; D23, D24).
_REQUEST_PARAMETER_KEYS = frozenset({"GetParametersForImport", "ImportKeyMaterial", "EnableKeyRotation",
                                     "ReplicateKey", "UpdatePrimaryRegion", "CreateKey", "TagResource"})


def _parameter_keys(action: str, params: dict) -> dict:
    out = {}
    if action == "GetParametersForImport":
        for name in ("WrappingAlgorithm", "WrappingKeySpec"):
            if params.get(name) is not None:
                out["kms:" + name.lower()] = str(params[name])
    elif action == "ImportKeyMaterial":
        if params.get("ExpirationModel") is not None:  # absent when the request relies on the default
            out["kms:expirationmodel"] = str(params["ExpirationModel"])
        if params.get("ValidTo") is not None:
            seconds = valid_to_seconds(params["ValidTo"])
            if seconds is not None:
                out["kms:validto"] = str(int(EPOCH_BASE + seconds))
    elif action == "ReplicateKey" and params.get("ReplicaRegion") is not None:
        out["kms:replicaregion"] = str(params["ReplicaRegion"])
    elif action == "UpdatePrimaryRegion" and params.get("PrimaryRegion") is not None:
        out["kms:primaryregion"] = str(params["PrimaryRegion"])
    elif action == "EnableKeyRotation":
        out["kms:rotationperiodindays"] = str(params.get("RotationPeriodInDays", 365))
    elif action == "CreateKey":  # the new key's properties, defaults included (kms-semantics §6)
        spec = str(params.get("KeySpec", "SYMMETRIC_DEFAULT"))
        out["kms:keyspec"], out["kms:keyusage"] = spec, str(params.get("KeyUsage", default_usage(spec)))
        out["kms:keyorigin"] = str(params.get("Origin", "AWS_KMS"))
        out["kms:multiregion"] = "true" if params.get("MultiRegion") is True else "false"
        if params.get("MultiRegion") is True:
            out["kms:multiregionkeytype"] = "PRIMARY"
    if action in ("CreateKey", "TagResource") and isinstance(params.get("Tags"), list):
        tags = [t for t in params["Tags"] if isinstance(t, dict) and isinstance(t.get("TagKey"), str)]
        for tag in tags:
            out["aws:requesttag/" + tag["TagKey"].lower()] = str(tag.get("TagValue", ""))
        out["aws:tagkeys"] = tuple(t["TagKey"] for t in tags)
    return out


def valid_to_seconds(value: object) -> float | None:
    """A ValidTo as simulation seconds: seconds, a duration, or an ISO-8601 UTC time (D21)."""
    if isinstance(value, str) and "T" in value:
        epoch = parse_date(value)
        return None if epoch is None else epoch - EPOCH_BASE
    try:
        return parse_duration(value)
    except EngineInputError:
        return None



def build_context(
    *,
    world: World,
    caller: Caller,
    action: str,
    key: Key | None,
    request,
    now: float,
    encryption_context: dict[str, str] | None,
    grant_context: dict | None = None,
    key_named_by_alias: str | None = None,
) -> dict:
    """Every derived condition key for `caller` calling kms:`action` on `key`."""
    cache = world.context_cache
    who = caller.principal_arn if caller.kind == "role" else caller.arn
    part = cache.get(("caller", who))
    if part is None:
        part = cache[("caller", who)] = _caller_part(world, caller)
    ctx = dict(part)
    if caller.kind == "role":
        ctx["aws:userid"] = part["aws:userid"].rsplit(":", 1)[0] + ":" + (caller.session_name or "")
    ctx["aws:currenttime"], ctx["aws:epochtime"] = _times(now)
    ctx["aws:requestedregion"] = key.region if key else world.region
    if caller.kind in ("role", "federated"):
        ctx["aws:tokenissuetime"] = ctx["aws:currenttime"]
    if caller.is_service:
        if request.source_arn:
            ctx["aws:sourcearn"] = request.source_arn
        if request.source_account:
            ctx["aws:sourceaccount"] = request.source_account
    ctx["aws:viaawsservice"] = "true" if request.via_service else "false"
    if request.via_service:
        ctx["kms:viaservice"] = request.via_service
        ctx["aws:calledvia"] = (_service_principal_of(request.via_service),)
        ctx["aws:calledviafirst"] = ctx["aws:calledvia"][0]
        ctx["aws:calledvialast"] = ctx["aws:calledvia"][0]
    if request.vpc_endpoint:
        ctx["aws:sourcevpce"] = request.vpc_endpoint
    if key is not None:
        part = cache.get(("key", key.arn))
        if part is None:
            part = cache[("key", key.arn)] = _key_part(world, key)
        ctx.update(part)
        if key_named_by_alias and action in ALIAS_ACCEPTING_ACTIONS:
            ctx["kms:requestalias"] = key_named_by_alias
    if encryption_context:
        for k, v in encryption_context.items():
            ctx["kms:encryptioncontext:" + k.lower()] = v
        ctx["kms:encryptioncontextkeys"] = tuple(encryption_context)
    if action in ALGORITHM_ACTIONS:
        ctx.update(algorithm_context(action, request.params, key.spec if key else ""))
    if action in ("CreateGrant", "ListGrants", "RevokeGrant"):
        ctx["kms:grantisforawsresource"] = "true" if request.via_service else "false"  # default D8
    if grant_context:
        ctx.update(grant_context)
    if action in ("PutKeyPolicy", "CreateKey") and "BypassPolicyLockoutSafetyCheck" in request.params:
        ctx["kms:bypasspolicylockoutsafetycheck"] = context_value(request.params["BypassPolicyLockoutSafetyCheck"])
    if action in _REQUEST_PARAMETER_KEYS:
        ctx.update(_parameter_keys(action, request.params))
    if action == "ScheduleKeyDeletion":
        ctx["kms:schedulekeydeletionpendingwindowindays"] = str(request.params.get("PendingWindowInDays", 30))
    for k, v in request.context.items():
        value = context_value(v)
        key_lc = str(k).lower()
        if isinstance(value, tuple) and not is_multivalued(key_lc) and len(value) == 1:
            value = value[0]
        ctx[key_lc] = value
    return ctx


def _caller_part(world: World, caller: Caller) -> dict:
    """Condition keys that depend only on the caller (cached per world)."""
    ctx: dict = {"aws:securetransport": "true"}
    org = world.organization
    if caller.is_service:
        ctx["aws:principalisawsservice"] = "true"
        ctx["aws:principalservicename"] = caller.name
        return ctx
    ctx["aws:principalisawsservice"] = "false"
    ctx["aws:principalarn"] = caller.principal_arn
    ctx["aws:principalaccount"] = caller.account
    ctx["aws:principaltype"] = {"user": "User", "role": "AssumedRole", "root": "Account",
                                "federated": "FederatedUser"}[caller.kind]
    ctx["aws:userid"] = _userid(caller)
    if caller.kind == "user":
        ctx["aws:username"] = caller.name
    if caller.kind in ("role", "federated"):
        ctx["aws:multifactorauthpresent"] = "false"
    if org is not None and caller.account in org.accounts:
        ctx["aws:principalorgid"] = org.id
        ctx["aws:principalorgpaths"] = (_org_path(org, caller.account),)
    pdef = world.principal_def(caller.principal_arn)
    if pdef is not None:
        for tag, value in pdef.tags.items():
            ctx["aws:principaltag/" + tag.lower()] = value
    ctx["kms:calleraccount"] = caller.account
    return ctx


def _key_part(world: World, key: Key) -> dict:
    """Condition keys that depend only on the key (cached per world; tags and aliases don't change)."""
    ctx: dict = {"aws:resourceaccount": key.account}
    org = world.organization
    if org is not None and key.account in org.accounts:
        ctx["aws:resourceorgid"] = org.id
        ctx["aws:resourceorgpaths"] = (_org_path(org, key.account),)
    for tag, value in key.tags.items():
        ctx["aws:resourcetag/" + tag.lower()] = value
    ctx["kms:keyspec"] = key.spec
    ctx["kms:customermasterkeyspec"] = key.spec
    ctx["kms:keyusage"] = key.usage
    ctx["kms:customermasterkeyusage"] = key.usage
    ctx["kms:keyorigin"] = key.origin
    ctx["kms:multiregion"] = "true" if key.mr_type else "false"
    if key.mr_type:
        ctx["kms:multiregionkeytype"] = key.mr_type
    if key.aliases:
        ctx["kms:resourcealiases"] = tuple(key.aliases)
    return ctx


@lru_cache(maxsize=256)
def _times(now: float) -> tuple[str, str]:
    epoch = EPOCH_BASE + now
    return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), str(int(epoch))


def grant_request_context(params: dict) -> dict:
    """Condition keys of a CreateGrant request (kms:Grant*, and the constraint's context: D18)."""
    ctx: dict = {}
    ops = params.get("Operations")
    if isinstance(ops, list):
        ctx["kms:grantoperations"] = tuple(str(o) for o in ops)
    if params.get("GranteePrincipal"):
        ctx["kms:granteeprincipal"] = str(params["GranteePrincipal"])
    if params.get("RetiringPrincipal"):
        ctx["kms:retiringprincipal"] = str(params["RetiringPrincipal"])
    constraints = params.get("Constraints")
    if isinstance(constraints, dict):
        for kind in ("EncryptionContextEquals", "EncryptionContextSubset"):
            pairs = constraints.get(kind)
            if isinstance(pairs, dict):
                ctx["kms:grantconstrainttype"] = kind
                for k, v in pairs.items():
                    ctx["kms:encryptioncontext:" + str(k).lower()] = str(v)
                if pairs:
                    ctx["kms:encryptioncontextkeys"] = tuple(str(k) for k in pairs)
    return ctx


@lru_cache(maxsize=1024)
def _userid_cached(kind: str, arn: str, session: str | None) -> str:
    digits = f"{zlib.crc32(arn.encode()):012d}"
    return f"AROA{digits}:{session}" if kind == "role" else f"AIDA{digits}"


def _org_path(org, account: str) -> str:
    """aws:PrincipalOrgPaths / aws:ResourceOrgPaths value: o-id/r-root/ou-.../ (cached on the org)."""
    hit = org._paths.get(("orgpath", account))
    if hit is None:
        path = org.path_of(account) or []
        units = [f"ou-{p.lower()}" for p in path[1:-1]]
        hit = org._paths[("orgpath", account)] = "/".join([org.id, "r-root", *units]) + "/"
    return hit


def _userid(caller: Caller) -> str:
    if caller.kind == "root":
        return caller.account or ""
    return _userid_cached(caller.kind, caller.principal_arn or caller.arn, caller.session_name)


def _service_principal_of(via_service: str) -> str:
    # ec2.us-east-1.amazonaws.com -> ec2.amazonaws.com
    first = via_service.split(".", 1)[0]
    return f"{first}.amazonaws.com"
