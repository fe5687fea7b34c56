"""Loading scenario files into the database: validated by the engine, all or nothing."""

from __future__ import annotations

import glob
import os
from django.db import transaction

from kmstrainer.engine import EngineInputError, load_scenario_text, validate_scenario

from .models import Scenario
from .scenario_rows import LoadedSpec, scenario_upsert


class ScenarioFileError(Exception):
    """A scenario file that cannot be loaded; the message names file, line and key."""


def read_spec(path: str, *, text: str | None = None) -> LoadedSpec:
    """Parse and validate one file with the engine."""
    if text is None:
        try:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise ScenarioFileError(f"{path}: cannot read: {exc}") from None
    try:
        scenario = load_scenario_text(text, file=path)
        validation = validate_scenario(scenario)
    except EngineInputError as exc:
        raise ScenarioFileError(str(exc)) from None
    keys = [list(k.correct[0]) if k.valid else [] for k in validation.keys]
    return LoadedSpec(path, text, scenario.data, keys, [p.message for p in validation.problems])


def scenario_files(folder: str) -> list[str]:
    if os.path.isfile(folder):
        return [folder]
    return sorted(glob.glob(os.path.join(folder, "*.yaml")) + glob.glob(os.path.join(folder, "*.yml")))


@transaction.atomic
def load_scenarios(paths: list[str], *, publish: bool = True, strict: bool = True) -> list[tuple[Scenario, bool]]:
    """Upsert every scenario file; any invalid file refuses the whole load (nothing half-loaded)."""
    specs = [read_spec(p) for p in paths]
    if strict:
        bad = [f"{s.path}: " + "; ".join(s.problems) for s in specs if s.problems]
        if bad:
            raise ScenarioFileError("invalid scenario(s):\n" + "\n".join(bad))
    seen: dict[str, str] = {}
    for s in specs:
        if s.data["id"] in seen:
            raise ScenarioFileError(f"{s.path}: id `{s.data['id']}` is also used by {seen[s.data['id']]}")
        seen[s.data["id"]] = s.path
    return [scenario_upsert(s, publish=publish) for s in specs]
