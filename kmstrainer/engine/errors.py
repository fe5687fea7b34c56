"""Errors the engine raises for bad *input* (files, documents, requests), never for policy semantics.

Every error says what is wrong and where: the file, the 1-based line and column when the text
is known, and the path of keys inside the document (`Statement[2].Condition`).
"""

from __future__ import annotations


class EngineInputError(Exception):
    """Input the engine cannot read: malformed YAML/JSON, an unknown key, a value of the wrong type."""

    def __init__(
        self,
        message: str,
        *,
        path: str = "",
        code: str = "input.invalid",
        line: int | None = None,
        column: int | None = None,
        file: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.code = code
        self.line = line
        self.column = column
        self.file = file

    def where(self) -> str:
        """`file:line:column` as far as known."""
        parts = [p for p in (self.file, self.line, self.column) if p is not None]
        return ":".join(str(p) for p in parts)

    def __str__(self) -> str:
        where = self.where()
        at = f" (at `{self.path}`)" if self.path else ""
        return f"{where}: {self.message}{at}" if where else f"{self.message}{at}"

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "file": self.file,
        }


class PolicyParseError(EngineInputError):
    """A policy document that does not follow the IAM policy grammar."""


def join_path(base: str, key: str | int) -> str:
    """Append a key or list index to a dotted path: `Statement` + 2 -> `Statement[2]`."""
    if isinstance(key, int):
        return f"{base}[{key}]"
    return f"{base}.{key}" if base else str(key)
