"""Which cryptographic algorithm a request uses, and whether the API and the key accept it
(kms-semantics §16, defaults D24, D27 and D28).

The algorithm a request names (or the default it gets) feeds the condition keys
`kms:EncryptionAlgorithm`, `kms:SigningAlgorithm`, `kms:MessageType`, `kms:MacAlgorithm` and
`kms:DataKeyPairSpec`. A value outside the API's enumeration fails with ValidationException before
authorization; an algorithm the key's spec does not support fails with InvalidKeyUsageException
after authorization and the key state.
"""

from __future__ import annotations

from functools import lru_cache

ENCRYPTION_ALGORITHMS = ("SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "SM2PKE")
SIGNING_ALGORITHMS = (
    "RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512", "RSASSA_PKCS1_V1_5_SHA_256",
    "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512", "ECDSA_SHA_256", "ECDSA_SHA_384", "ECDSA_SHA_512",
    "SM2DSA", "ML_DSA_SHAKE_256",
)
MAC_ALGORITHMS = ("HMAC_SHA_224", "HMAC_SHA_256", "HMAC_SHA_384", "HMAC_SHA_512")
MESSAGE_TYPES = ("RAW", "DIGEST", "EXTERNAL_MU")
KEY_PAIR_SPECS = ("RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521",
                  "ECC_SECG_P256K1", "SM2")

#: The one signing or MAC algorithm a key spec implies, for requests that omit it (D27).
_OWN_ALGORITHM = {
    "RSA_2048": "RSASSA_PSS_SHA_256", "RSA_3072": "RSASSA_PSS_SHA_256", "RSA_4096": "RSASSA_PSS_SHA_256",
    "ECC_NIST_P256": "ECDSA_SHA_256", "ECC_SECG_P256K1": "ECDSA_SHA_256", "ECC_NIST_P384": "ECDSA_SHA_384",
    "ECC_NIST_P521": "ECDSA_SHA_512", "SM2": "SM2DSA", "HMAC_224": "HMAC_SHA_224", "HMAC_256": "HMAC_SHA_256",
    "HMAC_384": "HMAC_SHA_384", "HMAC_512": "HMAC_SHA_512",
}


def _encryption_supported(spec: str) -> tuple[str, ...]:
    if spec == "SYMMETRIC_DEFAULT":
        return ("SYMMETRIC_DEFAULT",)
    if spec.startswith("RSA_"):
        return ("RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256")
    if spec == "SM2":
        return ("SM2PKE",)
    return ()


def _signing_supported(spec: str) -> tuple[str, ...]:
    if spec.startswith("RSA_"):
        return tuple(a for a in SIGNING_ALGORITHMS if a.startswith("RSASSA_"))
    own = _OWN_ALGORITHM.get(spec)
    return (own,) if own and not spec.startswith("HMAC_") else ()


#: action -> (request parameter, condition key, allowed values, default); the default "" means the
#: key spec's own algorithm (D27).
_PARAMETERS = {
    "Encrypt": [("EncryptionAlgorithm", "kms:encryptionalgorithm", ENCRYPTION_ALGORITHMS, "SYMMETRIC_DEFAULT")],
    "Decrypt": [("EncryptionAlgorithm", "kms:encryptionalgorithm", ENCRYPTION_ALGORITHMS, "SYMMETRIC_DEFAULT")],
    "ReEncryptFrom": [("SourceEncryptionAlgorithm", "kms:encryptionalgorithm", ENCRYPTION_ALGORITHMS,
                       "SYMMETRIC_DEFAULT")],
    "ReEncryptTo": [("DestinationEncryptionAlgorithm", "kms:encryptionalgorithm", ENCRYPTION_ALGORITHMS,
                     "SYMMETRIC_DEFAULT")],
    "Sign": [("SigningAlgorithm", "kms:signingalgorithm", SIGNING_ALGORITHMS, ""),
             ("MessageType", "kms:messagetype", MESSAGE_TYPES, "RAW")],
    "Verify": [("SigningAlgorithm", "kms:signingalgorithm", SIGNING_ALGORITHMS, ""),
               ("MessageType", "kms:messagetype", MESSAGE_TYPES, "RAW")],
    "GenerateMac": [("MacAlgorithm", "kms:macalgorithm", MAC_ALGORITHMS, "")],
    "VerifyMac": [("MacAlgorithm", "kms:macalgorithm", MAC_ALGORITHMS, "")],
    "GenerateDataKeyPair": [("KeyPairSpec", "kms:datakeypairspec", KEY_PAIR_SPECS, None)],
    "GenerateDataKeyPairWithoutPlaintext": [("KeyPairSpec", "kms:datakeypairspec", KEY_PAIR_SPECS, None)],
}


def algorithm_context(action: str, params: dict, spec: str) -> dict[str, str]:
    """The algorithm condition keys of a request, with the defaults KMS applies."""
    if not params:
        return _default_context(action, spec)
    return _context(action, params, spec)


@lru_cache(maxsize=512)
def _default_context(action: str, spec: str) -> dict[str, str]:
    """The keys of a request that names no algorithm (most requests): the same for an action and spec.
    Callers copy it (`dict.update`), never change it."""
    return _context(action, {}, spec)


def _context(action: str, params: dict, spec: str) -> dict[str, str]:
    out = {}
    for name, key, _, default in _PARAMETERS.get(action, ()):
        value = params.get(name)
        if value is None:
            value = _OWN_ALGORITHM.get(spec, "") if default == "" else default
        if value:
            out[key] = str(value)
    if action.startswith("GenerateDataKey") and not action.startswith("GenerateDataKeyPair"):
        out["kms:encryptionalgorithm"] = "SYMMETRIC_DEFAULT"
    return out


def validation_problem(action: str, params: dict) -> str | None:
    """A parameter value outside the API's enumeration (checked before authorization)."""
    for name, _, allowed, _default in _PARAMETERS.get(action, ()):
        value = params.get(name)
        if value is not None and value not in allowed:
            return (f"Value '{value}' at '{name[0].lower() + name[1:]}' failed to satisfy constraint: Member must "
                    f"satisfy enum value set: [{', '.join(allowed)}]")
    return None


def key_spec_problem(action: str, params: dict, spec: str) -> str | None:
    """An algorithm the key's spec does not support (checked after authorization and the key state)."""
    if spec == "SYMMETRIC_DEFAULT" and not params:
        return None  # the default algorithm of every operation a symmetric key supports
    if action in ("Encrypt", "Decrypt", "ReEncryptFrom", "ReEncryptTo"):
        value = algorithm_context(action, params, spec).get("kms:encryptionalgorithm")
        supported = _encryption_supported(spec)
    elif action in ("Sign", "Verify"):
        value = algorithm_context(action, params, spec).get("kms:signingalgorithm")
        supported = _signing_supported(spec)
    elif action in ("GenerateMac", "VerifyMac"):
        value = algorithm_context(action, params, spec).get("kms:macalgorithm")
        supported = (_OWN_ALGORITHM[spec],) if spec in _OWN_ALGORITHM and spec.startswith("HMAC_") else ()
    else:
        return None
    if value and supported and value not in supported:
        return f"Algorithm {value} is incompatible with key spec {spec}."
    return None
