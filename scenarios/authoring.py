"""Authoring: turning admin form fields into a scenario, validated by the engine.

Every YAML field is parsed on its own so errors point at the field and the line in it; then the
whole scenario is parsed and validated (scenario-format.md §4) and each problem is tied to the
field it comes from.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import yaml

from kmstrainer.engine import (
    EngineInputError, Positions, access_matrix, describe_outcome, explain, load_text, parse_scenario,
    review_warnings, validate_scenario, world_with,
)

YAML_FIELDS = ("world", "editable", "solution", "checks", "questions")
TEXT_FIELDS = ("title", "tip", "difficulty", "topics", "sources", "story", "task", "explanation")


@dataclass
class AuthoringResult:
    data: dict | None
    field_errors: dict[str, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    question_keys: list[list[int]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # the access review's, about the checks

    @property
    def valid(self) -> bool:
        return self.data is not None and not self.field_errors and not self.problems


class _BlockDumper(yaml.SafeDumper):
    """Multi-line text (a question's prompt, a story) as a `|` block, as authors write it."""


def _text(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None  # PyYAML falls back to quotes where a block cannot hold it
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _text)


def dump_yaml(value) -> str:
    if value is None:
        return ""
    return yaml.dump(value, Dumper=_BlockDumper, sort_keys=False, allow_unicode=True, width=110,
                     default_flow_style=False)


#: How many changed lines one section of a history entry shows at most.
DIFF_LINES = 60


def section_diff(before: dict, after: dict) -> list[tuple[str, list[str]]]:
    """What changed between two versions of a scenario's data, section by section (title, story,
    world, checks …) in the file's order: each changed section with its changed lines, so a save
    that only re-formats the file shows no change."""
    out = []
    for name in dict.fromkeys([*after, *before]):
        old, new = before.get(name), after.get(name)
        if _text_of(old) == _text_of(new):  # a form's textarea drops the file's final newline: no change
            continue
        lines = list(difflib.unified_diff(_lines(old), _lines(new), lineterm="", n=1))[2:]
        if len(lines) > DIFF_LINES:
            lines = [*lines[:DIFF_LINES], f"… {len(lines) - DIFF_LINES} more lines"]
        out.append((name, lines))
    return out


def _text_of(value):
    return value.rstrip("\n") if isinstance(value, str) else value


def _lines(value) -> list[str]:
    return [] if value is None else dump_yaml(value).splitlines()


def field_of(path: str) -> str:
    head = path.split(".", 1)[0].split("[", 1)[0]
    return head if head in YAML_FIELDS else "world" if head == "" else head


def build(slug: str, values: dict, texts: dict[str, str]) -> AuthoringResult:
    """Scenario data from the metadata `values` and the YAML `texts`; every problem by field."""
    result = AuthoringResult(None)
    data = {"id": slug}
    for key in TEXT_FIELDS:
        if values.get(key) not in (None, "", []):
            data[key] = values[key]
    for name in YAML_FIELDS:
        text = texts.get(name) or ""
        if not text.strip():
            continue
        try:
            parsed, _ = load_text(text, file=name)
        except EngineInputError as exc:
            result.field_errors.setdefault(name, []).append(f"line {exc.line}, column {exc.column}: {exc.message}")
            continue
        data[name] = parsed
    for required in ("world", "checks"):
        if required not in data and required not in result.field_errors:
            result.field_errors.setdefault(required, []).append(f"a scenario needs `{required}`")
    if result.field_errors:
        return result
    try:
        scenario = parse_scenario(data, Positions("scenario"))
    except EngineInputError as exc:
        name = field_of(exc.path)
        where = f" (at `{exc.path}`)" if exc.path else ""
        result.field_errors.setdefault(name if name in YAML_FIELDS else "world", []).append(exc.message + where)
        return result
    validation = validate_scenario(scenario)
    result.data = data
    result.question_keys = [list(k.correct[0]) if k.valid else [] for k in validation.keys]
    for outcome in validation.solution_outcomes:
        if not outcome.passed:
            step = outcome.failing
            why = "; ".join(explain(r) for r in step.result.reasons[:2]) or step.result.message
            result.field_errors.setdefault("solution", []).append(
                f"the solution fails check “{outcome.check.name}”: expected {step.step.expect}, got "
                f"{describe_outcome(step.result)}. {why}")
    for problem in validation.problems:
        if problem.code == "solution-fails-check":  # told above, with the reasons
            continue
        target = problem.field if problem.field in YAML_FIELDS else "solution"
        result.field_errors.setdefault(target, []).append(problem.message)
        result.problems.append(problem.message)
    result.problems += [e for errs in result.field_errors.values() for e in errs if e not in result.problems]
    if not result.problems:
        result.warnings = review_warnings(scenario)
    return result


def access_table(scenario) -> list[dict]:
    """Who the reference solution lets do what, per reviewed key, for the Run checks view."""
    if scenario.solution is None:
        return []
    world = world_with(scenario, scenario.solution)
    tables: dict[str, dict[str, list[dict]]] = {}
    for cell in access_matrix(world):
        if cell.allowed:
            tables.setdefault(cell.key, {}).setdefault(cell.principal, []).append(
                {"action": f"kms:{cell.action}", "class": cell.cls, "by": _by_text(cell.by)})
    return [{"key": key, "rows": [{"principal": p, "grants": g} for p, g in rows.items()]}
            for key, rows in tables.items()]


def _by_text(by: dict | None) -> str:
    by = by or {}
    if by.get("grant"):
        return f"grant {by['grant']}"
    if by.get("statement"):
        return f"{by.get('layer')} #{by['statement']}{' ' + by['sid'] if by.get('sid') else ''}"
    return by.get("layer", "")


def run_table(scenario) -> list[dict]:
    """Every check against the starting world and against the solution, for the Run checks view."""
    from kmstrainer.engine import run_checks

    start = run_checks(scenario)
    solved = run_checks(scenario, scenario.solution) if scenario.solution is not None else [None] * len(start)
    rows = []
    for a, b in zip(start, solved, strict=True):
        rows.append({
            "name": a.check.name, "hidden": a.check.hidden, "expect": a.last.step.expect,
            "start": _cell(a), "solution": _cell(b) if b else None,
        })
    return rows


def _cell(outcome) -> dict:
    result = outcome.last.result
    return {"passed": outcome.passed, "actual": describe_outcome(result), "message": result.message,
            "why": [explain(r) for r in result.reasons[:3]]}
