"""What a request came to: the `Result` every request ends in, and whether it meets a check's
`expect` (scenario-format.md §3)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from .authorize import EXPLICITLY_DENIED, AuthzResult
from .evaluate import TraceStep, trace_dicts
from .reasons import Reason


@dataclass(slots=True)
class Result:
    """The outcome of one request, with its explanation."""

    outcome: str  # allow | deny | <KMS exception name>
    _message: object  # str, or a _DeniedMessage worked out on first use
    action: str
    principal: str
    decision: str | None = None
    _reasons: list[Reason] | AuthzResult = field(default_factory=list)  # an AuthzResult is read on first use
    trace: list[TraceStep] = field(default_factory=list)
    key: str | None = None
    output: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.outcome == "allow"

    @property
    def reasons(self) -> list[Reason]:
        """Why: the deciding reasons (a denial's are named in full on first read, see AuthzResult.reasons)."""
        reasons = self._reasons
        if reasons.__class__ is not list:
            reasons = self._reasons = reasons.reasons
        return reasons

    @property
    def message(self) -> str:
        """The message AWS would print."""
        return str(self._message)

    def as_dict(self, *, trace: bool = True) -> dict:
        out = {"outcome": self.outcome}
        if self.decision is not None:
            out["decision"] = self.decision
        out["message"] = self.message
        out["action"] = f"kms:{self.action}"
        out["principal"] = self.principal
        if self.key:
            out["key"] = self.key
        out["reasons"] = [r.as_dict() for r in self.reasons]
        if trace:
            out["trace"] = trace_dicts(self.trace)
        if self.output:
            out["output"] = self.output
        return out



def matches_expectation(result: Result, expect: str) -> bool:
    """Does `result` satisfy a check's `expect`?"""
    if expect == "allow":
        return result.outcome == "allow"
    if expect in ("deny", "AccessDeniedException"):
        return result.outcome == "deny"
    if expect == "explicit-deny":
        return result.outcome == "deny" and result.decision == EXPLICITLY_DENIED
    if expect == "implicit-deny":
        return result.outcome == "deny" and result.decision != EXPLICITLY_DENIED
    return result.outcome == expect


def result_json(result: Result) -> str:
    return json.dumps(result.as_dict(), indent=2)
