"""A check shares the scenario's world until a step could change it (copy on write). Every check of
the golden cases and of the pack, on the starting world and with the reference solution, gives the
same outcome as on a private copy, and leaves the shared world as it found it."""

from __future__ import annotations

import glob
import os

import pytest

from kmstrainer.engine import Simulator, load_scenario, world_with
from kmstrainer.engine.results import matches_expectation
from kmstrainer.engine.scenario import run_check

from .conftest import CASES

PACK = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                    "scenarios", "content")
FILES = sorted(glob.glob(os.path.join(CASES, "*.yaml"))) + sorted(glob.glob(os.path.join(PACK, "*.yaml")))


def on_a_private_copy(world, check) -> list[tuple[str, str | None, bool]]:
    """The check run the old way, on a full copy, step by step until the first failure."""
    sim = Simulator(world.copy())
    out = []
    for step in check.steps:
        result = sim.run(step.request) if not step.templated else None
        if result is None:
            return []  # templated steps are compared through run_check alone
        passed = matches_expectation(result, step.expect)
        out.append((result.outcome, result.decision, passed))
        if not passed:
            break
    return out


def worlds(path: str):
    scenario = load_scenario(path)
    yield "start", scenario, scenario.world
    if scenario.solution:
        yield "solution", scenario, world_with(scenario, scenario.solution)


@pytest.mark.parametrize("path", FILES, ids=os.path.basename)
def test_checks_on_a_shared_world_match_a_private_copy_and_leave_it_unchanged(path):
    for label, scenario, world in worlds(path):
        before = world.copy()
        for check in scenario.checks:
            outcome = run_check(world, check)
            shared = [(s.result.outcome, s.result.decision, s.passed) for s in outcome.steps]
            expected = on_a_private_copy(world, check)
            if expected:
                assert shared == expected, f"{label}: {check.name}"
            assert world.keys == before.keys, f"{label}: {check.name} changed the shared world's keys"
            assert world.tokens == before.tokens and world.counter == before.counter, f"{label}: {check.name}"
            assert {arn: p.policies for arn, p in world.principals.items()} == {
                arn: p.policies for arn, p in before.principals.items()}, f"{label}: {check.name}"
