"""Every check of the public conformance suite and of our golden cases, one pytest id each.

The suite runs through the same code as `python -m kmstrainer.engine test`, so a failing
conformance check fails `make test`.
"""

from __future__ import annotations

import glob
import os

import pytest

from kmstrainer.engine import load_scenario, run_checks
from kmstrainer.engine.scenario import describe_outcome

from .conftest import CASES, CONFORMANCE, CONFORMANCE_NEXT, require_conformance


def _files(folder: str) -> list[str]:
    return sorted(glob.glob(os.path.join(folder, "*.yaml")))


def _params(folder: str):
    for path in _files(folder):
        scenario = load_scenario(path)
        for check in scenario.checks:
            yield pytest.param(path, check.name, id=f"{os.path.basename(path)}::{check.name}")


def _run(path: str, name: str) -> None:
    scenario = load_scenario(path)
    outcome = next(o for o in run_checks(scenario, scenario.solution) if o.check.name == name)
    if not outcome.passed:
        step = outcome.failing
        codes = [r.code for r in step.result.reasons]
        pytest.fail(f"expected {step.step.expect}, got {describe_outcome(step.result)} {codes}: "
                    f"{step.result.message}")


def test_the_public_conformance_suite_is_present():
    require_conformance()
    assert len(_files(CONFORMANCE)) >= 10, f"expected the shared conformance cases in {CONFORMANCE}"


@pytest.mark.parametrize(("path", "name"), list(_params(CONFORMANCE)) + list(_params(CONFORMANCE_NEXT)))
def test_conformance_check_passes(path, name):
    _run(path, name)


def test_the_conformance_suite_for_the_new_kms_features_is_present():
    require_conformance(CONFORMANCE_NEXT)
    assert len(_files(CONFORMANCE_NEXT)) >= 4


@pytest.mark.parametrize(("path", "name"), list(_params(CASES)))
def test_golden_check_passes(path, name):
    _run(path, name)


def test_golden_cases_hold_at_least_150_checks():
    total = sum(len(load_scenario(p).checks) for p in _files(CASES))
    assert total >= 150


def test_every_engine_default_is_exercised_by_a_golden_case():
    text = "".join(open(p, encoding="utf-8").read() for p in _files(CASES))
    missing = [f"D{n}" for n in (*range(1, 20), 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31) if f"default D{n}\n" not in text and f"default D{n} " not in text]
    assert missing == []
