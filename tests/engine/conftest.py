"""Engine tests need no database."""

from __future__ import annotations

import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
CASES = os.path.join(ROOT, "tests", "engine", "cases")
EXAMPLE = os.path.join(ROOT, "tests", "fixtures", "cross-account-reports.yaml")
# The public conformance suite lives beside the repository (CI has it; a user's clone does not).
CONFORMANCE = os.path.join(SHARED, "conformance")
CONFORMANCE_NEXT = os.path.join(SHARED, "conformance-next")


def conformance_present(folder: str = CONFORMANCE) -> bool:
    return os.path.isdir(folder)


def require_conformance(folder: str = CONFORMANCE) -> None:
    """Skip when the public suite is not beside the repository; in CI its absence is a failure."""
    if conformance_present(folder):
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI must have the public conformance suite at {folder}")
    pytest.skip(f"the public conformance suite is not at {folder} (it is beside the repository in CI)")


@pytest.fixture
def example_path() -> str:
    return EXAMPLE
