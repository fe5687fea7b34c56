"""Plain factory functions with defaults (djangoproject.com style)."""

from __future__ import annotations

import copy

import yaml

from scenarios.models import Scenario

from .conftest import EXAMPLE


def make_scenario(**overrides) -> Scenario:
    """A published, valid scenario built from the shared example's data."""
    with open(EXAMPLE, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    spec = copy.deepcopy(data)
    slug = overrides.pop("slug", f"s-{Scenario.objects.count() + 1}")
    spec["id"] = slug
    fields = dict(slug=slug, title=overrides.pop("title", f"Scenario {slug}"), tip=overrides.pop("tip", "cross-account"),
                  difficulty=2, spec=spec, source="", question_keys=[[0, 1]], published=True, valid=True)
    fields.update(overrides)
    return Scenario.objects.create(**fields)
