"""Evaluating one policy against one request, statement by statement, recording why.

`scan_policy` returns the statements that apply (split into allows and denies) and appends one
`PolicyScan` step to the trace: per statement, whether the principal, the action, the resource and
each condition matched. `authorize` adds a `GrantCheck` step per grant considered; `trace_dicts`
turns the steps into data. Conditions are evaluated only when principal, action and resource match
(the others are shown as not evaluated). Nothing here decides; `authorize` combines the layers.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar, NamedTuple

from .conditions import Condition
from .world import Grant
from .policy import Policy, Statement
from .principals import Caller
from .vocabulary import Layer

RESOURCE_LAYERS = frozenset(layer.value for layer in Layer if layer.is_resource_policy)


class TraceOp(StrEnum):
    """What a trace step records."""

    POLICY = "policy"  # one policy read for one request, statement by statement
    GRANT = "grant"  # one grant considered for one request


class StatementMatch(NamedTuple):
    """How one statement met a request."""

    # match kind ("direct", "wildcard", "account", "not-principal"), None (no match), "n/a" (not a resource policy)
    principal: str | None
    resource: bool
    conditions: list | None  # [(Condition, held)] when evaluated; None when principal or resource did not match
    applies: bool


@dataclass(slots=True)
class PolicyScan:
    """Trace step: one policy read for one request. Only the statements whose action matched were
    evaluated during the decision (`evaluated`, by statement index); the others are worked out in
    `as_dicts`, when someone asks for the full trace.

    Steps are made on every request, so they are plain (not frozen) slotted classes, and `evaluated`
    holds each statement's match as a bare tuple that `StatementMatch` names when read: a frozen dataclass
    and a NamedTuple per statement cost 41 % more instructions per evaluation (`bench/engine_icount.py`)."""

    layer: str
    name: str
    policy: Policy
    caller: Caller
    action: str
    resource: str
    context: dict
    evaluated: dict[int, tuple]  # statement index -> the fields of a StatementMatch
    op: ClassVar[TraceOp] = TraceOp.POLICY

    def as_dicts(self) -> list[dict]:
        """One dict per statement, in document order."""
        check_principal = self.layer in RESOURCE_LAYERS
        out = []
        for st in self.policy.statements:
            fields = self.evaluated.get(st.index)
            if fields is not None:
                out.append(self._statement_dict(st, StatementMatch._make(fields), True))
            else:
                principal = st.match_principal(self.caller) if check_principal else "n/a"
                match = StatementMatch(principal, st.match_resource(self.resource, self.context), None, False)
                out.append(self._statement_dict(st, match, False))
        return out

    def _statement_dict(self, st: Statement, match: StatementMatch, action: bool) -> dict:
        principal = match.principal
        return {
            "kind": "statement",
            "layer": self.layer,
            "policy": self.name,
            "statement": st.index,
            "sid": st.sid,
            "effect": st.effect,
            # match kind ("direct", "wildcard", "account", "not-principal"), False (no match), None (no Principal)
            "principal": None if principal == "n/a" else (False if principal is None else principal),
            "action": action,
            "resource": match.resource,
            "conditions": None if match.conditions is None else [
                _condition_dict(c, held, self.context) for c, held in match.conditions],
            "applies": match.applies,
        }


def _condition_dict(condition: Condition, held: bool, context: dict) -> dict:
    explained = condition.explain(context)
    return {
        "operator": condition.operator,
        "key": condition.key,
        "values": list(condition.values),
        "request_value": explained.request_value,
        "matched_value": explained.policy_value,  # the policy value a request value matched, if one did
        "matched": held,
    }


@dataclass(slots=True)
class GrantCheck:
    """Trace step: one grant considered for one request."""

    grant: Grant
    grantee: bool
    operation: bool
    constraints: bool | None  # None: not applicable to this operation
    effective: bool
    applies: bool
    note: str | None = None
    op: ClassVar[TraceOp] = TraceOp.GRANT

    def as_dicts(self) -> list[dict]:
        g = self.grant
        return [{
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
        }]


TraceStep = PolicyScan | GrantCheck


def trace_dicts(trace: list[TraceStep]) -> list[dict]:
    """A whole trace as JSON-ready data: one dict per statement and per grant considered."""
    return [d for step in trace for d in step.as_dicts()]


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
    evaluated: dict[int, tuple] = {}  # index -> StatementMatch's fields (see PolicyScan)
    # The statements' own caches are read here before calling their methods (which fill them): a method
    # call per statement cost 6 % more instructions per evaluation (bench/engine_icount.py).
    as_role = caller.principal_arn if caller.kind == "role" else caller.arn  # a session matches as its role
    for st in policy.candidates(action):
        if check_principal:
            pm = st._principal_cache.get(caller.arn if st._session_names else as_role, False)
            if pm is False:
                pm = st.match_principal(caller)
        else:
            pm = "n/a"
        resource_ok = st._resource_cache.get(resource)
        if resource_ok is None:
            resource_ok = st.match_resource(resource, context)
        results = None
        applies = False
        if pm is not None and resource_ok:
            if st.conditions:
                results = []
                applies = True
                for c in st.conditions:
                    ok = c.evaluate(context)
                    results.append((c, ok))
                    if not ok:
                        applies = False
            else:
                results = []
                applies = True
        evaluated[st.index] = (pm, resource_ok, results, applies)
        if applies:
            if st.effect == "Allow":
                allows.append((st, pm))
            else:
                denies.append(st)
    trace.append(PolicyScan(layer, name, policy, caller, action, resource, context, evaluated))
    return allows, denies


def near_misses(trace: list[TraceStep]):
    """Allow statements that matched principal, action and resource but failed a condition:
    (layer, policy name, statement, the first failing condition), in trace order."""
    for step in trace:
        if step.op is not TraceOp.POLICY:
            continue
        statements = step.policy.statements
        # read on every implicit denial: the fields unpacked in StatementMatch's order, without naming them
        for index, (_principal, _resource, conditions, applies) in step.evaluated.items():
            if conditions and not applies:
                st = statements[index - 1]
                if st.effect == "Allow":
                    yield step.layer, step.name, st, next(c for c, held in conditions if not held)
