"""The wildcard matcher agrees with a reference implementation and never backtracks badly."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kmstrainer.engine.conditions import ArnPattern
from kmstrainer.engine.wildcard import Glob, glob_match

ALPHABET = "ab:*?/"


def reference(pattern: str, value: str, ignore_case: bool = False) -> bool:
    """A plain backtracking regex: fine for the short strings hypothesis makes."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    return re.fullmatch(regex, value, flags) is not None


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=10), st.text(alphabet="ab:/AB", max_size=14))
def test_glob_agrees_with_the_reference(pattern, value):
    assert glob_match(pattern, value) == reference(pattern, value)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aAbB*?", max_size=8), st.text(alphabet="aAbB", max_size=10))
def test_case_insensitive_glob_agrees_with_the_reference(pattern, value):
    assert glob_match(pattern, value, ignore_case=True) == reference(pattern, value, ignore_case=True)


def test_literal_globs_treat_star_and_question_mark_as_text():
    assert Glob.literal("a*b").matches("a*b")
    assert not Glob.literal("a*b").matches("axxb")


def test_examples_from_iam_documentation():
    assert glob_match("kms:Generate*", "kms:GenerateDataKeyWithoutPlaintext")
    assert not glob_match("kms:Generate*", "kms:Decrypt")
    assert glob_match("reports/2026-??/*", "reports/2026-11/x.csv")
    assert not glob_match("reports/2026-??/*", "reports/2026-1/x.csv")


def test_arn_wildcards_stay_inside_their_segment():
    assert ArnPattern("arn:aws:iam::*:role/app-*", variables=False).matches("arn:aws:iam::111111111111:role/app-x", {})
    assert not ArnPattern("arn:aws:iam::1*:role/x", variables=False).matches("arn:aws:iam::1:2:role/x", {})


def test_an_adversarial_pattern_is_matched_without_backtracking(monkeypatch):
    """Each literal segment is searched once, left to right, whatever the value; speed itself is
    measured by bench/engine_bench.py, not asserted here."""
    from kmstrainer.engine import wildcard

    calls = []
    original = wildcard._Segment.find_from

    def counting(self, value, pos, end):
        calls.append(pos)
        return original(self, value, pos, end)

    monkeypatch.setattr(wildcard._Segment, "find_from", counting)
    glob = Glob.compile("*a*a*a*a*a*a*b")
    for value in ("a" * 10_000 + "b", ("ab" * 5_000)[:-1] + "c", "a" * 9_999 + "b"):
        calls.clear()
        glob.matches(value)
        assert len(calls) <= 6  # the six middle `a` segments, at most once each
