"""Reading the contract's `world` mapping (scenario-format.md §2) into a `World`: unknown keys and
wrong types are refused with the line of the offending key; durations, grant constraints and
grantee principals are checked on the way."""

from __future__ import annotations

import re

from .catalog import GRANT_OPERATIONS, KEY_SPECS, KEY_STATES, ORIGINS, STORE_ORIGINS
from .errors import EngineInputError, PolicyParseError
from .policy import Policy, parse_policy
from .principals import ACCOUNT_RE, InvalidPrincipal, parse_caller
from .source import Positions
from .world import (
    ALIAS_NAME_RE, CONSTRAINT_KINDS, KEY_ARN_RE, AttachedPolicy, Grant, Key, Organization, PrincipalDef, World,
    show_unavailable, supports_automatic_rotation,
)

WORLD_KEYS = ("settings", "organization", "accounts", "principals", "keys", "vpc_endpoints")
SETTINGS_KEYS = ("region", "grant_propagation_seconds")
ORG_KEYS = ("id", "management_account", "units", "accounts", "scps", "rcps", "full_access")
PRINCIPAL_KEYS = ("arn", "policies", "permissions_boundary", "tags", "service_linked")
KEY_KEYS = ("arn", "aliases", "spec", "usage", "state", "manager", "origin", "tags", "policy", "grants",
            "description", "deletion_at", "material", "rotation", "multi_region", "custom_key_store")
MR_SHARED = ("spec", "usage", "origin", "rotation")  # a replica takes these from its primary (§14.1)
GRANT_KEYS = ("id", "name", "grantee", "retiring", "operations", "constraints", "created_at",
              "issuing_account", "token")


class _WorldParser:
    def __init__(self, positions: Positions) -> None:
        self.pos = positions

    def fail(self, message: str, path: tuple, code: str = "world.invalid") -> EngineInputError:
        return self.pos.error(message, path, code=code)

    def mapping(self, value: object, path: tuple, allowed: tuple[str, ...] | None, what: str) -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail(f"{what} must be a mapping", path)
        if allowed is not None:
            for key in value:
                if key not in allowed:
                    raise self.fail(f"unknown key `{key}` in {what} (allowed: {', '.join(allowed)})",
                                    path + (key,), "world.unknown_key")
        return value

    def seq(self, value: object, path: tuple, what: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(f"{what} must be a list", path)
        return value

    def string(self, value: object, path: tuple, what: str) -> str:
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise self.fail(f"{what} must be a string", path)
        return str(value)

    def string_map(self, value: object, path: tuple, what: str) -> dict[str, str]:
        m = self.mapping(value, path, None, what)
        out = {}
        for k, v in m.items():
            if isinstance(v, (dict, list)) or v is None:
                raise self.fail(f"{what} values must be strings", path + (k,))
            out[str(k)] = "true" if v is True else "false" if v is False else str(v)
        return out

    def account(self, value: object, path: tuple) -> str:
        text = self.string(value, path, "an account id")
        if not ACCOUNT_RE.match(text):
            raise self.fail(f"`{text}` is not a 12-digit account id (quote it in YAML: \"111111111111\")", path)
        return text

    def policy(self, doc: object, path: tuple, kind: str) -> Policy:
        if doc is None:
            raise self.fail("a policy document is required here", path)
        try:
            return parse_policy(doc, kind=kind, positions=self.pos.sub(path) if not isinstance(doc, str) else None,
                                file=self.pos.file)
        except PolicyParseError as exc:
            if isinstance(doc, str):
                line, col = self.pos.locate(path)
                exc.message = f"{exc.message} (inside the policy text, line {exc.line}, column {exc.column})"
                exc.line, exc.column = line, col
                exc.path = _prefix(path, exc.path)
            else:
                exc.path = _prefix(path, exc.path)
            raise

    # -- sections ---------------------------------------------------------------------------

    def world(self, data: object) -> World:
        data = self.mapping(data, (), WORLD_KEYS, "the world")
        world = World()
        settings = self.mapping(data.get("settings"), ("settings",), SETTINGS_KEYS, "`settings`")
        if "region" in settings:
            world.region = self.string(settings["region"], ("settings", "region"), "`region`")
        if "grant_propagation_seconds" in settings:
            value = settings["grant_propagation_seconds"]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise self.fail("`grant_propagation_seconds` must be a number of seconds, 0 or more",
                                ("settings", "grant_propagation_seconds"))
            world.grant_propagation_seconds = float(value)
        names = self.mapping(data.get("accounts"), ("accounts",), None, "`accounts`")
        for acct, name in names.items():
            world.account_names[self.account(acct, ("accounts", acct))] = str(name)
        if data.get("organization") is not None:
            world.organization = self.organization(data["organization"])
        for i, item in enumerate(self.seq(data.get("principals"), ("principals",), "`principals`")):
            p = self.principal(item, ("principals", i))
            world.principals[p.arn] = p
        for i, item in enumerate(self.seq(data.get("keys"), ("keys",), "`keys`")):
            key = self.key(item, ("keys", i), world)
            if key.arn in world.keys:
                raise self.fail(f"key `{key.arn}` is listed twice", ("keys", i, "arn"))
            world.keys[key.arn] = key
        self.related_keys(world, ("keys",))
        for key in world.keys.values():
            if key.store_id and not world.key_stores[key.store_id]["connected"]:
                show_unavailable(key)
        for i, item in enumerate(self.seq(data.get("vpc_endpoints"), ("vpc_endpoints",), "`vpc_endpoints`")):
            path = ("vpc_endpoints", i)
            m = self.mapping(item, path, ("id", "policy"), "a VPC endpoint")
            if "id" not in m:
                raise self.fail("a VPC endpoint needs an `id`", path)
            vid = self.string(m["id"], path + ("id",), "`id`")
            world.vpc_endpoints[vid] = (
                self.policy(m["policy"], path + ("policy",), "vpc_endpoint") if m.get("policy") is not None
                else parse_policy({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*",
                                                  "Resource": "*"}]}, kind="vpc_endpoint")
            )
        for key in world.keys.values():
            for g in key.grants:
                for token in g.tokens:
                    world.tokens[token] = (key.arn, g.id)
        return world

    def organization(self, value: object) -> Organization:
        path = ("organization",)
        m = self.mapping(value, path, ORG_KEYS, "`organization`")
        org_id = self.string(m.get("id", "o-exampleorgid"), path + ("id",), "`id`")
        mgmt = self.account(m["management_account"], path + ("management_account",)) \
            if m.get("management_account") is not None else None
        units = {}
        for name, parent in self.mapping(m.get("units"), path + ("units",), None, "`units`").items():
            units[str(name)] = self.string(parent, path + ("units", name), "an OU's parent")
        for name, parent in units.items():
            if parent != "root" and parent not in units:
                raise self.fail(f"OU `{name}` has parent `{parent}`, which is neither `root` nor a listed OU",
                                path + ("units", name))
        accounts = {}
        for acct, unit in self.mapping(m.get("accounts"), path + ("accounts",), None, "`accounts`").items():
            acct_id = self.account(acct, path + ("accounts", acct))
            unit = self.string(unit, path + ("accounts", acct), "an account's OU")
            if unit != "root" and unit not in units:
                raise self.fail(f"account {acct_id} is placed in `{unit}`, which is not a listed OU",
                                path + ("accounts", acct))
            accounts[acct_id] = unit
        if mgmt and mgmt not in accounts:
            accounts[mgmt] = "root"
        full_access = m.get("full_access", True)
        if not isinstance(full_access, bool):
            raise self.fail("`full_access` must be true or false", path + ("full_access",))
        org = Organization(org_id, mgmt, units, accounts, [], [], full_access)
        for kind in ("scps", "rcps"):
            for i, item in enumerate(self.seq(m.get(kind), path + (kind,), f"`{kind}`")):
                ipath = path + (kind, i)
                a = self.mapping(item, ipath, ("name", "attach", "document"), "an organization policy")
                for req in ("name", "document"):
                    if req not in a:
                        raise self.fail(f"an organization policy needs `{req}`", ipath)
                attach = a.get("attach", ["root"])
                attach = attach if isinstance(attach, list) else [attach]
                targets = []
                for j, t in enumerate(attach):
                    t = str(t)
                    if t != "root" and t not in units and t not in accounts:
                        raise self.fail(f"`{t}` is not `root`, a listed OU or a listed account",
                                        ipath + ("attach", j))
                    targets.append(t)
                policy = self.policy(a["document"], ipath + ("document",), "scp" if kind == "scps" else "rcp")
                getattr(org, kind).append(AttachedPolicy(str(a["name"]), tuple(targets), policy))
        return org

    def principal(self, item: object, path: tuple) -> PrincipalDef:
        m = self.mapping(item, path, PRINCIPAL_KEYS, "a principal")
        if "arn" not in m:
            raise self.fail("a principal needs an `arn`", path)
        arn = self.string(m["arn"], path + ("arn",), "`arn`")
        try:
            caller = parse_caller(arn)
        except InvalidPrincipal as exc:
            raise self.fail(str(exc), path + ("arn",), "world.invalid_principal") from None
        if caller.kind not in ("user", "role"):
            raise self.fail("`principals` lists IAM users and roles (by their iam ARN)", path + ("arn",))
        if caller.kind == "role" and arn.startswith("arn:aws:sts:"):
            raise self.fail("list the role by its role ARN (arn:aws:iam::...:role/Name), not a session ARN",
                            path + ("arn",))
        p = PrincipalDef(arn, caller.account or "", caller.kind)
        for j, pol in enumerate(self.seq(m.get("policies"), path + ("policies",), "`policies`")):
            ppath = path + ("policies", j)
            pm = self.mapping(pol, ppath, ("name", "document"), "an identity policy")
            if "document" not in pm:
                raise self.fail("an identity policy needs a `document`", ppath)
            name = str(pm.get("name") or f"policy-{j + 1}")
            p.policies.append((name, self.policy(pm["document"], ppath + ("document",), "identity")))
        if m.get("permissions_boundary") is not None:
            p.boundary = self.policy(m["permissions_boundary"], path + ("permissions_boundary",),
                                     "permissions_boundary")
        p.tags = self.string_map(m.get("tags"), path + ("tags",), "`tags`")
        slr = m.get("service_linked", "/aws-service-role/" in arn)
        if not isinstance(slr, bool):
            raise self.fail("`service_linked` must be true or false", path + ("service_linked",))
        p.service_linked = slr
        return p

    def key(self, item: object, path: tuple, world: World) -> Key:
        m = self.mapping(item, path, KEY_KEYS, "a key")
        if "arn" not in m:
            raise self.fail("a key needs an `arn`", path)
        arn = self.string(m["arn"], path + ("arn",), "`arn`")
        match = KEY_ARN_RE.match(arn)
        if not match:
            raise self.fail(f"`{arn}` is not a key ARN (arn:aws:kms:<region>:<account>:key/<key-id>)",
                            path + ("arn",))
        region, account, key_id = match.groups()
        if "policy" not in m:
            raise self.fail("every key has exactly one key policy: add `policy`", path)
        policy = self.policy(m["policy"], path + ("policy",), "key_policy")
        key = Key(arn, region, account, key_id, policy)
        aliases = self.seq(m.get("aliases"), path + ("aliases",), "`aliases`")
        for j, alias in enumerate(aliases):
            alias = self.string(alias, path + ("aliases", j), "an alias")
            if not ALIAS_NAME_RE.match(alias):
                raise self.fail(f"`{alias}` is not an alias name (alias/...)", path + ("aliases", j))
            key.aliases.append(alias)
        key.spec = self.string(m.get("spec", "SYMMETRIC_DEFAULT"), path + ("spec",), "`spec`")
        if key.spec not in KEY_SPECS:
            raise self.fail(f"unknown key spec `{key.spec}` (one of {', '.join(KEY_SPECS)})", path + ("spec",))
        usages = KEY_SPECS[key.spec][1]
        key.usage = self.string(m.get("usage", usages[0]), path + ("usage",), "`usage`")
        if key.usage not in usages:
            raise self.fail(f"a {key.spec} key cannot have usage `{key.usage}` (one of {', '.join(usages)})",
                            path + ("usage",))
        key.state = self.string(m.get("state", "Enabled"), path + ("state",), "`state`")
        if key.state not in KEY_STATES:
            raise self.fail(f"unknown key state `{key.state}` (one of {', '.join(KEY_STATES)})", path + ("state",))
        key.manager = self.string(m.get("manager", "CUSTOMER"), path + ("manager",), "`manager`")
        if key.manager not in ("CUSTOMER", "AWS"):
            raise self.fail("`manager` is CUSTOMER or AWS", path + ("manager",))
        key.declared = frozenset(m)
        store = self.custom_key_store(m, path, key, world) if m.get("custom_key_store") is not None else None
        key.origin = self.string(m.get("origin", store["type"] if store else "AWS_KMS"), path + ("origin",), "`origin`")
        if store and key.origin != store["type"]:
            raise self.fail(f"a key in a {store['type']} key store has origin {store['type']}, not {key.origin}",
                            path + ("origin",))
        if key.origin in STORE_ORIGINS and not store:
            raise self.fail(f"a key whose origin is {key.origin} is in a custom key store: add `custom_key_store`",
                            path + ("origin",))
        if m.get("multi_region") is not None:
            self.multi_region(m, path, key)
        if key.origin not in ORIGINS:
            raise self.fail(f"`origin` is one of {', '.join(ORIGINS)}", path + ("origin",))
        self.key_material(m, path, key)
        self.key_rotation(m, path, key)
        key.tags = self.string_map(m.get("tags"), path + ("tags",), "`tags`")
        key.description = str(m.get("description") or "")
        if m.get("deletion_at") is not None:
            key.deletion_at = parse_duration(m["deletion_at"], self.pos, path + ("deletion_at",))
        if key.state == "PendingDeletion" and key.deletion_at is None:
            key.deletion_at = 30 * 86400.0
        for j, g in enumerate(self.seq(m.get("grants"), path + ("grants",), "`grants`")):
            grant = self.grant(g, path + ("grants", j), key, world, j)
            if key.find_grant(grant.id):
                raise self.fail(f"grant id `{grant.id}` is used twice on this key", path + ("grants", j, "id"))
            key.grants.append(grant)
        return key

    def custom_key_store(self, m: dict, path: tuple, key: Key, world: World) -> dict:
        """`custom_key_store: {id, type, connected}`; keys naming one id must agree (§2.1, D29)."""
        where = path + ("custom_key_store",)
        raw = self.mapping(m["custom_key_store"], where, ("id", "type", "connected"), "`custom_key_store`")
        store_id = self.string(raw.get("id"), where + ("id",), "the store `id`")
        kind = raw.get("type")
        if kind not in STORE_ORIGINS:
            raise self.fail("the store `type` is AWS_CLOUDHSM or EXTERNAL_KEY_STORE", where + ("type",))
        connected = raw.get("connected", True)
        if not isinstance(connected, bool):
            raise self.fail("`connected` is true or false", where + ("connected",))
        if m.get("spec", "SYMMETRIC_DEFAULT") != "SYMMETRIC_DEFAULT":
            raise self.fail("a custom key store holds symmetric encryption keys only (spec SYMMETRIC_DEFAULT)",
                            path + ("spec",))
        if m.get("multi_region") is not None:
            raise self.fail("a key in a custom key store cannot be multi-Region", path + ("multi_region",))
        known = world.key_stores.setdefault(store_id, {"type": kind, "connected": connected})
        if (known["type"], known["connected"]) != (kind, connected):
            raise self.fail(f"keys of store {store_id} disagree on its type or connection", where)
        key.store_id = store_id
        return known

    def multi_region(self, m: dict, path: tuple, key: Key) -> None:
        where = path + ("multi_region",)
        raw = self.mapping(m["multi_region"], where, ("type", "primary"), "`multi_region`")
        kind = raw.get("type")
        if kind not in ("PRIMARY", "REPLICA"):
            raise self.fail("`type` is PRIMARY or REPLICA", where + ("type",))
        if not key.key_id.startswith("mrk-"):
            raise self.fail("a multi-Region key's id starts with mrk-", path + ("arn",))
        if kind == "REPLICA":
            key.mr_primary = self.string(raw.get("primary"), where + ("primary",), "the replica's `primary` key ARN")
        elif raw.get("primary") is not None:
            raise self.fail("only a replica names its `primary`", where + ("primary",))
        key.mr_type = kind

    def related_keys(self, world: World, keys_path: tuple) -> None:
        """Replicas name a primary of the world, one key per Region, and share its properties (§2.1)."""
        positions = {arn: i for i, arn in enumerate(world.keys)}
        for arn, key in world.keys.items():
            if key.mr_type != "REPLICA":
                continue
            path = keys_path + (positions[arn], "multi_region", "primary")
            primary = world.keys.get(key.mr_primary or "")
            if primary is None or primary.mr_type != "PRIMARY":
                raise self.fail(f"the replica's primary `{key.mr_primary}` is not a PRIMARY key of the world", path)
            if (primary.account, primary.key_id) != (key.account, key.key_id) or primary.region == key.region:
                raise self.fail("a replica has its primary's account and key id, in another Region", path)
            for name in MR_SHARED:
                mine = (key.spec, key.usage, key.origin, key.rotation_enabled)[MR_SHARED.index(name)]
                theirs = (primary.spec, primary.usage, primary.origin, primary.rotation_enabled)[MR_SHARED.index(name)]
                if name in key.declared and name != "rotation" and mine != theirs:
                    raise self.fail(f"a replica's `{name}` is its primary's ({theirs}), not {mine}",
                                    keys_path + (positions[arn], name))
            key.spec, key.usage, key.origin = primary.spec, primary.usage, primary.origin
            key.rotation_enabled, key.rotation_period_days = primary.rotation_enabled, primary.rotation_period_days

    def key_material(self, m: dict, path: tuple, key: Key) -> None:
        """`material` on an EXTERNAL key: {} (never expires) or {expires_at: T}; absent: none yet."""
        if key.origin != "EXTERNAL":
            if m.get("material") is not None:
                raise self.fail(f"`material` is only for keys whose origin is EXTERNAL (this one is {key.origin})",
                                path + ("material",))
            return
        if m.get("material") is None:
            key.material = False
            if "state" not in m:
                key.state = "PendingImport"
            elif key.state in ("Enabled", "Disabled"):
                raise self.fail(f"an EXTERNAL key without `material` cannot be {key.state}: it is PendingImport "
                                "until key material is imported", path + ("state",))
            return
        material = self.mapping(m["material"], path + ("material",), ("expires_at",), "`material`")
        if material.get("expires_at") is not None:
            key.material_expires_at = parse_duration(material["expires_at"], self.pos,
                                                     path + ("material", "expires_at"))

    def key_rotation(self, m: dict, path: tuple, key: Key) -> None:
        """`rotation: {enabled, period_days}`: automatic rotation, only where KMS supports it."""
        if m.get("rotation") is None:
            key.rotation_enabled = key.manager == "AWS"  # AWS managed keys rotate every year
            return
        rotation = self.mapping(m["rotation"], path + ("rotation",), ("enabled", "period_days"), "`rotation`")
        enabled = rotation.get("enabled", False)
        if not isinstance(enabled, bool):
            raise self.fail("`enabled` is true or false", path + ("rotation", "enabled"))
        period = rotation.get("period_days", 365)
        if isinstance(period, bool) or not isinstance(period, int) or not 90 <= period <= 2560:
            raise self.fail("`period_days` is a whole number of days from 90 to 2560", path + ("rotation", "period_days"))
        if enabled and not supports_automatic_rotation(key):
            raise self.fail(f"automatic rotation is not supported on this key ({key.spec}, origin {key.origin}): "
                            "only symmetric encryption keys whose material KMS generates rotate automatically",
                            path + ("rotation", "enabled"))
        key.rotation_enabled, key.rotation_period_days = enabled or key.manager == "AWS", period

    def grant(self, item: object, path: tuple, key: Key, world: World, index: int) -> Grant:
        m = self.mapping(item, path, GRANT_KEYS, "a grant")
        for req in ("grantee", "operations"):
            if req not in m:
                raise self.fail(f"a grant needs `{req}`", path)
        grantee = self.string(m["grantee"], path + ("grantee",), "`grantee`")
        check_grant_principal(grantee, lambda msg: self.fail(msg, path + ("grantee",)))
        retiring = None
        if m.get("retiring") is not None:
            retiring = self.string(m["retiring"], path + ("retiring",), "`retiring`")
            check_grant_principal(retiring, lambda msg: self.fail(msg, path + ("retiring",)))
        ops = self.seq(m["operations"], path + ("operations",), "`operations`")
        operations = []
        for j, op in enumerate(ops):
            op = self.string(op, path + ("operations", j), "an operation")
            problem = grant_operation_problem(op, key)
            if problem:
                raise self.fail(problem, path + ("operations", j), "world.grant_operation")
            operations.append(op)
        if not operations:
            raise self.fail("a grant needs at least one operation", path + ("operations",))
        kind, constraint = None, {}
        if m.get("constraints") is not None:
            kind, constraint = parse_constraints(m["constraints"], lambda msg, sub=(): self.fail(
                msg, path + ("constraints",) + tuple(sub)))
        gid = self.string(m.get("id") or f"g-{index + 1}", path + ("id",), "`id`")
        created = parse_duration(m.get("created_at", 0), self.pos, path + ("created_at",))
        grant = Grant(
            gid, key.arn, grantee, tuple(operations), name=m.get("name"), retiring=retiring,
            constraint_kind=kind, constraint=constraint, created_at=created,
            issuing_account=str(m.get("issuing_account") or key.account),
        )
        if m.get("token"):
            grant.tokens.add(str(m["token"]))
        return grant


def _prefix(path: tuple, inner: str) -> str:
    from .source import format_path

    outer = format_path(path)
    if not inner:
        return outer
    return f"{outer}{inner}" if inner.startswith("[") else f"{outer}.{inner}"


def check_grant_principal(text: str, fail) -> None:
    try:
        caller = parse_caller(text)
    except InvalidPrincipal as exc:
        raise fail(str(exc)) from None
    if caller.kind == "service":
        raise fail("a grantee or retiring principal is an account, user, role, session or federated-user ARN, "
                   "not a service principal")


def grant_operation_problem(op: str, key: Key) -> str | None:
    """Why `op` cannot be in a grant on `key`, or None."""
    if op not in GRANT_OPERATIONS:
        if op == "ReEncrypt":
            return ("`ReEncrypt` is not a grant operation: grant `ReEncryptFrom` and/or `ReEncryptTo` "
                    "(a common exam-guide mistake)")
        return f"`{op}` is not a grant operation (one of {', '.join(GRANT_OPERATIONS)})"
    if op not in key.grant_operations:
        return f"a {key.spec} key with usage {key.usage} does not support the grant operation `{op}`"
    return None


def parse_constraints(value: object, fail) -> tuple[str, dict[str, str]]:
    """A grant's Constraints: exactly one of EncryptionContextEquals / EncryptionContextSubset."""
    if not isinstance(value, dict) or not value:
        raise fail("`constraints` must hold EncryptionContextEquals or EncryptionContextSubset")
    kinds = [k for k in value if k in CONSTRAINT_KINDS]
    unknown = [k for k in value if k not in CONSTRAINT_KINDS]
    if unknown:
        raise fail(f"unknown grant constraint `{unknown[0]}` (use EncryptionContextEquals or "
                   "EncryptionContextSubset)", (unknown[0],))
    if len(kinds) != 1:
        raise fail("a grant takes EncryptionContextEquals or EncryptionContextSubset, not both")
    kind = kinds[0]
    pairs = value[kind]
    if not isinstance(pairs, dict):
        raise fail(f"`{kind}` must map encryption-context keys to values", (kind,))
    if len(pairs) > 8:
        raise fail(f"`{kind}` has {len(pairs)} pairs; KMS allows at most 8", (kind,))
    out = {}
    for k, v in pairs.items():
        if isinstance(v, (dict, list)) or v is None:
            raise fail("encryption-context values must be strings", (kind, k))
        out[str(k)] = str(v)
    return kind, out


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


MAX_SIMULATION_SECONDS = 100 * 365 * 86400


def parse_duration(value: object, positions: Positions | None = None, path: tuple = ()) -> float:
    """Seconds (`90`) or a duration (`"5m"`, `"8d"`) -> seconds."""
    if isinstance(value, bool):
        value = None
    seconds = None
    if isinstance(value, (int, float)) and value >= 0:
        seconds = float(value)
    elif isinstance(value, str):
        m = _DURATION.match(value)
        if m:
            seconds = float(m.group(1)) * _UNITS[m.group(2)]
    if seconds is not None and seconds <= MAX_SIMULATION_SECONDS:
        return seconds
    message = f"`{value}` is not a time: use seconds (90) or a duration (\"5m\", \"2h\", \"8d\")"
    if seconds is not None:
        message = f"`{value}` is too far ahead: the simulation clock runs at most 100 years (3,153,600,000 seconds)"
    if positions is not None:
        raise positions.error(message, path)
    raise EngineInputError(message)


def parse_world(data: object, positions: Positions | None = None) -> World:
    """Build a World from the contract's `world` mapping."""
    return _WorldParser(positions or Positions()).world(data)


def parse_world_document(data: object, positions: Positions) -> World:
    """A world file (`evaluate`, the playground): the `world` mapping itself, or a document holding `world:`."""
    if isinstance(data, dict) and "world" in data:
        return parse_world(data["world"], positions.sub(("world",)))
    return parse_world(data, positions)
