"""Policy text that may hold policy variables (`${aws:PrincipalTag/team}`), compiled once.

A `Template` is either static (no variables: one precompiled `Glob`) or a list of pieces that
are resolved against the request context at match time. Substituted values are literal: a `*`
inside a tag value is not a wildcard. Escapes: `${*}`, `${?}`, `${$}`. Defaults:
`${aws:username, 'nobody'}`. A variable whose key is absent (and has no default) resolves to
nothing, and the value then matches nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .wildcard import ANY_CHAR, LITERAL_QMARK, LITERAL_STAR, Glob

_VAR = re.compile(r"\$\{([^}]*)\}")
_ESCAPES = {"*": LITERAL_STAR, "?": LITERAL_QMARK, "$": "$"}
_DEFAULT = re.compile(r"^\s*([^,\s]+)\s*,\s*'([^']*)'\s*$")


@dataclass(frozen=True, slots=True)
class Var:
    key: str  # lower-cased condition key
    default: str | None


def _escape_literal(text: str) -> str:
    return text.replace("*", LITERAL_STAR).replace("?", LITERAL_QMARK)


@dataclass(frozen=True, slots=True)
class Template:
    """Text with optional `${...}` variables, matched as a wildcard pattern or as a literal."""

    source: str
    pieces: tuple  # str (marked text) | Var
    static: Glob | None  # compiled once when there are no variables
    wildcards: bool
    ignore_case: bool

    @classmethod
    def compile(cls, text: str, *, variables: bool, wildcards: bool, ignore_case: bool = False) -> Template:
        pieces: list = []
        pos = 0
        if variables:
            for m in _VAR.finditer(text):
                pieces.append(cls._mark(text[pos : m.start()], wildcards))
                inner = m.group(1)
                if inner in _ESCAPES:
                    pieces.append(_ESCAPES[inner])
                else:
                    d = _DEFAULT.match(inner)
                    if d:
                        pieces.append(Var(d.group(1).lower(), d.group(2)))
                    else:
                        pieces.append(Var(inner.strip().lower(), None))
                pos = m.end()
        pieces.append(cls._mark(text[pos:], wildcards))
        pieces = [p for p in pieces if p != ""]
        static = None
        if not any(isinstance(p, Var) for p in pieces):
            static = Glob.from_marked("".join(pieces), source=text, ignore_case=ignore_case)
        return cls(text, tuple(pieces), static, wildcards, ignore_case)

    @staticmethod
    def _mark(text: str, wildcards: bool) -> str:
        if wildcards:
            return text.replace("?", ANY_CHAR)
        return _escape_literal(text)

    @property
    def has_variables(self) -> bool:
        return self.static is None

    def resolve(self, context: dict) -> Glob | None:
        """The pattern with variables filled in from `context`; None when a variable is absent."""
        if self.static is not None:
            return self.static
        marked = self.resolve_marked(context)
        if marked is None:
            return None
        return Glob.from_marked(marked, source=self.source, ignore_case=self.ignore_case)

    def resolve_marked(self, context: dict) -> str | None:
        """The marked pattern text (see `wildcard`) with variables filled in; None when one is absent."""
        out = []
        for piece in self.pieces:
            if isinstance(piece, Var):
                value = context.get(piece.key)
                if value is None or isinstance(value, tuple):
                    if piece.default is None:
                        return None
                    value = piece.default
                out.append(_escape_literal(value))
            else:
                out.append(piece)
        return "".join(out)

    def matches(self, value: str, context: dict) -> bool:
        if self.static is None and not self.wildcards:
            # a literal comparison (StringEquals with a variable): no pattern to compile
            marked = self.resolve_marked(context)
            if marked is None:
                return False
            text = marked.replace(LITERAL_STAR, "*").replace(LITERAL_QMARK, "?")
            if self.ignore_case:
                return text.lower() == value.lower()
            return text == value
        glob = self.resolve(context)
        return glob is not None and glob.matches(value)
