"""The engine's command line (scenario-format.md): test, evaluate, validate, lint, grade, access."""

from __future__ import annotations

import argparse
import json
import os
import sys

from .errors import EngineInputError
from .lint import lint_policy_text
from .operations import Simulator
from .request import parse_requests
from .review import access_matrix, grade, review_warnings
from .scenario import describe_outcome, load_scenario, parse_edits, run_checks, validate_scenario
from .source import load_file
from .world_parser import parse_world_document

EXTENSIONS = (".yaml", ".yml", ".json")


def find_files(paths: list[str]) -> list[str]:
    """Files named directly, and every *.yaml / *.yml / *.json below named folders, sorted."""
    found = []
    for path in paths:
        if os.path.isdir(path):
            for root, _dirs, files in os.walk(path):
                found += [os.path.join(root, f) for f in files if f.endswith(EXTENSIONS)]
        else:
            found.append(path)
    return sorted(dict.fromkeys(found))


def _first_reason(result) -> str:
    if not result.reasons:
        return ""
    r = result.reasons[0]
    where = f" (statement {r.statement}{' ' + r.sid if r.sid else ''})" if r.statement else ""
    where = f" (grant {r.grant})" if r.grant else where
    return f"{r.code}{where}"


def cmd_test(args) -> int:
    passed = failed = 0
    invalid = False
    for path in find_files(args.paths):
        try:
            scenario = load_scenario(path)
            outcomes = run_checks(scenario, scenario.solution)
        except EngineInputError as exc:
            invalid = True
            print(f"ERROR {exc}")
            continue
        for o in outcomes:
            if o.passed:
                passed += 1
                print(f"PASS  {path}  {o.check.name}")
            else:
                failed += 1
                step = o.failing
                n = f" (step {o.steps.index(step) + 1})" if not o.check.single else ""
                print(f"FAIL  {path}  {o.check.name}{n}: expected {step.step.expect}, got "
                      f"{describe_outcome(step.result)}: {_first_reason(step.result)}")
                if args.verbose:
                    print("      " + step.result.message)
    print(f"{passed} passed, {failed} failed")
    if invalid:
        return 2
    return 1 if failed else 0


def cmd_validate(args) -> int:
    bad = 0
    for path in find_files(args.paths):
        try:
            scenario = load_scenario(path)
            validation = validate_scenario(scenario)
        except EngineInputError as exc:
            print(f"INVALID {exc}")
            bad += 1
            continue
        findings = lint_scenario_policies(scenario)
        for where, f in findings:
            print(f"  {f.severity:<16} {where}: {f.code}: {f.message}")
        errors = [p.message for p in validation.problems]
        errors += [f"{where}: {f.code}: {f.message}" for where, f in findings
                   if f.severity == "ERROR" and where.startswith("solution")]
        if errors:
            bad += 1
            print(f"INVALID {path}")
            for p in errors:
                print(f"  - {p}")
        else:
            extra = f", {len(validation.keys)} question(s) with one computed key" if validation.keys else ""
            print(f"VALID   {path} ({len(scenario.checks)} checks{extra})")
        for warning in review_warnings(scenario):
            print(f"  WARNING {warning}")
    return 1 if bad else 0


def lint_scenario_policies(scenario):
    """Lint findings for every key policy of the world and every policy of the solution."""
    from .lint import lint_document

    out = []
    world = scenario.world_data or {}
    docs = [(f"world key {k.get('arn')}", k.get("policy"), "key_policy") for k in world.get("keys") or []]
    for entry in scenario.solution or []:
        if entry["kind"] == "key_policy":
            docs.append((f"solution key policy {entry['key']}", entry["policy"], "key_policy"))
        elif entry["kind"] in ("identity_policy", "scp", "rcp"):
            kind = "identity" if entry["kind"] == "identity_policy" else entry["kind"]
            docs.append((f"solution {entry['kind']} {entry.get('name')}", entry["document"], kind))
    for where, doc, kind in docs:
        if doc is None:
            continue
        for f in lint_document(doc, kind=kind):
            out.append((where, f))
    return out


def cmd_evaluate(args) -> int:
    try:
        world = parse_world_document(*load_file(args.world))
        requests = parse_requests(*load_file(args.request))
    except EngineInputError as exc:
        print(f"ERROR {exc}", file=sys.stderr)
        return 2
    sim = Simulator(world)
    results = [sim.run(r) for r in requests]
    if args.json:
        if len(results) == 1:
            print(json.dumps(results[0].as_dict(), indent=2))
        else:
            print(json.dumps({"steps": [r.as_dict() for r in results]}, indent=2))
        return 0
    for r in results:
        print(f"{describe_outcome(r)}: {r.message}")
        for reason in r.reasons:
            print(f"  - [{reason.code}] {reason.text()}")
    return 0


def cmd_grade(args) -> int:
    """scenario-format §8: every check, then the access review; 0 solved, 1 not solved, 2 bad input."""
    try:
        scenario = load_scenario(args.scenario)
        edits = parse_edits(*load_file(args.edits), scenario)
    except EngineInputError as exc:
        print(f"ERROR {exc}", file=sys.stderr)
        return 2
    result = grade(scenario, edits)
    if args.json:
        print(json.dumps(result.as_dict(), indent=2))
        return 0 if result.solved else 1
    for o in result.outcomes:
        print(f"{'PASS' if o.passed else 'FAIL'}  {o.check.name}")
    review = result.review
    bounded = " (bounded: the probe budget was reached)" if review.bounded else ""
    print(f"review ({review.mode}): {review.probes} probes{bounded}, {len(review.over_grants)} over-grants, "
          f"{len(review.under_grants)} under-grants")
    for f in review.over_grants:
        blocking = "" if f in review.blocking else " (does not block)"
        by = f.allowed_by or {}
        where = f" by {by.get('layer')} statement {by.get('statement')}" if by.get("statement") else \
            f" by grant {by.get('grant')}" if by.get("grant") else ""
        print(f"  OVER  {f.cls:<10} {f.principal} kms:{f.action}{where}{blocking}")
    for f in review.under_grants:
        print(f"  UNDER {f.cls:<10} {f.principal} kms:{f.action}")
    print("SOLVED" if result.solved else "NOT SOLVED")
    return 0 if result.solved else 1


def cmd_access(args) -> int:
    """Who can do what with each key of a world (the playground's "who can use this key")."""
    try:
        world = parse_world_document(*load_file(args.world))
        keys = None
        if args.key:
            match = [arn for arn, k in world.keys.items() if args.key in (arn, k.key_id, *k.aliases)]
            if not match:
                raise EngineInputError(f"no key `{args.key}` in the world", file=args.world)
            keys = match[:1]
        cells = access_matrix(world, keys)
    except EngineInputError as exc:
        print(f"ERROR {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({"cells": [
            {"principal": c.principal, "action": f"kms:{c.action}", "key": c.key, "allowed": c.allowed,
             "class": c.cls, "by": c.by} for c in cells]}, indent=2))
        return 0
    for c in cells:
        if c.allowed:
            by = c.by or {}
            where = f"{by.get('layer')} statement {by.get('statement')}" if by.get("statement") else \
                f"grant {by.get('grant')}" if by.get("grant") else by.get("layer", "")
            print(f"ALLOW {c.cls:<10} {c.principal} kms:{c.action} on {c.key} ({where})")
    print(f"{sum(c.allowed for c in cells)} of {len(cells)} (principal, operation, key) allowed")
    return 0


def cmd_lint(args) -> int:
    try:
        with open(args.file, encoding="utf-8") as fh:
            text = fh.read()
    except OSError as exc:
        print(f"ERROR {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    findings = lint_policy_text(text, kind=args.kind, file=args.file)
    for f in findings:
        where = f"{args.file}:{f.line}:{f.column}" if f.line else args.file
        print(f"{f.severity:<16} {where} {f.path or '(policy)'}: {f.code}: {f.message}")
    errors = sum(1 for f in findings if f.severity == "ERROR")
    print(f"{len(findings)} findings, {errors} errors")
    return 1 if errors else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kmstrainer.engine",
                                     description="Offline AWS KMS authorization engine")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("test", help="run every check of scenario / test-case files")
    p.add_argument("paths", nargs="+")
    p.add_argument("-v", "--verbose", action="store_true", help="print the AWS message of failures")
    p.set_defaults(func=cmd_test)
    p = sub.add_parser("evaluate", help="run one request (or a steps list) against a world")
    p.add_argument("--world", required=True)
    p.add_argument("--request", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_evaluate)
    p = sub.add_parser("validate", help="validate scenario files (solution passes, world fails, keys)")
    p.add_argument("paths", nargs="+")
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("grade", help="grade a learner's edits: every check, then the access review")
    p.add_argument("scenario")
    p.add_argument("--edits", required=True, help="YAML/JSON list in the shape of the scenario's solution")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_grade)
    p = sub.add_parser("access", help="who can do what with each key of a world")
    p.add_argument("world")
    p.add_argument("--key")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_access)
    p = sub.add_parser("lint", help="lint one policy document")
    p.add_argument("file")
    p.add_argument("--kind", choices=("key_policy", "identity", "scp", "rcp", "auto"), default="auto")
    p.set_defaults(func=cmd_lint)
    args = parser.parse_args(argv)
    return args.func(args)
