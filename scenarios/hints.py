"""The hint ladder of a lab: first the author's nudge, then a hint drawn from the learner's last
Check (which check fails, and the reason AWS gives, in the layer that decides it), then the
solution. Each rung a learner opens is counted on their Progress; the third opens the solution.
"""

from __future__ import annotations

from dataclasses import dataclass

from kmstrainer.engine import Layer

from . import grading
from .drafts import Draft
from .grading import Grade
from .models import Scenario

SOLUTION_RUNG = 3

#: The nudge of a scenario whose author wrote no `hint`: what the exam tip turns on.
TIP_NUDGES = {
    "cross-account": "Across accounts it takes two allows: the key policy in the key's account must allow the "
                     "other account (or its role), and an IAM policy in the caller's account must allow the "
                     "action on the key's ARN.",
    "grants-vs-key-policies": "Ask whether the access is standing (a key-policy or IAM statement) or delegated "
                              "and temporary (a grant, which allows only its operations and is revoked, not "
                              "edited).",
    "root-access-lockout": "The account principal (`arn:aws:iam::<account>:root`) in the key policy is what "
                           "lets IAM policies work; PutKeyPolicy refuses a policy that would stop you changing it "
                           "again.",
    "service-linked-roles": "A service acts through its service-linked role or as a service principal: allow "
                            "that principal, and use kms:ViaService or kms:GrantIsForAWSResource to keep it to "
                            "the service.",
    "condition-keys": "Read each condition key against the request: which keys the request carries, which "
                      "operator compares them, and what happens when a key is absent.",
    "key-deletion-and-grants": "Deletion waits 7 to 30 days and can be cancelled; disabling is immediate and "
                               "undone by EnableKey. Grants outlive policy changes until they are retired or "
                               "revoked.",
    "eventual-consistency": "A new grant may not work everywhere at once: its grant token makes it usable "
                            "straight away, until the grant has propagated.",
    "organizations": "SCPs and RCPs never allow anything: they limit what the key policy and IAM policies "
                     "allow. Use aws:PrincipalOrgID to name the organization instead of every account.",
    "key-policy-basics": "Every KMS request needs the key policy to allow it, directly or by trusting the "
                         "account so that IAM policies can; an explicit Deny anywhere wins.",
    "grant-basics": "A grant names its grantee, its operations and, if you like, an encryption-context "
                    "constraint; it allows exactly those operations, with no policy needed.",
    "best-practices": "Give each principal only the operations the task names: key users use the key, key "
                      "administrators manage it, and neither does the other's job.",
}


@dataclass(frozen=True)
class Hint:
    rung: int
    title: str
    text: str  # may hold `code` in backticks
    editor: str | None = None  # the editor and lines "Show in editor" points at
    lines: str | None = None


def nudge(scenario: Scenario) -> Hint:
    """Rung 1: the author's `hint`, or what the scenario's exam tip turns on."""
    text = (scenario.spec or {}).get("hint") or TIP_NUDGES.get(scenario.tip, TIP_NUDGES["best-practices"])
    return Hint(1, "A nudge", text)


def from_last_check(grade: Grade) -> Hint:
    """Rung 2: what the learner's last Check says, reduced to where to look."""
    if not grade.graded:
        return Hint(2, "Where to look", "Press Check with policies that load: the hint is drawn from the checks "
                                        "that fail.")
    failing = next((c for c in grade.visible if not c.passed), None)
    if failing is not None:
        reason = failing.reasons[0] if failing.reasons else None
        where = f" Look at the {Layer(reason['layer']).noun}." if reason and reason.get("layer") else ""
        why = f" {reason['text']}" if reason else f" {failing.message}"
        if failing.expect == "allow":
            text = f"“{failing.name}” should be allowed but is refused.{why}{where}"
        else:
            text = f"“{failing.name}” should get {failing.expect} but gets {failing.actual}.{why}{where}"
        return Hint(2, "Where to look", text, reason.get("editor") if reason else None,
                    reason.get("lines") if reason else None)
    if any(not c.passed for c in grade.hidden):
        return Hint(2, "Where to look", "Every visible check passes, but a hidden one fails. Hidden checks test "
                                        "what must stay refused: for each statement or grant you wrote, ask "
                                        "whether it allows more principals, actions or keys than the task names.")
    if grade.review and grade.review.blocking:
        return Hint(2, "Where to look", "Every check passes; what is left is least privilege. The access review "
                                        "above lists what your edits allow beyond the reference answer: remove "
                                        "those actions or principals.")
    return Hint(2, "Where to look", "Your last Check solved the scenario: nothing is left to find.")


def ladder(scenario: Scenario, rungs_open: int, draft: Draft, grade: Grade | None = None, *,
           checked: bool = False) -> list[Hint]:
    """The hints a learner has opened, in order (the solution rung is a link, not a hint). `grade` is
    this request's Check; without one, the draft on the page is graded, once the learner has checked."""
    hints = [nudge(scenario)] if rungs_open >= 1 else []
    if rungs_open >= 2:
        if grade is None and checked:
            grade = grading.grade(draft)
        hints.append(from_last_check(grade) if grade is not None else
                     Hint(2, "Where to look", "Press Check first: this hint is drawn from the checks that fail."))
    return hints
