"""Scenario rows: every writer derives a row from its data the same way; invalid is never published."""

from __future__ import annotations

import pytest
import yaml

from scenarios.loader import read_spec
from scenarios.models import Scenario
from scenarios.scenario_rows import (
    apply_spec, mark_unreadable, scenario_duplicate, scenario_export, scenario_upsert,
)
from tests.conftest import EXAMPLE

pytestmark = pytest.mark.django_db


def example_text() -> str:
    with open(EXAMPLE, encoding="utf-8") as fh:
        return fh.read()


def broken_text() -> str:
    """The example with a check the solution fails: loadable, but not valid."""
    data = yaml.safe_load(example_text())
    data["checks"][0]["expect"] = "deny" if data["checks"][0]["expect"] == "allow" else "allow"
    return yaml.safe_dump(data, sort_keys=False)


def test_a_new_valid_scenario_is_created_published_only_when_asked():
    row, created = scenario_upsert(read_spec("example.yaml", text=example_text()), publish=True)
    assert created and row.published and row.valid
    assert row.title == row.spec["title"] and row.source == example_text()


def test_an_invalid_file_is_saved_as_an_unpublished_draft_with_its_problems():
    row, _ = scenario_upsert(read_spec("example.yaml", text=broken_text()), publish=True)
    assert not row.valid and not row.published and row.problems


def test_an_update_that_makes_a_scenario_invalid_unpublishes_it():
    scenario_upsert(read_spec("example.yaml", text=example_text()), publish=True)
    row, created = scenario_upsert(read_spec("example.yaml", text=broken_text()), publish=True)
    assert not created and not row.published
    assert Scenario.objects.get(slug=row.slug).published is False


def test_an_unchanged_file_does_not_rewrite_the_row():
    row, _ = scenario_upsert(read_spec("example.yaml", text=example_text()), publish=True)
    stamp = row.updated_at
    again, _ = scenario_upsert(read_spec("example.yaml", text=example_text()))
    assert again.updated_at == stamp


def test_apply_spec_reports_whether_anything_changed():
    row, _ = scenario_upsert(read_spec("example.yaml", text=example_text()), publish=True)
    assert apply_spec(row, read_spec("example.yaml", text=example_text())) is False
    assert apply_spec(row, read_spec("example.yaml", text=broken_text())) is True


def test_a_duplicate_is_a_draft_under_a_free_id_and_says_so_in_its_data():
    row, _ = scenario_upsert(read_spec("example.yaml", text=example_text()), publish=True)
    first, second = scenario_duplicate(row), scenario_duplicate(row)
    assert (first.slug, second.slug) == (f"{row.slug}-copy", f"{row.slug}-copy-2")
    assert not first.published and first.spec["id"] == first.slug and yaml.safe_load(first.source)["id"] == first.slug


def test_export_keeps_the_authors_text_while_it_says_the_same_thing():
    row, _ = scenario_upsert(read_spec("example.yaml", text=example_text()), publish=True)
    assert scenario_export(row) == example_text()
    row.spec = dict(row.spec, title="Changed")
    assert yaml.safe_load(scenario_export(row))["title"] == "Changed"


def test_a_scenario_whose_text_no_longer_loads_is_unpublished_with_the_reason():
    row, _ = scenario_upsert(read_spec("example.yaml", text=example_text()), publish=True)
    mark_unreadable(row, ["line 3: bad"])
    row.refresh_from_db()
    assert (row.valid, row.published, row.problems) == (False, False, ["line 3: bad"])
