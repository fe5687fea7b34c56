"""What a policy editor can offer to complete: the KMS actions, the condition keys and operators the
simulator knows, and a policy's elements, each with a short note. Served to the browser as JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .catalog import CONDITION_KEY_NAMES, CONDITION_KEY_PREFIX_NAMES, KMS_ACTIONS
from .conditions import BASE_OPERATORS, SET_OPERATORS, STRING_OPERATORS

#: The wildcard groups key policies use (AWS's default key policy for administrators among them).
ACTION_GROUPS = ("kms:*", "kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*",
                 "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:GenerateDataKey*", "kms:ReEncrypt*")
ELEMENTS = ("Version", "Id", "Statement", "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
            "Resource", "NotResource", "Condition")
VALUES = ("2012-10-17", "Allow", "Deny", "AWS", "Service")


@dataclass(frozen=True, slots=True)
class Completion:
    label: str
    type: str  # CodeMirror's icon: keyword (action), property (condition key), function (operator), …
    detail: str

    def as_dict(self) -> dict:
        return asdict(self)


def policy_completions() -> tuple[Completion, ...]:
    out = [Completion(f"kms:{action}", "keyword", "KMS action") for action in KMS_ACTIONS]
    out += [Completion(group, "keyword", "KMS actions (wildcard)") for group in ACTION_GROUPS]
    out += [Completion(name, "property", _key_detail(kind, multi)) for name, (kind, multi) in CONDITION_KEY_NAMES.items()]
    out += [Completion(name, "property", f"{kind} condition key: add the name after the prefix")
            for name, (kind, _) in CONDITION_KEY_PREFIX_NAMES.items()]
    operators = sorted(BASE_OPERATORS)
    out += [Completion(op, "function", "condition operator") for op in operators]
    out += [Completion(f"{op}IfExists", "function", "condition operator, true when the key is absent")
            for op in operators if op != "Null"]
    out += [Completion(f"{set_op}:{op}", "function", "condition operator for multi-valued keys")
            for set_op in SET_OPERATORS for op in STRING_OPERATORS]
    out += [Completion(name, "type", "policy element") for name in ELEMENTS]
    out += [Completion(value, "constant", "value") for value in VALUES]
    return tuple(out)


def _key_detail(kind: str, multi: bool) -> str:
    return f"{kind} condition key" + (", multi-valued" if multi else "")
