"""The simulated AWS world a request runs in: accounts, organization, principals, keys, grants.

`World.copy()` gives a check its private, mutable copy (policies are immutable and shared). Reading
the contract's `world` mapping is `world_parser.parse_world`.
"""

from __future__ import annotations

import copy as _copy
import hashlib
import re
from dataclasses import dataclass, field

from .catalog import GRANT_OPS_BY_USAGE, KEY_SPECS
from .policy import Policy
from .principals import parse_caller

KEY_ARN_RE = re.compile(r"^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):key/([A-Za-z0-9-]+)$")
ALIAS_ARN_RE = re.compile(r"^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(alias/[A-Za-z0-9/_-]+)$")
ALIAS_NAME_RE = re.compile(r"^alias/[A-Za-z0-9/_-]+$")
CONSTRAINT_KINDS = ("EncryptionContextEquals", "EncryptionContextSubset")

@dataclass(slots=True)
class Grant:
    id: str
    key_arn: str
    grantee: str
    operations: tuple[str, ...]
    name: str | None = None
    retiring: str | None = None
    constraint_kind: str | None = None
    constraint: dict[str, str] = field(default_factory=dict)
    created_at: float = 0.0
    issuing_account: str | None = None
    tokens: set[str] = field(default_factory=set)
    removed_at: float | None = None

    def visible_at(self, now: float, delay: float) -> bool:
        """Still listed (not yet removed, or removal not yet propagated)."""
        return self.removed_at is None or now < self.removed_at + delay

    def usable_at(self, now: float, delay: float, tokens: frozenset[str]) -> bool:
        """Authorizes requests at `now`: propagated (or named by a token), and not yet gone."""
        if not self.visible_at(now, delay):
            return False
        if self.tokens & tokens:
            return True
        return now >= self.created_at + delay

    def listing(self) -> dict:
        """The grant as ListGrants shows it."""
        out = {
            "GrantId": self.id, "KeyId": self.key_arn, "GranteePrincipal": self.grantee,
            "Operations": list(self.operations), "IssuingAccount": self.issuing_account,
            "Name": self.name, "CreationDate": self.created_at,
        }
        if self.retiring:
            out["RetiringPrincipal"] = self.retiring
        if self.constraint_kind:
            out["Constraints"] = {self.constraint_kind: dict(self.constraint)}
        return out


@dataclass(slots=True)
class Key:
    arn: str
    region: str
    account: str
    key_id: str
    policy: Policy
    aliases: list[str] = field(default_factory=list)
    spec: str = "SYMMETRIC_DEFAULT"
    usage: str = "ENCRYPT_DECRYPT"
    state: str = "Enabled"
    manager: str = "CUSTOMER"
    origin: str = "AWS_KMS"
    tags: dict[str, str] = field(default_factory=dict)
    grants: list[Grant] = field(default_factory=list)
    deletion_at: float | None = None
    description: str = ""
    # imported key material (origin EXTERNAL): whether the key has it, and when it expires (None: never)
    material: bool = True
    material_expires_at: float | None = None
    material_expired: bool = False  # KMS deleted the material when it expired (not the owner)
    pending_material: bool = False  # new material imported for RotateKeyOnDemand
    rotation_enabled: bool = False
    rotation_period_days: int = 365
    on_demand_rotations: int = 0
    mr_type: str | None = None  # multi-Region: PRIMARY or REPLICA; None for a single-Region key
    mr_primary: str | None = None  # a replica's primary key ARN
    store_id: str | None = None  # custom key store
    stored_state: str | None = None  # the key's own state while its store is disconnected (it shows Unavailable)
    pending_window_days: int = 30
    declared: frozenset = frozenset()

    @property
    def key_class(self) -> str:
        return KEY_SPECS.get(self.spec, ("SYMMETRIC", ()))[0]

    @property
    def grant_operations(self) -> tuple[str, ...]:
        """What a grant on this key may allow: the operations its spec and usage support."""
        return GRANT_OPS_BY_USAGE.get((self.key_class, self.usage), ())

    def find_grant(self, grant_id: str) -> Grant | None:
        for g in self.grants:
            if g.id == grant_id:
                return g
        return None

    def alias_arn(self, alias: str) -> str:
        return f"arn:aws:kms:{self.region}:{self.account}:{alias}"


@dataclass(slots=True)
class PrincipalDef:
    arn: str
    account: str
    kind: str
    policies: list[tuple[str, Policy]] = field(default_factory=list)
    boundary: Policy | None = None
    tags: dict[str, str] = field(default_factory=dict)
    service_linked: bool = False


@dataclass(slots=True)
class AttachedPolicy:
    name: str
    attach: tuple[str, ...]
    policy: Policy


@dataclass(slots=True)
class Organization:
    id: str
    management_account: str | None
    units: dict[str, str]
    accounts: dict[str, str]
    scps: list[AttachedPolicy]
    rcps: list[AttachedPolicy]
    full_access: bool = True
    _paths: dict = field(default_factory=dict)

    def path_of(self, account: str) -> list[str] | None:
        """Targets from the root down to the account: ["root", "Prod", "Payments", "111..."]."""
        if account not in self.accounts:
            return None
        hit = self._paths.get(account)
        if hit is None:
            hit = self._paths[account] = self._path(account)
        return hit

    def _path(self, account: str) -> list[str]:
        chain = []
        unit = self.accounts[account]
        seen = set()
        while unit and unit != "root" and unit not in seen:
            seen.add(unit)
            chain.append(unit)
            unit = self.units.get(unit, "root")
        return ["root", *reversed(chain), account]

    def is_member(self, account: str | None) -> bool:
        """In the organization, and not its management account (SCPs and RCPs apply)."""
        return account is not None and account in self.accounts and account != self.management_account


@dataclass(slots=True)
class World:
    region: str = "us-east-1"
    grant_propagation_seconds: float = 0.0
    organization: Organization | None = None
    account_names: dict[str, str] = field(default_factory=dict)
    principals: dict[str, PrincipalDef] = field(default_factory=dict)
    keys: dict[str, Key] = field(default_factory=dict)
    vpc_endpoints: dict[str, Policy] = field(default_factory=dict)
    key_stores: dict[str, dict] = field(default_factory=dict)  # custom key store id -> {type, connected}
    tokens: dict[str, tuple[str, str]] = field(default_factory=dict)  # token -> (key arn, grant id)
    counter: int = 0
    timers: bool = True  # a deletion or grant removal may be pending (checked as time passes)
    _roles: dict | None = None
    context_cache: dict = field(default_factory=dict)  # condition keys per caller / per key (context.py)
    callers: dict = field(default_factory=dict)  # principal ARN -> parsed Caller (principals never change)

    def forget_derived(self) -> None:
        """Drop the condition keys and layer facts worked out per caller and per key (`context_cache`):
        called when a key's identity changes (a new replica, a new primary Region)."""
        self.context_cache.clear()

    def copy(self) -> World:
        """A copy whose keys, grants and token registry can change without touching this one."""
        keys = {}
        for arn, key in self.keys.items():
            k = _copy.copy(key)
            k.aliases = list(key.aliases)
            k.tags = dict(key.tags)
            k.grants = [_copy_grant(g) for g in key.grants]
            keys[arn] = k
        principals = {}
        for arn, p in self.principals.items():
            q = _copy.copy(p)
            q.policies = list(p.policies)
            q.tags = dict(p.tags)
            principals[arn] = q
        return World(
            region=self.region, grant_propagation_seconds=self.grant_propagation_seconds,
            organization=self.organization, account_names=dict(self.account_names), principals=principals,
            keys=keys, vpc_endpoints=dict(self.vpc_endpoints),
            key_stores={sid: dict(store) for sid, store in self.key_stores.items()}, tokens=dict(self.tokens),
            counter=self.counter, timers=self.timers, callers=self.callers,
        )

    def pending_timers(self) -> bool:
        """Whether the world changes as time passes: a deletion window, a grant removal still
        propagating, imported material that expires."""
        return any(k.state in ("PendingDeletion", "PendingReplicaDeletion")
                   or any(g.removed_at is not None for g in k.grants)
                   or (k.material and k.material_expires_at is not None) for k in self.keys.values())

    # -- lookups ----------------------------------------------------------------------------

    def caller(self, arn: str):
        """The request's principal, parsed once per world (and shared by its copies)."""
        caller = self.callers.get(arn)
        if caller is None:
            caller = self.callers[arn] = parse_caller(arn, self.role_arns())
        return caller

    def role_arns(self) -> dict[tuple[str, str], str]:
        """(account, role name) -> role ARN, for finding a session's role (and its path)."""
        if self._roles is None:
            self._roles = {(p.account, arn.rsplit("/", 1)[-1]): arn
                           for arn, p in self.principals.items() if p.kind == "role"}
        return self._roles

    def principal_def(self, arn: str | None) -> PrincipalDef | None:
        return self.principals.get(arn) if arn else None

    def find_alias(self, account: str, region: str, alias: str) -> Key | None:
        for key in self.keys.values():
            if key.account == account and key.region == region and alias in key.aliases:
                return key
        return None

    def find_key_id(self, account: str, region: str, key_id: str) -> Key | None:
        for key in self.keys.values():
            if key.account == account and key.region == region and key.key_id == key_id:
                return key
        return None

    def new_id(self, prefix: str) -> str:
        self.counter += 1
        digest = hashlib.sha256(f"{prefix}:{self.counter}:{len(self.keys)}".encode()).hexdigest()
        return digest

    def issue_token(self, grant: Grant) -> str:
        self.counter += 1
        token = "AQpAM2Rh" + hashlib.sha256(f"{grant.id}:{self.counter}".encode()).hexdigest()
        grant.tokens.add(token)
        self.tokens[token] = (grant.key_arn, grant.id)
        return token


def _copy_grant(g: Grant) -> Grant:
    c = _copy.copy(g)
    c.tokens = set(g.tokens)
    c.constraint = dict(g.constraint)
    return c


def show_unavailable(key: Key) -> None:
    """A key of a disconnected store is Unavailable, unless it is pending deletion (§15)."""
    if key.state not in ("PendingDeletion", "Unavailable"):
        key.stored_state, key.state = key.state, "Unavailable"


def show_available(key: Key) -> None:
    if key.state == "Unavailable" and key.stored_state is not None:
        key.state, key.stored_state = key.stored_state, None


def supports_automatic_rotation(key: Key) -> bool:
    """Symmetric encryption keys whose material KMS generates (kms-semantics §13.2)."""
    return key.spec == "SYMMETRIC_DEFAULT" and key.origin == "AWS_KMS"
