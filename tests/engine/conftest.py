"""Engine tests need no database."""

from __future__ import annotations

import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
CASES = os.path.join(ROOT, "tests", "engine", "cases")
CONFORMANCE = os.path.join(SHARED, "conformance")
EXAMPLE = os.path.join(SHARED, "examples", "cross-account-reports.yaml")


@pytest.fixture
def example_path() -> str:
    return EXAMPLE
