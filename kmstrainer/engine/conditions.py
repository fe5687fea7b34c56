"""Condition operators: every IAM operator family, `...IfExists`, and `ForAllValues:` / `ForAnyValue:`.

One `Condition` is one (operator, key, values) triple of a statement's Condition block; it is
compiled once and evaluated against a request context: a dict from lower-cased condition key to
a string (single-valued) or a tuple of strings (multi-valued). Rules (kms-semantics.md §6):

* several values for one key are OR-ed; for a negated operator they are NOR-ed (match none);
* an absent key makes positive operators false, negated ones true; `IfExists` makes it true;
* `ForAllValues` is true when every request value matches (and when the key is absent or empty);
  `ForAnyValue` needs at least one matching value and ignores `IfExists` (default D10);
* a single-valued operator on a multi-valued key never matches, negated or not (default D9).
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation

from .patterns import Template
from .wildcard import Glob

STRING_OPS = {
    "StringEquals": (False, False, False), "StringNotEquals": (True, False, False),
    "StringEqualsIgnoreCase": (False, True, False), "StringNotEqualsIgnoreCase": (True, True, False),
    "StringLike": (False, False, True), "StringNotLike": (True, False, True),
}  # name -> (negated, ignore_case, wildcards)
NUMERIC_OPS = {
    "NumericEquals": (False, "eq"), "NumericNotEquals": (True, "eq"), "NumericLessThan": (False, "lt"),
    "NumericLessThanEquals": (False, "le"), "NumericGreaterThan": (False, "gt"),
    "NumericGreaterThanEquals": (False, "ge"),
}
DATE_OPS = {name.replace("Numeric", "Date"): v for name, v in NUMERIC_OPS.items()}
ARN_OPS = {"ArnEquals": False, "ArnLike": False, "ArnNotEquals": True, "ArnNotLike": True}
IP_OPS = {"IpAddress": False, "NotIpAddress": True}
OTHER_OPS = {"Bool", "BinaryEquals", "Null"}

BASE_OPERATORS = frozenset(
    set(STRING_OPS) | set(NUMERIC_OPS) | set(DATE_OPS) | set(ARN_OPS) | set(IP_OPS) | OTHER_OPS
)
SET_OPERATORS = ("ForAllValues", "ForAnyValue")

_COMPARE = {
    "eq": lambda a, b: a == b, "lt": lambda a, b: a < b, "le": lambda a, b: a <= b,
    "gt": lambda a, b: a > b, "ge": lambda a, b: a >= b,
}


class UnknownOperator(ValueError):
    """An operator name that is not part of the IAM policy language."""


def split_operator(name: str) -> tuple[str | None, str, bool]:
    """`ForAnyValue:StringLikeIfExists` -> ("ForAnyValue", "StringLike", True)."""
    set_op = None
    base = name
    if ":" in name:
        set_op, base = name.split(":", 1)
        if set_op not in SET_OPERATORS:
            raise UnknownOperator(f"unknown set operator `{set_op}`")
    if_exists = base.endswith("IfExists") and base != "IfExists"
    if if_exists:
        base = base[: -len("IfExists")]
    if base not in BASE_OPERATORS:
        raise UnknownOperator(f"unknown condition operator `{name}`")
    if base == "Null" and (if_exists or set_op):
        raise UnknownOperator(f"`{name}` is not allowed: Null takes no IfExists or set operator")
    return set_op, base, if_exists


def family_of(base: str) -> str:
    if base in STRING_OPS:
        return "String"
    if base in NUMERIC_OPS:
        return "Numeric"
    if base in DATE_OPS:
        return "Date"
    if base in ARN_OPS:
        return "Arn"
    if base in IP_OPS:
        return "Ip"
    return base  # Bool, BinaryEquals, Null


def is_negated(base: str) -> bool:
    if base in STRING_OPS:
        return STRING_OPS[base][0]
    if base in NUMERIC_OPS:
        return NUMERIC_OPS[base][0]
    if base in DATE_OPS:
        return DATE_OPS[base][0]
    if base in ARN_OPS:
        return ARN_OPS[base]
    if base in IP_OPS:
        return IP_OPS[base]
    return False


def parse_number(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        return None
    return value if value.is_finite() else None


def parse_date(text: str) -> float | None:
    """ISO 8601 (W3C) or epoch seconds -> epoch seconds."""
    text = text.strip()
    number = parse_number(text)
    if number is not None:
        return float(number)
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.timestamp()


class ArnPattern:
    """An ARN compared per colon-separated segment: `*` and `?` never span a colon.

    >>> ArnPattern("arn:aws:iam::*:role/Admin", variables=False).matches("arn:aws:iam::111:role/Admin", {})
    True
    """

    __slots__ = ("template", "static", "_seen")

    def __init__(self, text: str, *, variables: bool = True) -> None:
        self.template = Template.compile(text, variables=variables, wildcards=True)
        self.static = None
        self._seen: dict[str, bool] = {}
        if not self.template.has_variables:
            self.static = _segments(self.template.resolve_marked({}) or "", text)

    def matches(self, value: str, context: dict) -> bool:
        if self.static is not None:
            hit = self._seen.get(value)
            if hit is None:
                hit = self._match(value, context)
                if len(self._seen) > 4096:
                    self._seen.clear()
                self._seen[value] = hit
            return hit
        return self._match(value, context)

    def _match(self, value: str, context: dict) -> bool:
        segments = self.static
        if segments is None:
            marked = self.template.resolve_marked(context)
            if marked is None:
                return False
            segments = _segments(marked, self.template.source)
        if isinstance(segments, Glob):
            return segments.matches(value)
        parts = value.split(":", 5)
        if len(parts) != 6:
            return False
        return all(g.matches(v) for g, v in zip(segments, parts, strict=True))


def _segments(marked: str, source: str) -> tuple[Glob, ...] | Glob:
    parts = marked.split(":", 5)
    if len(parts) != 6:
        # not an ARN pattern ("*", or a malformed value): compare the whole string
        return Glob.from_marked(marked, source=source)
    return tuple(Glob.from_marked(p, source=p) for p in parts)


@dataclass(slots=True)
class Condition:
    """One operator/key/values entry of a Condition block, compiled for evaluation."""

    operator: str
    key: str
    key_lc: str
    values: tuple[str, ...]
    base: str
    family: str
    set_op: str | None
    if_exists: bool
    negated: bool
    _compiled: tuple
    _fast_set: frozenset | None  # static StringEquals(IgnoreCase) values, for a set lookup
    evaluate: object = None  # set in __post_init__: the fastest evaluator for this condition

    def __post_init__(self) -> None:
        self.evaluate = self._fast_evaluator() or self._evaluate

    @classmethod
    def compile(cls, operator: str, key: str, values: tuple[str, ...], *, variables: bool) -> Condition:
        set_op, base, if_exists = split_operator(operator)
        family = family_of(base)
        compiled: list = []
        fast = None
        if family == "String":
            negated, ignore_case, wildcards = STRING_OPS[base]
            compiled = [
                Template.compile(v, variables=variables, wildcards=wildcards, ignore_case=ignore_case)
                for v in values
            ]
            if not wildcards and not any(t.has_variables for t in compiled):
                fast = frozenset(v.lower() if ignore_case else v for v in values)
        elif family in ("Numeric",):
            compiled = [parse_number(v) for v in values]
        elif family == "Date":
            compiled = [parse_date(v) for v in values]
        elif family == "Arn":
            compiled = [ArnPattern(v, variables=variables) for v in values]
        elif family == "Ip":
            nets = []
            for v in values:
                try:
                    nets.append(ipaddress.ip_network(v.strip(), strict=False))
                except ValueError:
                    nets.append(None)
            compiled = nets
        elif family == "Bool":
            compiled = [v.lower() for v in values]
        elif family == "BinaryEquals":
            decoded = []
            for v in values:
                try:
                    decoded.append(base64.b64decode(v, validate=True))
                except (binascii.Error, ValueError):
                    decoded.append(None)
            compiled = decoded
        elif family == "Null":
            compiled = [v.lower() for v in values]
        return cls(
            operator, key, key.lower(), values, base, family, set_op, if_exists,
            is_negated(base), tuple(compiled), fast,
        )

    # -- evaluation -------------------------------------------------------------------------

    def _fast_evaluator(self):
        """A closure for the most common shape: a single-valued String or Bool test of static values."""
        if self.set_op is not None or self.family not in ("String", "Bool"):
            return None
        if self.family == "String" and self._fast_set is None:
            return None
        key = self.key_lc
        absent = self.if_exists or self.negated
        negated = self.negated
        values = self._fast_set if self.family == "String" else frozenset(self._compiled)
        lower = self.family == "Bool" or STRING_OPS[self.base][1]

        def evaluate(context: dict) -> bool:
            raw = context.get(key)
            if raw is None:
                return absent
            if raw.__class__ is tuple:
                return False  # default D9
            return ((raw.lower() if lower else raw) in values) != negated

        return evaluate

    def _evaluate(self, context: dict) -> bool:
        """Whether this condition holds for the request context."""
        raw = context.get(self.key_lc)
        if self.family == "Null":
            present = raw is not None and raw != ()
            return any((v == "true" and not present) or (v == "false" and present) for v in self._compiled)
        if self.set_op is not None:
            if raw is None:
                values: tuple = ()
            elif isinstance(raw, tuple):
                values = raw
            else:
                values = (raw,)
            if self.set_op == "ForAllValues":
                return all(self._single(v, context) for v in values)
            return any(self._single(v, context) for v in values)
        if raw is None:
            return self.if_exists or self.negated
        if isinstance(raw, tuple):
            return False  # default D9: single-valued operator on a multi-valued key
        return self._single(raw, context)

    def _single(self, value: str, context: dict) -> bool:
        hit = self._positive(value, context)
        return not hit if self.negated else hit

    def _positive(self, value: str, context: dict) -> bool:
        family = self.family
        if family == "String":
            if self._fast_set is not None:
                probe = value.lower() if STRING_OPS[self.base][1] else value
                return probe in self._fast_set
            return any(t.matches(value, context) for t in self._compiled)
        if family == "Numeric":
            number = parse_number(value)
            op = _COMPARE[NUMERIC_OPS[self.base][1]]
            return number is not None and any(v is not None and op(number, v) for v in self._compiled)
        if family == "Date":
            when = parse_date(value)
            op = _COMPARE[DATE_OPS[self.base][1]]
            return when is not None and any(v is not None and op(when, v) for v in self._compiled)
        if family == "Arn":
            return any(p.matches(value, context) for p in self._compiled)
        if family == "Ip":
            try:
                addr = ipaddress.ip_address(value.strip())
            except ValueError:
                return False
            return any(n is not None and addr.version == n.version and addr in n for n in self._compiled)
        if family == "Bool":
            return value.lower() in self._compiled
        if family == "BinaryEquals":
            try:
                raw = base64.b64decode(value, validate=True)
            except (binascii.Error, ValueError):
                raw = value.encode()
            return any(v is not None and v == raw for v in self._compiled)
        return False

    def describe(self) -> str:
        """`StringEquals kms:ViaService`."""
        return f"{self.operator} {self.key}"
