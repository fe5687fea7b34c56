from __future__ import annotations

import io
import os

import pytest
from django.core.management import CommandError, call_command

from scenarios.models import Scenario

from .conftest import EXAMPLE

pytestmark = pytest.mark.django_db


def load(*paths):
    out = io.StringIO()
    call_command("loadscenarios", *paths, stdout=out)
    return out.getvalue()


def test_loading_is_idempotent(tmp_path):
    assert "1 new" in load(EXAMPLE)
    assert "0 new" in load(EXAMPLE)
    scenario = Scenario.objects.get()
    assert scenario.valid and scenario.published and scenario.question_keys == [[0, 1]]


def test_an_invalid_file_is_refused_with_file_line_and_key_and_nothing_is_loaded(tmp_path):
    good = tmp_path / "a-good.yaml"
    good.write_text(open(EXAMPLE, encoding="utf-8").read())
    bad = tmp_path / "b-bad.yaml"
    bad.write_text(open(EXAMPLE, encoding="utf-8").read().replace("difficulty: 2", "difficulty: 2\ncolour: red"))
    with pytest.raises(CommandError) as info:
        load(str(tmp_path))
    assert f"{bad}:8:1" in str(info.value) and "`colour`" in str(info.value)
    assert Scenario.objects.count() == 0


def test_a_scenario_whose_solution_fails_is_refused(tmp_path):
    text = open(EXAMPLE, encoding="utf-8").read().replace("Condition:\n            StringEquals: "
                                                         "{\"kms:EncryptionContext:Department\": Finance}", "")
    bad = tmp_path / "s.yaml"
    bad.write_text(text)
    with pytest.raises(CommandError) as info:
        load(str(bad))
    assert "the solution fails check" in str(info.value)
    assert Scenario.objects.count() == 0


def test_the_shipped_pack_loads(settings):
    assert os.listdir(settings.SCENARIO_CONTENT_DIR)
    out = load()
    assert "loaded" in out and Scenario.objects.published().count() >= 8
