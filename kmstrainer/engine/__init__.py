"""kmstrainer.engine: an offline model of how AWS KMS and IAM decide. Pure Python; no Django.

The public API:

* `parse_policy(document, kind=...)` -> Policy, raising PolicyParseError with path and line:column
* `parse_world(data)` -> World; `Simulator(world).run(request)` -> Result (outcome, decision, reasons, trace)
* `load_scenario(path)` / `load_scenario_text(text)`, `run_checks(scenario, edits)`, `validate_scenario(scenario)`
* `lint_document(document, kind=...)` -> list[Finding]
* `explain(reason)` -> the learner-facing sentence for a reason code
* a Result's `trace`: `PolicyScan` and `GrantCheck` steps (`TraceOp`); `trace_dicts(trace)` as JSON-ready data
* `OPERATORS`: the condition operators, each an `Operator` that reads policy and request values and matches them
"""

from .catalog import GRANT_OPS_BY_USAGE, KEY_SPECS
from .completions import Completion, policy_completions
from .edits import Editor, allowed_edits, apply_edits, edit_target
from .errors import EngineInputError, PolicyParseError
from .conditions import OPERATORS, ConditionMatch, Operator
from .evaluate import GrantCheck, PolicyScan, StatementMatch, TraceOp, TraceStep, trace_dicts
from .principals import InvalidPrincipal, parse_caller
from .lint import Finding, lint_document, lint_policy_text
from .operations import Simulator
from .policy import KEY_POLICY_MAX_BYTES, Policy, parse_policy
from .reasons import CATALOGUE, Reason, explain
from .request import Request, parse_request, parse_requests
from .results import Result, matches_expectation
from .review import (
    AccessCell, AccessFinding, AccessReview, Grade, Probe, access_matrix, grade, operation_class, review_scenario,
    review_warnings, unexercised_allows, vacuous_checks, world_with,
)
from .review_config import ReviewConfig, Tolerance
from .scenario import (
    Check, Problem, Scenario, Step, describe_outcome, load_scenario, load_scenario_text, parse_scenario, question_key,
    TIPS, run_check, run_checks, validate_scenario,
)
from .source import MAX_TEXT_CHARS, Positions, compose_text, load_text
from .vocabulary import Decision, EditKind, Layer, ReasonCode, Via
from .wildcard import Glob
from .world import CONSTRAINT_KINDS, World
from .world_parser import parse_world, parse_world_document

__all__ = [
    "AccessCell", "Check", "Step", "Completion", "Editor", "policy_completions", "AccessFinding", "AccessReview", "Grade", "Probe", "ReviewConfig", "Tolerance", "access_matrix", "grade",
    "operation_class", "review_scenario", "review_warnings", "world_with", "unexercised_allows", "vacuous_checks",
    "CONSTRAINT_KINDS", "Decision", "EditKind", "Via", "Glob", "GRANT_OPS_BY_USAGE", "InvalidPrincipal", "KEY_SPECS", "Layer", "ReasonCode",
    "Positions", "describe_outcome", "edit_target", "parse_caller", "trace_dicts",
    "ConditionMatch", "GrantCheck", "OPERATORS", "Operator", "PolicyScan", "StatementMatch", "TraceOp", "TraceStep",
    "CATALOGUE", "MAX_TEXT_CHARS", "EngineInputError", "compose_text", "Finding", "KEY_POLICY_MAX_BYTES", "Policy", "PolicyParseError", "Problem", "Reason",
    "Request", "Result", "Scenario", "Simulator", "TIPS", "World", "allowed_edits", "apply_edits", "explain",
    "lint_document", "lint_policy_text", "load_scenario", "load_scenario_text", "load_text",
    "matches_expectation", "parse_policy", "parse_request", "parse_requests", "parse_scenario", "parse_world",
    "parse_world_document", "question_key",
    "run_check", "run_checks", "validate_scenario",
]
