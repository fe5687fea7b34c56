"""The reference solution beside the learner's last Check: one part per edited thing (a key policy,
a key's grants, an IAM policy, an SCP …), with the lines where the learner's answer differs."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass

from kmstrainer.engine import EditKind, edit_target

from .drafts import pretty
from .models import Attempt, Scenario
from .specs import engine_scenario


@dataclass(frozen=True)
class DiffLine:
    sign: str  # "+" only in the reference, "-" only in the learner's answer, " " in both, "@" a hunk header
    text: str


@dataclass(frozen=True)
class SolutionPart:
    label: str
    reference: str
    yours: str | None  # the learner's last Check of this part; None before any Check
    diff: tuple[DiffLine, ...] = ()

    @property
    def same(self) -> bool:
        return self.yours is not None and not self.diff


def solution_parts(scenario: Scenario, user) -> list[SolutionPart]:
    """The reference solution, part by part, each compared with the learner's last Check."""
    engine = engine_scenario(scenario)
    labels = {editor.target: editor.label for editor in engine.editors()}
    last = Attempt.objects.for_user(user).filter(scenario=scenario).values_list("edits", flat=True).first()
    yours = {edit_target(edit): edit for edit in last or [] if isinstance(edit, dict) and "kind" in edit}
    parts = []
    for entry in engine.solution or []:
        target = edit_target(entry)
        label = labels.get(target) or " ".join(str(t) for t in target)
        reference = _layout(_value(entry))
        mine = _layout(_value(yours[target])) if target in yours else None
        parts.append(SolutionPart(label, reference, mine, _diff(mine, reference) if mine is not None else ()))
    return parts


def _value(edit: dict):
    return edit.get(EditKind(edit["kind"]).value_field)


def _layout(value) -> str:
    """One layout for both sides (`pretty`: JSON, elements in AWS's order), so the diff shows what
    differs, not how it was typed."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return value  # a state, or text that is not JSON: compared as typed
    return pretty(value)


def _diff(yours: str, reference: str) -> tuple[DiffLine, ...]:
    lines = list(difflib.unified_diff(yours.splitlines(), reference.splitlines(), lineterm="", n=2))[2:]
    return tuple(DiffLine(line[:1] if line[:1] in "+- " else "@", line[1:] if line[:1] in "+- " else line)
                 for line in lines)
