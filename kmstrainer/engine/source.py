"""Reading YAML and JSON text while remembering where every value came from.

`load_text` returns the data and a `Positions` map from key paths (tuples of keys and list
indexes) to 1-based (line, column). Errors found later can then name the line of the key the
author wrote. JSON is YAML, so one reader serves both; JSON syntax errors get JSON's own
line:column.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import yaml

from .errors import EngineInputError

Path = tuple  # of str | int


class Positions:
    """Where each value of a loaded document starts in its text.

    For JSON text the positions are worked out only when first asked for (an error or a finding),
    so that valid documents are read at C speed by `json.loads`."""

    def __init__(self, file: str | None = None, *, text: str | None = None) -> None:
        self.file = file
        self._text = text
        self._positions: dict[Path, tuple[int, int]] = {}

    @property
    def _at(self) -> dict[Path, tuple[int, int]]:
        if self._text is not None:
            text, self._text = self._text, None
            try:
                _walk(yaml.compose(text, Loader=_Loader), (), self, self.file)
            except (yaml.YAMLError, EngineInputError):
                pass
        return self._positions

    def record(self, path: Path, mark: yaml.Mark) -> None:
        self._positions[path] = (mark.line + 1, mark.column + 1)

    def locate(self, path: Sequence) -> tuple[int | None, int | None]:
        """The position of `path`, or of its nearest recorded ancestor."""
        p = tuple(path)
        while p:
            if p in self._at:
                return self._at[p]
            p = p[:-1]
        return self._at.get((), (None, None))

    def sub(self, prefix: Sequence) -> Positions:
        """The positions below `prefix`, re-rooted there."""
        out = Positions(self.file)
        n = len(prefix)
        pre = tuple(prefix)
        for path, pos in self._at.items():
            if path[:n] == pre:
                out._positions[path[n:]] = pos
        return out

    def error(self, message: str, path: Sequence, *, code: str = "input.invalid") -> EngineInputError:
        line, col = self.locate(path)
        return EngineInputError(
            message, path=format_path(path), code=code, line=line, column=col, file=self.file
        )


def format_path(path: Sequence) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


class _Loader(yaml.SafeLoader):
    pass


def _walk(node: yaml.Node, path: Path, positions: Positions, file: str | None) -> None:
    positions.record(path, node.start_mark)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, yaml.Mark] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            if key in seen and key != "<<":
                raise EngineInputError(
                    f"duplicate key `{key}` (first at line {seen[key].line + 1})",
                    path=format_path(path + (key,)),
                    code="input.duplicate_key",
                    line=key_node.start_mark.line + 1,
                    column=key_node.start_mark.column + 1,
                    file=file,
                )
            seen[key] = key_node.start_mark
            positions.record(path + (key,), key_node.start_mark)
            _walk_value(value_node, path + (key,), positions, file)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), positions, file)


def _walk_value(node: yaml.Node, path: Path, positions: Positions, file: str | None) -> None:
    # the key's own position is already recorded; children of the value get theirs
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        key_pos = positions._positions.get(path)
        _walk(node, path, positions, file)
        if key_pos is not None:
            positions._positions[path] = key_pos


def load_text(text: str, *, file: str | None = None) -> tuple[object, Positions]:
    """Parse YAML (or JSON) text; raise EngineInputError with line:column on a syntax error."""
    positions = Positions(file)
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise EngineInputError(
                f"invalid JSON: {exc.msg}", code="input.json_syntax", line=exc.lineno,
                column=exc.colno, file=file,
            ) from None
        except RecursionError:
            raise EngineInputError("the JSON is nested too deeply", code="input.json_syntax", file=file) from None
        return data, Positions(file, text=text)
    try:
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise EngineInputError(
            f"invalid YAML: {exc.problem or exc.context}",
            code="input.yaml_syntax",
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
            file=file,
        ) from None
    except yaml.YAMLError as exc:
        raise EngineInputError(f"invalid YAML: {exc}", code="input.yaml_syntax", file=file) from None
    if node is not None:
        _walk(node, (), positions, file)
    return data, positions


def load_file(path: str) -> tuple[object, Positions]:
    """Read and parse a YAML or JSON file."""
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except OSError as exc:
        raise EngineInputError(f"cannot read file: {exc.strerror}", file=path) from None
    except UnicodeDecodeError:
        raise EngineInputError("file is not UTF-8 text", file=path) from None
    return load_text(text, file=path)
