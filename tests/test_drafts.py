"""A learner's draft: made once per request from the starting world, their saved draft and the form."""

from __future__ import annotations

import json

import pytest

from scenarios.drafts import Draft, storage_key

pytestmark = pytest.mark.django_db


def test_a_new_draft_starts_from_the_world_with_policies_as_json_text(example):
    draft = Draft.of(example)
    policy = draft.editors[0]
    assert json.loads(draft.text(policy))["Statement"][0]["Sid"] == "EnableIAMPolicies"
    assert draft.edits()[0]["kind"] == "key_policy" and isinstance(draft.edits()[0]["policy"], str)


def test_the_form_wins_over_the_saved_draft_which_wins_over_the_start(example):
    policy, identity = Draft.of(example).editors
    saved = {storage_key(policy): policy.edit("saved"), storage_key(identity): identity.edit("kept")}
    draft = Draft.of(example, saved, {"editor-0": "typed"})
    assert draft.values == ("typed", "kept")


def test_what_is_stored_reads_back_as_the_same_draft_with_nul_made_visible(example):
    draft = Draft.of(example, form={"editor-0": "bad\x00text"})
    again = Draft.of(example, draft.stored())
    assert again.values[0] == "bad\ufffdtext"
    assert again.values[1] == draft.values[1]


def test_a_draft_changes_only_by_a_new_value(example):
    draft = Draft.of(example)
    changed = draft.with_value(draft.editors[1], "{}")
    assert changed.values[1] == "{}" and draft.values[1] != "{}"


def test_an_unknown_editor_is_a_lookup_error(example):
    with pytest.raises(LookupError):
        Draft.of(example).editor("editor-9")
