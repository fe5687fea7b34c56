"""A scenario is valid only when its reference solves it and its questions have one key; each
problem says which field to fix, with a stable code."""

from __future__ import annotations

import copy

import yaml

from kmstrainer.engine import Positions, Problem, parse_scenario, validate_scenario
from tests.engine.conftest import EXAMPLE


def example() -> dict:
    with open(EXAMPLE, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def problems(data: dict) -> list[tuple[str, str]]:
    return [(p.code, p.field) for p in validate_scenario(parse_scenario(data, Positions("test"))).problems]


def test_the_example_scenario_is_valid():
    assert problems(example()) == []


def test_a_solution_that_fails_a_check_is_a_solution_problem_naming_the_check():
    data = example()
    starting_policy = data["world"]["keys"][0]["policy"]
    data["solution"] = [{"kind": "key_policy", "key": data["editable"][0]["key"], "policy": starting_policy}]
    found = validate_scenario(parse_scenario(data, Positions("test"))).problems
    assert ("solution-fails-check", "solution") in [(p.code, p.field) for p in found]
    assert any("the solution fails check `" in p.message for p in found)


def test_a_scenario_without_a_solution_says_so():
    data = example()
    del data["solution"]
    assert ("no-solution", "solution") in problems(data)


def test_a_question_with_two_correct_answers_is_a_questions_problem():
    data = example()
    question = data["questions"][0]
    question["options"] = question["options"] + copy.deepcopy(question["options"])  # every answer twice
    assert ("question-key", "questions") in problems(data)


def test_a_problem_reads_as_its_message():
    problem = Problem("nothing-to-do", "checks", "the starting world already passes every check")
    assert str(problem) == "the starting world already passes every check"
