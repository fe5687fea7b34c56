"""Evaluating one policy against one request, statement by statement, recording why.

`scan_policy` returns the statements that apply (split into allows and denies) and appends one
trace entry (a tuple; `entry_dict` turns it into data) per statement to the trace: whether the principal, the action, the resource and
each condition matched. Conditions are evaluated only when principal, action and resource match
(the others are shown as not evaluated). Nothing here decides; `authorize` combines the layers.
"""

from __future__ import annotations

from .policy import Policy, Statement
from .principals import Caller
from .vocabulary import Layer

RESOURCE_LAYERS = frozenset(layer.value for layer in Layer if layer.is_resource_policy)


def statement_entry_dict(layer: str, policy: str, st: Statement, principal, action, resource, conditions,
                         applies, context: dict) -> dict:
    """One statement's trace as JSON-ready data."""
    out = {
        "kind": "statement",
        "layer": layer,
        "policy": policy,
        "statement": st.index,
        "sid": st.sid,
        "effect": st.effect,
        # match kind ("direct", "wildcard", "account", "not-principal"), False (no match), None (no Principal)
        "principal": None if principal == "n/a" else (False if principal is None else principal),
        "action": action,
        "resource": resource,
        "conditions": None,
        "applies": applies,
    }
    if conditions is not None:
        out["conditions"] = [
            {
                "operator": c.operator,
                "key": c.key,
                "values": list(c.values),
                "request_value": _shown(context.get(c.key_lc)),
                "matched": ok,
            }
            for c, ok in conditions
        ]
    return out


def policy_entry_dicts(entry: tuple) -> list[dict]:
    """Expand a policy trace entry into one dict per statement, in document order.

    Statements whose action did not match were not evaluated further during the decision; their
    principal and resource matches are worked out here, when someone asks for the full trace."""
    _, layer, name, policy, caller, action, resource, context, evaluated = entry
    check_principal = layer in RESOURCE_LAYERS
    out = []
    for st in policy.statements:
        done = evaluated.get(st.index)
        if done is not None:
            pm, resource_ok, results, applies = done
            out.append(statement_entry_dict(layer, name, st, pm, True, resource_ok, results, applies, context))
        else:
            pm = principal_match(st, caller) if check_principal else "n/a"
            resource_ok = st.match_resource(resource, context)
            out.append(statement_entry_dict(layer, name, st, pm, False, resource_ok, None, False, context))
    return out


def _shown(value):
    if value is None:
        return None
    if isinstance(value, tuple):
        return list(value)
    return value


def grant_entry(grant, grantee, operation, constraints, effective, applies, note=None) -> tuple:
    """A trace entry for one grant considered."""
    return ("grant", grant, grantee, operation, constraints, effective, applies, note)


def grant_entry_dict(entry: tuple) -> dict:
    _, g, grantee, operation, constraints, effective, applies, note = entry
    return {
        "kind": "grant",
        "layer": "grant",
        "grant": g.id,
        "name": g.name,
        "grantee": g.grantee,
        "operations": list(g.operations),
        "constraints": {g.constraint_kind: dict(g.constraint)} if g.constraint_kind else None,
        "grantee_matched": grantee,
        "operation_matched": operation,
        "constraints_matched": constraints,  # None: not applicable to this operation
        "effective": effective,
        "applies": applies,
        "note": note,
    }


def trace_dicts(trace: list) -> list[dict]:
    """A whole trace as JSON-ready data: one dict per statement and per grant considered."""
    out: list[dict] = []
    for entry in trace:
        if entry[0] == "policy":
            out += policy_entry_dicts(entry)
        else:
            out.append(grant_entry_dict(entry))
    return out


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
    evaluated: dict[int, tuple] = {}
    candidates = policy._by_action.get(action)
    if candidates is None:
        candidates = policy.candidates(action)
    role = caller.kind == "role"
    for st in candidates:
        if check_principal:
            # a session matches as its role unless the statement names sessions (Statement.principal_key)
            who = caller.principal_arn if role and not st._session_names else caller.arn
            pm = st._principal_cache.get(who, False)
            if pm is False:
                pm = principal_match(st, caller)
                if len(st._principal_cache) > 4096:
                    st._principal_cache.clear()
                st._principal_cache[who] = pm
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
    trace.append(("policy", layer, name, policy, caller, action, resource, context, evaluated))
    return allows, denies


def near_misses(trace: list):
    """Allow statements that matched principal, action and resource but failed a condition:
    (layer, policy name, statement, the first failing condition), in trace order."""
    for entry in trace:
        if entry[0] != "policy":
            continue
        _, layer, name, policy, *_rest, evaluated = entry
        for index, (_pm, _resource_ok, results, applies) in evaluated.items():
            if results and not applies:
                st = policy.statements[index - 1]
                if st.effect == "Allow":
                    yield layer, name, st, next(c for c, ok in results if not ok)
