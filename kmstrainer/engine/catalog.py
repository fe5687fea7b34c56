"""What KMS is made of: its actions, grant operations, key specs, and condition keys.

Plain data, used by the state machine, the grant checks and the linter. Sources: the Service
Authorization Reference for KMS and the KMS API reference (see docs/engine.md).
"""

from __future__ import annotations

KMS_ACTIONS = (
    "CancelKeyDeletion", "ConnectCustomKeyStore", "CreateAlias", "CreateCustomKeyStore", "CreateGrant",
    "CreateKey", "Decrypt", "DeleteAlias", "DeleteCustomKeyStore", "DeleteImportedKeyMaterial",
    "DeriveSharedSecret", "DescribeCustomKeyStores", "DescribeKey", "DisableKey", "DisableKeyRotation",
    "DisconnectCustomKeyStore", "EnableKey", "EnableKeyRotation", "Encrypt", "GenerateDataKey",
    "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext", "GenerateDataKeyWithoutPlaintext",
    "GenerateMac", "GenerateRandom", "GetKeyPolicy", "GetKeyRotationStatus", "GetParametersForImport",
    "GetPublicKey", "ImportKeyMaterial", "ListAliases", "ListGrants", "ListKeyPolicies", "ListKeyRotations",
    "ListKeys", "ListResourceTags", "ListRetirableGrants", "PutKeyPolicy", "ReEncryptFrom", "ReEncryptTo",
    "ReplicateKey", "RetireGrant", "RevokeGrant", "RotateKeyOnDemand", "ScheduleKeyDeletion", "Sign",
    "SynchronizeMultiRegionKey", "TagResource", "UntagResource", "UpdateAlias", "UpdateCustomKeyStore",
    "UpdateKeyDescription", "UpdatePrimaryRegion", "Verify", "VerifyMac",
)
KMS_ACTIONS_LC = {a.lower(): a for a in KMS_ACTIONS}

#: Request-only name: ReEncrypt is authorized as ReEncryptFrom + ReEncryptTo.
REQUEST_ONLY_ACTIONS = ("ReEncrypt",)

#: Authorized by IAM policies alone: no key resource, the key policy plays no part.
IAM_ONLY_ACTIONS = frozenset({
    "CreateKey", "ListKeys", "ListAliases", "GenerateRandom", "ListRetirableGrants",
    "CreateCustomKeyStore", "DeleteCustomKeyStore", "DescribeCustomKeyStores",
    "ConnectCustomKeyStore", "DisconnectCustomKeyStore", "UpdateCustomKeyStore",
})

CRYPTO_ACTIONS = frozenset({
    "Encrypt", "Decrypt", "ReEncryptFrom", "ReEncryptTo", "GenerateDataKey",
    "GenerateDataKeyWithoutPlaintext", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext",
    "Sign", "Verify", "GenerateMac", "VerifyMac", "DeriveSharedSecret",
})

#: Operations usable by principals of another account (key-policy-modifying-external-accounts).
CROSS_ACCOUNT_ACTIONS = CRYPTO_ACTIONS | {
    "CreateGrant", "DescribeKey", "GetKeyRotationStatus", "GetPublicKey", "ListGrants",
    "RetireGrant", "RevokeGrant",
}

#: Operations that accept an alias name or alias ARN as the KeyId.
ALIAS_ACCEPTING_ACTIONS = CRYPTO_ACTIONS | {"DescribeKey", "GetPublicKey"}

#: Operations that take an encryption context.
EC_ACTIONS = frozenset({
    "Encrypt", "Decrypt", "ReEncryptFrom", "ReEncryptTo", "GenerateDataKey",
    "GenerateDataKeyWithoutPlaintext", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext",
})

GRANT_OPERATIONS = (
    "Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom",
    "ReEncryptTo", "Sign", "Verify", "GetPublicKey", "CreateGrant", "RetireGrant", "DescribeKey",
    "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext", "GenerateMac", "VerifyMac",
    "DeriveSharedSecret",
)

_COMMON_GRANT_OPS = ("DescribeKey", "CreateGrant", "RetireGrant")

#: Grant operations each key type supports (grants.html, symm-asymm-compare.html).
GRANT_OPS_BY_USAGE = {
    ("SYMMETRIC", "ENCRYPT_DECRYPT"): (
        "Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom",
        "ReEncryptTo", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext",
    ) + _COMMON_GRANT_OPS,
    ("ASYMMETRIC", "ENCRYPT_DECRYPT"): (
        "Decrypt", "Encrypt", "ReEncryptFrom", "ReEncryptTo", "GetPublicKey",
    ) + _COMMON_GRANT_OPS,
    ("ASYMMETRIC", "SIGN_VERIFY"): ("Sign", "Verify", "GetPublicKey") + _COMMON_GRANT_OPS,
    ("ASYMMETRIC", "KEY_AGREEMENT"): ("DeriveSharedSecret", "GetPublicKey") + _COMMON_GRANT_OPS,
    ("HMAC", "GENERATE_VERIFY_MAC"): ("GenerateMac", "VerifyMac") + _COMMON_GRANT_OPS,
}

#: Key usage an operation needs, and whether it needs a symmetric key.
USAGE_OF_ACTION = {
    "Encrypt": "ENCRYPT_DECRYPT", "Decrypt": "ENCRYPT_DECRYPT", "ReEncryptFrom": "ENCRYPT_DECRYPT",
    "ReEncryptTo": "ENCRYPT_DECRYPT", "GenerateDataKey": "ENCRYPT_DECRYPT",
    "GenerateDataKeyWithoutPlaintext": "ENCRYPT_DECRYPT", "GenerateDataKeyPair": "ENCRYPT_DECRYPT",
    "GenerateDataKeyPairWithoutPlaintext": "ENCRYPT_DECRYPT", "Sign": "SIGN_VERIFY",
    "Verify": "SIGN_VERIFY", "GenerateMac": "GENERATE_VERIFY_MAC", "VerifyMac": "GENERATE_VERIFY_MAC",
    "DeriveSharedSecret": "KEY_AGREEMENT",
}
SYMMETRIC_ONLY_ACTIONS = frozenset({
    "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "GenerateDataKeyPair",
    "GenerateDataKeyPairWithoutPlaintext",
})

KEY_SPECS = {
    "SYMMETRIC_DEFAULT": ("SYMMETRIC", ("ENCRYPT_DECRYPT",)),
    "RSA_2048": ("ASYMMETRIC", ("ENCRYPT_DECRYPT", "SIGN_VERIFY")),
    "RSA_3072": ("ASYMMETRIC", ("ENCRYPT_DECRYPT", "SIGN_VERIFY")),
    "RSA_4096": ("ASYMMETRIC", ("ENCRYPT_DECRYPT", "SIGN_VERIFY")),
    "ECC_NIST_P256": ("ASYMMETRIC", ("SIGN_VERIFY", "KEY_AGREEMENT")),
    "ECC_NIST_P384": ("ASYMMETRIC", ("SIGN_VERIFY", "KEY_AGREEMENT")),
    "ECC_NIST_P521": ("ASYMMETRIC", ("SIGN_VERIFY", "KEY_AGREEMENT")),
    "ECC_SECG_P256K1": ("ASYMMETRIC", ("SIGN_VERIFY",)),
    "SM2": ("ASYMMETRIC", ("ENCRYPT_DECRYPT", "SIGN_VERIFY", "KEY_AGREEMENT")),
    "HMAC_224": ("HMAC", ("GENERATE_VERIFY_MAC",)),
    "HMAC_256": ("HMAC", ("GENERATE_VERIFY_MAC",)),
    "HMAC_384": ("HMAC", ("GENERATE_VERIFY_MAC",)),
    "HMAC_512": ("HMAC", ("GENERATE_VERIFY_MAC",)),
}


def default_usage(spec: str) -> str:
    """The KeyUsage a key of this spec gets when a request or a world names none."""
    return KEY_SPECS.get(spec, KEY_SPECS["SYMMETRIC_DEFAULT"])[1][0]

#: Where a key's material comes from (CreateKey's Origin), and the origins of keys in a custom key store.
ORIGINS = ("AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE")
STORE_ORIGINS = ("AWS_CLOUDHSM", "EXTERNAL_KEY_STORE")
KEY_STATES = ("Enabled", "Disabled", "PendingDeletion", "PendingImport", "Unavailable", "PendingReplicaDeletion")

#: Condition keys as AWS spells them -> (type, multi-valued). Prefix keys are listed separately.
CONDITION_KEY_NAMES = {
    "aws:PrincipalArn": ("ARN", False), "aws:PrincipalAccount": ("String", False),
    "aws:PrincipalOrgID": ("String", False), "aws:PrincipalOrgPaths": ("String", True),
    "aws:PrincipalType": ("String", False), "aws:PrincipalIsAWSService": ("Bool", False),
    "aws:PrincipalServiceName": ("String", False), "aws:userid": ("String", False), "aws:username": ("String", False),
    "aws:SourceIp": ("IP", False), "aws:SourceVpce": ("String", False), "aws:SourceVpc": ("String", False),
    "aws:VpcSourceIp": ("IP", False), "aws:SourceArn": ("ARN", False), "aws:SourceAccount": ("String", False),
    "aws:SourceOrgID": ("String", False), "aws:CalledVia": ("String", True), "aws:CalledViaFirst": ("String", False),
    "aws:CalledViaLast": ("String", False), "aws:ViaAWSService": ("Bool", False),
    "aws:MultiFactorAuthPresent": ("Bool", False), "aws:MultiFactorAuthAge": ("Numeric", False),
    "aws:TokenIssueTime": ("Date", False), "aws:CurrentTime": ("Date", False), "aws:EpochTime": ("Numeric", False),
    "aws:SecureTransport": ("Bool", False), "aws:RequestedRegion": ("String", False),
    "aws:ResourceAccount": ("String", False), "aws:ResourceOrgID": ("String", False),
    "aws:ResourceOrgPaths": ("String", True), "aws:TagKeys": ("String", True), "aws:Referer": ("String", False),
    "aws:UserAgent": ("String", False), "kms:BypassPolicyLockoutSafetyCheck": ("Bool", False),
    "kms:CallerAccount": ("String", False), "kms:CustomerMasterKeySpec": ("String", False),
    "kms:CustomerMasterKeyUsage": ("String", False), "kms:DataKeyPairSpec": ("String", False),
    "kms:EncryptionAlgorithm": ("String", False), "kms:EncryptionContextKeys": ("String", True),
    "kms:ExpirationModel": ("String", False), "kms:GrantConstraintType": ("String", False),
    "kms:GrantIsForAWSResource": ("Bool", False), "kms:GrantOperations": ("String", True),
    "kms:GranteePrincipal": ("String", False), "kms:KeyOrigin": ("String", False), "kms:KeySpec": ("String", False),
    "kms:KeyUsage": ("String", False), "kms:MacAlgorithm": ("String", False), "kms:MessageType": ("String", False),
    "kms:MultiRegion": ("Bool", False), "kms:MultiRegionKeyType": ("String", False),
    "kms:PrimaryRegion": ("String", False), "kms:ReEncryptOnSameKey": ("Bool", False),
    "kms:ReplicaRegion": ("String", False), "kms:RequestAlias": ("String", False),
    "kms:ResourceAliases": ("String", True), "kms:RetiringPrincipal": ("String", False),
    "kms:RotationPeriodInDays": ("Numeric", False), "kms:ScheduleKeyDeletionPendingWindowInDays": ("Numeric", False),
    "kms:SigningAlgorithm": ("String", False), "kms:TrailingDaysWithoutKeyUsage": ("Numeric", False),
    "kms:ValidTo": ("Date", False), "kms:ViaService": ("String", False), "kms:WrappingAlgorithm": ("String", False),
    "kms:WrappingKeySpec": ("String", False), "kms:KeyAgreementAlgorithm": ("String", False),
    "kms:GranteeServicePrincipal": ("String", False), "kms:RetiringServicePrincipal": ("String", False),
    "kms:GrantConstraintSourceArn": ("ARN", False),
}
CONDITION_KEY_PREFIX_NAMES = {
    "aws:PrincipalTag/": ("String", False),
    "aws:ResourceTag/": ("String", False),
    "aws:RequestTag/": ("String", False),
    "kms:EncryptionContext:": ("String", False),
    "kms:RecipientAttestation:": ("String", False),
}
#: The same, by lower-cased name (condition keys are case-insensitive), for the evaluator.
CONDITION_KEYS = {name.lower(): info for name, info in CONDITION_KEY_NAMES.items()}
CONDITION_KEY_PREFIXES = {name.lower(): info for name, info in CONDITION_KEY_PREFIX_NAMES.items()}


def condition_key_info(key_lc: str) -> tuple[str, bool] | None:
    """(type, multi-valued) of a lower-cased condition key, or None when it is not a known key."""
    if key_lc in CONDITION_KEYS:
        return CONDITION_KEYS[key_lc]
    for prefix, info in CONDITION_KEY_PREFIXES.items():
        if key_lc.startswith(prefix) and len(key_lc) > len(prefix):
            return info
    return None


def is_multivalued(key_lc: str) -> bool:
    info = condition_key_info(key_lc)
    return bool(info and info[1])
