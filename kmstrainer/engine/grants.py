"""What a grant allows: grantee matching, constraints, delegation limits, propagation.

Grants only ever allow (kms-semantics.md §4). A grant applies to a request when its grantee is
the caller, its operations include the operation, its constraint (if the operation takes an
encryption context) is met, and it is in effect: propagated, or named by one of the request's
grant tokens.
"""

from __future__ import annotations

from functools import lru_cache

from .catalog import EC_ACTIONS
from .principals import Caller, InvalidPrincipal, parse_caller
from .world import Grant


@lru_cache(maxsize=4096)
def _grant_principal(text: str) -> Caller | None:
    try:
        return parse_caller(text)
    except InvalidPrincipal:
        return None


def grantee_match(principal: str, caller: Caller) -> str | None:
    """"direct" when `principal` (a grantee or retiring principal) is the caller itself,
    "account" when it is the caller's account root (default D3), else None."""
    named = _grant_principal(principal)
    if named is None or caller.is_service:
        return None
    if named.kind == "root":
        return "account" if named.account == caller.account else None
    if named.kind == "role":
        if named.given.startswith("arn:aws:sts:"):
            return "direct" if caller.arn == principal else None
        return "direct" if caller.kind == "role" and caller.principal_arn == principal else None
    return "direct" if caller.arn == principal else None


def _lower_keys(pairs: dict[str, str] | None) -> dict[str, str]:
    return {k.lower(): v for k, v in (pairs or {}).items()}


def constraint_met(grant: Grant, encryption_context: dict[str, str] | None) -> bool:
    """Keys compared case-insensitively, values case-sensitively (default D7)."""
    if not grant.constraint_kind:
        return True
    request = _lower_keys(encryption_context)
    wanted = _lower_keys(grant.constraint)
    if grant.constraint_kind == "EncryptionContextEquals":
        return request == wanted
    return all(request.get(k) == v for k, v in wanted.items())


def constraint_applies(grant: Grant, action: str, key_class: str) -> bool:
    """Constraints bind only operations that take an encryption context, on symmetric keys."""
    return bool(grant.constraint_kind) and action in EC_ACTIONS and key_class == "SYMMETRIC"


def child_within_parent(parent: Grant, params: dict) -> tuple[bool, bool]:
    """(operations ok, constraints ok) for a CreateGrant allowed only by `parent` (§4.4)."""
    ops = params.get("Operations") or []
    ops_ok = set(ops) <= set(parent.operations)
    if not parent.constraint_kind:
        return ops_ok, True
    constraints = params.get("Constraints") or {}
    child_kind = next((k for k in ("EncryptionContextEquals", "EncryptionContextSubset") if k in constraints), None)
    if child_kind is None:
        return ops_ok, False
    child = _lower_keys(constraints.get(child_kind) or {})
    mine = _lower_keys(parent.constraint)
    if parent.constraint_kind == "EncryptionContextEquals":
        return ops_ok, child_kind == "EncryptionContextEquals" and child == mine
    return ops_ok, all(child.get(k) == v for k, v in mine.items())
