"""Policy documents: the IAM policy grammar, parsed, validated and compiled once.

`parse_policy(document, kind=...)` takes a mapping or JSON text and returns a `Policy` whose
statements match actions, resources and principals quickly (compiled wildcards, small caches).
Grammar errors raise `PolicyParseError` with the JSON path (`Statement[0].Principal.AWS`, 0-based
as in JSON) and, when the text is known, line:column. A statement missing `Action` or `Resource`
parses (KMS accepts it) but never applies (default D13); the linter reports it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from .conditions import ArnPattern, Condition, UnknownOperator
from .errors import PolicyParseError
from .principals import ACCOUNT_RE, InvalidPrincipal, PrincipalSpec, check_policy_principal
from .source import Positions, format_path, load_text
from .wildcard import Glob

KEY_POLICY_MAX_BYTES = 32768
VERSIONS = ("2012-10-17", "2008-10-17")
STATEMENT_KEYS = (
    "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource",
    "Condition",
)
_ACTION_RE = re.compile(r"^[A-Za-z0-9*?-]+:[A-Za-z0-9*?]+$")
_CACHE_LIMIT = 2048

#: Policy kinds: resource policies name principals, identity-like policies must not.
RESOURCE_KINDS = ("key_policy", "rcp", "vpc_endpoint")
IDENTITY_KINDS = ("identity", "permissions_boundary", "session_policy", "scp")


@dataclass(slots=True, eq=False)
class Statement:
    """One compiled statement. `index` is 1-based, as consoles and reasons count."""

    index: int
    path: tuple  # key path of the statement in its document, e.g. ("Statement", 0)
    sid: str | None
    effect: str
    principal: PrincipalSpec | None
    not_principal: bool
    actions: tuple[Glob, ...] | None  # None: no Action/NotAction element (never applies)
    not_action: bool
    resources: tuple[ArnPattern, ...] | None
    not_resource: bool
    conditions: tuple[Condition, ...]
    raw: dict
    _action_cache: dict = field(default_factory=dict)
    _resource_cache: dict = field(default_factory=dict)
    _principal_cache: dict = field(default_factory=dict)

    _session_names: bool = False  # the Principal element names role sessions

    def __post_init__(self) -> None:
        self._session_names = self.principal is not None and self.principal.names_sessions

    @property
    def is_allow(self) -> bool:
        return self.effect == "Allow"

    def match_principal(self, caller) -> str | None:
        """How this resource-policy statement's Principal / NotPrincipal names the caller: a match kind
        ("direct", "wildcard", "account", "not-principal") or None, cached per caller. A role session
        matches as its role unless the statement names sessions."""
        who = caller.principal_arn if caller.kind == "role" and not self._session_names else caller.arn
        hit = self._principal_cache.get(who, False)
        if hit is False:
            spec = self.principal
            if spec is None:
                hit = None
            elif self.not_principal:
                hit = None if spec.exempts(caller) else "not-principal"
            else:
                hit = spec.match(caller)
            if len(self._principal_cache) > _CACHE_LIMIT:
                self._principal_cache.clear()
            self._principal_cache[who] = hit
        return hit

    def match_action(self, action: str) -> bool:
        """`action` is `kms:Decrypt` in any case."""
        hit = self._action_cache.get(action)
        if hit is None:
            if self.actions is None:
                hit = False
            else:
                listed = any(g.matches(action) for g in self.actions)
                hit = listed != self.not_action
            if len(self._action_cache) > _CACHE_LIMIT:
                self._action_cache.clear()
            self._action_cache[action] = hit
        return hit

    def match_resource(self, resource: str, context: dict) -> bool:
        if self.resources is None:
            return False
        hit = self._resource_cache.get(resource)
        if hit is not None:
            return hit
        listed = any(p.matches(resource, context) for p in self.resources)
        hit = listed != self.not_resource
        if all(p.static is not None for p in self.resources):
            if len(self._resource_cache) > _CACHE_LIMIT:
                self._resource_cache.clear()
            self._resource_cache[resource] = hit
        return hit

    def ref(self) -> str:
        return f"statement {self.index}" + (f" ({self.sid})" if self.sid else "")


@dataclass(slots=True, eq=False)
class Policy:
    """A parsed policy document."""

    kind: str
    version: str | None
    id: str | None
    statements: tuple[Statement, ...]
    document: dict
    size: int  # bytes, of the text as given or of the compact JSON form
    positions: Positions | None = None
    _by_action: dict = field(default_factory=dict)

    def candidates(self, action: str) -> tuple[Statement, ...]:
        """The statements whose Action / NotAction covers `action` (cached per action)."""
        hit = self._by_action.get(action)
        if hit is None:
            if len(self._by_action) > _CACHE_LIMIT:
                self._by_action.clear()
            hit = self._by_action[action] = tuple(st for st in self.statements if st.match_action(action))
        return hit

    @property
    def uses_variables(self) -> bool:
        return self.version == "2012-10-17"


def compact_json(document: object) -> str:
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False)


def parse_policy(
    document: object,
    *,
    kind: str,
    positions: Positions | None = None,
    file: str | None = None,
) -> Policy:
    """Parse a policy given as a mapping or as JSON text."""
    if isinstance(document, str):
        size = len(document.encode("utf-8"))
        data, text_positions = load_text(document, file=file)
        if positions is None:
            positions = text_positions
        document = data
    else:
        size = len(compact_json(document).encode("utf-8")) if document is not None else 0
    positions = positions or Positions(file)
    return _Parser(positions, kind).policy(document, size)


class _Parser:
    def __init__(self, positions: Positions, kind: str) -> None:
        self.positions = positions
        self.kind = kind

    def fail(self, message: str, path: tuple, code: str) -> PolicyParseError:
        line, col = self.positions.locate(path)
        return PolicyParseError(
            message, path=format_path(path), code=code, line=line, column=col, file=self.positions.file
        )

    def policy(self, doc: object, size: int) -> Policy:
        if not isinstance(doc, dict):
            raise self.fail("a policy must be a JSON object", (), "policy.not_object")
        for key in doc:
            if key not in ("Version", "Id", "Statement"):
                raise self.fail(f"unknown policy element `{key}`", (key,), "policy.unknown_element")
        version = doc.get("Version")
        if version is not None and version not in VERSIONS:
            raise self.fail(
                f"`Version` must be \"2012-10-17\" (or the legacy \"2008-10-17\"), not `{version}`",
                ("Version",), "policy.bad_version",
            )
        policy_id = doc.get("Id")
        if policy_id is not None and not isinstance(policy_id, str):
            raise self.fail("`Id` must be a string", ("Id",), "policy.bad_id")
        if "Statement" not in doc:
            raise self.fail("the policy has no `Statement`", (), "policy.missing_statement")
        raw = doc["Statement"]
        if isinstance(raw, dict):
            items = [(("Statement",), raw)]
        elif isinstance(raw, list):
            items = [(("Statement", i), s) for i, s in enumerate(raw)]
        else:
            raise self.fail("`Statement` must be an object or a list of objects", ("Statement",),
                            "policy.bad_statement")
        variables = version == "2012-10-17"
        statements = tuple(
            self.statement(i + 1, path, s, variables) for i, (path, s) in enumerate(items)
        )
        return Policy(self.kind, version, policy_id, statements, doc, size, self.positions)

    def statement(self, index: int, path: tuple, raw: object, variables: bool) -> Statement:
        if not isinstance(raw, dict):
            raise self.fail("a statement must be a JSON object", path, "policy.bad_statement")
        for key in raw:
            if key not in STATEMENT_KEYS:
                raise self.fail(f"unknown statement element `{key}`", path + (key,), "policy.unknown_element")
        sid = raw.get("Sid")
        if sid is not None and not isinstance(sid, str):
            raise self.fail("`Sid` must be a string", path + ("Sid",), "policy.bad_sid")
        effect = raw.get("Effect")
        if effect not in ("Allow", "Deny"):
            where = path + ("Effect",) if "Effect" in raw else path
            shown = "is missing" if effect is None else f"is `{effect}`"
            raise self.fail(f"`Effect` {shown}; it must be \"Allow\" or \"Deny\"", where, "policy.bad_effect")
        for a, b in (("Action", "NotAction"), ("Resource", "NotResource"), ("Principal", "NotPrincipal")):
            if a in raw and b in raw:
                raise self.fail(f"a statement cannot have both `{a}` and `{b}`", path + (b,),
                                "policy.conflicting_elements")
        principal, not_principal = self.principal(raw, path)
        actions, not_action = self.actions(raw, path)
        resources, not_resource = self.resources(raw, path, variables)
        conditions = self.conditions(raw, path, variables)
        return Statement(
            index, path, sid, effect, principal, not_principal, actions, not_action, resources,
            not_resource, conditions, raw,
        )

    # -- elements ---------------------------------------------------------------------------

    def principal(self, raw: dict, path: tuple) -> tuple[PrincipalSpec | None, bool]:
        key = "Principal" if "Principal" in raw else "NotPrincipal" if "NotPrincipal" in raw else None
        if self.kind in IDENTITY_KINDS:
            if key:
                raise self.fail(f"`{key}` is not allowed in this kind of policy; it names no principal",
                                path + (key,), "policy.principal_not_allowed")
            return None, False
        if key is None:
            raise self.fail("the statement has no `Principal`; a key policy must say whom it applies to",
                            path, "policy.missing_principal")
        value = raw[key]
        ppath = path + (key,)
        if value == "*":
            return PrincipalSpec(True, frozenset(), frozenset(), frozenset(), frozenset()), key == "NotPrincipal"
        if not isinstance(value, dict) or not value:
            raise self.fail(f"`{key}` must be \"*\" or an object such as {{\"AWS\": \"arn:...\"}}", ppath,
                            "policy.bad_principal")
        wildcard = False
        accounts, arns, services, federated = set(), set(), set(), set()
        for ptype, values in value.items():
            tpath = ppath + (ptype,)
            items = self.string_list(values, tpath, f"`{key}.{ptype}`")
            for i, item in enumerate(items):
                ipath = tpath + (i,) if isinstance(values, list) else tpath
                if ptype == "AWS":
                    try:
                        canonical = check_policy_principal(item)
                    except InvalidPrincipal as exc:
                        code = "policy.principal_wildcard" if "wildcard" in str(exc) else "policy.invalid_principal"
                        raise self.fail(str(exc), ipath, code) from None
                    if canonical == "*":
                        wildcard = True
                    elif canonical.endswith(":root"):
                        accounts.add(canonical.split(":")[4])
                    else:
                        arns.add(canonical)
                elif ptype == "Service":
                    if item == "*":
                        wildcard = True
                    elif "*" in item or not item.endswith((".amazonaws.com", ".amazonaws.com.cn")):
                        raise self.fail(f"`{item}` is not an AWS service principal such as `logs.amazonaws.com`",
                                        ipath, "policy.invalid_principal")
                    services.add(item)
                elif ptype == "Federated":
                    federated.add(item)
                elif ptype == "CanonicalUser":
                    raise self.fail("KMS key policies do not accept `CanonicalUser` principals", tpath,
                                    "policy.invalid_principal")
                else:
                    raise self.fail(f"unknown principal type `{ptype}`: use AWS, Service or Federated", tpath,
                                    "policy.invalid_principal")
        spec = PrincipalSpec(wildcard, frozenset(accounts), frozenset(arns), frozenset(services),
                             frozenset(federated))
        return spec, key == "NotPrincipal"

    def actions(self, raw: dict, path: tuple) -> tuple[tuple[Glob, ...] | None, bool]:
        key = "Action" if "Action" in raw else "NotAction" if "NotAction" in raw else None
        if key is None:
            return None, False
        values = raw[key]
        items = self.string_list(values, path + (key,), f"`{key}`")
        globs = []
        for i, item in enumerate(items):
            if item != "*" and not _ACTION_RE.match(item):
                ipath = path + (key, i) if isinstance(values, list) else path + (key,)
                raise self.fail(f"`{item}` is not an action: write it as `kms:Decrypt` (service prefix, "
                                "colon, action name)", ipath, "policy.bad_action")
            globs.append(Glob.compile(item, ignore_case=True))
        return tuple(globs), key == "NotAction"

    def resources(self, raw: dict, path: tuple, variables: bool) -> tuple[tuple[ArnPattern, ...] | None, bool]:
        key = "Resource" if "Resource" in raw else "NotResource" if "NotResource" in raw else None
        if key is None:
            return None, False
        values = raw[key]
        items = self.string_list(values, path + (key,), f"`{key}`")
        patterns = []
        for i, item in enumerate(items):
            if item != "*" and not item.startswith("arn:"):
                ipath = path + (key, i) if isinstance(values, list) else path + (key,)
                raise self.fail(f"`{item}` is not a resource: use \"*\" or an ARN", ipath, "policy.bad_resource")
            patterns.append(ArnPattern(item, variables=variables))
        return tuple(patterns), key == "NotResource"

    def conditions(self, raw: dict, path: tuple, variables: bool) -> tuple[Condition, ...]:
        if "Condition" not in raw:
            return ()
        block = raw["Condition"]
        cpath = path + ("Condition",)
        if not isinstance(block, dict):
            raise self.fail("`Condition` must be an object of operators", cpath, "policy.bad_condition")
        out = []
        for operator, entries in block.items():
            opath = cpath + (operator,)
            if not isinstance(entries, dict) or not entries:
                raise self.fail(f"`{operator}` must map condition keys to values", opath, "policy.bad_condition")
            for key, values in entries.items():
                kpath = opath + (key,)
                if not isinstance(key, str) or not key:
                    raise self.fail("a condition key must be a non-empty string", kpath, "policy.bad_condition")
                items = self.scalar_list(values, kpath)
                try:
                    out.append(Condition.compile(operator, key, tuple(items), variables=variables))
                except UnknownOperator as exc:
                    raise self.fail(str(exc), opath, "policy.unknown_operator") from None
        return tuple(out)

    # -- helpers ----------------------------------------------------------------------------

    def string_list(self, values: object, path: tuple, what: str) -> list[str]:
        items = values if isinstance(values, list) else [values]
        if not items:
            raise self.fail(f"{what} must not be empty", path, "policy.empty_element")
        for i, item in enumerate(items):
            if not isinstance(item, str) or not item:
                ipath = path + (i,) if isinstance(values, list) else path
                raise self.fail(f"{what} must hold non-empty strings", ipath, "policy.bad_value")
        return items

    def scalar_list(self, values: object, path: tuple) -> list[str]:
        items = values if isinstance(values, list) else [values]
        if not items:
            raise self.fail("a condition needs at least one value", path, "policy.bad_condition")
        out = []
        for i, item in enumerate(items):
            if isinstance(item, bool):
                out.append("true" if item else "false")
            elif isinstance(item, (int, float, str)):
                out.append(str(item))
            else:
                ipath = path + (i,) if isinstance(values, list) else path
                raise self.fail("condition values must be strings, numbers or booleans", ipath,
                                "policy.bad_condition")
        return out


def is_account_id(text: str) -> bool:
    return bool(ACCOUNT_RE.match(text))
