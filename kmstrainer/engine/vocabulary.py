"""The engine's vocabulary, as enums the app can import: decisions, policy layers, edit kinds.

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
    def deny_code(self) -> str | None:
        """The reason code of an explicit Deny in this layer (grants cannot deny)."""
        return _DENY_CODES.get(self)

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
    Layer.KEY_POLICY: "key-policy-denies", Layer.IDENTITY: "identity-denies",
    Layer.PERMISSIONS_BOUNDARY: "boundary-denies", Layer.SESSION_POLICY: "session-policy-denies",
    Layer.SCP: "scp-denies", Layer.RCP: "rcp-denies", Layer.VPC_ENDPOINT: "vpce-denies",
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
