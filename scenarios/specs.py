"""The one translation point between Scenario rows and the engine's scenarios.

Parsed engine scenarios are cached per (row id, last update), so a Check does not re-read YAML.
"""

from __future__ import annotations

import json
from functools import lru_cache

from kmstrainer.engine import Positions, parse_scenario
from kmstrainer.engine import Scenario as EngineScenario

from .models import Scenario


@lru_cache(maxsize=256)
def _parsed(pk: int, stamp: str, payload: str) -> EngineScenario:
    return parse_scenario(json.loads(payload), Positions(f"scenario {pk}"))


def engine_scenario(scenario: Scenario) -> EngineScenario:
    """The engine's view of a stored scenario."""
    payload = json.dumps(scenario.spec)  # in the stored order: the editors start from the author's layout
    return _parsed(scenario.pk or 0, str(scenario.updated_at), payload)
