"""Evaluating one policy against one request, statement by statement, recording why.

`scan_policy` returns the statements that apply (split into allows and denies) and appends one
`StatementTrace` per statement to the trace: whether the principal, the action, the resource and
each condition matched. Conditions are evaluated only when principal, action and resource match
(the others are shown as not evaluated). Nothing here decides; `authorize` combines the layers.
"""

from __future__ import annotations

from .policy import Policy, Statement
from .principals import Caller

RESOURCE_LAYERS = frozenset({"key_policy", "rcp", "vpc_endpoint"})


class StatementTrace:
    """One statement considered: what matched, and whether it applies."""

    __slots__ = ("layer", "policy", "statement", "principal", "action", "resource", "conditions",
                 "applies", "context")

    def __init__(self, layer, policy, statement, principal, action, resource, conditions, applies, context):
        self.layer = layer
        self.policy = policy
        self.statement: Statement = statement
        self.principal = principal  # match kind ("direct", "account", ...), None (no match), "n/a"
        self.action = action
        self.resource = resource
        self.conditions = conditions  # list of (Condition, bool) or None when not evaluated
        self.applies = applies
        self.context = context

    def as_dict(self) -> dict:
        st = self.statement
        out = {
            "kind": "statement",
            "layer": self.layer,
            "policy": self.policy,
            "statement": st.index,
            "sid": st.sid,
            "effect": st.effect,
            "principal": self._principal_text(),
            "action": self.action,
            "resource": self.resource,
            "conditions": None,
            "applies": self.applies,
        }
        if self.conditions is not None:
            out["conditions"] = [
                {
                    "operator": c.operator,
                    "key": c.key,
                    "values": list(c.values),
                    "request_value": _shown(self.context.get(c.key_lc)),
                    "matched": ok,
                }
                for c, ok in self.conditions
            ]
        return out

    def _principal_text(self):
        if self.principal == "n/a":
            return None
        if self.principal is None:
            return False
        return self.principal  # "direct" | "wildcard" | "account" | "not-principal"


def _shown(value):
    if value is None:
        return None
    if isinstance(value, tuple):
        return list(value)
    return value


class GrantTrace:
    """One grant considered for a request."""

    __slots__ = ("grant", "grantee", "operation", "constraints", "effective", "applies", "note")

    def __init__(self, grant, grantee, operation, constraints, effective, applies, note=None):
        self.grant = grant
        self.grantee = grantee
        self.operation = operation
        self.constraints = constraints  # True, False, or None (not applicable)
        self.effective = effective
        self.applies = applies
        self.note = note

    def as_dict(self) -> dict:
        g = self.grant
        return {
            "kind": "grant",
            "layer": "grant",
            "grant": g.id,
            "name": g.name,
            "grantee": g.grantee,
            "operations": list(g.operations),
            "constraints": {g.constraint_kind: dict(g.constraint)} if g.constraint_kind else None,
            "grantee_matched": self.grantee,
            "operation_matched": self.operation,
            "constraints_matched": self.constraints,
            "effective": self.effective,
            "applies": self.applies,
            "note": self.note,
        }


def principal_match(statement: Statement, caller: Caller) -> str | None:
    """How a resource-policy statement's Principal / NotPrincipal names the caller."""
    spec = statement.principal
    if spec is None:
        return None
    if statement.not_principal:
        return None if spec.exempts(caller) else "not-principal"
    return spec.match(caller)


def scan_policy(
    policy: Policy,
    layer: str,
    name: str,
    caller: Caller,
    action: str,
    resource: str,
    context: dict,
    trace: list,
) -> tuple[list[tuple[Statement, str]], list[Statement]]:
    """Evaluate every statement of `policy`; return (allows with their principal match, denies).

    `action` is `kms:Decrypt`-style; `resource` the key ARN (or "*" for IAM-only actions)."""
    allows: list[tuple[Statement, str]] = []
    denies: list[Statement] = []
    check_principal = layer in RESOURCE_LAYERS
    for st in policy.statements:
        pm = principal_match(st, caller) if check_principal else "n/a"
        action_ok = st.match_action(action)
        resource_ok = st.match_resource(resource, context)
        results = None
        applies = False
        if pm is not None and action_ok and resource_ok:
            results = [(c, c.evaluate(context)) for c in st.conditions]
            applies = all(ok for _, ok in results)
        trace.append(StatementTrace(layer, name, st, pm, action_ok, resource_ok, results, applies, context))
        if applies:
            if st.effect == "Allow":
                allows.append((st, pm))
            else:
                denies.append(st)
    return allows, denies
