"""Condition operators: every IAM operator family, `...IfExists`, and `ForAllValues:` / `ForAnyValue:`.

`OPERATORS` is the registry of base operators, each a small `Operator` that reads the policy's values
and the request's value and says whether they match. One `Condition` is one (operator, key, values)
triple of a statement's Condition block; it is compiled once and evaluated against a request context:
a dict from lower-cased condition key to a string (single-valued) or a tuple of strings (multi-valued).
Rules (kms-semantics.md §6):

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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from operator import eq, ge, gt, le, lt
from typing import NamedTuple

from .patterns import Template
from .wildcard import Glob

@dataclass(frozen=True, slots=True)
class Operator:
    """One base condition operator (`StringLike`, `NumericLessThan`, `IpAddress` ...): how it reads the
    policy's values and the request's value, and when the two match. Negated operators (`...Not...`)
    test the same match and invert it, per value set (kms-semantics §6)."""

    name: str
    family: str  # String, Numeric, Date, Arn, Ip, Bool, BinaryEquals, Null
    negated: bool
    read_policy: Callable  # (policy value, variables allowed) -> compiled value, None when unusable
    read_request: Callable  # request value -> comparable value, None when it cannot be compared
    test: Callable  # (compiled policy value, comparable request value, context) -> bool
    ignore_case: bool = False
    wildcards: bool = False


def _same(value):
    return value


def _lower(value: str) -> str:
    return value.lower()


def _lower_policy(text: str, _variables: bool) -> str:
    return text.lower()


def _equal(policy, request, _context) -> bool:
    return policy == request


def _template_matches(template, value: str, context: dict) -> bool:
    return template.matches(value, context)


def _string(name: str, negated: bool, ignore_case: bool, wildcards: bool) -> Operator:
    def read_policy(text: str, variables: bool):
        return Template.compile(text, variables=variables, wildcards=wildcards, ignore_case=ignore_case)

    return Operator(name, "String", negated, read_policy, _same, _template_matches, ignore_case, wildcards)


_COMPARE = {"Equals": eq, "LessThan": lt, "LessThanEquals": le, "GreaterThan": gt, "GreaterThanEquals": ge}


def _ordered(family: str, read: Callable) -> list[Operator]:
    """NumericEquals ... NumericGreaterThanEquals (or Date...): the policy value and the request value
    read the same way, then compared."""
    out = []
    for suffix, compare in _COMPARE.items():
        def test(policy, request, _context, compare=compare) -> bool:
            return compare(request, policy)

        out.append(Operator(f"{family}{suffix}", family, False, lambda text, _variables: read(text), read, test))
    not_equals = out[0]
    out.append(Operator(f"{family}NotEquals", family, True, not_equals.read_policy, read, not_equals.test))
    return out


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


def _network(text: str, _variables: bool):
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _in_network(network, address, _context) -> bool:
    return address.version == network.version and address in network


def _base64(text: str, _variables: bool = False) -> bytes | None:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


def _request_bytes(text: str) -> bytes:
    """A request value as bytes: base64 when it is base64, else the text itself."""
    decoded = _base64(text)
    return decoded if decoded is not None else text.encode()


def _arn_pattern(text: str, variables: bool):
    return ArnPattern(text, variables=variables)


def _arn_matches(pattern, value: str, context: dict) -> bool:
    return pattern.matches(value, context)


def _registry() -> dict[str, Operator]:
    ops = [
        _string("StringEquals", False, False, False), _string("StringNotEquals", True, False, False),
        _string("StringEqualsIgnoreCase", False, True, False), _string("StringNotEqualsIgnoreCase", True, True, False),
        _string("StringLike", False, False, True), _string("StringNotLike", True, False, True),
        *_ordered("Numeric", parse_number), *_ordered("Date", parse_date),
        Operator("ArnEquals", "Arn", False, _arn_pattern, _same, _arn_matches),
        Operator("ArnLike", "Arn", False, _arn_pattern, _same, _arn_matches),
        Operator("ArnNotEquals", "Arn", True, _arn_pattern, _same, _arn_matches),
        Operator("ArnNotLike", "Arn", True, _arn_pattern, _same, _arn_matches),
        Operator("IpAddress", "Ip", False, _network, _address, _in_network),
        Operator("NotIpAddress", "Ip", True, _network, _address, _in_network),
        Operator("Bool", "Bool", False, _lower_policy, _lower, _equal),
        Operator("BinaryEquals", "BinaryEquals", False, _base64, _request_bytes, _equal),
        # Null tests whether the key is present at all; `Condition` evaluates it without the value tests
        Operator("Null", "Null", False, _lower_policy, _same, _equal),
    ]
    return {op.name: op for op in ops}


#: Every base operator of the IAM policy language, by name.
OPERATORS: dict[str, Operator] = _registry()
BASE_OPERATORS = frozenset(OPERATORS)
STRING_OPERATORS = tuple(name for name, op in OPERATORS.items() if op.family == "String")
SET_OPERATORS = ("ForAllValues", "ForAnyValue")


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
    if base not in OPERATORS:
        raise UnknownOperator(f"unknown condition operator `{name}`")
    if base == "Null" and (if_exists or set_op):
        raise UnknownOperator(f"`{name}` is not allowed: Null takes no IfExists or set operator")
    return set_op, base, if_exists


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


class ConditionMatch(NamedTuple):
    """Whether a condition held for a request, and on which value (for the trace)."""

    matched: bool
    request_value: str | tuple | None  # what the request carried for the key (None: absent)
    policy_value: str | None  # the policy value a request value matched, if one did


@dataclass(slots=True)
class Condition:
    """One operator/key/values entry of a Condition block, compiled for evaluation."""

    operator: str
    key: str
    key_lc: str
    values: tuple[str, ...]
    op: Operator
    set_op: str | None
    if_exists: bool
    _compiled: tuple
    _fast_set: frozenset | None  # static StringEquals(IgnoreCase) values, for a set lookup
    evaluate: object = None  # set in __post_init__: the fastest evaluator for this condition

    def __post_init__(self) -> None:
        self.evaluate = self._fast_evaluator() or self._evaluate

    @classmethod
    def compile(cls, operator: str, key: str, values: tuple[str, ...], *, variables: bool) -> Condition:
        set_op, base, if_exists = split_operator(operator)
        op = OPERATORS[base]
        compiled = tuple(op.read_policy(v, variables) for v in values)
        fast = None
        if op.family == "String" and not op.wildcards and not any(t.has_variables for t in compiled):
            fast = frozenset(v.lower() if op.ignore_case else v for v in values)
        return cls(operator, key, key.lower(), values, op, set_op, if_exists, compiled, fast)

    @property
    def base(self) -> str:
        """The operator without `ForAnyValue:` / `IfExists`: `StringLike`."""
        return self.op.name

    # -- evaluation -------------------------------------------------------------------------

    def _fast_evaluator(self):
        """A closure for the most common shape: a single-valued String or Bool test of static values."""
        op = self.op
        if self.set_op is not None or op.family not in ("String", "Bool"):
            return None
        if op.family == "String" and self._fast_set is None:
            return None
        key = self.key_lc
        absent = self.if_exists or op.negated
        negated = op.negated
        values = self._fast_set if op.family == "String" else frozenset(self._compiled)
        lower = op.family == "Bool" or op.ignore_case

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
        if self.op.family == "Null":
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
            return self.if_exists or self.op.negated
        if isinstance(raw, tuple):
            return False  # default D9: single-valued operator on a multi-valued key
        return self._single(raw, context)

    def _single(self, value: str, context: dict) -> bool:
        return self._hits(value, context) != self.op.negated

    def _hits(self, value: str, context: dict) -> bool:
        """Whether this request value matches one of the policy's values (before negation)."""
        if self._fast_set is not None:
            return (value.lower() if self.op.ignore_case else value) in self._fast_set
        return self._matched_value(value, context) is not None

    def _matched_value(self, value: str, context: dict) -> str | None:
        """The first policy value this request value matches (before negation), or None."""
        op = self.op
        probe = op.read_request(value)
        if probe is None:
            return None
        for text, compiled in zip(self.values, self._compiled, strict=True):
            if compiled is not None and op.test(compiled, probe, context):
                return text
        return None

    def explain(self, context: dict) -> ConditionMatch:
        """Whether the condition held and the policy value that a request value matched, for the trace."""
        raw = context.get(self.key_lc)
        matched = self.evaluate(context)
        on = None
        if self.op.family != "Null" and raw is not None:
            for value in raw if isinstance(raw, tuple) else (raw,):
                on = self._matched_value(value, context)
                if on is not None:
                    break
        return ConditionMatch(matched, list(raw) if isinstance(raw, tuple) else raw, on)

    def describe(self) -> str:
        """`StringEquals kms:ViaService`."""
        return f"{self.operator} {self.key}"
