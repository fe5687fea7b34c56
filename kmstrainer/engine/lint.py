"""The policy linter: findings shaped like IAM Access Analyzer's policy checks.

Each finding has a severity (ERROR, SECURITY_WARNING, WARNING, SUGGESTION), a stable code, the
JSON path of what it is about (0-based, `Statement[1].Condition`), a message, and the line and
column when the policy came as text. A policy that does not parse yields one ERROR finding with
the parser's code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .catalog import EC_ACTIONS, IAM_ONLY_ACTIONS, KMS_ACTIONS, condition_key_info, is_multivalued
from .errors import PolicyParseError
from .policy import RESOURCE_KINDS, Policy, Statement, parse_policy
from .source import format_path
from .wildcard import Glob

SEVERITIES = ("ERROR", "SECURITY_WARNING", "WARNING", "SUGGESTION")
#: Actions that hand out or take away access through grants (ListGrants only reads them).
GRANT_ACTIONS = ("kms:creategrant", "kms:revokegrant")


@dataclass(slots=True)
class Finding:
    severity: str
    code: str
    path: str
    message: str
    line: int | None = None
    column: int | None = None

    def as_dict(self) -> dict:
        return {"severity": self.severity, "code": self.code, "path": self.path, "message": self.message,
                "line": self.line, "column": self.column}


def _guess_kind(doc: object) -> str:
    statements = doc.get("Statement") if isinstance(doc, dict) else None
    items = statements if isinstance(statements, list) else [statements]
    if any(isinstance(s, dict) and ("Principal" in s or "NotPrincipal" in s) for s in items):
        return "key_policy"
    return "identity"


def lint_policy_text(text: str, *, kind: str = "auto", file: str | None = None) -> list[Finding]:
    """Lint a policy given as JSON (or YAML) text."""
    from .source import load_text

    try:
        data, _ = load_text(text, file=file)
    except PolicyParseError as exc:
        return [Finding("ERROR", exc.code, exc.path, exc.message, exc.line, exc.column)]
    except Exception as exc:  # EngineInputError: syntax
        return [Finding("ERROR", getattr(exc, "code", "input.invalid"), "", getattr(exc, "message", str(exc)),
                        getattr(exc, "line", None), getattr(exc, "column", None))]
    if kind == "auto":
        kind = _guess_kind(data)
    if text.lstrip().startswith("{"):
        return lint_document(text, kind=kind, file=file)
    return lint_document(data, kind=kind, file=file)


def lint_document(document: object, *, kind: str = "auto", file: str | None = None) -> list[Finding]:
    """Lint a policy document (mapping or JSON text) of the given kind."""
    if kind == "auto":
        kind = _guess_kind(document if not isinstance(document, str) else {})
    try:
        policy = parse_policy(document, kind=kind, file=file)
    except PolicyParseError as exc:
        return [Finding("ERROR", exc.code, exc.path, exc.message, exc.line, exc.column)]
    except Exception as exc:
        return [Finding("ERROR", getattr(exc, "code", "input.invalid"), getattr(exc, "path", ""),
                        getattr(exc, "message", str(exc)), getattr(exc, "line", None), getattr(exc, "column", None))]
    return _Linter(policy).run()


class _Linter:
    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.findings: list[Finding] = []
        self.resource_policy = policy.kind in RESOURCE_KINDS

    def add(self, severity: str, code: str, path: tuple, message: str) -> None:
        line = column = None
        if self.policy.positions is not None:
            line, column = self.policy.positions.locate(path)
        self.findings.append(Finding(severity, code, format_path(path), message, line, column))

    def run(self) -> list[Finding]:
        if self.policy.version is None:
            self.add("WARNING", "missing-version", (),
                     'the policy has no "Version": "2012-10-17"; policy variables are then read literally')
        sids: dict[str, Statement] = {}
        for st in self.policy.statements:
            if st.sid:
                if st.sid in sids:
                    self.add("ERROR", "duplicate-sid", st.path + ("Sid",),
                             f"Sid `{st.sid}` is used by statements {sids[st.sid].index} and {st.index}")
                sids[st.sid] = st
            self.statement(st)
        if self.policy.kind == "key_policy":
            self.account_trust()
        order = {s: i for i, s in enumerate(SEVERITIES)}
        return sorted(self.findings, key=lambda f: order[f.severity])

    # -- per statement --------------------------------------------------------------------

    def statement(self, st: Statement) -> None:
        raw = st.raw
        if st.actions is None:
            self.add("ERROR", "missing-action", st.path,
                     f"statement {st.index} has no Action: it never applies (KMS accepts it silently)")
        if st.resources is None:
            self.add("ERROR", "missing-resource", st.path,
                     f"statement {st.index} has no Resource: it never applies (KMS accepts it silently)")
        self.actions(st)
        if self.policy.kind == "key_policy":
            self.key_policy_statement(st)
        if self.policy.kind == "identity":
            self.identity_statement(st)
        self.conditions(st)
        if st.is_allow and st.not_principal:
            self.add("SECURITY_WARNING", "notprincipal-with-allow", st.path + ("NotPrincipal",),
                     "Allow with NotPrincipal allows every principal except those listed, anonymous callers "
                     "included; name the principals you mean with Principal")
        if "${aws:username}" in str(raw).lower():
            self.add("SUGGESTION", "username-variable", st.path,
                     "${aws:username} is absent for role sessions and the root user, so it matches nothing "
                     "for them (default D11)")

    def actions(self, st: Statement) -> None:
        key = "Action" if "Action" in st.raw else "NotAction" if "NotAction" in st.raw else None
        if key is None:
            return
        values = st.raw[key]
        items = values if isinstance(values, list) else [values]
        kms_actions = ["kms:" + a for a in KMS_ACTIONS]
        any_kms = False
        for i, item in enumerate(items):
            path = st.path + (key, i) if isinstance(values, list) else st.path + (key,)
            prefix = item.split(":", 1)[0].lower() if ":" in item else ""
            if item == "*" or prefix == "kms":
                glob = Glob.compile(item, ignore_case=True)
                hits = [a for a in kms_actions if glob.matches(a)]
                if not hits:
                    hint = " (ReEncrypt is authorized as kms:ReEncryptFrom and kms:ReEncryptTo: write " \
                           "kms:ReEncrypt*)" if item.lower() == "kms:reencrypt" else ""
                    self.add("ERROR", "unknown-action", path, f"`{item}` matches no KMS action{hint}")
                else:
                    any_kms = True
                if self.policy.kind == "key_policy" and prefix == "kms" and "*" not in item and hits:
                    name = hits[0].split(":", 1)[1]
                    if name in IAM_ONLY_ACTIONS:
                        self.add("SUGGESTION", "iam-only-action-in-key-policy", path,
                                 f"kms:{name} is authorized by IAM policies only; in a key policy it has no effect")
                    if name == "RetireGrant" and st.is_allow:
                        self.add("SUGGESTION", "retiregrant-in-key-policy", path,
                                 "kms:RetireGrant in a key policy has no effect: retiring is controlled by the "
                                 "grant (retiring principal, grantee) and IAM policies")
        if self.policy.kind == "key_policy" and not st.not_action and not any_kms and st.actions is not None:
            self.add("WARNING", "statement-never-matches", st.path + (key,),
                     f"statement {st.index} names no KMS action, so it never applies to this key")

    def key_policy_statement(self, st: Statement) -> None:
        raw = st.raw
        principal = st.principal
        is_account_only = principal is not None and not principal.wildcard and not principal.arns \
            and not principal.services and bool(principal.accounts)
        if st.is_allow and principal is not None and principal.wildcard and not st.not_principal and not st.conditions:
            self.add("SECURITY_WARNING", "wildcard-principal-without-condition", st.path + ("Principal",),
                     'Principal "*" without a condition lets every identity of every account use the key '
                     "(those in other accounts once their IAM allows it); add kms:CallerAccount or "
                     "aws:PrincipalOrgID conditions")
        actions = st.raw.get("Action")
        action_items = [a.lower() for a in (actions if isinstance(actions, list) else [actions]) if isinstance(a, str)]
        if st.is_allow and any(a in ("kms:*", "*") for a in action_items) and not is_account_only \
                and not st.not_principal:
            self.add("SECURITY_WARNING", "kms-star-for-principal", st.path + ("Action",),
                     "kms:* gives this principal full control of the key, deletion and policy changes "
                     "included; give users only the operations they need, and kms:* only to the account "
                     "(to enable IAM policies) or to key administrators deliberately")
        if st.is_allow and not is_account_only and not st.not_action and st.actions is not None:
            grants_mgmt = any(st.match_action(a) for a in GRANT_ACTIONS)
            guarded = any(c.key_lc.startswith(("kms:grant", "kms:viaservice")) for c in st.conditions)
            if grants_mgmt and not guarded and not any(a in ("kms:*", "*") for a in action_items):
                self.add("WARNING", "grant-without-aws-resource-condition", st.path + ("Action",),
                         "this statement lets the principal manage grants directly; add "
                         '"Bool": {"kms:GrantIsForAWSResource": "true"} so only integrated AWS services '
                         "create grants on its behalf")
        if st.is_allow and not is_account_only and not st.not_action and st.actions is not None \
                and st.match_action("kms:replicatekey") and not any(a in ("kms:*", "*") for a in action_items) \
                and not any(c.key_lc == "kms:replicaregion" for c in st.conditions):
            self.add("WARNING", "replicate-key-to-any-region", st.path + ("Action",),
                     "this statement lets the principal replicate the key into any Region (a copy of the key "
                     "material with a key policy of its own); add a kms:ReplicaRegion condition that lists the "
                     "Regions allowed")
        resources = raw.get("Resource")
        if resources is not None and resources != "*":
            self.add("WARNING", "key-policy-resource-not-star", st.path + ("Resource",),
                     'in a key policy Resource should be "*" (this key); another value applies only when '
                     "it matches the key ARN (default D13)")

    def identity_statement(self, st: Statement) -> None:
        resources = st.raw.get("Resource")
        items = resources if isinstance(resources, list) else [resources]
        for i, item in enumerate(items):
            if isinstance(item, str) and re.match(r"^arn:aws[a-z-]*:kms:[^:]*:[^:]*:alias/", item):
                path = st.path + ("Resource", i) if isinstance(resources, list) else st.path + ("Resource",)
                self.add("WARNING", "alias-arn-in-resource", path,
                         "an alias ARN in Resource refers to the alias, never to the key behind it: name the "
                         "key ARN, or use the kms:ResourceAliases / kms:RequestAlias condition keys")

    def conditions(self, st: Statement) -> None:
        nulls = {c.key_lc for c in st.conditions if c.base == "Null"}
        action_names = {a for a in ("kms:" + x for x in EC_ACTIONS) if st.match_action(a.lower())}
        for c in st.conditions:
            path = st.path + ("Condition", c.operator, c.key)
            info = condition_key_info(c.key_lc)
            if info is None and c.key_lc.split(":", 1)[0] in ("aws", "kms"):
                self.add("WARNING", "unknown-condition-key", path,
                         f"`{c.key}` is not a known AWS or KMS condition key; it is absent from every request")
            if c.set_op == "ForAllValues" and c.key_lc.startswith("kms:encryptioncontext:"):
                self.add("ERROR", "forallvalues-on-single-valued-key", path,
                         f"ForAllValues with {c.key} is overly permissive and KMS rejects the policy; use "
                         "StringEquals on it, or ForAllValues on kms:EncryptionContextKeys")
            elif c.set_op == "ForAllValues" and st.is_allow and c.key_lc not in nulls:
                self.add("SECURITY_WARNING", "forallvalues-without-null", path,
                         f"ForAllValues is true when {c.key} is absent or empty, so a request without it is "
                         f'allowed; add "Null": {{"{c.key}": "false"}}')
            if c.set_op is None and c.base != "Null" and is_multivalued(c.key_lc):
                self.add("WARNING", "single-valued-operator-on-multivalued-key", path,
                         f"{c.key} is multi-valued: without ForAnyValue / ForAllValues this condition never "
                         "matches (default D9)")
            if c.key_lc.startswith("kms:encryptioncontext") and not st.not_action and st.actions is not None \
                    and not action_names and not st.match_action("kms:creategrant"):
                self.add("WARNING", "statement-never-matches", path,
                         f"{c.key} exists only on operations that take an encryption context, and this "
                         "statement allows none of them, so it never applies")
        for a in st.conditions:
            for b in st.conditions:
                if a.base == b.base == "Null" and a.key_lc == b.key_lc and set(a.values) != set(b.values) \
                        and a is not b and st.index:
                    self.add("WARNING", "statement-never-matches", st.path + ("Condition",),
                             f"Null conditions on {a.key} contradict each other")
                    return

    def account_trust(self) -> None:
        for st in self.policy.statements:
            p = st.principal
            if st.is_allow and p is not None and p.accounts and not st.not_principal and st.resources is not None \
                    and st.actions is not None and st.match_action("kms:putkeypolicy"):
                return
        self.add("WARNING", "no-account-trust", (),
                 "no statement trusts the key's account (Principal arn:aws:iam::<account>:root): IAM policies "
                 "cannot allow anything on this key, and if the principals named here disappear the key can "
                 "only be recovered through AWS Support")
