"""The engine's vocabulary, as enums the app can import: decisions, reason codes, policy layers, edit kinds.

Each is a StrEnum whose values are the strings of the scenario format and of `--json`, so JSON,
templates and stored attempts keep reading the same words.
"""

from __future__ import annotations

from enum import StrEnum


class Decision(StrEnum):
    """How authorization came out (absent when a call failed before authorization)."""

    ALLOWED = "Allowed"
    EXPLICITLY_DENIED = "ExplicitlyDenied"
    IMPLICITLY_DENIED = "ImplicitlyDenied"


class ReasonCode(StrEnum):
    """Why a decision came out as it did: the stable codes of `reasons[].code`, one sentence each in
    `reasons.CATALOGUE` (a test holds the two to the same set)."""

    KEY_POLICY_ALLOWS = "key-policy-allows"
    KEY_POLICY_ALLOWS_ACCOUNT = "key-policy-allows-account"
    ROOT_USER_ACCOUNT_TRUST = "root-user-account-trust"
    IDENTITY_ALLOWS = "identity-allows"
    GRANT_ALLOWS = "grant-allows"
    IAM_ONLY_ACTION_ALLOWED = "iam-only-action-allowed"
    ROOT_USER_IAM_ONLY = "root-user-iam-only"
    RETIRING_PRINCIPAL_RETIRES = "retiring-principal-retires"
    GRANTEE_RETIRES = "grantee-retires"
    ISSUING_ACCOUNT_RETIRES = "issuing-account-retires"
    KEY_POLICY_DENIES = "key-policy-denies"
    IDENTITY_DENIES = "identity-denies"
    BOUNDARY_DENIES = "boundary-denies"
    SESSION_POLICY_DENIES = "session-policy-denies"
    SCP_DENIES = "scp-denies"
    RCP_DENIES = "rcp-denies"
    VPCE_DENIES = "vpce-denies"
    NO_KEY_POLICY_ALLOW = "no-key-policy-allow"
    KEY_POLICY_NO_ACCOUNT_TRUST = "key-policy-no-account-trust"
    NO_IDENTITY_ALLOW = "no-identity-allow"
    CROSS_ACCOUNT_NEEDS_IDENTITY_ALLOW = "cross-account-needs-identity-allow"
    BOUNDARY_NO_ALLOW = "boundary-no-allow"
    SESSION_POLICY_NO_ALLOW = "session-policy-no-allow"
    SCP_NO_ALLOW = "scp-no-allow"
    RCP_NO_ALLOW = "rcp-no-allow"
    REPLICA_OWN_KEY_POLICY = "replica-own-key-policy"
    KEY_POLICY_CONDITION_NOT_MET = "key-policy-condition-not-met"
    IDENTITY_CONDITION_NOT_MET = "identity-condition-not-met"
    BOUNDARY_CONDITION_NOT_MET = "boundary-condition-not-met"
    SESSION_POLICY_CONDITION_NOT_MET = "session-policy-condition-not-met"
    SCP_CONDITION_NOT_MET = "scp-condition-not-met"
    RCP_CONDITION_NOT_MET = "rcp-condition-not-met"
    VPCE_CONDITION_NOT_MET = "vpce-condition-not-met"
    VPCE_NO_ALLOW = "vpce-no-allow"
    CROSS_ACCOUNT_OPERATION_NOT_SUPPORTED = "cross-account-operation-not-supported"
    GRANT_NOT_YET_EFFECTIVE = "grant-not-yet-effective"
    GRANT_REMOVED = "grant-removed"
    GRANT_CONSTRAINT_MISMATCH = "grant-constraint-mismatch"
    GRANT_OPERATION_MISSING = "grant-operation-missing"
    GRANT_ACCOUNT_NEEDS_IDENTITY_ALLOW = "grant-account-needs-identity-allow"
    GRANT_DELEGATION_OPERATIONS = "grant-delegation-operations"
    GRANT_DELEGATION_CONSTRAINTS = "grant-delegation-constraints"
    RETIRE_NOT_PERMITTED = "retire-not-permitted"
    NO_IAM_ONLY_ALLOW = "no-iam-only-allow"
    KEY_NOT_FOUND = "key-not-found"
    ALIAS_NOT_FOUND = "alias-not-found"
    ALIAS_NOT_SUPPORTED = "alias-not-supported"
    INVALID_GRANT_TOKEN = "invalid-grant-token"
    INVALID_GRANT_ID = "invalid-grant-id"
    VALIDATION_ERROR = "validation-error"
    INVALID_KEY_USAGE = "invalid-key-usage"
    KEY_STORE_DISCONNECTED = "key-store-disconnected"
    KEY_STORE_NOT_FOUND = "key-store-not-found"
    KEY_STORE_NOT_CONNECTED = "key-store-not-connected"
    REPLICA_EXISTS = "replica-exists"
    MATERIAL_PENDING_ROTATION = "material-pending-rotation"
    NO_MATERIAL_PENDING_ROTATION = "no-material-pending-rotation"
    ROTATION_QUOTA = "rotation-quota"
    ALGORITHM_NOT_SUPPORTED = "algorithm-not-supported"
    KEY_DISABLED = "key-disabled"
    KEY_PENDING_DELETION = "key-pending-deletion"
    KEY_PENDING_IMPORT = "key-pending-import"
    KEY_MATERIAL_EXPIRED = "key-material-expired"
    KEY_UNAVAILABLE = "key-unavailable"
    KEY_NOT_PENDING_DELETION = "key-not-pending-deletion"
    POLICY_TOO_LARGE = "policy-too-large"
    MALFORMED_POLICY = "malformed-policy"
    LOCKOUT_SAFETY_CHECK = "lockout-safety-check"
    DRY_RUN_WOULD_SUCCEED = "dry-run-would-succeed"
    OVERLY_PERMISSIVE_CONDITION = "overly-permissive-condition"
    UNSUPPORTED_OPERATION = "unsupported-operation"


class Via(StrEnum):
    """How an allow came about (before the guardrails): the routes of the combining rule."""

    KEY_POLICY = "key_policy"  # a key-policy statement naming the caller
    ACCOUNT_TRUST = "account_trust"  # the key policy trusts the account, an IAM policy there allows
    GRANT = "grant"
    IAM = "iam"  # an IAM-only action: IAM policies alone decide
    RETIRE = "retire"  # RetireGrant's own rules


class Layer(StrEnum):
    """A kind of policy (or the grants) that takes part in a decision."""

    KEY_POLICY = "key_policy"
    IDENTITY = "identity"
    PERMISSIONS_BOUNDARY = "permissions_boundary"
    SESSION_POLICY = "session_policy"
    SCP = "scp"
    RCP = "rcp"
    VPC_ENDPOINT = "vpc_endpoint"
    GRANT = "grant"

    @property
    def noun(self) -> str:
        """What a learner calls it: "key policy", "IAM policy", ..."""
        return _NOUNS[self]

    @property
    def deny_code(self) -> ReasonCode | None:
        """The reason code of an explicit Deny in this layer (grants cannot deny)."""
        return _DENY_CODES.get(self)

    @property
    def condition_not_met_code(self) -> ReasonCode | None:
        """The reason code of a statement of this layer that would allow but for its condition."""
        return _CONDITION_NOT_MET_CODES.get(self)

    @property
    def is_resource_policy(self) -> bool:
        """Attached to the key (or its path) rather than the caller: its statements name principals."""
        return self in (Layer.KEY_POLICY, Layer.RCP, Layer.VPC_ENDPOINT)


_NOUNS = {
    Layer.KEY_POLICY: "key policy", Layer.IDENTITY: "IAM policy", Layer.PERMISSIONS_BOUNDARY: "permissions boundary",
    Layer.SESSION_POLICY: "session policy", Layer.SCP: "service control policy",
    Layer.RCP: "resource control policy", Layer.VPC_ENDPOINT: "VPC endpoint policy", Layer.GRANT: "grant",
}
_DENY_CODES = {
    Layer.KEY_POLICY: ReasonCode.KEY_POLICY_DENIES, Layer.IDENTITY: ReasonCode.IDENTITY_DENIES,
    Layer.PERMISSIONS_BOUNDARY: ReasonCode.BOUNDARY_DENIES, Layer.SESSION_POLICY: ReasonCode.SESSION_POLICY_DENIES,
    Layer.SCP: ReasonCode.SCP_DENIES, Layer.RCP: ReasonCode.RCP_DENIES, Layer.VPC_ENDPOINT: ReasonCode.VPCE_DENIES,
}
_CONDITION_NOT_MET_CODES = {
    Layer.KEY_POLICY: ReasonCode.KEY_POLICY_CONDITION_NOT_MET, Layer.IDENTITY: ReasonCode.IDENTITY_CONDITION_NOT_MET,
    Layer.PERMISSIONS_BOUNDARY: ReasonCode.BOUNDARY_CONDITION_NOT_MET,
    Layer.SESSION_POLICY: ReasonCode.SESSION_POLICY_CONDITION_NOT_MET, Layer.SCP: ReasonCode.SCP_CONDITION_NOT_MET,
    Layer.RCP: ReasonCode.RCP_CONDITION_NOT_MET, Layer.VPC_ENDPOINT: ReasonCode.VPCE_CONDITION_NOT_MET,
}


class EditKind(StrEnum):
    """What a learner may edit (`editable[].kind`), each with the fields that name it and the field
    that holds its value."""

    KEY_POLICY = "key_policy"
    GRANTS = "grants"
    IDENTITY_POLICY = "identity_policy"
    SCP = "scp"
    RCP = "rcp"
    KEY_STATE = "key_state"

    @property
    def names(self) -> tuple[str, ...]:
        return _EDIT_NAMES[self]

    @property
    def value_field(self) -> str:
        """`policy` for a key policy, `grants`, `state`, else `document`."""
        return _EDIT_VALUE[self]

    @property
    def is_policy(self) -> bool:
        return self in (EditKind.KEY_POLICY, EditKind.IDENTITY_POLICY, EditKind.SCP, EditKind.RCP)

    @property
    def lint_layer(self) -> Layer | None:
        """The layer whose grammar the linter applies to this editor's text."""
        return {EditKind.KEY_POLICY: Layer.KEY_POLICY, EditKind.IDENTITY_POLICY: Layer.IDENTITY,
                EditKind.SCP: Layer.SCP, EditKind.RCP: Layer.RCP}.get(self)


_EDIT_NAMES = {
    EditKind.KEY_POLICY: ("key",), EditKind.GRANTS: ("key",), EditKind.IDENTITY_POLICY: ("principal", "name"),
    EditKind.SCP: ("name",), EditKind.RCP: ("name",), EditKind.KEY_STATE: ("key",),
}
_EDIT_VALUE = {
    EditKind.KEY_POLICY: "policy", EditKind.GRANTS: "grants", EditKind.IDENTITY_POLICY: "document",
    EditKind.SCP: "document", EditKind.RCP: "document", EditKind.KEY_STATE: "state",
}
