"""What a key allows before any policy is read: the operations its state, key spec, usage, origin and
key store permit (key-state.html, kms-semantics.md §7, §13, §15), what a CreateKey's parameters must
fit, the default key policy, and the key's metadata as DescribeKey returns it."""

from __future__ import annotations

from .catalog import CRYPTO_ACTIONS, ORIGINS, STORE_ORIGINS, SYMMETRIC_ONLY_ACTIONS, USAGE_OF_ACTION
from .policy import Policy, parse_policy
from .vocabulary import ReasonCode
from .world import Key

#: Operations that work in every key state (key-state.html).
ANY_STATE_ACTIONS = frozenset({
    "DescribeKey", "GetKeyPolicy", "PutKeyPolicy", "ListGrants", "ListKeyPolicies", "ListResourceTags",
    "RetireGrant", "RevokeGrant", "DeleteAlias", "ListAliases", "GetKeyRotationStatus",
})
DISABLED_FAILS = CRYPTO_ACTIONS | {"CreateGrant", "GetPublicKey", "EnableKeyRotation", "DisableKeyRotation",
                                   "RotateKeyOnDemand"}
STATE_WORDS = {"PendingDeletion": "pending deletion", "PendingImport": "pending import",
               "Unavailable": "unavailable", "Disabled": "disabled"}




def create_key_problem(params: dict, spec: str) -> str | None:
    """A CreateKey whose origin, store and multi-Region parameters do not fit together (§15, D29)."""
    origin = params.get("Origin", "AWS_KMS")
    if origin not in ORIGINS:
        return (f"Value '{origin}' at 'origin' failed to satisfy constraint: Member must satisfy enum value set: "
                f"[{', '.join(ORIGINS)}]")
    if params.get("MultiRegion") not in (None, True, False):
        return "MultiRegion is true or false"
    in_store = params.get("CustomKeyStoreId") is not None
    if origin in STORE_ORIGINS and not in_store:
        return f"a key with Origin {origin} needs the CustomKeyStoreId of its key store"
    if in_store and origin not in STORE_ORIGINS:
        return f"a key in a custom key store has Origin {' or '.join(STORE_ORIGINS)}"
    if in_store and spec != "SYMMETRIC_DEFAULT":
        return "a custom key store holds only symmetric encryption keys (KeySpec SYMMETRIC_DEFAULT)"
    if in_store and params.get("MultiRegion") is True:
        return "a key in a custom key store cannot be multi-Region"
    return None


def tags_problem(params: dict) -> str | None:
    """`Tags`, when given, is a list of {TagKey, TagValue} with string values and no key twice."""
    tags = params.get("Tags")
    if tags is None:
        return None
    if not isinstance(tags, list) or not all(
            isinstance(t, dict) and set(t) == {"TagKey", "TagValue"} and isinstance(t["TagKey"], str)
            and isinstance(t["TagValue"], str) for t in tags):
        return "Tags is a list of {TagKey, TagValue} with string values"
    if len({t["TagKey"] for t in tags}) != len(tags):
        return "Tags names a TagKey twice"
    return None


def tags_of(params: dict) -> dict[str, str]:
    return {t["TagKey"]: t["TagValue"] for t in params.get("Tags") or []}


def state_problem(key: Key, action: str) -> tuple[str, str, str] | None:
    """(exception, reason code, message) when the key's state forbids the action (§7.2, D6)."""
    state = "PendingDeletion" if key.state == "PendingReplicaDeletion" else key.state  # D31
    if action == "CancelKeyDeletion":
        if state != "PendingDeletion":
            return "KMSInvalidStateException", ReasonCode.KEY_NOT_PENDING_DELETION, f"{key.arn} is not pending deletion."
        return None
    if state == "Enabled" or action in ANY_STATE_ACTIONS:
        return None
    if state == "Disabled":
        if action in DISABLED_FAILS:
            return "DisabledException", ReasonCode.KEY_DISABLED, f"{key.arn} is disabled."
        return None
    if state == "PendingDeletion":
        return "KMSInvalidStateException", ReasonCode.KEY_PENDING_DELETION, f"{key.arn} is pending deletion."
    if state == "PendingImport":
        if action in DISABLED_FAILS | {"EnableKey", "DisableKey"}:
            code = ReasonCode.KEY_MATERIAL_EXPIRED if key.material_expired else ReasonCode.KEY_PENDING_IMPORT
            return "KMSInvalidStateException", code, f"{key.arn} is pending import."
        return None
    if state == "Unavailable" and action in CRYPTO_ACTIONS | {"GetPublicKey"}:
        return "KMSInvalidStateException", ReasonCode.KEY_UNAVAILABLE, f"{key.arn} is unavailable."
    return None


def default_key_policy(account: str) -> Policy:
    """The default key policy: the account's root may do everything (IAM policies then apply)."""
    return parse_policy({"Version": "2012-10-17", "Id": "key-default-1", "Statement": [{
        "Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
        "Action": "kms:*", "Resource": "*"}]}, kind="key_policy")


def rotation_problem(key: Key, action: str) -> str | None:
    """Why a rotation operation is unsupported on `key` (kms-semantics §13.2), or None."""
    if action not in ("EnableKeyRotation", "DisableKeyRotation", "RotateKeyOnDemand", "GetKeyRotationStatus",
                      "ListKeyRotations"):
        return None
    if key.spec != "SYMMETRIC_DEFAULT":
        return f"{key.arn} is a {key.spec} key: only symmetric encryption keys rotate."
    if key.origin in STORE_ORIGINS:
        return f"{key.arn} is in a custom key store: its keys do not rotate."
    if key.mr_type == "REPLICA" and action in ("EnableKeyRotation", "DisableKeyRotation", "RotateKeyOnDemand"):
        return f"{key.arn} is a multi-Region replica: set rotation on the primary key."
    if key.origin == "EXTERNAL":
        if action in ("EnableKeyRotation", "DisableKeyRotation"):
            return f"{key.arn} origin is EXTERNAL which is not valid for this operation."
        if not key.material and action != "RotateKeyOnDemand":
            return f"{key.arn} has no key material yet."
    return None


def usage_problem(key: Key, action: str) -> tuple[str, str] | None:
    needed = USAGE_OF_ACTION.get(action)
    if needed and key.usage != needed:
        return ("InvalidKeyUsageException",
                f"{key.arn} key usage is {key.usage} which is not valid for {action}.")
    if action in SYMMETRIC_ONLY_ACTIONS and key.key_class != "SYMMETRIC":
        return ("InvalidKeyUsageException", f"{key.arn} is a {key.spec} key; {action} needs a symmetric key.")
    if action.startswith("GenerateDataKeyPair") and key.store_id:
        return ("UnsupportedOperationException", f"{key.arn} is in a custom key store, which does not generate "
                                                 "data key pairs.")
    if action == "GetPublicKey" and key.key_class != "ASYMMETRIC":
        return ("UnsupportedOperationException", f"{key.arn} is not an asymmetric key: it has no public key.")
    return None


def key_metadata(key: Key) -> dict:
    return {
        "KeyId": key.key_id, "Arn": key.arn, "AWSAccountId": key.account, "KeyState": key.state,
        "KeySpec": key.spec, "KeyUsage": key.usage, "KeyManager": key.manager, "Origin": key.origin,
        "Enabled": key.state == "Enabled", "DeletionDate": key.deletion_at, "Description": key.description,
    }
