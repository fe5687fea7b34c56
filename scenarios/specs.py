"""The one translation point between Scenario rows and the engine's scenarios.

Parsed engine scenarios are cached per (row id, last update), so a Check does not re-read YAML.
"""

from __future__ import annotations

import json
from functools import lru_cache

from kmstrainer.engine import Positions, edit_target, parse_scenario
from kmstrainer.engine import Scenario as EngineScenario

from .models import Scenario


@lru_cache(maxsize=256)
def _parsed(pk: int, stamp: str, payload: str) -> EngineScenario:
    return parse_scenario(json.loads(payload), Positions(f"scenario {pk}"))


def engine_scenario(scenario: Scenario) -> EngineScenario:
    """The engine's view of a stored scenario."""
    payload = json.dumps(scenario.spec, sort_keys=True)
    return _parsed(scenario.pk or 0, str(scenario.updated_at), payload)


def find_world_key(world_data: dict, ref: str) -> dict | None:
    """A key of the world's data named by ARN, key id or alias."""
    for key in world_data.get("keys") or []:
        arn = key.get("arn", "")
        if ref in (arn, arn.rsplit("/", 1)[-1]) or ref in (key.get("aliases") or []):
            return key
    return None


def editable_targets(scenario: Scenario) -> list[dict]:
    """Every editable thing with a stable id, a label, its kind and its starting value."""
    world = scenario.spec.get("world") or {}
    out = []
    for index, entry in enumerate(scenario.editable):
        kind = entry["kind"]
        target = {"id": f"editor-{index}", "index": index, "kind": kind, "entry": entry, "key_arn": None}
        if kind in ("key_policy", "grants", "key_state"):
            key = find_world_key(world, entry["key"]) or {}
            target["key_arn"] = key.get("arn")
            target["key"] = key
            target["label"] = {"key_policy": "Key policy", "grants": "Grants", "key_state": "Key state"}[kind] + \
                f" of {entry['key']}"
            if kind == "key_policy":
                target["start"] = pretty(key.get("policy"))
            elif kind == "grants":
                target["start"] = list(key.get("grants") or [])
            else:
                target["start"] = key.get("state", "Enabled")
        elif kind == "identity_policy":
            principal = next((p for p in world.get("principals") or [] if p.get("arn") == entry["principal"]), {})
            doc = next((p.get("document") for p in principal.get("policies") or [] if p.get("name") == entry["name"]),
                       None)
            target["label"] = f"IAM policy {entry['name']} of {entry['principal'].split(':', 5)[-1]}"
            target["start"] = pretty(doc or {"Version": "2012-10-17", "Statement": []})
        else:  # scp / rcp
            org = world.get("organization") or {}
            holder = next((p for p in org.get(kind + "s") or [] if p.get("name") == entry["name"]), {})
            target["label"] = f"{kind.upper()} {entry['name']}"
            target["start"] = pretty(holder.get("document"))
        out.append(target)
    return out


def target_key(entry: dict) -> str:
    """A stable string for an edit's target: `key_policy|alias/reports`."""

    return "|".join(edit_target(entry))


def pretty(document) -> str:
    if document is None:
        return ""
    if isinstance(document, str):
        return document
    return json.dumps(document, indent=2)
