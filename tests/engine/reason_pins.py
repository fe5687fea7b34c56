"""The explanation each golden case must give: reason codes with the layer and statement they name.

A companion file per topic, `reason-pins/<topic>.yaml`, maps each check name to one line per step:
`code layer#statement` (or `code grant:<id>`, or the bare code), in the order the engine gives them.
`test_golden_cases_pin_their_explanations` compares; after a deliberate change to an explanation, run
`python -m tests.engine.reason_pins` to rewrite the companions, and read the diff before committing it.
"""

from __future__ import annotations

import pathlib

import yaml

from kmstrainer.engine import Reason, load_scenario, run_checks

CASES = pathlib.Path(__file__).parent / "cases"
PINS = pathlib.Path(__file__).parent / "reason-pins"


def pin(reason: Reason) -> str:
    where = ""
    if reason.grant is not None:
        where = f" grant:{reason.grant}"
    elif reason.layer:
        where = f" {reason.layer}" + (f"#{reason.statement}" if reason.statement is not None else "")
    return f"{reason.code}{where}"


def explanations(case: pathlib.Path) -> dict[str, list[list[str]]]:
    """What the engine explains today for every check of a golden case file."""
    scenario = load_scenario(str(case))
    return {o.check.name: [[pin(r) for r in s.result.reasons] for s in o.steps]
            for o in run_checks(scenario, scenario.solution)}


def companion(case: pathlib.Path) -> pathlib.Path:
    return PINS / case.name


def write_all() -> None:
    for case in sorted(CASES.glob("*.yaml")):
        text = yaml.safe_dump(explanations(case), sort_keys=False, allow_unicode=True, width=120)
        companion(case).write_text(f"# Reason pins for cases/{case.name} (see tests/engine/reason_pins.py)\n{text}",
                                   encoding="utf-8")


if __name__ == "__main__":
    write_all()
