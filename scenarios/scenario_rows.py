"""The one place a scenario's data becomes a row, and a row becomes a file again.

The loader, the admin (save, import, duplicate, export), `validatescenarios --update` and
`exportscenarios` all go through these functions, so a row's fields are always derived from its
data the same way, and an invalid scenario is never left published.
"""

from __future__ import annotations

from dataclasses import dataclass

from kmstrainer.engine import EngineInputError, load_text

from .authoring import dump_yaml
from .models import Scenario


@dataclass(frozen=True)
class LoadedSpec:
    """A scenario file's text and data, validated by the engine: its problems (none when valid) and
    the correct options of each question."""

    path: str
    source: str
    data: dict
    question_keys: list[list[int]]
    problems: list[str]


def spec_fields(spec: LoadedSpec) -> dict:
    """A row's fields from a validated scenario file (everything but `slug` and `published`)."""
    data = spec.data
    return {
        "title": data.get("title") or data["id"],
        "tip": data.get("tip") or "best-practices",
        "difficulty": data.get("difficulty") or 1,
        "topics": data.get("topics") or [],
        "story": data.get("story") or "",
        "task": data.get("task") or "",
        "explanation": data.get("explanation") or "",
        "spec": data,
        "source": spec.source,
        "question_keys": spec.question_keys,
        "valid": not spec.problems,
        "problems": spec.problems,
    }


def apply_spec(obj: Scenario, spec: LoadedSpec) -> bool:
    """Set the row's fields from `spec` (not saved); an invalid spec unpublishes. True if anything changed."""
    values = spec_fields(spec)
    changed = any(getattr(obj, k) != v for k, v in values.items())
    for name, value in values.items():
        setattr(obj, name, value)
    if not obj.valid and obj.published:
        obj.published, changed = False, True
    return changed


def scenario_upsert(spec: LoadedSpec, *, publish: bool = False) -> tuple[Scenario, bool]:
    """Create the row for `spec` (published if `publish` and valid) or update the row with its id;
    (row, created). An update saves only when something changed and never publishes."""
    existing = Scenario.objects.filter(slug=spec.data["id"]).first()
    if existing is None:
        values = spec_fields(spec)
        return Scenario.objects.create(slug=spec.data["id"], published=publish and values["valid"], **values), True
    if apply_spec(existing, spec):
        existing.save()
    return existing, False


def mark_unreadable(obj: Scenario, problems: list[str]) -> None:
    """A stored scenario whose text no longer loads: invalid, unpublished, with the reasons."""
    obj.valid, obj.problems, obj.published = False, problems, False
    obj.save(update_fields=["valid", "problems", "published", "updated_at"])


def scenario_duplicate(obj: Scenario) -> Scenario:
    """A draft copy of a scenario under a free `<slug>-copy[-n]` id."""
    slug, n = f"{obj.slug}-copy", 2
    while Scenario.objects.filter(slug=slug).exists():
        slug, n = f"{obj.slug}-copy-{n}", n + 1
    data = dict(obj.spec, id=slug, title=f"{obj.title} (copy)")
    spec = LoadedSpec(slug, dump_yaml(data), data, obj.question_keys, obj.problems)
    return Scenario.objects.create(slug=slug, published=False, **spec_fields(spec))


def scenario_export(obj: Scenario) -> str:
    """The scenario as YAML: the author's own text when it still says the same thing."""
    if obj.source:
        try:
            if load_text(obj.source)[0] == obj.spec:
                return obj.source
        except EngineInputError:
            pass
    return dump_yaml(obj.spec)
