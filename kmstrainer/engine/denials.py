"""The AccessDeniedException text, as AWS prints it: which kind of policy denied explicitly, or
which one had no allow."""

from __future__ import annotations

from .authorize import EXPLICITLY_DENIED, AuthzResult
from .principals import Caller
from .vocabulary import ReasonCode
from .world import Key

POLICY_WORDS = {
    "key_policy": "resource-based policy", "identity": "identity-based policy",
    "permissions_boundary": "permissions boundary", "session_policy": "session policy",
    "scp": "service control policy", "rcp": "resource control policy", "vpc_endpoint": "VPC endpoint policy",
}
#: A key policy that did not allow: no statement, no account trust, or a condition not met.
_KEY_POLICY_DENIALS = frozenset({ReasonCode.NO_KEY_POLICY_ALLOW, ReasonCode.KEY_POLICY_NO_ACCOUNT_TRUST,
                                 ReasonCode.KEY_POLICY_CONDITION_NOT_MET})
_IMPLICIT_PHRASES = (
    (ReasonCode.SCP_NO_ALLOW, "service control policy"), (ReasonCode.RCP_NO_ALLOW, "resource control policy"),
    (ReasonCode.VPCE_NO_ALLOW, "VPC endpoint policy"), (ReasonCode.BOUNDARY_NO_ALLOW, "permissions boundary"),
    (ReasonCode.SESSION_POLICY_NO_ALLOW, "session policy"), (ReasonCode.NO_IDENTITY_ALLOW, "identity-based policy"),
    (ReasonCode.CROSS_ACCOUNT_NEEDS_IDENTITY_ALLOW, "identity-based policy"),
    (ReasonCode.GRANT_ACCOUNT_NEEDS_IDENTITY_ALLOW, "identity-based policy"),
    (ReasonCode.NO_IAM_ONLY_ALLOW, "identity-based policy"),
)


class DeniedMessage:
    """The AccessDenied text, worked out when someone reads it (most graded requests never print it)."""

    __slots__ = ("args", "text")

    def __init__(self, *args) -> None:
        self.args = args
        self.text = None

    def __str__(self) -> str:
        if self.text is None:
            self.text = denied_message(*self.args)
        return self.text


def denied_message(caller: Caller, action: str, key: Key | None, authz: AuthzResult) -> str:
    """AccessDeniedException text as AWS prints it."""
    base = (f"User: {caller.arn} is not authorized to perform: kms:{action} on resource: "
            f"{key.arn if key else '*'}")
    if authz.decision == EXPLICITLY_DENIED:
        layer = authz.reasons[0].layer or "key_policy"
        return f"{base} with an explicit deny in a{'n' if POLICY_WORDS[layer][0] in 'aeiou' else ''} " \
               f"{POLICY_WORDS[layer]}"
    phrases = dict(_IMPLICIT_PHRASES)
    for reason in authz.reasons:
        if reason.code == ReasonCode.CROSS_ACCOUNT_OPERATION_NOT_SUPPORTED:
            return f"{base} because kms:{action} cannot be used across accounts"
        if reason.code in _KEY_POLICY_DENIALS:
            break
        if reason.code in phrases:
            return f"{base} because no {phrases[reason.code]} allows the kms:{action} action"
    return f"{base} because no resource-based policy allows the kms:{action} action"
