"""The learner's work on one scenario, made once per request and handed from the view to grading
and the template.

A `Draft` holds one value per editor of the scenario: a policy as the text the learner typed (or a
document, for a value never edited), a list of grants, or a key state. It is built from the starting
world, the learner's stored draft and, on a Check, the posted form; it gives the edits in the
contract's form for grading, and what `Progress.draft` keeps.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass

from kmstrainer.engine import Editor, EditKind
from kmstrainer.engine import Scenario as EngineScenario

from .models import Scenario
from .specs import engine_scenario


@dataclass(frozen=True)
class Draft:
    scenario: EngineScenario
    values: tuple  # one per editor, in the scenario's `editable` order

    @classmethod
    def of(cls, scenario: Scenario, stored: dict | None = None, form: Mapping | None = None) -> Draft:
        """The learner's draft: `form` (a posted Check) over `stored` (their saved draft) over the
        starting world. A policy or state editor the form carries is taken as typed."""
        engine = engine_scenario(scenario)
        stored = stored or {}
        values = []
        for editor in engine.editors():
            saved = stored.get(storage_key(editor)) or {}
            value = saved.get(editor.kind.value_field) if editor.kind.value_field in saved else editor.start
            if form is not None and editor.id in form and editor.kind != EditKind.GRANTS:
                value = str(form[editor.id])
            values.append(pretty(value) if editor.kind.is_policy else copy.deepcopy(value))
        return cls(engine, tuple(values))

    @property
    def editors(self) -> tuple[Editor, ...]:
        return self.scenario.editors()

    def editor(self, editor_id: str, kind: EditKind | None = None) -> Editor:
        """The editor with this id (and kind); LookupError for none."""
        for editor in self.editors:
            if editor.id == editor_id and kind in (None, editor.kind):
                return editor
        raise LookupError(editor_id)

    def value(self, editor: Editor):
        return self.values[editor.index]

    def text(self, editor: Editor) -> str:
        """A policy editor's text: as the learner typed it, or the starting document laid out as JSON."""
        return pretty(self.value(editor))

    def with_value(self, editor: Editor, value) -> Draft:
        values = list(self.values)
        values[editor.index] = value
        return Draft(self.scenario, tuple(values))

    def items(self) -> list[tuple[Editor, object]]:
        return list(zip(self.editors, self.values, strict=True))

    def edits(self) -> list[dict]:
        """Every editor's value as an edit in the contract's form, for grading and the Attempt."""
        return [editor.edit(value) for editor, value in self.items()]

    def stored(self) -> dict:
        """What `Progress.draft` keeps: each edit under its target's key, NUL shown as U+FFFD
        (PostgreSQL's text and JSON cannot hold NUL; the engine has refused it with its position)."""
        return {storage_key(editor): _storable(editor.edit(value)) for editor, value in self.items()}


def storage_key(editor: Editor) -> str:
    """A stable string for an editor's target: `key_policy|alias/reports`."""
    return "|".join(editor.target)


def pretty(document) -> str:
    """A document as indented JSON with its elements in AWS's order (Version, Statement; Sid, Effect,
    Principal, Action, Resource, Condition), whatever order the database kept them in; text as typed."""
    if document is None:
        return ""
    if isinstance(document, str):
        return document
    return json.dumps(_in_aws_order(document), indent=2)


#: The order AWS's documentation writes a policy's and a statement's elements in; other keys
#: (a grant's fields, condition keys) keep the order they came in.
_ELEMENT_ORDER = {name: i for i, name in enumerate((
    "Version", "Id", "Statement", "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource",
    "NotResource", "Condition"))}


def _in_aws_order(value):
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: _ELEMENT_ORDER.get(k, len(_ELEMENT_ORDER)))  # stable: others keep order
        return {k: _in_aws_order(value[k]) for k in keys}
    if isinstance(value, list):
        return [_in_aws_order(v) for v in value]
    return value


def _storable(value):
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {k: _storable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_storable(v) for v in value]
    return value
