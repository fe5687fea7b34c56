"""A scenario's `access_review` settings: how strictly the access review grades, which keys it
reviews, and which over-grants the author accepts."""

from __future__ import annotations

from dataclasses import dataclass

from .source import Positions
from .wildcard import Glob

MODES = ("off", "sensitive", "strict")
KEY_SCOPES = ("editable", "all")


@dataclass(frozen=True)
class Tolerance:
    """Over-grants the author accepts: a principal pattern and action patterns."""

    principal: str
    actions: tuple[str, ...]

    def covers(self, principal: str, action: str) -> bool:
        if not Glob.compile(self.principal).matches(principal):
            return False
        return any(Glob.compile(a, ignore_case=True).matches(f"kms:{action}") for a in self.actions)


@dataclass(frozen=True)
class ReviewConfig:
    mode: str = "sensitive"
    keys: str = "editable"
    tolerate: tuple[Tolerance, ...] = ()

    def tolerates(self, principal: str, action: str) -> bool:
        return any(t.covers(principal, action) for t in self.tolerate)


def parse_review_config(data: object, positions: Positions, path: tuple = ("access_review",)) -> ReviewConfig:
    """The scenario's `access_review` mapping; every problem names its key and line."""
    if data is None:
        return ReviewConfig()
    if not isinstance(data, dict):
        raise positions.error("`access_review` must be a mapping (mode, keys, tolerate)", path)
    for name in data:
        if name not in ("mode", "keys", "tolerate"):
            raise positions.error(f"unknown key `{name}` in `access_review` (mode, keys, tolerate)", path + (name,))
    mode = data.get("mode", "sensitive")
    if mode is False:  # YAML 1.1 reads an unquoted `off` as false
        mode = "off"
    if mode not in MODES:
        raise positions.error(f"`mode` is one of {', '.join(MODES)}", path + ("mode",))
    keys = data.get("keys", "editable")
    if keys not in KEY_SCOPES:
        raise positions.error(f"`keys` is one of {', '.join(KEY_SCOPES)}", path + ("keys",))
    raw = data.get("tolerate") or []
    if not isinstance(raw, list):
        raise positions.error("`tolerate` must be a list", path + ("tolerate",))
    tolerate = []
    for i, item in enumerate(raw):
        where = path + ("tolerate", i)
        if not isinstance(item, dict) or not isinstance(item.get("principal"), str):
            raise positions.error("each `tolerate` entry needs `principal` (an ARN pattern, or *)", where)
        actions = item.get("actions")
        if isinstance(actions, str):
            actions = [actions]
        if not isinstance(actions, list) or not actions or not all(isinstance(a, str) for a in actions):
            raise positions.error("each `tolerate` entry needs `actions` (action patterns)", where + ("actions",))
        tolerate.append(Tolerance(item["principal"], tuple(actions)))
    return ReviewConfig(mode, keys, tuple(tolerate))


