"""Reason codes: the stable vocabulary of every decision, and the one catalogue of learner text.

Engine results carry codes with statement or grant references; people read the sentences below.
Tests check that every code the engine can emit has a sentence here.
"""

from __future__ import annotations

from dataclasses import dataclass

from .vocabulary import Layer, ReasonCode

LAYER_NAMES = {layer.value: layer.noun for layer in Layer}


@dataclass(slots=True)
class Reason:
    """Why a decision came out as it did, pointing at the statement or grant that decided it."""

    code: ReasonCode
    layer: str | None = None
    statement: int | None = None  # 1-based
    sid: str | None = None
    policy: str | None = None  # policy name (identity policy, SCP, RCP) when a layer has several
    grant: str | None = None
    principal: str | None = None
    detail: str | None = None

    def __post_init__(self):
        # A code outside the vocabulary is a bug in the engine, caught by every test that decides.
        # The engine passes members already; the type check keeps that case off the (slow) Enum call.
        if type(self.code) is not ReasonCode:
            self.code = ReasonCode(self.code)

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__slots__ if getattr(self, k) is not None}

    def text(self) -> str:
        return explain(self)


#: code -> learner-facing sentence. Placeholders: {where} (statement/grant reference), {detail}.
CATALOGUE: dict[str, str] = {
    # allows
    "key-policy-allows": "The key policy allows this caller directly ({where}).",
    "key-policy-allows-account": "The key policy trusts the caller's account ({where}), so IAM policies in "
                                 "that account can allow the call.",
    "root-user-account-trust": "The account's root user is allowed by the statement that trusts its account "
                               "({where}); the root user needs no IAM policy.",
    "identity-allows": "An IAM policy of the caller allows the call ({where}).",
    "grant-allows": "A grant allows the operation ({where}).",
    "iam-only-action-allowed": "This action is authorized by IAM policies alone, and one allows it ({where}).",
    "root-user-iam-only": "The account's root user may call this IAM-only action in its own account.",
    "retiring-principal-retires": "The caller is the grant's retiring principal ({where}), which may always "
                                  "retire it.",
    "grantee-retires": "The caller is the grantee and the grant includes the RetireGrant operation ({where}).",
    "issuing-account-retires": "The grant was created in the caller's account, and an IAM policy there "
                               "allows kms:RetireGrant ({where}).",
    # explicit denies
    "key-policy-denies": "A Deny statement in the key policy matches ({where}); an explicit deny beats "
                         "every allow, grants included.",
    "identity-denies": "A Deny statement in the caller's IAM policy matches ({where}).",
    "boundary-denies": "A Deny statement in the caller's permissions boundary matches ({where}).",
    "session-policy-denies": "A Deny statement in the session policy matches ({where}).",
    "scp-denies": "A service control policy denies it ({where}); SCPs restrict every principal of a member "
                  "account, root user included.",
    "rcp-denies": "A resource control policy on the key's account denies it ({where}).",
    "vpce-denies": "The VPC endpoint policy denies it ({where}).",
    # implicit denies
    "no-key-policy-allow": "No key-policy statement allows this caller, and the key policy does not trust the "
                           "caller's account for this action.",
    "key-policy-no-account-trust": "An IAM policy allows the call ({where}), but the key policy has no statement "
                                   "that trusts the caller's account for it, so IAM policies count for nothing "
                                   "on this key.",
    "no-identity-allow": "No IAM policy of the caller allows this action on the key ARN.",
    "cross-account-needs-identity-allow": "The key is in another account: besides the key policy, an IAM "
                                          "policy in the caller's own account must allow the action on the "
                                          "key ARN, and none does.",
    "boundary-no-allow": "The caller's permissions boundary does not allow the action, so it limits what the "
                         "role may do.",
    "session-policy-no-allow": "The session policy does not allow the action, so this session cannot use it.",
    "scp-no-allow": "No service control policy at `{detail}` allows the action, so nobody in the account "
                    "may call it.",
    "rcp-no-allow": "No resource control policy at `{detail}` allows the action on this key.",
    "key-policy-condition-not-met": "A key-policy statement names the caller and the action ({where}), but its "
                                    "condition `{detail}` is not met by this request.",
    "identity-condition-not-met": "An IAM policy statement allows the action ({where}), but its condition "
                                  "`{detail}` is not met by this request.",
    "boundary-condition-not-met": "The permissions boundary allows the action ({where}) only under the condition "
                                  "`{detail}`, which this request does not meet.",
    "session-policy-condition-not-met": "The session policy allows the action ({where}) only under the condition "
                                        "`{detail}`, which this request does not meet.",
    "scp-condition-not-met": "An SCP allows the action ({where}) only under the condition `{detail}`, which this "
                             "request does not meet.",
    "rcp-condition-not-met": "An RCP allows the action ({where}) only under the condition `{detail}`, which this "
                             "request does not meet.",
    "vpce-condition-not-met": "The VPC endpoint policy allows the action ({where}) only under the condition "
                              "`{detail}`, which this request does not meet.",
    "vpce-no-allow": "The request came through a VPC endpoint whose policy does not allow it.",
    "cross-account-operation-not-supported": "kms:{detail} cannot be called on a key in another account, "
                                             "whatever the policies say; only cryptographic operations, grant "
                                             "operations, DescribeKey, GetPublicKey and GetKeyRotationStatus "
                                             "work across accounts.",
    "grant-not-yet-effective": "A grant would allow it ({where}), but it has not propagated yet; pass its grant "
                               "token to use it at once.",
    "grant-removed": "The grant ({where}) was retired or revoked and the removal has propagated.",
    "grant-constraint-mismatch": "A grant names the caller and the operation ({where}), but the request's "
                                 "encryption context does not satisfy its constraint.",
    "grant-operation-missing": "A grant names the caller ({where}) but does not include this operation.",
    "grant-account-needs-identity-allow": "A grant names the caller's account ({where}); it works only for "
                                          "identities whose IAM policies allow the operation on the key ARN.",
    "grant-delegation-operations": "The caller's CreateGrant comes from a grant ({where}); a child grant may "
                                   "only pass on operations of the parent grant.",
    "grant-delegation-constraints": "The caller's CreateGrant comes from a grant ({where}); the child grant's "
                                    "constraints must be at least as strict as the parent's.",
    "retire-not-permitted": "Only the retiring principal, a grantee whose grant includes RetireGrant, or the "
                            "issuing account (through IAM) may retire a grant; kms:RetireGrant in a key policy "
                            "has no effect.",
    "no-iam-only-allow": "This action is authorized by IAM policies alone (no key policy is involved), and no "
                         "IAM policy allows it.",
    # request errors
    "key-not-found": "KMS found no key by that identifier in the caller's account and Region ({detail}). A key "
                     "in another account must be named by its key ARN or alias ARN.",
    "alias-not-found": "KMS found no alias {detail} in the caller's account and Region.",
    "alias-not-supported": "kms:{detail} does not accept an alias; use the key id or key ARN.",
    "invalid-grant-token": "A grant token in the request was never issued by KMS.",
    "invalid-grant-id": "No grant with that id exists on the key ({detail}).",
    "validation-error": "The request's parameters are not valid: {detail}.",
    "invalid-key-usage": "The key's type or usage does not support this operation: {detail}.",
    "key-store-disconnected": "The custom key store {detail} is already disconnected.",
    "key-store-not-connected": "The custom key store {detail} is not connected: no key can be created in it "
                               "until it is connected again.",
    "key-store-not-found": "No custom key store has the id {detail}.",
    "replica-exists": "The key already has a replica in {detail}: one replica per Region.",
    "material-pending-rotation": "New key material is already imported and waiting for an on-demand rotation; "
                                 "KMS accepts one at a time.",
    "no-material-pending-rotation": "A key with imported material rotates on demand only after new material has "
                                    "been imported for it.",
    "rotation-quota": "A key can be rotated on demand at most 25 times.",
    "algorithm-not-supported": "The request was authorized, but the key's spec does not support the algorithm it "
                               "names (or the default it gets when it names none): {detail}",
    "key-disabled": "The key is disabled: cryptographic operations and CreateGrant fail until it is enabled.",
    "key-pending-deletion": "The key is pending deletion: it cannot be used, but CancelKeyDeletion restores it "
                            "(as Disabled) with its grants.",
    "key-pending-import": "The key has no key material yet (pending import).",
    "key-material-expired": "The key's imported key material expired (its ValidTo passed) and KMS deleted it: the "
                            "key is pending import and every cryptographic operation fails until you import the "
                            "same key material again.",
    "replica-own-key-policy": "This key is a multi-Region replica, and a replica has its own key policy (the "
                              "default one, unless ReplicateKey was given a Policy): the primary key's policy "
                              "({detail}) does not apply to it. Allow the caller in the replica's key policy.",
    "key-unavailable": "The key is unavailable (its custom key store is disconnected).",
    "key-not-pending-deletion": "CancelKeyDeletion only works on a key that is pending deletion.",
    "policy-too-large": "The key policy is {detail} bytes; the hard, non-adjustable limit is 32,768 bytes.",
    "malformed-policy": "The new key policy is not valid: {detail}",
    "lockout-safety-check": "The new key policy would not let the caller change the key policy again, so KMS "
                            "refuses it (the lockout safety check) unless BypassPolicyLockoutSafetyCheck is set.",
    "dry-run-would-succeed": "The request would have succeeded; DryRun was set, so nothing changed.",
    "overly-permissive-condition": "ForAllValues cannot be used with kms:EncryptionContext:<key> (a single-valued "
                                   "key); KMS rejects such a policy.",
    "unsupported-operation": "This operation is not supported for this key: {detail}.",
}

ALL_CODES = frozenset(CATALOGUE)


def where_text(reason: Reason) -> str:
    if reason.grant is not None:
        return f"grant `{reason.grant}`"
    if reason.statement is not None:
        layer = LAYER_NAMES.get(reason.layer or "", reason.layer or "policy")
        named = f" “{reason.policy}”" if reason.policy and reason.layer != "key_policy" else ""
        sid = f" \u201c{reason.sid}\u201d" if reason.sid else ""
        return f"{layer}{named}, statement {reason.statement}{sid}"
    if reason.layer:
        return LAYER_NAMES.get(reason.layer, reason.layer)
    return "the request"


def explain(reason: Reason) -> str:
    """The learner-facing sentence for a reason."""
    template = CATALOGUE.get(reason.code)
    if template is None:  # a code from an older engine, kept in a stored attempt
        return str(reason.code)
    return template.format(where=where_text(reason), detail=reason.detail or "")
