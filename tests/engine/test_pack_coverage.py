"""The scenario pack covers what the exams ask, in the numbers content v2 promises.

Counts come from the shipped YAML, so a scenario or question removed by mistake fails here.
"""

from __future__ import annotations

import collections
import functools
import pathlib

import pytest
import yaml

from docs.make_pack_map import MAP, load_pack, render

EXAM_TIPS = ("cross-account", "grants-vs-key-policies", "root-access-lockout", "service-linked-roles",
             "condition-keys", "key-deletion-and-grants", "eventual-consistency", "organizations")
BASICS_TIPS = ("key-policy-basics", "grant-basics", "best-practices")
#: topic -> the `topics:` tags that count for it (kms-semantics §12-§17 and the seed's thin sections)
TOPICS = {
    "imported key material": {"imported-key-material"},
    "key rotation": {"key-rotation"},
    "multi-Region keys": {"multi-region-keys"},
    "custom key stores": {"custom-key-stores"},
    "asymmetric keys": {"asymmetric-keys"},
    "HMAC keys": {"hmac-keys"},
}
ONE_EACH = {
    "organization-wide keys": {"aws:PrincipalOrgID"},
    "encrypted snapshots and AMIs": {"snapshots-and-amis"},
    "Secrets Manager": {"secrets-manager"},
    "S3 Bucket Keys": {"s3-bucket-keys"},
    "grants services create": {"service-grants"},
    "centralized keys": {"centralized-keys"},
}


@functools.cache
def scenarios() -> tuple[dict, ...]:
    return tuple(load_pack())


def questions() -> list[tuple[dict, dict]]:
    return [(s, q) for s in scenarios() for q in s.get("questions") or []]


def test_the_pack_has_at_least_48_scenarios():
    assert len(scenarios()) >= 48


def test_every_exam_tip_has_four_scenarios_and_every_basics_tip_three():
    per_tip = collections.Counter(s["tip"] for s in scenarios())
    assert {t: per_tip[t] for t in EXAM_TIPS if per_tip[t] < 4} == {}
    assert {t: per_tip[t] for t in BASICS_TIPS if per_tip[t] < 3} == {}


@pytest.mark.parametrize("topic", sorted(TOPICS))
def test_each_new_kms_feature_has_two_scenarios(topic):
    assert len([s for s in scenarios() if TOPICS[topic] & set(s.get("topics", []))]) >= 2


@pytest.mark.parametrize("topic", sorted(ONE_EACH))
def test_each_exam_topic_of_the_seed_has_a_scenario(topic):
    assert any(ONE_EACH[topic] & set(s.get("topics", [])) for s in scenarios())


def test_there_are_at_least_100_questions():
    assert len(questions()) >= 100


def test_at_least_30_percent_of_questions_have_professional_length_stems():
    long = [q for _, q in questions() if len(q["prompt"].split()) >= 70]
    assert len(long) / len(questions()) >= 0.30


def test_at_least_15_percent_of_questions_are_select_two_or_three():
    multi = [q for _, q in questions() if q.get("choose", 1) >= 2]
    assert len(multi) / len(questions()) >= 0.15


def test_every_option_says_why_and_every_question_has_sources():
    missing_why = [(s["id"], o["text"]) for s, q in questions() for o in q["options"] if not o.get("why")]
    unsourced = [(s["id"], q["prompt"][:40]) for s, q in questions() if not (q.get("sources") or s.get("sources"))]
    assert missing_why == [] and unsourced == []


def test_no_distractor_teaches_a_grant_expiry_that_does_not_exist():
    texts = [o["text"] for _, q in questions() for o in q["options"]]
    assert not [t for t in texts if "24 hour" in t or "24-hour" in t]


def test_the_pack_map_in_docs_is_current():
    assert MAP.read_text(encoding="utf-8") == render(), "run: python -m docs.make_pack_map"


def test_no_text_in_the_pack_is_cut_short_by_a_yaml_comment():
    """A plain (unquoted) YAML value ends at ` #`: "the PKCS #11 library" would reach learners as "the PKCS".
    Prose (a value with spaces) followed by a comment is what that looks like; `hidden: true  # note` is fine."""
    cut = []
    for path in sorted(pathlib.Path("scenarios/content").glob("*.yaml")):
        text = path.read_text()
        lines = text.splitlines()
        for token in yaml.scan(text):
            if isinstance(token, yaml.ScalarToken) and token.plain:
                rest = lines[token.end_mark.line][token.end_mark.column:] if token.end_mark.line < len(lines) else ""
                if " " in token.value and rest.lstrip().startswith("#"):
                    cut.append(f"{path.name}:{token.end_mark.line + 1}: {token.value!r} is followed by {rest.strip()!r}")
    assert not cut, "\n".join(cut)
