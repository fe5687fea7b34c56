"""Edits (scenario-format.md §4): what a scenario lets the learner change, and changing it.

`Editor` is one editable thing of a scenario, with its starting value, as the app shows it;
`editors_of` lists them. `apply_edits` gives a copy of a world's data with edits applied;
`allowed_edits` keeps only the edits of what `editable` lists.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from .errors import EngineInputError
from .source import Positions
from .vocabulary import EditKind, Layer
from .world import World

EDIT_KINDS = {kind.value: (kind.names, kind.value_field) for kind in EditKind}
_KEY_LABELS = {EditKind.KEY_POLICY: "Key policy", EditKind.GRANTS: "Grants", EditKind.KEY_STATE: "Key state"}
_EMPTY_POLICY = {"Version": "2012-10-17", "Statement": []}


def edit_target(entry: dict) -> tuple:
    """What an edit or an `editable` entry names: `("key_policy", "alias/reports")`."""
    targets, _ = EDIT_KINDS[entry["kind"]]
    return (entry["kind"],) + tuple(entry[t] for t in targets)


def find_key(world_data: dict, ref: str) -> dict | None:
    """The key of a world's data named by its ARN, its key id, one of its aliases or an alias ARN."""
    for key in world_data.get("keys") or []:
        arn = key.get("arn", "")
        aliases = key.get("aliases") or []
        if ref == arn or (arn and ref == arn.rsplit("/", 1)[-1]) or ref in aliases \
                or any(ref.endswith(":" + alias) for alias in aliases):
            return key
    return None


@dataclass(frozen=True, slots=True)
class Editor:
    """One thing a scenario lets the learner edit, with its starting value (a policy document or
    None, a list of grants, or a key state) and where it sits in the world."""

    index: int
    kind: EditKind
    entry: tuple[tuple[str, str], ...]  # the `editable` entry's naming fields, (("kind", ...), ("key", ...))
    label: str
    start: object
    key_arn: str | None = None
    grant_operations: tuple[str, ...] = ()  # a grants editor: what the key's type lets a grant allow

    @property
    def id(self) -> str:
        """The editor's form field name and HTML id."""
        return f"editor-{self.index}"

    @property
    def target(self) -> tuple:
        return edit_target(dict(self.entry))

    @property
    def name(self) -> str | None:
        """The policy's name (an IAM policy, an SCP or an RCP); None for a key's editors."""
        return dict(self.entry).get("name")

    def edit(self, value) -> dict:
        """The edit, in the contract's form, that sets this editor to `value`."""
        return {**dict(self.entry), self.kind.value_field: value}

    def holds(self, layer: str | None, policy: str | None, key_arn: str | None) -> bool:
        """Whether a statement or grant of `layer` (policy name, key) named by a reason is in this editor."""
        match self.kind:
            case EditKind.KEY_POLICY:
                return layer == Layer.KEY_POLICY and self.key_arn == key_arn
            case EditKind.GRANTS:
                return layer == Layer.GRANT and self.key_arn == key_arn
            case EditKind.IDENTITY_POLICY:
                return layer == Layer.IDENTITY and self.name == policy
            case EditKind.SCP | EditKind.RCP:
                return layer == self.kind.value and self.name == policy
        return False


def editors_of(editable: list[dict], world_data: dict, world: World) -> tuple[Editor, ...]:
    """The scenario's editors, in `editable` order, each with its starting value from the world's
    data (and, for grants, the operations the parsed key supports)."""
    return tuple(_editor(i, entry, world_data or {}, world) for i, entry in enumerate(editable))


def _editor(index: int, entry: dict, world_data: dict, parsed: World) -> Editor:
    kind = EditKind(entry["kind"])
    naming = (("kind", kind.value),) + tuple((name, entry[name]) for name in kind.names)
    if kind in _KEY_LABELS:
        key = find_key(world_data, entry["key"]) or {}
        start = {EditKind.KEY_POLICY: key.get("policy"), EditKind.GRANTS: list(key.get("grants") or []),
                 EditKind.KEY_STATE: key.get("state", "Enabled")}[kind]
        parsed_key = parsed.keys.get(key.get("arn", ""))
        operations = parsed_key.grant_operations if kind == EditKind.GRANTS and parsed_key else ()
        return Editor(index, kind, naming, f"{_KEY_LABELS[kind]} of {entry['key']}", start, key.get("arn"),
                      operations)
    if kind == EditKind.IDENTITY_POLICY:
        principal = next((p for p in world_data.get("principals") or [] if p.get("arn") == entry["principal"]), {})
        document = next((p.get("document") for p in principal.get("policies") or [] if p.get("name") == entry["name"]),
                        None)
        label = f"IAM policy {entry['name']} of {entry['principal'].split(':', 5)[-1]}"
        return Editor(index, kind, naming, label, document or _EMPTY_POLICY)
    holders = (world_data.get("organization") or {}).get(kind.value + "s") or []
    document = next((p.get("document") for p in holders if p.get("name") == entry["name"]), None)
    return Editor(index, kind, naming, f"{kind.value.upper()} {entry['name']}", document)


def apply_edits(world_data: dict, edits: list[dict], positions: Positions | None = None) -> dict:
    """A copy of `world_data` with the edits applied (scenario-format.md §4)."""
    world = copy.deepcopy(world_data) if world_data else {}
    for edit in edits:
        _apply_edit(world, edit, positions)
    return world


def _apply_edit(world: dict, edit: dict, positions: Positions | None) -> None:
    kind = edit["kind"]

    def fail(message: str) -> EngineInputError:
        return EngineInputError(message, code="scenario.bad_edit", file=positions.file if positions else None)

    if kind in ("key_policy", "grants", "key_state"):
        key = find_key(world, edit["key"])
        if key is None:
            raise fail(f"the {kind} edit names key `{edit['key']}`, which is not in the world")
        if kind == "key_policy":
            _edit_document(key, "policy", edit, fail)
        elif kind == "key_state":
            key["state"] = edit["state"]
        else:
            grants = key.setdefault("grants", [])
            if "grants" in edit:
                key["grants"] = copy.deepcopy(edit["grants"] or [])
            elif "add_grant" in edit:
                grants.append(copy.deepcopy(edit["add_grant"]))
            elif "remove_grant" in edit:
                key["grants"] = [g for g in grants if g.get("id") != edit["remove_grant"]]
            else:
                raise fail("a grants edit takes `grants`, `add_grant` or `remove_grant`")
        return
    if kind == "identity_policy":
        principals = world.setdefault("principals", [])
        entry = next((p for p in principals if p.get("arn") == edit["principal"]), None)
        if entry is None:
            entry = {"arn": edit["principal"]}
            principals.append(entry)
        policies = entry.setdefault("policies", [])
        holder = next((p for p in policies if p.get("name") == edit["name"]), None)
        if holder is None:
            holder = {"name": edit["name"], "document": None}
            policies.append(holder)
        _edit_document(holder, "document", edit, fail)
        if holder["document"] is None:
            policies.remove(holder)
        return
    org = world.get("organization") or {}
    group = org.get(kind + "s") or []
    holder = next((p for p in group if p.get("name") == edit["name"]), None)
    if holder is None:
        raise fail(f"the {kind} edit names `{edit['name']}`, which is not in the organization")
    _edit_document(holder, "document", edit, fail)


def _edit_document(holder: dict, field_name: str, edit: dict, fail) -> None:
    value_key = EditKind(edit["kind"]).value_field
    if value_key in edit:
        holder[field_name] = copy.deepcopy(edit[value_key])
        return
    doc = holder.get(field_name)
    if isinstance(doc, str):
        raise fail("add_statement/remove_statement need the policy as a mapping, not JSON text")
    if doc is None:
        doc = {"Version": "2012-10-17", "Statement": []}
    statements = doc.get("Statement", [])
    statements = [statements] if isinstance(statements, dict) else list(statements)
    if "add_statement" in edit:
        statements.append(copy.deepcopy(edit["add_statement"]))
    elif "remove_statement" in edit:
        statements = [s for s in statements if not (isinstance(s, dict) and s.get("Sid") == edit["remove_statement"])]
    else:
        raise fail("a policy edit takes the whole document, `add_statement` or `remove_statement`")
    doc = dict(doc, Statement=statements)
    holder[field_name] = doc


def allowed_edits(scenario, edits: list[dict]) -> list[dict]:
    """Only edits of what the scenario's `editable` lists count; the grader ignores the rest."""
    targets = {edit_target(e) for e in scenario.editable}
    return [e for e in edits if e.get("kind") in EDIT_KINDS and edit_target(e) in targets]
