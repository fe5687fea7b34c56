"""Grading: the learner's edits applied to the scenario's world, every check run by the engine.

Pure: takes the learner's `Draft`, returns a `Grade` the templates render. Learner
input that cannot be graded (bad JSON, a policy over 32 KB, an unknown principal form, a grant
operation the key does not support) comes back as editor errors with line:column, never as an
exception.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import yaml

from kmstrainer.engine import (
    KEY_POLICY_MAX_BYTES, Editor, EditKind, EngineInputError, Layer, allowed_edits, apply_edits, compose_text,
    describe_outcome, explain, parse_policy, review_scenario, run_check, trace_dicts, world_with,
)

from .authoring import dump_yaml
from .drafts import Draft


@dataclass
class EditorError:
    target: str  # editor id
    message: str
    line: int | None = None
    column: int | None = None
    path: str = ""
    code: str = ""


@dataclass
class CheckView:
    name: str
    hidden: bool
    passed: bool
    expect: str
    actual: str
    message: str
    reasons: list[dict] = field(default_factory=list)
    steps: list[dict] = field(default_factory=list)
    raw_trace: list = field(default_factory=list, repr=False)

    @property
    def trace(self) -> list[dict]:
        """Every statement and grant considered (built only when someone looks)."""
        return trace_dicts(self.raw_trace)


@dataclass
class OverGrant:
    """One thing the learner's edits allow that the reference answer does not, ready to show."""

    action: str
    cls: str
    request: dict
    allowed_by: dict | None
    editor: str | None = None
    lines: str | None = None

    @property
    def request_yaml(self) -> str:
        return dump_yaml(self.request)

    @property
    def where(self) -> str:
        by = self.allowed_by or {}
        if by.get("grant"):
            return f"grant {by['grant']}"
        if by.get("statement"):
            noun = Layer(by["layer"]).noun
            sid = f" ({by['sid']})" if by.get("sid") else ""
            policy = f" {by['policy']}" if by.get("policy") and by.get("layer") != "key_policy" else ""
            return f"statement {by['statement']}{sid} of the {noun}{policy}"
        return ""


@dataclass
class ReviewView:
    """The access review of a Check, grouped by principal for the result panel."""

    mode: str
    probes: int
    bounded: bool
    over: dict[str, list[OverGrant]] = field(default_factory=dict)  # principal -> over-grants
    under: dict[str, list[str]] = field(default_factory=dict)  # principal -> actions
    blocking: int = 0
    world_yaml: str = ""  # the world with the learner's edits, for "Open in playground"

    def summary(self) -> dict:
        """What an Attempt stores: the over-grants (principal, action, class) and the counts."""
        return {"mode": self.mode, "probes": self.probes, "bounded": self.bounded, "blocking": self.blocking,
                "over": [{"principal": p, "action": g.action, "class": g.cls} for p, gs in self.over.items()
                         for g in gs],
                "under": sum(len(v) for v in self.under.values())}


@dataclass
class Grade:
    checks: list[CheckView] = field(default_factory=list)
    errors: list[EditorError] = field(default_factory=list)
    review: ReviewView | None = None

    @property
    def graded(self) -> bool:
        return not self.errors and bool(self.checks)

    @property
    def checks_pass(self) -> bool:
        return self.graded and all(c.passed for c in self.checks)

    @property
    def visible(self) -> list[CheckView]:
        return [c for c in self.checks if not c.hidden]

    @property
    def hidden(self) -> list[CheckView]:
        return [c for c in self.checks if c.hidden]

    @property
    def solved(self) -> bool:
        """Every check passes (hidden ones too) and the access review finds no blocking over-grant."""
        return self.checks_pass and not (self.review and self.review.blocking)

    def counts(self) -> dict:
        return {
            "visible_passed": sum(c.passed for c in self.visible), "visible_total": len(self.visible),
            "hidden_passed": sum(c.passed for c in self.hidden), "hidden_total": len(self.hidden),
        }


def statement_lines(text: str) -> dict[int, tuple[int, int]]:
    """1-based statement index -> (first line, last line) in a policy's JSON/YAML text."""
    if text.lstrip().startswith("{"):
        found = _json_statement_lines(text)
        if found is not None:
            return found
    try:
        root = compose_text(text)
    except EngineInputError:
        return {}
    if not isinstance(root, yaml.MappingNode):
        return {}
    for key, value in root.value:
        if getattr(key, "value", None) == "Statement":
            items = value.value if isinstance(value, yaml.SequenceNode) else [value]
            out = {}
            for i, node in enumerate(items, start=1):
                end = node.end_mark.line + (1 if node.end_mark.column > 0 else 0)
                out[i] = (node.start_mark.line + 1, max(end, node.start_mark.line + 1))
            return out
    return {}


def _json_statement_lines(text: str) -> dict[int, tuple[int, int]] | None:
    """The same for JSON text, by one scan that tracks strings and nesting (no YAML parse)."""
    depth = 0
    line = 1
    in_string = escaped = False
    last_key = None
    string_start = 0
    in_statement = False
    statement_depth = 0
    start_line = 0
    out: dict[int, tuple[int, int]] = {}
    for i, ch in enumerate(text):
        if ch == "\n":
            line += 1
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
                if depth == 1:
                    last_key = text[string_start + 1:i]
            continue
        if ch == '"':
            in_string, string_start = True, i
        elif ch in "{[":
            depth += 1
            if depth == 2 and last_key == "Statement" and not in_statement:
                in_statement, statement_depth = True, depth
                if ch == "{":  # Statement as a single object
                    start_line = line
            elif in_statement and depth == statement_depth + 1 and ch == "{":
                start_line = line
        elif ch in "}]":
            if in_statement and depth == statement_depth + 1 and ch == "}":
                out[len(out) + 1] = (start_line, line)
            elif in_statement and depth == statement_depth:
                if ch == "}":
                    out[len(out) + 1] = (start_line, line)
                return out
            depth -= 1
    return None


def check_edits(draft: Draft) -> list[EditorError]:
    """Problems in the learner's policies that stop grading: each tied to its editor."""
    errors = []
    for editor in draft.editors:
        if editor.kind.is_policy:
            errors += _policy_errors(editor, draft.text(editor))
    return errors


def _policy_errors(editor: Editor, text: str) -> list[EditorError]:
    size = len(text.encode("utf-8"))
    if editor.kind == EditKind.KEY_POLICY and size > KEY_POLICY_MAX_BYTES:
        return [EditorError(editor.id, f"LimitExceededException: this key policy is {size:,} bytes; a key "
                                       f"policy may be at most {KEY_POLICY_MAX_BYTES:,} bytes (a hard limit).",
                            code="policy-too-large")]
    if not text.strip():
        return [EditorError(editor.id, "The policy is empty: write a JSON policy document.", code="empty")]
    try:
        parse_policy(text, kind=editor.kind.lint_layer.value)
    except EngineInputError as exc:
        return [EditorError(editor.id, exc.message, exc.line, exc.column, exc.path, exc.code)]
    return []


def grade(draft: Draft) -> Grade:
    """Run every check of the draft's scenario against the world with the learner's edits applied."""
    errors = check_edits(draft)
    if errors:
        return Grade(errors=errors)
    scenario = draft.scenario
    clean = allowed_edits(scenario, draft.edits())
    try:
        world = world_with(scenario, clean)
    except EngineInputError as exc:
        return Grade(errors=[_world_error(draft.editors, exc)])
    lines = _LazyLines(draft)
    checks = [_view(run_check(world, check), draft.editors, lines) for check in scenario.checks]
    return Grade(checks=checks, review=_review_view(scenario, clean, world, draft.editors, lines))


def _review_view(scenario, clean: list[dict], world, editors: tuple[Editor, ...], lines) -> ReviewView:
    review = review_scenario(scenario, clean, learner=world)
    view = ReviewView(review.mode, review.probes, review.bounded, blocking=len(review.blocking))
    for f in review.over_grants:
        by = f.allowed_by or {}
        editor = _editor_for(by.get("layer"), by.get("policy"), f.key, editors)
        statement = (f.allowed_by or {}).get("statement")
        span = lines.get(editor, {}).get(statement) if editor and statement else None
        view.over.setdefault(f.principal, []).append(OverGrant(
            f"kms:{f.action}", f.cls, f.request, f.allowed_by, editor, f"{span[0]}-{span[1]}" if span else None))
    for f in review.under_grants:
        view.under.setdefault(f.principal, []).append(f"kms:{f.action}")
    if view.over:
        view.world_yaml = dump_yaml(apply_edits(scenario.world_data, clean))
    return view


def _editor_for(layer: str | None, policy: str | None, key_arn: str | None,
                editors: tuple[Editor, ...]) -> str | None:
    """The id of the editor holding the statement or grant a reason points at (its layer, policy name, key)."""
    return next((e.id for e in editors if e.holds(layer, policy, key_arn)), None)


class _LazyLines(dict):
    """editor id -> statement line ranges, worked out only for editors a reason points into."""

    def __init__(self, draft: Draft) -> None:
        super().__init__()
        self.draft = draft

    def get(self, editor_id, default=None):
        if editor_id not in self:
            editor = self.draft.editor(editor_id)
            self[editor_id] = statement_lines(self.draft.text(editor)) if editor.kind.is_policy else {}
        return super().get(editor_id, default)


def _world_error(editors: tuple[Editor, ...], exc: EngineInputError) -> EditorError:
    """An error building the edited world, tied to the grants editor it came from when possible."""
    path = exc.path or ""
    for editor in editors:
        if editor.kind == EditKind.GRANTS and ".grants[" in path:
            index = path.split(".grants[", 1)[1].split("]", 1)[0]
            where = f"grant {int(index) + 1}: " if index.isdigit() else ""
            return EditorError(editor.id, where + exc.message, path=path, code=exc.code)
    return EditorError(editors[0].id if editors else "", exc.message, exc.line, exc.column, path, exc.code)


def _reason_view(reason, result, editors, lines) -> dict:
    data = reason.as_dict()
    data["text"] = explain(reason)
    editor = _editor_for(reason.layer, reason.policy, result.key, editors)
    if editor and reason.statement and reason.statement in lines.get(editor, {}):
        first, last = lines[editor][reason.statement]
        data["editor"] = editor
        data["lines"] = f"{first}-{last}"
    return data


def _view(outcome, editors, lines) -> CheckView:
    step = outcome.last
    result = step.result
    steps = []
    if not outcome.check.single:
        for i, s in enumerate(outcome.steps, start=1):
            steps.append({"n": i, "action": f"kms:{s.result.action}", "principal": s.result.principal,
                          "expect": s.step.expect, "actual": describe_outcome(s.result), "passed": s.passed,
                          "message": s.result.message})
    return CheckView(
        name=outcome.check.name,
        hidden=outcome.check.hidden,
        passed=outcome.passed,
        expect=step.step.expect,
        actual=describe_outcome(result),
        message=result.message,
        reasons=[_reason_view(r, result, editors, lines) for r in result.reasons],
        steps=steps,
        raw_trace=result.trace,
    )


def as_summary(grade: Grade) -> dict:
    """What an Attempt stores: counts, the names of failed checks, and the review's summary."""
    return {**grade.counts(), "failed": [c.name for c in grade.checks if not c.passed],
            "review": grade.review.summary() if grade.review else {}}


def dumps(value) -> str:
    return json.dumps(value, indent=2)
