"""Reading YAML and JSON text safely, and remembering where every value came from.

`load_text` returns the data and a `Positions` map from key paths (tuples of keys and list
indexes) to 1-based (line, column), worked out only when an error or a finding first needs one.

Every document is read within a budget, because the text comes from learners and instructors:

* at most `MAX_TEXT_CHARS` characters, nested at most `MAX_DEPTH` deep, at most `MAX_VALUES` values;
* YAML aliases (`*name`) are refused: they are how a 300-byte "billion laughs" document becomes
  gigabytes, and nothing in a policy, world or scenario needs them;
* values a policy cannot hold are refused where they stand: integers beyond 64 bits, infinities
  and NaN, strings with NUL characters or lone surrogates, and YAML tags other than the plain
  scalar, list and map ones. Unquoted YAML dates and times stay the strings the author typed.

YAML is tokenised by libyaml (the C parser); composing and constructing are PyYAML's own Python
code, with the depth budget checked before every node so that no recursion can run away. JSON
is read by `json.loads` with the same value checks. Errors carry the line and column.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent
from yaml.resolver import Resolver

from .errors import EngineInputError

try:  # libyaml ships inside the PyYAML wheels; a build without it falls back to PyYAML's own parser
    from yaml.cyaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser):  # type: ignore[no-redef]
        def __init__(self, stream):
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)

Path = tuple  # of str | int

MAX_TEXT_CHARS = 512 * 1024
MAX_DEPTH = 64
MAX_VALUES = 100_000
MAX_INT = 2**63 - 1
MAX_FLOAT = 1e18  # times, numbers in conditions: far beyond any real value, still exact as an int
_FORBIDDEN_CHARS = re.compile("[\x00\ud800-\udfff]")
_UNQUOTED_FIRST_KEY = re.compile(r"\s*\{\s*[A-Za-z_]")  # a YAML flow mapping; JSON quotes its keys
_FORBIDDEN_JSON_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")


class Positions:
    """Where each value of a loaded document starts in its text, worked out on first use."""

    def __init__(self, file: str | None = None, *, text: str | None = None) -> None:
        self.file = file
        self._text = text
        self._positions: dict[Path, tuple[int, int]] = {}

    @property
    def _at(self) -> dict[Path, tuple[int, int]]:
        if self._text is not None:
            text, self._text = self._text, None
            try:
                root = compose_text(text, file=self.file)
            except EngineInputError:
                root = None
            if root is not None:
                _record(root, (), self._positions)
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


def _record(node: yaml.Node, path: Path, positions: dict) -> None:
    """Positions of every value below `node`; a mapping value is located at its key."""
    positions.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = _key_text(key_node)
            positions[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            _record(value_node, path + (key,), positions)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _record(item, path + (i,), positions)


def _key_text(node: yaml.Node) -> str:
    return node.value if isinstance(node, yaml.ScalarNode) else str(node.value)


def _refuse(message: str, mark, file: str | None, code: str = "input.refused") -> EngineInputError:
    return EngineInputError(
        message, code=code, file=file,
        line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None,
    )


class _Loader(_Parser, Composer, SafeConstructor, Resolver):
    """libyaml's events, composed and constructed by PyYAML within the budget."""

    def __init__(self, text: str, file: str | None) -> None:
        _Parser.__init__(self, text)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self.file = file
        self.depth = 0
        self.count = 0

    # The composer's own methods, not the C parser's all-in-C composer (which recurses without a limit).
    check_node = Composer.check_node
    get_node = Composer.get_node
    get_single_node = Composer.get_single_node
    compose_document = Composer.compose_document

    def compose_node(self, parent, index):
        if self.check_event(AliasEvent):
            raise _refuse("YAML aliases (*name) are not accepted: write the value out in full",
                          self.peek_event().start_mark, self.file)
        self.depth += 1
        self.count += 1
        if self.depth > MAX_DEPTH:
            raise _refuse(f"the document is nested more than {MAX_DEPTH} levels deep",
                          self.peek_event().start_mark, self.file)
        if self.count > MAX_VALUES:
            raise _refuse(f"the document has more than {MAX_VALUES:,} values",
                          self.peek_event().start_mark, self.file)
        try:
            return Composer.compose_node(self, parent, index)
        finally:
            self.depth -= 1

    def construct_mapping(self, node, deep=False):
        seen: dict[str, yaml.Mark] = {}
        for key_node, _ in node.value:
            key = _key_text(key_node)
            if key in seen and key != "<<":
                raise EngineInputError(
                    f"duplicate key `{key}` (first at line {seen[key].line + 1})",
                    code="input.duplicate_key", file=self.file,
                    line=key_node.start_mark.line + 1, column=key_node.start_mark.column + 1,
                )
            seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node):
        digits = node.value.lstrip("+-").replace("_", "")
        if len(digits) > 20:
            raise _refuse("this number is too large for a policy (at most 64-bit integers)", node.start_mark, self.file)
        return _checked_number(super().construct_yaml_int(node), node.start_mark, self.file)

    def construct_yaml_float(self, node):
        return _checked_number(super().construct_yaml_float(node), node.start_mark, self.file)

    def construct_yaml_str(self, node):
        return _checked_string(super().construct_yaml_str(node), node.start_mark, self.file)

    def construct_as_text(self, node):
        """Unquoted dates and times stay text, as the author wrote them (a policy holds strings)."""
        return node.value

    def construct_other(self, node):
        raise _refuse(f"the YAML tag {node.tag} is not accepted here", node.start_mark, self.file)


for _tag in list(SafeConstructor.yaml_constructors):
    if _tag not in ("tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int",
                    "tag:yaml.org,2002:float", "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq",
                    "tag:yaml.org,2002:map"):
        _Loader.add_constructor(_tag, _Loader.construct_other)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_as_text)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_float)
_Loader.add_constructor("tag:yaml.org,2002:str", _Loader.construct_yaml_str)
_Loader.add_constructor(None, _Loader.construct_other)


def _checked_number(value, mark, file):
    if isinstance(value, float) and (not math.isfinite(value) or abs(value) > MAX_FLOAT):
        raise _refuse("this number is out of range for a policy (infinite, not a number, or above 1e18)", mark, file)
    if isinstance(value, int) and abs(value) > MAX_INT:
        raise _refuse("this number is too large for a policy (at most 64-bit integers)", mark, file)
    return value


def _checked_string(value: str, mark, file) -> str:
    bad = _FORBIDDEN_CHARS.search(value)
    if bad:
        what = "a NUL character" if bad.group() == "\x00" else "a lone surrogate (not valid Unicode text)"
        raise _refuse(f"this text contains {what}", mark, file)
    return value


def _check_size(text: str, file: str | None) -> None:
    if len(text) > MAX_TEXT_CHARS:
        raise EngineInputError(
            f"the document is {len(text):,} characters long; at most {MAX_TEXT_CHARS:,} are accepted",
            code="input.too_large", file=file,
        )


def _yaml_error(exc: yaml.YAMLError, file: str | None) -> EngineInputError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or getattr(exc, "context", None) or str(exc)
    return _refuse(f"invalid YAML: {problem}", mark, file, code="input.yaml_syntax")


def compose_text(text: str, *, file: str | None = None) -> yaml.Node | None:
    """The YAML node tree of `text` (for line numbers), read within the same budget as `load_text`."""
    _check_size(text, file)
    loader = _Loader(text, file)
    try:
        return loader.get_single_node()
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, file) from None
    finally:
        loader.dispose()


def _load_yaml(text: str, file: str | None) -> object:
    loader = _Loader(text, file)
    try:
        node = loader.get_single_node()
        return loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, file) from None
    except ValueError as exc:  # a value PyYAML resolved but cannot build (e.g. an impossible date)
        raise EngineInputError(f"invalid YAML value: {exc}", code="input.yaml_syntax", file=file) from None
    finally:
        loader.dispose()


def _json_int(text: str) -> int:
    if len(text.lstrip("-")) > 20:
        raise ValueError("this number is too large for a policy (at most 64-bit integers)")
    return int(text)


def _json_constant(name: str):
    raise ValueError(f"{name} is not a number a policy can hold")


def _load_json(text: str, file: str | None) -> object:
    try:
        data = json.loads(text, parse_int=_json_int, parse_constant=_json_constant)
    except json.JSONDecodeError as exc:
        raise EngineInputError(
            f"invalid JSON: {exc.msg}", code="input.json_syntax", line=exc.lineno, column=exc.colno, file=file,
        ) from None
    except (RecursionError, ValueError) as exc:
        raise _positioned_json_refusal(text, file, (), str(exc) if isinstance(exc, ValueError) else
                                       f"the document is nested more than {MAX_DEPTH} levels deep") from None
    bad = _first_bad_json_value(data)
    if bad is not None:
        raise _positioned_json_refusal(text, file, *bad)
    return data


def _positioned_json_refusal(text: str, file: str | None, path: Path, message: str) -> EngineInputError:
    """The refusal of a JSON value, at its line and column: JSON is YAML, and the YAML reader,
    which keeps positions, refuses the same values; otherwise located by its path."""
    try:
        _load_yaml(text, file)
    except EngineInputError as exc:
        if exc.code == "input.refused" and exc.line is not None:
            return exc
    line, column = Positions(file, text=text).locate(path) if len(path) < MAX_DEPTH else (None, None)
    escape = _FORBIDDEN_JSON_ESCAPE.search(text) if line is None else None
    if escape:  # text YAML cannot read either: find the escape itself
        line = text.count("\n", 0, escape.start()) + 1
        column = escape.start() - (text.rfind("\n", 0, escape.start()) + 1) + 1
    return EngineInputError(message, code="input.refused", path=format_path(path) if len(path) < 8 else "",
                            line=line, column=column, file=file)


def _first_bad_json_value(data: object) -> tuple[Path, str] | None:
    """The path of the first value JSON can hold but a policy cannot, with what is wrong."""
    stack: list[tuple[Path, object]] = [((), data)]
    count = 0
    while stack:
        path, value = stack.pop()
        count += 1
        if count > MAX_VALUES:
            return path, f"the document has more than {MAX_VALUES:,} values"
        if len(path) >= MAX_DEPTH:
            return path, f"the document is nested more than {MAX_DEPTH} levels deep"
        if isinstance(value, dict):
            stack.extend((path + (k,), v) for k, v in value.items())
            for k in value:
                if _FORBIDDEN_CHARS.search(k):
                    return path + (k,), "this key contains a NUL character or a lone surrogate"
        elif isinstance(value, list):
            stack.extend((path + (i,), v) for i, v in enumerate(value))
        elif isinstance(value, str):
            if _FORBIDDEN_CHARS.search(value):
                return path, "this text contains a NUL character or a lone surrogate (not valid Unicode text)"
        elif isinstance(value, float) and (not math.isfinite(value) or abs(value) > MAX_FLOAT):
            return path, "this number is out of range for a policy (infinite, not a number, or above 1e18)"
    return None


def load_text(text: str, *, file: str | None = None) -> tuple[object, Positions]:
    """Parse YAML (or JSON) text within the budget; raise EngineInputError with line:column."""
    _check_size(text, file)
    if text.lstrip().startswith(("{", "[")):
        try:
            data = _load_json(text, file)
        except EngineInputError as exc:
            if exc.code != "input.json_syntax" or not _UNQUOTED_FIRST_KEY.match(text):
                raise
            data = _yaml_flow_or(exc, text, file)  # `{principal: x, action: kms:Decrypt}` is YAML, not JSON
    else:
        data = _load_yaml(text, file)
    return data, Positions(file, text=text)


def _yaml_flow_or(json_error: EngineInputError, text: str, file: str | None) -> object:
    """YAML flow text that is not JSON, or the JSON error (positioned) when YAML cannot read it either."""
    try:
        return _load_yaml(text, file)
    except EngineInputError:
        raise json_error from None


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
