"""Golden cases pin their explanations, not only their outcomes: the codes, layers and statements."""

from __future__ import annotations

import pathlib

import pytest
import yaml

from tests.engine.reason_pins import CASES, companion, explanations

CASE_FILES = sorted(CASES.glob("*.yaml"), key=lambda p: p.name)


@pytest.mark.parametrize("case", CASE_FILES, ids=lambda p: p.stem)
def test_golden_cases_pin_their_explanations(case: pathlib.Path):
    pinned = yaml.safe_load(companion(case).read_text(encoding="utf-8"))
    assert explanations(case) == pinned


def test_every_golden_case_file_has_a_companion_and_no_companion_is_orphaned():
    assert sorted(p.name for p in companion(CASES / "x.yaml").parent.glob("*.yaml")) == [p.name for p in CASE_FILES]


def test_a_pin_names_the_layer_and_statement_that_decided():
    pinned = yaml.safe_load(companion(CASES / "grants.yaml").read_text(encoding="utf-8"))
    assert pinned["An IAM Deny beats a grant"] == [["identity-denies identity#1"]]
