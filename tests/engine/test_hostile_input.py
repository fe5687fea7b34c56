"""Hostile documents are refused at the boundary, with a position, at no cost to the server."""

from __future__ import annotations

import resource

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kmstrainer.engine import EngineInputError, lint_policy_text, load_text, parse_world_document


def alias_bomb(levels: int) -> str:
    """The "billion laughs": each level a list of nine aliases of the one before."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def refusal(text: str) -> EngineInputError:
    with pytest.raises(EngineInputError) as info:
        load_text(text, file="doc.yaml")
    return info.value


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.parametrize("levels", [7, 8])
def test_an_alias_bomb_is_refused_at_its_first_alias_without_growing_memory(levels):
    before = peak_mb()
    error = refusal(alias_bomb(levels))
    assert "aliases" in error.message and (error.file, error.line, error.column) == ("doc.yaml", 2, 10)
    assert peak_mb() - before < 100


@pytest.mark.parametrize("text", ["[" * 100_000 + "]" * 100_000, "{\"a\":" * 10_000 + "1" + "}" * 10_000,
                                  "a:\n" + "".join(" " * (i + 1) + "b:\n" for i in range(200))])
def test_nesting_beyond_the_budget_is_refused_with_a_position(text):
    error = refusal(text)
    assert "nested more than 64 levels" in error.message and error.line is not None


def test_a_document_over_the_size_budget_is_refused_before_it_is_parsed():
    error = refusal("a: [" + "1," * 300_000 + "1]")
    assert error.code == "input.too_large" and "524,288" in error.message


@pytest.mark.parametrize(("text", "words"), [
    ("at: " + "9" * 5000, "too large"),
    ('{"at": ' + "9" * 5000 + "}", "too large"),
    ("at: .inf", "out of range"),
    ('{"at": 1e400}', "out of range"),
    ('{"at": Infinity}', "not a number"),
    ('Sid: "a\\0b"', "NUL"),
    ('{"Sid": "a\\u0000b"}', "NUL"),
    ('{"Sid": "\\ud800"}', "surrogate"),
    ("a: !!binary aGVsbG8=", "tag"),
    ("a: !!python/object:os.system x", "tag"),
])
def test_values_a_policy_cannot_hold_are_refused_where_they_stand(text, words):
    error = refusal(text)
    assert words in error.message and error.line is not None


def test_unquoted_dates_stay_the_text_the_author_typed_even_impossible_ones():
    data, _ = load_text("a: 2026-13-45\nb: 2026-01-02T10:00:00Z\n")
    assert data == {"a": "2026-13-45", "b": "2026-01-02T10:00:00Z"}


def test_a_lone_surrogate_in_yaml_is_a_positioned_syntax_error():
    error = refusal('Sid: "\\ud800"')
    assert error.code == "input.yaml_syntax" and (error.line, error.column) == (1, 9)


def test_a_simulation_time_beyond_a_century_is_refused_by_name():
    text = "keys: []\n"
    parse_world_document(*load_text(text))
    from kmstrainer.engine import parse_requests

    with pytest.raises(EngineInputError) as info:
        parse_requests(*load_text("principal: arn:aws:iam::111111111111:root\naction: kms:ListKeys\nat: 900000000000\n"))
    assert "too far ahead" in info.value.message and info.value.line == 3


def test_the_linter_reports_a_bomb_as_an_input_finding():
    [finding] = lint_policy_text(alias_bomb(8))
    assert finding.code == "input.refused" and finding.line == 2


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_either_read_or_refused_with_an_engine_error(text):
    try:
        load_text(text)
    except EngineInputError:
        pass


def test_a_yaml_flow_mapping_is_read_as_yaml_and_broken_json_still_gets_its_json_position():
    data, _ = load_text("{principal: arn:aws:iam::111111111111:root, action: kms:ListKeys}")
    assert data == {"principal": "arn:aws:iam::111111111111:root", "action": "kms:ListKeys"}
    error = refusal('{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow",}\n  ]\n}')
    assert error.code == "input.json_syntax" and (error.line, error.column) == (4, 24)
